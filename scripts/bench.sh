#!/bin/sh
# make bench: the storage benchmark (cw_bench, one table per dataset), then the memory of a
# running base: `citizenwatt serve` with 10 paired sensors sending at 1 Hz for RSS_SECONDS.
# Usage: sh scripts/bench.sh BUILD_DIR   (the Makefile builds cw_bench and citizenwatt first)
# Environment: RSS_SECONDS (default 60), SENSORS (default 10), BENCH_ARGS (passed to cw_bench).
set -eu

BUILD=${1:?usage: sh scripts/bench.sh BUILD_DIR}
RSS_SECONDS=${RSS_SECONDS:-60}
SENSORS=${SENSORS:-10}
CW="$BUILD/citizenwatt"
[ -x "$BUILD/cw_bench" ] || { echo "bench: $BUILD/cw_bench missing (configure with -DCW_BUILD_BENCH=ON)" >&2; exit 1; }
[ -x "$CW" ] || { echo "bench: $CW missing" >&2; exit 1; }

# shellcheck disable=SC2086  # BENCH_ARGS is a list of words
"$BUILD/cw_bench" ${BENCH_ARGS:-}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cw_bench_rss.XXXXXX")
SERVE_PID=""
SIM_PIDS=""
cleanup() {
  for p in $SIM_PIDS; do kill "$p" 2>/dev/null || true; done
  if [ -n "$SERVE_PID" ]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

i=1
while [ "$i" -le "$SENSORS" ]; do
  "$CW" sensor add "bench-$i" --data "$TMP" >/dev/null
  i=$((i + 1))
done

"$CW" serve --data "$TMP" --listen 127.0.0.1:0 --source udp://127.0.0.1:0 >"$TMP/serve.log" 2>&1 &
SERVE_PID=$!
PORT=""
tries=0
while [ -z "$PORT" ] && [ "$tries" -lt 100 ]; do  # up to 10 s for the base to listen
  PORT=$(sed -n 's/.*listening for frames on udp:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$TMP/serve.log" | head -n 1)
  kill -0 "$SERVE_PID" 2>/dev/null || { cat "$TMP/serve.log" >&2; echo "bench: serve exited" >&2; exit 1; }
  [ -n "$PORT" ] || sleep 0.1
  tries=$((tries + 1))
done
[ -n "$PORT" ] || { cat "$TMP/serve.log" >&2; echo "bench: serve did not listen" >&2; exit 1; }

status_kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$SERVE_PID/status"; }
RSS_IDLE=$(status_kb VmRSS)

# The household sends every 10 s of its time; speed 10 makes that one frame a second.
i=1
while [ "$i" -le "$SENSORS" ]; do
  "$CW" simulate --data "$TMP" --sensor "$i" --target "udp://127.0.0.1:$PORT" --speed 10 \
    --duration "$RSS_SECONDS" >"$TMP/sim-$i.log" 2>&1 &
  SIM_PIDS="$SIM_PIDS $!"
  i=$((i + 1))
done
for p in $SIM_PIDS; do wait "$p" || true; done
SIM_PIDS=""
sleep 1  # one flush interval (250 ms) and then some, for the last frames to be committed
RSS=$(status_kb VmRSS)
HWM=$(status_kb VmHWM)
FRAMES=0
for f in "$TMP"/sim-*.log; do
  n=$(sed -n 's/^simulate: \([0-9]*\) frames sent.*/\1/p' "$f")
  FRAMES=$((FRAMES + ${n:-0}))
done
kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || true
SERVE_PID=""
COMMITTED=$(sed -n 's/.*stopped cleanly; \([0-9]*\) samples committed.*/\1/p' "$TMP/serve.log")

echo "### citizenwatt serve memory, $SENSORS sensors at 1 Hz for $RSS_SECONDS s"
echo
echo "| frames sent | samples committed | VmRSS idle | VmRSS after | VmHWM (peak) | target |"
echo "|---:|---:|---:|---:|---:|---|"
echo "| $FRAMES | ${COMMITTED:-?} | $((RSS_IDLE / 1024)) MB | $((RSS / 1024)) MB | $((HWM / 1024)) MB | VmHWM <= 40 MB: $([ "$HWM" -le 40960 ] && echo met || echo NOT met) |"
echo
