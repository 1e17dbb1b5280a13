#pragma once

namespace prober::cli {
// The `prober` command line (DESIGN.md "CLI"). Returns the process exit code.
int main(int argc, char** argv);
}  // namespace prober::cli
