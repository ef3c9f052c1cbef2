#!/usr/bin/env bash
# The forecasting development set: our models (forecast::Forecast, one call
# per model kind and `auto`) against R's forecast package (ets, thetaf,
# auto.arima, snaive) on the same train/test splits, scored the same way
# (sMAPE, MASE, 80 % interval coverage). Needs no network.
#
#   cmake -S . -B build-devset -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHS_BUILD_BENCHMARKS=ON
#   BUILD_DIR=build-devset bench/forecast/devset/run.sh
#
# BUILD_DIR (default build/) is configured as above when it has no
# CMakeCache.txt yet; an existing one must have HS_BUILD_BENCHMARKS=ON.
# Steps, cached in $BUILD_DIR/devset/ (delete a file to redo its step; a
# step is also redone when its script is newer than its output):
#  1. fleet_samples.csv: horizonscale-fleet-generator --hosts=$DEVSET_FLEET_HOSTS
#     (default 100, seed 42, 1,095 days); its cpu series join the set.
#  2. series.csv: build_devset.R (R datasets + forecast's data + fleet).
#  3. r_results.csv: r_baselines.R (R's models; about 20 minutes, each fit
#     in a child process given up after DEVSET_R_CAP_SECONDS of wall time,
#     default 180, with at most DEVSET_R_MEMORY_GB of address space,
#     default 4).
#  4. ours.csv: forecast_devset_bench, always rerun (about a minute).
# Then prints our timing and the side-by-side tables (report.R), also kept
# in $BUILD_DIR/devset/report.md.
#
# Needs Rscript with the forecast package (Debian: r-cran-forecast).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/bench/forecast/devset"
BUILD_DIR=$(realpath -m "${BUILD_DIR:-$ROOT/build}")
hosts=${DEVSET_FLEET_HOSTS:-100}
cap=${DEVSET_R_CAP_SECONDS:-180}
out="$BUILD_DIR/devset"
export TZ=UTC  # R asks timedatectl otherwise, which fails without systemd

if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHS_BUILD_BENCHMARKS=ON \
    >/dev/null
elif ! grep -q '^HS_BUILD_BENCHMARKS:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  echo "run.sh: $BUILD_DIR is configured without -DHS_BUILD_BENCHMARKS=ON" >&2
  exit 2
fi
mkdir -p "$out"
cmake --build "$BUILD_DIR" -j2 --target horizonscale-fleet-generator forecast_devset_bench \
  >"$out/build.log" 2>&1 || { tail -30 "$out/build.log" >&2; exit 1; }

# True when $1 is missing or older than any of the other files.
stale() {
  local target=$1
  shift
  [[ ! -s $target ]] && return 0
  for source in "$@"; do [[ $source -nt $target ]] && return 0; done
  return 1
}

if stale "$out/fleet_samples.csv"; then
  "$BUILD_DIR/clients/fleet_generator/horizonscale-fleet-generator" --hosts="$hosts" \
    --csv="$out/fleet_samples.csv" --threads=1 >/dev/null
fi
if stale "$out/series.csv" "$out/fleet_samples.csv" "$HERE/build_devset.R"; then
  Rscript "$HERE/build_devset.R" "$out/series.csv" "$out/fleet_samples.csv"
fi
if stale "$out/r_results.csv" "$out/series.csv" "$HERE/r_baselines.R" "$HERE/scoring.R"; then
  start=$(date +%s)
  Rscript "$HERE/r_baselines.R" "$out/series.csv" "$out/r_results.csv.tmp" "$cap" \
    2>"$out/r_baselines.log"
  mv "$out/r_results.csv.tmp" "$out/r_results.csv"
  echo "R baselines: $(($(date +%s) - start)) s wall"
fi

"$BUILD_DIR/bench/forecast/forecast_devset_bench" --series="$out/series.csv" \
  --out="$out/ours.csv"
Rscript "$HERE/report.R" "$out/r_results.csv" "$out/ours.csv" | tee "$out/report.md"
