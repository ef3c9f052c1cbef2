#!/usr/bin/env bash
# Reproduces the KEDA scaler figures of the README: GetMetrics throughput and
# latency over loopback, as KEDA asks it for QUEUES ScaledObjects (one queue
# each, metrics pushed once, plans cached). Builds the bench preset, starts a
# private PostgreSQL in .horizonscale/bench-pg and a durable server (the
# scaler then reads each queue's metrics from the database every
# --scaler_metrics_refresh, as across replicas), and runs the load generator
# at each concurrency (after 10 s of warm-up, in which every ScaledObject gets
# its first plan: KEDA's steady state is the cached one).
# The server runs on CPU 0 and the load generator on CPU 1 (taskset), as KEDA
# runs on other machines than the scaler; PostgreSQL is not pinned.
#   bench/loadgen/scaler.sh [QUEUES [concurrency ...]]   (default: 10000, 4 8)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
queues=${1:-10000}
shift || true
concurrencies=("${@:-4 8}")
deploy/setup.sh
cmake --preset bench >/dev/null
cmake --build --preset bench -j"$(nproc)" --target horizonscale-server planner_loadgen >/dev/null
source deploy/postgres.sh
pg_dir="$ROOT/.horizonscale/bench-pg"
hs_pg_start "$pg_dir" || [[ $? -eq 3 ]]
url="postgresql:///bench?host=$pg_dir/run&user=$( [[ $(id -u) -eq 0 ]] && echo postgres || id -un)"
port=50072
_hs_pg "$PG_BIN/dropdb" -h "$pg_dir/run" --if-exists bench
_hs_pg "$PG_BIN/createdb" -h "$pg_dir/run" bench
taskset -c 0 build-bench/server/horizonscale-server --listen="127.0.0.1:$port" --http_listen=127.0.0.1:0 \
  --database_url="$url" --log_level=warn --fleet_workers=0 &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" || true; hs_pg_stop "$pg_dir"' EXIT
sleep 2
for c in ${concurrencies[*]}; do
  echo "== GetMetrics, $queues ScaledObjects, concurrency=$c"
  taskset -c 1 build-bench/bench/loadgen/planner_loadgen --method=GetMetrics \
    --target="127.0.0.1:$port" --threads=1 --concurrency="$c" --duration=10 --warmup=10 \
    --queues="$queues" || true
done
