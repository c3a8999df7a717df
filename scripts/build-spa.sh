#!/usr/bin/env bash
# Builds the SPA's two bundles (release profile + wasm-opt) into dist/: the user bundle from
# index.html and the admin centre from admin.html (see crates/core/src/spa.rs), then
# precompresses every asset with brotli and gzip so the server can send the smaller file.
# Skips the build when dist/ is newer than every SPA source.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/e2e/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

sources=(index.html admin.html Trunk.toml Cargo.toml Cargo.lock .cargo src style public crates/core)
if [ -f dist/admin.html ] && [ -z "$(find "${sources[@]}" -newer dist/admin.html -print -quit)" ]; then
  echo "build-spa: dist/ is up to date"
  exit 0
fi

# Trunk empties its output folder and always names the page index.html, so the admin bundle
# is built apart and moved in as admin.html; hashed asset names keep the two from clashing.
trunk build --release --offline=true --dist dist index.html
trunk build --release --offline=true --dist target/dist-admin admin.html
mv target/dist-admin/index.html target/dist-admin/admin.html
cp -r target/dist-admin/. dist/
find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.txt' \) |
  while read -r file; do
    brotli --force --best --keep "$file"
    gzip --force --best --keep "$file"
  done
touch dist/admin.html
echo "build-spa: built dist/"
