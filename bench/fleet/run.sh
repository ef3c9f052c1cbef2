#!/usr/bin/env bash
# The fleet tournament through the real server, persistence included:
# generates the default fleet (2,000 hosts x 4 resources x 1,095 days),
# streams it in with IngestTelemetry, then runs RunCompetition with the
# server's own fleet workers, and reports the wall times and the server's
# peak memory. Builds the bench preset and uses a private PostgreSQL in
# .horizonscale/bench-pg (default settings: fsync and synchronous_commit on).
#   bench/fleet/run.sh [hosts]        (default 2000)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
hosts=${1:-2000}
deploy/setup.sh
cmake --preset bench >/dev/null
cmake --build --preset bench -j"$(nproc)" \
  --target horizonscale-server horizonscale-fleet-generator >/dev/null
source deploy/postgres.sh
pg_dir="$ROOT/.horizonscale/bench-pg"
hs_pg_start "$pg_dir" || [[ $? -eq 3 ]]
url="postgresql:///fleetbench?host=$pg_dir/run&user=$( [[ $(id -u) -eq 0 ]] && echo postgres || id -un)"
_hs_pg "$PG_BIN/dropdb" -h "$pg_dir/run" --if-exists fleetbench
_hs_pg "$PG_BIN/createdb" -h "$pg_dir/run" fleetbench
port=50081
build-bench/server/horizonscale-server --listen="127.0.0.1:$port" --http_listen=127.0.0.1:0 --database_url="$url" \
  --fleet_workers="$(nproc)" --log_level=warn &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; hs_pg_stop "$pg_dir"' EXIT
sleep 2

start=$(date +%s.%N)
build-bench/clients/fleet_generator/horizonscale-fleet-generator --hosts="$hosts" \
  --target="127.0.0.1:$port" --deadline_seconds=600 | tail -3
ingest=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
npx --no-install buf curl --protocol grpc --http2-prior-knowledge --timeout 900s \
  -d '{"request_id": "bench-run"}' \
  "http://127.0.0.1:$port/horizonscale.v1.FleetService/RunCompetition" > /tmp/hs-fleet-run.json
run=$(echo "$(date +%s.%N) - $start" | bc)
echo "== last progress event and summary"
tail -c 1500 /tmp/hs-fleet-run.json
peak=$(awk '/VmHWM/ {print $2 / 1024}' "/proc/$server/status")
printf '\ningest: %.1f s   tournament (RunCompetition, persisted): %.1f s   server peak RSS: %.0f MiB\n' \
  "$ingest" "$run" "$peak"
