//! What a request may carry, whatever the endpoint: text without control characters (the
//! input rule of `rekey_core::text`, the same answer on both databases, nothing stored), static
//! paths that never make the server fail, and state-changing requests only from this site or
//! an allowlisted one.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

/// Control characters in path ids and queries are `invalid_parameter` (400), on every route
/// that takes them, before any look-up: PostgreSQL refuses NUL where SQLite stores it, so the
/// two backends answered differently.
async fn control_characters_in_paths_and_queries_are_bad_parameters(backend: Backend) {
    let server = start(backend).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let requests: Vec<(Method, &str, Option<Value>)> = vec![
        (Method::GET, "/users?q=%00", None),
        (Method::GET, "/users?q=a%1Bb", None),
        (Method::GET, "/users?group=%C2%85", None),
        (Method::GET, "/users/%00", None),
        (Method::GET, "/users/a%00b/contact-info", None),
        (Method::GET, "/users/%00/password-rules", None),
        (Method::GET, "/groups/%00", None),
        (Method::GET, "/groups?q=%00", None),
        (Method::GET, "/audit?q=%00", None),
        (Method::PATCH, "/users/%00", Some(json!({"enabled": true}))),
        (Method::DELETE, "/users/%00", None),
        (Method::PUT, "/users/%00/contact-info", Some(json!({}))),
        (Method::POST, "/users/%00/password", Some(json!({}))),
        (Method::POST, "/users/%00/unlock", None),
        (Method::DELETE, "/users/%00/sessions", None),
        (Method::DELETE, "/me/security-info/%00", None),
    ];
    for (method, path, body) in requests {
        let what = format!("{method} {path}");
        let response = admin.send(method, path, body).await;
        assert_eq!(
            error_code(response, 400).await,
            "invalid_parameter",
            "{what}"
        );
    }
}

/// A control character anywhere in a JSON body (a value or a key, nested or not) is refused
/// with the field named, and nothing is stored.
async fn control_characters_in_bodies_are_refused_and_nothing_is_stored(backend: Backend) {
    let server = start(backend).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let path = "/settings/sspr/customization";
    let before = admin.get(path).await;
    for contact in [
        "help\u{0}desk@contoso.example",
        "help\u{85}@contoso.example",
    ] {
        let body = json!({"custom_helpdesk": true, "helpdesk_contact": contact});
        let response = admin.put(path, body).await;
        assert_eq!(response.status(), 422);
        let answer: Value = response.json().await.unwrap();
        assert_eq!(
            answer["error"]["fields"],
            json!([{"field": "helpdesk_contact", "rule": "invalid_characters"}]),
        );
    }
    assert_eq!(admin.get(path).await, before, "nothing stored");

    let new_user = json!({"sign_in_name": "ok@contoso.example", "display_name": "Tab\there"});
    let response = admin.post("/users", new_user).await;
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"]["fields"][0]["field"], "display_name");
    let nested = json!({"allowed_origins": ["https://ok.example", "https://a\u{0}.example"]});
    let answer: Value = admin
        .put("/settings/embedding", nested)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["error"]["fields"][0]["field"], "allowed_origins");
    let key = json!({"custom_helpdesk": false, "bad\u{0}key": 1});
    assert_eq!(admin.put(path, key).await.status(), 422);
    // The public reset flow and sign-in take the same rule.
    let sign_in = json!({"sign_in_name": "ada\u{0}@contoso.example", "password": "x"});
    let response = server
        .client()
        .post(server.api("/session"))
        .json(&sign_in)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response, 422).await, "validation_failed");
    // The CSV import's file takes lines, and still no NUL.
    let csv = "sign_in_name,display_name\r\nnew.one@contoso.example,New\tOne\r\n";
    let dry = json!({"csv": csv, "dry_run": true});
    assert_eq!(admin.post("/users/import", dry).await.status(), 200);
    let bad = json!({"csv": csv.replace("New", "N\u{0}ew"), "dry_run": true});
    let answer: Value = admin.post("/users/import", bad).await.json().await.unwrap();
    assert_eq!(answer["error"]["fields"][0]["field"], "csv");
}

/// Static paths the file system cannot take are pages or 4xx for every method, never a 500.
async fn static_paths_never_fail_the_server(backend: Backend) {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("app.js"), "go()").unwrap();
    for page in ["index.html", "reset.html", "admin.html"] {
        std::fs::write(dist.path().join(page), "<html><body>Rekey</body></html>").unwrap();
    }
    let db = test_db(backend).await;
    let server = start_on(db, &[], dist.path()).await;
    let client = server.client();
    for method in [Method::GET, Method::HEAD, Method::POST, Method::PUT] {
        for path in [
            "/a%00b",
            "/app.js%00",
            "/%00",
            &format!("/{}", "a".repeat(300)),
        ] {
            let response = client
                .request(method.clone(), format!("{}{path}", server.url))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert!(status < 500, "{method} {path}: {status}");
        }
    }
    let asset = client
        .head(format!("{}/app.js", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200, "real files are still served");
}

/// With a valid session and CSRF token, a state-changing request from a foreign site is still
/// refused; this site and allowlisted ones go through; reading is never refused.
async fn foreign_origins_cannot_change_anything(backend: Backend) {
    let server = start(backend).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let allow = json!({"allowed_origins": ["https://portal.contoso.example"]});
    assert_eq!(admin.put("/settings/embedding", allow).await.status(), 200);
    let path = "/settings/sspr/customization";
    let body = json!({"custom_helpdesk": true, "helpdesk_contact": "help@contoso.example"});
    let put_from = |origin: Option<&'static str>, site: Option<&'static str>| {
        let mut request = admin
            .client
            .put(server.api(path))
            .header("x-csrf-token", &admin.csrf)
            .json(&body);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    for (origin, site) in [
        (Some("https://evil.example"), None),
        (Some("null"), None),
        (Some("https://portal.contoso.example.evil.example"), None),
        (None, Some("cross-site")),
    ] {
        let response = put_from(origin, site).await.unwrap();
        assert_eq!(
            error_code(response, 403).await,
            "csrf_failed",
            "{origin:?} {site:?}"
        );
    }
    let own = server.url.clone();
    let own: &'static str = Box::leak(own.into_boxed_str());
    for (origin, site) in [
        (Some(own), None),
        (Some("https://portal.contoso.example"), None),
        (None, Some("same-origin")),
        (None, None),
    ] {
        let response = put_from(origin, site).await.unwrap();
        assert_eq!(response.status(), 200, "{origin:?} {site:?}");
    }
    // The public reset flow too: a foreign page cannot start one.
    let response = server
        .client()
        .post(server.api("/reset/challenge"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(response, 403).await, "csrf_failed");
    // Reading is left to CORS.
    let read = admin
        .client
        .get(server.api(path))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
}

crate::on_both_databases!(
    control_characters_in_paths_and_queries_are_bad_parameters,
    control_characters_in_bodies_are_refused_and_nothing_is_stored,
    static_paths_never_fail_the_server,
    foreign_origins_cannot_change_anything,
);
