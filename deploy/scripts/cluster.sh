#!/usr/bin/env bash
# A local DataPlatform cluster in the cluster profile: PostgreSQL (membership, grain state, reminders),
# one standalone embedded Kafka with the five topics, and N silos, each serving the whole API and dashboard.
# For development and tests on one machine: everything listens on 127.0.0.1 only.
#
#   deploy/scripts/cluster.sh start N [--simulator] [--no-build]
#                                     build the silo (skipped with --no-build), start PostgreSQL (schema
#                                     applied), the embedded Kafka unless one already listens on its port,
#                                     and silos 1..N; returns when every silo answers /health. --simulator
#                                     runs the simulator in silo 1 (off otherwise)
#   deploy/scripts/cluster.sh kill I       kill silo I with SIGKILL (a crash)
#   deploy/scripts/cluster.sh start-silo I start silo I (again, on the same ports; a new I scales out)
#   deploy/scripts/cluster.sh stop-silo I  stop silo I gracefully (SIGTERM, wait; scales in)
#   deploy/scripts/cluster.sh restart      stop every silo gracefully and start them again (PostgreSQL and Kafka keep running)
#   deploy/scripts/cluster.sh stop         stop everything: silos, Kafka, PostgreSQL (its data directory stays)
#   deploy/scripts/cluster.sh status       what runs: pids, ports, each silo's /health
#
# Silo i (1-based) serves http://127.0.0.1:(DP_WEB_BASE+i) and listens on silo port DP_SILO_BASE+i and
# gateway port DP_GATEWAY_BASE+i. Logs and pid files live in the state directory: silo-I.log, silo-I.pid,
# kafka.log, kafka.pid; silo logs carry timestamps and say which Kafka partitions each silo takes and
# releases. Every command must see the same environment:
#   DP_CLUSTER_DIR   state directory (default ./data/cluster)
#   DP_WEB_BASE      default 5079: silo 1 serves web on 5080
#   DP_SILO_BASE     default 11110: silo 1 listens on 11111
#   DP_GATEWAY_BASE  default 29999: silo 1's gateway is 30000
#   DP_KAFKA_PORT    default 19092: the embedded Kafka's bootstrap port
#   DP_LAKE_ROOT     default ./data/lake: the lake all silos share
#   DP_PG_PORT, DP_PG_DATA, DP_PG_DATABASE  passed to postgres.sh (DP_PG_DATA defaults to DP_CLUSTER_DIR/pg)
#   DP_START_TIMEOUT seconds to wait for a silo's /health (default 120)
#   DP_SILO_ARGS     more settings for every silo, e.g. "--Lake:FlushInterval 00:00:05"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${DP_CLUSTER_DIR:-./data/cluster}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
web_base="${DP_WEB_BASE:-5079}"
silo_base="${DP_SILO_BASE:-11110}"
gateway_base="${DP_GATEWAY_BASE:-29999}"
kafka_port="${DP_KAFKA_PORT:-19092}"
lake="${DP_LAKE_ROOT:-./data/lake}"
mkdir -p "$lake"
lake="$(cd "$lake" && pwd)"
start_timeout="${DP_START_TIMEOUT:-120}"
export DP_PG_DATA="${DP_PG_DATA:-$dir/pg}"
postgres="$root/deploy/scripts/postgres.sh"
project="$root/silos/DataPlatform.Silo"
topics=(topic_app_events topic_clickstream topic_cdc_changes topic_users topic_external)
partitions=8
# Npgsql pools 100 connections per process and PostgreSQL allows 100 in all: a share for each silo. A silo
# opens two pools with this connection string (Orleans' ADO.NET providers, and the checkpoint store's own
# NpgsqlDataSource), so 2 x 12 each leaves room for four silos.
pool_size=12

usage() {
  echo "usage: $0 start N [--simulator] [--no-build] | kill I | start-silo I | stop-silo I | restart | stop | status" >&2
  exit 2
}

number() {
  [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || usage
}

# A process that has ended but was not reaped yet (a zombie) does not count. One read of its state: a
# killed silo can be reaped between two looks, and must not count as running because the second one failed.
alive() {
  local state
  [ -n "${1:-}" ] || return 1
  state="$(sed -n 's/^State:[[:space:]]*\([A-Za-z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)"
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

pid_of() {
  cat "$dir/$1.pid" 2>/dev/null || true
}

listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

web_port() { echo $((web_base + $1)); }
silo_port() { echo $((silo_base + $1)); }
gateway_port() { echo $((gateway_base + $1)); }

# Any HTTP answer from /health counts as up (503 means a check is unhealthy, not that the silo is down).
health_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$(web_port "$1")/health" || true
}

health_status() {
  curl -s --max-time 5 "http://127.0.0.1:$(web_port "$1")/health" | sed -n 's/^{"status":"\([a-z]*\)".*/\1/p' || true
}

# The directory the silo was built into (its TargetDir), found once by `start` and kept in the state directory.
silo_bin() {
  if [ ! -s "$dir/silo.bin" ]; then
    dotnet msbuild "$project" -nologo -getProperty:TargetDir >"$dir/silo.bin" 2>"$dir/build.log"
  fi
  cat "$dir/silo.bin"
}

# Runs a program in a session of its own (Ctrl+C in this terminal does not reach it), writing its pid.
launch() {
  local name="$1"
  shift
  rm -f "$dir/$name.pid"
  # A silo's log is appended to: started again, it keeps what the silo did before a kill. Kafka's starts
  # afresh, since the start waits for its ready line.
  case "$name" in
    silo-*) echo "=== $name started $(date -u '+%Y-%m-%d %H:%M:%S') ===" >>"$dir/$name.log" ;;
    *) : >"$dir/$name.log" ;;
  esac
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$dir/$name.pid" "$@" </dev/null >>"$dir/$name.log" 2>&1 &
  local waited=0
  while [ ! -s "$dir/$name.pid" ] && [ "$waited" -lt 50 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Waits up to $2 seconds for a process that was asked to stop; SIGKILL if it is still there.
await_exit() {
  local pid="$1" grace="$2"
  if ! wait_gone "$pid" "$grace"; then
    echo "pid $pid did not stop within ${grace} s: killed" >&2
    kill -KILL "$pid" 2>/dev/null || true
    # SIGKILL is delivered asynchronously: a start right after must not find the old process still there.
    wait_gone "$pid" 10 || true
  fi
}

# Waits up to $2 seconds for a process to be gone; fails when it is still there.
wait_gone() {
  local pid="$1" waited=0
  while alive "$pid" && [ "$waited" -lt $(($2 * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  ! alive "$pid"
}

start_kafka() {
  if alive "$(pid_of kafka)"; then
    return
  fi
  if listening "$kafka_port"; then
    echo "Kafka: something already listens on 127.0.0.1:$kafka_port, used as the cluster's Kafka"
    [ -s "$dir/kafka.source" ] || echo "kafka-127.0.0.1-$kafka_port" >"$dir/kafka.source"
    return
  fi
  local arguments=(--port "$kafka_port")
  for topic in "${topics[@]}"; do
    arguments+=(--topic "$topic:$partitions")
  done
  launch kafka dotnet "$(silo_bin)/DataPlatform.EmbeddedKafka.dll" "${arguments[@]}"
  local waited=0
  until grep -q "^Embedded Kafka ready" "$dir/kafka.log" 2>/dev/null; do
    if ! alive "$(pid_of kafka)" || [ "$waited" -ge 300 ]; then
      echo "The embedded Kafka did not start; $dir/kafka.log:" >&2
      tail -n 20 "$dir/kafka.log" >&2
      exit 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  # Its topics start empty: the lake's recorded Kafka positions (txn) must not mistake them for an earlier run's.
  echo "embedded-$(date -u +%Y%m%dT%H%M%SZ)-$$" >"$dir/kafka.source"
  echo "Kafka: embedded, 127.0.0.1:$kafka_port (pid $(pid_of kafka)), ${#topics[@]} topics x $partitions partitions"
}

stop_kafka() {
  local pid
  pid="$(pid_of kafka)"
  if alive "$pid"; then
    kill -TERM "$pid"
    await_exit "$pid" 10
  fi
  rm -f "$dir/kafka.pid" "$dir/kafka.source"
}

launch_silo() {
  local i="$1"
  if alive "$(pid_of "silo-$i")"; then
    echo "silo $i already runs (pid $(pid_of "silo-$i"))"
    return
  fi
  local simulator=false
  if [ "$i" -eq 1 ] && [ -f "$dir/simulator" ]; then
    simulator=true
  fi
  local extra=()
  read -r -a extra <<<"${DP_SILO_ARGS:-}"
  launch "silo-$i" dotnet "$(silo_bin)/DataPlatform.Silo.dll" \
    --Urls "http://127.0.0.1:$(web_port "$i")" \
    --Orleans:ClusterProvider AdoNet \
    --ConnectionStrings:Orleans "$("$postgres" url);Maximum Pool Size=$pool_size" \
    --Orleans:AdvertisedIPAddress 127.0.0.1 \
    --Orleans:SiloPort "$(silo_port "$i")" \
    --Orleans:GatewayPort "$(gateway_port "$i")" \
    --Kafka:BootstrapServers "127.0.0.1:$kafka_port" \
    --Simulator:Enabled "$simulator" \
    --Simulator:AllowExternalKafka "$simulator" \
    --Lake:Root "$lake" \
    --Lake:SourceId "$(cat "$dir/kafka.source")" \
    --Logging:Console:TimestampFormat "yyyy-MM-dd HH:mm:ss.fff " \
    --Logging:LogLevel:DataPlatform.Streaming.Kafka.Providers Information \
    "${extra[@]}"
}

# Waits until silo I answers /health; stops the script when its process ends first or the wait times out.
await_silo() {
  local i="$1" started=$SECONDS code
  while true; do
    code="$(health_code "$i")"
    if [ -n "$code" ] && [ "$code" != "000" ]; then
      echo "silo $i: http://127.0.0.1:$(web_port "$i")  /health $code $(health_status "$i")  (pid $(pid_of "silo-$i"), silo port $(silo_port "$i"), gateway $(gateway_port "$i"))"
      return
    fi
    if ! alive "$(pid_of "silo-$i")"; then
      echo "silo $i exited before answering /health; $dir/silo-$i.log:" >&2
      tail -n 30 "$dir/silo-$i.log" >&2
      exit 1
    fi
    if [ $((SECONDS - started)) -ge "$start_timeout" ]; then
      echo "silo $i did not answer /health within $start_timeout s; see $dir/silo-$i.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

# The silos of the cluster: every silo that has a pid file, running or killed.
members() {
  local file
  for file in "$dir"/silo-*.pid; do
    [ -e "$file" ] || continue
    file="${file##*/silo-}"
    echo "${file%.pid}"
  done | sort -n
}

stop_silos() {
  local i pids=()
  for i in "$@"; do
    local pid
    pid="$(pid_of "silo-$i")"
    alive "$pid" && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  done
  # They stop side by side; the host allows itself 20 s for a clean shutdown.
  for pid in "${pids[@]}"; do
    await_exit "$pid" 30
  done
}

# The build's output goes to a file: build servers it leaves running must not hold this script's output open.
build() {
  echo "Building the silo ..."
  if ! dotnet build "$project" -nologo -v quiet -clp:ErrorsOnly >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    exit 1
  fi
  rm -f "$dir/silo.bin"
}

start() {
  local count="${1:-}" build_first=true
  number "$count"
  shift
  rm -f "$dir/simulator"
  for option in "$@"; do
    case "$option" in
      --simulator) touch "$dir/simulator" ;;
      --no-build) build_first=false ;;
      *) usage ;;
    esac
  done
  command -v curl >/dev/null || { echo "cluster.sh needs curl" >&2; exit 1; }
  if $build_first; then
    build
  fi
  "$postgres" start
  start_kafka
  for i in $(seq 1 "$count"); do
    launch_silo "$i"
  done
  for i in $(seq 1 "$count"); do
    await_silo "$i"
  done
}

start_silo() {
  number "${1:-}"
  [ -s "$dir/kafka.source" ] || { echo "The cluster is not running: start it first ($0 start N)" >&2; exit 1; }
  launch_silo "$1"
  await_silo "$1"
}

kill_silo() {
  number "${1:-}"
  local pid
  pid="$(pid_of "silo-$1")"
  if ! alive "$pid"; then
    echo "silo $1 is not running" >&2
    exit 1
  fi
  kill -KILL "$pid"
  await_exit "$pid" 10
  echo "silo $1 (pid $pid) killed"
}

stop_silo() {
  number "${1:-}"
  [ -e "$dir/silo-$1.pid" ] || { echo "silo $1 is not a member of the cluster" >&2; exit 1; }
  stop_silos "$1"
  rm -f "$dir/silo-$1.pid"
  echo "silo $1 stopped and left the cluster"
}

restart() {
  local silos
  mapfile -t silos < <(members)
  [ "${#silos[@]}" -gt 0 ] || { echo "No silo to restart: start the cluster first ($0 start N)" >&2; exit 1; }
  stop_silos "${silos[@]}"
  echo "stopped silo(s) ${silos[*]}"
  for i in "${silos[@]}"; do
    launch_silo "$i"
  done
  for i in "${silos[@]}"; do
    await_silo "$i"
  done
}

stop() {
  local silos
  mapfile -t silos < <(members)
  stop_silos "${silos[@]}"
  for i in "${silos[@]}"; do
    rm -f "$dir/silo-$i.pid"
  done
  stop_kafka
  "$postgres" stop
  rm -f "$dir/simulator"
  echo "stopped"
}

status() {
  if listening "${DP_PG_PORT:-55432}"; then
    echo "postgresql  127.0.0.1:${DP_PG_PORT:-55432}  running  (data $DP_PG_DATA)"
  else
    echo "postgresql  127.0.0.1:${DP_PG_PORT:-55432}  not running"
  fi
  local pid
  pid="$(pid_of kafka)"
  if alive "$pid"; then
    echo "kafka       127.0.0.1:$kafka_port  running  pid $pid"
  elif listening "$kafka_port"; then
    echo "kafka       127.0.0.1:$kafka_port  running  (not started by this script)"
  else
    echo "kafka       127.0.0.1:$kafka_port  not running"
  fi
  for i in $(members); do
    pid="$(pid_of "silo-$i")"
    local state="not running"
    if alive "$pid"; then
      local code
      code="$(health_code "$i")"
      state="running  pid $pid  /health ${code/#000/no answer} $(health_status "$i")"
    fi
    echo "silo $i      http://127.0.0.1:$(web_port "$i")  silo port $(silo_port "$i")  gateway $(gateway_port "$i")  $state"
  done
}

verb="${1:-}"
[ $# -gt 0 ] && shift
case "$verb" in
  start) start "$@" ;;
  kill) kill_silo "$@" ;;
  start-silo) start_silo "$@" ;;
  stop-silo) stop_silo "$@" ;;
  restart) restart ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
