#!/usr/bin/env bash
# Checks the README's directory demo command: it starts, and a directory person signs in with
# the directory's password while the break-glass admin signs in with Rekey's own.
set -euo pipefail
cd "$(dirname "$0")/.."
port=18097
export REKEY_BIN=${REKEY_BIN:-target/debug/rekey} REKEY_DEMO_LDAP_PORT=18398 REKEY_DEMO_LDAPS_PORT=18637
setsid scripts/run-demo-directory.sh --listen "127.0.0.1:$port" >/tmp/rekey-demo-directory.log 2>&1 &
demo=$!
trap 'kill -- -"$demo" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done
sign_in() {
  curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"sign_in_name\":\"$1\",\"password\":\"Rekey-demo-2026\"}" "http://127.0.0.1:$port/api/session"
}
for name in adele.vance rekey.admin; do
  status=$(sign_in "$name")
  if [ "$status" != 200 ]; then
    echo "directory demo: sign-in of $name answered $status" >&2
    cat /tmp/rekey-demo-directory.log >&2
    exit 1
  fi
done
echo "directory demo: adele.vance (directory) and rekey.admin (break-glass) signed in"
