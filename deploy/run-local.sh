#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the server
# (Release), and serves on 127.0.0.1:50051 (override with --listen).
# Without DATABASE_URL or --database_url it starts a private PostgreSQL
# cluster in .horizonscale/postgres (created on first use, reused after) and
# stops it again when the server exits. Arguments go to the server.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

deploy/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)"

private_pg=""
if [[ -z "${DATABASE_URL:-}" ]] && ! printf '%s\n' "$@" | grep -q -- '^--database_url'; then
  source deploy/postgres.sh
  private_pg="$ROOT/.horizonscale/postgres"
  started_here=1
  hs_pg_start "$private_pg" || { rc=$?; [[ $rc -eq 3 ]] && started_here=0 || exit $rc; }
  export DATABASE_URL
  DATABASE_URL=$(hs_pg_url "$private_pg")
  echo "run: using the private PostgreSQL cluster in $private_pg" >&2
fi

build-release/server/horizonscale-server "$@" &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true' TERM INT
rc=0
while true; do
  wait "$server_pid" && rc=0 || rc=$?
  # wait returns early (status > 128) when a trapped signal arrives; keep
  # waiting until the server itself has exited.
  kill -0 "$server_pid" 2>/dev/null || break
done
if [[ -n "$private_pg" && "${started_here:-0}" -eq 1 ]]; then
  hs_pg_stop "$private_pg" || true
fi
exit "$rc"
