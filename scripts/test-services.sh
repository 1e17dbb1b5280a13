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

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( (RANDOM % 20000) + 20000 ))
    if ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port" >&2
  return 1
}

start_nginx() {
  local root="$dir/nginx"
  mkdir -p "$root/html" "$root/tmp" "$root/logs"
  chmod 755 "$dir" "$root" "$root/html"
  local http_port https_port
  http_port=$(free_port)
  https_port=$(free_port)
  # A certificate for 127.0.0.1/localhost, signed by a CA the tests trust via tls.ca_file.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=prober test CA" -keyout "$root/ca.key" -out "$root/ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=localhost" -keyout "$root/server.key" -out "$root/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$root/ext.cnf"
  openssl x509 -req -in "$root/server.csr" -CA "$root/ca.pem" -CAkey "$root/ca.key" \
    -CAcreateserial -days 20 -extfile "$root/ext.cnf" -out "$root/server.pem" >/dev/null 2>&1
  printf '<html><body><h1>Welcome to the test shop</h1></body></html>\n' >"$root/html/index.html"
  printf '{"status":"ok","version":"1.4.2"}\n' >"$root/html/health.json"
  head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$root/html/big.txt"
  chmod 644 "$root"/html/*
  local user_line=""
  [ "$(id -u)" = 0 ] && user_line="user root;"
  cat >"$root/nginx.conf" <<CONF
$user_line
worker_processes 1;
daemon on;
pid $root/nginx.pid;
error_log $root/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $root/tmp/body;
  proxy_temp_path $root/tmp/proxy;
  fastcgi_temp_path $root/tmp/fastcgi;
  uwsgi_temp_path $root/tmp/uwsgi;
  scgi_temp_path $root/tmp/scgi;
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
  nginx -c "$root/nginx.conf" -p "$root" -e "$root/logs/error.log"
  for _ in $(seq 1 50); do
    curl -fsS "http://127.0.0.1:$http_port/index.html" >/dev/null 2>&1 && break
    sleep 0.1
  done
  cat >>"$dir/env" <<ENV
export PROBER_TEST_NGINX_HTTP=127.0.0.1:$http_port
export PROBER_TEST_NGINX_HTTPS=127.0.0.1:$https_port
export PROBER_TEST_NGINX_CA=$root/ca.pem
ENV
}

stop_nginx() {
  local pidfile="$dir/nginx/nginx.pid"
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
}

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
