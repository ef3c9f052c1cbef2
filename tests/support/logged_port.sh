# Sourced by the shell tests that start the real server on port 0 (the
# kernel picks a free port, which the server logs).
#
# logged_port LOG EVENT PID: the port=N of the first EVENT line in LOG
# ("listening" for gRPC, "http_listening" for HTTP), waiting up to 30 s
# while process PID lives; prints nothing when none came.
logged_port() {
  local log=$1 event=$2 pid=$3 port=""
  for _ in $(seq 1 300); do
    port=$(sed -n "s/.* $event .* port=\\([0-9]*\\).*/\\1/p" "$log" | head -n 1)
    [[ -n $port ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  printf '%s' "$port"
}
