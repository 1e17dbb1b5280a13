#!/usr/bin/env bash
# Installs every dependency, builds (debug with ASan+UBSan, and release), starts the real test
# servers on loopback and runs every test. Non-zero on any failure. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== lint (clang-format, shellcheck)"
status=0
scripts/lint.sh || status=$?

jobs=$(nproc)
echo "== configure + build: debug (ASan+UBSan, warnings as errors)"
cmake --preset debug >/dev/null
cmake --build --preset debug -j "$jobs"

services=$(mktemp -d /tmp/prober-services.XXXXXX)
cleanup() {
  scripts/test-services.sh stop "$services" || true
  rm -rf "$services"
}
trap cleanup EXIT
echo "== starting test servers in $services"
scripts/test-services.sh start "$services"
# shellcheck disable=SC1091
. "$services/env"

echo "== tests (debug build)"
ctest --preset debug -j "$jobs" --output-on-failure || status=$?

echo "== configure + build: release (warnings as errors)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs" || status=$?

echo "== install (cmake --install) and smoke test of the installed binary"
prefix=$(mktemp -d /tmp/prober-install.XXXXXX)
cmake --install build/release --prefix "$prefix" >/dev/null || status=$?
"$prefix/bin/prober" --version || status=$?
"$prefix/bin/prober" validate config/examples/minimal.yaml || status=$?
rm -rf "$prefix"

if [ "$status" -ne 0 ]; then
  echo "FAILED (status $status)"
  exit "$status"
fi
echo "all tests passed"
