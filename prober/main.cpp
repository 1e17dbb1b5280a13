#include "prober/cli/cli.hpp"

int main(int argc, char** argv) {
  return prober::cli::main(argc, argv);
}
