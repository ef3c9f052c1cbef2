#!/usr/bin/env bash
# What TLS and access control cost a unary call: memory-only GeneratePlan
# from the load generator against the same server plaintext, with TLS, with
# mTLS, and with TLS plus a bearer token checked against an access file
# (limits raised so that nothing is throttled), alternating, ROUNDS times
# each. Certificates are made with openssl for the
# run. The server runs on CPU 0, the load generator on CPU 1.
#   bench/loadgen/tls.sh [ROUNDS] [CONCURRENCY]     (default 3 rounds, 8 in flight)
# Uses the default build (cmake --preset default).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
rounds=${1:-3}
concurrency=${2:-8}
cmake --build build -j"$(nproc)" --target horizonscale-server planner_loadgen >/dev/null
certs=$(mktemp -d)
trap 'rm -rf "$certs"' EXIT
(
  cd "$certs"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=ca 2>/dev/null
  for leaf in server client; do
    openssl req -newkey rsa:2048 -nodes -keyout $leaf.key -out $leaf.csr -subj /CN=$leaf 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\n' >$leaf.ext
    openssl x509 -req -in $leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $leaf.pem \
      -days 1 -extfile $leaf.ext 2>/dev/null
  done
  printf 'loadgen-token-7c1e\n' >planner.token
  cat >access.yaml <<EOF
tokens:
  - {identity: loadgen, sha256: $(printf %s loadgen-token-7c1e | sha256sum | cut -d' ' -f1), roles: [planner]}
limits:
  rate: {planner: {plan: 1000000}}
EOF
)
run() {  # run NAME SERVER_FLAGS... -- LOADGEN_FLAGS...
  local name=$1; shift
  local server_flags=() loadgen_flags=()
  while [[ $1 != -- ]]; do server_flags+=("$1"); shift; done
  shift
  loadgen_flags=("$@")
  local log
  log=$(mktemp)
  taskset -c 0 build/server/horizonscale-server --listen=127.0.0.1:0 --http_listen= \
    --persist_plans=false --fleet_workers=0 --log_level=info \
    --database_url="host=127.0.0.1 port=1 connect_timeout=1" "${server_flags[@]}" >"$log" 2>&1 &
  local server=$! port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.* listening .* port=\([0-9]*\).*/\1/p' "$log" | head -n 1)
    [[ -n $port ]] && break
    sleep 0.1
  done
  echo "== $name"
  taskset -c 1 build/bench/loadgen/planner_loadgen --target="127.0.0.1:$port" \
    --concurrency="$concurrency" --threads=1 --duration=8 --warmup=2 --queues=100 \
    "${loadgen_flags[@]}" | grep -E 'throughput|error' || true
  kill -TERM "$server"
  wait "$server" 2>/dev/null || true
  rm -f "$log"
}
for _ in $(seq 1 "$rounds"); do
  run plaintext --
  run tls --tls_cert="$certs/server.pem" --tls_key="$certs/server.key" -- --tls_ca="$certs/ca.pem"
  run mtls --tls_cert="$certs/server.pem" --tls_key="$certs/server.key" \
    --tls_client_ca="$certs/ca.pem" --tls_client_auth=require -- \
    --tls_ca="$certs/ca.pem" --tls_cert="$certs/client.pem" --tls_key="$certs/client.key"
  run tls+token --tls_cert="$certs/server.pem" --tls_key="$certs/server.key" \
    --access_file="$certs/access.yaml" -- --tls_ca="$certs/ca.pem" --token_file="$certs/planner.token"
done
