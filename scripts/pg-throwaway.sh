#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster on loopback, for tests and benchmarks.
#   eval "$(scripts/pg-throwaway.sh start)"   # sets TEST_DATABASE_URL and SAMEN_PG_DIR
#   scripts/pg-throwaway.sh stop "$SAMEN_PG_DIR"
#   scripts/pg-throwaway.sh pause DIR | resume DIR   # stop and start it again, keeping its data and port
#   scripts/pg-throwaway.sh freeze DIR | thaw DIR    # SIGSTOP / SIGCONT every process of it: a hung server
#   scripts/pg-throwaway.sh crash DIR                # stop it the hard way (no checkpoint), as a crash would
#   SAMEN_PG_DURABLE=1 scripts/pg-throwaway.sh start # with fsync and synchronous commit, as in production (for
#                                                    # the fault drill: a crash must not lose a confirmed commit)
# Installs nothing: run `apt-get install -y postgresql` first if initdb is missing.
set -euo pipefail

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$bin" ]]; then
    echo "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin). Run: apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "$bin"
}

as_owner() {
  # initdb and postgres refuse to run as root; use the postgres system account then.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port user db
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/samen-pg.XXXXXX)
  port=${PGPORT_WANTED:-$(free_port)}
  user=$([[ $(id -u) -eq 0 ]] && echo postgres || id -un)
  db=samen_test
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
  local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"  # fast, and loses commits in a crash
  [[ -n "${SAMEN_PG_DURABLE:-}" ]] && speed=""
  echo "-c listen_addresses=127.0.0.1 -p $port -k $dir $speed -c max_connections=200" >"$dir/options"
  resume "$dir"
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$db"
  echo "export SAMEN_PG_DIR=$dir"
  echo "export SAMEN_PG_PORT=$port"
  echo "export TEST_DATABASE_URL=postgresql+psycopg://$user@127.0.0.1:$port/$db"
}

stop() {
  local dir=${1:-${SAMEN_PG_DIR:-}}
  [[ -n "$dir" && -d "$dir/data" ]] || { echo "no cluster to stop" >&2; return 0; }
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
  rm -rf "$dir"
}

crash() {
  as_owner "$(pg_bin)/pg_ctl" -D "$1/data" -m immediate -w stop >/dev/null
}

pause() {
  as_owner "$(pg_bin)/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null
}

resume() {
  as_owner "$(pg_bin)/pg_ctl" -D "$1/data" -l "$1/server.log" -w -o "$(cat "$1/options")" start >/dev/null
}

cluster_pids() {
  local main
  main=$(head -n 1 "$1/data/postmaster.pid")
  echo "$main" $(pgrep -P "$main" || true)
}

freeze() {
  kill -STOP $(cluster_pids "$1")
}

thaw() {
  kill -CONT $(cluster_pids "$1")
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  pause) pause "${2:?usage: $0 pause DIR}" ;;
  resume) resume "${2:?usage: $0 resume DIR}" ;;
  freeze) freeze "${2:?usage: $0 freeze DIR}" ;;
  crash) crash "${2:?usage: $0 crash DIR}" ;;
  thaw) thaw "${2:?usage: $0 thaw DIR}" ;;
  *) echo "usage: $0 start | stop [DIR] | pause DIR | resume DIR | freeze DIR | thaw DIR | crash DIR" >&2; exit 2 ;;
esac
