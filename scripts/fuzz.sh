#!/bin/sh
# Builds every libFuzzer target (fuzz/*_fuzz.cc) with clang and runs each for SECONDS seconds,
# starting from its seed corpus in fuzz/corpus/<target>/. A crash fails the run and leaves the
# crashing input in BUILD/fuzz-artifacts/.
set -eu
BUILD=${1:-build-fuzz}
SECONDS_EACH=${2:-20}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCW_FUZZ=ON -DCW_BUILD_TESTS=OFF -DCW_BUILD_BENCH=OFF >/dev/null
targets=$(ls fuzz/*_fuzz.cc 2>/dev/null | xargs -n1 basename | sed 's/\.cc$//')
[ -n "$targets" ] || { echo "fuzz: no targets"; exit 0; }
# shellcheck disable=SC2086
cmake --build "$BUILD" -j 2 --target $targets
mkdir -p "$BUILD/fuzz-artifacts"
passed=0
failed=0
for t in $targets; do
  work="$BUILD/fuzz-corpus/$t"
  mkdir -p "$work"
  if [ -d "fuzz/corpus/$t" ]; then cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true; fi
  echo "fuzz: $t for ${SECONDS_EACH}s"
  if "$BUILD/$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
      -artifact_prefix="$BUILD/fuzz-artifacts/$t-" "$work" >"$BUILD/$t.log" 2>&1; then
    passed=$((passed + 1))
    grep -E "stat::number_of_executed_units" "$BUILD/$t.log" | sed "s/^/fuzz: $t /"
  else
    failed=$((failed + 1))
    tail -40 "$BUILD/$t.log"
    echo "fuzz: $t FAILED (artifacts in $BUILD/fuzz-artifacts)"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
