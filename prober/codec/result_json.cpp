#include "prober/codec/result_json.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "prober/codec/json_text.hpp"

namespace prober::codec {
namespace json = boost::json;
namespace {

double round3(double v) {
  return std::round(v * 1000.0) / 1000.0;
}
double micros_to_ms(Micros d) {
  return round3(static_cast<double>(d.count()) / 1000.0);
}

const json::value* find(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

bool get_string(const json::object& o, std::string_view key, std::string& out, bool required,
                std::string& error) {
  const json::value* v = find(o, key);
  if (!v) {
    if (required) error = "missing \"" + std::string(key) + "\"";
    return !required;
  }
  if (!v->is_string()) {
    error = "\"" + std::string(key) + "\" must be a string";
    return false;
  }
  out.assign(v->as_string().data(), v->as_string().size());
  return true;
}

std::optional<double> get_number(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  return std::nullopt;
}

bool get_time(const json::object& o, std::string_view key, TimePoint& out, std::string& error) {
  std::string text;
  if (!get_string(o, key, text, true, error)) return false;
  auto t = parse_rfc3339(text);
  if (!t) {
    error = "\"" + std::string(key) + "\" is not an RFC 3339 time: " + text.substr(0, 64);
    return false;
  }
  out = *t;
  return true;
}

}  // namespace

std::string to_json_line(const Result& r) {
  json::object o;
  o.reserve(12);
  o["check"] = r.check;
  o["vantage"] = r.vantage;
  o["ts"] = format_rfc3339_ms(r.ts);
  o["ok"] = r.ok;
  o["duration_ms"] = micros_to_ms(r.duration);
  if (r.error != ErrorClass::none) o["error"] = to_string(r.error);
  if (r.status_code) o["status_code"] = *r.status_code;
  if (!r.detail.empty()) o["detail"] = r.detail;
  if (!r.phases.empty()) {
    json::object p;
    auto put = [&p](const char* name, const std::optional<double>& v) {
      if (v) p[name] = round3(*v);
    };
    put("dns_ms", r.phases.dns_ms);
    put("connect_ms", r.phases.connect_ms);
    put("tls_ms", r.phases.tls_ms);
    put("ttfb_ms", r.phases.ttfb_ms);
    put("transfer_ms", r.phases.transfer_ms);
    o["phases"] = std::move(p);
  }
  if (r.cert_not_after) o["cert_not_after"] = format_rfc3339(*r.cert_not_after);
  return to_json_text(o);
}

std::string to_json_line(const ChangeEvent& e) {
  json::object o;
  o["check"] = e.check;
  o["vantage"] = e.vantage;
  o["ts"] = format_rfc3339_ms(e.ts);
  o["kind"] = to_string(e.kind);
  o["change"] = e.change;
  return to_json_text(o);
}

ParsedLine parse_json_line(std::string_view line) {
  json::error_code ec;
  json::parse_options options;
  options.max_depth = 16;
  json::value v = json::parse(line, ec, {}, options);
  if (ec) return ParseError{"invalid JSON: " + ec.message()};
  if (!v.is_object()) return ParseError{"not a JSON object"};
  const json::object& o = v.as_object();
  std::string error;
  if (find(o, "change")) {
    ChangeEvent e;
    std::string kind;
    if (!get_string(o, "check", e.check, true, error) ||
        !get_string(o, "vantage", e.vantage, false, error) || !get_time(o, "ts", e.ts, error) ||
        !get_string(o, "change", e.change, true, error) ||
        !get_string(o, "kind", kind, true, error)) {
      return ParseError{error};
    }
    auto k = parse_change_kind(kind);
    if (!k) return ParseError{"\"kind\" must be setting, version or fingerprint"};
    e.kind = *k;
    return e;
  }
  Result r;
  if (!get_string(o, "check", r.check, true, error) ||
      !get_string(o, "vantage", r.vantage, true, error) || !get_time(o, "ts", r.ts, error)) {
    return ParseError{error};
  }
  const json::value* ok = find(o, "ok");
  if (!ok) return ParseError{"missing \"ok\""};
  if (!ok->is_bool()) return ParseError{"\"ok\" must be true or false"};
  r.ok = ok->as_bool();
  auto duration = get_number(find(o, "duration_ms"));
  if (!duration) return ParseError{"missing or non-numeric \"duration_ms\""};
  if (!(*duration >= 0) || *duration > 1e12) return ParseError{"\"duration_ms\" out of range"};
  r.duration = Micros{static_cast<std::int64_t>(std::llround(*duration * 1000.0))};
  if (const json::value* err = find(o, "error"); err && err->is_string()) {
    auto cls =
        parse_error_class(std::string_view(err->as_string().data(), err->as_string().size()));
    r.error = cls.value_or(ErrorClass::internal);
  }
  if (!r.ok && r.error == ErrorClass::none) r.error = ErrorClass::internal;
  if (auto sc = get_number(find(o, "status_code")); sc && *sc >= 0 && *sc < 1000) {
    r.status_code = static_cast<int>(*sc);
  }
  if (const json::value* d = find(o, "detail"); d && d->is_string()) {
    r.detail.assign(d->as_string().data(), d->as_string().size());
  }
  if (const json::value* p = find(o, "phases"); p && p->is_object()) {
    const auto& po = p->as_object();
    r.phases.dns_ms = get_number(find(po, "dns_ms"));
    r.phases.connect_ms = get_number(find(po, "connect_ms"));
    r.phases.tls_ms = get_number(find(po, "tls_ms"));
    r.phases.ttfb_ms = get_number(find(po, "ttfb_ms"));
    r.phases.transfer_ms = get_number(find(po, "transfer_ms"));
  }
  if (const json::value* c = find(o, "cert_not_after"); c && c->is_string()) {
    r.cert_not_after =
        parse_rfc3339(std::string_view(c->as_string().data(), c->as_string().size()));
  }
  return r;
}

}  // namespace prober::codec
