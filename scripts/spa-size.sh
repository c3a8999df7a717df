#!/usr/bin/env bash
# Prints each SPA bundle's transfer size (wasm + js + css), raw and brotli, from the release
# build in dist/: `rekey-web` is what a phone downloads for sign-in, its own pages and
# registration; `rekey-reset` is the reset flow for whoever opens `/reset`; `rekey-admin` is
# the admin centre, fetched only when it is opened.
# With --check, fails when a bundle is over its ceiling (docs/performance.md says why these):
# a change that pulls the admin pages or a heavy crate into a bundle shows up in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A ceiling=([rekey-web]=262000 [rekey-reset]=150000 [rekey-admin]=420000)
check=false
[ "${1:-}" = --check ] && check=true
scripts/build-spa.sh >/dev/null
brotli_size() { brotli --best -c "$1" | wc -c; }
over=()
printf '%-12s %-6s %10s %10s\n' bundle kind raw brotli
declare -A page=([rekey-web]=index.html [rekey-reset]=reset.html [rekey-admin]=admin.html)
for bundle in rekey-web rekey-reset rekey-admin; do
  total_raw=0; total_br=0
  # The stylesheets are the ones the bundle's page links.
  sheets=$(grep -o 'href="/__rekey_base__/[^"]*\.css"' "dist/${page[$bundle]}" | sed 's|href="/__rekey_base__/|dist/|; s|"$||')
  for file in dist/"$bundle"-*_bg.wasm dist/"$bundle"-*.js $sheets; do
    kind=${file##*.}
    raw=$(stat -c %s "$file"); br=$(brotli_size "$file")
    printf '%-12s %-6s %10d %10d\n' "$bundle" "$kind" "$raw" "$br"
    total_raw=$((total_raw + raw)); total_br=$((total_br + br))
  done
  printf '%-12s %-6s %10d %10d   (ceiling %d)\n' "$bundle" total "$total_raw" "$total_br" "${ceiling[$bundle]}"
  [ "$total_br" -le "${ceiling[$bundle]}" ] || over+=("$bundle")
done
if $check && [ ${#over[@]} -gt 0 ]; then
  echo "spa-size: over the ceiling: ${over[*]} (see docs/performance.md)" >&2
  exit 1
fi
