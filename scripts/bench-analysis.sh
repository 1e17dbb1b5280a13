#!/usr/bin/env bash
# The analysis library's throughput (Google Benchmark): 10 M results (1,000 checks x 5
# vantages x 2,000 results) analysed in memory on one core. Goal: >= 10 M results/s.
# Usage: scripts/bench-analysis.sh [extra Google Benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target bench_analysis_throughput >/dev/null
# taskset: one core, as the goal says; the median of 5 repetitions.
taskset -c 0 build/release/bench/bench_analysis_throughput --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true "$@"
