#!/usr/bin/env bash
# Format and script checks, part of scripts/test.sh: every C++ file as .clang-format says
# (Debian 12's clang-format 14), every shell script clean under shellcheck at warning level.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
mapfile -t sources < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find prober checks config tests bench -name '*.[ch]pp')
if ! clang-format --dry-run -Werror "${sources[@]}"; then
  echo "lint: run clang-format -i on the files above" >&2
  status=1
fi
mapfile -t scripts < <(git ls-files '*.sh' .ci/run 2>/dev/null || find scripts .ci -type f)
shellcheck -S warning -x "${scripts[@]}" || status=1
[ "$status" -eq 0 ] && echo "lint: ${#sources[@]} C++ files formatted, ${#scripts[@]} scripts clean"
exit "$status"
