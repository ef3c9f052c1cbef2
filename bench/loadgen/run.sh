#!/usr/bin/env bash
# Reproduces the GeneratePlan load figures of the README: builds the bench
# preset, starts a private PostgreSQL (default settings: fsync and
# synchronous_commit on) in .horizonscale/bench-pg, then for persistence on
# and off starts the server and runs the load generator.
#   bench/loadgen/run.sh [concurrency ...]      (default: 8 32 64 128)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
deploy/setup.sh
cmake --preset bench >/dev/null
cmake --build --preset bench -j"$(nproc)" --target horizonscale-server planner_loadgen >/dev/null
source deploy/postgres.sh
pg_dir="$ROOT/.horizonscale/bench-pg"
hs_pg_start "$pg_dir" || [[ $? -eq 3 ]]
url="postgresql:///bench?host=$pg_dir/run&user=$( [[ $(id -u) -eq 0 ]] && echo postgres || id -un)"
concurrencies=("${@:-8 32 64 128}")
port=50071
for persist in true false; do
  _hs_pg "$PG_BIN/dropdb" -h "$pg_dir/run" --if-exists bench
  _hs_pg "$PG_BIN/createdb" -h "$pg_dir/run" bench
  build-bench/server/horizonscale-server --listen="127.0.0.1:$port" --http_listen=127.0.0.1:0 --database_url="$url" \
    --worker_threads=256 --persist_plans="$persist" --log_level=warn &
  server=$!
  sleep 2
  for c in ${concurrencies[*]}; do
    echo "== persist_plans=$persist concurrency=$c"
    build-bench/bench/loadgen/planner_loadgen --target="127.0.0.1:$port" --concurrency="$c" \
      --duration=10 --warmup=2 --queues=1000 || true
  done
  kill -TERM "$server"
  wait "$server" || true
done
hs_pg_stop "$pg_dir"
