#!/usr/bin/env bash
# Builds the SPA's three bundles (release profile + wasm-opt) into dist/: the user bundle from
# index.html, and the reset flow and the admin centre from pages made from it here (see
# crates/core/src/spa.rs), then precompresses every asset with brotli and gzip so the server
# can send the smaller file. Skips the build when dist/ is newer than every SPA source.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tests/e2e/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

sources=(index.html Trunk.toml Cargo.toml Cargo.lock .cargo src style public crates/core scripts/build-spa.sh)
stamp=target/.spa-built
if [ -f "$stamp" ] && [ -f dist/index.html ] && [ -f dist/reset.html ] && [ -f dist/admin.html ] &&
  [ -z "$(find "${sources[@]}" -newer "$stamp" -print -quit)" ]; then
  echo "build-spa: dist/ is up to date"
  exit 0
fi

# The standard library is built with the app, for size (docs/performance.md): a panic stops the
# app at once (no message formatting or unwinding code), std's smaller variants are chosen,
# panics carry no source locations, and `{:?}` writes nothing (so nothing may depend on `Debug`
# text). These are unstable options, which the stable toolchain accepts for this build only
# through RUSTC_BOOTSTRAP; every other build is plain stable.
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"

trunk build --release --offline=true --dist dist index.html

# The other bundles' pages are index.html with another binary and title (and, for the admin
# centre, a stylesheet of its own after the shared one), made here rather than kept as copies.
# Trunk empties its output folder and always names the page index.html, so each is built apart
# and moved in under its own name; hashed asset names keep them apart.
other_bundle() { # page, binary, title, [own stylesheet]
  local own_sheet=${4:+\\n    <link data-trunk rel=\"css\" href=\"$4\" />}
  sed -e "s/data-bin=\"rekey-web\"/data-bin=\"$2\"/" -e "s|<title>Rekey</title>|<title>$3</title>|" \
    -e "s|<link data-trunk rel=\"css\" href=\"style/main.css\" />|&$own_sheet|" index.html >"$1"
  trunk build --release --offline=true --dist "target/dist-$2" "$1"
  rm "$1"
  mv "target/dist-$2/index.html" "target/dist-$2/$1"
  cp -r "target/dist-$2/." dist/
}
other_bundle reset.html rekey-reset "Rekey"
other_bundle admin.html rekey-admin "Rekey · Admin centre" style/admin.css

# Trunk leaves the wasm-bindgen glue and the stylesheets as written; minified, they are a fifth
# lighter over the wire. The pages pin each stylesheet by its hash (`integrity`), so that is
# made again for the minified file.
for glue in dist/rekey-*.js; do
  esbuild "$glue" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$glue"
done
for sheet in dist/*.css; do
  esbuild "$sheet" --minify --log-level=warning --allow-overwrite --outfile="$sheet"
  sri="sha384-$(openssl dgst -sha384 -binary "$sheet" | base64 -w0)"
  sed -i -E "s|(/$(basename "$sheet")\" integrity=\")[^\"]*|\1$sri|" dist/*.html
done

find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.txt' \) |
  while read -r file; do
    brotli --force --best --keep "$file"
    gzip --force --best --keep "$file"
  done
touch "$stamp"
echo "build-spa: built dist/"
