#!/usr/bin/env bash
# Starts a throw-away Active Directory domain controller (Debian's Samba AD DC) in DIR, on
# loopback's standard LDAP ports (389 with StartTLS, 636 for LDAPS: Samba has no other, so one
# runs per machine), with a CA and server certificate made here, seeded with the demo
# organisation (tests/directory/openldap.ldif, turned into AD's objects by
# tests/directory/ad_ldif.py). Rekey binds as a service account, not the Administrator.
#
#   scripts/samba-ad.sh DIR [WATCH_PID]
#
# With WATCH_PID, Samba stops when that process ends and DIR is removed (the API tests start
# one per test run this way). Prints nothing on success; DIR/ca.pem is the CA, DIR/samba.pid the process,
# DIR/admin.pw the Administrator's password, for tests that change the directory behind
# Rekey's back. The domain locks an account after 5 wrong passwords, as the OpenLDAP one does.
set -euo pipefail
dir=$1 watch=${2:-}
root="$(cd "$(dirname "$0")/.." && pwd)"
suffix="DC=contoso,DC=example" realm="contoso.example"

# The last test run's Samba may still be stopping: give it a few seconds.
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null || break
  sleep 0.2
done
if (exec 3<>/dev/tcp/127.0.0.1/636) 2>/dev/null; then
  echo "samba-ad.sh: port 636 is taken (another Samba or LDAP server runs on this machine)" >&2
  exit 1
fi
mkdir -p "$dir/etc" "$dir/run"
: >"$dir/etc/smb.conf" # empty, or samba-tool copies the system's smb.conf
# AD wants a complex password.
admin_pw="Admin-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')-X9"
printf '%s' "$admin_pw" >"$dir/admin.pw"
samba-tool domain provision -s "$dir/etc/smb.conf" --targetdir="$dir" \
  --realm="${realm^^}" --domain=CONTOSO --host-name=DC1 --server-role=dc \
  --dns-backend=NONE --adminpass="$admin_pw" \
  --option="interfaces=lo" --option="bind interfaces only=yes" \
  --option="disable netbios=yes" >"$dir/provision.log" 2>&1
# Only the LDAP service; Rekey needs nothing else. An old password stops working at once
# (AD's default keeps it valid for an hour), people may change a password the day they got it,
# and passwords expire after 20 days (as the OpenLDAP test directory's do).
sed -i "s|^\tserver services = .*|\tserver services = ldap\n\told password allowed period = 0\n\tpid directory = $dir/run\n\tncalrpc dir = $dir/run/ncalrpc\n\tlog file = $dir/samba.log|" \
  "$dir/etc/smb.conf"
samba-tool domain passwordsettings set -s "$dir/etc/smb.conf" \
  --account-lockout-threshold=5 --min-pwd-age=0 --max-pwd-age=20 >/dev/null

# Samba's own certificate has no subjectAltName; ours names 127.0.0.1, localhost and this host.
"$root/scripts/test-certs.sh" "$dir"
mkdir -p "$dir/private/tls"
cp "$dir/ca.pem" "$dir/private/tls/ca.pem"
cp "$dir/server.pem" "$dir/private/tls/cert.pem"
cp "$dir/server.key" "$dir/private/tls/key.pem"

# In the foreground (-i) behind `&`: it stays in the caller's process group.
samba -i -M single -s "$dir/etc/smb.conf" >"$dir/samba.out" 2>&1 </dev/null &
samba_pid=$!
printf '%s' "$samba_pid" >"$dir/samba.pid"
export LDAPTLS_CACERT="$dir/ca.pem"
for _ in $(seq 100); do
  ldapsearch -x -H ldaps://127.0.0.1 -D "Administrator@$realm" -w "$admin_pw" -b "" -s base \
    >/dev/null 2>&1 && break
  sleep 0.1
done
python3 "$root/tests/directory/ad_ldif.py" "$suffix" "$realm" <"$root/tests/directory/openldap.ldif" |
  ldapadd -x -H ldaps://127.0.0.1 -D "Administrator@$realm" -w "$admin_pw" >/dev/null

# Delegate to the service account, on the people's OU and inherited by its user objects, what
# password writeback needs and no more: the Reset Password right, and writing lockoutTime
# (unlock) and pwdLastSet (must change at next sign-in). And let it read fine-grained password
# policies, so a person under one is shown its rules.
service_sid=$(ldapsearch -LLL -o ldif-wrap=no -x -H ldaps://127.0.0.1 -D "Administrator@$realm" \
  -w "$admin_pw" -b "OU=services,$suffix" "(sAMAccountName=rekey-service)" objectSid |
  sed -n 's/^objectSid:: //p' | python3 -c '
import base64, struct, sys
b = base64.b64decode(sys.stdin.read().strip())
subs = struct.unpack("<" + "I" * b[1], b[8:8 + 4 * b[1]])
print("S-%d-%d-%s" % (b[0], int.from_bytes(b[2:8], "big"), "-".join(map(str, subs))))')
user_class=bf967aba-0de6-11d0-a285-00aa003049e2
for right in "CR;00299570-246d-11d0-a768-00aa006e0529" "RPWP;28630ebf-41d5-11d1-a9c1-0000f80367c1" \
  "RPWP;bf967a0a-0de6-11d0-a285-00aa003049e2"; do
  samba-tool dsacl set -s "$dir/etc/smb.conf" -H ldap://127.0.0.1 -U "Administrator@$realm" \
    --password="$admin_pw" --objectdn="OU=people,$suffix" \
    --sddl="(OA;CI;$right;$user_class;$service_sid)" >/dev/null
done
samba-tool dsacl set -s "$dir/etc/smb.conf" -H ldap://127.0.0.1 -U "Administrator@$realm" \
  --password="$admin_pw" --objectdn="CN=Password Settings Container,CN=System,$suffix" \
  --sddl="(A;CI;RPLCLORC;;;$service_sid)" >/dev/null

if [ -n "$watch" ]; then
  # In a session of its own: a runner that kills the whole process group (Playwright) leaves
  # the watcher alive to stop Samba, which leaves that group as it starts.
  setsid "$root/scripts/stop-with.sh" "$watch" "$samba_pid" "$dir" >/dev/null 2>&1 </dev/null &
fi
