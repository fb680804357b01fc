#!/usr/bin/env bash
# Stops what deploy/local-up.sh started: supervisord stops the workers first (SIGTERM: batches in flight
# finish, leases are released), then serve, then the simulator, and exits. Waits until it is gone.
# --drop-database also drops the database. Reads the same GREENLIGHT_LOCAL_DB, GREENLIGHT_LOCAL_RUN_DIR
# and GREENLIGHT_LOCAL_ADMIN_URL as local-up.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
db=${GREENLIGHT_LOCAL_DB:-greenlight_local}
admin_url=${GREENLIGHT_LOCAL_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
run_dir=${GREENLIGHT_LOCAL_RUN_DIR:-$root/.greenlight/local/$db}
drop=false
for arg in "$@"; do
  case $arg in
    --drop-database) drop=true ;;
    *) echo "usage: deploy/local-down.sh [--drop-database]" >&2; exit 2 ;;
  esac
done
[[ $db =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { echo "local-down: GREENLIGHT_LOCAL_DB must be lower-case letters, digits and _" >&2; exit 1; }

conf=$run_dir/supervisord.conf
pidfile=$run_dir/supervisord.pid
if [[ -f $pidfile ]] && pid=$(cat "$pidfile") && kill -0 "$pid" 2>/dev/null; then
  supervisorctl -c "$conf" shutdown >/dev/null
  # Workers may take up to their stopwaitsecs (60 s) to finish a batch; then supervisord kills them.
  for _ in $(seq 1 1200); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "local-down: supervisord ($pid) is still running after 120 s" >&2
    exit 1
  fi
  echo "local-down: stopped (database $db)"
else
  echo "local-down: nothing running for database $db"
fi
rm -f "$pidfile"

if $drop; then
  psql "$admin_url" -v ON_ERROR_STOP=1 -qc "drop database if exists \"$db\" with (force)" >/dev/null
  rm -rf "$run_dir"
  echo "local-down: dropped database $db"
fi
