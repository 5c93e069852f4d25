#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store's tests (issue 16).
#
#   .ci/postgres.sh install      install Debian's postgresql when its binaries are missing
#   .ci/postgres.sh start DIR    initdb DIR/data, start the server, print its SQLAlchemy URL
#   .ci/postgres.sh stop DIR     stop the server (if running) and delete DIR
#
# The server runs as the `postgres` user (as the current user when not root: initdb refuses root),
# trusts local socket connections, opens no TCP port (listen_addresses = '') and listens on a socket
# in DIR/socket with port number $ZOPA_CI_PG_PORT (default 55432), so it cannot clash with another
# server on the machine.
set -euo pipefail

PORT="${ZOPA_CI_PG_PORT:-55432}"

say() { echo "postgres.sh: $*" >&2; }

# The bin directory of the newest PostgreSQL installed (/usr/lib/postgresql/<version>/bin).
bindir() {
  local dir
  dir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null \
    | sort -V | tail -n 1)"
  [ -n "$dir" ] && dirname "$dir"
}

# Run a command as the server's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install() {
  if bindir >/dev/null; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
  say "installing Debian's postgresql"
  $sudo apt-get update
  # postgresql-common first, told not to create (and start) the default cluster on port 5432.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-common
  echo "create_main_cluster = false" | $sudo tee -a /etc/postgresql-common/createcluster.conf >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
}

start() {
  local dir="$1" bin
  bin="$(bindir)" || { say "no PostgreSQL under /usr/lib/postgresql (run: $0 install)"; exit 1; }
  mkdir -p "$dir/socket"
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
  as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --encoding=UTF8 --locale=C \
    --auth-local=trust --auth-host=reject --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF

# zopa CI: a private socket, no TCP port.
listen_addresses = ''
port = $PORT
unix_socket_directories = '$dir/socket'
max_connections = 100
EOF
  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 start \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') up, socket $dir/socket port $PORT"
  echo "postgresql+psycopg://postgres@/postgres?host=$dir/socket&port=$PORT"
}

stop() {
  local dir="$1" bin
  if [ -f "$dir/data/postmaster.pid" ] && bin="$(bindir)"; then
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait --timeout=60 stop >/dev/null \
      || as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null \
      || say "could not stop the server in $dir"
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?usage: $0 start DIR}" ;;
  stop) stop "${2:?usage: $0 stop DIR}" ;;
  *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 2 ;;
esac
