#!/usr/bin/env bash
# The soak of issue 12: builds the default preset (RelWithDebInfo, the build
# the tests use: it holds the server, planner_loadgen and soak_client), starts a private PostgreSQL
# (.horizonscale/bench-pg) and the server, measures durable GeneratePlan
# capacity (planner_loadgen, 10 s at 32 in flight), then runs soak_client at
# 80 % of it for MINUTES minutes twice: without abuse, then with the abuse
# patterns mixed in (NUL request ids, model bombs, idle ingest streams,
# forecast bombs, unparsable bodies, forged page tokens, 1 MiB ids). Prints
# both reports; the server must not die, its RSS must stay flat and the
# well-behaved p99 stay within 2x of the run without abuse.
#   bench/soak/run.sh [MINUTES]     (default 10)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
minutes=${1:-10}
deploy/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default -j"$(nproc)" --target horizonscale-server planner_loadgen \
  soak_client >/dev/null
source deploy/postgres.sh
pg_dir="$ROOT/.horizonscale/bench-pg"
hs_pg_start "$pg_dir" || [[ $? -eq 3 ]]
url="postgresql:///soak?host=$pg_dir/run&user=$( [[ $(id -u) -eq 0 ]] && echo postgres || id -un)"
_hs_pg "$PG_BIN/dropdb" -h "$pg_dir/run" --if-exists soak
_hs_pg "$PG_BIN/createdb" -h "$pg_dir/run" soak
port=50073
build/server/horizonscale-server --listen="127.0.0.1:$port" --http_listen=127.0.0.1:0 --database_url="$url" \
  --log_level=warn 2>.horizonscale/soak-server.log &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; hs_pg_stop "$pg_dir"' EXIT
sleep 3

capacity=$(build/bench/loadgen/planner_loadgen --target="127.0.0.1:$port" \
  --concurrency=32 --duration=10 --warmup=2 --queues=1000 | sed -n 's/.*throughput=\([0-9]*\).*/\1/p')
rate=$((capacity * 8 / 10))
echo "== capacity ${capacity} plans/s (durable, 32 in flight); soak at ${rate} plans/s"
for abuse in "" --abuse; do
  echo "== soak ${minutes} min ${abuse:-without abuse}"
  build/bench/soak/soak_client --target="127.0.0.1:$port" --rate="$rate" \
    --threads=128 --duration=$((minutes * 60)) --warmup=10 --server_pid="$server" $abuse || true
done
kill -0 "$server" && echo "server alive after both runs"
