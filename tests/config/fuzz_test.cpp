// Robustness: thousands of randomly damaged versions of full.yaml (byte flips, YAML
// punctuation, truncation, duplicated and deleted ranges; fixed seed) must never throw or
// crash, and each load must give either a config or at least one problem.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "config/config.hpp"
#include "test_support.hpp"

namespace prober::config {
namespace {

class Mutator {
 public:
  explicit Mutator(std::uint32_t seed) : rng_(seed) {}

  std::string mutate(std::string s) {
    int rounds = 1 + static_cast<int>(below(4));
    for (int i = 0; i < rounds; ++i) apply(s);
    return s;
  }

 private:
  std::size_t below(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  void apply(std::string& s) {
    static const char* const kTokens[] = {
        "{",  "}",   "[",    "]",       ":",    ": ",
        "- ", "\n",  "\n  ", "&a ",     "*a",   "<<: ",
        "!!", "\"",  "'",    "#",       "${",   "${X}",
        "$$", "|\n", ">",    "\t",      "%",    "---\n",
        "? ", "~",   "\\",   "\xff",    "\x01", "99999999999999999999",
        "-1", "0s",  ".inf", "&b [*b]", "*b",   "\xef\xbb\xbf"};
    switch (below(7)) {
      case 0:  // flip a byte to any value (NUL included)
        if (!s.empty()) s[below(s.size())] = static_cast<char>(below(256));
        break;
      case 1: {  // insert a YAML-significant token
        const char* t = kTokens[below(std::size(kTokens))];
        s.insert(below(s.size() + 1), t);
        break;
      }
      case 2:  // truncate
        s.resize(below(s.size() + 1));
        break;
      case 3: {  // duplicate a range somewhere else
        if (s.empty()) break;
        std::size_t from = below(s.size());
        std::size_t len = below(std::min<std::size_t>(400, s.size() - from) + 1);
        std::string piece = s.substr(from, len);
        s.insert(below(s.size() + 1), piece);
        break;
      }
      case 4: {  // delete a range
        if (s.empty()) break;
        std::size_t from = below(s.size());
        s.erase(from, below(std::min<std::size_t>(200, s.size() - from) + 1));
        break;
      }
      case 5: {  // swap two bytes
        if (s.size() < 2) break;
        std::size_t a = below(s.size()), b = below(s.size());
        std::swap(s[a], s[b]);
        break;
      }
      default: {  // change indentation at a line start
        auto nl = s.find('\n', below(s.size() + 1));
        if (nl != std::string::npos) s.insert(nl + 1, below(2) ? " " : "   ");
        break;
      }
    }
  }

  std::mt19937 rng_;
};

TEST(ConfigFuzz, DamagedConfigsNeverThrowAndAlwaysAnswer) {
  const std::string original = testing::read_file(testing::examples_dir() / "full.yaml");
  ASSERT_FALSE(original.empty());
  const std::string base_dir = testing::examples_dir().string();
  Mutator mutator(20240505);
  int valid = 0, invalid = 0;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = mutator.mutate(original);
    LoadResult r;
    ASSERT_NO_THROW(r = load_config_string(text, "fuzz.yaml", base_dir, &testing::example_env))
        << "iteration " << i;
    ASSERT_NE(r.config.has_value(), !r.problems.empty()) << "iteration " << i;
    for (const auto& p : r.problems) {
      ASSERT_FALSE(p.message.empty()) << "iteration " << i;
      ASSERT_EQ(p.file, "fuzz.yaml");
      ASSERT_GE(p.line, 0);
    }
    (r.config ? valid : invalid) += 1;
  }
  // The mutations must actually exercise both outcomes.
  EXPECT_GT(invalid, 1000);
  EXPECT_GT(valid, 10);
}

TEST(ConfigFuzz, RandomBytesNeverThrow) {
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string text(std::uniform_int_distribution<std::size_t>(0, 300)(rng), '\0');
    for (char& c : text) c = static_cast<char>(std::uniform_int_distribution<int>(1, 255)(rng));
    LoadResult r;
    ASSERT_NO_THROW(r = load_config_string(text, "junk.yaml", ".", &testing::example_env));
    ASSERT_FALSE(r.config.has_value()) << "iteration " << i;
    ASSERT_FALSE(r.problems.empty()) << "iteration " << i;
  }
}

}  // namespace
}  // namespace prober::config
