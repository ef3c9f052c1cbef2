#!/usr/bin/env bash
# Runs a libFuzzer target of bench/fuzz for SECONDS (TARGET "all": every
# target, SECONDS each), after building the fuzz preset (clang, ASan + UBSan).
#
#   bench/fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#   bench/fuzz/run.sh all 15
#
# Each target starts from its committed seeds (seeds/TARGET: text-format
# requests, encoded here with protoc; raw files as they are) plus what
# earlier runs found (build-fuzz/corpus/TARGET). A crash, leak, timeout
# (10 s per input) or memory blow-up (2 GiB) stops the run, leaves the input
# in build-fuzz/crashes/ and makes this script exit non-zero. Prints each
# target's executions, executions per second and coverage.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
if (($# < 2)); then
  echo "usage: bench/fuzz/run.sh TARGET|all SECONDS [libFuzzer flags...]" >&2
  exit 2
fi
target=$1
seconds=$2
shift 2

# The request type each target parses its input as (none: raw bytes).
declare -A MESSAGE=(
  [generate_plan_fuzz]=horizonscale.v1.GeneratePlanRequest
  [evaluate_queue_fuzz]=horizonscale.v1.EvaluateQueueRequest
  [simulate_fuzz]=horizonscale.v1.SimulateRequest
  [get_forecasts_fuzz]=horizonscale.v1.GetForecastsRequest
  [run_competition_fuzz]=horizonscale.v1.RunCompetitionRequest
  [ingest_rows_fuzz]=horizonscale.v1.IngestTelemetryRequest
  [page_token_fuzz]=
  [text_checks_fuzz]=
  [access_file_fuzz]=
)
if [[ $target == all ]]; then
  targets=(generate_plan_fuzz evaluate_queue_fuzz simulate_fuzz get_forecasts_fuzz
    run_competition_fuzz ingest_rows_fuzz page_token_fuzz text_checks_fuzz access_file_fuzz)
elif [[ -v MESSAGE[$target] ]]; then
  targets=("$target")
else
  echo "run.sh: unknown target $target (one of: ${!MESSAGE[*]}, all)" >&2
  exit 2
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" --target "${targets[@]}" >/dev/null

protos=(-I proto -I node_modules/google-proto-files)
mkdir -p build-fuzz/crashes
for name in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$name
  mkdir -p "$corpus"
  for seed in bench/fuzz/seeds/"$name"/*; do
    if [[ $seed == *.txtpb ]]; then
      protoc "${protos[@]}" --encode="${MESSAGE[$name]}" proto/horizonscale/v1/*.proto \
        <"$seed" >"$corpus/seed-$(basename "$seed" .txtpb)"
    else
      cp "$seed" "$corpus/seed-$(basename "$seed")"
    fi
  done
  echo "== fuzz $name (at most ${seconds}s) $*"
  log=build-fuzz/crashes/$name.log
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    build-fuzz/bench/fuzz/"$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix=build-fuzz/crashes/"$name"- "$@" \
    "$corpus" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz $name: FAILED (input and log in build-fuzz/crashes/)" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" |
    tr '\n' ' '
  grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1
done
