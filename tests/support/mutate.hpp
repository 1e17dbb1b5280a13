// Byte-level damage for fuzz tests of the parsers: random edits of a valid input, from a
// seeded generator, so that a failure replays exactly.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <string_view>

namespace prober::testing {

struct ByteMutations {
  unsigned max_edits = 4;     // 1..max_edits edits per input
  std::size_t max_erase = 8;  // an erase removes 1..max_erase bytes
  std::size_t max_copy = 16;  // a copy re-inserts 0..max_copy-1 bytes from elsewhere
  // Not empty: a fifth kind of edit inserts 1-3 copies of one of these characters (a
  // protocol's framing bytes, which random flips rarely hit).
  std::string_view framing = {};
};

// Each edit: flip a byte to any value, erase a run, insert a copy of a run, truncate, or
// (with framing) insert framing characters.
inline void mutate_bytes(std::string& s, std::mt19937& rng, const ByteMutations& m) {
  const unsigned edits = 1 + static_cast<unsigned>(rng() % m.max_edits);
  const unsigned kinds = m.framing.empty() ? 4 : 5;
  for (unsigned e = 0; e < edits && !s.empty(); ++e) {
    const std::size_t pos = rng() % s.size();
    switch (rng() % kinds) {
      case 0:
        s[pos] = static_cast<char>(rng() % 256);
        break;
      case 1:
        s.erase(pos, 1 + rng() % m.max_erase);
        break;
      case 2:
        s.insert(pos, s.substr(rng() % s.size(), rng() % m.max_copy));
        break;
      case 3:
        s.resize(pos);
        break;
      default:
        s.insert(pos, std::string(1 + rng() % 3, m.framing[rng() % m.framing.size()]));
        break;
    }
  }
}

}  // namespace prober::testing
