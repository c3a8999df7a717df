#!/usr/bin/env bash
# Builds the SPA into dist/ (release profile + wasm-opt) and precompresses every asset with
# brotli and gzip so the server can send the smaller file. Skips the build when dist/ is newer
# than every SPA source.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/e2e/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

sources=(index.html Trunk.toml Cargo.toml Cargo.lock src style public crates/core)
if [ -f dist/index.html ] && [ -z "$(find "${sources[@]}" -newer dist/index.html -print -quit)" ]; then
  echo "build-spa: dist/ is up to date"
  exit 0
fi

trunk build --release --offline
find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.txt' \) |
  while read -r file; do
    brotli --force --best --keep "$file"
    gzip --force --best --keep "$file"
  done
touch dist/index.html
echo "build-spa: built dist/"
