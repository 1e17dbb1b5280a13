#!/usr/bin/env bash
# The newcomer's first command: builds prober (release), starts a small shop on loopback
# (nginx), probes it for ~30 s from two vantages into the embedded SQLite store while a bad
# "deploy" breaks the orders API for a while, then prints what was recorded and the report.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh
echo "== building prober (release)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target prober
prober=build/release/prober
config=config/examples/demo.yaml
$prober validate "$config"

port=18080
if ss -Hltn "sport = :$port" | grep -q .; then
  echo "port $port is in use; the demo needs it (config/examples/demo.yaml)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/prober-demo.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/html" "$root/var/demo"
rm -f "$root"/var/demo/prober.db*
printf '<html><body><h1>Welcome to the demo shop</h1></body></html>\n' >"$work/html/index.html"
chmod 644 "$work/html/index.html"
# shellcheck source=scripts/lib/loopback.sh
. scripts/lib/loopback.sh

write_nginx_conf() {  # $1 = build version, $2 = status of /api/orders
  {
    nginx_conf_prelude "$work" 1024
    cat <<CONF
  types { text/html html; }
  split_clients "\${request_id}" \$flaky { 30% fail; * ok; }
  server {
    listen 127.0.0.1:$port;
    root $work/html;
    location = /api/orders {
      default_type application/json;
      add_header X-Build $1 always;
      return $2 '{"orders":[101,102,103]}';
    }
    location = /flaky {
      if (\$flaky = fail) { return 503 "try again\n"; }
      return 200 "ok\n";
    }
  }
}
CONF
  } >"$work/nginx.conf"
}

cleanup() {
  nginx_stop "$work"
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

write_nginx_conf 1.4.2 200
nginx_start "$work"
nginx_wait_up "http://127.0.0.1:$port/index.html" "$work"

echo "== probing for 30 s from eu-west and us-east (logs below)"
$prober run --config "$config" --vantage eu-west --duration 30s 2>&1 | sed 's/^/[eu-west] /' &
$prober run --config "$config" --vantage us-east --duration 30s 2>&1 | sed 's/^/[us-east] /' &
sleep 8
echo "== $(date -u +%H:%M:%S) deploying build 1.5.0 (it breaks the orders API)"
write_nginx_conf 1.5.0 503
nginx_reload "$work"
sleep 12
echo "== $(date -u +%H:%M:%S) rolling back to 1.4.2"
write_nginx_conf 1.4.2 200
nginx_reload "$work"
wait

echo
echo "== what was recorded (prober results --summary)"
$prober results --config "$config" --summary
echo
echo "== first stored results as JSON lines (prober results)"
$prober results --config "$config" --check shop-orders-api | head -n 3
if $prober report --config "$config" --format md >"$work/report.md" 2>"$work/report.err"; then
  echo
  echo "== the outage report (prober report --format md)"
  cat "$work/report.md"
fi
echo
echo "Store: var/demo/prober.db. Try: $prober report --config $config --format html -o report.html"
