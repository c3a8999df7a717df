//! OpenLDAP servers (Debian's slapd, with ppolicy and memberof), started by
//! `scripts/slapd.sh` on free loopback ports and seeded with the demo organisation
//! (tests/directory/openldap.ldif): one for the whole test run, and one of its own for a test
//! that stops and starts it.

use std::process::Command;
use std::sync::OnceLock;

use super::directories::{run_script, TestDirectory};

pub struct Slapd {
    pub directory: TestDirectory,
    ldap_url: String,
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
        run_script(
            "slapd.sh",
            &[
                temp.path().display().to_string(),
                port.to_string(),
                tls_port.to_string(),
            ],
            "scripts/bootstrap.sh installs slapd and ldap-utils",
        );
        Slapd {
            directory: TestDirectory::openldap(temp.path(), tls_port),
            ldap_url: format!("ldap://127.0.0.1:{port}"),
            ports: (port, tls_port),
            restarted: std::sync::Mutex::new(None),
            _temp: temp,
        }
    }

    fn pid(&self) -> Option<String> {
        std::fs::read_to_string(self.directory.dir.join("slapd.pid"))
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
            .arg(self.directory.dir.join("slapd.d"))
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
}

impl Drop for Slapd {
    fn drop(&mut self) {
        self.stop();
    }
}
