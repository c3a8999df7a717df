#!/usr/bin/env bash
# Starts the real server over a fresh SQLite file with the demo organisation, for the browser
# tests. Usage: e2e-server.sh PORT [BASE_PATH]
set -euo pipefail
cd "$(dirname "$0")/../.."
port=$1
base=${2:-/}
data=$(mktemp -d "${TMPDIR:-/tmp}/rekey-e2e-$port-XXXXXX")
exec "${REKEY_BIN:-target/debug/rekey}" serve --demo \
  --listen "127.0.0.1:$port" --data-dir "$data" --static-dir dist --base-path "$base" \
  --public-url "http://127.0.0.1:$port"
