#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis, against the real server on
# SQLite and on PostgreSQL, signed in as a Global admin and as a plain user: no answer may be a
# 5xx, and every answer must match the documented status codes and schemas. Bounded (a few
# examples per operation) and reproducible (a fixed seed; pass another as $1).
# Part of scripts/test.sh; needs target/debug/rekey built and PostgreSQL on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."

seed=${1:-20261206}
examples=${REKEY_FUZZ_EXAMPLES:-20}
port=18170
work=$(mktemp -d "${TMPDIR:-/tmp}/rekey-fuzz-XXXXXX")
pg_admin="postgres://postgres@127.0.0.1:5432/postgres"
pg_db="rekey_fuzz_$$"
server=""

cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_server() { # $1: database URL
  target/debug/rekey serve --demo --listen "127.0.0.1:$port" --data-dir "$work/data" \
    --database-url "$1" --static-dir "$work/no-spa" --public-url "http://localhost:$port" \
    --reset-min-response-ms 0 --pow-difficulty 4 >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return
    sleep 0.1
  done
  cat "$work/server.log"
  echo "fuzz-api: the server did not start" >&2
  exit 1
}

stop_server() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=""
}

# Signs in; prints the two headers schemathesis sends with every request.
session_headers() { # $1: sign-in name
  local jar="$work/cookies" body
  body=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d "{\"sign_in_name\":\"$1\",\"password\":\"Rekey-demo-2026\"}" \
    "http://127.0.0.1:$port/api/session")
  local csrf cookie
  csrf=$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
  cookie=$(awk '$6 == "rekey_session" {print $7}' "$jar")
  printf 'Cookie: rekey_session=%s\nX-CSRF-Token: %s\n' "$cookie" "$csrf"
}

fuzz() ( # $1: label, $2: sign-in name; a subshell, for its cd
  local cookie csrf
  { read -r cookie; read -r csrf; } < <(session_headers "$2")
  echo "== schemathesis: $1 as $2 (seed $seed, $examples examples per operation)"
  # Signing out would only leave the rest of the run unauthenticated. Run from the scratch
  # folder: schemathesis and hypothesis keep their caches in the current one.
  cd "$work"
  python3 -c 'from schemathesis.cli import schemathesis; schemathesis()' run "http://127.0.0.1:$port/api/openapi.json" \
    -H "$cookie" -H "$csrf" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples "$examples" --seed "$seed" \
    --generation-database none --exclude-operation-id sign_out \
    --workers 1 --no-color --output-truncate true
)

for backend in sqlite postgres; do
  if [ "$backend" = sqlite ]; then
    url="sqlite://$work/fuzz.sqlite3?mode=rwc"
  else
    psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
    url="postgres://postgres@127.0.0.1:5432/$pg_db"
  fi
  start_server "$url"
  fuzz "$backend" global.admin@contoso.example
  fuzz "$backend" adele.vance@contoso.example
  stop_server
done
echo "fuzz-api: no server error and every answer as documented"
