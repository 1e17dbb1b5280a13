// TCP check: connect to host:port, optionally complete a TLS handshake.
#pragma once

#include <memory>

#include "checks/check.hpp"

namespace prober::checks {

std::unique_ptr<Check> make_tcp_check(CheckConfigPtr config, CheckEnv& env);

}  // namespace prober::checks
