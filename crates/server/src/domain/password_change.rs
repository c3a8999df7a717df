//! Setting a new password, done one way by every path (self-service reset, change while
//! signed in, forced change, admin reset): the shared rules, the history, a commit guarded by
//! the password version, the old hash kept for the history, and the user's sessions ended.

use rekey_core::dto::{PasswordChangeReason, PasswordRules};
use rekey_core::settings::{PasswordExpirySettings, PasswordPolicySettings};
use rekey_core::validation::{FieldError, Rule};
use sqlx::AnyConnection;

use crate::domain::sections;
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

/// Why a new password was not set.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// The fields it breaks: the shared rules, or the user's own history.
    #[error("the new password is not allowed")]
    Refused(Vec<FieldError>),
    /// The account is the LDAP directory's: its password lives there, not in Rekey.
    #[error("the directory keeps this password")]
    DirectoryOwned,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("password hashing: {0}")]
    Hashing(#[from] HashError),
}

/// A temporary password that satisfies `rules`: groups of four from an alphabet without
/// look-alikes (0/O, 1/l/I), so it can be read out over the phone; at least four groups
/// (about 92 bits), more when the policy's minimum length asks.
pub fn temporary_password(rules: &PasswordRules) -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
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

/// A checked new password, ready to commit.
pub struct NewPassword<'a> {
    pub user: &'a UserRecord,
    pub hash: &'a str,
    /// The version the change started from: another change since then wins.
    pub expected_version: i64,
    /// Ask for a change at next sign-in (an admin's temporary password).
    pub must_change: bool,
    /// The session that made the change stays signed in; every other one ends.
    pub keep_session: Option<&'a str>,
}

/// Replaces the password inside the caller's transaction. False when the password changed
/// since `expected_version` (nothing is written then).
pub async fn commit(
    conn: &mut AnyConnection,
    change: NewPassword<'_>,
    now: i64,
) -> Result<bool, PasswordError> {
    let user = change.user;
    if user.from_directory {
        // Writing it back to the directory is the next step (password writeback); until then
        // a hash here would be a password nothing signs in with.
        return Err(PasswordError::DirectoryOwned);
    }
    if !users::replace_password(
        &mut *conn,
        &user.id,
        change.hash,
        change.expected_version,
        now,
    )
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
        }
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
