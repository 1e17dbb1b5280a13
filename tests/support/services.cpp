#include "support/services.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace prober::testing {

std::string service_env(const char* name) {
  const char* value = std::getenv(name);
  if (value && *value) return value;
  ADD_FAILURE() << name
                << " is not set: this test needs the servers of scripts/test-services.sh "
                   "(scripts/test.sh starts them; by hand: scripts/test-services.sh start DIR "
                   "&& . DIR/env)";
  return "";
}

}  // namespace prober::testing
