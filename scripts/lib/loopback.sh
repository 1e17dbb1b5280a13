# shellcheck shell=bash
# Pieces shared by the scripts that start throwaway servers on loopback (test-services.sh,
# demo.sh, bench-lib.sh): free ports and nginx. Sourced, not run.

# free_port [TAKEN...]: a loopback TCP port nobody listens on and not one of TAKEN (ports
# handed out before but not bound yet: two calls in a row could otherwise return the same).
free_port() {
  local port taken=" $* "
  for _ in $(seq 1 500); do
    port=$(( (RANDOM % 20000) + 20000 ))
    case "$taken" in *" $port "*) continue ;; esac
    if ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port" >&2
  return 1
}

# nginx_make_cert DIR CA_NAME: a CA (DIR/ca.pem, DIR/ca.key) and a server certificate for
# 127.0.0.1 and localhost signed by it (DIR/server.pem, DIR/server.key). Clients trust the
# CA through tls.ca_file / --cacert, never the system store.
nginx_make_cert() {
  local dir=$1 ca_name=$2
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=$ca_name" -keyout "$dir/ca.key" -out "$dir/ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$dir/ext.cnf"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 20 -extfile "$dir/ext.cnf" -out "$dir/server.pem" >/dev/null 2>&1
  chmod 644 "$dir/ca.pem"
}

# nginx_conf_prelude ROOT WORKER_CONNECTIONS [MAIN_LINES]: an nginx.conf up to and including
# the `http {` line: one worker, pid and error log under ROOT, access log off and every temp
# path under ROOT/tmp (nginx would otherwise write to /var/lib/nginx). The caller appends its
# types and servers and closes the block.
nginx_conf_prelude() {
  local root=$1 connections=$2 main_lines=${3:-}
  mkdir -p "$root/tmp" "$root/logs"
  # Workers run as root when we are root: the document root is in a private temp dir.
  [ "$(id -u)" = 0 ] && echo "user root;"
  [ -n "$main_lines" ] && echo "$main_lines"
  cat <<CONF
worker_processes 1;
pid $root/nginx.pid;
error_log $root/logs/error.log warn;
events { worker_connections $connections; }
http {
  access_log off;
  client_body_temp_path $root/tmp/body;
  proxy_temp_path $root/tmp/proxy;
  fastcgi_temp_path $root/tmp/fastcgi;
  uwsgi_temp_path $root/tmp/uwsgi;
  scgi_temp_path $root/tmp/scgi;
CONF
}

# nginx_start ROOT starts nginx with ROOT/nginx.conf; nginx_reload ROOT and nginx_stop ROOT.
nginx_start() { nginx -c "$1/nginx.conf" -p "$1" -e "$1/logs/error.log"; }
nginx_reload() { nginx -c "$1/nginx.conf" -p "$1" -e "$1/logs/error.log" -s reload; }
nginx_stop() {
  if [ -f "$1/nginx.pid" ]; then kill "$(cat "$1/nginx.pid")" 2>/dev/null || true; fi
}

# nginx_wait_up URL: succeeds once URL answers 2xx (5 s at most); prints the error log if not.
nginx_wait_up() {
  local url=$1 root=$2
  for _ in $(seq 1 50); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "nginx did not come up at $url" >&2
  cat "$root/logs/error.log" >&2 2>/dev/null || true
  return 1
}
