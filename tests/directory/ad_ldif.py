"""Turns the demo organisation's OpenLDAP LDIF (tests/directory/openldap.ldif) into the same
organisation for Active Directory: people become user objects named by their full name, with
sAMAccountName and userPrincipalName, groups become security groups, passwords unicodePwd."""
import base64, re, sys

suffix, realm = sys.argv[1], sys.argv[2]
text = sys.stdin.read()
entries = [
    [tuple(line.split(": ", 1)) for line in block.splitlines() if line and not line.startswith("#")]
    for block in re.split(r"\n\s*\n", text)
]
entries = [e for e in entries if e]

def values(entry, name):
    return [v for k, v in entry if k.lower() == name.lower()]

def password(plain):
    return base64.b64encode(f'"{plain}"'.encode("utf-16-le")).decode()

# The DN of each person as AD names them (their full name), for group members.
renamed = {}
for e in entries:
    dn = e[0][1].replace("@SUFFIX@", suffix)
    classes = values(e, "objectClass")
    if "inetOrgPerson" in classes:
        renamed[dn.lower()] = f"CN={values(e, 'cn')[0]},OU=people,{suffix}"
    elif "applicationProcess" in classes and "simpleSecurityObject" in classes:
        renamed[dn.lower()] = dn

out = []
for e in entries:
    dn = e[0][1].replace("@SUFFIX@", suffix)
    classes = values(e, "objectClass")
    if "organizationalUnit" in classes and values(e, "ou")[0] != "policies":
        out.append(f"dn: {dn}\nobjectClass: organizationalUnit\n")
    elif dn.lower() in renamed:
        # People, and the service account as an ordinary account.
        name = (values(e, "uid") or values(e, "cn"))[0]
        lines = [f"dn: {renamed[dn.lower()]}", "objectClass: user",
                 f"sAMAccountName: {name}", f"userPrincipalName: {name}@{realm}",
                 "userAccountControl: 512",
                 f"unicodePwd:: {password(values(e, 'userPassword')[0])}"]
        for attr in ("givenName", "sn", "displayName", "mail", "mobile"):
            lines += [f"{attr}: {v}" for v in values(e, attr)]
        out.append("\n".join(lines) + "\n")
    elif "groupOfNames" in classes:
        cn = values(e, "cn")[0]
        lines = [f"dn: {dn}", "objectClass: group", f"sAMAccountName: {cn}"]
        lines += [f"description: {v}" for v in values(e, "description")]
        for m in values(e, "member"):
            m = m.replace("@SUFFIX@", suffix)
            lines.append(f"member: {renamed.get(m.lower(), m)}")
        out.append("\n".join(lines) + "\n")
print("\n".join(out))
