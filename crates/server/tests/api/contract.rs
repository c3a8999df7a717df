//! The HTTP contract: error bodies for bad input, the OpenAPI document in step with the routes,
//! operations endpoints, and serving the SPA under a base path.

use std::path::Path;

use serde_json::{json, Value};

use crate::common::*;

async fn bad_bodies_get_clear_4xx_codes_and_change_nothing(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(GLOBAL_ADMIN).await;
    let url = server.api("/settings/sspr");
    let raw = |body: &'static str, content_type: &'static str| {
        client
            .put(url.clone())
            .header("x-csrf-token", &info.csrf_token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let json_type = "application/json";
    let cases: [(&str, &str, u16, &str); 6] = [
        ("{not json", json_type, 400, "invalid_json"),
        (r#"{"scope": 7}"#, json_type, 400, "invalid_json"),
        (r#"{"scope": "everyone"}"#, json_type, 400, "invalid_json"),
        (
            r#"{"scope": "all", "admin": true}"#,
            json_type,
            400,
            "invalid_json",
        ),
        (r#"[]"#, json_type, 400, "invalid_json"),
        (
            r#"{"scope": "all"}"#,
            "text/plain",
            415,
            "unsupported_media_type",
        ),
    ];
    for (body, content_type, status, code) in cases {
        let r = raw(body, content_type).await.unwrap();
        assert_eq!(error_code(r, status).await, code, "{body}");
    }
    let huge = format!(
        r#"{{"scope": "all", "group_id": "{}"}}"#,
        "x".repeat(200_000)
    );
    let r = client
        .put(url.clone())
        .header("x-csrf-token", &info.csrf_token)
        .header("content-type", json_type)
        // The server answers 413 without reading the rest and drops the connection: don't let
        // the client reuse it for the next request.
        .header("connection", "close")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 413).await, "payload_too_large");
    let view: Value = get_json(&client, url).await;
    assert_eq!(view["settings"]["scope"], "none");
    assert_eq!(view["updated_at"], Value::Null);
}

async fn unknown_routes_and_methods_answer_in_json(backend: Backend) {
    let server = start(backend).await;
    let r = server
        .client()
        .get(server.api("/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 404).await, "not_found");
    let r = server
        .client()
        .patch(server.api("/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 405).await, "method_not_allowed");
}

async fn openapi_documents_exactly_the_served_routes(backend: Backend) {
    let server = start(backend).await;
    let doc: Value = server
        .client()
        .get(server.api("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    documented.sort();
    let expected = [
        "DELETE /api/me/security-info/passkeys/{id}",
        "DELETE /api/me/security-info/security_questions",
        "DELETE /api/me/security-info/{kind}",
        "DELETE /api/session",
        "DELETE /api/users/{id}",
        "DELETE /api/users/{id}/passkeys/{passkey}",
        "DELETE /api/users/{id}/sessions",
        "GET /api/audit",
        "GET /api/audit/export",
        "GET /api/branding",
        "GET /api/embedding",
        "GET /api/groups",
        "GET /api/groups/{id}",
        "GET /api/me/password-rules",
        "GET /api/me/security-info",
        "GET /api/reports/activity",
        "GET /api/reports/registration",
        "GET /api/reset",
        "GET /api/reset/helpdesk",
        "GET /api/session",
        "GET /api/settings/branding",
        "GET /api/settings/directory",
        "GET /api/settings/directory/sync",
        "GET /api/settings/email",
        "GET /api/settings/embedding",
        "GET /api/settings/passkeys",
        "GET /api/settings/password-expiry",
        "GET /api/settings/password-expiry/impact",
        "GET /api/settings/password-policy",
        "GET /api/settings/sms",
        "GET /api/settings/sspr",
        "GET /api/settings/sspr/customization",
        "GET /api/settings/sspr/methods",
        "GET /api/settings/sspr/notifications",
        "GET /api/settings/sspr/registration",
        "GET /api/users",
        "GET /api/users/export",
        "GET /api/users/{id}",
        "GET /api/users/{id}/contact-info",
        "GET /api/users/{id}/passkeys",
        "GET /api/users/{id}/password-rules",
        "GET /healthz",
        "GET /metrics",
        "GET /readyz",
        "PATCH /api/me/security-info/passkeys/{id}",
        "PATCH /api/users/{id}",
        "POST /api/me/password",
        "POST /api/me/security-info/authenticator_app/start",
        "POST /api/me/security-info/authenticator_app/verify",
        "POST /api/me/security-info/confirm",
        "POST /api/me/security-info/passkey/start",
        "POST /api/me/security-info/passkey/verify",
        "POST /api/me/security-info/proof",
        "POST /api/me/security-info/proof/passkey",
        "POST /api/me/security-info/proof/send",
        "POST /api/me/security-info/skip",
        "POST /api/me/security-info/{kind}/send",
        "POST /api/me/security-info/{kind}/verify",
        "POST /api/reset",
        "POST /api/reset/challenge",
        "POST /api/reset/gate",
        "POST /api/reset/gate/passkey",
        "POST /api/reset/gate/verify",
        "POST /api/reset/intent",
        "POST /api/reset/passkey",
        "POST /api/reset/passkey/start",
        "POST /api/reset/password",
        "POST /api/reset/unlock",
        "POST /api/session",
        "POST /api/session/passkey",
        "POST /api/session/passkey/start",
        "POST /api/settings/directory/sync",
        "POST /api/settings/directory/test",
        "POST /api/settings/email/test",
        "POST /api/settings/sms/test",
        "POST /api/users",
        "POST /api/users/import",
        "POST /api/users/{id}/password",
        "POST /api/users/{id}/unlock",
        "PUT /api/groups/{id}/roles",
        "PUT /api/me/security-info/security_questions",
        "PUT /api/settings/branding",
        "PUT /api/settings/directory",
        "PUT /api/settings/embedding",
        "PUT /api/settings/password-expiry",
        "PUT /api/settings/password-policy",
        "PUT /api/settings/sspr",
        "PUT /api/settings/sspr/customization",
        "PUT /api/settings/sspr/methods",
        "PUT /api/settings/sspr/notifications",
        "PUT /api/settings/sspr/registration",
        "PUT /api/users/{id}/contact-info",
    ];
    assert_eq!(documented, expected);
    // Every documented operation is really served: none falls through to not_found / 405.
    let client = server.client();
    for entry in &documented {
        let (method, path) = entry.split_once(' ').unwrap();
        let url = format!(
            "{}{}",
            server.url,
            path.replace("{id}", "x").replace("{kind}", "email")
        );
        let r = client
            .request(method.parse().unwrap(), url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        let unrouted = status == 405 || (status == 404 && !path.contains("{id}"));
        assert!(
            !unrouted,
            "{entry} is documented but not served: {status} {body}"
        );
    }
    // Error codes are part of the document.
    let codes = &doc["components"]["schemas"]["ErrorCode"]["enum"];
    assert!(codes.as_array().unwrap().contains(&json!("account_locked")));
    // Every error a request's shape can bring is documented on every operation it reaches.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let documented = |status: &str| operation["responses"].get(status).is_some();
            let what = format!("{method} {path}");
            assert!(documented("500") && documented("503"), "{what}");
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(documented(status), "{what}: {status}");
                }
            }
            if method != "get" {
                assert!(documented("403"), "{what}: the same-site check");
            }
        }
    }
    let described = &doc["paths"]["/api/settings/branding"]["put"]["responses"]["415"];
    assert_eq!(described["description"], "unsupported_media_type");
}

async fn health_readiness_and_metrics(backend: Backend) {
    let server = start(backend).await;
    let client = server.client();
    let health: Value = get_json(&client, format!("{}/healthz", server.url)).await;
    assert_eq!(health["status"], "ok");
    let ready = client
        .get(format!("{}/readyz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    client.get(server.api("/session")).send().await.unwrap();
    let metrics = server.metrics().await;
    assert!(
        metrics.contains(
            r#"rekey_http_requests_total{method="GET",route="/api/session",status="401"} 1"#
        ),
        "{metrics}"
    );
    assert!(metrics.contains("rekey_http_request_duration_seconds_bucket"));
    server.state.db.pool.close().await;
    let down = client
        .get(format!("{}/readyz", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(down, 503).await, "unavailable");
}

/// A stand-in for Trunk's output, with the same placeholders: the user bundle's page loads
/// `app-1.js`, the reset flow's `reset-1.js`, the admin centre's `admin-1.js`.
pub fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (page, script) in [
        ("index.html", "app-1.js"),
        ("reset.html", "reset-1.js"),
        ("admin.html", "admin-1.js"),
    ] {
        std::fs::write(
            dir.path().join(page),
            format!(r#"<html lang="__REKEY_LANG__"><base href="/__rekey_base__/"><meta name="rekey-api-base" content="__REKEY_API_BASE__"><script src="/__rekey_base__/{script}"></script><div id="shell">__REKEY_FIRST_PAINT__</div>"#),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("app-1.js"), "console.log('plain')").unwrap();
    std::fs::write(dir.path().join("app-1.js.br"), "brotli bytes").unwrap();
    dir
}

async fn the_spa_is_served_under_the_base_path(backend: Backend) {
    let dist = fake_dist();
    let server = start_on(
        test_db(backend).await,
        &["--base-path", "/portal/sspr"],
        dist.path(),
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str| client.get(format!("{}{path}", server.url)).send();

    // Each route gets the page of the bundle that holds it, filled in.
    for (route, script) in [
        ("/portal/sspr/", "app-1.js"),
        ("/portal/sspr/signin", "app-1.js"),
        ("/portal/sspr/reset", "reset-1.js"),
        ("/portal/sspr/reset/x", "reset-1.js"),
        ("/portal/sspr/resetting", "app-1.js"),
        ("/portal/sspr/administrator", "app-1.js"),
        ("/portal/sspr/admin", "admin-1.js"),
        ("/portal/sspr/admin/settings/org", "admin-1.js"),
        ("/portal/sspr/admin.html", "admin-1.js"),
        ("/portal/sspr/reset.html", "reset-1.js"),
        ("/portal/sspr/index.html", "app-1.js"),
    ] {
        let r = get(route).await.unwrap();
        assert_eq!(r.status(), 200, "{route}");
        let html = r.text().await.unwrap();
        assert!(html.contains(r#"<base href="/portal/sspr/">"#), "{html}");
        assert!(html.contains(r#"content="/portal/sspr/api""#));
        assert!(
            html.contains(&format!(r#"src="/portal/sspr/{script}""#)),
            "{route}: {html}"
        );
    }
    // The first paint: the sign-in page's heading at the app's root and at /signin, in the
    // browser's language; a loading note where the server does not know the page's heading.
    for (route, painted) in [
        ("/portal/sspr/", "<h1>登录</h1>"),
        ("/portal/sspr/signin", "<h1>登录</h1>"),
        ("/portal/sspr/reset", "<h1>请告诉我们你是谁</h1>"),
        ("/portal/sspr/admin", "正在加载…"),
    ] {
        let html = client
            .get(format!("{}{route}", server.url))
            .header("accept-language", "zh-CN,zh;q=0.9")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(r#"<html lang="zh-CN">"#), "{route}: {html}");
        assert!(html.contains(painted), "{route}: {html}");
    }
    let page = get("/portal/sspr/admin").await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    let plain = get("/portal/sspr/app-1.js")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(plain, "console.log('plain')");
    let compressed = client
        .get(format!("{}/portal/sspr/app-1.js", server.url))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    // The API lives under the base path; probes stay at the root.
    let r = get("/portal/sspr/api/session").await.unwrap();
    assert_eq!(error_code(r, 401).await, "unauthenticated");
    assert_eq!(get("/healthz").await.unwrap().status(), 200);
    let root = get("/").await.unwrap();
    assert_eq!(root.status(), 307);
    assert_eq!(root.headers()["location"], "/portal/sspr/");
    // Signing in works under the base path, and the cookie is scoped to it.
    let r = server
        .attempt_sign_in(
            &server.client(),
            GLOBAL_ADMIN,
            rekey_server::seed::DEMO_PASSWORD,
        )
        .await;
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Path=/portal/sspr/"));
}

async fn without_a_built_spa_the_page_says_how_to_build_it(backend: Backend) {
    let server = start_on(test_db(backend).await, &[], Path::new("/nonexistent-dist")).await;
    let r = server
        .client()
        .get(format!("{}/admin", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.text().await.unwrap().contains("not built"));
}

/// SQLite runs in WAL mode, so readers never wait for the one writer.
#[tokio::test]
async fn sqlite_uses_write_ahead_logging() {
    let server = start(Backend::Sqlite).await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
}

crate::on_both_databases!(
    bad_bodies_get_clear_4xx_codes_and_change_nothing,
    unknown_routes_and_methods_answer_in_json,
    openapi_documents_exactly_the_served_routes,
    health_readiness_and_metrics,
    the_spa_is_served_under_the_base_path,
    without_a_built_spa_the_page_says_how_to_build_it,
);
