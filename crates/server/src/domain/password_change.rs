//! Setting a new password, done one way by every path (self-service reset, change while
//! signed in, forced change, admin reset): the shared rules, the history, a commit guarded by
//! the password version, the old hash kept for the history, and the user's sessions ended.

use rekey_core::dto::{DirectoryPasswordPolicy, PasswordChangeReason, PasswordRules};
use rekey_core::settings::{PasswordExpirySettings, PasswordPolicySettings};
use rekey_core::validation::{FieldError, Rule};
use sqlx::AnyConnection;

use crate::domain::directory::writeback::Refusal;
use crate::domain::directory::{Directory, DirectoryError};
use crate::domain::sections;
use crate::domain::writeback::{self, Acknowledged, How, Purpose, WritebackError};
use crate::infra::passwords::HashError;
use crate::state::AppState;
use crate::store::users::{self, Flag, UserRecord};
use crate::store::{password_history, sessions};

/// Why `user` must change their password at sign-in: an admin asked for it, or it is older
/// than the expiration policy allows. Expiry never refuses the sign-in itself, so no policy
/// change locks anyone out. A directory's people answer to the directory's own expiry (said
/// at the bind), not to Rekey's policy, which covers the passwords Rekey keeps.
pub fn change_due(
    user: &UserRecord,
    expiry: &PasswordExpirySettings,
    now: i64,
) -> Option<PasswordChangeReason> {
    if user.from_directory {
        None
    } else if user.must_change_password {
        Some(PasswordChangeReason::AdminReset)
    } else {
        expiry
            .is_expired(user.password_changed_at, user.password_never_expires, now)
            .then_some(PasswordChangeReason::Expired)
    }
}

/// The rules a new password is checked against, as sent to the page: the policy, the user's
/// names and the organisation's name.
pub fn rules_with(
    org: &str,
    sign_in_name: &str,
    display_name: &str,
    policy: &PasswordPolicySettings,
) -> PasswordRules {
    PasswordRules {
        policy: policy.clone(),
        sign_in_name: sign_in_name.trim().to_string(),
        display_name: display_name.trim().to_string(),
        organisation: org.to_string(),
        directory_history: 0,
    }
}

/// The rules for a user (or one being created), with the current policy and branding.
pub async fn rules_for(
    state: &AppState,
    sign_in_name: &str,
    display_name: &str,
) -> Result<PasswordRules, sqlx::Error> {
    let policy = sections::load::<PasswordPolicySettings>(&state.db.pool)
        .await?
        .settings;
    let org = crate::domain::branding::org_name(state).await?;
    Ok(rules_with(&org, sign_in_name, display_name, &policy))
}

/// The rules for an existing person: Rekey's, and the directory's own for a person whose
/// password it keeps.
pub async fn rules_of(state: &AppState, user: &UserRecord) -> Result<PasswordRules, sqlx::Error> {
    let rules = rules_for(state, &user.sign_in_name, &user.display_name).await?;
    Ok(rules.with_directory(directory_policy(state, user).await))
}

/// The directory's password rules for a directory person, when it exposes them. Not known
/// when it cannot be read now: the directory still applies them when the password is set.
pub async fn directory_policy(
    state: &AppState,
    user: &UserRecord,
) -> Option<DirectoryPasswordPolicy> {
    let dn = user
        .external_dn
        .as_deref()
        .filter(|_| user.from_directory)?;
    let Ok(Directory::Ldap(ldap)) = state.directories.current(&state.db.pool).await else {
        return None;
    };
    match ldap.password_policy(dn).await {
        Ok(policy) => policy,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the directory's password policy");
            None
        }
    }
}

/// For the audit: the kind of directory that holds a directory person's password.
pub async fn directory_named(
    state: &AppState,
    user: &UserRecord,
) -> Result<Option<serde_json::Value>, DirectoryError> {
    if !user.from_directory {
        return Ok(None);
    }
    Ok(match state.directories.current(&state.db.pool).await? {
        Directory::Ldap(ldap) => Some(serde_json::json!({ "directory": ldap.kind_name() })),
        Directory::Own => None,
    })
}

/// Why a new password was not set.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The fields it breaks: the shared rules, the user's own history, or the directory's
    /// rules.
    #[error("the new password is not allowed")]
    Refused(Vec<FieldError>),
    /// The person is the LDAP directory's, and Rekey is not connected to it now.
    #[error("the directory keeps this password")]
    DirectoryOwned,
    /// Writing it to the directory failed (busy, refused for this account, unreachable).
    #[error(transparent)]
    Writeback(WritebackError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("password hashing: {0}")]
    Hashing(#[from] HashError),
}

impl From<WritebackError> for PasswordError {
    fn from(e: WritebackError) -> Self {
        match e {
            WritebackError::Database(e) => PasswordError::Database(e),
            other => PasswordError::Writeback(other),
        }
    }
}

/// What the directory's refusal of `password` means for the form: the field and rule it
/// points at, in the shared rules' words where the advice is the same; a refusal of the account
/// rather than of the password stays an error of its own.
fn refused(e: WritebackError, password: &str) -> PasswordError {
    use rekey_core::password::{character_classes, REQUIRED_CLASSES};
    let WritebackError::Refused(reason) = e else {
        return e.into();
    };
    let (field, rule) = match reason {
        Refusal::TooShort => ("password", Rule::TooShort),
        // AD's complexity: the character classes, or else (they are there) the person's names.
        Refusal::Complexity if character_classes(password) < REQUIRED_CLASSES => {
            ("password", Rule::MissingCharacterClasses)
        }
        Refusal::Complexity => ("password", Rule::EasyToGuess),
        Refusal::History => ("password", Rule::Reused),
        Refusal::TooSoon => ("password", Rule::DirectoryTooSoon),
        Refusal::Policy => ("password", Rule::DirectoryPolicy),
        Refusal::WrongCurrentPassword => ("current_password", Rule::Incorrect),
        Refusal::NotAllowed => return PasswordError::Writeback(e),
    };
    PasswordError::Refused(vec![FieldError::new(field, rule)])
}

/// A temporary password that satisfies `rules`: groups of four from an alphabet without
/// look-alikes (0/O, 1/l/I), so it can be read out over the phone; at least four groups
/// (about 92 bits), more when the policy's minimum length asks.
pub fn temporary_password(rules: &PasswordRules) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // The directory's minimum length is folded into the policy.
    let groups = (usize::from(rules.policy.min_length) + 1)
        .div_ceil(5)
        .max(4);
    let mut rng = rand::rngs::OsRng;
    loop {
        let candidate = (0..groups)
            .map(|_| {
                (0..4)
                    .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("-");
        // A draw may miss a character class or spell a banned word: draw again.
        if rules.check(&candidate, &candidate).is_empty() {
            return candidate;
        }
    }
}
/// Checks the shared rules and, when a user chooses their own (`own_choice`), that it is none
/// of their last `history` passwords (the current one counts as the first, and is refused even
/// with no history: "changing" to the same password would defeat expiry and forced changes);
/// an admin's choice skips the history, which the admin cannot know. Returns the new hash.
pub async fn check_and_hash(
    state: &AppState,
    rules: &PasswordRules,
    password: &str,
    confirm: &str,
    own_choice: Option<&UserRecord>,
) -> Result<String, PasswordError> {
    let problems = rules.check(password, confirm);
    if !problems.is_empty() {
        return Err(PasswordError::Refused(problems));
    }
    let remembered = usize::from(rules.policy.history).max(1);
    if let Some(user) = own_choice {
        let mut earlier = vec![user.password_hash.clone()];
        earlier.extend(password_history::recent(&state.db.pool, &user.id, remembered - 1).await?);
        for hash in &earlier {
            if state.hasher.verify(Some(hash), password).await? {
                let reused = FieldError::new("password", Rule::Reused);
                return Err(PasswordError::Refused(vec![reused]));
            }
        }
    }
    Ok(state.hasher.hash(password).await?)
}

/// Who sets a password, how, and from which version.
pub struct Setting<'a> {
    pub user: &'a UserRecord,
    pub purpose: Purpose,
    /// An admin's "must change at next sign-in".
    pub must_change: bool,
    /// The person's current password, for their own change.
    pub current: Option<&'a str>,
    /// The reset flow making the change.
    pub flow_token_hash: Option<&'a str>,
    /// The person, or the admin.
    pub actor: &'a str,
    pub expected_version: i64,
}

/// A new password that passed every check, ready to commit: its hash for Rekey's own store,
/// or the directory's acknowledgement of it.
pub enum Ready {
    Hash(String),
    Directory(Acknowledged),
}

/// Checks the new password and puts it where it lives: hashed for one of Rekey's own
/// accounts (the history checked when the person chose it), or written to the directory for
/// a directory person, whose rules then apply. Either way [`commit`] records it.
pub async fn prepare(
    state: &AppState,
    rules: &PasswordRules,
    password: &str,
    confirm: &str,
    setting: &Setting<'_>,
) -> Result<Ready, PasswordError> {
    let user = setting.user;
    if !user.from_directory {
        let own_choice = (setting.purpose != Purpose::AdminReset).then_some(user);
        let hash = check_and_hash(state, rules, password, confirm, own_choice).await?;
        return Ok(Ready::Hash(hash));
    }
    let problems = rules.check(password, confirm);
    if !problems.is_empty() {
        return Err(PasswordError::Refused(problems));
    }
    let pool = &state.db.pool;
    let directory = state.directories.current(pool).await;
    let Directory::Ldap(ldap) = directory.map_err(WritebackError::from)? else {
        return Err(PasswordError::DirectoryOwned);
    };
    let how = match setting.current {
        Some(current) => How::Change { current },
        None => How::Reset {
            must_change: setting.must_change,
        },
    };
    let request = writeback::Request {
        user,
        purpose: setting.purpose,
        how,
        password,
        flow_token_hash: setting.flow_token_hash,
        actor: setting.actor,
        expected_version: setting.expected_version,
    };
    let written = writeback::write(state, &ldap, request).await;
    Ok(Ready::Directory(written.map_err(|e| refused(e, password))?))
}

impl Ready {
    /// Whether the directory already holds it.
    pub fn in_directory(&self) -> bool {
        matches!(self, Ready::Directory(_))
    }
}

/// The outcome of recording a password the directory may already hold. Once the directory
/// took it, a failure to record it here must not tell anyone it failed: the claim left behind
/// lets the reconciler record it within a minute (audited as reconciled).
pub fn recorded<E: std::fmt::Display>(result: Result<(), E>, in_directory: bool) -> Result<(), E> {
    match result {
        Err(e) if in_directory => {
            tracing::error!(error = %e, "the directory took a password Rekey could not record yet");
            Ok(())
        }
        other => other,
    }
}

/// A checked new password, ready to commit.
pub struct NewPassword<'a> {
    pub user: &'a UserRecord,
    pub ready: Ready,
    /// The version the change started from: another change since then wins.
    pub expected_version: i64,
    /// Ask for a change at next sign-in (an admin's temporary password).
    pub must_change: bool,
    /// The session that made the change stays signed in; every other one ends.
    pub keep_session: Option<&'a str>,
}

/// Records the new password inside the caller's transaction. False when the password changed
/// since `expected_version` (nothing is written then). For a directory person the directory
/// already has it: the claim on them guarded the version, and here it is released.
pub async fn commit(
    conn: &mut AnyConnection,
    change: NewPassword<'_>,
    now: i64,
) -> Result<bool, PasswordError> {
    let user = change.user;
    match change.ready {
        Ready::Directory(acknowledged) => {
            users::mark_password_changed(&mut *conn, &user.id, now).await?;
            writeback::release_in(&mut *conn, acknowledged).await?;
        }
        Ready::Hash(hash) => {
            if !users::replace_password(&mut *conn, &user.id, &hash, change.expected_version, now)
                .await?
            {
                return Ok(false);
            }
            password_history::push(
                &mut *conn,
                &user.id,
                &user.password_hash,
                user.password_changed_at,
            )
            .await?;
            users::set_flag(
                &mut *conn,
                &user.id,
                Flag::MustChangePassword,
                change.must_change,
            )
            .await?;
        }
    }
    sessions::delete_for_user(&mut *conn, &user.id, change.keep_session).await?;
    Ok(true)
}
#[cfg(test)]
mod tests {
    use super::*;

    fn rules(min_length: u16) -> PasswordRules {
        PasswordRules {
            policy: PasswordPolicySettings {
                min_length,
                require_character_classes: true,
                ..Default::default()
            },
            sign_in_name: "ada@contoso.example".into(),
            display_name: "Ada Lovelace".into(),
            organisation: "Contoso".into(),
            directory_history: 0,
        }
    }

    #[test]
    fn a_directory_refusal_points_at_the_field_in_the_shared_words() {
        let rule_of = |reason, password| match refused(WritebackError::Refused(reason), password) {
            PasswordError::Refused(fields) => Some((fields[0].field.clone(), fields[0].rule)),
            _ => None,
        };
        let password = |rule| Some(("password".to_string(), rule));
        assert_eq!(rule_of(Refusal::TooShort, "x"), password(Rule::TooShort));
        // AD's complexity: the classes when they are missing, else the person's names.
        assert_eq!(
            rule_of(Refusal::Complexity, "alllowercase"),
            password(Rule::MissingCharacterClasses)
        );
        assert_eq!(
            rule_of(Refusal::Complexity, "Okonkwo-Harbour-2031"),
            password(Rule::EasyToGuess)
        );
        assert_eq!(rule_of(Refusal::History, "x"), password(Rule::Reused));
        assert_eq!(
            rule_of(Refusal::TooSoon, "x"),
            password(Rule::DirectoryTooSoon)
        );
        assert_eq!(
            rule_of(Refusal::Policy, "x"),
            password(Rule::DirectoryPolicy)
        );
        assert_eq!(
            rule_of(Refusal::WrongCurrentPassword, "x"),
            Some(("current_password".to_string(), Rule::Incorrect))
        );
        assert_eq!(rule_of(Refusal::NotAllowed, "x"), None);
    }

    #[test]
    fn temporary_passwords_satisfy_the_policy_and_differ() {
        let short = temporary_password(&rules(8));
        assert_eq!(short.len(), 19, "{short}");
        assert!(rules(8).check(&short, &short).is_empty());
        let long = temporary_password(&rules(30));
        assert!(long.chars().count() >= 30, "{long}");
        assert!(rules(30).check(&long, &long).is_empty());
        assert_ne!(short, temporary_password(&rules(8)));
        assert!(!short.contains(['0', 'O', '1', 'l', 'I']), "no look-alikes");
    }
}
