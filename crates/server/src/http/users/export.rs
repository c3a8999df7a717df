//! The Users page's filtered view as CSV: every match (at most `USERS_EXPORT_MAX_ROWS`),
//! read and sent a chunk at a time.

use axum::extract::State;
use axum::response::Response;
use futures_util::stream::{self, StreamExt, TryStreamExt};
use rekey_core::dto::{UserQuery, UserSummary};
use rekey_core::error::ApiError;

use super::super::csv_body::{self, csv_row, time_text};
use super::super::error::AppError;
use super::super::extract::{AdminUser, Query};
use super::policies;
use crate::domain::registration;
use crate::state::AppState;
use crate::store::user_list;

/// The most rows one export holds, in sign-in name order.
pub const USERS_EXPORT_MAX_ROWS: i64 = 100_000;

/// Users read per query.
const CHUNK: i64 = 1_000;

const HEADER: [&str; 11] = [
    "sign_in_name",
    "display_name",
    "enabled",
    "roles",
    "registered",
    "methods",
    "password_changed_utc",
    "password_expires_utc",
    "locked_until_utc",
    "from_directory",
    "id",
];

/// The users the filters select (ignoring `page` and `per_page`), in sign-in name order, at
/// most 100,000 rows, as CSV streamed while it is read.
#[utoipa::path(get, path = "/api/users/export", tag = "users",
    params(UserQuery),
    responses(
        (status = 200, description = "text/csv, one user per row", content_type = "text/csv", body = String),
        (status = 400, description = "invalid_parameter", body = ApiError),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (no admin role)", body = ApiError),
    ))]
pub async fn export(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<UserQuery>,
) -> Result<Response, AppError> {
    let pool = state.db.pool.clone();
    let policies = policies(&pool).await?;
    let chunks = stream::try_unfold(0_i64, move |skip| {
        let (pool, query, policies) = (pool.clone(), query.clone(), policies.clone());
        async move {
            if skip >= USERS_EXPORT_MAX_ROWS {
                return Ok::<_, sqlx::Error>(None);
            }
            let limit = CHUNK.min(USERS_EXPORT_MAX_ROWS - skip);
            let mut users = user_list::read(&pool, &query, &policies, limit, skip).await?;
            if users.is_empty() {
                return Ok(None);
            }
            registration::fill_summaries(&pool, &mut users).await?;
            let next = if (users.len() as i64) < limit {
                USERS_EXPORT_MAX_ROWS
            } else {
                skip + limit
            };
            Ok(Some((stream::iter(users.into_iter().map(Ok)), next)))
        }
    });
    let rows = chunks
        .try_flatten()
        .map_ok(|user: UserSummary| csv_row(&row_of(&user)));
    Ok(csv_body::download("rekey-users", &HEADER, rows.boxed()))
}

fn row_of(user: &UserSummary) -> [String; 11] {
    let names = |items: Vec<&str>| items.join(";");
    [
        user.sign_in_name.clone(),
        user.display_name.clone(),
        user.enabled.to_string(),
        names(user.roles.iter().map(|r| r.as_str()).collect()),
        user.registration.registered.to_string(),
        names(
            user.registration
                .methods
                .iter()
                .map(|m| m.as_str())
                .collect(),
        ),
        time_text(Some(user.password_changed_at).filter(|&at| at > 0)),
        time_text(user.password_expires_at),
        time_text(user.locked_until),
        user.from_directory.to_string(),
        user.id.clone(),
    ]
}
