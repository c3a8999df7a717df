//! The run's OpenLDAP server (Debian's slapd, with ppolicy and memberof), started by
//! `scripts/slapd.sh` on free loopback ports and seeded with the demo organisation
//! (tests/directory/openldap.ldif).

use std::sync::OnceLock;

use super::directories::{run_script, TestDirectory};

pub struct Slapd {
    pub directory: TestDirectory,
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
    SLAPD.get_or_init(|| {
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
            directory: TestDirectory::openldap(temp.path(), port, tls_port),
            _temp: temp,
        }
    })
}
