#!/usr/bin/env bash
# Starts a throw-away Active Directory domain controller (scripts/samba-ad.sh, on loopback's
# standard LDAP ports) seeded with the demo organisation, and a Rekey server on PORT over a
# fresh SQLite file connected to it by flags, as the delegated service account, with one
# account of its own, the break-glass Global admin rekey.admin. Samba stops with the server.
# Usage: e2e-ad.sh PORT
set -euo pipefail
cd "$(dirname "$0")/../.."
port=$1
source tests/e2e/server-env.sh
# The spec reads the CA certificate from here, to check passwords against the directory.
dir="${TMPDIR:-/tmp}/rekey-e2e-ad"
# A Samba an interrupted run left behind holds the ports.
if [ -f "$dir/samba/samba.pid" ]; then kill "$(cat "$dir/samba/samba.pid")" 2>/dev/null || true; fi
rm -rf "$dir"
mkdir -p "$dir/data"
scripts/samba-ad.sh "$dir/samba" $$
bin="${REKEY_BIN:-target/debug/rekey}"
common=(--data-dir "$dir/data" --static-dir dist --public-url "http://localhost:$port")
REKEY_ADMIN_PASSWORD=Rekey-demo-2026 "$bin" create-admin --sign-in-name rekey.admin \
  --display-name "Rekey Admin" "${common[@]}" >/dev/null
suffix="dc=contoso,dc=example"
REKEY_DIRECTORY_BIND_PASSWORD=Rekey-service-2026 exec "$bin" serve --listen "127.0.0.1:$port" "${common[@]}" \
  --pow-difficulty 14 --reset-starts-per-client 1000 --lockout-threshold 3 \
  --directory-kind ad --directory-url ldaps://127.0.0.1 --directory-ca-file "$dir/samba/ca.pem" \
  --directory-bind-dn "cn=rekey-service,ou=services,$suffix" \
  --directory-base-dn "ou=people,$suffix" --directory-group-base-dn "ou=groups,$suffix" \
  --directory-sign-in-attribute sAMAccountName
