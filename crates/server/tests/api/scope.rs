//! Every admin role against every target's role on every endpoint that acts on or reads one
//! user: each answer must follow the scope table of `rekey_core::roles`, for reading as for
//! acting. The table below must name every such operation of the OpenAPI document, so a new
//! endpoint cannot be added without its rule.

use std::collections::BTreeSet;

use rekey_core::roles::{can_manage_user, can_reset_password_of, is_admin, Role};
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

type Rule = fn(&[Role], &[Role]) -> bool;

fn any_admin(actor: &[Role], _: &[Role]) -> bool {
    is_admin(actor)
}

/// One operation on a user: method, path under `/api/users/{id}`, a body that changes nothing
/// lasting (or fails validation once past the scope check), and the rule it must follow.
struct Operation {
    method: Method,
    path: &'static str,
    body: Option<fn() -> Value>,
    rule: Rule,
    /// Names something the target does not have (one of their passkeys): past the scope check
    /// the answer is `not_found`.
    names_absent: bool,
}

fn operations() -> Vec<Operation> {
    let op = |method, path, body, rule| Operation {
        method,
        path,
        body,
        rule,
        names_absent: false,
    };
    vec![
        op(Method::GET, "", None, any_admin as Rule),
        op(Method::GET, "/contact-info", None, can_manage_user),
        op(
            Method::PUT,
            "/contact-info",
            Some(|| json!({})),
            can_manage_user,
        ),
        op(Method::GET, "/password-rules", None, can_reset_password_of),
        // Too short a password: refused by validation, after the scope check.
        op(
            Method::POST,
            "/password",
            Some(|| json!({"password": "x"})),
            can_reset_password_of,
        ),
        op(Method::POST, "/unlock", None, can_reset_password_of),
        op(Method::DELETE, "/sessions", None, can_reset_password_of),
        op(Method::GET, "/passkeys", None, can_reset_password_of),
        Operation {
            names_absent: true,
            ..op(
                Method::DELETE,
                "/passkeys/{passkey}",
                None,
                can_reset_password_of,
            )
        },
        op(
            Method::PATCH,
            "",
            Some(|| json!({"password_never_expires": false})),
            can_manage_user,
        ),
        // Last: a user it deletes is made again for the next actor.
        op(Method::DELETE, "", None, can_manage_user),
    ]
}

const ACTORS: [(&str, Role); 5] = [
    (GLOBAL_ADMIN, Role::GlobalAdmin),
    (PASSWORD_ADMIN, Role::PasswordAdmin),
    (HELPDESK_ADMIN, Role::HelpdeskAdmin),
    (USER_ADMIN, Role::UserAdmin),
    (REPORTS_READER, Role::ReportsReader),
];

async fn create_target(global: &Actor, index: usize, roles: &[Role]) -> String {
    let body = json!({
        "sign_in_name": format!("target.{index}.{}@contoso.example", uuid_suffix()),
        "display_name": format!("Target {index}"),
        "roles": roles,
    });
    let response = global.post("/users", body).await;
    assert_eq!(response.status(), 201, "create target");
    let created: Value = response.json().await.unwrap();
    created["user"]["id"].as_str().unwrap().to_string()
}

fn uuid_suffix() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

async fn every_role_reads_and_acts_only_within_its_scope(backend: Backend) {
    let server = start(backend).await;
    let global = server.actor(GLOBAL_ADMIN).await;

    // The table names every operation on one user that the API documents.
    let doc = get_json(&server.client(), server.api("/openapi.json")).await;
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(path, _)| path.starts_with("/api/users/{id}"))
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let listed: BTreeSet<(String, String)> = operations()
        .iter()
        .map(|op| {
            (
                op.method.to_string(),
                format!("/api/users/{{id}}{}", op.path),
            )
        })
        .collect();
    assert_eq!(
        documented, listed,
        "every operation on a user has its rule here"
    );

    let targets: Vec<Vec<Role>> = std::iter::once(vec![])
        .chain(Role::ALL.iter().map(|r| vec![*r]))
        .collect();
    let mut ids = Vec::new();
    for (index, roles) in targets.iter().enumerate() {
        ids.push(create_target(&global, index, roles).await);
    }
    let mut actors = Vec::new();
    for (name, role) in ACTORS {
        actors.push((server.actor(name).await, role));
    }
    let mut checked = 0;
    for op in operations() {
        for (actor, role) in &actors {
            for (index, target) in targets.iter().enumerate() {
                let allowed = (op.rule)(&[*role], target);
                let path = format!("/users/{}{}", ids[index], op.path);
                let response = actor
                    .send(op.method.clone(), &path, op.body.map(|b| b()))
                    .await;
                let status = response.status().as_u16();
                let what = format!("{} {path} by {role:?} on {target:?}", op.method);
                if allowed && op.names_absent {
                    assert_eq!(error_code(response, 404).await, "not_found", "{what}");
                } else if allowed {
                    assert!(
                        !matches!(status, 401 | 403 | 404) && status < 500,
                        "{what}: allowed, got {status}"
                    );
                } else {
                    assert_eq!(error_code(response, 403).await, "forbidden", "{what}");
                }
                if op.method == Method::DELETE && op.path.is_empty() && allowed {
                    ids[index] = create_target(&global, index, target).await;
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, operations().len() * ACTORS.len() * targets.len());
}

crate::on_both_databases!(every_role_reads_and_acts_only_within_its_scope);
