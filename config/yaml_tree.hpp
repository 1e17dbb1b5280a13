// Internal to prober_config: YAML text -> a small, fully owned tree with 1-based positions.
//
// The tree is built from yaml-cpp's event API rather than YAML::Node, so that:
//  - every key and value keeps its own position (problems point at the offending token);
//  - duplicate keys are detected (YAML::Node silently keeps one of them);
//  - aliases are expanded under a node budget (no "billion laughs"), self-referencing
//    anchors cannot create cycles, and nesting depth is bounded before yaml-cpp recurses far;
//  - `<<` merge keys work (yaml-cpp 0.7 does not implement them);
//  - ${VAR} substitution happens once, on every scalar value, with its problems positioned.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace prober::config::detail {

struct Pos {
  int line = 0;  // 1-based; 0 = unknown
  int column = 0;
};

struct Diag {
  Pos pos;
  std::string message;
};

struct YNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  Pos pos;
  std::string value;       // scalar: text after ${VAR} substitution (keys are not substituted)
  bool plain = true;       // scalar written without quotes and without an explicit tag
  bool env_error = false;  // ${VAR} substitution failed (already reported): do not validate
  std::vector<const YNode*> items;                             // sequence
  std::vector<std::pair<const YNode*, const YNode*>> entries;  // map, in file order

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_seq() const { return kind == Kind::sequence; }
  bool is_map() const { return kind == Kind::map; }
  // The value of `key` in a map (first occurrence), or nullptr.
  const YNode* get(std::string_view key) const;
  // The key node of `key` in a map, or nullptr.
  const YNode* key_node(std::string_view key) const;
};

// Limits that keep hostile input from exhausting the stack or memory.
// A 100,000-check config is about 12 MB and 1.2 M nodes; aliases get a budget of their own
// so "billion laughs" stops long before memory does.
inline constexpr std::size_t kMaxInputBytes = 64u << 20;
inline constexpr int kMaxDepth = 64;
inline constexpr std::size_t kMaxNodes = 4000000;
inline constexpr std::size_t kMaxAliasNodes = 500000;

struct ParsedYaml {
  std::deque<YNode> arena;      // owns every node; deque keeps addresses stable
  const YNode* root = nullptr;  // nullptr when the document is empty or unparsable
  bool syntax_error = false;    // a fatal problem was reported: do not validate further
  std::vector<Diag> problems;
  std::vector<std::string> substituted;  // every value taken from the environment
};

// Replaces ${NAME} from `env` (nullptr: getenv) and $$ by $. Problems are appended to `out`.
std::string substitute_env(std::string_view text, Pos pos, EnvLookup env, std::vector<Diag>& out,
                           std::vector<std::string>& substituted);

// Never throws (std::bad_alloc aside, which the caller handles).
ParsedYaml parse_yaml(const std::string& text, EnvLookup env);

}  // namespace prober::config::detail
