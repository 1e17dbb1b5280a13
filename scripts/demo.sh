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
mkdir -p "$work/html" "$work/tmp" "$root/var/demo"
rm -f "$root"/var/demo/prober.db*
printf '<html><body><h1>Welcome to the demo shop</h1></body></html>\n' >"$work/html/index.html"
chmod 644 "$work/html/index.html"
user_line=""
[ "$(id -u)" = 0 ] && user_line="user root;"

write_nginx_conf() {  # $1 = build version, $2 = status of /api/orders
  cat >"$work/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp/body;
  proxy_temp_path $work/tmp/proxy;
  fastcgi_temp_path $work/tmp/fastcgi;
  uwsgi_temp_path $work/tmp/uwsgi;
  scgi_temp_path $work/tmp/scgi;
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
}

cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

write_nginx_conf 1.4.2 200
nginx -c "$work/nginx.conf" -p "$work" -e "$work/error.log"

echo "== probing for 30 s from eu-west and us-east (logs below)"
$prober run --config "$config" --vantage eu-west --duration 30s 2>&1 | sed 's/^/[eu-west] /' &
$prober run --config "$config" --vantage us-east --duration 30s 2>&1 | sed 's/^/[us-east] /' &
sleep 8
echo "== $(date -u +%H:%M:%S) deploying build 1.5.0 (it breaks the orders API)"
write_nginx_conf 1.5.0 503
nginx -c "$work/nginx.conf" -p "$work" -s reload
sleep 12
echo "== $(date -u +%H:%M:%S) rolling back to 1.4.2"
write_nginx_conf 1.4.2 200
nginx -c "$work/nginx.conf" -p "$work" -s reload
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
