#!/usr/bin/env bash
# hsctl end to end: every subcommand against the real server and a fresh
# PostgreSQL database, in both output modes (tables; JSON read back with
# python's json), and the exit code of each class of error.
# Usage: hsctl_test.sh HSCTL SERVER_BINARY FLEET_GENERATOR   (needs the PG* env)
set -euo pipefail
hsctl=$1
server_binary=$2
generator=$3
database="hs_hsctl_$$"
source "$(dirname "${BASH_SOURCE[0]}")/hsctl_server.sh"

# evaluate: M/M/c figures and the least workers for an SLO.
out=$(expect 0 evaluate --arrival_rate 100 --service_time 0.1 --workers 12,15 --p95 0.5)
grep -q "^workers *utilization" <<<"$out" || fail "evaluate table: $out"
grep -Eq "^ *12 +83\.3 %" <<<"$out" || fail "evaluate: 12 workers at 83.3 %: $out"
grep -q "least workers meeting the SLO" <<<"$out" || fail "evaluate recommendation: $out"
least=$(expect 0 -o json evaluate --arrival_rate 100 --service_time 0.1 --p95 0.5 | json 'd["recommendation"]["workers"]')
[[ $least -ge 11 && $least -le 15 ]] || fail "evaluate json: least workers $least"

# plan: from flags, from a YAML file, in JSON.
out=$(expect 0 plan --queue checkout --arrival_rate 100 --service_time 0.1 --workers 10 --p95 0.5)
grep -Eq "workers +10 -> [0-9]+" <<<"$out" || fail "plan: $out"
grep -q "confidence" <<<"$out" || fail "plan confidence: $out"
cat >"$work/plan.yaml" <<'YAML'
queue: checkout
current_metrics:
  arrival_rate_per_second: 120
  mean_service_time_seconds: 0.1
  current_workers: 10
slo:
  p95LatencySeconds: 0.5
config:
  max_workers: 40
  provisioning_lead_time: 90s
YAML
plan_id=$(expect 0 -o json plan -f "$work/plan.yaml" | json 'd["plan"]["planId"]')
[[ -n $plan_id ]] || fail "plan from YAML has no id"

# plans list / get.
out=$(expect 0 plans list checkout)
[[ $(grep -c -- "->" <<<"$out") -ge 2 ]] || fail "plans list: $out"
out=$(expect 0 plans get "$plan_id")
grep -q "plan $plan_id for queue checkout" <<<"$out" || fail "plans get: $out"
[[ $(expect 0 -o json plans get "$plan_id" | json 'd["plan"]["queue"]') == checkout ]] || fail "plans get json"

# queues list / get / update / reset.
out=$(expect 0 queues list)
grep -q "^checkout " <<<"$out" || fail "queues list: $out"
printf 'config:\n  maxWorkers: 35\nslo:\n  p95_latency_seconds: 0.4\n' >"$work/settings.yaml"
out=$(expect 0 queues update checkout -f "$work/settings.yaml")
grep -q "updated slo.p95_latency_seconds, config.max_workers" <<<"$out" || fail "queues update: $out"
[[ $(expect 0 -o json queues get checkout | json 'd["queue"]["config"]["maxWorkers"]') == 35 ]] ||
  fail "queues get json after update"
out=$(expect 0 queues reset checkout)
grep -q "reset checkout" <<<"$out" || fail "queues reset: $out"

# forecast: a CSV series (hourly, a daily cycle) and a stored queue's rates.
{
  echo "time,value"
  for h in $(seq 0 71); do
    printf '%s,%s\n' "$((1793491200 + h * 3600))" "$((100 + (h % 24) * 5))"
  done
} >"$work/series.csv"
out=$(expect 0 forecast --csv "$work/series.csv" --horizon 6)
grep -q "^model " <<<"$out" || fail "forecast model line: $out"
[[ $(grep -Ec "^20[0-9-]+ [0-9:]+ +[0-9.]+ " <<<"$out") == 6 ]] || fail "forecast points: $out"
[[ $(expect 0 -o json forecast --csv "$work/series.csv" --horizon 6 | json 'len(d["points"])') == 6 ]] ||
  fail "forecast json"
printf 'time,value\n2026-11-01T00:00:00Z,1\nyesterday,2\n' >"$work/bad-series.csv"
out=$(expect 2 forecast --csv "$work/bad-series.csv")
grep -q "bad-series.csv:3" <<<"$out" || fail "forecast bad line not named: $out"
expect 2 forecast --csv "$work/series.csv" --model crystal_ball >/dev/null

# simulate: a scenario file (YAML), summary and violations.
cat >"$work/simulate.yaml" <<'YAML'
plan: {current_workers: 10}
scenarios:
  - name: steady
    traffic: {kind: TRAFFIC_PATTERN_KIND_CONSTANT, base_rate_per_second: 7}
    duration: 600s
    granularity: 300s
  - name: overload
    traffic: {kind: TRAFFIC_PATTERN_KIND_CONSTANT, base_rate_per_second: 12}
    duration: 600s
    granularity: 300s
service_time: {mean_seconds: 1}
slo: {p95_latency_seconds: 3}
seed: 7
YAML
out=$(expect 0 simulate -f "$work/simulate.yaml")
grep -Eq "^steady +[0-9.]+ %" <<<"$out" || fail "simulate steady: $out"
grep -q "SLO violations in overload" <<<"$out" || fail "simulate overload violations: $out"
[[ $(expect 0 -o json simulate -f "$work/simulate.yaml" | json 'len(d["results"])') == 2 ]] ||
  fail "simulate json"

# fleet: ingest a small fleet (the generator), run, risk report, leaderboard.
"$generator" --target="$HS_SERVER" --hosts=12 --days=400 --seed=5 >/dev/null
out=$(expect 0 fleet run)
grep -Eq "^run .*: 48 series in" <<<"$out" || fail "fleet run summary: $out"
grep -Eq "[0-9]+/48 series" <<<"$out" || fail "fleet run progress lines: $out"
run_id=$(sed -n 's/^run \([^:]*\): .*/\1/p' <<<"$out")
# Attached to the finished run, in JSON: one object per progress message.
state=$(expect 0 -o json fleet run --run_id "$run_id" | /usr/bin/python3 -c '
import json, sys
text, decoder, objects = sys.stdin.read(), json.JSONDecoder(), []
at = 0
while at < len(text):
    if text[at].isspace():
        at += 1
        continue
    obj, at = decoder.raw_decode(text, at)
    objects.append(obj)
print(objects[-1]["state"], objects[-1]["seriesDone"])')
[[ $state == "RUN_STATE_SUCCEEDED 48" ]] || fail "fleet run --run_id json: $state"
out=$(expect 0 fleet risk --csv "$work")
grep -Eq "red, [0-9]+ yellow, [0-9]+ green" <<<"$out" || fail "fleet risk: $out"
[[ -s $work/risk-exceptions.csv && -s $work/monthly-summary.csv ]] || fail "fleet risk --csv wrote nothing"
total=$(expect 0 -o json fleet risk | json 'int(d["fleetHealth"].get("red",0))+int(d["fleetHealth"].get("yellow",0))+int(d["fleetHealth"].get("green",0))')
[[ $total == 48 ]] || fail "fleet risk json: $total series by health"
out=$(expect 0 fleet leaderboard --page_size 5)
grep -q "median MAPE" <<<"$out" || fail "fleet leaderboard: $out"
[[ $(expect 0 -o json fleet leaderboard --page_size 5 | json 'len(d["entries"])') == 5 ]] ||
  fail "fleet leaderboard json"

# Each class of error: its exit code and the reason or field on stderr.
out=$(expect 3 plan --queue checkout --arrival_rate -1 --service_time 0.1 --workers 10)
grep -q "INVALID_ARGUMENT" <<<"$out" || fail "invalid plan: $out"
grep -q "current_metrics.arrival_rate_per_second" <<<"$out" || fail "invalid plan names no field: $out"
out=$(expect 4 plans get 00000000-0000-4000-8000-000000000000)
grep -q "NOT_FOUND" <<<"$out" || fail "missing plan: $out"
expect 2 evaluate --arrival_rate 1 >/dev/null                        # a required flag missing
expect 2 evaluate --arrival_rate 1 --service_time 1 --model mxyz >/dev/null
expect 2 plan -f "$work/missing.yaml" >/dev/null
printf 'queue: [unclosed\n' >"$work/bad.yaml"
expect 2 plan -f "$work/bad.yaml" >/dev/null
printf 'queue: x\nworkers: 3\n' >"$work/unknown.yaml"
out=$(expect 2 plan -f "$work/unknown.yaml")
grep -q "workers" <<<"$out" || fail "unknown field not named: $out"
out=$(expect 6 --server 127.0.0.1:1 --deadline 2 queues list)
grep -q "UNAVAILABLE\|DEADLINE_EXCEEDED" <<<"$out" || fail "unreachable server: $out"
# A queue with one sample has no forecast yet: FAILED_PRECONDITION.
expect 0 plan --queue lonely --arrival_rate 5 --service_time 0.1 --workers 2 >/dev/null
out=$(expect 5 forecast --queue lonely --horizon 3)
grep -q "INSUFFICIENT_HISTORY" <<<"$out" || fail "forecast of a new queue: $out"

# The same server with an access file: no token is exit 7, a reader's token
# on a planner's method too, a token over its rate limit exit 8 with the
# retry delay.
kill -TERM "$server_pid"
wait "$server_pid" 2>/dev/null || true
token=hsctl-reader-token-51a0
printf '%s\n' "$token" >"$work/reader.token"
printf 'tokens:\n  - {identity: hsctl-test, sha256: %s, roles: [reader]}\nlimits:\n  rate: {reader: {read: 0.5}}\n' \
  "$(printf %s "$token" | sha256sum | cut -d' ' -f1)" >"$work/access.yaml"
: >"$log"
"$server_binary" --listen="127.0.0.1:0" --http_listen= --database_url="dbname=$database" \
  --drain_timeout=5s --fleet_workers=0 --access_file="$work/access.yaml" >"$log" 2>&1 &
server_pid=$!
port=$(logged_port "$log" listening "$server_pid")
[[ -n $port ]] || fail "the server with an access file never said which port it listens on"
export HS_SERVER="127.0.0.1:$port"
for _ in $(seq 1 100); do
  "$hsctl" --token_file "$work/reader.token" queues get checkout >/dev/null 2>&1 && break
  sleep 0.2
done
out=$(expect 7 queues list)
grep -q "UNAUTHENTICATED (CREDENTIALS_MISSING)" <<<"$out" || fail "no token: $out"
out=$(expect 7 --token_file "$work/reader.token" plan --queue checkout --arrival_rate 1 \
  --service_time 0.1 --workers 2)
grep -q "PERMISSION_DENIED (ROLE_MISSING)" <<<"$out" || fail "reader planning: $out"
# 0.5 reads a second, a bucket of one: back-to-back reads meet the limit
# however slow the machine (under ASan a call takes most of a second).
codes=""
for _ in 1 2 3 4 5 6; do
  code=0
  out=$("$hsctl" --token_file "$work/reader.token" queues list 2>&1) || code=$?
  codes+="$code "
  [[ $code == 8 ]] && break
done
[[ $codes =~ ^(0 )*8\ $ ]] || fail "rate limit: exit codes $codes: $out"
grep -q "RESOURCE_EXHAUSTED (RATE_LIMITED)" <<<"$out" || fail "rate limit message: $out"
grep -q "retry in" <<<"$out" || fail "rate limit without its retry delay: $out"

echo "hsctl: evaluate, plan (flags, YAML, JSON), plans list/get, queues list/get/update/reset, forecast, simulate, fleet run/risk/leaderboard in both output modes; exit codes 2 to 8"
