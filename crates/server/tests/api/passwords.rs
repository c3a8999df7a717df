//! The organisation's password rules over time: expiration (forced change at sign-in, never
//! locking anyone out; never-expires exemptions; notices), history and character classes, and
//! a user changing their own password.

use serde_json::{json, Value};

use crate::common::*;
use crate::security_info::{server_with_delivery, Delivery};
use crate::users::{error, field_errors, json_of, set_expiry, user_id, EXPIRED_USER};

/// Signs in with a password and returns the client, its CSRF token and the session.
async fn sign_in_with(
    server: &TestServer,
    name: &str,
    password: &str,
) -> (reqwest::Client, String, Value) {
    let client = server.client();
    let info = json_of(server.attempt_sign_in(&client, name, password).await, 200).await;
    let csrf = info["csrf_token"].as_str().unwrap().to_string();
    (client, csrf, info)
}

async fn change(
    server: &TestServer,
    client: &reqwest::Client,
    csrf: &str,
    current: &str,
    new: &str,
) -> reqwest::Response {
    client
        .post(server.api("/me/password"))
        .header("x-csrf-token", csrf)
        .json(&json!({"current_password": current, "password": new, "confirm": new}))
        .send()
        .await
        .unwrap()
}

async fn expiry_forces_a_change_at_sign_in_and_never_expires_exempts(backend: Backend) {
    let server = start(backend).await;
    let password_admin = server.actor(PASSWORD_ADMIN).await;
    let helpdesk = server.actor(HELPDESK_ADMIN).await;

    let off = password_admin.get("/settings/password-expiry").await;
    assert_eq!(
        off["settings"]["expires"], false,
        "passwords never expire by default"
    );
    let (client, _, info) = sign_in_with(&server, EXPIRED_USER, DEMO).await;
    assert_eq!(info["user"]["password_change_due"], Value::Null);
    drop(client);

    let r = helpdesk
        .put(
            "/settings/password-expiry",
            json!({"expires": true, "max_age_days": 90, "notice_days": 14}),
        )
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let r = password_admin
        .put(
            "/settings/password-expiry",
            json!({"expires": true, "max_age_days": 13, "notice_days": 14}),
        )
        .await;
    let problems = field_errors(r).await;
    assert!(problems.contains(&("max_age_days".into(), "out_of_range".into())));

    // What a policy would do, before it is saved: only the demo account's password is old.
    let impact = helpdesk
        .get("/settings/password-expiry/impact?max_age_days=90&notice_days=14")
        .await;
    assert_eq!(impact, json!({"covered": 11, "expired": 1, "notified": 0}));
    let r = helpdesk
        .send(
            reqwest::Method::GET,
            "/settings/password-expiry/impact?max_age_days=2000&notice_days=0",
            None,
        )
        .await;
    assert_eq!(r.status(), 422);
    set_expiry(&password_admin, 90, 14).await;

    // The expired password still signs in, straight into the change.
    let (client, csrf, info) = sign_in_with(&server, EXPIRED_USER, DEMO).await;
    assert_eq!(info["user"]["password_change_due"], "expired");
    let r = client
        .get(server.api("/me/security-info"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 403).await, "password_change_required");
    let r = change(&server, &client, &csrf, DEMO, DEMO).await;
    assert_eq!(field_errors(r).await, error("password", "reused"));
    let new = "Harbour lantern 2031";
    assert_eq!(
        change(&server, &client, &csrf, DEMO, new).await.status(),
        204
    );
    let (_, _, info) = sign_in_with(&server, EXPIRED_USER, new).await;
    assert_eq!(info["user"]["password_change_due"], Value::Null);

    // Never expires: exempt; turned off again, an old password must change at next sign-in.
    let id = user_id(&password_admin, USER_OUTSIDE).await;
    make_password_old(&server, &id, 120).await;
    let (_, _, info) = sign_in_with(&server, USER_OUTSIDE, DEMO).await;
    assert_eq!(info["user"]["password_change_due"], "expired");
    let user_admin = server.actor(USER_ADMIN).await;
    let path = format!("/users/{id}");
    let r = helpdesk
        .send(
            reqwest::Method::PATCH,
            &path,
            Some(json!({"password_never_expires": true})),
        )
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden", "user managers only");
    let on = json!({"password_never_expires": true});
    let detail = json_of(
        user_admin
            .send(reqwest::Method::PATCH, &path, Some(on))
            .await,
        200,
    )
    .await;
    assert_eq!(detail["password_expires_at"], Value::Null);
    let (_, _, info) = sign_in_with(&server, USER_OUTSIDE, DEMO).await;
    assert_eq!(info["user"]["password_change_due"], Value::Null);
    let off = json!({"password_never_expires": false});
    json_of(
        user_admin
            .send(reqwest::Method::PATCH, &path, Some(off))
            .await,
        200,
    )
    .await;
    let (_, _, info) = sign_in_with(&server, USER_OUTSIDE, DEMO).await;
    assert_eq!(info["user"]["password_change_due"], "expired");
    let audit = password_admin.get("/audit?per_page=100").await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"password_expiry_changed"));
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "password_never_expires_changed")
            .count(),
        2
    );
}

const DEMO: &str = rekey_server::seed::DEMO_PASSWORD;

/// Moves a user's last password change `days` into the past.
async fn make_password_old(server: &TestServer, user_id: &str, days: i64) {
    let then = rekey_server::infra::db::now() - days * 86_400;
    sqlx::query("UPDATE users SET password_changed_at = $1 WHERE id = $2")
        .bind(then)
        .bind(user_id)
        .execute(&server.state.db.pool)
        .await
        .unwrap();
}

async fn expiry_notices_go_out_once_per_password(backend: Backend) {
    let (server, Delivery { smtp, .. }) = server_with_delivery(backend, &[]).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    set_expiry(&admin, 90, 14).await;
    let id = user_id(&admin, USER_OUTSIDE).await;
    make_password_old(&server, &id, 80).await;
    let r = admin
        .put(
            &format!("/users/{id}/contact-info"),
            json!({"email": "megan@home.example"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let now = rekey_server::infra::db::now();
    let told = rekey_server::domain::expiry_notices::send_due(&server.state, now)
        .await
        .unwrap();
    assert_eq!(
        told, 1,
        "only the password inside the notice window (the expired one is not told)"
    );
    for to in [USER_OUTSIDE, "megan@home.example"] {
        let mail = smtp.wait_for(to).await;
        assert!(mail.data.contains("expires in 10 days"), "{}", mail.data);
    }

    // A user who signed in in Chinese is told in Chinese.
    let adele = user_id(&admin, USER_IN_PILOT).await;
    let body = json!({"sign_in_name": USER_IN_PILOT, "password": DEMO, "lang": "zh-CN"});
    let r = server
        .client()
        .post(server.api("/session"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    make_password_old(&server, &adele, 80).await;
    let now = rekey_server::infra::db::now();
    let told = rekey_server::domain::expiry_notices::send_due(&server.state, now)
        .await
        .unwrap();
    assert_eq!(told, 1);
    let mail = smtp.wait_for(USER_IN_PILOT).await;
    assert!(
        decoded_text(&mail.data).contains("（10 天后）过期"),
        "{}",
        mail.data
    );
    let again = rekey_server::domain::expiry_notices::send_due(&server.state, now)
        .await
        .unwrap();
    assert_eq!(again, 0, "once per password");
}

/// The message with its base64 parts decoded (non-ASCII text travels base64-encoded).
fn decoded_text(data: &str) -> String {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut text = String::new();
    let mut block = String::new();
    for line in data.lines().chain(std::iter::once("")) {
        let line = line.trim_end();
        let base64ish = line.len() >= 16
            && line
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='));
        if base64ish {
            block.push_str(line);
        } else if !block.is_empty() {
            if let Ok(bytes) = engine.decode(&block) {
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
            block.clear();
        }
    }
    text
}

async fn changing_ones_password_checks_it_all_and_signs_out_elsewhere(backend: Backend) {
    let server = start(backend).await;
    let admin = server.actor(PASSWORD_ADMIN).await;
    let policy = json!({"min_length": 8, "custom_banned": [], "require_character_classes": true,
        "history": 3});
    json_of(admin.put("/settings/password-policy", policy).await, 200).await;

    let elsewhere = server.actor(USER_OUTSIDE).await;
    let (client, csrf, _) = sign_in_with(&server, USER_OUTSIDE, DEMO).await;
    let rules = get_json(&client, server.api("/me/password-rules")).await;
    assert_eq!(rules["policy"]["history"], 3);
    assert_eq!(rules["display_name"], "Megan Bowen");

    let r = change(
        &server,
        &client,
        &csrf,
        "not my password",
        "Harbour lantern 2031",
    )
    .await;
    assert_eq!(
        field_errors(r).await,
        error("current_password", "incorrect")
    );
    let r = change(&server, &client, &csrf, DEMO, "harbour lantern orbit").await;
    assert_eq!(
        field_errors(r).await,
        error("password", "missing_character_classes")
    );
    let r = change(&server, &client, &csrf, DEMO, "Megan2026").await;
    assert_eq!(field_errors(r).await, error("password", "easy_to_guess"));
    let r = client
        .post(server.api("/me/password"))
        .header("x-csrf-token", &csrf)
        .json(
            &json!({"current_password": DEMO, "password": "Harbour lantern 2031",
            "confirm": "Harbour lantern 2032"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(field_errors(r).await, error("confirm", "mismatch"));

    let steps = [
        "Harbour lantern 2031",
        "Velvet comet 88 ridge",
        "Quiet falcon 7 meadow",
    ];
    let mut current = DEMO.to_string();
    for next in steps {
        assert_eq!(
            change(&server, &client, &csrf, &current, next)
                .await
                .status(),
            204
        );
        current = next.to_string();
    }
    let r = elsewhere
        .client
        .get(server.api("/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "other sessions end");
    let r = client.get(server.api("/session")).send().await.unwrap();
    assert_eq!(r.status(), 200, "this one stays");
    // The last three (the current one included) are remembered; the fourth back is not.
    let r = change(&server, &client, &csrf, &current, "Velvet comet 88 ridge").await;
    assert_eq!(field_errors(r).await, error("password", "reused"));
    let r = change(&server, &client, &csrf, &current, "Harbour lantern 2031").await;
    assert_eq!(field_errors(r).await, error("password", "reused"));
    assert_eq!(
        change(&server, &client, &csrf, &current, DEMO)
            .await
            .status(),
        204
    );
}

async fn wrong_current_passwords_count_towards_lockout(backend: Backend) {
    let server = start_with(backend, &["--lockout-threshold", "3"]).await;
    let (client, csrf, _) = sign_in_with(&server, USER_OUTSIDE, DEMO).await;
    for _ in 0..3 {
        let r = change(&server, &client, &csrf, "guess", "Harbour lantern 2031").await;
        assert_eq!(r.status(), 422);
    }
    let r = change(&server, &client, &csrf, DEMO, "Harbour lantern 2031").await;
    assert_eq!(error_code(r, 429).await, "account_locked");
}

crate::on_both_databases!(
    expiry_forces_a_change_at_sign_in_and_never_expires_exempts,
    expiry_notices_go_out_once_per_password,
    changing_ones_password_checks_it_all_and_signs_out_elsewhere,
    wrong_current_passwords_count_towards_lockout,
);
