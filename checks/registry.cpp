// The check types. Adding one: its checks/<type>.{hpp,cpp}, one line here, its schema entry
// in config/ and its tests.
#include <array>
#include <stdexcept>
#include <string_view>

#include "checks/check.hpp"
#include "checks/http.hpp"
#include "checks/tcp.hpp"

namespace prober::checks {
namespace {

using Factory = std::unique_ptr<Check> (*)(CheckConfigPtr, CheckEnv&);

struct Registration {
  std::string_view type;
  Factory make;
};

constexpr std::array kRegistry{
    Registration{"http", &make_http_check},
    Registration{"tcp", &make_tcp_check},
};

}  // namespace

std::unique_ptr<Check> make_check(CheckConfigPtr config, CheckEnv& env) {
  for (const auto& registration : kRegistry) {
    if (registration.type == config->type) return registration.make(std::move(config), env);
  }
  throw std::invalid_argument("check type '" + config->type + "' is not supported yet");
}

}  // namespace prober::checks
