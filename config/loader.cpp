// load_config_file / load_config_string: YAML -> tree (yaml_tree.cpp) -> Config and problems
// (builder*.cpp). Nothing escapes as an exception: every failure is a Problem.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>
#include <tuple>

#include "config/builder.hpp"
#include "config/config.hpp"
#include "config/yaml_tree.hpp"
#include "prober/core/redact.hpp"

namespace prober::config {

const Check* Config::find_check(const std::string& name) const {
  for (const auto& c : checks) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const Vantage* Config::find_vantage(const std::string& name) const {
  for (const auto& v : vantages) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::string Problem::to_string() const {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

namespace {

constexpr std::size_t kMaxProblems = 1000;

LoadResult load(const std::string& text, const std::string& display_path,
                const std::filesystem::path& base_dir, EnvLookup env) {
  using detail::Diag;
  std::vector<Diag> diags;
  std::vector<std::string> secrets;
  Config cfg;
  cfg.source_path = display_path;
  {
    detail::ParsedYaml parsed = detail::parse_yaml(text, env);
    diags = std::move(parsed.problems);
    for (const auto& value : parsed.substituted) {
      if (value.size() >= 3 && std::find(secrets.begin(), secrets.end(), value) == secrets.end()) {
        secrets.push_back(value);
      }
    }
    if (!parsed.syntax_error) {
      if (parsed.root == nullptr || parsed.root->is_null()) {
        diags.push_back(
            {detail::Pos{1, 1}, "config is empty (expected at least 'vantages' and 'checks')"});
      } else {
        detail::Builder builder(diags, base_dir, secrets);
        builder.build(*parsed.root, cfg);
      }
    }
  }

  LoadResult result;
  std::stable_sort(diags.begin(), diags.end(), [](const Diag& a, const Diag& b) {
    return std::tie(a.pos.line, a.pos.column) < std::tie(b.pos.line, b.pos.column);
  });
  // Problems quote values; values may come from secrets (a password pasted into the wrong
  // key, an environment value): mask them.
  Redactor redactor(secrets);
  for (auto& d : diags) {
    Problem p{display_path, d.pos.line, d.pos.column, redactor.apply(d.message)};
    if (!result.problems.empty()) {
      const Problem& last = result.problems.back();
      if (last.line == p.line && last.column == p.column && last.message == p.message) continue;
    }
    result.problems.push_back(std::move(p));
    if (result.problems.size() == kMaxProblems) break;
  }
  if (diags.size() > kMaxProblems && result.problems.size() == kMaxProblems) {
    result.problems.push_back(Problem{
        display_path, 0, 0,
        "too many problems: only the first " + std::to_string(kMaxProblems) + " are shown"});
  }
  if (result.problems.empty()) {
    cfg.secrets = std::move(secrets);
    result.config = std::move(cfg);
  }
  return result;
}

LoadResult single_problem(const std::string& file, std::string message) {
  LoadResult r;
  r.problems.push_back(Problem{file, 0, 0, std::move(message)});
  return r;
}

std::filesystem::path absolute_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path p = dir.empty() ? std::filesystem::path(".") : std::filesystem::path(dir);
  auto abs = std::filesystem::absolute(p, ec);
  return (ec ? p : abs).lexically_normal();
}

}  // namespace

LoadResult load_config_string(const std::string& yaml_text, const std::string& display_path,
                              const std::string& base_dir, EnvLookup env) {
  try {
    return load(yaml_text, display_path, absolute_dir(base_dir), env);
  } catch (const std::bad_alloc&) {
    return single_problem(display_path, "out of memory while loading the config");
  } catch (const std::exception& e) {
    return single_problem(display_path,
                          std::string("internal error while loading the config: ") + e.what());
  } catch (...) {
    return single_problem(display_path, "internal error while loading the config");
  }
}

LoadResult load_config_file(const std::string& path, EnvLookup env) {
  try {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      return single_problem(path, "cannot read the config: it is a directory");
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      return single_problem(path, std::string("cannot read the config: ") + std::strerror(errno));
    }
    std::string text;
    char buf[65536];
    std::size_t n = 0;
    bool too_large = false;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
      text.append(buf, n);
      if (text.size() > detail::kMaxInputBytes) {
        too_large = true;
        break;
      }
    }
    bool read_error = std::ferror(f) != 0;
    std::fclose(f);
    if (read_error) return single_problem(path, "cannot read the config: read error");
    if (too_large) {
      return single_problem(path, "file is too large (more than " +
                                      std::to_string(detail::kMaxInputBytes >> 20) + " MiB)");
    }
    std::filesystem::path p(path);
    std::string dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
    return load_config_string(text, path, dir, env);
  } catch (const std::exception& e) {
    return single_problem(path,
                          std::string("internal error while loading the config: ") + e.what());
  } catch (...) {
    return single_problem(path, "internal error while loading the config");
  }
}

}  // namespace prober::config
