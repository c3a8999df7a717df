//! The audit log as the API lists it: events, the filters an admin narrows them with, and the
//! cursor that pages through them (paging by position stays fast at any depth; a page number
//! would make the database count and skip every row before it).

use serde::{Deserialize, Serialize};

use crate::audit::{AuditAction, Flow, Outcome};
use crate::security_info::MethodKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: String,
    /// Unix seconds.
    pub at: i64,
    /// Who did it (sign-in name), or none for the system.
    pub actor: Option<String>,
    pub action: AuditAction,
    /// Whether what was tried happened (derived from the action).
    pub outcome: Outcome,
    /// What it happened to.
    pub target: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub old_value: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub new_value: Option<serde_json::Value>,
    /// The client's address, for events caused by a request.
    #[serde(default)]
    pub client_ip: Option<String>,
    /// The client's browser or program, as it named itself, for events caused by a request.
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// Which events to list or export; every filter is optional and they combine.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Case-insensitive text found in the actor, the target or the client's address.
    #[serde(default)]
    pub q: Option<String>,
    /// Events done by or to this sign-in name (exact, case-insensitive).
    #[serde(default)]
    pub user: Option<String>,
    /// One action.
    #[serde(default)]
    pub action: Option<AuditAction>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Events of this self-service flow (failed proofs, finished and abandoned flows).
    #[serde(default)]
    pub flow: Option<Flow>,
    /// Events naming this method (a failed proof's, one of a finished reset's, a registration
    /// change's).
    #[serde(default)]
    pub method: Option<MethodKind>,
    /// Events with this detail: a failed proof's or abandoned flow's reason
    /// (`password_refused:too_short`), a registration change's kind (`added`).
    #[serde(default)]
    pub detail: Option<String>,
    /// From this moment (Unix seconds, inclusive).
    #[serde(default)]
    pub from: Option<i64>,
    /// Before this moment (Unix seconds, exclusive).
    #[serde(default)]
    pub to: Option<i64>,
    /// The `next` of the previous page; none for the newest events.
    #[serde(default)]
    pub before: Option<String>,
    /// Events per page, 1-100 (default 25).
    #[serde(default)]
    pub per_page: Option<u32>,
}

impl AuditQuery {
    /// The page size to use, clamped to what the API allows.
    pub fn per_page(&self) -> u32 {
        self.per_page
            .unwrap_or(super::ListQuery::DEFAULT_PER_PAGE)
            .clamp(1, super::ListQuery::MAX_PER_PAGE)
    }

    /// The search text, trimmed and lower-cased, or `None` when blank.
    pub fn search(&self) -> Option<String> {
        super::ListQuery {
            q: self.q.clone(),
            ..Default::default()
        }
        .search()
    }

    /// The user filter, trimmed and lower-cased as sign-in names are kept, or `None`.
    pub fn user(&self) -> Option<String> {
        self.user
            .as_deref()
            .map(crate::validation::normalize_sign_in_name)
            .filter(|u| !u.is_empty())
    }
}

/// A page of events, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    /// Pass as `before` for the next (older) page; none when this is the last.
    pub next: Option<String>,
}

/// The most rows one CSV export holds, newest first; narrow the filters for older ones.
pub const AUDIT_EXPORT_MAX_ROWS: u32 = 100_000;
