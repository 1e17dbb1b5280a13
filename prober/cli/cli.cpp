#include "prober/cli/cli.hpp"

#include <iostream>

namespace prober::cli {
int main(int, char**) {
  std::cerr << "prober: not implemented yet\n";
  return 1;
}
}  // namespace prober::cli
