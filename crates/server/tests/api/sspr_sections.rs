//! The SSPR settings sections: methods, registration, notifications, customisation. The same
//! shared rules the page applies as you type are enforced here.

use rekey_core::settings::{
    AuthMethodsSettings, CustomizationSettings, NotificationSettings, RegistrationSettings,
    SettingsSection,
};
use serde_json::{json, Value};

use crate::common::*;

async fn put(
    server: &TestServer,
    client: &reqwest::Client,
    csrf: &str,
    path: &str,
    body: Value,
) -> reqwest::Response {
    client
        .put(server.api(path))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn field_errors(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    body["error"]["fields"].clone()
}

fn methods(required: u8, email: bool, phone: bool, app: bool, questions: bool) -> Value {
    json!({
        "methods_required": required, "email": email, "mobile_phone": phone,
        "authenticator_app": app, "security_questions": questions,
        "questions_to_register": 3, "questions_to_reset": 3, "custom_questions": [],
        "allow_unlock": true, "reset_hints": false, "passkey": true, "passkey_alone": false
    })
}

async fn every_section_starts_with_safe_defaults(backend: Backend) {
    let server = start(backend).await;
    let (client, _) = server.sign_in(REPORTS_READER).await;
    let defaults = [
        (
            AuthMethodsSettings::PATH,
            serde_json::to_value(AuthMethodsSettings::default()).unwrap(),
        ),
        (
            RegistrationSettings::PATH,
            json!({"require_registration": true, "reconfirm_days": 180, "allow_skip": true}),
        ),
        (
            NotificationSettings::PATH,
            json!({"notify_users": true, "notify_admins": false}),
        ),
        (
            CustomizationSettings::PATH,
            json!({"custom_helpdesk": false, "helpdesk_contact": ""}),
        ),
    ];
    for (path, expected) in defaults {
        let view = get_json(&client, server.api(path)).await;
        assert_eq!(view["settings"], expected, "{path}");
        assert_eq!(view["updated_at"], Value::Null);
    }
    let methods = get_json(&client, server.api(AuthMethodsSettings::PATH)).await;
    assert_eq!(methods["settings"]["email"], true);
    assert_eq!(methods["settings"]["mobile_phone"], true);
    assert_eq!(methods["settings"]["methods_required"], 1);
}

async fn the_authenticator_app_never_stands_alone(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(GLOBAL_ADMIN).await;
    let path = AuthMethodsSettings::PATH;
    let not_enough = json!([{"field": "methods", "rule": "not_enough_methods"}]);
    for body in [
        methods(1, false, false, true, false),
        methods(2, true, false, true, false),
    ] {
        let r = put(&server, &client, &info.csrf_token, path, body.clone()).await;
        assert_eq!(field_errors(r).await, not_enough, "{body}");
    }
    let mut questions = methods(1, true, true, false, true);
    questions["questions_to_register"] = json!(3);
    questions["questions_to_reset"] = json!(4);
    let r = put(&server, &client, &info.csrf_token, path, questions).await;
    assert_eq!(
        field_errors(r).await,
        json!([{"field": "questions_to_reset", "rule": "more_than_registered"}])
    );
    let view = get_json(&client, server.api(path)).await;
    assert_eq!(view["updated_at"], Value::Null, "refusals changed nothing");

    let good = methods(2, true, true, true, false);
    let r = put(&server, &client, &info.csrf_token, path, good.clone()).await;
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["settings"], good);
    assert_eq!(saved["updated_by"], GLOBAL_ADMIN);

    let log = get_json(&client, server.api("/audit")).await;
    let event = &log["items"][0];
    assert_eq!(event["action"], "sspr_settings_changed");
    assert_eq!(event["target"], AuthMethodsSettings::KEY);
    assert_eq!(event["new_value"], good);
    assert_eq!(
        event["old_value"],
        serde_json::to_value(AuthMethodsSettings::default()).unwrap()
    );
}

async fn registration_notifications_and_helpdesk_are_checked_and_kept(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(PASSWORD_ADMIN).await;
    let csrf = &info.csrf_token;

    let r = put(
        &server,
        &client,
        csrf,
        RegistrationSettings::PATH,
        json!({"require_registration": false, "reconfirm_days": 731}),
    )
    .await;
    assert_eq!(
        field_errors(r).await,
        json!([{"field": "reconfirm_days", "rule": "out_of_range"}])
    );
    let never = json!({"require_registration": false, "reconfirm_days": 0, "allow_skip": true});
    assert_eq!(
        put(
            &server,
            &client,
            csrf,
            RegistrationSettings::PATH,
            never.clone()
        )
        .await
        .status(),
        200
    );

    let both = json!({"notify_users": false, "notify_admins": true});
    assert_eq!(
        put(
            &server,
            &client,
            csrf,
            NotificationSettings::PATH,
            both.clone()
        )
        .await
        .status(),
        200
    );

    let r = put(
        &server,
        &client,
        csrf,
        CustomizationSettings::PATH,
        json!({"custom_helpdesk": true, "helpdesk_contact": "call Bob"}),
    )
    .await;
    assert_eq!(
        field_errors(r).await,
        json!([{"field": "helpdesk_contact", "rule": "not_email_or_url"}])
    );
    let r = put(
        &server,
        &client,
        csrf,
        CustomizationSettings::PATH,
        json!({"custom_helpdesk": true, "helpdesk_contact": ""}),
    )
    .await;
    assert_eq!(
        field_errors(r).await,
        json!([{"field": "helpdesk_contact", "rule": "required"}])
    );
    let link = json!({"custom_helpdesk": true, "helpdesk_contact": "https://help.contoso.example/password"});
    assert_eq!(
        put(
            &server,
            &client,
            csrf,
            CustomizationSettings::PATH,
            link.clone()
        )
        .await
        .status(),
        200
    );

    for (path, expected) in [
        (RegistrationSettings::PATH, never),
        (NotificationSettings::PATH, both),
        (CustomizationSettings::PATH, link),
    ] {
        assert_eq!(
            get_json(&client, server.api(path)).await["settings"],
            expected,
            "{path}"
        );
    }
}

async fn sections_follow_the_same_permissions_and_input_rules(backend: Backend) {
    let server = start(backend).await;
    let (helpdesk, info) = server.sign_in(HELPDESK_ADMIN).await;
    let body = json!({"notify_users": false, "notify_admins": false});
    let r = put(
        &server,
        &helpdesk,
        &info.csrf_token,
        NotificationSettings::PATH,
        body.clone(),
    )
    .await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let (user, user_info) = server.sign_in(USER_OUTSIDE).await;
    let r = user
        .get(server.api(RegistrationSettings::PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 403).await, "forbidden");
    let r = put(
        &server,
        &user,
        &user_info.csrf_token,
        NotificationSettings::PATH,
        body,
    )
    .await;
    assert_eq!(error_code(r, 403).await, "forbidden");

    let (admin, admin_info) = server.sign_in(GLOBAL_ADMIN).await;
    let unknown = json!({"notify_users": false, "notify_admins": false, "notify_everyone": true});
    let r = put(
        &server,
        &admin,
        &admin_info.csrf_token,
        NotificationSettings::PATH,
        unknown,
    )
    .await;
    assert_eq!(error_code(r, 400).await, "invalid_json");
    let too_big = json!({"require_registration": true, "reconfirm_days": 70000});
    let r = put(
        &server,
        &admin,
        &admin_info.csrf_token,
        RegistrationSettings::PATH,
        too_big,
    )
    .await;
    assert_eq!(error_code(r, 400).await, "invalid_json");
    let view = get_json(&admin, server.api(NotificationSettings::PATH)).await;
    assert_eq!(view["updated_at"], Value::Null);
}

async fn custom_questions_are_tidied_checked_and_kept(backend: Backend) {
    let server = start(backend).await;
    let (client, info) = server.sign_in(GLOBAL_ADMIN).await;
    let path = AuthMethodsSettings::PATH;
    let with = |questions: Value| {
        let mut body = methods(1, true, true, false, true);
        body["custom_questions"] = questions;
        body
    };
    let cases = [
        (json!(["ok?"]), Value::Null),
        (json!(["no"]), json!("too_short")),
        (json!([" Pet name? ", "pet NAME?"]), json!("duplicate")),
        (
            json!((0..21)
                .map(|i| format!("Question {i}?"))
                .collect::<Vec<_>>()),
            json!("too_many"),
        ),
    ];
    for (questions, rule) in cases {
        if rule.is_null() {
            continue;
        }
        let r = put(
            &server,
            &client,
            &info.csrf_token,
            path,
            with(questions.clone()),
        )
        .await;
        assert_eq!(
            field_errors(r).await,
            json!([{"field": "custom_questions", "rule": rule}]),
            "{questions}"
        );
    }
    let r = put(
        &server,
        &client,
        &info.csrf_token,
        path,
        with(json!(["  Name of your first manager?  ", "最喜欢的老师？"])),
    )
    .await;
    assert_eq!(r.status(), 200);
    let saved = get_json(&client, server.api(path)).await;
    assert_eq!(
        saved["settings"]["custom_questions"],
        json!(["Name of your first manager?", "最喜欢的老师？"])
    );
}

crate::on_both_databases!(
    custom_questions_are_tidied_checked_and_kept,
    every_section_starts_with_safe_defaults,
    the_authenticator_app_never_stands_alone,
    registration_notifications_and_helpdesk_are_checked_and_kept,
    sections_follow_the_same_permissions_and_input_rules,
);
