#!/usr/bin/env bash
# Installs (from Debian's packages, if missing) and starts the services the integration tests use:
# PostgreSQL on 127.0.0.1:5432 (user postgres, no password from loopback) and Redis on
# 127.0.0.1:6379; then waits until both answer. Idempotent: a running service is left alone.
# Needs root (apt-get, the cluster's files); `make services` and `.ci/run` call it.
set -euo pipefail

log() { echo "services: $*"; }

apt_updated=0
need_pkg() {
  # $1 = command that proves the package is there, $2.. = Debian packages
  local probe=$1; shift
  if ! command -v "$probe" >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/"$probe" >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      log "cannot install $* (not root); those tests will skip"; return 1
    fi
    if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
    log "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

# --- PostgreSQL -------------------------------------------------------------------------------
if need_pkg pg_ctl postgresql; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$version main$"; then
    pg_createcluster "$version" main >/dev/null
  fi
  hba=$(ls /etc/postgresql/"$version"/main/pg_hba.conf)
  # The tests connect as postgres without a password, from loopback only.
  if ! grep -q '^host all postgres 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
    pg_ctlcluster "$version" main status >/dev/null 2>&1 && pg_ctlcluster "$version" main reload
  fi
  if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    log "starting PostgreSQL $version"
    pg_ctlcluster "$version" main start
  fi
fi

# --- Redis ------------------------------------------------------------------------------------
if need_pkg redis-server redis-server; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
  fi
fi

# --- Wait until both answer -------------------------------------------------------------------
for _ in $(seq 1 60); do
  pg_ok=0; redis_ok=0
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && pg_ok=1
  redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && redis_ok=1
  [ $pg_ok = 1 ] && [ $redis_ok = 1 ] && { log "PostgreSQL and Redis answer"; exit 0; }
  sleep 1
done
log "PostgreSQL answers: $pg_ok, Redis answers: $redis_ok (after 60 s)"
exit 1
