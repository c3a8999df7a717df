//! Bulk import from CSV. Every row is checked first; nothing is imported while any row is bad,
//! so a dry run shows exactly what a real run would do.
//!
//! Imported users get a random password nobody knows and must change it: they set their own
//! through self-service reset (the email and phone in the file are filled in for them as
//! authentication methods) or an admin resets it.

use std::collections::{HashMap, HashSet};

use axum::extract::State;
use rekey_core::audit::AuditAction;
use rekey_core::dto::{ImportProblem, ImportReport, ImportRequest};
use rekey_core::error::ApiError;
use rekey_core::security_info::{check_email, check_phone, normalize_phone, MethodKind};
use rekey_core::validation::{check_user_names, normalize_sign_in_name, FieldError, Rule};
use serde_json::json;

use super::super::error::AppError;
use super::super::extract::{Json, UserManager};
use super::record;
use crate::domain::sspr_policy;
use crate::infra::db::now;
use crate::infra::secrets::random_token;
use crate::state::AppState;
use crate::store::groups;
use crate::store::security_info::{self as methods, MethodWrite};
use crate::store::users::{self, NewUser};

/// The largest file accepted, and the most rows in one import.
pub const MAX_CSV_BYTES: usize = 1024 * 1024;
pub const MAX_ROWS: usize = 5000;

const REQUIRED: [&str; 2] = ["sign_in_name", "display_name"];
const OPTIONAL: [&str; 3] = ["email", "mobile_phone", "groups"];

/// One checked row, ready to insert.
struct Row {
    sign_in_name: String,
    display_name: String,
    email: Option<String>,
    phone: Option<String>,
    group_ids: Vec<String>,
}

/// What the file says, checked against the directory as it is now.
struct Checked {
    rows: Vec<Row>,
    read: u32,
    problems: Vec<ImportProblem>,
}

fn problem(line: u64, field: &str, rule: Rule) -> ImportProblem {
    ImportProblem {
        line: line.min(u64::from(u32::MAX)) as u32,
        error: FieldError::new(field, rule),
    }
}

async fn check(state: &AppState, csv_text: &str) -> Result<Checked, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(csv_text.as_bytes());
    let mut checked = Checked {
        rows: Vec::new(),
        read: 0,
        problems: Vec::new(),
    };
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.to_lowercase()).collect(),
        Err(_) => {
            checked
                .problems
                .push(problem(1, "csv", Rule::InvalidCharacters));
            return Ok(checked);
        }
    };
    for name in &headers {
        if !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str()) {
            checked.problems.push(problem(1, name, Rule::Unknown));
        }
    }
    for name in REQUIRED {
        if !headers.iter().any(|h| h == name) {
            checked.problems.push(problem(1, name, Rule::Required));
        }
    }
    if !checked.problems.is_empty() {
        return Ok(checked);
    }
    let column = |record: &csv::StringRecord, name: &str| -> String {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .unwrap_or("")
            .to_string()
    };
    let group_ids = groups::ids_by_name(&state.db.pool).await?;
    let mut seen = HashSet::new();
    for record in reader.records() {
        checked.read += 1;
        if checked.read as usize > MAX_ROWS {
            let line = record
                .as_ref()
                .map(|r| r.position().map_or(0, |p| p.line()))
                .unwrap_or(0);
            checked.problems.push(problem(line, "csv", Rule::TooMany));
            break;
        }
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(0, |p| p.line());
                checked
                    .problems
                    .push(problem(line, "csv", Rule::WrongCount));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let before = checked.problems.len();
        let row = check_row(
            state,
            &column,
            &record,
            &group_ids,
            &mut seen,
            line,
            &mut checked.problems,
        )
        .await?;
        if checked.problems.len() == before {
            checked.rows.push(row);
        }
    }
    if checked.read == 0 {
        checked.problems.push(problem(2, "csv", Rule::Required));
    }
    Ok(checked)
}

async fn check_row(
    state: &AppState,
    column: &impl Fn(&csv::StringRecord, &str) -> String,
    record: &csv::StringRecord,
    group_ids: &HashMap<String, String>,
    seen: &mut HashSet<String>,
    line: u64,
    problems: &mut Vec<ImportProblem>,
) -> Result<Row, AppError> {
    let sign_in_name = column(record, "sign_in_name");
    let display_name = column(record, "display_name");
    let mut errors = check_user_names(&sign_in_name, &display_name);
    if errors.is_empty() {
        let key = normalize_sign_in_name(&sign_in_name);
        if !seen.insert(key.clone()) {
            errors.push(FieldError::new("sign_in_name", Rule::Duplicate));
        } else if users::find_by_sign_in_name(&state.db.pool, &key)
            .await?
            .is_some()
        {
            errors.push(FieldError::new("sign_in_name", Rule::Taken));
        }
    }
    let email = Some(column(record, "email")).filter(|e| !e.is_empty());
    if let Some(email) = &email {
        errors.extend(check_email("email", email));
    }
    let phone = Some(column(record, "mobile_phone")).filter(|p| !p.is_empty());
    if let Some(phone) = &phone {
        errors.extend(check_phone("mobile_phone", phone));
    }
    let mut ids = Vec::new();
    for name in column(record, "groups").split(';').map(str::trim) {
        if name.is_empty() {
            continue;
        }
        match group_ids.get(&name.to_lowercase()) {
            Some(id) if !ids.contains(id) => ids.push(id.clone()),
            Some(_) => {}
            None => errors.push(FieldError::new("groups", Rule::GroupNotFound)),
        }
    }
    problems.extend(errors.into_iter().map(|error| ImportProblem {
        line: line.min(u64::from(u32::MAX)) as u32,
        error,
    }));
    Ok(Row {
        sign_in_name,
        display_name,
        email: email.map(|e| e.trim().to_string()),
        phone: phone.as_deref().map(normalize_phone),
        group_ids: ids,
    })
}

/// Import users from CSV (Global and User admins). Header: `sign_in_name,display_name` and
/// optionally `email`, `mobile_phone`, `groups` (names, separated by `;`). With `dry_run`, or
/// while any row is bad, nothing is imported.
#[utoipa::path(post, path = "/api/users/import", tag = "users",
    request_body = ImportRequest,
    responses(
        (status = 200, body = ImportReport),
        (status = 401, description = "unauthenticated", body = ApiError),
        (status = 403, description = "forbidden (not a Global or User admin) or csrf_failed", body = ApiError),
        (status = 413, description = "payload_too_large (over 1 MiB)", body = ApiError),
    ))]
pub async fn import(
    State(state): State<AppState>,
    UserManager(admin): UserManager,
    Json(request): Json<ImportRequest>,
) -> Result<Json<ImportReport>, AppError> {
    let checked = check(&state, &request.csv).await?;
    let mut report = ImportReport {
        rows: checked.read,
        created: 0,
        problems: checked.problems,
    };
    if request.dry_run || !report.problems.is_empty() {
        return Ok(Json(report));
    }
    // One unknowable password for the whole batch: a hash per row would take minutes, and
    // nobody can sign in with it anyway.
    let hash = state.hasher.hash(&random_token()).await?;
    let now = now();
    let mut tx = state.db.pool.begin().await?;
    for row in &checked.rows {
        let new = NewUser {
            sign_in_name: &row.sign_in_name,
            display_name: &row.display_name,
            password_hash: &hash,
            roles: &[],
            must_change_password: true,
        };
        let id = users::create(&mut tx, new).await?;
        groups::set_user_groups(&mut tx, &id, &row.group_ids).await?;
        sspr_policy::refresh_user(&mut tx, &id).await?;
        let filled = [
            (MethodKind::Email, &row.email),
            (MethodKind::MobilePhone, &row.phone),
        ];
        for (kind, value) in filled {
            if let Some(value) = value {
                let write = MethodWrite {
                    user_id: &id,
                    method: kind.as_str(),
                    value,
                    last_step: 0,
                    set_by_admin: true,
                };
                methods::put_method(&mut tx, write, now).await?;
            }
        }
        report.created += 1;
    }
    let summary = json!({ "rows": report.rows, "created": report.created });
    record(
        &mut tx,
        &admin,
        AuditAction::UsersImported,
        "csv",
        None,
        Some(&summary),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(report))
}
