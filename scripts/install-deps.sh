#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of prober from Debian 12's archive.
# Idempotent: when everything is present it only checks and returns (no apt-get call).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format shellcheck
  # libraries (see README "Dependencies")
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev openssl libspdlog-dev libfmt-dev libyaml-cpp-dev libsqlite3-dev sqlite3 libcli11-dev
  libpq-dev libmariadb-dev libhiredis-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  nginx-light postgresql mariadb-server redis-server
  prometheus-blackbox-exporter hey hyperfine time curl procps python3 iproute2
  chromium  # tests/report renders the HTML report headless and screenshots it
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Our tests start their own servers on loopback with non-default ports; keep the packages'
# system services from starting (and from failing without an init system) during install.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
  if $SUDO apt-get update -qq && \
     $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "install-deps: done"
    exit 0
  fi
  echo "install-deps: attempt $attempt failed, retrying" >&2
  sleep $((attempt * 5))
done
echo "install-deps: apt-get failed" >&2
exit 1
