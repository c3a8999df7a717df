#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already present,
# so a second run takes seconds. Called by scripts/run-demo.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION="0.21"
export PATH="$HOME/.cargo/bin:$PWD/tests/e2e/node_modules/.bin:$PATH"

log() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# OpenSSL's headers: webauthn-rs (passkeys) builds against the system's OpenSSL 3.
if ! dpkg -s libssl-dev >/dev/null 2>&1 || ! command -v pkg-config >/dev/null; then
  log "installing OpenSSL's headers and pkg-config from Debian"
  apt_install libssl-dev pkg-config
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The standard library's sources: the SPA's release build compiles its own, trimmed for size
# (scripts/build-spa.sh).
if ! rustup component list --installed | grep -qx 'rust-src'; then
  log "adding the standard library's sources"
  rustup component add rust-src
fi
# ...and the crates those sources use, fetched now: the SPA's build runs offline. Cargo skips
# what it already has.
RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  cargo fetch --target wasm32-unknown-unknown --quiet

if ! trunk --version 2>/dev/null | grep -q "trunk ${TRUNK_VERSION}\."; then
  log "installing trunk ${TRUNK_VERSION}.x (takes several minutes once)"
  cargo install trunk --version "~${TRUNK_VERSION}" --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly, or trunk tries to download it.
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock 2>/dev/null || true)
wb_version=${wb_version:-0.2.130}
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${wb_version}\b"; then
  log "installing wasm-bindgen-cli ${wb_version} (takes several minutes once)"
  # --locked fails on a yanked transitive crate, so resolve fresh.
  cargo install wasm-bindgen-cli --version "=${wb_version}" --force
fi

if [ ! -x /usr/bin/chromium ] || ! command -v brotli >/dev/null; then
  log "installing Chromium and brotli from Debian"
  apt_install chromium chromium-driver brotli
fi

# A font with Chinese glyphs, so the browser tests' pages (and their screenshots) in zh-CN show
# text, not boxes.
if ! dpkg -s fonts-wqy-microhei >/dev/null 2>&1; then
  log "installing a CJK font from Debian"
  apt_install fonts-wqy-microhei
fi

# OpenLDAP's server and tools: the directory API tests start a throw-away slapd
# (scripts/slapd.sh), once per test run.
if ! command -v slapd >/dev/null || ! command -v ldapmodify >/dev/null; then
  log "installing OpenLDAP (slapd, ldap-utils) from Debian"
  apt_install slapd ldap-utils
fi

# Samba as an Active Directory domain controller: the directory API tests provision a throw-away
# domain (scripts/samba-ad.sh), once per test run. Provisioning needs samba-ad-provision's schema.
if ! command -v samba >/dev/null || ! dpkg -s samba-ad-provision >/dev/null 2>&1; then
  log "installing Samba AD DC from Debian"
  apt_install samba samba-ad-dc samba-ad-provision winbind
fi

# Node packages for the browser tests, a wasm-opt new enough for current Rust output, and
# esbuild, which minifies the SPA's JavaScript glue.
if [ ! -f tests/e2e/node_modules/.installed ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.installed ]; then
  log "installing npm packages (playwright, binaryen, esbuild)"
  (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  touch tests/e2e/node_modules/.installed
fi

# schemathesis fuzzes the API from its OpenAPI document (scripts/fuzz-api.sh).
SCHEMATHESIS_VERSION="4.32.5"
if ! python3 -c "import schemathesis, sys; sys.exit(schemathesis.__version__ != '${SCHEMATHESIS_VERSION}')" 2>/dev/null; then
  log "installing schemathesis ${SCHEMATHESIS_VERSION}"
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi

log "tools ready"
