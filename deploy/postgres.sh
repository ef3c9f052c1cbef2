# Shell functions for a private PostgreSQL 15 cluster in a directory of the
# project (source this file). PostgreSQL refuses to run as root, so when run
# as root the cluster belongs to the `postgres` user and its commands run
# through runuser. The cluster listens on a Unix socket only (DIR/run).

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

_hs_pg() {  # runs a PostgreSQL command as the cluster's owner
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# hs_pg_url DIR: the libpq URL of the cluster's `horizonscale` database.
hs_pg_url() {
  local owner=postgres
  [[ $(id -u) -eq 0 ]] || owner=$(id -un)
  echo "postgresql:///horizonscale?host=$1/run&user=$owner"
}

# hs_pg_start DIR: creates the cluster in DIR on first use, starts it unless
# it is running, and creates the `horizonscale` database. Returns 0 when
# this call started the server, 3 when it was already running.
hs_pg_start() {
  local dir=$1 already=0
  mkdir -p "$dir/run"
  if [[ $(id -u) -eq 0 ]]; then
    chown -R postgres:postgres "$dir"
    if ! runuser -u postgres -- test -x "$dir"; then
      echo "postgres: the postgres user cannot reach $dir (a parent directory is not" \
           "searchable); give DATABASE_URL or move the checkout" >&2
      return 1
    fi
  fi
  if (( ${#dir} > 90 )); then
    echo "postgres: $dir is too long for a Unix socket path; give DATABASE_URL" >&2
    return 1
  fi
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    echo "postgres: creating a private cluster in $dir/data" >&2
    _hs_pg "$PG_BIN/initdb" -D "$dir/data" -U "$( [[ $(id -u) -eq 0 ]] && echo postgres || id -un)" \
      -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  if _hs_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    already=1
  else
    _hs_pg "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/postgres.log" \
      -o "-k $dir/run -c listen_addresses=''" start >/dev/null \
      || { tail -20 "$dir/postgres.log" >&2; return 1; }
  fi
  if ! _hs_pg "$PG_BIN/psql" -h "$dir/run" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'horizonscale'" | grep -q 1; then
    _hs_pg "$PG_BIN/createdb" -h "$dir/run" horizonscale
  fi
  (( already )) && return 3
  return 0
}

# hs_pg_stop DIR: stops the cluster (fast shutdown); its data stays.
hs_pg_stop() {
  _hs_pg "$PG_BIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null
}
