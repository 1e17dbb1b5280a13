// Every config/examples/*.yaml must validate (files added later are picked up by the glob).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "test_support.hpp"

namespace prober::config {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> example_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(testing::examples_dir())) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class Example : public ::testing::TestWithParam<std::string> {};

TEST_P(Example, Validates) {
  const fs::path path = testing::examples_dir() / GetParam();
  LoadResult r = load_config_file(path.string(), &testing::example_env);
  std::string problems;
  for (const auto& p : r.problems) problems += p.to_string() + "\n";
  EXPECT_EQ(problems, "");
  ASSERT_TRUE(r.config.has_value());
  EXPECT_FALSE(r.config->vantages.empty());
  EXPECT_FALSE(r.config->checks.empty());
  EXPECT_EQ(r.config->source_path, path.string());
}

INSTANTIATE_TEST_SUITE_P(Examples, Example, ::testing::ValuesIn(example_files()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                       (c >= '0' && c <= '9');
                             if (!ok) c = '_';
                           }
                           return name;
                         });

TEST(Examples, TheDocumentedOnesExist) {
  auto files = example_files();
  EXPECT_NE(std::find(files.begin(), files.end(), "full.yaml"), files.end());
  EXPECT_NE(std::find(files.begin(), files.end(), "minimal.yaml"), files.end());
}

}  // namespace
}  // namespace prober::config
