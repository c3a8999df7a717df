//! Email delivery: through the outbox, over real SMTP, with retries when the server fails.

use serde_json::{json, Value};

use crate::common::smtp_sink::SmtpSink;
use crate::common::*;

async fn queue_test(server: &TestServer, body: Value) -> reqwest::Response {
    let (client, info) = server.sign_in(PASSWORD_ADMIN).await;
    client
        .post(server.api("/settings/email/test"))
        .header("x-csrf-token", &info.csrf_token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Flags for plain SMTP to a local server on this port.
fn smtp_to(port: &str) -> [&str; 6] {
    [
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        port,
        "--smtp-tls",
        "none",
    ]
}

async fn a_test_email_is_delivered_over_smtp(backend: Backend) {
    let sink = SmtpSink::start().await;
    let port = sink.port.to_string();
    let mut args = smtp_to(&port).to_vec();
    args.extend(["--mail-from", "Contoso IT <it@contoso.example>"]);
    let server = start_with(backend, &args).await;
    let (client, _) = server.sign_in(HELPDESK_ADMIN).await;
    let status = get_json(&client, server.api("/settings/email")).await;
    assert_eq!(
        status,
        json!({"configured": true, "sender": "Contoso IT <it@contoso.example>"})
    );

    let r = queue_test(
        &server,
        json!({"to": " helpdesk@contoso.example ", "lang": "zh-CN"}),
    )
    .await;
    assert_eq!(r.status(), 202);
    let message = sink.wait_for("helpdesk@contoso.example").await;
    assert!(
        message
            .data
            .contains("From: \"Contoso IT\" <it@contoso.example>"),
        "{}",
        message.data
    );
    assert!(message.data.contains("Content-Type: multipart/alternative"));
    assert!(message.data.contains("Content-Type: text/plain"));
    assert!(message.data.contains("Content-Type: text/html"));
    // The subject is in the language asked for (encoded, as mail headers must be).
    use base64::Engine;
    // "{org}：Rekey 测试邮件", the organisation being the deployment's default name.
    let encoded = base64::engine::general_purpose::STANDARD.encode("Rekey：Rekey 测试邮件");
    let subject = format!("Subject: =?utf-8?b?{encoded}?=");
    assert!(message.data.contains(&subject), "{}", message.data);

    let log = get_json(&client, server.api("/audit")).await;
    assert_eq!(log["items"][0]["action"], "test_email_queued");
    assert_eq!(log["items"][0]["target"], "helpdesk@contoso.example");
}

async fn without_a_mail_server_messages_wait_in_the_queue(backend: Backend) {
    let server = start(backend).await;
    let (client, _) = server.sign_in(GLOBAL_ADMIN).await;
    let status = get_json(&client, server.api("/settings/email")).await;
    assert_eq!(status["configured"], false);
    assert_eq!(
        queue_test(&server, json!({"to": "a@contoso.example"}))
            .await
            .status(),
        202
    );
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts = 0")
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
    assert_eq!(waiting, 1);
}

async fn a_failing_mail_server_is_retried_later(backend: Backend) {
    // A port nothing listens on: every attempt fails.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port().to_string();
    drop(closed);
    let server = start_with(backend, &smtp_to(&port)).await;
    assert_eq!(
        queue_test(&server, json!({"to": "b@contoso.example"}))
            .await
            .status(),
        202
    );
    let pool = &server.state.db.pool;
    let mut attempts = 0;
    for _ in 0..100 {
        attempts = sqlx::query_scalar("SELECT attempts FROM outbox")
            .fetch_one(pool)
            .await
            .unwrap();
        if attempts > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(attempts, 1);
    let (error, next, sent): (Option<String>, i64, Option<i64>) =
        sqlx::query_as("SELECT last_error, next_attempt_at, sent_at FROM outbox")
            .fetch_one(pool)
            .await
            .unwrap();
    assert!(error.is_some());
    assert!(
        next > rekey_server::infra::db::now() + 20,
        "the retry waits"
    );
    assert_eq!(sent, None);
}

async fn only_sspr_managers_send_and_addresses_are_checked(backend: Backend) {
    let server = start(backend).await;
    let (helpdesk, info) = server.sign_in(HELPDESK_ADMIN).await;
    let r = helpdesk
        .post(server.api("/settings/email/test"))
        .header("x-csrf-token", &info.csrf_token)
        .json(&json!({"to": "x@contoso.example"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 403).await, "forbidden");
    let r = queue_test(&server, json!({"to": "not an address"})).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["error"]["fields"],
        json!([{"field": "to", "rule": "not_email"}])
    );
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 0);
}

crate::on_both_databases!(
    a_test_email_is_delivered_over_smtp,
    without_a_mail_server_messages_wait_in_the_queue,
    a_failing_mail_server_is_retried_later,
    only_sspr_managers_send_and_addresses_are_checked,
);
