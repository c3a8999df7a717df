//! Sign-in, sessions, lockout and CSRF.

use rekey_server::seed::DEMO_PASSWORD;
use serde_json::json;

use crate::common::*;

async fn session_carries_user_roles_and_a_protected_cookie(backend: Backend) {
    let server = start(backend).await;
    let client = server.client();
    let response = server
        .attempt_sign_in(&client, "  Global.Admin@Contoso.example ", DEMO_PASSWORD)
        .await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("rekey_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(!cookie.contains("Secure"), "plain http must not set Secure");
    let info: serde_json::Value = response.json().await.unwrap();
    assert_eq!(info["user"]["sign_in_name"], GLOBAL_ADMIN);
    assert_eq!(info["user"]["roles"], json!(["global_admin"]));
    assert_eq!(info["user"]["sspr_enabled"], false);
    assert!(info["csrf_token"].as_str().unwrap().len() >= 40);

    let again: serde_json::Value = get_json(&client, server.api("/session")).await;
    assert_eq!(again["user"]["id"], info["user"]["id"]);
    assert_eq!(again["csrf_token"], info["csrf_token"]);
}

async fn wrong_password_unknown_user_and_disabled_look_the_same(backend: Backend) {
    let server = start(backend).await;
    sqlx::query("UPDATE users SET enabled = 0 WHERE sign_in_name_lc = $1")
        .bind(USER_OUTSIDE)
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    let mut bodies = Vec::new();
    for (name, password) in [
        (GLOBAL_ADMIN, "wrong password"),
        ("nobody@contoso.example", "wrong password"),
        (USER_OUTSIDE, DEMO_PASSWORD),
    ] {
        let response = server
            .attempt_sign_in(&server.client(), name, password)
            .await;
        assert_eq!(response.status(), 401, "{name}");
        assert!(response.headers().get("set-cookie").is_none());
        bodies.push(response.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[0], bodies[2]);
    assert!(bodies[0].contains("\"invalid_credentials\""));
}

async fn ten_failures_lock_known_and_unknown_names_alike(backend: Backend) {
    let server = start(backend).await;
    for name in [GLOBAL_ADMIN, "ghost@contoso.example"] {
        let client = server.client();
        let attempt = |password: &'static str| {
            client
                .post(server.api("/session"))
                .json(&json!({"sign_in_name": name, "password": password}))
                .send()
        };
        for _ in 0..9 {
            assert_eq!(
                error_code(attempt("nope").await.unwrap(), 401).await,
                "invalid_credentials"
            );
        }
        let tenth = attempt("nope").await.unwrap();
        assert_eq!(tenth.status(), 429);
        assert_eq!(tenth.headers()["retry-after"], "60");
        let body: serde_json::Value = tenth.json().await.unwrap();
        assert_eq!(body["error"]["code"], "account_locked");
        assert_eq!(body["error"]["retry_after_seconds"], 60);
        // Even the right password is refused while locked.
        let locked = attempt(DEMO_PASSWORD).await.unwrap();
        assert_eq!(error_code(locked, 429).await, "account_locked");
    }
    // Other names are unaffected.
    server.sign_in(PASSWORD_ADMIN).await;
}

/// One client spraying many names is stopped by its address's counter.
async fn one_client_cannot_spray_many_names(backend: Backend) {
    let server = start_with(backend, &["--ip-lockout-threshold", "3"]).await;
    let client = server.client();
    for (i, name) in ["a@contoso.example", "b@contoso.example"]
        .iter()
        .enumerate()
    {
        let r = server.attempt_sign_in(&client, name, "guess").await;
        assert_eq!(
            error_code(r, 401).await,
            "invalid_credentials",
            "attempt {i}"
        );
    }
    let third = server
        .attempt_sign_in(&client, "c@contoso.example", "guess")
        .await;
    assert_eq!(error_code(third, 429).await, "account_locked");
    // Even a real account with its right password waits while the address is locked.
    let real = server
        .attempt_sign_in(&client, GLOBAL_ADMIN, DEMO_PASSWORD)
        .await;
    let body: serde_json::Value = real.json().await.unwrap();
    assert_eq!(body["error"]["code"], "account_locked");
    // 300 s from the locking attempt; a second may have ticked since.
    let wait = body["error"]["retry_after_seconds"].as_u64().unwrap();
    assert!((299..=300).contains(&wait), "{wait}");
}

/// Behind a proxy the address comes from X-Forwarded-For, and only when told so.
async fn forwarded_addresses_are_used_only_when_trusted(backend: Backend) {
    let server = start_with(
        backend,
        &["--ip-lockout-threshold", "2", "--trust-forwarded-for"],
    )
    .await;
    let attempt = |from: &'static str, name: &'static str, password: &'static str| {
        server
            .client()
            .post(server.api("/session"))
            .header("x-forwarded-for", format!("198.51.100.1, {from}"))
            .json(&json!({"sign_in_name": name, "password": password}))
            .send()
    };
    attempt("203.0.113.7", "x@contoso.example", "guess")
        .await
        .unwrap();
    let locked = attempt("203.0.113.7", "y@contoso.example", "guess")
        .await
        .unwrap();
    assert_eq!(error_code(locked, 429).await, "account_locked");
    let elsewhere = attempt("203.0.113.8", GLOBAL_ADMIN, DEMO_PASSWORD)
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 200, "another address is not affected");

    // Without trust, the header is ignored: all these come from the one loopback peer.
    let untrusting = start_with(backend, &["--ip-lockout-threshold", "2"]).await;
    for (i, from) in ["203.0.113.1", "203.0.113.2"].iter().enumerate() {
        let r = untrusting
            .client()
            .post(untrusting.api("/session"))
            .header("x-forwarded-for", *from)
            .json(&json!({"sign_in_name": format!("n{i}@contoso.example"), "password": "guess"}))
            .send()
            .await
            .unwrap();
        let expected = if i == 0 { 401 } else { 429 };
        assert_eq!(r.status(), expected, "attempt {i}");
    }
}

async fn a_success_clears_the_failure_count(backend: Backend) {
    let server = start(backend).await;
    let client = server.client();
    for round in 0..2 {
        for _ in 0..9 {
            let r = server.attempt_sign_in(&client, GLOBAL_ADMIN, "nope").await;
            assert_eq!(r.status(), 401, "round {round}");
        }
        server.sign_in(GLOBAL_ADMIN).await;
    }
}

async fn sign_out_ends_the_session_on_the_server(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(HELPDESK_ADMIN).await;
    let stolen_cookie = {
        // What an attacker who copied the cookie would hold.
        let r = server
            .attempt_sign_in(&server.client(), HELPDESK_ADMIN, DEMO_PASSWORD)
            .await;
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    let out = client
        .delete(server.api("/session"))
        .header("x-csrf-token", &info.csrf_token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(
        error_code(
            client.get(server.api("/session")).send().await.unwrap(),
            401
        )
        .await,
        "unauthenticated"
    );
    // The other session is still live until it signs out too.
    let other = reqwest::Client::new()
        .get(server.api("/session"))
        .header("cookie", &stolen_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
}

async fn idle_and_old_sessions_expire(backend: Backend) {
    for limit in [
        ["--session-idle-minutes", "0"],
        ["--session-max-hours", "0"],
    ] {
        let server = start_with(backend, &limit).await;
        let (client, _) = server.sign_in(GLOBAL_ADMIN).await;
        let r = client.get(server.api("/session")).send().await.unwrap();
        assert_eq!(error_code(r, 401).await, "unauthenticated", "{limit:?}");
    }
}

/// Instances keep nothing in memory: a session opened on one works on another.
async fn any_instance_serves_any_session(backend: Backend) {
    let first = start(backend).await;
    let second = start_on(
        TestDb::reopen(&first.db.url),
        &[],
        std::path::Path::new("/nonexistent"),
    )
    .await;
    let (_, info) = first.sign_in(GLOBAL_ADMIN).await;
    let cookie_client = first.client();
    let response = first
        .attempt_sign_in(&cookie_client, PASSWORD_ADMIN, DEMO_PASSWORD)
        .await;
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = response.json::<serde_json::Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    let on_second = reqwest::Client::new()
        .put(second.api("/settings/sspr"))
        .header("cookie", &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({"scope": "all"}))
        .send()
        .await
        .unwrap();
    assert_eq!(on_second.status(), 200);
    assert_ne!(info.csrf_token, csrf, "each session has its own CSRF token");
}

async fn changes_need_the_csrf_token(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(GLOBAL_ADMIN).await;
    let body = json!({"scope": "all"});
    let missing = client
        .put(server.api("/settings/sspr"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(missing, 403).await, "csrf_failed");
    let wrong = client
        .put(server.api("/settings/sspr"))
        .header("x-csrf-token", "not-the-token")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(wrong, 403).await, "csrf_failed");
    let view: serde_json::Value = get_json(&client, server.api("/settings/sspr")).await;
    assert_eq!(
        view["settings"]["scope"], "none",
        "a refused change must change nothing"
    );
    let ok = client
        .put(server.api("/settings/sspr"))
        .header("x-csrf-token", &info.csrf_token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}

async fn sign_in_validates_its_fields(backend: Backend) {
    let server = start(backend).await;
    let r = server.attempt_sign_in(&server.client(), " ", "").await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(
        body["error"]["fields"],
        json!([{"field": "sign_in_name", "rule": "required"}, {"field": "password", "rule": "required"}])
    );
}

async fn create_admin_makes_a_global_admin_once(backend: Backend) {
    let server = start(backend).await;
    let state = &server.state;
    rekey_server::seed::create_global_admin(
        state,
        "first.admin@example.org",
        "First Admin",
        "a long enough password",
    )
    .await
    .unwrap();
    let again = rekey_server::seed::create_global_admin(
        state,
        "First.Admin@example.org",
        "",
        "a long enough password",
    )
    .await;
    assert!(again.is_err(), "the same name twice must be refused");
    let short =
        rekey_server::seed::create_global_admin(state, "second@example.org", "", "short").await;
    assert!(short.is_err(), "a short password must be refused");
    let r = server
        .attempt_sign_in(
            &server.client(),
            "first.admin@example.org",
            "a long enough password",
        )
        .await;
    let info: serde_json::Value = r.json().await.unwrap();
    assert_eq!(info["user"]["roles"], json!(["global_admin"]));
}

crate::on_both_databases!(
    session_carries_user_roles_and_a_protected_cookie,
    wrong_password_unknown_user_and_disabled_look_the_same,
    ten_failures_lock_known_and_unknown_names_alike,
    a_success_clears_the_failure_count,
    one_client_cannot_spray_many_names,
    forwarded_addresses_are_used_only_when_trusted,
    sign_out_ends_the_session_on_the_server,
    idle_and_old_sessions_expire,
    any_instance_serves_any_session,
    changes_need_the_csrf_token,
    sign_in_validates_its_fields,
    create_admin_makes_a_global_admin_once,
);
