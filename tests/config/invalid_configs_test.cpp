// Table test in the shape of blackbox_exporter's TestLoadBadConfigs: every
// tests/config/invalid/NAME.yaml is loaded and its problems must equal NAME.expected exactly,
// one "FILE:LINE:COL: message" line per problem, where FILE is the fixture's file name.
// An absolute path inside a message (resolved tls.ca_file) is written as <dir> for the
// fixture directory, so the expectations do not depend on where the repository lives.
//
// To write the .expected files from the current output (then review every diff!):
//   PROBER_UPDATE_GOLDEN=1 test_config --gtest_filter='Invalid*'
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "test_support.hpp"

namespace prober::config {
namespace {

namespace fs = std::filesystem;
using testing::fixture_env;
using testing::invalid_dir;
using testing::read_file;

std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(invalid_dir())) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

std::string actual_output(const std::string& name) {
  const fs::path yaml = invalid_dir() / (name + ".yaml");
  LoadResult r =
      load_config_string(read_file(yaml), name + ".yaml", invalid_dir().string(), &fixture_env);
  std::string out;
  for (const auto& p : r.problems) out += p.to_string() + "\n";
  return replace_all(out, invalid_dir().lexically_normal().string(), "<dir>");
}

class InvalidConfig : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidConfig, ReportsExactlyTheExpectedProblems) {
  const std::string name = GetParam();
  const fs::path expected_path = invalid_dir() / (name + ".expected");
  const std::string actual = actual_output(name);
  if (std::getenv("PROBER_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << actual;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
  EXPECT_EQ(read_file(expected_path), actual) << "fixture " << name << ".yaml";
  EXPECT_FALSE(actual.empty()) << name << ".yaml must be invalid";
}

TEST_P(InvalidConfig, NeverProducesAConfig) {
  const std::string name = GetParam();
  LoadResult r = load_config_string(read_file(invalid_dir() / (name + ".yaml")), name + ".yaml",
                                    invalid_dir().string(), &fixture_env);
  EXPECT_FALSE(r.config.has_value());
  EXPECT_FALSE(r.problems.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, InvalidConfig, ::testing::ValuesIn(fixture_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                       (c >= '0' && c <= '9');
                             if (!ok) c = '_';
                           }
                           return name;
                         });

TEST(InvalidConfigTable, HasAtLeastThirtyFixturesEachWithExpectations) {
  auto names = fixture_names();
  EXPECT_GE(names.size(), 30u);
  for (const auto& entry : fs::directory_iterator(invalid_dir())) {
    if (entry.path().extension() == ".expected") {
      EXPECT_TRUE(fs::exists(invalid_dir() / (entry.path().stem().string() + ".yaml")))
          << "stale expectation " << entry.path();
    }
  }
}

TEST(InvalidConfigTable, ProblemsAreSortedByPosition) {
  for (const auto& name : fixture_names()) {
    LoadResult r = load_config_string(read_file(invalid_dir() / (name + ".yaml")), name + ".yaml",
                                      invalid_dir().string(), &fixture_env);
    for (std::size_t i = 1; i < r.problems.size(); ++i) {
      const auto& a = r.problems[i - 1];
      const auto& b = r.problems[i];
      EXPECT_TRUE(a.line < b.line || (a.line == b.line && a.column <= b.column))
          << name << ": " << a.to_string() << " before " << b.to_string();
    }
  }
}

}  // namespace
}  // namespace prober::config
