#!/usr/bin/env bash
# The dashboard's first render with 8,000 series (2,000 hosts) in the latest
# tournament run, in Debian's headless Chromium: the browser test's steps on
# a fleet of 2,000 hosts (ingest and tournament take a few minutes). Prints
# the time from the page's start to the fleet view's render (target < 2 s).
# Usage: bench/http/dashboard_render.sh [HOSTS]   (from the repository root)
set -euo pipefail
hosts=${1:-2000}
cmake --build build -j"$(nproc)" --target horizonscale-server horizonscale-fleet-generator >/dev/null
HS_DASHBOARD_HOSTS=$hosts pg_virtualenv -t -o fsync=off python3 tests/server/http/dashboard_browser_test.py \
  build/server/horizonscale-server build/clients/fleet_generator/horizonscale-fleet-generator \
  "$PWD" build/dashboard-render-screenshots
