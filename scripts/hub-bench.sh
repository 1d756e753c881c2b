#!/bin/sh
# make bench, community hub part: a durable PostgreSQL cluster of its own (fsync on), a
# throwaway certificate, then cw_hub_bench (bench/hub/hub_bench.cc). Usage: hub-bench.sh BUILD
# Environment: HUB_BENCH_ARGS = "households days ingested publish_days" (default 10000 365 2000 30).
set -eu
BUILD=${1:?usage: hub-bench.sh BUILD}
HERE=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cw_hub_bench.XXXXXX")
cleanup() {
  sh "$HERE/scripts/test-postgres.sh" stop "$TMP/pg" || true
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
URL=$(PG_DURABLE=1 PG_EXTRA="-c shared_buffers=512MB -c max_wal_size=4GB" sh "$HERE/scripts/test-postgres.sh" start "$TMP/pg")
sh "$HERE/scripts/test-tls.sh" "$TMP/tls"
# shellcheck disable=SC2086
"$BUILD/cw_hub_bench" "$URL" "$TMP/tls/hub.pem" "$TMP/tls/hub.key" "$TMP/tls/ca.pem" ${HUB_BENCH_ARGS:-}
