#!/usr/bin/env bash
# Prints the SPA's transfer size (wasm + js + css), raw and brotli, from the release build in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-spa.sh >/dev/null
total_raw=0; total_br=0
printf '%-8s %10s %10s\n' kind raw brotli
for kind in wasm js css; do
  raw=0; br=0
  for f in dist/*."$kind"; do
    raw=$((raw + $(stat -c %s "$f")))
    br=$((br + $(brotli --best -c "$f" | wc -c)))
  done
  printf '%-8s %10d %10d\n' "$kind" "$raw" "$br"
  total_raw=$((total_raw + raw)); total_br=$((total_br + br))
done
printf '%-8s %10d %10d\n' total "$total_raw" "$total_br"
