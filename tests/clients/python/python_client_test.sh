#!/usr/bin/env bash
# The Python client (clients/python) against the real server and a fresh
# database: the README's examples (plan a pool; stream the fleet generator's
# CSV into IngestTelemetry and follow RunCompetition; read the risk report)
# and client_checks.py (time_series, HorizonScaleError, connect), then the
# same against a server with an access file, with and without a token.
# Usage: python_client_test.sh SERVER_BINARY FLEET_GENERATOR_BINARY PYTHON_PACKAGE_DIR
# (needs the PG* env; Debian's grpc and protobuf modules: /usr/bin/python3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../support/logged_port.sh"
server_binary=$1
fleet_generator=$2
export PYTHONPATH=$3
here=$(cd "$(dirname "$0")" && pwd)
examples="$here/../../../clients/python/examples"
python=/usr/bin/python3
database="hs_python_client_$$"
work=$(mktemp -d)
log="$work/server.log"
createdb "$database"

server_pid=""
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
cleanup() {
  stop_server
  dropdb --if-exists --force "$database" || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- server log"; cat "$log"; exit 1; }

# start_server [FLAGS...]: a server on a kernel-picked port (logged on its
# "listening" line), SERVING; sets server_pid and target.
start_server() {
  : >"$log"
  "$server_binary" --listen="127.0.0.1:0" --http_listen= --database_url="dbname=$database" \
    --fleet_workers=2 --drain_timeout=5s "$@" >"$log" 2>&1 &
  server_pid=$!
  local port
  port=$(logged_port "$log" listening "$server_pid")
  [[ -n $port ]] || fail "the server never said which port it listens on"
  target="127.0.0.1:$port"
  $python "$here/wait_for_serving.py" "$target" 30 || fail "health"
}

# run NAME COMMAND...: COMMAND's stdout and stderr in $work/NAME.out, echoed;
# its exit status returned.
run() {
  local name=$1
  shift
  local status=0
  "$@" >"$work/$name.out" 2>&1 || status=$?
  sed "s/^/  $name| /" "$work/$name.out"
  return $status
}

start_server
run checks $python "$here/client_checks.py" "$target" || fail "client checks"

plan_flags=(--queue=checkout --arrival_rate=100 --mean_service_time=0.1 --current_workers=10
            --p95_latency=0.5)
run plan $python "$examples/plan_pool.py" --target="$target" "${plan_flags[@]}" || fail "plan_pool"
# 10 Erlangs with a P95 of 0.5 s need more than the 10 workers running.
target_workers=$(sed -n 's/^plan .* for checkout: 10 -> \([0-9]*\) workers$/\1/p' "$work/plan.out")
[[ -n $target_workers && $target_workers -gt 10 ]] || fail "plan_pool printed no target above 10"
grep -q '^confidence [01]\.[0-9][0-9], SLO achievable: True' "$work/plan.out" ||
  fail "plan_pool confidence"
grep -q '^step 1 at .*: SCALING_ACTION_SCALE_UP 10 -> ' "$work/plan.out" || fail "plan_pool steps"
if run bad_plan $python "$examples/plan_pool.py" --target="$target" --queue=checkout \
    --arrival_rate=-1 --mean_service_time=0.1; then
  fail "plan_pool with a negative arrival rate succeeded"
fi
grep -q '^plan_pool: INVALID_ARGUMENT (INVALID_METRICS): ' "$work/bad_plan.out" ||
  fail "plan_pool's error message"
grep -q '^  current_metrics.arrival_rate_per_second: ' "$work/bad_plan.out" ||
  fail "plan_pool's error names no field"
grep -q Traceback "$work/bad_plan.out" && fail "plan_pool printed a traceback"

# 10 hosts x 4 resources: 40 series.
"$fleet_generator" --hosts=10 --days=400 --seed=3 --csv="$work/fleet.csv" >/dev/null ||
  fail "fleet generator"
# A CSV line the example refuses, after two messages have gone: the stream
# is cancelled, so none of its rows is written (the next ingest replaces no
# duplicates).
{ head -n 5 "$work/fleet.csv"; echo "host-00000,gpu,2026-01-01,1.000"; } >"$work/bad.csv"
if run bad_csv $python "$examples/fleet_tournament.py" --target="$target" --csv="$work/bad.csv" \
    --hosts_csv="$work/fleet.csv.hosts.csv" --batch_rows=2; then
  fail "fleet_tournament took a CSV with an unknown resource"
fi
grep -q "^fleet_tournament: $work/bad.csv:6: unknown resource 'gpu'$" "$work/bad_csv.out" ||
  fail "fleet_tournament's message on a bad CSV line"
run tournament $python "$examples/fleet_tournament.py" --target="$target" --csv="$work/fleet.csv" ||
  fail "fleet_tournament"
ingested='^ingested: [1-9][0-9]* rows accepted, 0 rejected, 10 hosts, 40 series, 0 duplicates'
grep -q "$ingested replaced\$" "$work/tournament.out" || fail "fleet_tournament's ingest"
grep -Eq '^run [0-9a-f-]+ RUN_STATE_SUCCEEDED: 40/40 series$' "$work/tournament.out" ||
  fail "the tournament did not finish with 40/40 series done"
grep -q '^summary: 40 series in ' "$work/tournament.out" || fail "fleet_tournament's summary"

run risks $python "$examples/risk_report.py" --target="$target" || fail "risk_report"
health=$(sed -n 's/^fleet health: red \([0-9]*\), yellow \([0-9]*\), green \([0-9]*\)$/\1 \2 \3/p' \
  "$work/risks.out")
[[ -n $health ]] || fail "risk_report printed no fleet health"
read -r red yellow green <<<"$health"
[[ $((red + yellow + green)) -eq 40 ]] || fail "fleet health counts $health do not add up to 40"
grep -q '^top risks (' "$work/risks.out" || fail "risk_report printed no risks list"

# README "Access control": a planner's token, sent over plaintext loopback.
stop_server
token=python-client-planner-7c1e
printf '%s\n' "$token" >"$work/planner.token"
printf 'tokens:\n  - {identity: python-client, sha256: %s, roles: [planner]}\n' \
  "$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)" >"$work/access.yaml"
start_server --access_file="$work/access.yaml"
run token_checks $python "$here/client_checks.py" "$target" "$token" || fail "token checks"
run token_plan $python "$examples/plan_pool.py" --target="$target" \
  --token_file="$work/planner.token" "${plan_flags[@]}" || fail "plan_pool with a token"
grep -q '^plan .* for checkout: 10 -> ' "$work/token_plan.out" || fail "plan_pool with a token"
run token_risks $python "$examples/risk_report.py" --target="$target" \
  --token_file="$work/planner.token" || fail "risk_report with a token"
grep -q "^fleet health: red $red, yellow $yellow, green $green$" "$work/token_risks.out" ||
  fail "risk_report with a token: another fleet health"
if run no_token $python "$examples/plan_pool.py" --target="$target" "${plan_flags[@]}"; then
  fail "plan_pool without a token was served"
fi
grep -q '^plan_pool: UNAUTHENTICATED (CREDENTIALS_MISSING): ' "$work/no_token.out" ||
  fail "plan_pool without a token"

echo "python client: plan (target $target_workers workers), tournament 40/40 series," \
  "risk report (red $red, yellow $yellow, green $green), errors with reason and fields," \
  "token accepted and required"
