//! Rekey inside other sites: the organisation's branding on screens and in messages, and the
//! embedding allowlist behind CORS and framing.

use serde_json::json;

use crate::common::*;
use crate::contract::fake_dist;
use crate::security_info::{server_with_delivery, Delivery};
use crate::users::{error, field_errors, json_of};

async fn branding_names_the_organisation_on_screens_and_in_messages(backend: Backend) {
    let (server, Delivery { smtp, .. }) = server_with_delivery(backend, &[]).await;
    let public = get_json(&server.client(), server.api("/branding")).await;
    assert_eq!(
        public["organisation_name"], "Contoso",
        "the deployment's --org-name"
    );
    assert_eq!(public["accent_colour"], "#0f5ea8");

    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let wanted = json!({"organisation_name": " Fabrikam ", "logo_url":
        "https://cdn.fabrikam.example/logo.svg", "accent_colour": "#8A1538"});
    let r = helpdesk.put("/settings/branding", wanted.clone()).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let admin = server.actor(PASSWORD_ADMIN).await;
    let pale = json!({"organisation_name": "", "logo_url": "http://x.example/l.png",
        "accent_colour": "#ffee00"});
    let problems = field_errors(admin.put("/settings/branding", pale).await).await;
    assert_eq!(
        problems,
        [
            ("logo_url".into(), "not_https_url".into()),
            ("accent_colour".into(), "low_contrast".into())
        ]
    );
    let saved = json_of(admin.put("/settings/branding", wanted).await, 200).await;
    assert_eq!(saved["settings"]["organisation_name"], "Fabrikam");
    assert_eq!(saved["settings"]["accent_colour"], "#8a1538");
    let public = get_json(&server.client(), server.api("/branding")).await;
    assert_eq!(public["organisation_name"], "Fabrikam");
    assert_eq!(public["logo_url"], "https://cdn.fabrikam.example/logo.svg");

    let r = admin
        .post("/settings/email/test", json!({"to": "it@fabrikam.example"}))
        .await;
    assert_eq!(r.status(), 202);
    let mail = smtp.wait_for("it@fabrikam.example").await;
    assert!(mail.data.contains("Fabrikam"), "{}", mail.data);
}

async fn only_allowlisted_origins_may_call_and_frame(backend: Backend) {
    let dist = fake_dist();
    let server = start_on(test_db(backend).await, &[], dist.path()).await;
    let portal = "https://portal.contoso.example";
    let client = server.client();
    let preflight = || {
        client
            .request(reqwest::Method::OPTIONS, server.api("/reset/challenge"))
            .header("origin", portal)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,x-reset-token",
            )
            .send()
    };
    let r = preflight().await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let page = client
        .get(format!("{}/reset", server.url))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.ends_with("frame-ancestors 'none'"), "{csp}");
    assert_eq!(page.headers()["x-frame-options"], "DENY", "both say no");

    let admin = server.actor(GLOBAL_ADMIN).await;
    let bad = json!({"allowed_origins": ["https://portal.contoso.example/path"]});
    let r = admin.put("/settings/embedding", bad).await;
    assert_eq!(
        field_errors(r).await,
        error("allowed_origins.0", "not_origin")
    );
    let wanted = json!({"allowed_origins": [format!(" {portal}/ ")]});
    let saved = json_of(admin.put("/settings/embedding", wanted).await, 200).await;
    assert_eq!(saved["settings"]["allowed_origins"], json!([portal]));

    let public = get_json(&server.client(), server.api("/embedding")).await;
    assert_eq!(
        public["allowed_origins"],
        json!([portal]),
        "the page checks its parent"
    );
    let r = preflight().await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], portal);
    assert_eq!(r.headers()["access-control-allow-credentials"], "true");
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("x-reset-token"), "{allowed}");
    let r = client
        .get(server.api("/branding"))
        .header("origin", portal)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], portal);
    let r = client
        .get(server.api("/branding"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let page = client
        .get(format!("{}/reset", server.url))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with(&format!("frame-ancestors 'self' {portal}")),
        "{csp}"
    );
    // One answer: no older header that would refuse what the allowlist allows.
    assert!(page.headers().get("x-frame-options").is_none());
    let api = client.get(server.api("/branding")).send().await.unwrap();
    assert_eq!(
        api.headers()["x-frame-options"],
        "DENY",
        "the API is never framed"
    );
}

crate::on_both_databases!(
    branding_names_the_organisation_on_screens_and_in_messages,
    only_allowlisted_origins_may_call_and_frame,
);
