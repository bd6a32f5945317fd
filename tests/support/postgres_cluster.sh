#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster with PostGIS for the tests.
#
#   postgres_cluster.sh start [DIR]   initdb into DIR/data and start it; without
#                                     DIR, a new folder from mktemp under /tmp
#   postgres_cluster.sh stop DIR      stop it and remove DIR
#
# The server listens on a Unix socket in DIR only (no TCP), trusts local
# connections, has the superuser `lantern`, the database `lantern` with the
# postgis extension and the login role `lantern_reader` with no rights of its
# own (a test grants it what it reads). It is made fast and small for tests:
# no fsync, small buffers, 200 connections for tests run in parallel.
# `start` prints the base URI, postgresql:///lantern?host=DIR&user=lantern.
#
# PostgreSQL refuses to run as root: as root the server runs as the
# `postgres` system user, so DIR must be a folder that user can reach (one
# under /tmp). A DIR left by a run that was killed is stopped and removed
# first. Debian's own `main` cluster, if any, is neither used nor touched.
set -euo pipefail

bin=${LANTERN_PG_BIN:-/usr/lib/postgresql/15/bin}

usage() {
  echo "usage: $0 start [DIR] | stop DIR" >&2
  exit 2
}

# Runs a command as the user the server runs as.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Stops the server of DIR if one runs (immediately or fast) and removes DIR.
stop_and_remove() {
  local dir=$1 mode=$2
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server_user "$bin/pg_ctl" -D "$dir/data" stop -m "$mode" -w >/dev/null 2>&1 ||
      as_server_user "$bin/pg_ctl" -D "$dir/data" stop -m immediate -w >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

start() {
  local dir
  if [ $# -ge 1 ]; then
    dir=$1
    stop_and_remove "$dir" immediate
    mkdir -p "$dir"
  else
    dir=$(mktemp -d /tmp/lantern-pg-XXXXXX)
  fi
  dir=$(cd "$dir" && pwd)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"

  if ! as_server_user "$bin/initdb" -D "$dir/data" -U lantern --auth-local=trust \
    --auth-host=reject -E UTF8 --locale=C.UTF-8 --no-instructions >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    exit 1
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF

# Throwaway test cluster (tests/support/postgres_cluster.sh)
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 32MB
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 256MB
log_min_messages = warning
EOF
  if ! as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    cat "$dir/server.log" >&2
    exit 1
  fi

  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U lantern)
  "${psql[@]}" -d postgres -c 'CREATE DATABASE lantern'
  "${psql[@]}" -d lantern <<'EOF'
CREATE EXTENSION postgis;
CREATE ROLE lantern_reader LOGIN;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
EOF
  echo "postgresql:///lantern?host=$dir&user=lantern"
}

case "${1:-}" in
  start)
    [ $# -le 2 ] || usage
    shift
    start "$@"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    stop_and_remove "$2" fast
    ;;
  *) usage ;;
esac
