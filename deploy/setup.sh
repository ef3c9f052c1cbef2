#!/usr/bin/env bash
# Installs everything HorizonScale needs to build, test and run on Debian
# bookworm: the Debian packages (apt) and the npm tooling of package.json
# (buf, Google's common protos). Idempotent: skips what is present, so a
# second run takes well under a second.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

DEBIAN_PACKAGES=(
  # toolchain
  g++ make cmake pkgconf ccache git ca-certificates clang-format
  # libraries
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libabsl-dev libeigen3-dev libpqxx-dev libspdlog-dev libxgboost-dev libssl-dev
  libcpp-httplib-dev prometheus-cpp-dev libyaml-cpp-dev
  # tests, benchmarks and fuzzing (clang's libFuzzer)
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  # database: a private cluster for the run command, pg_virtualenv for tests
  postgresql-15 postgresql-common postgresql-client-15
  # the Kubernetes manifests' offline test (tests/deploy/); the KEDA
  # scaler's Prometheus source and /metrics are tested against a real
  # Prometheus (promtool checks the alerting rules); the dashboard in a real
  # headless browser
  python3 python3-yaml prometheus chromium
  # the README's curl examples; certificates for the TLS tests
  curl openssl
  # clients: hsctl's flags (CLI11); the Python package (generated with
  # protoc's grpc_python_plugin, run on Debian's python3); the Go module
  # (Debian's Go and its gRPC and protobuf sources: no module proxy)
  libcli11-dev python3-grpcio python3-protobuf
  golang-go golang-google-grpc-dev golang-google-protobuf-dev protoc-gen-go protoc-gen-go-grpc
  golang-github-golang-protobuf-1-5-dev  # not 1-3: grpc 1.33 decodes through it
)

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
# kubectl renders deploy/kubernetes (kubectl kustomize); Debian's own when
# the machine has none.
if ! command -v kubectl >/dev/null 2>&1; then
  missing+=(kubernetes-client)
fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian package starts a system-wide cluster on port 5432 that nothing
# here uses; leaving it alone is harmless.

# npm tooling, reinstalled only when package-lock.json changed.
stamp="$ROOT/node_modules/.horizonscale-lock.sha256"
lock_hash=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  echo "setup: installing npm tooling (buf, google-proto-files)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
fi
