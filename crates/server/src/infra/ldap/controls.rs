//! The LDAP request controls Rekey sends, by name, so the layers above never build the
//! library's raw controls or carry OIDs themselves.

use ldap3::controls::RawControl;

/// OpenLDAP's password policy request control: asks the server to say why a bind or a write
/// was refused (draft-behera-ldap-password-policy).
pub(super) const PPOLICY_CONTROL: &str = "1.3.6.1.4.1.42.2.27.8.5.1";

/// AD's policy-hints control (Windows Server 2016 and later; 2066 is the older OID): a reset by
/// an administrator obeys the password history, as the user's own change would.
pub const POLICY_HINTS_OIDS: [&str; 2] = ["1.2.840.113556.1.4.2239", "1.2.840.113556.1.4.2066"];

/// OpenLDAP's No-Op control (`LDAP_CONTROL_NOOP`, still under OpenLDAP's experimental arc):
/// the server checks a modify, access included, and then discards it.
const NOOP_CONTROL: &str = "1.3.6.1.4.1.4203.666.5.2";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// ppolicy's request control.
    PasswordPolicy,
    /// AD's policy hints on, under the OID the server lists (one of [`POLICY_HINTS_OIDS`]).
    PolicyHints(&'static str),
    /// AD's security-descriptor flags asking for the DACL alone (which a non-admin may read).
    DaclOnly,
    /// OpenLDAP's No-Op: the server checks the write (access included) and discards it.
    NoOp,
}

impl Control {
    pub(super) fn raw(self) -> RawControl {
        match self {
            Control::PasswordPolicy => RawControl {
                ctype: PPOLICY_CONTROL.into(),
                crit: false,
                val: None,
            },
            // `SEQUENCE { flags INTEGER 1 }`
            Control::PolicyHints(oid) => RawControl {
                ctype: oid.into(),
                crit: true,
                val: Some(vec![0x30, 0x03, 0x02, 0x01, 0x01]),
            },
            // LDAP_SERVER_SD_FLAGS_OID with `SEQUENCE { flags INTEGER 4 }` (DACL_SECURITY_INFORMATION)
            Control::DaclOnly => RawControl {
                ctype: "1.2.840.113556.1.4.801".into(),
                crit: true,
                val: Some(vec![0x30, 0x03, 0x02, 0x01, 0x04]),
            },
            Control::NoOp => RawControl {
                ctype: NOOP_CONTROL.into(),
                crit: true,
                val: None,
            },
        }
    }
}

/// The library's controls for a request.
pub(super) fn raw(controls: &[Control]) -> Vec<RawControl> {
    controls.iter().map(|c| c.raw()).collect()
}
