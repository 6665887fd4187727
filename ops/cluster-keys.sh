#!/bin/sh
# The clustered event bus's keys (docs/cluster.md): a CA of the cluster's own and one member certificate it signed,
# in PEM, EC P-256, valid ten years. The CA's key is deleted once it has signed, so nothing else can ever be signed
# as a member: to add a certificate later, make a new set and roll every member onto it.
#
#   ops/cluster-keys.sh DIR [UID:GID]    # writes DIR/ca.crt, DIR/member.crt, DIR/member.key (0400, owned UID:GID)
#
# A DIR that already holds member.key is left as it is (compose's cluster-keys service runs this at every `up`).
# In Kubernetes: ops/cluster-keys.sh ops/k8s/cluster-tls, then kubectl apply -k ops/k8s (the Secret surge-cluster-tls).
set -eu
dir=${1:?usage: ops/cluster-keys.sh DIR [UID:GID]}
owner=${2:-}
mkdir -p "$dir"
cd "$dir"
[ -s member.key ] && exit 0
umask 077
command -v openssl > /dev/null || { echo "cluster-keys: openssl is needed" >&2; exit 1; }
# Nothing half made is left behind, the CA's key least of all; openssl's output is shown when it fails.
trap 'rm -f ca.key ca.srl member.csr member.ext member.key.new' EXIT
quiet() { out=$("$@" 2>&1) || { printf '%s\n' "$out" >&2; echo "cluster-keys: $1 failed" >&2; exit 1; }; }
quiet openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj /CN=surge-cluster-ca \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -keyout ca.key -out ca.crt
quiet openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=surge-cluster-member \
  -keyout member.key.new -out member.csr
# A member both connects (client) and is connected to (server) over the event bus.
printf '%s\n' basicConstraints=critical,CA:FALSE keyUsage=critical,digitalSignature \
  extendedKeyUsage=serverAuth,clientAuth > member.ext
quiet openssl x509 -req -in member.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile member.ext \
  -out member.crt
rm -f ca.key ca.srl member.csr member.ext
if [ -n "$owner" ]; then
  chown "$owner" ca.crt member.crt member.key.new
fi
chmod 0444 ca.crt member.crt
chmod 0400 member.key.new
mv member.key.new member.key
trap - EXIT
echo "cluster-keys: made $dir/ca.crt, $dir/member.crt and $dir/member.key"
