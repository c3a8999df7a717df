#!/usr/bin/env bash
# Runs the demo against a directory: a throw-away OpenLDAP (slapd, seeded with the demo
# organisation: tests/directory/openldap.ldif) on 127.0.0.1:3389 / LDAPS 3636, and Rekey
# connected to it over LDAPS as a service account, with one account of its own (the
# break-glass Global admin). Data lives in data-directory/ and is made afresh each run.
# Extra arguments go to `rekey serve` (e.g. --listen 127.0.0.1:8081). REKEY_BIN runs that
# binary instead of building the release one (the test command does).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh >/dev/null
scripts/build-spa.sh >/dev/null
bin=${REKEY_BIN:-}
if [ -z "$bin" ]; then
  cargo build --release -p rekey-server
  bin=target/release/rekey
fi
ldap_port=${REKEY_DEMO_LDAP_PORT:-3389}
ldaps_port=${REKEY_DEMO_LDAPS_PORT:-3636}
data="$PWD/data-directory"
if [ -f "$data/slapd/slapd.pid" ]; then kill "$(cat "$data/slapd/slapd.pid")" 2>/dev/null || true; sleep 0.5; fi
rm -rf "$data"
mkdir -p "$data/rekey"
scripts/slapd.sh "$data/slapd" "$ldap_port" "$ldaps_port" $$

export REKEY_DATA_DIR="$data/rekey" REKEY_PRINT_MESSAGES=true REKEY_ORG_NAME=Contoso
export REKEY_DIRECTORY_KIND=openldap REKEY_DIRECTORY_URL="ldaps://127.0.0.1:$ldaps_port"
export REKEY_DIRECTORY_CA_FILE="$data/slapd/ca.pem"
export REKEY_DIRECTORY_BIND_DN="cn=rekey-service,ou=services,dc=contoso,dc=example"
export REKEY_DIRECTORY_BIND_PASSWORD=Rekey-service-2026
export REKEY_DIRECTORY_BASE_DN="dc=contoso,dc=example"
# Below the directory's own lockout (5), so guesses through Rekey never lock anyone out.
export REKEY_LOCKOUT_THRESHOLD=3
REKEY_ADMIN_PASSWORD=Rekey-demo-2026 "$bin" create-admin --sign-in-name rekey.admin \
  --display-name "Rekey Admin" >/dev/null
cat <<TEXT

Directory demo: open http://127.0.0.1:8080/ (or the --listen address given). Rekey's users
come from OpenLDAP at ldaps://127.0.0.1:$ldaps_port.
Sign in (password Rekey-demo-2026 for everyone):
  rekey.admin        Rekey's own Global admin (break-glass): Org settings > Directory
  adele.vance        a directory user in SSPR pilot
  alex.wilber        a directory user in Engineering (nested in SSPR pilot)
  megan.bowen        a directory user in Sales
TEXT
exec "$bin" serve "$@"
