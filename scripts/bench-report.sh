#!/usr/bin/env bash
# The report over 10 M results in the SQLite store, against the equivalent gaps-and-islands
# SQL (window functions) computing only the vantage-down intervals, on the same file, in the
# same run. Usage: scripts/bench-report.sh   (env: CHECKS=1000 VANTAGES=5 PER_SERIES=2000 RUNS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKS=${CHECKS:-1000}
VANTAGES=${VANTAGES:-5}
PER_SERIES=${PER_SERIES:-2000}
RUNS=${RUNS:-5}

scripts/install-deps.sh >/dev/null
cmake --preset release >/dev/null
cmake --build --preset release --target prober >/dev/null
prober=$(pwd)/build/release/prober

work=${BENCH_DIR:-$(mktemp -d /tmp/prober-bench-report.XXXXXX)}
mkdir -p "$work"
config=$work/bench.yaml
{
  echo "vantages:"
  for v in $(seq 0 $((VANTAGES - 1))); do echo "  - {name: v$v, weight: $((10 + 5 * v))}"; done
  echo "defaults: {interval: 60s, timeout: 5s, confirm_failures: 2}"
  echo "outage: {min_vantages: 2}"
  echo "slo: {objective: 99.9, period: 30d}"
  echo "store: {url: \"sqlite://bench.db\"}"
  echo "checks:"
  for c in $(seq 0 $((CHECKS - 1))); do
    printf '  - {name: check-%04d, type: tcp, address: "127.0.0.1:9"}\n' "$c"
  done
} >"$config"

db=$work/bench.db
rows=$((CHECKS * VANTAGES * PER_SERIES))
if [ ! -f "$db" ] || [ "$(sqlite3 "$db" 'SELECT COUNT(*) FROM results')" != "$rows" ]; then
  rm -f "$db" "$db"-wal "$db"-shm
  # Let prober create its schema (so the file is exactly what `prober run` writes), then fill it.
  "$prober" --log-level warn run --config "$config" --duration 100ms
  echo "generating $rows results ($CHECKS checks x $VANTAGES vantages x $PER_SERIES) ..."
  start=$(date +%s)
  sqlite3 "$db" <<SQL
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
DELETE FROM results; DELETE FROM series; DELETE FROM change_events;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < $CHECKS - 1),
               v(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM v WHERE j < $VANTAGES - 1)
INSERT INTO series(id, check_name, vantage)
  SELECT i * $VANTAGES + j + 1, printf('check-%04d', i), 'v' || j FROM c, v;
-- Every series: a result a minute. Failures: isolated blips, and per check one incident of
-- 30-90 minutes seen by 1 to 5 vantages (so some are outages, some vantage incidents).
WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < $PER_SERIES - 1)
INSERT INTO results(series_id, ts_us, duration_us, ok)
  SELECT s.id,
         1714900000000000 + n.k * 60000000 + (s.id % 7) * 1000,
         100000 + (n.k * 37 + s.id) % 50000,
         CASE
           WHEN (n.k * 7919 + s.id * 104729) % 211 = 0 THEN 0
           WHEN ((s.id - 1) % $VANTAGES) < ((s.id - 1) / $VANTAGES) % 5 + 1
                AND n.k BETWEEN ((s.id - 1) / $VANTAGES * 13) % ($PER_SERIES - 100)
                            AND ((s.id - 1) / $VANTAGES * 13) % ($PER_SERIES - 100)
                                + 30 + ((s.id - 1) / $VANTAGES) % 60
             THEN 0
           ELSE 1
         END
  FROM series s, n ORDER BY s.id, n.k;
INSERT INTO change_events(check_name, vantage, ts_us, kind, change)
  SELECT check_name, vantage, 1714900000000000 + (id * 7777) % ($PER_SERIES * 60) * 1000000,
         'setting', 'work_mem: 4MB -> 8MB' FROM series WHERE id % 50 = 0;
SQL
  echo "generated in $(( $(date +%s) - start )) s; file $(du -h "$db" | cut -f1)"
fi

# The competitor: gaps-and-islands over window functions, only rule 1's down intervals
# (runs of >= 2 consecutive failures, ended by the next success), nothing else of the report.
cat >"$work/islands.sql" <<'SQL'
WITH numbered AS (
  SELECT series_id, ts_us, ok,
         ROW_NUMBER() OVER (PARTITION BY series_id ORDER BY ts_us)
       - ROW_NUMBER() OVER (PARTITION BY series_id, ok ORDER BY ts_us) AS island
  FROM results),
runs AS (
  SELECT series_id, MIN(ts_us) AS start_us, MAX(ts_us) AS last_us, COUNT(*) AS failures
  FROM numbered WHERE ok = 0
  GROUP BY series_id, island
  HAVING COUNT(*) >= 2)
SELECT COUNT(*), SUM((SELECT MIN(r.ts_us) FROM results r
                      WHERE r.series_id = runs.series_id AND r.ts_us > runs.last_us) - start_us)
FROM runs;
SQL

echo "== check: both finish and agree on something"
sqlite3 "$db" <"$work/islands.sql"
"$prober" report --config "$config" --format json -o "$work/report.json"
echo "report: $(grep -o '"outages":\[{' "$work/report.json" | wc -l) checks with outages"

echo "== timing (hyperfine, $RUNS runs each, same file)"
hyperfine --warmup 1 --runs "$RUNS" --export-json "$work/timing.json" \
  -n "prober report (json, all rules)" "$prober report --config $config --format json -o $work/r.json" \
  -n "gaps-and-islands SQL (down intervals only)" "sqlite3 $db < $work/islands.sql"
# Medians, and the ratio of the medians (machines are noisy: hyperfine's mean hides outliers).
python3 - "$work/timing.json" <<'PY2'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
medians = [statistics.median(r["times"]) for r in results]
for r, m in zip(results, medians):
    print(f"{r['command']}: median {m:.3f} s [{min(r['times']):.3f}-{max(r['times']):.3f}]")
print(f"ratio SQL / report (medians): {medians[1] / medians[0]:.2f}x  (goal >= 5x)")
PY2
echo "work dir: $work (set BENCH_DIR=$work to reuse the generated store)"
