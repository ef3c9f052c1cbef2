# Sourced by the hsctl end-to-end tests (after `set -euo pipefail`, with
# $hsctl, $server_binary and $database set): a fresh database, the real
# server on port 0 with two fleet workers (HS_SERVER exported, waited for
# until it answers), a scratch directory $work, everything removed on exit;
# and the helpers fail, json and expect.
source "$(dirname "${BASH_SOURCE[0]}")/../../support/logged_port.sh"
createdb "$database"
log=$(mktemp)
work=$(mktemp -d)
"$server_binary" --listen="127.0.0.1:0" --http_listen= --database_url="dbname=$database" \
  --drain_timeout=5s --fleet_workers=2 >"$log" 2>&1 &
server_pid=$!
cleanup() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  dropdb --if-exists --force "$database" || true
  rm -rf "$log" "$work"
}
trap cleanup EXIT
# fail MESSAGE: ends the test, with the tail of the server's log.
fail() { echo "FAIL: $*"; echo "--- server log (tail)"; tail -n 40 "$log"; exit 1; }
port=$(logged_port "$log" listening "$server_pid")
[[ -n $port ]] || fail "the server never said which port it listens on"
export HS_SERVER="127.0.0.1:$port"
# json EXPRESSION: EXPRESSION of the JSON on stdin (as d), by Debian's python.
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# expect CODE COMMAND...: runs hsctl, checks its exit code, prints its output.
expect() {
  local want=$1; shift
  local out code=0
  out=$("$hsctl" "$@" 2>&1) || code=$?
  [[ $code == "$want" ]] || fail "hsctl $*: exit $code, wanted $want: $out"
  printf '%s\n' "$out"
}
for _ in $(seq 1 100); do
  "$hsctl" queues list >/dev/null 2>&1 && break
  sleep 0.2
done
