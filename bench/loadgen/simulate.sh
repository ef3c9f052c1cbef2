#!/usr/bin/env bash
# Reproduces the Simulate end-to-end figure of the README: builds the bench
# preset, starts the server (no database needed for an inline plan), and
# times the reference 24-hour scenario through gRPC.
#   bench/loadgen/simulate.sh [calls]      (default: 7)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
deploy/setup.sh
cmake --preset bench >/dev/null
cmake --build --preset bench -j"$(nproc)" --target horizonscale-server simulate_latency >/dev/null
port=50072
build-bench/server/horizonscale-server --listen="127.0.0.1:$port" --http_listen=127.0.0.1:0 --persist_plans=false \
  --database_url="postgresql://127.0.0.1:1/none" --log_level=warn &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
build-bench/bench/loadgen/simulate_latency --target="127.0.0.1:$port" --calls="${1:-7}"
