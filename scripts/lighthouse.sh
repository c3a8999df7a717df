#!/usr/bin/env bash
# Benchmark: Lighthouse 12 (mobile preset, simulated throttling) against Debian's Chromium on
# the user-facing pages of a freshly started demo server. Prints the performance and
# accessibility scores and the metrics behind them per page, and writes the JSON reports to
# target/lighthouse/.
# Lighthouse is installed on first use into target/lighthouse/tool (not a test dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh >/dev/null
scripts/build-spa.sh >/dev/null
cargo build --release -p rekey-server 2>/dev/null

out=target/lighthouse
tool="$out/tool"
if [ ! -x "$tool/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$tool"
  npm install --prefix "$tool" --no-audit --no-fund --loglevel=error lighthouse@12.2.3
fi

port=18180
data=$(mktemp -d)
target/release/rekey serve --demo --listen "127.0.0.1:$port" --data-dir "$data" >"$out.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$out.log"; exit 1; }

printf '%-8s %5s %5s %8s %8s %8s %6s\n' page perf a11y FCP LCP TBT CLS
for page in signin reset; do
  "$tool/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$page" \
    --chrome-path=/usr/bin/chromium --chrome-flags="--headless=new --no-sandbox" \
    --only-categories=performance,accessibility --output=json \
    --output-path="$out/$page.json" --quiet
  node -e '
    const r = require(process.argv[1]);
    const score = (c) => String(Math.round(r.categories[c].score * 100)).padStart(5);
    const value = (a, width) => r.audits[a].displayValue.replace(/\s/g, "").padStart(width);
    console.log(process.argv[2].padEnd(8), score("performance"), score("accessibility"),
      value("first-contentful-paint", 8), value("largest-contentful-paint", 8),
      value("total-blocking-time", 8), value("cumulative-layout-shift", 6));
  ' "$PWD/$out/$page.json" "$page"
done
