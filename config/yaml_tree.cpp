#include "config/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <unordered_map>

namespace prober::config::detail {

const YNode* YNode::get(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k->is_scalar() && k->value == key) return v;
  }
  return nullptr;
}

const YNode* YNode::key_node(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k->is_scalar() && k->value == key) return k;
  }
  return nullptr;
}

namespace {

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

Pos to_pos(const YAML::Mark& m) {
  if (m.is_null() || m.line < 0 || m.column < 0) return {};
  return {m.line + 1, m.column + 1};
}

// Thrown from the event handler to stop parsing: one problem, nothing else is validated.
struct Abort {
  Pos pos;
  std::string message;
};

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(ParsedYaml& out, EnvLookup env) : out_(out), env_(env) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw Abort{to_pos(mark), "only one YAML document is allowed"};
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YNode* n = make(to_pos(mark));
    n->kind = YNode::Kind::null;
    remember(anchor, n);
    attach(n);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw Abort{to_pos(mark), "unknown alias"};
    alias_pos_ = to_pos(mark);
    YNode* n = copy(*it->second, 0);
    n->pos = alias_pos_;
    alias_pos_ = {};
    attach(n);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YNode* n = make(to_pos(mark));
    n->kind = YNode::Kind::scalar;
    n->plain = tag == "?";
    if (expecting_key()) {
      n->value = value;
    } else {
      const std::size_t before = out_.problems.size();
      n->value = substitute_env(value, n->pos, env_, out_.problems, out_.substituted);
      n->env_error = out_.problems.size() != before;
    }
    remember(anchor, n);
    attach(n);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, YNode::Kind::sequence, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, YNode::Kind::map, anchor);
  }
  void OnMapEnd() override {
    if (!stack_.empty()) finish_map(*stack_.back().node);
    close();
  }

 private:
  struct Frame {
    YNode* node = nullptr;
    const YNode* key = nullptr;  // map: key waiting for its value
  };

  bool expecting_key() const {
    return !stack_.empty() && stack_.back().node->is_map() && stack_.back().key == nullptr;
  }

  YNode* make(Pos pos) {
    if (out_.arena.size() >= kMaxNodes) {
      throw Abort{pos,
                  "document is too large (more than " + std::to_string(kMaxNodes) + " YAML nodes)"};
    }
    YNode& n = out_.arena.emplace_back();
    n.pos = pos;
    return &n;
  }

  void remember(YAML::anchor_t anchor, const YNode* n) {
    if (anchor != 0) anchors_[anchor] = n;
  }

  void open(const YAML::Mark& mark, YNode::Kind kind, YAML::anchor_t anchor) {
    Pos pos = to_pos(mark);
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      throw Abort{pos, "nesting is too deep (more than " + std::to_string(kMaxDepth) + " levels)"};
    }
    YNode* n = make(pos);
    n->kind = kind;
    remember(anchor, n);
    stack_.push_back(Frame{n, nullptr});
  }

  void close() {
    if (stack_.empty()) return;
    YNode* n = stack_.back().node;
    stack_.pop_back();
    attach(n);
  }

  void attach(YNode* n) {
    if (stack_.empty()) {
      if (out_.root == nullptr) out_.root = n;
      return;
    }
    Frame& f = stack_.back();
    if (f.node->is_seq()) {
      f.node->items.push_back(n);
      return;
    }
    if (f.key == nullptr) {
      f.key = n;
      return;
    }
    // "key:" with nothing after it: yaml-cpp positions the null at the next token, which may be
    // lines further down; the key is where the reader looks.
    if (n->is_null() && n->pos.line > f.key->pos.line) n->pos = f.key->pos;
    f.node->entries.emplace_back(f.key, n);
    f.key = nullptr;
  }

  // Snapshot copy for an alias. Copying (not sharing) keeps the tree a tree even when an
  // anchored collection refers to itself; the node budget bounds "billion laughs".
  YNode* copy(const YNode& src, int depth) {
    if (depth > 4 * kMaxDepth) {
      throw Abort{alias_pos_, "nesting is too deep (aliases nest more than " +
                                  std::to_string(4 * kMaxDepth) + " levels)"};
    }
    if (++alias_nodes_ > kMaxAliasNodes) {
      throw Abort{alias_pos_, "document is too large (more than " + std::to_string(kMaxAliasNodes) +
                                  " YAML nodes with aliases expanded)"};
    }
    YNode* n = make(src.pos);
    n->kind = src.kind;
    n->value = src.value;
    n->plain = src.plain;
    n->env_error = src.env_error;
    n->items.reserve(src.items.size());
    for (const YNode* item : src.items) n->items.push_back(copy(*item, depth + 1));
    n->entries.reserve(src.entries.size());
    for (const auto& [k, v] : src.entries) {
      const YNode* kc = copy(*k, depth + 1);
      n->entries.emplace_back(kc, copy(*v, depth + 1));
    }
    return n;
  }

  // Drops (and reports) duplicate and non-string keys, then applies `<<` merge keys:
  // explicit keys win over merged ones, and earlier merge sources win over later ones.
  void finish_map(YNode& map) {
    std::vector<std::pair<const YNode*, const YNode*>> kept;
    std::vector<const YNode*> merges;
    std::unordered_map<std::string, const YNode*> seen;
    for (const auto& [k, v] : map.entries) {
      if (!k->is_scalar()) {
        out_.problems.push_back({k->pos, "map keys must be strings"});
        continue;
      }
      if (k->plain && k->value == "<<") {
        merges.push_back(v);
        continue;
      }
      auto [it, inserted] = seen.emplace(k->value, k);
      if (!inserted) {
        out_.problems.push_back({k->pos, "duplicate key '" + k->value + "' (first at line " +
                                             std::to_string(it->second->pos.line) + ")"});
        continue;
      }
      kept.emplace_back(k, v);
    }
    for (const YNode* m : merges) {
      std::vector<const YNode*> sources;
      if (m->is_map()) {
        sources.push_back(m);
      } else if (m->is_seq()) {
        for (const YNode* item : m->items) {
          if (item->is_map()) {
            sources.push_back(item);
          } else {
            out_.problems.push_back(
                {item->pos, "'<<' (merge key) expects a map or a list of maps"});
          }
        }
      } else {
        out_.problems.push_back({m->pos, "'<<' (merge key) expects a map or a list of maps"});
      }
      for (const YNode* src : sources) {
        for (const auto& [k, v] : src->entries) {
          if (!k->is_scalar()) continue;
          if (seen.emplace(k->value, k).second) kept.emplace_back(k, v);
        }
      }
    }
    map.entries = std::move(kept);
  }

  ParsedYaml& out_;
  EnvLookup env_;
  int documents_ = 0;
  Pos alias_pos_;                // while an alias is being expanded: where it is
  std::size_t alias_nodes_ = 0;  // nodes copied for aliases so far
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, const YNode*> anchors_;
};

}  // namespace

std::string substitute_env(std::string_view text, Pos pos, EnvLookup env, std::vector<Diag>& out,
                           std::vector<std::string>& substituted) {
  if (text.find('$') == std::string_view::npos) return std::string(text);
  std::string result;
  result.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      result += c;
      ++i;
      continue;
    }
    char next = text[i + 1];
    if (next == '$') {
      result += '$';
      i += 2;
      continue;
    }
    if (next != '{') {
      result += c;
      ++i;
      continue;
    }
    auto close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      out.push_back({pos, "unterminated '${' (write '$$' for a literal '$')"});
      result.append(text.substr(i));
      break;
    }
    std::string name(text.substr(i + 2, close - i - 2));
    bool valid = !name.empty() && is_name_start(name[0]);
    for (char nc : name) valid = valid && is_name_char(nc);
    if (!valid) {
      out.push_back({pos, "invalid environment variable reference '${" + name + "}'"});
      result.append(text.substr(i, close + 1 - i));
    } else {
      std::optional<std::string> value;
      if (env != nullptr) {
        value = env(name);
      } else if (const char* v = std::getenv(name.c_str())) {
        value = std::string(v);
      }
      if (!value) {
        out.push_back({pos, "environment variable " + name + " is not set"});
      } else {
        result += *value;
        substituted.push_back(*value);
      }
    }
    i = close + 1;
  }
  return result;
}

ParsedYaml parse_yaml(const std::string& text, EnvLookup env) {
  ParsedYaml out;
  // A fatal problem is the only one reported: what was read before it may be nonsense.
  auto fatal = [&out](Pos pos, std::string message) {
    out.problems.clear();
    out.problems.push_back({pos, std::move(message)});
    out.syntax_error = true;
    out.root = nullptr;
  };
  if (text.size() > kMaxInputBytes) {
    fatal({1, 1}, "file is too large (more than " + std::to_string(kMaxInputBytes >> 20) + " MiB)");
    return out;
  }
  if (auto nul = text.find('\0'); nul != std::string::npos) {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < nul; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    fatal({line, col}, "file contains a NUL byte (is it a text file?)");
    return out;
  }
  std::istringstream in(text);
  TreeBuilder builder(out, env);
  try {
    YAML::Parser parser(in);
    if (parser.HandleNextDocument(builder)) {
      // A second document makes OnDocumentStart throw.
      parser.HandleNextDocument(builder);
    }
  } catch (const Abort& e) {
    fatal(e.pos, e.message);
  } catch (const YAML::Exception& e) {
    fatal(to_pos(e.mark), "invalid YAML: " + e.msg);
  } catch (const std::exception& e) {
    fatal({}, std::string("invalid YAML: ") + e.what());
  }
  return out;
}

}  // namespace prober::config::detail
