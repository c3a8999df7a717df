#!/usr/bin/env bash
# Starts a throw-away OpenLDAP server (Debian's slapd, with the ppolicy and memberof overlays)
# in DIR, on loopback: plain LDAP on PORT (StartTLS offered) and LDAPS on TLS_PORT, with a CA and
# server certificate made here, seeded with the demo organisation (tests/directory/openldap.ldif).
# Rekey binds as a service account, not the root DN (ppolicy ignores the root DN).
#
#   scripts/slapd.sh DIR PORT TLS_PORT [WATCH_PID]
#
# With WATCH_PID, slapd stops when that process ends and DIR is removed (the API tests start
# one slapd per test run this way). Prints nothing on success; DIR/ca.pem is the CA, DIR/slapd.pid the process,
# DIR/root.pw the root DN's password (cn=root,dc=contoso,dc=example), for tests that change
# the directory behind Rekey's back.
set -euo pipefail
dir=$1 port=$2 tls_port=$3 watch=${4:-}
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$dir/slapd.d" "$dir/data"
suffix="dc=contoso,dc=example"
# Root DN only for loading the data; Rekey never uses it.
root_pw="root-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s' "$root_pw" > "$dir/root.pw"

"$root/scripts/test-certs.sh" "$dir"

cat > "$dir/config.ldif" <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $dir/slapd.pid
olcTLSCACertificateFile: $dir/ca.pem
olcTLSCertificateFile: $dir/server.pem
olcTLSCertificateKeyFile: $dir/server.key

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy
olcModuleLoad: memberof

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: unlimited

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $suffix
olcRootDN: cn=root,$suffix
olcRootPW: $root_pw
olcDbDirectory: $dir/data
olcDbMaxSize: 1073741824
olcLimits: dn.exact="cn=rekey-service,ou=services,$suffix" size=unlimited time=unlimited
olcDbIndex: objectClass eq
olcDbIndex: uid,mail,cn eq,sub
olcDbIndex: entryUUID,member,memberOf eq
olcAccess: to attrs=userPassword by dn.exact="cn=rekey-service,ou=services,$suffix" write by self write by anonymous auth by * none
olcAccess: to attrs=pwdAccountLockedTime,pwdReset,pwdFailureTime by dn.exact="cn=rekey-service,ou=services,$suffix" write by * read
olcAccess: to * by dn.exact="cn=rekey-service,ou=services,$suffix" read by dn.exact="cn=rekey-reader,ou=services,$suffix" read by self read by * none

dn: olcOverlay={0}memberof,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcMemberOf
olcOverlay: {0}memberof
olcMemberOfRefInt: TRUE
olcMemberOfGroupOC: groupOfNames
olcMemberOfMemberAD: member
olcMemberOfMemberOfAD: memberOf

dn: olcOverlay={1}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {1}ppolicy
olcPPolicyDefault: cn=default,ou=policies,$suffix
olcPPolicyHashCleartext: TRUE
olcPPolicyUseLockout: TRUE
LDIF
slapadd -n0 -F "$dir/slapd.d" -l "$dir/config.ldif" >/dev/null

# In the foreground (-d 0) behind `&`, not daemonised: it stays in the caller's process group,
# so whoever stops the caller's group (a test runner) stops it too.
slapd -d 0 -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tls_port/" -F "$dir/slapd.d" \
  >"$dir/slapd.log" 2>&1 </dev/null &
slapd_pid=$!
for _ in $(seq 50); do
  ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base >/dev/null 2>&1 && break
  sleep 0.1
done
sed "s/@SUFFIX@/$suffix/g" "$root/tests/directory/openldap.ldif" |
  ldapadd -x -H "ldap://127.0.0.1:$port" -D "cn=root,$suffix" -w "$root_pw" >/dev/null

if [ -n "$watch" ]; then
  "$root/scripts/stop-with.sh" "$watch" "$slapd_pid" "$dir" >/dev/null 2>&1 </dev/null &
fi
