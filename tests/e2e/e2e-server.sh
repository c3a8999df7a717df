#!/usr/bin/env bash
# Starts the real server over a fresh SQLite file with the demo organisation, for the browser
# tests. Usage: e2e-server.sh PORT [BASE_PATH]
set -euo pipefail
cd "$(dirname "$0")/../.."
port=$1
base=${2:-/}
source tests/e2e/server-env.sh
data=$(mktemp -d "${TMPDIR:-/tmp}/rekey-e2e-$port-XXXXXX")
# Every browser test is the same client (127.0.0.1), so the reset puzzle's per-client
# escalation (a bit more work per 5 puzzles in 10 minutes) builds up over the whole suite, and
# at the default start (18 bits) a late test could wait on it past its timeout. Starting at 14
# bits, the page still solves a real puzzle, in its time slices, with the escalation on top.
# For the same reason the limit of reset starts per client (30 in 10 minutes, which the API
# tests check) is raised: the suite starts more resets than that from its one address.
exec "${REKEY_BIN:-target/debug/rekey}" serve --demo \
  --listen "127.0.0.1:$port" --data-dir "$data" --static-dir dist --base-path "$base" \
  --public-url "http://localhost:$port" --pow-difficulty 14 --reset-starts-per-client 1000
