//! Passkey ceremonies as Rekey runs them: each is started by one request and finished by the
//! next, its state kept in the database (any instance may finish it), single-use, bound to the
//! session or reset flow that started it, and short-lived. A passkey that says who it belongs
//! to is found by its credential id and must carry that user's handle; every way of not
//! matching gets the same answer.

use uuid::Uuid;

use crate::infra::db::now;
use crate::infra::passkeys::{self as webauthn, PasskeyError, Started};
use crate::infra::secrets::{random_token, token_hash};
use crate::state::AppState;
use crate::store::passkeys::{self as store, NewChallenge, StoredPasskey};
use crate::store::users::{self, UserRecord};

/// How long the browser has to answer a ceremony.
pub const CEREMONY_SECONDS: i64 = 300;

/// What a ceremony is for; a challenge started for one is refused for any other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Adding a passkey to the signed-in user's security info.
    Register,
    /// Starting a reset with a passkey, no name typed.
    Reset,
    /// A passkey as one gate of a reset flow begun with a name.
    Gate,
    /// Proving it is you before changing security info.
    Proof,
    /// Signing in to Rekey.
    SignIn,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Reset => "reset",
            Purpose::Gate => "gate",
            Purpose::Proof => "proof",
            Purpose::SignIn => "sign_in",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasskeyFault {
    #[error("passkeys are not available at this address")]
    Unavailable,
    #[error("not a WebAuthn credential: {0}")]
    Malformed(String),
    /// The challenge was used, ran out, or belongs to another flow.
    #[error("the passkey challenge is no longer valid")]
    Expired,
    /// The passkey does not verify or matches nobody; `cloned` when its counter went back.
    #[error("the passkey was not accepted")]
    Refused { cloned: bool },
    /// Our own stored state or passkey record could not be read back or written.
    #[error("stored passkey state: {0}")]
    Stored(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<PasskeyError> for PasskeyFault {
    fn from(error: PasskeyError) -> Self {
        match error {
            PasskeyError::Unavailable => PasskeyFault::Unavailable,
            PasskeyError::Malformed(why) => PasskeyFault::Malformed(why),
            PasskeyError::Stored(why) => PasskeyFault::Stored(why),
            PasskeyError::Cloned => PasskeyFault::Refused { cloned: true },
            PasskeyError::Refused(_) => PasskeyFault::Refused { cloned: false },
        }
    }
}

/// A started ceremony: the id the browser sends back, and the options for it.
pub struct Challenge {
    pub id: String,
    pub options: String,
}

async fn keep(
    state: &AppState,
    purpose: Purpose,
    bound_to: &str,
    started: Started,
) -> Result<Challenge, PasskeyFault> {
    let id = random_token();
    let challenge = NewChallenge {
        id_hash: &token_hash(&id),
        purpose: purpose.as_str(),
        bound_to,
        state: &started.state,
        expires_at: now() + CEREMONY_SECONDS,
    };
    store::insert_challenge(&state.db.pool, challenge).await?;
    Ok(Challenge {
        id,
        options: started.options,
    })
}

async fn take(
    state: &AppState,
    purpose: Purpose,
    bound_to: &str,
    id: &str,
) -> Result<String, PasskeyFault> {
    let pool = &state.db.pool;
    store::take_challenge(
        pool,
        &token_hash(id.trim()),
        purpose.as_str(),
        bound_to,
        now(),
    )
    .await?
    .ok_or(PasskeyFault::Expired)
}

/// Options to add a passkey for `user`, excluding the ones they hold.
pub async fn begin_registration(
    state: &AppState,
    user: &UserRecord,
    bound_to: &str,
) -> Result<Challenge, PasskeyFault> {
    let pool = &state.db.pool;
    let handle = store::ensure_handle(pool, &user.id, &Uuid::new_v4().to_string()).await?;
    let handle = Uuid::parse_str(&handle).map_err(|e| PasskeyFault::Stored(e.to_string()))?;
    let held = store::of_user(pool, &user.id).await?;
    let exclude = held
        .iter()
        .filter_map(|p| webauthn::decode(&p.credential).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let started = state.passkeys.start_registration(
        handle,
        &user.sign_in_name,
        &user.display_name,
        exclude,
    )?;
    keep(state, Purpose::Register, bound_to, started).await
}

/// A verified new passkey, ready to store.
pub struct Registered {
    pub credential_id: String,
    pub credential: String,
}

/// Verifies the browser's answer to `begin_registration`.
pub async fn finish_registration(
    state: &AppState,
    bound_to: &str,
    challenge_id: &str,
    credential: &str,
) -> Result<Registered, PasskeyFault> {
    let ceremony = take(state, Purpose::Register, bound_to, challenge_id).await?;
    let passkey = state.passkeys.finish_registration(credential, &ceremony)?;
    // A credential registered already (to anyone) is refused by the insert.
    Ok(Registered {
        credential_id: webauthn::credential_key(passkey.cred_id().as_slice()),
        credential: webauthn::encode(&passkey)?,
    })
}

/// Options that let the browser offer any of this site's passkeys.
pub async fn begin_discoverable(
    state: &AppState,
    purpose: Purpose,
    bound_to: &str,
) -> Result<Challenge, PasskeyFault> {
    let started = state.passkeys.start_discoverable()?;
    keep(state, purpose, bound_to, started).await
}

/// Whose passkey answered, when it verifies.
pub struct Verified {
    pub user: UserRecord,
    pub passkey: StoredPasskey,
}

/// A passkey that did not verify, and whose it claimed to be when it named a real passkey
/// (so the failure can be audited against that account).
pub struct Refusal {
    pub fault: PasskeyFault,
    pub claimed: Option<UserRecord>,
}

impl From<PasskeyFault> for Refusal {
    fn from(fault: PasskeyFault) -> Self {
        Refusal {
            fault,
            claimed: None,
        }
    }
}

impl From<sqlx::Error> for Refusal {
    fn from(error: sqlx::Error) -> Self {
        PasskeyFault::from(error).into()
    }
}

/// Verifies the browser's answer to `begin_discoverable`: the passkey must be registered, to
/// the user its handle names, who is enabled; its new counter and backup state are kept.
pub async fn verify_discoverable(
    state: &AppState,
    purpose: Purpose,
    bound_to: &str,
    challenge_id: &str,
    credential: &str,
) -> Result<Verified, Refusal> {
    let pool = &state.db.pool;
    let ceremony = take(state, purpose, bound_to, challenge_id).await?;
    let (handle, id) = state
        .passkeys
        .identify(credential)
        .map_err(PasskeyFault::from)?;
    let refused = || PasskeyFault::Refused { cloned: false };
    let stored = store::owned(pool, &webauthn::credential_key(&id), &handle.to_string())
        .await?
        .ok_or_else(refused)?;
    let user = users::find_by_id(pool, &stored.user_id)
        .await?
        .filter(|u| u.enabled)
        .ok_or_else(refused)?;
    let mut key = webauthn::decode(&stored.credential).map_err(PasskeyFault::from)?;
    let result = match state
        .passkeys
        .finish_discoverable(credential, &ceremony, &key)
    {
        Ok(result) => result,
        Err(error) => {
            return Err(Refusal {
                fault: error.into(),
                claimed: Some(user),
            })
        }
    };
    let changed = key.update_credential(&result) == Some(true);
    let updated = if changed {
        Some(webauthn::encode(&key).map_err(PasskeyFault::from)?)
    } else {
        None
    };
    store::record_use(pool, &stored.id, updated.as_deref(), now()).await?;
    Ok(Verified {
        user,
        passkey: stored,
    })
}
