//! One OpenLDAP server (Debian's slapd, with ppolicy and memberof) for the whole test run,
//! started by `scripts/slapd.sh` on free loopback ports and seeded with the demo organisation
//! (tests/directory/openldap.ldif). If it cannot start, the tests fail: they never skip.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

pub const SUFFIX: &str = "dc=contoso,dc=example";
pub const SERVICE_DN: &str = "cn=rekey-service,ou=services,dc=contoso,dc=example";
pub const SERVICE_PASSWORD: &str = "Rekey-service-2026";

pub struct Slapd {
    pub ldap_url: String,
    pub ldaps_url: String,
    pub dir: PathBuf,
    ports: (u16, u16),
    /// The process [`Slapd::restart`] started, reaped when stopped.
    restarted: std::sync::Mutex<Option<std::process::Child>>,
    _temp: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The run's slapd, started on first use.
pub fn slapd() -> &'static Slapd {
    static SLAPD: OnceLock<Slapd> = OnceLock::new();
    SLAPD.get_or_init(Slapd::start)
}

impl Slapd {
    /// A slapd of its own, for a test that stops and starts it (stopped when dropped).
    pub fn start() -> Slapd {
        let temp = tempfile::tempdir().expect("temp dir");
        let (port, tls_port) = (free_port(), free_port());
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/slapd.sh");
        let status = Command::new("bash")
            .arg(script)
            .arg(temp.path())
            .arg(port.to_string())
            .arg(tls_port.to_string())
            .arg(std::process::id().to_string())
            .status()
            .expect("run scripts/slapd.sh");
        assert!(
            status.success(),
            "slapd did not start (scripts/bootstrap.sh installs slapd and ldap-utils)"
        );
        Slapd {
            ldap_url: format!("ldap://127.0.0.1:{port}"),
            ldaps_url: format!("ldaps://127.0.0.1:{tls_port}"),
            dir: temp.path().to_path_buf(),
            ports: (port, tls_port),
            restarted: std::sync::Mutex::new(None),
            _temp: temp,
        }
    }

    fn pid(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join("slapd.pid"))
            .ok()
            .map(|p| p.trim().to_string())
    }

    /// Whether the server answers a root DSE query now.
    fn answers(&self) -> bool {
        Command::new("ldapsearch")
            .args(["-x", "-H", &self.ldap_url, "-b", "", "-s", "base"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Stops the server (as a crash or a maintenance window would) and waits until it no longer
    /// answers.
    pub fn stop(&self) {
        if let Some(pid) = self.pid() {
            let _ = Command::new("kill").arg(&pid).status();
            for _ in 0..50 {
                if !self.answers() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        if let Some(mut child) = self.restarted.lock().expect("lock").take() {
            let _ = child.wait();
        }
    }

    /// Starts the stopped server again on the same ports and data, and waits until it answers.
    pub fn restart(&self) {
        let (port, tls_port) = self.ports;
        let urls = format!("ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/");
        let child = Command::new("slapd")
            .args(["-d", "0", "-h", &urls, "-F"])
            .arg(self.dir.join("slapd.d"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("slapd");
        *self.restarted.lock().expect("lock") = Some(child);
        for _ in 0..50 {
            if self.answers() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("slapd did not start again");
    }
    pub fn ca_file(&self) -> String {
        self.dir.join("ca.pem").display().to_string()
    }

    /// Server flags that connect Rekey to this directory over LDAPS as the service account.
    pub fn server_args(&self) -> Vec<String> {
        [
            "--directory-kind",
            "openldap",
            "--directory-url",
            &self.ldaps_url,
            "--directory-ca-file",
            &self.ca_file(),
            "--directory-bind-dn",
            SERVICE_DN,
            "--directory-bind-password",
            SERVICE_PASSWORD,
            "--directory-base-dn",
            SUFFIX,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    /// Changes the directory as its root would, behind Rekey's back (ldapmodify with LDIF).
    pub fn modify(&self, ldif: &str) {
        use std::io::Write;
        let password = std::fs::read_to_string(self.dir.join("root.pw")).expect("root.pw");
        let mut child = Command::new("ldapmodify")
            .args([
                "-x",
                "-H",
                &self.ldap_url,
                "-D",
                &format!("cn=root,{SUFFIX}"),
            ])
            .args(["-w", &password])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
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

    /// Adds a person no other test uses (`uid` is theirs alone), with the demo password.
    pub fn add_person(&self, uid: &str, display_name: &str) {
        self.modify(&format!(
            "dn: uid={uid},ou=people,{SUFFIX}\nchangetype: add\nobjectClass: inetOrgPerson\n\
             uid: {uid}\ncn: {display_name}\nsn: {display_name}\ndisplayName: {display_name}\n\
             userPassword: {}\n",
            rekey_server::seed::DEMO_PASSWORD
        ));
    }

    pub fn delete_person(&self, uid: &str) {
        self.modify(&format!(
            "dn: uid={uid},ou=people,{SUFFIX}\nchangetype: delete\n"
        ));
    }

    /// Whether the directory itself accepts this person's password now (a bind that does not
    /// go through Rekey).
    pub fn accepts(&self, uid: &str, password: &str) -> bool {
        Command::new("ldapwhoami")
            .args(["-x", "-H", &self.ldap_url])
            .args([
                "-D",
                &format!("uid={uid},ou=people,{SUFFIX}"),
                "-w",
                password,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("ldapwhoami")
            .success()
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        self.stop();
    }
}
