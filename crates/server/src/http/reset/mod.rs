//! The public reset flow. Anyone may start one for any sign-in name; a name that matches
//! nobody self-service reset can serve (unknown, disabled, not covered, not registered) gets a
//! decoy flow that looks and behaves the same and fails where a wrong code fails, so responses
//! never tell whether an account exists or what it holds.

pub mod finish;
pub mod gates;
pub mod passkey;
pub mod start;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rekey_core::dto::{GateOption, QuestionOption, ResetIntent, ResetStage, ResetState};
use rekey_core::roles::is_admin;
use rekey_core::security_info::{mask_email, mask_phone, MethodKind, MethodPolicy, QuestionRef};
use rekey_core::settings::{AuthMethodsSettings, PasswordPolicySettings};

use super::error::AppError;
use crate::domain::rate::Limit;
use crate::domain::registration::Snapshot;
use crate::domain::sections;
use crate::infra::db::now;
use crate::infra::secrets::token_hash;
use crate::state::AppState;
use crate::store::reset::{self as store, Flow};
use crate::store::security_info::{StoredAnswer, StoredMethod};
use crate::store::users::{self, UserRecord};

pub const TOKEN_HEADER: &str = "x-reset-token";

/// Pads every answer of the reset flow to the configured minimum time. Real and decoy flows do
/// slightly different work (a real one queues a message); the padding hides the difference.
pub async fn pad_timing(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let reset = request.uri().path().contains("/api/reset");
    let started = tokio::time::Instant::now();
    let response = next.run(request).await;
    if reset {
        let floor = std::time::Duration::from_millis(state.config.reset_min_response_ms);
        tokio::time::sleep_until(started + floor).await;
    }
    response
}

/// The live flow named by the `X-Reset-Token` header; ended or unknown flows are
/// `reset_expired`.
pub struct LiveFlow(pub Flow);

impl FromRequestParts<AppState> for LiveFlow {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or(AppError::ResetExpired)?;
        let flow = store::find(&state.db.pool, &token_hash(token))
            .await?
            .filter(|f| !f.finished && f.expires_at > now())
            .ok_or(AppError::ResetExpired)?;
        Ok(LiveFlow(flow))
    }
}

/// Who a flow is for: a real user, or nobody (a decoy). What the answers show of it before the
/// first gate is passed is the same for every name (`Subject::conceals`).
pub struct Subject {
    pub user: Option<(UserRecord, Snapshot)>,
    pub policy: MethodPolicy,
    pub settings: AuthMethodsSettings,
    /// What a new password must satisfy.
    pub password: PasswordPolicySettings,
    /// The organisation's name, which no password may be built from.
    pub org: String,
    /// The directory's own password rules, for a directory person.
    pub directory_policy: Option<rekey_core::dto::DirectoryPasswordPolicy>,
}

impl Subject {
    pub async fn load(state: &AppState, flow: &Flow) -> Result<Subject, AppError> {
        let pool = &state.db.pool;
        let settings = sections::load::<AuthMethodsSettings>(pool).await?.settings;
        let password = sections::load::<PasswordPolicySettings>(pool)
            .await?
            .settings;
        let org = crate::domain::branding::org_name(state).await?;
        let user = match flow.user_id.as_deref() {
            Some(id) => users::find_by_id(pool, id).await?,
            None => None,
        };
        Ok(match user {
            Some(user) => {
                let roles = users::roles(pool, &user.id).await?;
                let snapshot = Snapshot::load(pool, &user.id, &roles).await?;
                let policy = MethodPolicy::for_user(&settings, is_admin(&roles));
                // Read from the directory only once every gate is passed: before that, no
                // answer may take longer for a directory person than for anyone else.
                let directory_policy = if policy.is_satisfied_by(&flow.gates_passed) {
                    crate::domain::password_change::directory_policy(state, &user).await
                } else {
                    None
                };
                Subject {
                    directory_policy,
                    policy,
                    user: Some((user, snapshot)),
                    settings,
                    password,
                    org,
                }
            }
            None => Subject {
                policy: MethodPolicy::for_user(&settings, false),
                user: None,
                settings,
                password,
                org,
                directory_policy: None,
            },
        })
    }

    /// What the user's new password is checked against.
    pub fn rules(&self, user: &UserRecord) -> rekey_core::dto::PasswordRules {
        crate::domain::password_change::rules_with(
            &self.org,
            &user.sign_in_name,
            &user.display_name,
            &self.password,
        )
        .with_directory(self.directory_policy)
    }

    /// Whether the flow shows nothing of the account yet: until a gate is passed (unless the
    /// organisation chose masked hints), every name sees the organisation's methods and
    /// gate count, without hints.
    pub fn conceals(&self, flow: &Flow) -> bool {
        !self.settings.reset_hints && flow.gates_passed.is_empty()
    }

    /// The organisation's policy for people without an admin role: what every name is shown
    /// while the flow conceals the account.
    fn public_policy(&self) -> MethodPolicy {
        MethodPolicy::for_user(&self.settings, false)
    }

    /// The user's registered method of this kind, if it counts under their policy (an admin's
    /// security answers never do).
    pub fn held(&self, kind: MethodKind) -> Option<&StoredMethod> {
        let (_, snapshot) = self.user.as_ref()?;
        self.policy
            .available
            .contains(&kind)
            .then(|| snapshot.method(kind))
            .flatten()
    }

    /// The user's security answers, if questions count under their policy.
    pub fn held_answers(&self) -> &[StoredAnswer] {
        match &self.user {
            Some((_, snapshot))
                if self
                    .policy
                    .available
                    .contains(&MethodKind::SecurityQuestions) =>
            {
                &snapshot.answers
            }
            _ => &[],
        }
    }

    /// The methods this flow offers, before any is used: while it conceals the account, the
    /// organisation's; then what the user holds; with hints on, for a decoy a plausible set
    /// picked from the name, the same every time.
    fn methods(&self, state: &AppState, flow: &Flow) -> Vec<MethodKind> {
        if self.conceals(flow) {
            return self.public_policy().available;
        }
        match &self.user {
            Some((_, snapshot)) => {
                let held = snapshot.held();
                self.policy
                    .available
                    .iter()
                    .copied()
                    .filter(|k| held.contains(k))
                    .collect()
            }
            None => {
                let mut kinds = self.policy.available.clone();
                kinds.sort_by_key(|k| decoy_digest(state, flow, k.as_str()));
                kinds.truncate(usize::from(self.policy.required));
                kinds.sort();
                kinds
            }
        }
    }

    /// A masked hint of where a code would go, only when the organisation turned hints on.
    pub fn hint(&self, state: &AppState, flow: &Flow, kind: MethodKind) -> Option<String> {
        if !self.settings.reset_hints {
            return None;
        }
        let stored = self
            .user
            .as_ref()
            .and_then(|(_, snapshot)| snapshot.method(kind))
            .map(|m| m.value.as_str());
        let digest = decoy_digest(state, flow, kind.as_str());
        match (kind, stored) {
            (MethodKind::Email, Some(email)) => Some(mask_email(email)),
            (MethodKind::MobilePhone, Some(phone)) => Some(mask_phone(phone)),
            (MethodKind::Email, None) => {
                const DOMAINS: [&str; 4] = ["outlook.com", "gmail.com", "yahoo.com", "icloud.com"];
                let first: String = flow.name_key.chars().take(1).collect();
                let domain = DOMAINS[usize::from(digest.as_bytes()[0]) % DOMAINS.len()];
                Some(mask_email(&format!("{first}@{domain}")))
            }
            (MethodKind::MobilePhone, None) => {
                let digits: String = digest
                    .bytes()
                    .map(|b| char::from(b'0' + b % 10))
                    .take(2)
                    .collect();
                Some(mask_phone(&format!("+4470000000{digits}")))
            }
            _ => None,
        }
    }

    /// The gates still open in this flow.
    pub fn options(&self, state: &AppState, flow: &Flow) -> Vec<GateOption> {
        self.methods(state, flow)
            .into_iter()
            .filter(|k| !flow.gates_passed.contains(k))
            .map(|kind| GateOption {
                kind,
                hint: self.hint(state, flow, kind),
            })
            .collect()
    }

    /// The key code rows of this flow are bound to: the user, or the name for a decoy.
    pub fn code_owner(&self, flow: &Flow) -> String {
        match &self.user {
            Some((user, _)) => user.id.clone(),
            None => format!("decoy:{}", flow.name_key),
        }
    }
}

/// A stable, secret-keyed digest of the flow's name (so decoys look the same every time and
/// cannot be predicted without the server key).
pub fn decoy_digest(state: &AppState, flow: &Flow, label: &str) -> String {
    state.keys.code_hash(label, &flow.name_key)
}

pub fn stage(flow: &Flow, subject: &Subject) -> ResetStage {
    if flow.finished {
        return ResetStage::Done;
    }
    let Some(intent) = flow.intent else {
        return ResetStage::ChooseIntent;
    };
    if !subject.policy.is_satisfied_by(&flow.gates_passed) {
        ResetStage::Verify
    } else if intent == ResetIntent::Unlock {
        ResetStage::ReadyToUnlock
    } else {
        ResetStage::NewPassword
    }
}

pub fn view(state: &AppState, flow: &Flow, subject: &Subject) -> ResetState {
    let stage = stage(flow, subject);
    let questions = flow
        .questions
        .iter()
        .map(|id| QuestionOption {
            id: id.clone(),
            text: question_text(subject, id),
        })
        .collect();
    let password_rules = match (&subject.user, stage) {
        (Some((user, _)), ResetStage::NewPassword) => Some(subject.rules(user)),
        _ => None,
    };
    let gates_required = if subject.conceals(flow) {
        subject.public_policy().required
    } else {
        subject.policy.required
    };
    ResetState {
        stage,
        intent: flow.intent,
        gates_required,
        gates_passed: flow.gates_passed.clone(),
        options: subject.options(state, flow),
        questions,
        expires_at: flow.expires_at,
        password_rules,
    }
}

/// A custom question's text as the user registered it, or as the organisation words it for a
/// question the user did not answer (a decoy's); built-in ones are translated by the page.
fn question_text(subject: &Subject, id: &str) -> Option<String> {
    let registered = subject
        .held_answers()
        .iter()
        .find(|a| a.question_id == id)
        .and_then(|a| a.question_text.clone());
    registered.or_else(|| match QuestionRef::parse(id)? {
        QuestionRef::Custom(n) => subject.settings.custom_questions.get(n).cloned(),
        QuestionRef::BuiltIn(_) => None,
    })
}

/// Limits of the flow, from the configuration.
pub fn failures_limit(state: &AppState) -> Limit {
    Limit {
        limit: state.config.reset_failures_per_day,
        window_seconds: 86_400,
    }
}

pub fn checks_limit(state: &AppState) -> Limit {
    Limit {
        limit: state.config.reset_checks_per_hour,
        window_seconds: 3600,
    }
}

pub fn client_limit(state: &AppState) -> Limit {
    Limit {
        limit: state.config.reset_starts_per_client,
        window_seconds: 600,
    }
}

pub fn failures_key(flow: &Flow) -> String {
    failures_key_of(&flow.name_key)
}

/// The daily failures of a name (normalised), however its flows began.
pub fn failures_key_of(name_key: &str) -> String {
    format!("reset-fail:{name_key}")
}

pub fn checks_key(flow: &Flow) -> String {
    format!("reset-check:{}", flow.name_key)
}

/// Refuses while the name is blocked by failed proofs.
pub async fn refuse_if_blocked(state: &AppState, flow: &Flow) -> Result<(), AppError> {
    let limit = failures_limit(state);
    match crate::domain::rate::wait(&state.db.pool, &failures_key(flow), limit, now()).await? {
        Some(retry_after_seconds) => {
            let blocked = rekey_core::audit::StopReason::Blocked;
            crate::domain::flow_outcomes::stopped(&state.db.pool, &flow.token_hash, blocked)
                .await?;
            Err(AppError::RateLimited {
                retry_after_seconds,
            })
        }
        None => Ok(()),
    }
}
