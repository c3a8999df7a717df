#!/usr/bin/env bash
# Makes a throw-away CA and a server certificate signed by it for 127.0.0.1, localhost and this
# host's name (libldap checks localhost against the host name; Samba's own certificate names
# no IP address), valid two days, for the test directories:
#
#   scripts/test-certs.sh DIR    # writes DIR/ca.pem, DIR/ca.key, DIR/server.pem, DIR/server.key
set -euo pipefail
dir=$1
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Rekey test CA" \
  -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:%s\n' "$(hostname)" >"$dir/san.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
  -CAcreateserial -days 2 -extfile "$dir/san.ext" -out "$dir/server.pem" 2>/dev/null
chmod 600 "$dir/server.key" "$dir/ca.key"
