#!/bin/sh
# gen-certs.sh OUTDIR - test certificates for the TLS tests (openssl CLI, EC P-256).
#
# Writes into OUTDIR:
#   ca.crt ca.key            test root CA
#   server.crt server.key    CN=localhost, SAN DNS:localhost only (no IP SAN: "127.0.0.1" is a wrong host name)
#   other-ca.crt             an unrelated CA (wrong-CA test)
#   expired.crt expired.key  signed by ca, SAN DNS:localhost, valid 2020-01-01 .. 2020-01-02 only
#   client-only.crt client-only.key  signed by ca, SAN DNS:localhost, but extendedKeyUsage clientAuth only:
#                            a chain and name that verify, on a certificate not meant for a server
#
# Idempotent: if a complete, still valid set exists it is kept; otherwise everything is regenerated.
# Quiet on success; on failure prints the openssl output and exits non-zero.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
mkdir -p "$out"
cd "$out"

# Reuse an existing set if it is complete and the server cert is valid for at least another day.
if [ -s ca.crt ] && [ -s ca.key ] && [ -s server.crt ] && [ -s server.key ] && [ -s other-ca.crt ] &&
   [ -s expired.crt ] && [ -s expired.key ] && [ -s client-only.crt ] && [ -s client-only.key ] &&
   openssl verify -CAfile ca.crt server.crt >/dev/null 2>&1 &&
   openssl x509 -in server.crt -noout -checkend 86400 >/dev/null 2>&1; then
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gen-certs.XXXXXX")
log=$work/log
trap 'rm -rf "$work"' EXIT

run() {
    if ! "$@" >>"$log" 2>&1; then
        echo "gen-certs.sh: failed: $*" >&2
        cat "$log" >&2
        exit 1
    fi
}

cat >"$work/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt             = no
x509_extensions    = v3_ca
[dn]
CN = novita-c Test Root CA
O  = novita-c test-suite
[v3_ca]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
EOF

cat >"$work/server.ext" <<'EOF'
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:localhost
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid, issuer
EOF

# Minimal "openssl ca" setup: the only OpenSSL 3.0 way to choose an explicit (past) validity period.
mkdir -p "$work/ca/newcerts"
: >"$work/ca/index.txt"
echo 1000 >"$work/ca/serial"
cat >"$work/ca-sign.cnf" <<EOF
[ca]
default_ca = test_ca
[test_ca]
dir              = $work/ca
database         = \$dir/index.txt
new_certs_dir    = \$dir/newcerts
serial           = \$dir/serial
default_md       = sha256
policy           = any
unique_subject   = no
copy_extensions  = none
[any]
commonName       = supplied
organizationName = optional
EOF

sed 's/^extendedKeyUsage .*/extendedKeyUsage       = clientAuth/' "$work/server.ext" >"$work/client-only.ext"

# Test root CA
run openssl ecparam -name prime256v1 -genkey -noout -out "$work/ca.key"
run openssl req -new -x509 -sha256 -days 3650 -key "$work/ca.key" -config "$work/ca.cnf" -out "$work/ca.crt"

# Server certificate for localhost
run openssl ecparam -name prime256v1 -genkey -noout -out "$work/server.key"
run openssl req -new -sha256 -key "$work/server.key" -subj "/CN=localhost/O=novita-c test-suite" \
    -out "$work/server.csr"
run openssl x509 -req -sha256 -days 825 -in "$work/server.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
    -set_serial 2 -extfile "$work/server.ext" -out "$work/server.crt"
run openssl verify -CAfile "$work/ca.crt" "$work/server.crt"

# Unrelated CA for the wrong-CA test
run openssl ecparam -name prime256v1 -genkey -noout -out "$work/other-ca.key"
run openssl req -new -x509 -sha256 -days 3650 -key "$work/other-ca.key" -config "$work/ca.cnf" \
    -subj "/CN=novita-c Other CA/O=novita-c test-suite" -out "$work/other-ca.crt"

# Expired server certificate (signed by the test CA, otherwise identical to server.crt)
run openssl ecparam -name prime256v1 -genkey -noout -out "$work/expired.key"
run openssl req -new -sha256 -key "$work/expired.key" -subj "/CN=localhost/O=novita-c test-suite" \
    -out "$work/expired.csr"
run openssl ca -batch -notext -config "$work/ca-sign.cnf" -cert "$work/ca.crt" -keyfile "$work/ca.key" \
    -startdate 20200101000000Z -enddate 20200102000000Z -extfile "$work/server.ext" \
    -in "$work/expired.csr" -out "$work/expired.crt"
if openssl x509 -in "$work/expired.crt" -noout -checkend 0 >/dev/null 2>&1; then
    echo "gen-certs.sh: expired.crt is not expired" >&2
    exit 1
fi

# A server certificate for a client only (extendedKeyUsage clientAuth)
run openssl ecparam -name prime256v1 -genkey -noout -out "$work/client-only.key"
run openssl req -new -sha256 -key "$work/client-only.key" -subj "/CN=localhost/O=novita-c test-suite" \
    -out "$work/client-only.csr"
run openssl x509 -req -sha256 -days 825 -in "$work/client-only.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
    -set_serial 3 -extfile "$work/client-only.ext" -out "$work/client-only.crt"

for f in ca.crt ca.key server.crt server.key other-ca.crt expired.crt expired.key client-only.crt client-only.key; do
    cp "$work/$f" "$f.tmp"
    mv "$f.tmp" "$f"
done
chmod 600 ca.key server.key expired.key client-only.key
