# shellcheck shell=bash
# tls: a local certificate authority and one server certificate for the MariaDB and MySQL 8 sources
# (subject alternative names 127.0.0.1, ::1 and localhost), so servers registered with tls_mode
# verify_ca or verify_identity and REWIND_SOURCE_TLS_CA can be tested. A second, unrelated CA
# (REWIND_SOURCE_TLS_OTHER_CA) is what "a wrong CA" looks like. Made once, kept in $REWIND_HOME/tls.

TLS_STATE="$REWIND_HOME/tls"
export TLS_STATE

tls_ensure() {
  command -v openssl >/dev/null 2>&1 || apt_install openssl
  [ -f "$TLS_STATE/server-cert.pem" ] && [ -f "$TLS_STATE/other-ca.pem" ] && return 0
  mkdir -p "$TLS_STATE"
  (
    cd "$TLS_STATE"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Rewind local sources CA" \
      -keyout ca-key.pem -out ca.pem
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server-key.pem -out server.csr
    printf 'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 \
      -extfile server.ext -out server-cert.pem
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Some other CA" \
      -keyout other-ca-key.pem -out other-ca.pem
    rm -f server.csr server.ext ca.srl
    chmod 644 ca.pem other-ca.pem server-cert.pem
  ) >>"$LOGS_DIR/tls.log" 2>&1 || die tls "could not make the local certificates (see $LOGS_DIR/tls.log)"
  say tls "made a local CA and the sources' certificate in $TLS_STATE"
}
