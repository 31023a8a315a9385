#!/usr/bin/env bash
# Test-only TLS material for serve/SecurityTest (never use these keys for anything else): a CA, a server certificate
# for localhost/127.0.0.1 and a client certificate, all signed by the CA, valid for 100 years. Rerun to regenerate.
set -euo pipefail
cd "$(dirname "$0")"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj "/CN=mtlj test CA" \
  -keyout ca.key -out ca.pem
for who in server client; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=mtlj test $who" \
    -keyout "$who.key.tmp" -out "$who.csr"
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=%s\n' \
    "$([ "$who" = server ] && echo serverAuth || echo clientAuth)" > "$who.ext"
  openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 -extfile "$who.ext" \
    -out "$who.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$who.key.tmp" -out "$who.key"
  rm -f "$who.csr" "$who.ext" "$who.key.tmp"
done
rm -f ca.key ca.srl
