#!/usr/bin/env bash
# Starts (or stops) the real servers the integration tests talk to, on loopback, on free
# non-default ports, with all state in one temporary directory:
#   scripts/test-services.sh start DIR   -> writes DIR/env (export lines) and starts servers
#   scripts/test-services.sh stop DIR
# Tests read PROBER_TEST_* variables from that env file (scripts/test.sh sources it); a test
# that needs a server and finds no variable fails, it does not skip.
set -euo pipefail

cmd=${1:?usage: test-services.sh start|stop DIR}
dir=${2:?usage: test-services.sh start|stop DIR}
# shellcheck source=scripts/lib/loopback.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/loopback.sh"

start_nginx() {
  local root="$dir/nginx"
  mkdir -p "$root/html"
  chmod 755 "$dir" "$root" "$root/html"
  local http_port https_port
  http_port=$(free_port)
  https_port=$(free_port "$http_port")
  nginx_make_cert "$root" "prober test CA"
  printf '<html><body><h1>Welcome to the test shop</h1></body></html>\n' >"$root/html/index.html"
  printf '{"status":"ok","version":"1.4.2"}\n' >"$root/html/health.json"
  head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$root/html/big.txt"
  chmod 644 "$root"/html/*
  {
    nginx_conf_prelude "$root" 4096
    cat <<CONF
  types { text/html html; application/json json; text/plain txt; }
  ssl_session_cache off;
  ssl_session_tickets off;
  server {
    listen 127.0.0.1:$http_port;
    listen 127.0.0.1:$https_port ssl;
    ssl_certificate $root/server.pem;
    ssl_certificate_key $root/server.key;
    root $root/html;
    location = /status/503 { return 503 "unavailable\n"; }
    location = /status/404 { return 404 "missing\n"; }
    location = /redirect { return 302 /index.html; }
    location = /health.json { add_header X-Build 1.4.2; }
  }
}
CONF
  } >"$root/nginx.conf"
  nginx_start "$root"
  nginx_wait_up "http://127.0.0.1:$http_port/index.html" "$root"
  cat >>"$dir/env" <<ENV
export PROBER_TEST_NGINX_HTTP=127.0.0.1:$http_port
export PROBER_TEST_NGINX_HTTPS=127.0.0.1:$https_port
export PROBER_TEST_NGINX_CA=$root/ca.pem
ENV
}

stop_nginx() { nginx_stop "$dir/nginx"; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    : >"$dir/env"
    start_nginx
    echo "test services started; environment in $dir/env" >&2
    ;;
  stop)
    stop_nginx
    ;;
  *)
    echo "usage: test-services.sh start|stop DIR" >&2
    exit 2
    ;;
esac
