//! The directories the LDAP tests run against, one of each kind per test run: OpenLDAP (slapd,
//! `scripts/slapd.sh`) and Active Directory (Samba AD DC, `scripts/samba-ad.sh`), both seeded
//! with the demo organisation and reached over LDAPS as the same service account. A test
//! written once against [`TestDirectory`] runs against both. If a server cannot start, the tests
//! fail: they never skip.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use rekey_server::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

pub const SUFFIX: &str = "dc=contoso,dc=example";
/// The same DN in both directories.
pub const SERVICE_DN: &str = "cn=rekey-service,ou=services,dc=contoso,dc=example";
pub const SERVICE_PASSWORD: &str = "Rekey-service-2026";
const REALM: &str = "contoso.example";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Openldap,
    Ad,
}

/// A running directory seeded with the demo organisation, and what a test does to it behind
/// Rekey's back (as the directory's own administrator would).
pub struct TestDirectory {
    pub kind: Kind,
    pub ldaps_url: String,
    /// Plain LDAP, where StartTLS is offered.
    pub ldap_url: String,
    /// Where the server keeps its files: `ca.pem` is its CA, `server.pem` a certificate that
    /// is not a CA (for "the wrong CA").
    pub dir: PathBuf,
    admin_dn: String,
    admin_password: String,
}

/// The run's directory of this kind, started on first use.
pub fn directory(kind: Kind) -> &'static TestDirectory {
    static AD: OnceLock<TestDirectory> = OnceLock::new();
    match kind {
        Kind::Openldap => &super::slapd::slapd().directory,
        Kind::Ad => AD.get_or_init(start_samba),
    }
}

/// Runs a start-up script with the server's directory and this process as the one to outlive.
pub(super) fn run_script(name: &str, args: &[String], hint: &str) {
    let script = format!("{}/../../scripts/{name}", env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("bash")
        .arg(script)
        .args(args)
        .arg(std::process::id().to_string())
        .status()
        .unwrap_or_else(|e| panic!("run scripts/{name}: {e}"));
    assert!(status.success(), "{name} failed ({hint})");
}

/// One Samba AD DC for the run. It listens on the standard ports, so there is only one.
fn start_samba() -> TestDirectory {
    // Kept for the whole run (the process ends before a TempDir would be dropped).
    let dir = tempfile::tempdir().expect("temp dir").keep();
    run_script(
        "samba-ad.sh",
        &[dir.display().to_string()],
        "scripts/bootstrap.sh installs samba, samba-ad-dc and samba-ad-provision",
    );
    let admin_password = std::fs::read_to_string(dir.join("admin.pw")).expect("admin.pw");
    TestDirectory {
        kind: Kind::Ad,
        ldaps_url: "ldaps://127.0.0.1".into(),
        ldap_url: "ldap://127.0.0.1".into(),
        dir,
        admin_dn: format!("Administrator@{REALM}"),
        admin_password,
    }
}

impl TestDirectory {
    /// An OpenLDAP server started by `scripts/slapd.sh` in `dir`.
    pub(super) fn openldap(dir: &Path, port: u16, tls_port: u16) -> TestDirectory {
        let admin_password = std::fs::read_to_string(dir.join("root.pw")).expect("root.pw");
        TestDirectory {
            kind: Kind::Openldap,
            ldaps_url: format!("ldaps://127.0.0.1:{tls_port}"),
            ldap_url: format!("ldap://127.0.0.1:{port}"),
            dir: dir.to_path_buf(),
            admin_dn: format!("cn=root,{SUFFIX}"),
            admin_password,
        }
    }

    /// Where LDAPS answers.
    pub fn ldaps_addr(&self) -> std::net::SocketAddr {
        let host_port = self.ldaps_url.trim_start_matches("ldaps://");
        let with_port = if host_port.contains(':') {
            host_port.to_string()
        } else {
            format!("{host_port}:636")
        };
        with_port.parse().expect("an IP address and port")
    }

    pub fn ca_file(&self) -> String {
        self.dir.join("ca.pem").display().to_string()
    }

    /// A certificate that did not sign the server's: "the wrong CA".
    pub fn wrong_ca_file(&self) -> String {
        self.dir.join("server.pem").display().to_string()
    }

    fn people_base(&self) -> String {
        format!("ou=people,{SUFFIX}")
    }

    /// Where groups live. In AD the domain's built-in groups live elsewhere; only the
    /// organisation's own are Rekey's concern.
    fn groups_base(&self) -> String {
        format!("ou=groups,{SUFFIX}")
    }

    /// The attribute people sign in with: `uid` in OpenLDAP, the pre-Windows 2000 name in AD.
    fn sign_in_attribute(&self) -> &'static str {
        match self.kind {
            Kind::Openldap => "uid",
            Kind::Ad => "sAMAccountName",
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Openldap => "openldap",
            Kind::Ad => "ad",
        }
    }

    /// A users filter that finds the seeded organisation (the break-glass impostor included)
    /// and none of the people tests add while others sync: those have no given name.
    pub fn seeded_people_filter(&self) -> String {
        let people = match self.kind {
            Kind::Openldap => "(objectClass=inetOrgPerson)",
            Kind::Ad => "(&(objectCategory=person)(objectClass=user))",
        };
        format!(
            "(&{people}(|(givenName=*)({}=rekey.admin)))",
            self.sign_in_attribute()
        )
    }

    /// Server flags that connect Rekey to this directory over LDAPS as the service account.
    pub fn server_args(&self) -> Vec<String> {
        let args = [
            ("--directory-kind", self.kind_name().to_string()),
            ("--directory-url", self.ldaps_url.clone()),
            ("--directory-ca-file", self.ca_file()),
            ("--directory-bind-dn", SERVICE_DN.into()),
            ("--directory-bind-password", SERVICE_PASSWORD.into()),
            ("--directory-base-dn", self.people_base()),
            ("--directory-group-base-dn", self.groups_base()),
            (
                "--directory-sign-in-attribute",
                self.sign_in_attribute().into(),
            ),
        ];
        args.into_iter()
            .flat_map(|(flag, value)| [flag.to_string(), value])
            .collect()
    }

    /// The settings an admin types into the Directory page for this server.
    pub fn admin_settings(&self, bind_password: &str) -> Value {
        let ca = std::fs::read_to_string(self.ca_file()).expect("CA");
        let (users_filter, groups_filter, stable_id) = match self.kind {
            Kind::Openldap => (
                "(objectClass=inetOrgPerson)",
                "(objectClass=groupOfNames)",
                "entryUUID",
            ),
            Kind::Ad => (
                "(&(objectCategory=person)(objectClass=user))",
                "(objectClass=group)",
                "objectGUID",
            ),
        };
        json!({
            "source": "ldap",
            "ldap": {
                "kind": self.kind_name(),
                // As an admin might type it: Rekey stores ldaps://127.0.0.1:port.
                "urls": [format!(" {}/ ", self.ldaps_url.replace("ldaps", "LDAPS"))],
                "starttls": true,
                "ca_pem": ca,
                "bind_dn": SERVICE_DN,
                "users_base_dn": self.people_base(),
                "users_filter": users_filter,
                "groups_base_dn": self.groups_base(),
                "groups_filter": groups_filter,
                "attributes": {"sign_in_name": self.sign_in_attribute(),
                    "display_name": "displayName", "email": "mail", "mobile": "mobile",
                    "stable_id": stable_id},
                "timeout_seconds": 5
            },
            "bind_password": bind_password
        })
    }

    /// The DN of a person a test added with [`TestDirectory::add_person`] or of a seeded
    /// OpenLDAP person (AD names seeded people by their full name).
    pub fn person_dn(&self, name: &str) -> String {
        match self.kind {
            Kind::Openldap => format!("uid={name},ou=people,{SUFFIX}"),
            Kind::Ad => format!("cn={name},ou=people,{SUFFIX}"),
        }
    }

    /// Changes the directory as its administrator would (ldapmodify with LDIF).
    pub fn modify(&self, ldif: &str) {
        let mut child = Command::new("ldapmodify")
            .args(["-x", "-H", &self.ldaps_url, "-D", &self.admin_dn])
            .args(["-w", &self.admin_password])
            .env("LDAPTLS_CACERT", self.ca_file())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("ldapmodify");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(ldif.as_bytes())
            .expect("write LDIF");
        assert!(
            child.wait().expect("ldapmodify").success(),
            "ldapmodify: {ldif}"
        );
    }

    /// Adds a person no other test uses (`name` is theirs alone), with the demo password.
    /// AD's pre-Windows 2000 names are at most 20 characters.
    pub fn add_person(&self, name: &str, display_name: &str) {
        let dn = self.person_dn(name);
        let entry = match self.kind {
            Kind::Openldap => format!(
                "objectClass: inetOrgPerson\nuid: {name}\ncn: {display_name}\n\
                 userPassword: {DEMO_PASSWORD}\n"
            ),
            Kind::Ad => {
                use base64::Engine;
                let quoted: Vec<u8> = format!("\"{DEMO_PASSWORD}\"")
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect();
                let password = base64::engine::general_purpose::STANDARD.encode(quoted);
                format!(
                    "objectClass: user\nsAMAccountName: {name}\n\
                     userPrincipalName: {name}@{REALM}\nuserAccountControl: 512\n\
                     unicodePwd:: {password}\n"
                )
            }
        };
        self.modify(&format!(
            "dn: {dn}\nchangetype: add\n{entry}sn: {display_name}\ndisplayName: {display_name}\n"
        ));
    }

    pub fn delete_person(&self, name: &str) {
        self.modify(&format!(
            "dn: {}\nchangetype: delete\n",
            self.person_dn(name)
        ));
    }

    /// Adds a person a test added to one of the seeded groups.
    pub fn add_to_group(&self, name: &str, group: &str) {
        self.modify(&format!(
            "dn: cn={group},ou=groups,{SUFFIX}\nchangetype: modify\nadd: member\n\
             member: {}\n",
            self.person_dn(name)
        ));
    }

    /// Applies one LDIF modification (`replace: ...` and its values) to a person.
    pub fn change_person(&self, name: &str, change: &str) {
        self.modify(&format!(
            "dn: {}\nchangetype: modify\n{change}\n",
            self.person_dn(name)
        ));
    }

    /// Makes the person change their password at their next sign-in, as the directory's
    /// administrator would: ppolicy's `pwdReset`, AD's `pwdLastSet` of 0.
    pub fn require_new_password(&self, name: &str) {
        self.change_person(
            name,
            match self.kind {
                Kind::Openldap => "replace: pwdReset\npwdReset: TRUE",
                Kind::Ad => "replace: pwdLastSet\npwdLastSet: 0",
            },
        );
    }

    /// Turns the person's account off, as the directory's administrator would: AD's disabled
    /// flag, OpenLDAP's permanent ppolicy lock.
    pub fn disable(&self, name: &str) {
        self.change_person(
            name,
            match self.kind {
                Kind::Openldap => {
                    "replace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z"
                }
                Kind::Ad => "replace: userAccountControl\nuserAccountControl: 514",
            },
        );
    }

    /// Locks the person out by the directory's own lockout: more wrong binds than its
    /// threshold (5), made straight to the directory, not through Rekey.
    pub fn lock_by_failed_binds(&self, name: &str) {
        for _ in 0..6 {
            assert!(!self.accepts(name, "Wrong-guess-2026"));
        }
        assert!(
            !self.accepts(name, DEMO_PASSWORD),
            "locked: even the right password is refused"
        );
    }

    /// AD only: denies Rekey's service account the Reset Password right on this person, as
    /// AD does for the members of protected groups (domain admins and the like).
    pub fn protect(&self, name: &str) {
        assert_eq!(self.kind, Kind::Ad);
        let found = Command::new("ldapsearch")
            .args(["-LLL", "-o", "ldif-wrap=no", "-x", "-H", &self.ldaps_url])
            .args(["-D", &self.admin_dn, "-w", &self.admin_password])
            .args(["-b", SERVICE_DN, "-s", "base", "objectSid"])
            .env("LDAPTLS_CACERT", self.ca_file())
            .output()
            .expect("ldapsearch");
        let text = String::from_utf8_lossy(&found.stdout);
        let encoded = text
            .lines()
            .find_map(|l| l.strip_prefix("objectSid:: "))
            .expect("the service account's SID");
        use base64::Engine;
        let sid = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .expect("base64");
        let authority = sid[2..8].iter().fold(0u64, |a, b| (a << 8) | u64::from(*b));
        let subs: Vec<String> = sid[8..]
            .chunks(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]).to_string())
            .collect();
        let sid = format!("S-{}-{authority}-{}", sid[0], subs.join("-"));
        let reset_password = "00299570-246d-11d0-a768-00aa006e0529";
        let status = Command::new("samba-tool")
            .args(["dsacl", "set", "-s"])
            .arg(self.dir.join("etc/smb.conf"))
            .args(["-H", "ldap://127.0.0.1", "-U", &self.admin_dn])
            .arg(format!("--password={}", self.admin_password))
            .arg(format!("--objectdn={}", self.person_dn(name)))
            .arg(format!("--sddl=(OD;;CR;{reset_password};;{sid})"))
            .env("LDAPTLS_CACERT", self.ca_file())
            .stdout(Stdio::null())
            .status()
            .expect("samba-tool");
        assert!(status.success(), "samba-tool dsacl set");
    }

    /// AD only: a fine-grained password policy (a PSO) applied to this person alone, as a
    /// domain admin would give stricter rules to a few.
    pub fn apply_fine_grained_policy(&self, name: &str, min_length: u16, history: u16) {
        assert_eq!(self.kind, Kind::Ad);
        let pso = format!("rekey-{name}");
        let samba_tool = |args: &[&str]| {
            let status = Command::new("samba-tool")
                .args(["domain", "passwordsettings", "pso"])
                .args(args)
                .arg("-s")
                .arg(self.dir.join("etc/smb.conf"))
                .args(["-H", "ldap://127.0.0.1", "-U", &self.admin_dn])
                .arg(format!("--password={}", self.admin_password))
                .env("LDAPTLS_CACERT", self.ca_file())
                .stdout(Stdio::null())
                .status()
                .expect("samba-tool");
            assert!(status.success(), "samba-tool pso {args:?}");
        };
        samba_tool(&[
            "create",
            &pso,
            "1",
            &format!("--min-pwd-length={min_length}"),
            &format!("--history-length={history}"),
            "--complexity=on",
        ]);
        samba_tool(&["apply", &pso, name]);
    }

    /// Whether the directory itself accepts this person's password now (a bind that does not
    /// go through Rekey; AD also takes the user principal name).
    pub fn accepts(&self, name: &str, password: &str) -> bool {
        let bind = match self.kind {
            Kind::Openldap => self.person_dn(name),
            Kind::Ad => format!("{name}@{REALM}"),
        };
        Command::new("ldapsearch")
            .args(["-x", "-H", &self.ldaps_url, "-D", &bind, "-w", password])
            .args(["-b", "", "-s", "base"])
            .env("LDAPTLS_CACERT", self.ca_file())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("ldapsearch")
            .success()
    }
}
