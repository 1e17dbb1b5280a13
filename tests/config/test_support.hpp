// Shared helpers of the config tests.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace prober::config::testing {

inline std::filesystem::path source_dir() {
  return PROBER_SOURCE_DIR;
}
inline std::filesystem::path examples_dir() {
  return source_dir() / "config" / "examples";
}
inline std::filesystem::path invalid_dir() {
  return std::filesystem::path(PROBER_TEST_DATA_DIR) / "config" / "invalid";
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The environment the examples are documented to need; every other variable reads as
// "example-value", so an example that adds a new ${VAR} still validates.
inline std::optional<std::string> example_env(const std::string& name) {
  if (name == "PG_PASSWORD") return "pg-example-password";
  if (name == "MY_PASSWORD") return "my-example-password";
  if (name == "REDIS_PASSWORD") return "redis-example-password";
  return "example-value";
}

// A fixed environment for the fixtures: these are set, everything else is unset.
inline std::optional<std::string> fixture_env(const std::string& name) {
  if (name == "PG_PASSWORD") return "pg-secret";
  if (name == "MY_PASSWORD") return "my-secret";
  if (name == "REDIS_PASSWORD") return "redis-secret";
  if (name == "SET_HOST") return "example.net";
  return std::nullopt;
}

}  // namespace prober::config::testing
