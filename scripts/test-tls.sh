#!/bin/sh
# A throwaway certificate authority and a certificate for 127.0.0.1/localhost, for the hub's
# HTTPS in tests: DIR/ca.pem (to trust), DIR/hub.pem and DIR/hub.key (for the server).
set -eu
dir=${1:?usage: test-tls.sh DIR}
mkdir -p "$dir"
cd "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
  -subj "/CN=CitizenWatt throwaway test CA" >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout hub.key -out hub.csr -subj "/CN=127.0.0.1" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl x509 -req -in hub.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out hub.pem -days 2 \
  -extfile ext.cnf >/dev/null 2>&1
rm -f hub.csr ca.key ca.srl ext.cnf
