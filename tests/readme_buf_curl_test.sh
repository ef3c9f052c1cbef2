#!/usr/bin/env bash
# Does what the README tells users to do with `buf curl` (a gRPC client
# nobody here wrote) and with plain curl (JSON over the HTTP port) against the
# real server and a fresh database: list the services through reflection,
# check health, call methods.
# Usage: readme_buf_curl_test.sh SERVER_BINARY REPO_ROOT   (needs the PG* env)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/support/logged_port.sh"
server_binary=$1
buf="$2/node_modules/.bin/buf"
database="hs_buf_curl_$$"
createdb "$database"

# Port 0: the kernel picks a free port (no race with other tests' servers),
# which the server logs on its "listening" line.
log=$(mktemp)
"$server_binary" --listen="127.0.0.1:0" --http_listen="127.0.0.1:0" --database_url="dbname=$database" \
  --drain_timeout=5s >"$log" 2>&1 &
server_pid=$!
cleanup() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  dropdb --if-exists --force "$database" || true
  rm -f "$log"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- server log"; cat "$log"; exit 1; }

port=$(logged_port "$log" listening "$server_pid")
[[ -n $port ]] || fail "the server never said which port it listens on"
http_port=$(logged_port "$log" http_listening "$server_pid")
[[ -n $http_port ]] || fail "the server never said which HTTP port it listens on"
url="http://127.0.0.1:$port"
http="http://127.0.0.1:$http_port"
# The README's curl twins: JSON over the HTTP port (-f: a 4xx/5xx fails).
curl_json() { curl -sS -f -H 'Content-Type: application/json' "$@"; }
curl_grpc() { "$buf" curl --protocol grpc --http2-prior-knowledge "$@"; }

for _ in $(seq 1 100); do
  if curl_grpc -d '{}' "$url/grpc.health.v1.Health/Check" 2>/dev/null | grep -q '"SERVING"'; then
    break
  fi
  sleep 0.2
done

services=$(curl_grpc --list-services "$url") || fail "list services"
for expected in grpc.health.v1.Health horizonscale.v1.CapacityPlannerService \
                horizonscale.v1.FleetService externalscaler.ExternalScaler; do
  grep -qx "$expected" <<<"$services" || fail "reflection does not list $expected: $services"
done

health=$(curl_grpc -d '{"service":"horizonscale.v1.CapacityPlannerService"}' \
  "$url/grpc.health.v1.Health/Check") || fail "health check"
grep -q '"status": "SERVING"' <<<"$health" || fail "health is not SERVING: $health"

# Calls by reflection alone: buf resolves the request types from the server.
answer=$(curl_grpc -d '{"arrival_rate_per_second": 1, "mean_service_time_seconds": 1, "worker_counts": [2]}' \
  "$url/horizonscale.v1.CapacityPlannerService/EvaluateQueue") || fail "EvaluateQueue: $answer"
# M/M/2 at λ = μ = 1: P(wait) = 1/3 exactly.
grep -q '"probabilityOfWait": 0.333333333333333' <<<"$answer" || fail "EvaluateQueue answer: $answer"
answer=$(curl_json -d '{"arrival_rate_per_second": 1, "mean_service_time_seconds": 1, "worker_counts": [2]}' \
  "$http/horizonscale.v1.CapacityPlannerService/EvaluateQueue") || fail "curl EvaluateQueue: $answer"
grep -q '"probabilityOfWait":0.333333333333333' <<<"$answer" || fail "curl EvaluateQueue answer: $answer"
answer=$(curl_json -d '{}' "$http/grpc.health.v1.Health/Check") || fail "curl health: $answer"
grep -q '"status":"SERVING"' <<<"$answer" || fail "curl health answer: $answer"
answer=$(curl -sS -f "$http/readyz") || fail "readyz: $answer"

set +e
answer=$(curl_grpc -d '{"current_metrics": {"arrival_rate_per_second": -1, "mean_service_time_seconds": 0.1}, "queue": "checkout"}' \
  "$url/horizonscale.v1.CapacityPlannerService/GeneratePlan" 2>&1)
set -e
grep -q '"code": "invalid_argument"' <<<"$answer" || fail "GeneratePlan answer: $answer"
grep -q '"type": "google.rpc.ErrorInfo"' <<<"$answer" || fail "no ErrorInfo: $answer"
grep -q 'current_metrics.arrival_rate_per_second' <<<"$answer" || fail "no field named: $answer"
status=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"current_metrics": {"arrival_rate_per_second": -1, "mean_service_time_seconds": 0.1}, "queue": "checkout"}' \
  "$http/horizonscale.v1.CapacityPlannerService/GeneratePlan")
[[ $status == 400 ]] || fail "curl bad GeneratePlan: HTTP $status"

# The queue resource: settings stored with a field mask, read back.
answer=$(curl_grpc -d '{"queue":{"name":"checkout","slo":{"p95_latency_seconds":0.5},"config":{"max_workers":40,"min_workers":3}},"update_mask":"slo,config.maxWorkers"}' \
  "$url/horizonscale.v1.CapacityPlannerService/UpdateQueue") || fail "UpdateQueue: $answer"
answer=$(curl_grpc -d '{"name":"checkout"}' \
  "$url/horizonscale.v1.CapacityPlannerService/GetQueue") || fail "GetQueue: $answer"
grep -q '"maxWorkers": 40' <<<"$answer" || fail "GetQueue lost max_workers: $answer"
grep -q '"minWorkers"' <<<"$answer" && fail "GetQueue stored a field the mask did not name: $answer"
answer=$(curl_json -d '{"queue":{"name":"checkout","slo":{"p95_latency_seconds":0.5,"max_backlog":500},"config":{"max_workers":40}},"update_mask":"slo,config.maxWorkers"}' \
  "$http/horizonscale.v1.CapacityPlannerService/UpdateQueue") || fail "curl UpdateQueue: $answer"
answer=$(curl_json -d '{"name":"checkout"}' "$http/horizonscale.v1.CapacityPlannerService/GetQueue") ||
  fail "curl GetQueue: $answer"
grep -q '"maxBacklog":"500"' <<<"$answer" || fail "curl GetQueue answer: $answer"
answer=$(curl_json -d '{"page_size":100}' "$http/horizonscale.v1.CapacityPlannerService/ListQueues") ||
  fail "curl ListQueues: $answer"
grep -q '"name":"checkout"' <<<"$answer" || fail "curl ListQueues answer: $answer"

# KEDA's view: a plan records the queue's metrics, the scaler answers with the
# workers wanted now (10 Erlangs under the stored P95 of 0.5 s: more than 10).
answer=$(curl_grpc -d '{"queue":"checkout","current_metrics":{"arrival_rate_per_second":100,"mean_service_time_seconds":0.1,"current_workers":10}}' \
  "$url/horizonscale.v1.CapacityPlannerService/GeneratePlan") || fail "GeneratePlan: $answer"
answer=$(curl_grpc -d '{"scaledObjectRef":{"name":"checkout-workers","namespace":"shop","scalerMetadata":{"queue":"checkout"}},"metricName":"s0-horizonscale-checkout"}' \
  "$url/externalscaler.ExternalScaler/GetMetrics") || fail "GetMetrics: $answer"
grep -Eq '"metricValue": "(1[1-9]|[23][0-9]|40)"' <<<"$answer" || fail "GetMetrics answer: $answer"
answer=$(curl_json -d '{"queue":"checkout","current_metrics":{"arrival_rate_per_second":100,"mean_service_time_seconds":0.1,"current_workers":10},"slo":{"p95_latency_seconds":0.5}}' \
  "$http/horizonscale.v1.CapacityPlannerService/GeneratePlan") || fail "curl GeneratePlan: $answer"
grep -q '"targetWorkers"' <<<"$answer" || fail "curl GeneratePlan answer: $answer"
answer=$(curl_json -d '{"queue":"checkout","page_size":10}' \
  "$http/horizonscale.v1.CapacityPlannerService/ListPlans") || fail "curl ListPlans: $answer"
[[ $(grep -o '"planId"' <<<"$answer" | wc -l) -ge 2 ]] || fail "curl ListPlans answer: $answer"
answer=$(curl_json -d '{"scaledObjectRef":{"name":"checkout-workers","namespace":"shop","scalerMetadata":{"queue":"checkout"}},"metricName":"s0-horizonscale-checkout"}' \
  "$http/externalscaler.ExternalScaler/GetMetrics") || fail "curl GetMetrics: $answer"
grep -Eq '"metricValue":"(1[1-9]|[23][0-9]|40)"' <<<"$answer" || fail "curl GetMetrics answer: $answer"
# Two minutes of history: a forecast, or the reason there is none yet.
answer=$(curl -sS -H 'Content-Type: application/json' -d '{"queue":"checkout","model":"FORECAST_MODEL_EWMA","horizon_steps":10}' \
  "$http/horizonscale.v1.CapacityPlannerService/GetForecasts")
grep -Eq '"points"|INSUFFICIENT_HISTORY' <<<"$answer" || fail "curl GetForecasts answer: $answer"
answer=$(curl_grpc -d '{"name":"checkout-workers","namespace":"shop","scalerMetadata":{"queue":"checkout"}}' \
  "$url/externalscaler.ExternalScaler/IsActive") || fail "IsActive: $answer"
grep -q '"result": true' <<<"$answer" || fail "IsActive answer: $answer"

answer=$(curl_grpc -d '{"name":"checkout"}' \
  "$url/horizonscale.v1.CapacityPlannerService/ResetQueue") || fail "ResetQueue: $answer"
answer=$(curl_json -d '{"name":"checkout"}' "$http/horizonscale.v1.CapacityPlannerService/ResetQueue") ||
  fail "curl ResetQueue: $answer"

# /metrics counts what was just done.
metrics=$(curl -sS -f "$http/metrics") || fail "metrics"
grep -q 'grpc_server_handled_total{grpc_code="OK",grpc_method="EvaluateQueue",grpc_service="horizonscale.v1.CapacityPlannerService",grpc_type="unary"} 2' <<<"$metrics" ||
  fail "metrics do not count the two EvaluateQueue calls: $(grep EvaluateQueue <<<"$metrics")"

# README "Access control": the same server with an access file; a reader's
# token reads over both ports and /metrics, no token is 401 / UNAUTHENTICATED.
kill -TERM "$server_pid"
wait "$server_pid" 2>/dev/null || true
TOKEN=readme-reader-token-2b9f
access=$(mktemp)
printf 'tokens:\n  - {identity: readme, sha256: %s, roles: [reader]}\n' \
  "$(echo -n "$TOKEN" | sha256sum | cut -d' ' -f1)" >"$access"
: >"$log"
"$server_binary" --listen="127.0.0.1:0" --http_listen="127.0.0.1:0" --database_url="dbname=$database" \
  --drain_timeout=5s --access_file="$access" >"$log" 2>&1 &
server_pid=$!
port=$(logged_port "$log" listening "$server_pid")
[[ -n $port ]] || fail "the server with an access file never said which port it listens on"
http_port=$(logged_port "$log" http_listening "$server_pid")
url="http://127.0.0.1:$port"
http="http://127.0.0.1:$http_port"
for _ in $(seq 1 100); do
  curl_grpc -d '{}' "$url/grpc.health.v1.Health/Check" 2>/dev/null | grep -q '"SERVING"' && break
  sleep 0.2
done
answer=$(curl_grpc -H "authorization: Bearer $TOKEN" -d '{"pageSize":10}' \
  "$url/horizonscale.v1.CapacityPlannerService/ListQueues") || fail "ListQueues with a token: $answer"
answer=$(curl -sS -f -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"pageSize":10}' "$http/horizonscale.v1.CapacityPlannerService/ListQueues") ||
  fail "curl ListQueues with a token: $answer"
curl -sS -f -H "Authorization: Bearer $TOKEN" "$http/metrics" >/dev/null || fail "metrics with a token"
status=$(curl -sS -o /dev/null -w '%{http_code}' "$http/metrics")
[[ $status == 401 ]] || fail "metrics without a token: HTTP $status"
answer=$(curl_grpc -d '{"pageSize":10}' "$url/horizonscale.v1.CapacityPlannerService/ListQueues" 2>&1) &&
  fail "ListQueues without a token was served: $answer"
grep -qi 'unauthenticated' <<<"$answer" || fail "ListQueues without a token: $answer"
rm -f "$access"

echo "buf curl and curl: services listed, health SERVING, EvaluateQueue answered, bad GeneratePlan named its field, queue stored and reset, KEDA scaler answered, metrics counted, tokens checked"
