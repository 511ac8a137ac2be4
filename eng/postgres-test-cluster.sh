#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: never for data you want to keep.
#
#   eng/postgres-test-cluster.sh -- <command> [args...]
#       Starts a cluster, runs the command with CRMKERNEL_POSTGRES set to its connection string, stops the cluster and
#       deletes its files however the command ends, and exits with the command's exit code.
#   eng/postgres-test-cluster.sh start
#       Starts a cluster and prints two lines: the connection string, then the directory that holds the cluster. Use
#       `eval "$(eng/postgres-test-cluster.sh start --export)"` to get CRMKERNEL_POSTGRES and CRMKERNEL_POSTGRES_DIR set.
#   eng/postgres-test-cluster.sh stop <directory>
#       Stops the cluster started in <directory> and deletes it.
#
# The cluster listens on 127.0.0.1 on a free port, keeps its data and socket in a new temporary directory and runs
# with fsync, synchronous_commit and full_page_writes off: fast, and lost on a crash, which is fine for tests only.
# initdb refuses to run as root, so as root the cluster runs as the unprivileged user `postgres` (created if missing).
# When initdb or pg_ctl is missing, PostgreSQL is installed with apt-get.
set -euo pipefail

die() { echo "postgres-test-cluster: $*" >&2; exit 1; }

find_bin_dir() {
  local candidate
  for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
      echo "$candidate"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

ensure_postgres() {
  local bin
  if bin=$(find_bin_dir); then
    echo "$bin"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "initdb and pg_ctl are missing and apt-get is not available to install PostgreSQL"
  echo "postgres-test-cluster: installing PostgreSQL with apt-get" >&2
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 || die "apt-get install postgresql failed"
  else
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 || die "apt-get install postgresql failed"
  fi
  bin=$(find_bin_dir) || die "PostgreSQL was installed but initdb/pg_ctl were not found"
  echo "$bin"
}

free_port() {
  # Asks the kernel for a free port on the loopback address (python3 is in every Debian image this runs on; bash's
  # /dev/tcp probing is the fallback).
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for port in $(seq 54320 54999); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

# Runs a command as the cluster's owner: the current user, or `postgres` when running as root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_cluster() {
  local bin dir port log
  bin=$(ensure_postgres)
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres 2>/dev/null \
      || useradd -r -M -s /bin/false postgres \
      || die "could not create the unprivileged user 'postgres' to run initdb"
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/crmkernel-pg.XXXXXX")
  chmod 755 "$dir"
  mkdir -p "$dir/data" "$dir/socket"
  [ "$(id -u)" -ne 0 ] || chown -R postgres "$dir"
  log="$dir/server.log"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
  local attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $dir/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB" \
        start >/dev/null 2>&1; then
      echo "$port" > "$dir/port"
      echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      echo "$dir"
      return 0
    fi
  done
  tail -n 20 "$log" >&2 || true
  rm -rf "$dir"
  die "the server did not start"
}

stop_cluster() {
  local dir=$1 bin
  [ -n "$dir" ] && [ -d "$dir/data" ] || die "stop: $dir is not a cluster directory made by this script"
  bin=$(find_bin_dir) || die "pg_ctl not found"
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start)
    out=$(start_cluster)
    cs=$(sed -n 1p <<<"$out")
    dir=$(sed -n 2p <<<"$out")
    if [ "${2:-}" = "--export" ]; then
      printf 'export CRMKERNEL_POSTGRES=%q CRMKERNEL_POSTGRES_DIR=%q\n' "$cs" "$dir"
    else
      printf '%s\n%s\n' "$cs" "$dir"
    fi
    ;;
  stop)
    stop_cluster "${2:-}"
    ;;
  --)
    shift
    [ $# -gt 0 ] || die "usage: $0 -- <command> [args...]"
    out=$(start_cluster)
    cs=$(sed -n 1p <<<"$out")
    dir=$(sed -n 2p <<<"$out")
    trap 'stop_cluster "$dir"' EXIT
    trap 'exit 130' INT TERM
    set +e
    CRMKERNEL_POSTGRES="$cs" "$@"
    status=$?
    set -e
    exit "$status"
    ;;
  *)
    echo "usage: $0 start [--export] | stop <directory> | -- <command> [args...]" >&2
    exit 2
    ;;
esac
