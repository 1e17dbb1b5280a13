// The syntax helpers behind the messages: did-you-mean, URLs, host:port, ${VAR}.
#include <gtest/gtest.h>

#include "config/syntax.hpp"
#include "config/yaml_tree.hpp"

namespace prober::config::detail {
namespace {

TEST(EditDistance, CountsEditsIgnoringCase) {
  EXPECT_EQ(edit_distance("interval", "interval"), 0u);
  EXPECT_EQ(edit_distance("intervall", "interval"), 1u);
  EXPECT_EQ(edit_distance("dns", "dsn"), 1u);  // transposition
  EXPECT_EQ(edit_distance("Interval", "interval"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(DidYouMean, SuggestsOnlyCloseCandidates) {
  const std::vector<std::string> keys = {"interval", "timeout", "url", "name", "checks"};
  EXPECT_EQ(did_you_mean("intervall", keys), "interval");
  EXPECT_EQ(did_you_mean("timout", keys), "timeout");
  EXPECT_EQ(did_you_mean("uri", keys), "url");
  EXPECT_EQ(did_you_mean("check", keys), "checks");
  EXPECT_EQ(did_you_mean("foo", keys), std::nullopt);
  EXPECT_EQ(did_you_mean("nmae", keys), "name");
  EXPECT_EQ(did_you_mean("type", keys), std::nullopt);
  EXPECT_EQ(did_you_mean_suffix("intervl", keys), " (did you mean 'interval'?)");
  EXPECT_EQ(did_you_mean_suffix("zzz", keys), "");
}

TEST(SplitUrl, AcceptsCommonForms) {
  UrlParts p;
  EXPECT_EQ(split_url("https://user:pw@Example.com:8443/a?b#c", p), std::nullopt);
  EXPECT_EQ(p.scheme, "https");
  EXPECT_EQ(p.userinfo, "user:pw");
  EXPECT_EQ(p.host, "Example.com");
  EXPECT_EQ(p.port, 8443);
  UrlParts v6;
  EXPECT_EQ(split_url("HTTP://[2001:db8::1]/x", v6), std::nullopt);
  EXPECT_EQ(v6.scheme, "http");
  EXPECT_EQ(v6.host, "2001:db8::1");
  EXPECT_EQ(v6.port, std::nullopt);
}

TEST(SplitUrl, ExplainsWhatIsWrong) {
  UrlParts p;
  EXPECT_EQ(split_url("example.com", p), "missing scheme");
  EXPECT_EQ(split_url("http://", p), "missing host");
  EXPECT_EQ(split_url("http://:80/", p), "missing host");
  EXPECT_EQ(split_url("http://a:0/", p), "invalid port '0'");
  EXPECT_EQ(split_url("http://a:/", p), "invalid port ''");
  EXPECT_EQ(split_url("http://::1/", p), "IPv6 addresses need brackets, e.g. [::1]");
  EXPECT_EQ(split_url("http://a b/", p), "contains whitespace or a control character");
  EXPECT_EQ(split_url("http://a<b/", p), "invalid character '<' in host");
  EXPECT_EQ(split_url("http://[zz]/", p), "invalid IPv6 address 'zz'");
}

TEST(UrlScheme, LowerCasesAndRejectsNonSchemes) {
  EXPECT_EQ(url_scheme("PostgreSQL://x"), "postgresql");
  EXPECT_EQ(url_scheme("rediss://x"), "rediss");
  EXPECT_EQ(url_scheme("host=db user=x"), std::nullopt);
  EXPECT_EQ(url_scheme("://x"), std::nullopt);
  EXPECT_EQ(url_scheme("1http://x"), std::nullopt);
}

TEST(HostPort, ParsesNamesAndBracketedIPv6) {
  HostPort hp;
  EXPECT_EQ(parse_host_port("api.internal:443", "address", 1, hp), std::nullopt);
  EXPECT_EQ(hp.host, "api.internal");
  EXPECT_EQ(hp.port, 443);
  EXPECT_EQ(parse_host_port("[::1]:8080", "address", 1, hp), std::nullopt);
  EXPECT_EQ(hp.host, "::1");
  EXPECT_EQ(hp.port, 8080);
  EXPECT_EQ(parse_host_port("127.0.0.1:0", "listen address", 0, hp), std::nullopt);
  EXPECT_EQ(hp.port, 0);
}

TEST(HostPort, RejectsMalformed) {
  HostPort hp;
  const std::string form = " (expected host:port, IPv6 as [::1]:443)";
  EXPECT_EQ(parse_host_port("api", "address", 1, hp), "invalid address 'api'" + form);
  EXPECT_EQ(parse_host_port("::1:443", "address", 1, hp), "invalid address '::1:443'" + form);
  EXPECT_EQ(parse_host_port("[::1]", "address", 1, hp), "invalid address '[::1]'" + form);
  EXPECT_EQ(parse_host_port(":80", "address", 1, hp), "invalid address ':80'" + form);
  EXPECT_EQ(parse_host_port("", "address", 1, hp), "invalid address ''" + form);
  EXPECT_EQ(parse_host_port("a:0", "address", 1, hp), "port 0 in 'a:0' is out of range 1-65535");
  EXPECT_EQ(parse_host_port("a:123456", "address", 1, hp), "invalid port '123456' in 'a:123456'");
  EXPECT_EQ(parse_host_port("a:-1", "address", 1, hp), "invalid port '-1' in 'a:-1'");
}

std::optional<std::string> env(const std::string& name) {
  if (name == "A") return "alpha";
  if (name == "E") return "";
  return std::nullopt;
}

TEST(SubstituteEnv, ReplacesEscapesAndReports) {
  std::vector<Diag> problems;
  std::vector<std::string> substituted;
  Pos pos{3, 9};
  EXPECT_EQ(substitute_env("x${A}y${E}z", pos, &env, problems, substituted), "xalphayz");
  EXPECT_EQ(substitute_env("$$A $$ $x $ ok$", pos, &env, problems, substituted), "$A $ $x $ ok$");
  EXPECT_EQ(substitute_env("$${A}", pos, &env, problems, substituted), "${A}");
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(substituted, (std::vector<std::string>{"alpha", ""}));

  substitute_env("${MISSING} ${bad-name} ${open", pos, &env, problems, substituted);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].message, "environment variable MISSING is not set");
  EXPECT_EQ(problems[0].pos.line, 3);
  EXPECT_EQ(problems[0].pos.column, 9);
  EXPECT_EQ(problems[1].message, "invalid environment variable reference '${bad-name}'");
  EXPECT_EQ(problems[2].message, "unterminated '${' (write '$$' for a literal '$')");
}

TEST(ParseYaml, KeepsPositionsAndRejectsDuplicates) {
  ParsedYaml y = parse_yaml("a: 1\nb:\n  - x\n  - {c: d}\na: 2\n", nullptr);
  ASSERT_NE(y.root, nullptr);
  ASSERT_EQ(y.problems.size(), 1u);
  EXPECT_EQ(y.problems[0].message, "duplicate key 'a' (first at line 1)");
  EXPECT_EQ(y.problems[0].pos.line, 5);
  const YNode* b = y.root->get("b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->is_seq());
  EXPECT_EQ(b->items[1]->pos.line, 4);
  EXPECT_EQ(b->items[1]->pos.column, 5);
  EXPECT_EQ(b->items[1]->get("c")->value, "d");
  EXPECT_EQ(y.root->get("a")->value, "1");
  EXPECT_EQ(y.root->key_node("b")->pos.line, 2);
}

TEST(ParseYaml, EmptyValuePointsAtItsKey) {
  ParsedYaml y = parse_yaml("a:\nb: 2\n", nullptr);
  ASSERT_NE(y.root, nullptr);
  const YNode* a = y.root->get("a");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->is_null());
  EXPECT_EQ(a->pos.line, 1);
}

TEST(ParseYaml, QuotedScalarsAreNotPlain) {
  ParsedYaml y = parse_yaml("a: \"1\"\nb: 1\n", nullptr);
  ASSERT_NE(y.root, nullptr);
  EXPECT_FALSE(y.root->get("a")->plain);
  EXPECT_TRUE(y.root->get("b")->plain);
}

}  // namespace
}  // namespace prober::config::detail
