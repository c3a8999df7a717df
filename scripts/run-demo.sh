#!/usr/bin/env bash
# Runs the product: installs what is missing, builds the SPA and the server, and serves both on
# one port over SQLite with the demo organisation. Prints the URL and the demo sign-ins.
# Extra arguments go to `rekey serve` (e.g. --listen 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build-spa.sh
cargo build --release -p rekey-server
exec target/release/rekey serve --demo "$@"
