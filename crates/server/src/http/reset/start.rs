//! Starting a reset: the puzzle, who are you, reset or unlock; and where to get help.

use axum::extract::State;
use rekey_core::audit::StopReason;
use rekey_core::dto::{
    Challenge, Helpdesk, IntentRequest, ResetIntent, ResetStarted, ResetState, StartResetRequest,
};
use rekey_core::error::ApiError;
use rekey_core::pow;
use rekey_core::settings::CustomizationSettings;
use rekey_core::validation::{check_sign_in, normalize_sign_in_name, FieldError, Rule};

use super::super::error::AppError;
use super::super::extract::{ClientIp, Json};
use super::{client_limit, view, LiveFlow, Subject};
use crate::domain::flow_outcomes;
use crate::domain::rate;
use crate::domain::registration::Snapshot;
use crate::domain::sections;
use crate::domain::sspr_policy;
use crate::infra::db::{new_id, now};
use crate::infra::secrets::{random_token, token_hash};
use crate::state::AppState;
use crate::store::reset::{self as store, Flow};
use crate::store::users;

/// How long a puzzle may take to solve.
const CHALLENGE_SECONDS: i64 = 300;
/// Extra bits at most, however busy.
const MAX_EXTRA_BITS: u8 = 6;

/// A proof-of-work puzzle to solve before starting a reset. It gets harder for a client that
/// asks for many, and when many are being asked for.
#[utoipa::path(post, path = "/api/reset/challenge", tag = "reset",
    responses(
        (status = 200, body = Challenge),
        (status = 429, description = "rate_limited", body = ApiError),
    ))]
pub async fn challenge(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
) -> Result<Json<Challenge>, AppError> {
    let pool = &state.db.pool;
    let now = now();
    let client_key = format!(
        "reset-client:{}",
        ip.map(|i| i.to_string()).unwrap_or_default()
    );
    if let Some(retry_after_seconds) =
        rate::hit(pool, &client_key, client_limit(&state), now).await?
    {
        return Err(AppError::RateLimited {
            retry_after_seconds,
        });
    }
    rate::record(pool, "reset-all", now).await?;
    let by_client = rate::count(pool, &client_key, 600, now).await?;
    let everyone = rate::count(pool, "reset-all", 60, now).await?;
    let extra = (by_client / 5 + everyone / 100).clamp(0, i64::from(MAX_EXTRA_BITS)) as u8;
    let difficulty = state.config.pow_difficulty.saturating_add(extra);
    let id = new_id();
    let prefix = random_token();
    store::insert_challenge(pool, &id, &prefix, difficulty, now, now + CHALLENGE_SECONDS).await?;
    Ok(Json(Challenge {
        id,
        prefix,
        difficulty,
        expires_in_seconds: CHALLENGE_SECONDS as u32,
        passkeys: super::passkey::offered(&state).await?,
    }))
}

/// Step 1: who are you. Always starts a flow, whether or not the name matches anyone.
#[utoipa::path(post, path = "/api/reset", tag = "reset",
    request_body = StartResetRequest,
    responses(
        (status = 200, body = ResetStarted),
        (status = 400, description = "invalid_json", body = ApiError),
        (status = 422, description = "validation_failed (name, or puzzle_unsolved on nonce)", body = ApiError),
    ))]
pub async fn start(
    State(state): State<AppState>,
    Json(request): Json<StartResetRequest>,
) -> Result<Json<ResetStarted>, AppError> {
    let problems: Vec<FieldError> = check_sign_in(&request.sign_in_name, "-")
        .into_iter()
        .filter(|e| e.field == "sign_in_name")
        .collect();
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let pool = &state.db.pool;
    let now = now();
    let solved = match store::take_challenge(pool, request.challenge_id.trim(), now).await? {
        Some((prefix, difficulty)) => pow::is_solution(&prefix, request.nonce.trim(), difficulty),
        None => false,
    };
    if !solved {
        return Err(AppError::Validation(vec![FieldError::new(
            "nonce",
            Rule::PuzzleUnsolved,
        )]));
    }
    let name_key = normalize_sign_in_name(&request.sign_in_name);
    let found = state
        .directories
        .current(pool)
        .await?
        .find_by_sign_in_name(pool, &name_key)
        .await?
        .filter(|u| u.enabled);
    // The same look-ups run for a name that matches nobody, so timing tells nothing.
    let id = found.as_ref().map_or("-", |u| u.id.as_str());
    let roles = users::roles(pool, id).await?;
    let covered = sspr_policy::applies_to(pool, id).await?;
    let snapshot = Snapshot::load(pool, id, &roles).await?;
    let registered = snapshot.policy.is_registered(&snapshot.held());
    let stop = match &found {
        None => StopReason::UnknownName,
        Some(_) if !covered => StopReason::NotCovered,
        Some(_) if !registered => StopReason::NotRegistered,
        Some(_) => StopReason::Left,
    };
    let served = found.filter(|_| covered && registered);
    let version = match &served {
        Some(user) => users::password_version(pool, &user.id).await?,
        None => 0,
    };
    let settings = sections::load::<rekey_core::settings::AuthMethodsSettings>(pool)
        .await?
        .settings;
    let token = random_token();
    let flow = Flow {
        token_hash: token_hash(&token),
        name_key,
        user_id: served.map(|u| u.id),
        password_version: version,
        intent: (!settings.allow_unlock).then_some(ResetIntent::Reset),
        gates_passed: Vec::new(),
        questions: Vec::new(),
        expires_at: now + state.config.reset_minutes * 60,
        finished: false,
    };
    let mut tx = pool.begin().await?;
    store::insert(&mut tx, &flow, stop, now).await?;
    flow_outcomes::started(&mut tx, &flow.name_key, stop).await?;
    tx.commit().await?;
    let subject = Subject::load(&state, &flow).await?;
    Ok(Json(ResetStarted {
        token,
        state: view(&state, &flow, &subject),
    }))
}

/// Where the flow stands.
#[utoipa::path(get, path = "/api/reset", tag = "reset",
    params(("X-Reset-Token" = String, Header, description = "The flow token from the start")),
    responses(
        (status = 200, body = ResetState),
        (status = 410, description = "reset_expired", body = ApiError),
    ))]
pub async fn current(
    State(state): State<AppState>,
    LiveFlow(flow): LiveFlow,
) -> Result<Json<ResetState>, AppError> {
    let subject = Subject::load(&state, &flow).await?;
    Ok(Json(view(&state, &flow, &subject)))
}

/// Step 2: reset the password, or only unlock the account (when the organisation allows it).
#[utoipa::path(post, path = "/api/reset/intent", tag = "reset",
    params(("X-Reset-Token" = String, Header, description = "The flow token from the start")),
    request_body = IntentRequest,
    responses(
        (status = 200, body = ResetState),
        (status = 403, description = "forbidden (unlock not allowed, or already chosen)", body = ApiError),
        (status = 410, description = "reset_expired", body = ApiError),
    ))]
pub async fn intent(
    State(state): State<AppState>,
    LiveFlow(mut flow): LiveFlow,
    Json(request): Json<IntentRequest>,
) -> Result<Json<ResetState>, AppError> {
    let subject = Subject::load(&state, &flow).await?;
    let allowed = request.intent == ResetIntent::Reset || subject.settings.allow_unlock;
    if flow.intent.is_some() || !allowed {
        return Err(AppError::Forbidden);
    }
    store::set_intent(&state.db.pool, &flow.token_hash, request.intent).await?;
    flow.intent = Some(request.intent);
    Ok(Json(view(&state, &flow, &subject)))
}

/// Where users who are stuck get help.
#[utoipa::path(get, path = "/api/reset/helpdesk", tag = "reset",
    responses((status = 200, body = Helpdesk)))]
pub async fn helpdesk(State(state): State<AppState>) -> Result<Json<Helpdesk>, AppError> {
    let settings = sections::load::<CustomizationSettings>(&state.db.pool)
        .await?
        .settings;
    Ok(Json(Helpdesk {
        contact: settings
            .custom_helpdesk
            .then_some(settings.helpdesk_contact)
            .filter(|c| !c.is_empty()),
    }))
}
