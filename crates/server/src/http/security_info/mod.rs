//! The signed-in user's security info: what they registered, and adding, changing, proving
//! and removing methods. Once a user holds a method, changes need proof with one of them
//! (valid for ten minutes in the session); registering a method is such proof too.

pub mod app;
pub mod contact;
pub mod passkey;
pub mod proof;
pub mod questions;

use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{MethodView, PasskeyView, QuestionOption, SecurityInfo};
use rekey_core::error::ApiError;
use rekey_core::i18n::Lang;
use rekey_core::questions::BuiltInQuestion;
use rekey_core::security_info::{mask_email, mask_phone, MethodKind};
use serde_json::json;
use sqlx::AnyConnection;

use super::error::AppError;
use super::extract::{CurrentUser, Json, Path};
use crate::domain::codes::{self, CodeTarget, Outgoing};
use crate::domain::registration::{prompt, Snapshot};
use crate::infra::db::now;
use crate::state::AppState;
use crate::store::security_info::{self as store, PENDING_APP};
use crate::store::{audit, sessions};

/// How long proof with a method lets the session change security info.
pub const PROOF_SECONDS: i64 = 600;

pub(crate) fn lang_of(tag: Option<&str>) -> Lang {
    tag.map(Lang::negotiate).unwrap_or_default()
}

async fn snapshot(state: &AppState, current: &CurrentUser) -> Result<Snapshot, AppError> {
    Ok(Snapshot::load(&state.db.pool, &current.user.id, &current.roles).await?)
}

fn question_option(id: &str, text: Option<String>) -> QuestionOption {
    QuestionOption {
        id: id.to_string(),
        text,
    }
}

/// What the owner sees of a stored value: masked until they have proved a method.
fn display(kind: MethodKind, value: &str, proved: bool) -> Option<String> {
    match kind {
        MethodKind::Email if proved => Some(value.to_string()),
        MethodKind::Email => Some(mask_email(value)),
        MethodKind::MobilePhone if proved => Some(value.to_string()),
        MethodKind::MobilePhone => Some(mask_phone(value)),
        MethodKind::AuthenticatorApp | MethodKind::SecurityQuestions | MethodKind::Passkey => None,
    }
}

async fn view(state: &AppState, current: &CurrentUser) -> Result<SecurityInfo, AppError> {
    view_as_of(state, current, current.proved_until).await
}

/// The view with the session's proof lasting until `proved_until` (just extended, perhaps).
async fn view_as_of(
    state: &AppState,
    current: &CurrentUser,
    proved_until: i64,
) -> Result<SecurityInfo, AppError> {
    let now = now();
    let snapshot = snapshot(state, current).await?;
    let proof_needed = snapshot.holds_any() && proved_until <= now;
    let mut methods: Vec<MethodView> = snapshot
        .methods
        .iter()
        .filter_map(|m| {
            let kind = m.kind?;
            Some(MethodView {
                kind,
                display: display(kind, &m.value, !proof_needed),
                set_by_admin: m.set_by_admin,
                updated_at: m.updated_at,
            })
        })
        .collect();
    if let Some(latest) = snapshot.answers.iter().map(|a| a.updated_at).max() {
        methods.push(MethodView {
            kind: MethodKind::SecurityQuestions,
            display: None,
            set_by_admin: false,
            updated_at: latest,
        });
    }
    methods.sort_by_key(|m| m.kind);
    let mut question_bank: Vec<QuestionOption> = BuiltInQuestion::all()
        .map(|q| question_option(&q.id(), None))
        .collect();
    question_bank.extend(
        snapshot
            .settings
            .custom_questions
            .iter()
            .enumerate()
            .map(|(i, text)| question_option(&format!("custom-{i}"), Some(text.clone()))),
    );
    let passkeys = passkeys_of(&state.db.pool, &current.user.id).await?;
    let registered_questions = snapshot
        .answers
        .iter()
        .map(|a| question_option(&a.question_id, a.question_text.clone()))
        .collect();
    let (due, can_skip) = prompt(
        &state.db.pool,
        &current.user.id,
        &snapshot,
        current.registration_skipped,
        now,
    )
    .await?;
    Ok(SecurityInfo {
        methods,
        policy: snapshot.policy.clone(),
        question_bank,
        registered_questions,
        proof_needed,
        due,
        can_skip,
        confirmed_at: Some(snapshot.confirmed_at).filter(|at| *at > 0),
        passkeys,
    })
}

/// Refuses a change while the user holds a method they have not proved in this session.
fn require_proof(current: &CurrentUser, snapshot: &Snapshot) -> Result<(), AppError> {
    if snapshot.holds_any() && current.proved_until <= now() {
        Err(AppError::ProofRequired)
    } else {
        Ok(())
    }
}

/// Refuses methods the policy does not offer this user (e.g. questions to an admin).
fn require_available(snapshot: &Snapshot, kind: MethodKind) -> Result<(), AppError> {
    if snapshot.policy.available.contains(&kind) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Change {
    Added,
    Changed,
    Removed,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
        }
    }
}

/// A user's passkeys as the pages show them, oldest first.
pub(crate) async fn passkeys_of(
    pool: &sqlx::AnyPool,
    user_id: &str,
) -> Result<Vec<PasskeyView>, sqlx::Error> {
    let stored = crate::store::passkeys::of_user(pool, user_id).await?;
    Ok(stored
        .into_iter()
        .map(|p| PasskeyView {
            id: p.id,
            name: p.name,
            created_at: p.created_at,
            last_used_at: Some(p.last_used_at).filter(|at| *at > 0),
        })
        .collect())
}

/// Audits a registration change: which method and what happened, never the value.
pub(crate) async fn audit_change(
    conn: &mut AnyConnection,
    actor: &str,
    target: &str,
    kind: MethodKind,
    change: Change,
) -> Result<(), sqlx::Error> {
    let details = json!({
        "method": kind.as_str(),
        "change": change.as_str(),
        "by_admin": actor != target,
    });
    audit::record(
        conn,
        audit::NewEvent::by(Some(actor), AuditAction::SecurityInfoChanged, target)
            .values(None, Some(&details)),
    )
    .await
}

/// Lets the session change security info for the next `PROOF_SECONDS`.
async fn mark_proved(state: &AppState, current: &CurrentUser, now: i64) -> Result<i64, AppError> {
    let until = now + PROOF_SECONDS;
    sessions::mark_proved(&state.db.pool, &current.token_hash, until).await?;
    Ok(until)
}

/// Saves a newly verified method.
async fn save_registered(
    state: &AppState,
    current: &CurrentUser,
    kind: MethodKind,
    value: &str,
    last_step: i64,
) -> Result<SecurityInfo, AppError> {
    let now = now();
    let user = &current.user;
    let existed = snapshot(state, current).await?.method(kind).is_some();
    let mut tx = state.db.pool.begin().await?;
    let write = store::MethodWrite {
        user_id: &user.id,
        method: kind.as_str(),
        value,
        last_step,
        set_by_admin: false,
    };
    store::put_method(&mut tx, write, now).await?;
    if kind == MethodKind::AuthenticatorApp {
        store::delete_method(&mut tx, &user.id, PENDING_APP).await?;
    }
    let change = if existed {
        Change::Changed
    } else {
        Change::Added
    };
    commit_registration(state, current, tx, kind, change).await
}

/// Commits a user's own registration change with its audit event. It also confirms their
/// info, and proves the session like any other proof of possession.
async fn commit_registration(
    state: &AppState,
    current: &CurrentUser,
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    kind: MethodKind,
    change: Change,
) -> Result<SecurityInfo, AppError> {
    let now = now();
    let user = &current.user;
    audit_change(
        &mut tx,
        &user.sign_in_name,
        &user.sign_in_name,
        kind,
        change,
    )
    .await?;
    store::set_confirmed(&mut tx, &user.id, now).await?;
    tx.commit().await?;
    let until = mark_proved(state, current, now).await?;
    view_as_of(state, current, until).await
}

/// Issues a code bound to this session and queues it to `destination`.
async fn send_code(
    state: &AppState,
    current: &CurrentUser,
    purpose: &str,
    kind: MethodKind,
    destination: &str,
    ip: Option<IpAddr>,
    lang: Lang,
) -> Result<(), AppError> {
    let target = CodeTarget {
        user_id: &current.user.id,
        flow: &current.token_hash,
        purpose,
        destination,
    };
    let outgoing = Outgoing {
        kind,
        lang,
        deliver: true,
    };
    codes::send(state, &target, ip, outgoing).await?;
    Ok(())
}

/// The signed-in user's methods (masked until proved), policy and registration state.
#[utoipa::path(get, path = "/api/me/security-info", tag = "security info",
    responses(
        (status = 200, body = SecurityInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
    ))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<SecurityInfo>, AppError> {
    Ok(Json(view(&state, &current).await?))
}

/// Confirm that the registered info is still right (the periodic reconfirmation).
#[utoipa::path(post, path = "/api/me/security-info/confirm", tag = "security info",
    responses(
        (status = 200, body = SecurityInfo),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "csrf_failed", body = ApiError),
    ))]
pub async fn confirm(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<SecurityInfo>, AppError> {
    let user = &current.user;
    let mut tx = state.db.pool.begin().await?;
    store::set_confirmed(&mut tx, &user.id, now()).await?;
    let event = audit::NewEvent::by(
        Some(&user.sign_in_name),
        AuditAction::SecurityInfoConfirmed,
        &user.sign_in_name,
    );
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(Json(view(&state, &current).await?))
}

/// Skip the registration wizard until the next sign-in, when the policy allows it.
#[utoipa::path(post, path = "/api/me/security-info/skip", tag = "security info",
    responses(
        (status = 204, description = "Skipped for this session"),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (the policy requires registration) or csrf_failed", body = ApiError),
    ))]
pub async fn skip(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<StatusCode, AppError> {
    if !view(&state, &current).await?.can_skip {
        return Err(AppError::Forbidden);
    }
    sessions::mark_registration_skipped(&state.db.pool, &current.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a method (needs proof first).
#[utoipa::path(delete, path = "/api/me/security-info/{kind}", tag = "security info",
    params(("kind" = MethodKind, Path, description = "The method to remove")),
    responses(
        (status = 200, body = SecurityInfo),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "proof_required or csrf_failed", body = ApiError),
        (status = 404, description = "not_found (no such method registered)", body = ApiError),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(kind): Path<MethodKind>,
) -> Result<Json<SecurityInfo>, AppError> {
    remove_kind(&state, &current, kind).await
}

/// Removes the user's method `kind`, after proof.
pub async fn remove_kind(
    state: &AppState,
    current: &CurrentUser,
    kind: MethodKind,
) -> Result<Json<SecurityInfo>, AppError> {
    require_proof(current, &snapshot(state, current).await?)?;
    let user = &current.user;
    let mut tx = state.db.pool.begin().await?;
    let removed = match kind {
        MethodKind::SecurityQuestions => store::delete_answers(&mut tx, &user.id).await?,
        MethodKind::AuthenticatorApp => {
            store::delete_method(&mut tx, &user.id, PENDING_APP).await?;
            store::delete_method(&mut tx, &user.id, kind.as_str()).await?
        }
        MethodKind::Email | MethodKind::MobilePhone => {
            store::delete_method(&mut tx, &user.id, kind.as_str()).await?
        }
        MethodKind::Passkey => crate::store::passkeys::delete_all(&mut tx, &user.id).await?,
    };
    if !removed {
        return Err(AppError::NotFound);
    }
    audit_change(
        &mut tx,
        &user.sign_in_name,
        &user.sign_in_name,
        kind,
        Change::Removed,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(view(state, current).await?))
}
