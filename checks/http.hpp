// HTTP(S) check: one request (following redirects), phases, expectations, TLS facts.
#pragma once

#include <memory>

#include "checks/check.hpp"

namespace prober::checks {

std::unique_ptr<Check> make_http_check(CheckConfigPtr config, CheckEnv& env);

}  // namespace prober::checks
