# shellcheck shell=bash disable=SC2034
# Shared helpers of scripts/bench-http.sh and scripts/bench-scale.sh (sourced, not run).
# Everything lives in one temp dir ($BENCH_DIR); bench_cleanup (an EXIT trap) stops every
# process the benchmark started and removes the dir (BENCH_KEEP=1 keeps it for a look).

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/loopback.sh
. "$BENCH_ROOT/scripts/lib/loopback.sh"
BENCH_PIDS=()

bench_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

bench_init() {  # $1 = name: creates $BENCH_DIR and installs the cleanup trap
  BENCH_DIR=$(mktemp -d "/tmp/prober-$1.XXXXXX")
  chmod 755 "$BENCH_DIR"
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_cleanup() {
  local rc=$?
  set +e
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  [ -n "${BENCH_DIR:-}" ] && nginx_stop "$BENCH_DIR/nginx"
  sleep 0.2
  for pid in "${BENCH_PIDS[@]}"; do
    kill -9 "$pid" 2>/dev/null
  done
  if [ -n "${BENCH_DIR:-}" ]; then
    if [ "${BENCH_KEEP:-0}" = 1 ]; then
      bench_log "kept $BENCH_DIR"
    else
      rm -rf "$BENCH_DIR"
    fi
  fi
  return $rc
}

bench_track() { BENCH_PIDS+=("$1"); }  # a pid to kill on exit
bench_untrack() {
  local keep=() p
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  BENCH_PIDS=("${keep[@]}")
}

bench_build() {  # install deps and build the release binary (BENCH_SKIP_BUILD=1 skips;
  # PROBER=/path/to/prober measures another binary, e.g. a copy of an earlier build)
  if [ -n "${PROBER:-}" ]; then
    [ -x "$PROBER" ] || { echo "no $PROBER" >&2; exit 1; }
    return 0
  fi
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    "$BENCH_ROOT/scripts/install-deps.sh" >&2
    bench_log "building prober (release)"
    (cd "$BENCH_ROOT" && cmake --preset release >/dev/null &&
      cmake --build --preset release --target prober >&2)
  fi
  PROBER="$BENCH_ROOT/build/release/prober"
  [ -x "$PROBER" ] || { echo "no $PROBER" >&2; exit 1; }
}

# nginx, one worker, on loopback: HTTP and HTTPS (no session cache, no tickets: every
# handshake is a full one) serving a small static page, and stub_status on a third port (to
# count the requests the target really served). Sets NGINX_HTTP, NGINX_HTTPS, NGINX_STATUS
# (host:port) and BENCH_CA (the CA that signed the server certificate for 127.0.0.1).
bench_start_nginx() {
  local root="$BENCH_DIR/nginx"
  mkdir -p "$root/html"
  chmod 755 "$root" "$root/html"
  local http_port https_port status_port
  http_port=$(free_port)
  https_port=$(free_port "$http_port")
  status_port=$(free_port "$http_port" "$https_port")
  nginx_make_cert "$root" "prober bench CA"
  printf '<html><body><h1>Welcome to the bench shop</h1><p>%s</p></body></html>\n' \
    "a small static page for availability checks" >"$root/html/index.html"
  chmod 644 "$root"/html/*
  {
    nginx_conf_prelude "$root" 16384 "worker_rlimit_nofile 65536;"
    cat <<CONF
  types { text/html html; }
  ssl_session_cache off;
  ssl_session_tickets off;
  server {
    listen 127.0.0.1:$http_port backlog=4096;
    listen 127.0.0.1:$https_port ssl backlog=4096;
    ssl_certificate $root/server.pem;
    ssl_certificate_key $root/server.key;
    root $root/html;
  }
  server {
    listen 127.0.0.1:$status_port;
    location = /status { stub_status; }
  }
}
CONF
  } >"$root/nginx.conf"
  nginx_start "$root"
  nginx_wait_up "http://127.0.0.1:$http_port/index.html" "$root" || exit 1
  curl -fsS --cacert "$root/ca.pem" "https://127.0.0.1:$https_port/index.html" >/dev/null
  NGINX_HTTP=127.0.0.1:$http_port
  NGINX_HTTPS=127.0.0.1:$https_port
  NGINX_STATUS=127.0.0.1:$status_port
  BENCH_CA=$root/ca.pem
}

bench_nginx_requests() {  # requests nginx has served so far (stub_status)
  curl -fsS "http://$NGINX_STATUS/status" | awk 'NR == 3 {print $3}'
}

bench_proc_cpu() {  # utime+stime in seconds of a live process, all its threads
  awk -v hz="$(getconf CLK_TCK)" '{
    sub(/^.*\) /, "");  # drop "pid (comm) ": fields now start at state (field 3)
    split($0, f, " ");
    printf "%.2f\n", (f[12] + f[13]) / hz
  }' "/proc/$1/stat"
}

bench_machine_busy() {  # machine-wide busy share (0-100) over $1 seconds
  local ticks
  ticks=$(bench_cpu_ticks)
  sleep "$1"
  bench_busy_since "$ticks"
}

bench_cpu_ticks() {  # machine busy and total jiffies now: "busy total"
  awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat
}

bench_busy_since() {  # $1 = "busy total" from bench_cpu_ticks: busy % since then
  local b
  b=$(bench_cpu_ticks)
  awk -v a="$1" -v b="$b" 'BEGIN{split(a,x," "); split(b,y," ");
    d=y[2]-x[2]; if (d <= 0) d = 1; printf "%.0f\n", 100*(y[1]-x[1])/d}'
}

# Waits (at most QUIET_WAIT s; the scripts default it to 120 for D >= 60, else 0 = no wait)
# until the machine is quiet: busy < QUIET_BUSY % (default 20) over 3 s. The machine is
# shared; this only avoids starting a measurement in the middle of someone's compile.
bench_wait_quiet() {
  local limit=${QUIET_WAIT:-120} busy_max=${QUIET_BUSY:-20} waited=0 busy
  [ "$limit" -gt 0 ] || return 0
  while :; do
    busy=$(bench_machine_busy 3)
    if [ "$busy" -lt "$busy_max" ]; then return 0; fi
    if [ "$waited" -ge "$limit" ]; then
      bench_log "machine still ${busy}% busy after ${waited}s; measuring anyway"
      return 0
    fi
    [ "$waited" = 0 ] && bench_log "machine ${busy}% busy (others); waiting up to ${limit}s"
    waited=$((waited + 3))
  done
}

bench_median() {  # median of the numbers given as arguments
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR+1)/2]; else printf "%g\n", (v[NR/2] + v[NR/2+1]) / 2 }'
}
bench_min() { printf '%s\n' "$@" | sort -g | head -n1; }
bench_max() { printf '%s\n' "$@" | sort -g | tail -n1; }

# Reads a field of prober's "stopped:" line: bench_stopped_field LOG stored
bench_stopped_field() {
  grep -o "stopped: .*" "$1" | tail -n1 | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'
}

bench_machine() {
  printf 'nproc=%s cpu="%s" kernel=%s mem=%s\n' "$(nproc)" \
    "$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)" "$(uname -r)" \
    "$(awk '/^MemTotal/{printf "%.0fGiB", $2/1048576}' /proc/meminfo)"
}

# Where the time goes: reads `perf record --call-graph dwarf` data ($1) and prints the share
# of samples per category (the first rule matching a sample's call chain wins).
bench_perf_categories() {
  perf script -i "$1" -F tid,ip,sym,dso 2>/dev/null | python3 -c '
import collections, re, sys
def has(st, *subs):
    return any(s in f for f in st for s in subs)
rules = [
  ("SQLite writer thread (inserts, commits, WAL, its wake-ups)", lambda st: has(st, "write_loop", "sqlite3_")),
  ("OpenSSL: certificate decoding (d2i, OSSL_DECODER)", lambda st: has(st, "ASN1_item_d2i", "OSSL_DECODER", "d2i_")),
  ("OpenSSL: chain verification (X509_verify_cert)", lambda st: has(st, "X509_verify_cert")),
  ("OpenSSL: key share generation (EVP_PKEY_generate)", lambda st: has(st, "EVP_PKEY_generate")),
  ("OpenSSL: rest of the handshake (signature checks, key schedule, records)",
   lambda st: has(st, "ssl::detail::engine::perform", "SSL_do_handshake")),
  ("OpenSSL: SSL object create/free", lambda st: has(st, "SSL_new", "SSL_free", "engine::engine", "engine::~engine")),
  ("kernel: connect (loopback SYN/SYN-ACK, both ends)", lambda st: has(st, "sys_connect")),
  ("kernel: close (FIN, teardown)", lambda st: has(st, "__x64_sys_close")),
  ("kernel: socket()", lambda st: has(st, "sys_socket")),
  ("kernel: send/recv", lambda st: has(st, "sys_sendmsg", "sys_sendto", "sys_recvfrom", "sys_recvmsg", "sys_read", "sys_write")),
  ("kernel: epoll_wait", lambda st: has(st, "do_epoll_wait")),
  ("kernel: timerfd_settime", lambda st: has(st, "timerfd_settime")),
  ("kernel: epoll_ctl", lambda st: has(st, "sys_epoll_ctl")),
  ("kernel: futex", lambda st: has(st, "sys_futex")),
  ("kernel: setsockopt/getsockopt/ioctl/poll", lambda st: has(st, "sys_setsockopt", "sys_getsockopt", "sys_ioctl", "sys_poll", "sys_fcntl")),
  ("kernel: other (scheduling, faults, ...)", lambda st: has(st, "[k]")),
  ("Beast: HTTP serialize/parse, header copies", lambda st: has(st[:6], "basic_parser", "serializer", "basic_fields", "string_to_field")),
  ("malloc/free", lambda st: st[0] in ("malloc", "_int_malloc", "_int_free", "cfree@GLIBC_2.2.5", "free", "malloc_consolidate", "unlink_chunk.constprop.0")),
  ("engine: tick, finish_run, planner, sinks", lambda st: has(st[:8], "Engine::Impl", "Planner", "TransitionLogSink", "SqliteStore::append", "ChangeTracker")),
  ("Asio coroutines, parallel_group, check code (rest)", lambda st: True),
]
counts, total, stack = collections.Counter(), 0, []
def flush():
    global total
    if stack:
        total += 1
        counts[next(n for n, r in rules if r(stack))] += 1
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line.strip() or line[0] not in " \t":
        flush(); stack = []; continue
    m = re.match(r"\s+[0-9a-f]+\s+(.*?)\s+\((.*)\)$", line)
    if m:
        sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
        stack.append(("[k]" + sym) if "kernel" in m.group(2) else sym)
flush()
for name, n in counts.most_common():
    print(f"{100 * n / max(total, 1):5.1f}%  {name}")
print(f"({total} samples)")
'
}
