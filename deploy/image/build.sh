#!/usr/bin/env bash
# Builds the HorizonScale image (deploy/Dockerfile) with podman on this
# machine, offline from any container registry: the bookworm base image is
# made from Debian's archive by mmdebstrap (once; localhost/debian:bookworm)
# and the build runs with chroot isolation (no daemon, no cgroups needed).
#   deploy/image/build.sh [TAG]        (default: localhost/horizonscale:latest)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
tag=${1:-localhost/horizonscale:latest}
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

missing=()
for tool in podman buildah mmdebstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    podman buildah mmdebstrap uidmap >/dev/null
fi

base=localhost/debian:bookworm
if ! as_root podman image exists "$base"; then
  echo "image: making $base with mmdebstrap (minbase + ca-certificates)"
  tarball=$(mktemp --suffix=.tar)
  trap 'rm -f "$tarball"' EXIT
  as_root mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$tarball" \
    http://deb.debian.org/debian
  as_root podman import --quiet "$tarball" "$base" >/dev/null
fi

echo "image: building $tag"
start=$(date +%s)
as_root podman build --isolation=chroot --build-arg BASE="$base" -f deploy/Dockerfile \
  -t "$tag" .
echo "image: $tag built in $(( $(date +%s) - start )) s, $(as_root podman image inspect \
  --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1 / 1e6}')"
