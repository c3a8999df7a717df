//! Settings › Security & privacy › Self-service password reset: permissions, validation,
//! persistence, audit, and whom the policy covers.

use serde_json::{json, Value};

use crate::common::*;

async fn group_id(server: &TestServer, client: &reqwest::Client, name: &str) -> String {
    let page: Value = client
        .get(server.api("/groups"))
        .query(&[("q", name)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("group {name}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn put(
    server: &TestServer,
    client: &reqwest::Client,
    csrf: &str,
    body: Value,
) -> reqwest::Response {
    client
        .put(server.api("/settings/sspr"))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn current(server: &TestServer, client: &reqwest::Client) -> Value {
    get_json(client, server.api("/settings/sspr")).await
}

async fn global_admin_selects_a_group_and_it_survives_a_restart(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(GLOBAL_ADMIN).await;
    let initial = current(&server, &client).await;
    assert_eq!(
        initial["settings"],
        json!({"scope": "none", "group_id": null})
    );
    assert_eq!(initial["updated_at"], Value::Null);

    let pilot = group_id(&server, &client, "SSPR pilot").await;
    let r = put(
        &server,
        &client,
        &info.csrf_token,
        json!({"scope": "selected", "group_id": pilot}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["settings"]["scope"], "selected");
    assert_eq!(saved["updated_by"], GLOBAL_ADMIN);
    let group = get_json(&client, server.api(&format!("/groups/{pilot}"))).await;
    assert_eq!(group["name"], "SSPR pilot");
    assert_eq!(group["member_count"], 2);
    let missing = client
        .get(server.api("/groups/no-such-group"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(missing, 404).await, "not_found");

    // A new server process over the same database sees the same settings.
    let restarted = start_on(
        TestDb::reopen(&server.db.url),
        &[],
        std::path::Path::new("/nonexistent"),
    )
    .await;
    let (client2, _) = restarted.sign_in(HELPDESK_ADMIN).await;
    let after = current(&restarted, &client2).await;
    assert_eq!(after["settings"]["group_id"], Value::String(pilot));
}

async fn only_global_and_password_admins_may_change_it(backend: Backend) {
    let server = start(backend).await;
    let (pw_client, pw) = server.sign_in(PASSWORD_ADMIN).await;
    let r = put(&server, &pw_client, &pw.csrf_token, json!({"scope": "all"})).await;
    assert_eq!(r.status(), 200, "a Password admin may change it");

    for name in [HELPDESK_ADMIN, REPORTS_READER, "user.admin@contoso.example"] {
        let (client, info) = server.sign_in(name).await;
        assert_eq!(
            current(&server, &client).await["settings"]["scope"],
            "all",
            "{name} may read"
        );
        let r = put(&server, &client, &info.csrf_token, json!({"scope": "none"})).await;
        assert_eq!(
            error_code(r, 403).await,
            "forbidden",
            "{name} must be refused"
        );
    }
    let (user, info) = server.sign_in(USER_IN_PILOT).await;
    let r = user.get(server.api("/settings/sspr")).send().await.unwrap();
    assert_eq!(
        error_code(r, 403).await,
        "forbidden",
        "plain users never reach admin endpoints"
    );
    let r = put(&server, &user, &info.csrf_token, json!({"scope": "none"})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let anonymous = server
        .client()
        .get(server.api("/settings/sspr"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(anonymous, 401).await, "unauthenticated");

    let (client, _) = server.sign_in(GLOBAL_ADMIN).await;
    assert_eq!(
        current(&server, &client).await["settings"]["scope"],
        "all",
        "refusals changed nothing"
    );
}

async fn invalid_settings_are_refused_with_field_errors(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(GLOBAL_ADMIN).await;
    let pilot = group_id(&server, &client, "SSPR pilot").await;
    let cases = [
        (json!({"scope": "selected"}), "group_required"),
        (
            json!({"scope": "selected", "group_id": "   "}),
            "group_required",
        ),
        (
            json!({"scope": "selected", "group_id": "no-such-group"}),
            "group_not_found",
        ),
        (
            json!({"scope": "all", "group_id": pilot}),
            "group_not_allowed",
        ),
    ];
    for (body, rule) in cases {
        let r = put(&server, &client, &info.csrf_token, body.clone()).await;
        assert_eq!(r.status(), 422, "{body}");
        let error: Value = r.json().await.unwrap();
        assert_eq!(error["error"]["code"], "validation_failed");
        assert_eq!(
            error["error"]["fields"],
            json!([{"field": "group_id", "rule": rule}]),
            "{body}"
        );
    }
    assert_eq!(current(&server, &client).await["settings"]["scope"], "none");
}

async fn every_change_is_audited_with_old_and_new_values(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(PASSWORD_ADMIN).await;
    let pilot = group_id(&server, &client, "SSPR pilot").await;
    put(
        &server,
        &client,
        &info.csrf_token,
        json!({"scope": "selected", "group_id": pilot}),
    )
    .await;
    put(&server, &client, &info.csrf_token, json!({"scope": "all"})).await;
    // Saving the same value again is not a change.
    put(&server, &client, &info.csrf_token, json!({"scope": "all"})).await;

    let log: Value = get_json(&client, server.api("/audit")).await;
    let changes: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "sspr_settings_changed")
        .collect();
    assert_eq!(changes.len(), 2);
    let newest = changes[0];
    assert_eq!(newest["actor"], PASSWORD_ADMIN);
    assert_eq!(
        newest["old_value"],
        json!({"scope": "selected", "group_id": pilot})
    );
    assert_eq!(
        newest["new_value"],
        json!({"scope": "all", "group_id": null})
    );
    assert!(newest["at"].as_i64().unwrap() > 1_700_000_000);
    assert_eq!(
        changes[1]["old_value"],
        json!({"scope": "none", "group_id": null})
    );
    // Sign-ins are in the log too.
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "sign_in_succeeded"));
}

async fn the_policy_covers_the_group_and_its_nested_groups(backend: Backend) {
    let server = start(backend).await;
    let (admin, info) = server.sign_in(GLOBAL_ADMIN).await;
    let enabled_for = |name: &'static str| {
        let server = &server;
        async move { server.sign_in(name).await.1.user.sspr_enabled }
    };
    assert!(!enabled_for(USER_IN_PILOT).await, "None covers nobody");

    let pilot = group_id(&server, &admin, "SSPR pilot").await;
    put(
        &server,
        &admin,
        &info.csrf_token,
        json!({"scope": "selected", "group_id": pilot}),
    )
    .await;
    assert!(enabled_for(USER_IN_PILOT).await, "direct member");
    assert!(
        enabled_for(USER_IN_NESTED).await,
        "member through a nested group"
    );
    assert!(!enabled_for(USER_OUTSIDE).await, "not a member");

    put(&server, &admin, &info.csrf_token, json!({"scope": "all"})).await;
    assert!(enabled_for(USER_OUTSIDE).await, "All covers everybody");
}

/// Reports and the Users page read whom self-service reset covers from a flag kept on each
/// user; every change that moves someone in or out keeps it true, and so does the migration
/// that first set it.
async fn who_is_covered_follows_the_scope_groups_and_memberships(backend: Backend) {
    let server = start(backend).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let group = |name: &'static str| {
        let admin = &admin;
        async move {
            let page = admin.get(&format!("/groups?q={name}")).await;
            page["items"][0]["id"]
                .as_str()
                .expect("a group")
                .to_string()
        }
    };
    let (pilot, engineering, sales) = (
        group("SSPR pilot").await,
        group("Engineering").await,
        group("Sales").await,
    );
    let covered = |query: &'static str| {
        let admin = &admin;
        async move { admin.get(&format!("/users?sspr=true&{query}")).await["total"].clone() }
    };
    assert_eq!(covered("").await, 0, "nobody by default");
    assert_covered_as_decided(&server, &admin).await;

    let scope = |body: Value| {
        let admin = &admin;
        async move { assert_eq!(admin.put("/settings/sspr", body).await.status(), 200) }
    };
    scope(json!({"scope": "all"})).await;
    assert_eq!(covered("").await, admin.get("/users").await["total"]);
    scope(json!({"scope": "selected", "group_id": pilot})).await;
    // Adele in the pilot, Alex and Diego through Engineering nested in it.
    assert_eq!(covered("").await, 3);
    assert_covered_as_decided(&server, &admin).await;

    // A new user in the nested group is covered; moved to Sales, they are not.
    let body = json!({"sign_in_name": "new.engineer@contoso.example",
        "display_name": "New Engineer", "group_ids": [engineering]});
    let r = admin.post("/users", body).await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let id = created["user"]["id"].as_str().unwrap().to_string();
    assert_eq!(covered("q=new.engineer").await, 1);
    let moved = admin
        .patch(&format!("/users/{id}"), json!({"group_ids": [sales]}))
        .await;
    assert_eq!(moved.status(), 200);
    assert_eq!(covered("q=new.engineer").await, 0);
    // An imported user named into Engineering is covered.
    let csv = "sign_in_name,display_name,groups\nimported@contoso.example,Imported,Engineering\n";
    let r = admin.post("/users/import", json!({"csv": csv})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(covered("q=imported").await, 1);
    assert_covered_as_decided(&server, &admin).await;
    // The registration report counts the same users in scope.
    let report = admin.get("/reports/registration?fresh=true").await;
    let in_scope = &report["in_scope"];
    let counted: u64 = ["registered", "partly", "not_registered"]
        .iter()
        .map(|state| in_scope[state].as_u64().unwrap())
        .sum();
    assert_eq!(json!(counted), covered("enabled=true").await, "{report}");

    // The migration sets the flags from the scope saved before it.
    let pool = &server.state.db.pool;
    let mut conn = pool.acquire().await.unwrap();
    for statement in [
        "DROP INDEX users_by_methods_held",
        "CREATE INDEX users_by_methods_held ON users(enabled, methods_held, answers_held)",
        "DROP INDEX users_by_enabled",
        "CREATE INDEX users_by_enabled ON users(enabled, sign_in_name_lc)",
        "ALTER TABLE users DROP COLUMN sspr_covered",
        "DELETE FROM _sqlx_migrations WHERE version = 20261212000001",
    ] {
        sqlx::query(statement).execute(&mut *conn).await.unwrap();
    }
    sqlx::migrate!("./migrations")
        .run(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(covered("").await, 4);
    assert_covered_as_decided(&server, &admin).await;
    scope(json!({"scope": "none"})).await;
    assert_eq!(covered("").await, 0);
}

crate::on_both_databases!(
    who_is_covered_follows_the_scope_groups_and_memberships,
    global_admin_selects_a_group_and_it_survives_a_restart,
    only_global_and_password_admins_may_change_it,
    invalid_settings_are_refused_with_field_errors,
    every_change_is_audited_with_old_and_new_values,
    the_policy_covers_the_group_and_its_nested_groups,
);
