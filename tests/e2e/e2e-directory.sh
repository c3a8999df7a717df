#!/usr/bin/env bash
# Starts a throw-away OpenLDAP (scripts/slapd.sh, on 18389 and LDAPS 18636) seeded with the
# demo organisation, and a Rekey server on PORT over a fresh SQLite file with one account of
# its own, the break-glass Global admin rekey.admin: the browser tests connect the directory
# through the admin centre. slapd stops with the server. Usage: e2e-directory.sh PORT
set -euo pipefail
cd "$(dirname "$0")/../.."
port=$1
source tests/e2e/server-env.sh
# The spec reads the CA certificate from here, to paste it as an admin would.
dir="${TMPDIR:-/tmp}/rekey-e2e-directory"
# A slapd an interrupted run left behind holds the ports.
if [ -f "$dir/slapd/slapd.pid" ]; then kill "$(cat "$dir/slapd/slapd.pid")" 2>/dev/null || true; sleep 0.5; fi
rm -rf "$dir"
mkdir -p "$dir/data"
scripts/slapd.sh "$dir/slapd" 18389 18636 $$
bin="${REKEY_BIN:-target/debug/rekey}"
common=(--data-dir "$dir/data" --static-dir dist --public-url "http://localhost:$port")
REKEY_ADMIN_PASSWORD=Rekey-demo-2026 "$bin" create-admin --sign-in-name rekey.admin \
  --display-name "Rekey Admin" "${common[@]}" >/dev/null
exec "$bin" serve --listen "127.0.0.1:$port" "${common[@]}" \
  --pow-difficulty 14 --reset-starts-per-client 1000 --lockout-threshold 3
