// Addresses of the real servers scripts/test-services.sh starts for the tests. A test that
// needs one and does not find it fails (with how to start it); it never skips.
#pragma once

#include <string>

namespace prober::testing {

// The value of an environment variable set by scripts/test-services.sh, or "" after
// recording a test failure that says how to get it.
std::string service_env(const char* name);

}  // namespace prober::testing
