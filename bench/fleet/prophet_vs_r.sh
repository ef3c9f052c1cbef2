#!/usr/bin/env bash
# Our Prophet-style model against R's prophet (Debian's r-cran-prophet) on a
# deterministic sample of the fleet tournament's series: both fitted on all
# but the last 30 days with default settings, scored on those 30 by
# forecast/accuracy.h. Prints median MAPE overall and per scenario, wins,
# and the time per fit. Installs r-cran-prophet with apt when missing (root
# or sudo), builds the bench preset, and keeps its files in
# .horizonscale/prophet-vs-r. HS_BUILD_DIR=dir builds and runs in that
# (configured) build directory instead of the bench preset's build-bench/.
#   bench/fleet/prophet_vs_r.sh [series]        (default 200)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
series=${1:-200}
export TZ=UTC  # R asks timedatectl otherwise, which fails without systemd

if ! Rscript -e 'suppressPackageStartupMessages(library(prophet))' >/dev/null 2>&1; then
  sudo=$( [[ $(id -u) -eq 0 ]] || echo sudo )
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    r-cran-prophet >/dev/null
  Rscript -e 'suppressPackageStartupMessages(library(prophet))' >/dev/null
fi
if [[ -n ${HS_BUILD_DIR:-} ]]; then
  cmake --build "$HS_BUILD_DIR" -j2 --target prophet_comparison >/dev/null
  bin="$HS_BUILD_DIR/bench/fleet/prophet_comparison"
else
  cmake --preset bench >/dev/null
  cmake --build --preset bench -j2 --target prophet_comparison >/dev/null
  bin=build-bench/bench/fleet/prophet_comparison
fi

dir="$ROOT/.horizonscale/prophet-vs-r"
mkdir -p "$dir"
"$bin" --series="$series" --csv="$dir/history.csv"
start=$(date +%s.%N)
Rscript bench/fleet/prophet_reference.R "$dir/history.csv" "$dir/r_yhat.csv" 2>"$dir/r.log" ||
  { cat "$dir/r.log" >&2; exit 1; }
printf 'R prophet: %.0f s for %s series\n\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$series"
"$bin" --series="$series" --r_yhat="$dir/r_yhat.csv"
