#!/usr/bin/env bash
# Brings the production topology up on this machine, under supervisord (Debian's `supervisor`): a
# PostgreSQL database, the Cloud API simulator standing in for Meta over HTTP, one `greenlight serve
# --no-dispatch` and N `greenlight worker`s. Waits until serve's /readyz answers 200 and every worker's
# metrics port answers, then prints the URLs. deploy/local-down.sh stops it all. See docs/deployment.md.
#
# Settings (environment variables, with their defaults):
#   GREENLIGHT_LOCAL_DB=greenlight_local        the database (created when missing; [a-z0-9_] only)
#   GREENLIGHT_LOCAL_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres   a server with trust auth
#   GREENLIGHT_LOCAL_PORT=3000                  serve (API, dashboard, webhooks, /metrics)
#   GREENLIGHT_LOCAL_SIMULATOR_PORT=4010        the simulated Meta
#   GREENLIGHT_LOCAL_SIMULATOR_SPEED=60         simulated time runs this many times faster than real time
#   GREENLIGHT_LOCAL_WORKERS=2                  how many `greenlight worker` processes
#   GREENLIGHT_LOCAL_WORKER_METRICS_PORT=9101   worker i serves /metrics on this port + i - 1
#   GREENLIGHT_LOCAL_RUN_DIR=.greenlight/local/$GREENLIGHT_LOCAL_DB   config, secrets, pid file, logs
#   GREENLIGHT_LOCAL_READY_SECONDS=60           how long to wait for the processes to come up
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
db=${GREENLIGHT_LOCAL_DB:-greenlight_local}
admin_url=${GREENLIGHT_LOCAL_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
port=${GREENLIGHT_LOCAL_PORT:-3000}
sim_port=${GREENLIGHT_LOCAL_SIMULATOR_PORT:-4010}
speed=${GREENLIGHT_LOCAL_SIMULATOR_SPEED:-60}
workers=${GREENLIGHT_LOCAL_WORKERS:-2}
metrics_base=${GREENLIGHT_LOCAL_WORKER_METRICS_PORT:-9101}
run_dir=${GREENLIGHT_LOCAL_RUN_DIR:-$root/.greenlight/local/$db}
ready_seconds=${GREENLIGHT_LOCAL_READY_SECONDS:-60}

fail() {
  echo "local-up: $*" >&2
  exit 1
}

# Checked before anything is written: a typo must not create a database or start a process.
[[ $db =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || fail "GREENLIGHT_LOCAL_DB must be lower-case letters, digits and _ (got '$db')"
for value in "$port" "$sim_port" "$workers" "$metrics_base" "$ready_seconds"; do
  [[ $value =~ ^[0-9]+$ ]] || fail "ports, GREENLIGHT_LOCAL_WORKERS and GREENLIGHT_LOCAL_READY_SECONDS take whole numbers (got '$value')"
done
((workers >= 1 && workers <= 32)) || fail "GREENLIGHT_LOCAL_WORKERS takes 1 to 32"
[[ $admin_url =~ ^postgres(ql)?://[^?]+/[^/?]*$ ]] || fail "GREENLIGHT_LOCAL_ADMIN_URL must be a postgres:// URL ending in a database name, without ?options"
[[ $speed =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "GREENLIGHT_LOCAL_SIMULATOR_SPEED takes a number (got '$speed')"
command -v supervisord >/dev/null || fail "supervisord is not installed: apt-get install supervisor (see docs/deployment.md)"
command -v psql >/dev/null || fail "psql is not installed: apt-get install postgresql-client"
node=$(command -v node) || fail "node is not on the PATH"
[[ -f $root/dist/main.js ]] || fail "dist/ is missing: run npm run build first"

conf=$run_dir/supervisord.conf
pidfile=$run_dir/supervisord.pid
if [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  fail "already up (supervisord pid $(cat "$pidfile")); stop it first: GREENLIGHT_LOCAL_DB=$db deploy/local-down.sh"
fi
mkdir -p "$run_dir/logs"
chmod 700 "$run_dir"

# The database: created once, migrated by the first Greenlight process that opens it.
exists=$(psql "$admin_url" -v ON_ERROR_STOP=1 -tAc "select 1 from pg_database where datname = '$db'")
if [[ $exists != 1 ]]; then
  psql "$admin_url" -v ON_ERROR_STOP=1 -qc "create database \"$db\"" >/dev/null
  echo "local-up: created database $db"
fi
database_url="${admin_url%/*}/$db"

# Secrets shared by the simulator and Greenlight: made once per run directory and kept (so a restart
# keeps the same API token); the rest of the env file follows this run's settings. Mode 600.
# `set -a; . $run_dir/env; set +a` gives a shell the same settings, for the CLI.
random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
env_file=$run_dir/env
kept() { if [[ -f $env_file ]]; then sed -n "s/^$1=//p" "$env_file" | head -n 1; fi; }
access_token=$(kept WHATSAPP_ACCESS_TOKEN)
app_secret=$(kept WHATSAPP_APP_SECRET)
api_token=$(kept GREENLIGHT_API_TOKEN)
umask 077
cat >"$env_file" <<EOF
GREENLIGHT_DATABASE_URL=$database_url
WHATSAPP_API_BASE_URL=http://127.0.0.1:$sim_port
WHATSAPP_ACCESS_TOKEN=${access_token:-simulator-$(random_hex 16)}
WHATSAPP_APP_SECRET=${app_secret:-$(random_hex 32)}
WHATSAPP_PHONE_NUMBER_ID=106540352242922
WHATSAPP_WABA_ID=102290129340398
GREENLIGHT_API_TOKEN=${api_token:-$(random_hex 24)}
EOF
# shellcheck disable=SC1090
set -a; . "$env_file"; set +a

# Every value here is hex, digits or a URL without %, quotes or commas, so none needs escaping.
environment="GREENLIGHT_DATABASE_URL=\"$GREENLIGHT_DATABASE_URL\",WHATSAPP_API_BASE_URL=\"$WHATSAPP_API_BASE_URL\",WHATSAPP_ACCESS_TOKEN=\"$WHATSAPP_ACCESS_TOKEN\",WHATSAPP_APP_SECRET=\"$WHATSAPP_APP_SECRET\",WHATSAPP_PHONE_NUMBER_ID=\"$WHATSAPP_PHONE_NUMBER_ID\",WHATSAPP_WABA_ID=\"$WHATSAPP_WABA_ID\",GREENLIGHT_API_TOKEN=\"$GREENLIGHT_API_TOKEN\",GREENLIGHT_LOG_LEVEL=\"${GREENLIGHT_LOG_LEVEL:-info}\""

program() { # name, priority, seconds to wait on stop, command
  cat <<EOF

[program:$1]
command=$4
directory=$root
environment=$environment
priority=$2
autostart=true
autorestart=true
startsecs=2
startretries=3
stopsignal=TERM
stopwaitsecs=$3
stopasgroup=true
killasgroup=true
stdout_logfile=$run_dir/logs/$1.out.log
stderr_logfile=$run_dir/logs/$1.err.log
EOF
}

{
  cat <<EOF
; Generated by deploy/local-up.sh for database $db; rewritten at every start.
[unix_http_server]
file=$run_dir/supervisor.sock
chmod=0700

[supervisord]
logfile=$run_dir/supervisord.log
pidfile=$pidfile
childlogdir=$run_dir/logs
directory=$root
identifier=greenlight-$db

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$run_dir/supervisor.sock
EOF
  # Started in priority order and stopped in reverse: workers stop first (their batches finish and their
  # leases are released), then serve, then the simulated Meta.
  program simulator 10 10 "$node $root/bin/greenlight.js simulator --port $sim_port --speed $speed --access-token $WHATSAPP_ACCESS_TOKEN --app-secret $WHATSAPP_APP_SECRET --webhook-url http://127.0.0.1:$port/webhooks/whatsapp"
  program serve 20 30 "$node $root/bin/greenlight.js serve --no-dispatch --port $port"
  names=()
  for ((i = 1; i <= workers; i++)); do
    program "worker-$i" 30 60 "$node $root/bin/greenlight.js worker --metrics-port $((metrics_base + i - 1))"
    names+=("worker-$i")
  done
  printf '\n[group:workers]\nprograms=%s\n' "$(IFS=,; echo "${names[*]}")"
} >"$conf"

supervisord -c "$conf"

http_ok() { "$node" -e 'fetch(process.argv[1]).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$1"; }

give_up() {
  echo "local-up: $1; the processes said:" >&2
  supervisorctl -c "$conf" status >&2 || true
  for log in "$run_dir"/logs/*.log; do
    echo "--- $log" >&2
    tail -n 15 "$log" >&2 || true
  done
  "$root/deploy/local-down.sh" >&2 || true
  exit 1
}

urls=("http://127.0.0.1:$port/readyz")
for ((i = 1; i <= workers; i++)); do urls+=("http://127.0.0.1:$((metrics_base + i - 1))/healthz"); done
deadline=$((SECONDS + ready_seconds))
for url in "${urls[@]}"; do
  until http_ok "$url"; do
    ((SECONDS < deadline)) || give_up "$url did not answer 200 within $ready_seconds s"
    if supervisorctl -c "$conf" status | grep -Eq 'FATAL|BACKOFF|EXITED'; then give_up "a process failed to start"; fi
    sleep 0.5
  done
done

base="http://127.0.0.1:$port"
cat <<EOF
Greenlight is up: database $db, 1 serve --no-dispatch and $workers worker(s) under supervisord, Meta simulated at ${speed}x
  Dashboard:  $base/#token=$GREENLIGHT_API_TOKEN
  API:        $base/api   (Authorization: Bearer $GREENLIGHT_API_TOKEN)
  Health:     $base/healthz   Ready: $base/readyz   Metrics: $base/metrics
  Workers:    $(for ((i = 1; i <= workers; i++)); do printf 'http://127.0.0.1:%s/metrics ' $((metrics_base + i - 1)); done)
  Simulator:  http://127.0.0.1:$sim_port/_sim/sent
  CLI:        set -a; . $env_file; set +a; npx greenlight campaigns list
  Processes:  supervisorctl -c $conf status
  Logs:       $run_dir/logs/
  Stop:       GREENLIGHT_LOCAL_DB=$db deploy/local-down.sh [--drop-database]
EOF
