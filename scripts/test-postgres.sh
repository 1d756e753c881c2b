#!/bin/sh
# A throwaway PostgreSQL cluster for the hub's tests and benchmark, in a folder of the caller.
#   sh scripts/test-postgres.sh start DIR   initdb + start on a free loopback port; prints the URL
#   sh scripts/test-postgres.sh stop DIR    stops it (the caller removes DIR)
# initdb refuses to run as root: as root (CI), the cluster runs as the unprivileged user
# "cwtest", created here if missing, in its own mktemp folder (DIR's parents may be closed to
# that user) whose path is kept in DIR/cluster and which stop removes. PG_DURABLE=1 keeps fsync on (the benchmark); tests turn it
# off, since the cluster dies with the test anyway.
set -eu
cmd=${1:?usage: test-postgres.sh start|stop DIR}
dir=${2:?usage: test-postgres.sh start|stop DIR}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "test-postgres: PostgreSQL server not installed (scripts/install-deps.sh)" >&2; exit 1; }

RUN=""
if [ "$(id -u)" -eq 0 ]; then
  id cwtest >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin cwtest
  RUN="runuser -u cwtest --"
fi

case "$cmd" in
start)
  mkdir -p "$dir"
  pg="$dir"
  if [ -n "$RUN" ]; then
    pg=$(mktemp -d "${TMPDIR:-/tmp}/cw-pg.XXXXXX")
    chmod 711 "$pg"
    chown cwtest "$pg"
  fi
  echo "$pg" >"$dir/cluster"
  $RUN mkdir -p "$pg/sock"
  $RUN "$PGBIN/initdb" -D "$pg/data" -U cw --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${PG_DURABLE:-0}" = 1 ] && fast=""
  tries=0
  while :; do
    port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
    if $RUN "$PGBIN/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" -w -t 30 \
        -o "-p $port -k $pg/sock -c listen_addresses=127.0.0.1 $fast ${PG_EXTRA:-}" start >/dev/null 2>&1; then
      break
    fi
    tries=$((tries + 1))  # most likely the port was taken: try another
    [ "$tries" -lt 10 ] || { cat "$pg/postgres.log" >&2; exit 1; }
  done
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 || { cat "$pg/postgres.log" >&2; exit 1; }
  $RUN "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U cw cw
  echo "$port" >"$dir/port"
  echo "postgresql://cw@127.0.0.1:$port/cw"
  ;;
stop)
  [ -f "$dir/cluster" ] || exit 0
  pg=$(cat "$dir/cluster")
  [ -d "$pg/data" ] && $RUN "$PGBIN/pg_ctl" -D "$pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  [ "$pg" = "$dir" ] || rm -rf "$pg"
  rm -f "$dir/cluster"
  ;;
*)
  echo "usage: test-postgres.sh start|stop DIR" >&2
  exit 2
  ;;
esac
