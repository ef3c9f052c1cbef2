#!/usr/bin/env bash
# Runs the image's own server (its binaries and libraries, as user 10001, on
# a read-only root with a tmpfs /tmp) against a throwaway PostgreSQL and
# talks to it: health SERVING, a plan, the KEDA scaler's answer, a clean
# drain on SIGTERM. This machine cannot
# start containers (its kernel refuses crun's setrlimit and cgroup setup), so
# the image's filesystem is mounted and the server runs in a chroot of it,
# sharing the host's network: the same files a container would run.
#   deploy/image/smoke.sh [TAG]        (default: localhost/horizonscale:latest)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
tag=${1:-localhost/horizonscale:latest}
if [[ $(id -u) -ne 0 ]]; then exec sudo "$0" "$@"; fi
buf="$ROOT/node_modules/.bin/buf"

container=$(podman create "$tag")
image_root=$(podman mount "$container")
# Read-only, with a fresh /tmp, as the Deployment runs it
# (readOnlyRootFilesystem, an emptyDir on /tmp).
rootfs=$(mktemp -d)
mount --bind "$image_root" "$rootfs"
mount -o remount,bind,ro "$rootfs"
mount -t tmpfs -o size=64m tmpfs "$rootfs/tmp"
cleanup() {
  umount "$rootfs/tmp" 2>/dev/null || true
  umount "$rootfs" 2>/dev/null || true
  rmdir "$rootfs" 2>/dev/null || true
  podman umount "$container" >/dev/null || true
  podman rm "$container" >/dev/null || true
}
trap cleanup EXIT
echo "smoke: image $tag, runtime libraries:"
chroot "$rootfs" ldd /usr/local/bin/horizonscale-server | grep -c "=> /" | sed 's/^/  /'
if chroot "$rootfs" ldd /usr/local/bin/horizonscale-server | grep -q "not found"; then
  echo "smoke: FAIL: a library is missing"; exit 1
fi
chroot "$rootfs" /usr/local/bin/buf --version >/dev/null

# A throwaway cluster (pg_virtualenv) for the server in the chroot, over TCP.
pg_virtualenv -o fsync=off bash -s "$rootfs" "$buf" <<'SCRIPT'
set -euo pipefail
rootfs=$1
buf=$2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
createdb smoke
url="postgresql://$PGUSER:$PGPASSWORD@127.0.0.1:$PGPORT/smoke"
chroot --userspec=10001:10001 "$rootfs" /usr/local/bin/horizonscale-server \
  --listen="127.0.0.1:$port" --http_listen=127.0.0.1:0 --database_url="$url" --drain_timeout=5s --log_format=text \
  >/tmp/hs-image-smoke.log 2>&1 &
server=$!
call() { "$buf" curl --protocol grpc --http2-prior-knowledge "$@"; }
for _ in $(seq 1 100); do
  call -d '{}' "http://127.0.0.1:$port/grpc.health.v1.Health/Check" 2>/dev/null |
    grep -q SERVING && break
  sleep 0.2
done
call -d '{}' "http://127.0.0.1:$port/grpc.health.v1.Health/Check" | grep -q '"SERVING"' ||
  { echo "smoke: FAIL: never SERVING"; cat /tmp/hs-image-smoke.log; exit 1; }
call -d '{"queue":"checkout","current_metrics":{"arrival_rate_per_second":100,"mean_service_time_seconds":0.1,"current_workers":10},"slo":{"p95_latency_seconds":0.5}}' \
  "http://127.0.0.1:$port/horizonscale.v1.CapacityPlannerService/GeneratePlan" | grep -q targetWorkers ||
  { echo "smoke: FAIL: GeneratePlan"; exit 1; }
call -d '{"scaledObjectRef":{"name":"w","namespace":"shop","scalerMetadata":{"queue":"checkout","slo.p95LatencySeconds":"0.5"}},"metricName":"s0-horizonscale-checkout"}' \
  "http://127.0.0.1:$port/externalscaler.ExternalScaler/GetMetrics" | grep -q metricValue ||
  { echo "smoke: FAIL: GetMetrics"; exit 1; }
kill -TERM "$server"
wait "$server" || { echo "smoke: FAIL: the drain did not exit 0"; cat /tmp/hs-image-smoke.log; exit 1; }
echo "smoke: the image's server (uid 10001, read-only root) served health, GeneratePlan and GetMetrics and drained"
SCRIPT
