// The HTML report in a real browser: headless Chromium renders the page of the seed incident
// (plus a vantage incident, a gap, a maintenance window and a hostile change text) to a
// 1400x1000 PNG; the test checks the PNG, decodes it (zlib, loaded at run time) and counts the
// lane colours, and checks the DOM Chromium built.
#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "prober/codec/result_json.hpp"
#include "report/support.hpp"

namespace prober::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kProber = PROBER_BINARY;
const std::string kChromium = "/usr/bin/chromium";

test::ProcessResult chromium(const test::TempDir& dir, const std::string& profile,
                             std::vector<std::string> extra, const std::string& page) {
  std::vector<std::string> argv = {kChromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + dir.file(profile)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("file://" + page);
  return test::run_process(argv, "", std::chrono::seconds(60));
}

struct Image {
  std::uint32_t width = 0, height = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;  // rows of width * channels bytes, unfiltered
  std::string error;
};

std::uint32_t be32(const std::string& s, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<std::uint8_t>(s[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<std::uint8_t>(s[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<std::uint8_t>(s[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<std::uint8_t>(s[at + 3]));
}

// 8-bit RGB/RGBA PNG, non-interlaced (what Chromium writes). zlib is loaded with dlopen: the
// test target links only the report library.
Image decode_png(const std::string& png) {
  Image img;
  if (png.size() < 33) return img.error = "too short", img;
  img.width = be32(png, 16);
  img.height = be32(png, 20);
  const int depth = static_cast<std::uint8_t>(png[24]);
  const int color = static_cast<std::uint8_t>(png[25]);
  const int interlace = static_cast<std::uint8_t>(png[28]);
  if (depth != 8 || (color != 2 && color != 6) || interlace != 0) {
    img.error = "unsupported PNG: depth " + std::to_string(depth) + " color " +
                std::to_string(color) + " interlace " + std::to_string(interlace);
    return img;
  }
  img.channels = color == 6 ? 4 : 3;
  std::string idat;
  for (std::size_t at = 8; at + 12 <= png.size();) {
    const std::uint32_t len = be32(png, at);
    const std::string type = png.substr(at + 4, 4);
    if (type == "IDAT") idat += png.substr(at + 8, len);
    if (type == "IEND") break;
    at += 12 + len;
  }
  void* zlib = ::dlopen("libz.so.1", RTLD_NOW);
  if (!zlib) return img.error = "cannot load libz.so.1", img;
  using Uncompress = int (*)(unsigned char*, unsigned long*, const unsigned char*, unsigned long);
  auto uncompress = reinterpret_cast<Uncompress>(::dlsym(zlib, "uncompress"));
  if (!uncompress) return img.error = "no uncompress in zlib", img;
  const std::size_t stride = static_cast<std::size_t>(img.width) * img.channels;
  std::vector<std::uint8_t> raw((stride + 1) * img.height);
  unsigned long raw_len = raw.size();
  const int rc = uncompress(raw.data(), &raw_len,
                            reinterpret_cast<const unsigned char*>(idat.data()), idat.size());
  ::dlclose(zlib);
  if (rc != 0 || raw_len != raw.size()) return img.error = "inflate failed", img;
  img.pixels.assign(stride * img.height, 0);
  const int bpp = img.channels;
  for (std::size_t y = 0; y < img.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    std::uint8_t* out = &img.pixels[y * stride];
    const std::uint8_t* up = y ? &img.pixels[(y - 1) * stride] : nullptr;
    for (std::size_t x = 0; x < stride; ++x) {
      const int a = x >= static_cast<std::size_t>(bpp) ? out[x - bpp] : 0;
      const int b = up ? up[x] : 0;
      const int c = (up && x >= static_cast<std::size_t>(bpp)) ? up[x - bpp] : 0;
      int v = in[x];
      switch (filter) {
        case 0:
          break;
        case 1:
          v += a;
          break;
        case 2:
          v += b;
          break;
        case 3:
          v += (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          v += (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
          break;
        }
        default:
          img.error = "bad filter " + std::to_string(filter);
          return img;
      }
      out[x] = static_cast<std::uint8_t>(v & 0xFF);
    }
  }
  return img;
}

std::size_t count_near(const Image& img, int r, int g, int b, int tolerance) {
  std::size_t n = 0;
  for (std::size_t i = 0; i + 2 < img.pixels.size(); i += img.channels) {
    if (std::abs(img.pixels[i] - r) <= tolerance && std::abs(img.pixels[i + 1] - g) <= tolerance &&
        std::abs(img.pixels[i + 2] - b) <= tolerance) {
      ++n;
    }
  }
  return n;
}

std::string rich_jsonl() {
  std::string jsonl;
  for (Result r : test::seed_results()) {
    // af-south: no result 20:00-22:00 (a gap: unknown from 20:03).
    if (r.vantage == "af-south" && r.ts >= test::utc(2024, 5, 5, 20) &&
        r.ts < test::utc(2024, 5, 5, 22)) {
      continue;
    }
    // sa-east alone down 10:00-10:30 on the 6th: a vantage incident.
    if (r.vantage == "sa-east" && r.ts >= test::utc(2024, 5, 6, 10) &&
        r.ts < test::utc(2024, 5, 6, 10, 30)) {
      r.ok = false;
    }
    jsonl += codec::to_json_line(r) + "\n";
  }
  for (const auto& e : test::seed_changes()) jsonl += codec::to_json_line(e) + "\n";
  jsonl += codec::to_json_line(ChangeEvent{"web-home", "us-east", test::utc(2024, 5, 5, 17, 30),
                                           ChangeKind::version,
                                           "build 41 -> 42 </title><script>alert(1)</script>"}) +
           "\n";
  return jsonl;
}

TEST(HtmlScreenshot, ChromiumRendersTheTimeline) {
  ASSERT_EQ(::access(kChromium.c_str(), X_OK), 0)
      << kChromium
      << " is missing: the HTML report must be checked in a real browser. Install it with "
         "scripts/install-deps.sh (it lists chromium) or `apt-get install -y chromium`.";
  test::TempDir dir;
  dir.write("c.yaml", test::seed_config(dir.file("p.db"),
                                        "maintenance:\n  - {checks: [web-home], start: "
                                        "2024-05-06T11:00:00Z, end: 2024-05-06T11:30:00Z}\n"));
  dir.write("f.jsonl", rich_jsonl());
  const std::string page = dir.file("report.html");
  const test::ProcessResult report =
      test::run_process({kProber, "report", "--config", dir.file("c.yaml"), "--input",
                         dir.file("f.jsonl"), "--format", "html", "--output", page});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string html = test::read_file(page);
  ASSERT_THAT(html, Not(HasSubstr("<script")));

  // A blank page, for calibration.
  dir.write("blank.html", "<!DOCTYPE html><html><body></body></html>");
  const test::ProcessResult blank_run = chromium(
      dir, "profile-blank", {"--screenshot=" + dir.file("blank.png"), "--window-size=1400,1000"},
      dir.file("blank.html"));
  ASSERT_EQ(blank_run.exit_code, 0) << blank_run.err;
  const auto blank_size = std::filesystem::file_size(dir.file("blank.png"));

  const std::string shot = dir.file("shot.png");
  const test::ProcessResult run =
      chromium(dir, "profile", {"--screenshot=" + shot, "--window-size=1400,1000"}, page);
  ASSERT_EQ(run.exit_code, 0) << "chromium failed or timed out (-2): " << run.err;
  ASSERT_TRUE(std::filesystem::exists(shot)) << run.err;
  const std::string png = test::read_file(shot);
  ASSERT_GT(png.size(), 33u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(be32(png, 16), 1400u);
  EXPECT_EQ(be32(png, 20), 1000u);
  // A blank 1400x1000 page compresses to a few KB; the report is text, tables and a chart.
  EXPECT_GT(png.size(), 10 * blank_size) << "blank page: " << blank_size << " bytes";

  const Image img = decode_png(png);
  ASSERT_TRUE(img.error.empty()) << img.error;
  ASSERT_EQ(img.pixels.size(), 1400u * 1000u * static_cast<std::size_t>(img.channels));
  // The lanes' colours (render_html.cpp's CSS): down #d63e2a, up #43a86a, unknown #bcc1ca.
  // Three lanes of 18 px are red over 3/4 of a ~1000 px axis: well over 10000 pixels.
  const std::size_t red = count_near(img, 0xd6, 0x3e, 0x2a, 24);
  const std::size_t green = count_near(img, 0x43, 0xa8, 0x6a, 24);
  const std::size_t grey = count_near(img, 0xbc, 0xc1, 0xca, 6);
  EXPECT_GT(red, 10000u);
  EXPECT_GT(green, 10000u);
  EXPECT_GT(grey, 500u);  // af-south's gap
  // Mostly the light page background, not one solid colour.
  const std::size_t background = count_near(img, 0xf4, 0xf5, 0xf8, 2);
  EXPECT_GT(background, 50000u);
  EXPECT_LT(background, 1400u * 1000u * 9 / 10);

  // The DOM Chromium built: the SVG with one lane per vantage, the escaped change text.
  const test::ProcessResult dom = chromium(dir, "profile-dom", {"--dump-dom"}, page);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_THAT(dom.out, HasSubstr("<svg class=\"timeline\""));
  std::size_t lanes = 0;
  for (std::size_t i = dom.out.find("<g class=\"lane\""); i != std::string::npos;
       i = dom.out.find("<g class=\"lane\"", i + 1)) {
    ++lanes;
  }
  EXPECT_EQ(lanes, 10u);  // 5 vantages x 2 checks
  EXPECT_THAT(dom.out, HasSubstr("data-vantage=\"af-south\""));
  EXPECT_THAT(dom.out, HasSubstr("class=\"impact-line\""));
  EXPECT_THAT(dom.out, HasSubstr("build 41 -&gt; 42 &lt;/title&gt;&lt;script&gt;"));
  EXPECT_THAT(dom.out, Not(HasSubstr("<script")));

  if (const char* keep = std::getenv("PROBER_KEEP_SCREENSHOT")) {
    std::filesystem::copy_file(shot, keep, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(page, std::string(keep) + ".html",
                               std::filesystem::copy_options::overwrite_existing);
  }
}

}  // namespace
}  // namespace prober::report
