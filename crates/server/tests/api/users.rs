//! Managing users: the filtered listing, create / edit / delete within each role's scope,
//! admin password resets, unlock and sign-out everywhere, and CSV import.

use serde_json::{json, Value};

use crate::common::*;
use crate::security_info::{server_with_delivery, Delivery};

pub const EXPIRED_USER: &str = "expired.user@contoso.example";

pub async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(actual, status, "{body}");
    body
}

/// The field errors of a 422 answer, as (field, rule).
pub async fn field_errors(response: reqwest::Response) -> Vec<(String, String)> {
    let body = json_of(response, 422).await;
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub fn error(field: &str, rule: &str) -> Vec<(String, String)> {
    vec![(field.to_string(), rule.to_string())]
}

async fn names(actor: &Actor, query: &str) -> Vec<String> {
    let page = actor.get(&format!("/users?{query}")).await;
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|u| u["sign_in_name"].as_str().unwrap().to_string())
        .collect()
}

/// The id of a user by sign-in name (through the listing, as the SPA finds it).
pub async fn user_id(actor: &Actor, name: &str) -> String {
    let page = actor.get(&format!("/users?q={name}")).await;
    page["items"][0]["id"].as_str().unwrap().to_string()
}

async fn group_id(actor: &Actor, name: &str) -> String {
    let page = actor.get(&format!("/groups?q={name}")).await;
    page["items"][0]["id"].as_str().unwrap().to_string()
}

async fn patch(actor: &Actor, id: &str, body: Value) -> reqwest::Response {
    actor
        .send(reqwest::Method::PATCH, &format!("/users/{id}"), Some(body))
        .await
}

pub async fn set_expiry(actor: &Actor, max_age_days: u16, notice_days: u16) {
    let body = json!({"expires": true, "max_age_days": max_age_days, "notice_days": notice_days});
    json_of(actor.put("/settings/password-expiry", body).await, 200).await;
}

async fn audit_actions(actor: &Actor) -> Vec<String> {
    let page = actor.get("/audit?per_page=100").await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

async fn the_listing_filters_by_role_group_status_registration_and_password(backend: Backend) {
    let server = start(backend).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    assert_eq!(names(&admin, "role=global_admin").await, [GLOBAL_ADMIN]);
    let sales = group_id(&admin, "Sales").await;
    assert_eq!(
        names(&admin, &format!("group={sales}")).await,
        ["lee.gu@contoso.example", USER_OUTSIDE]
    );
    assert_eq!(
        names(&admin, &format!("group={sales}&q=megan")).await,
        [USER_OUTSIDE],
        "filters combine with the search"
    );

    let lee = user_id(&admin, "lee.gu").await;
    json_of(patch(&admin, &lee, json!({"enabled": false})).await, 200).await;
    assert_eq!(
        names(&admin, "enabled=false").await,
        ["lee.gu@contoso.example"]
    );
    assert_eq!(admin.get("/users?enabled=true").await["total"], 10);

    assert!(names(&admin, "registered=true").await.is_empty());
    let adele = user_id(&admin, USER_IN_PILOT).await;
    let r = admin
        .put(
            &format!("/users/{adele}/contact-info"),
            json!({"email": "adele@home.example"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(names(&admin, "registered=true").await, [USER_IN_PILOT]);
    assert_eq!(admin.get("/users?registered=false").await["total"], 10);

    assert!(
        names(&admin, "password=expired").await.is_empty(),
        "nothing expires without a policy"
    );
    set_expiry(&admin, 90, 14).await;
    assert_eq!(names(&admin, "password=expired").await, [EXPIRED_USER]);
    let listed = admin.get(&format!("/users?q={EXPIRED_USER}")).await;
    assert_eq!(listed["items"][0]["password_expired"], true);
    // When, too: 90 days after the change.
    let changed = listed["items"][0]["password_changed_at"].as_i64().unwrap();
    assert_eq!(
        listed["items"][0]["password_expires_at"].as_i64(),
        Some(changed + 90 * 86_400)
    );
    let expired = user_id(&admin, EXPIRED_USER).await;
    let body = json!({"password_never_expires": true});
    json_of(patch(&admin, &expired, body).await, 200).await;
    assert!(names(&admin, "password=expired").await.is_empty());
    assert_eq!(
        names(&admin, "password=never_expires").await,
        [EXPIRED_USER]
    );

    let r = admin
        .send(reqwest::Method::GET, "/users?role=root", None)
        .await;
    assert_eq!(error_code(r, 400).await, "invalid_parameter");
}

async fn user_managers_create_edit_and_delete_within_their_scope(backend: Backend) {
    let server = start(backend).await;
    let global = server.actor(GLOBAL_ADMIN).await;
    let user_admin = server.actor(USER_ADMIN).await;
    let helpdesk = server.actor(HELPDESK_ADMIN).await;

    let body = json!({"sign_in_name": "new.person@contoso.example", "display_name": "New Person",
        "group_ids": [group_id(&global, "Sales").await], "roles": ["helpdesk_admin"]});
    let created = json_of(user_admin.post("/users", body.clone()).await, 201).await;
    let id = created["user"]["id"].as_str().unwrap().to_string();
    let temporary = created["password"]["temporary_password"].as_str().unwrap();
    assert_eq!(temporary.len(), 19, "four groups of four: {temporary}");
    assert_eq!(created["user"]["password_change_due"], "admin_reset");
    assert_eq!(created["user"]["groups"][0]["name"], "Sales");
    assert_eq!(created["user"]["roles"], json!(["helpdesk_admin"]));
    let again = user_admin.post("/users", body).await;
    assert_eq!(field_errors(again).await, error("sign_in_name", "taken"));
    let bad = json!({"sign_in_name": "has space", "display_name": ""});
    assert_eq!(
        field_errors(user_admin.post("/users", bad).await).await,
        [
            ("sign_in_name".into(), "invalid_characters".into()),
            ("display_name".into(), "required".into())
        ]
    );
    let global_role = json!({"sign_in_name": "boss@contoso.example", "display_name": "Boss",
        "roles": ["global_admin"]});
    let r = user_admin.post("/users", global_role.clone()).await;
    assert_eq!(
        error_code(r, 403).await,
        "forbidden",
        "only Global grants Global"
    );
    let r = helpdesk.post("/users", global_role.clone()).await;
    assert_eq!(
        error_code(r, 403).await,
        "forbidden",
        "helpdesk creates nobody"
    );
    let boss = json_of(global.post("/users", global_role).await, 201).await;
    let boss_id = boss["user"]["id"].as_str().unwrap().to_string();

    // Out of scope: a User admin cannot touch a Global admin; nobody edits themselves here.
    let r = patch(&user_admin, &boss_id, json!({"display_name": "Renamed"})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let own = user_admin.info.user.id.clone();
    let r = patch(&user_admin, &own, json!({"display_name": "Me"})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let r = patch(&user_admin, &id, json!({"roles": ["global_admin"]})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");

    let changed = patch(
        &user_admin,
        &id,
        json!({"display_name": "  Renamed Person ", "roles": ["password_admin"], "group_ids": []}),
    )
    .await;
    let changed = json_of(changed, 200).await;
    assert_eq!(changed["display_name"], "Renamed Person");
    assert_eq!(changed["roles"], json!(["password_admin"]));
    assert_eq!(changed["groups"], json!([]));
    let r = patch(&user_admin, &id, json!({"display_name": ""})).await;
    assert_eq!(field_errors(r).await, error("display_name", "required"));
    let r = patch(&user_admin, &id, json!({"group_ids": ["nope"]})).await;
    assert_eq!(field_errors(r).await, error("group_ids", "group_not_found"));

    // Disabling signs the user out and keeps them out.
    let adele_id = user_id(&global, USER_IN_PILOT).await;
    let adele = server.actor(USER_IN_PILOT).await;
    json_of(
        patch(&user_admin, &adele_id, json!({"enabled": false})).await,
        200,
    )
    .await;
    let r = adele
        .client
        .get(server.api("/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = server
        .attempt_sign_in(
            &server.client(),
            USER_IN_PILOT,
            rekey_server::seed::DEMO_PASSWORD,
        )
        .await;
    assert_eq!(error_code(r, 401).await, "invalid_credentials");
    json_of(
        patch(&user_admin, &adele_id, json!({"enabled": true})).await,
        200,
    )
    .await;
    server.actor(USER_IN_PILOT).await;

    let r = helpdesk.delete(&format!("/users/{id}")).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let r = user_admin.delete(&format!("/users/{id}")).await;
    assert_eq!(r.status(), 204);
    let r = user_admin
        .send(reqwest::Method::GET, &format!("/users/{id}"), None)
        .await;
    assert_eq!(error_code(r, 404).await, "not_found");
    let actions = audit_actions(&global).await;
    for action in ["user_created", "user_updated", "user_deleted"] {
        assert!(actions.contains(&action.to_string()), "{action}");
    }
}

async fn admin_resets_stay_in_scope_and_force_a_change(backend: Backend) {
    let (server, Delivery { smtp, .. }) = server_with_delivery(backend, &[]).await;
    let global = server.actor(GLOBAL_ADMIN).await;
    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let password_admin = server.actor(PASSWORD_ADMIN).await;
    let reports = server.actor(REPORTS_READER).await;
    let global_id = user_id(&global, GLOBAL_ADMIN).await;
    let helpdesk_id = user_id(&global, HELPDESK_ADMIN).await;
    let adele_id = user_id(&global, USER_IN_PILOT).await;
    let reset = |id: &str| format!("/users/{id}/password");

    let r = helpdesk.post(&reset(&global_id), json!({})).await;
    assert_eq!(
        error_code(r, 403).await,
        "forbidden",
        "Helpdesk cannot reset a Global admin"
    );
    let r = password_admin.post(&reset(&helpdesk_id), json!({})).await;
    assert_eq!(
        error_code(r, 403).await,
        "forbidden",
        "Password admin: non-admins only"
    );
    let r = reports.post(&reset(&adele_id), json!({})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");

    // Typed: checked by the shared rules; then the user signs in with it as usual.
    let r = helpdesk
        .post(&reset(&adele_id), json!({"password": "short"}))
        .await;
    assert_eq!(field_errors(r).await, error("password", "too_short"));
    let r = helpdesk
        .post(&reset(&adele_id), json!({"password": "AdeleVance1"}))
        .await;
    assert_eq!(field_errors(r).await, error("password", "easy_to_guess"));
    let adele = server.actor(USER_IN_PILOT).await;
    let typed = "Tangerine kite orbit 47";
    let body = json!({"password": typed, "require_change": false});
    let done = json_of(helpdesk.post(&reset(&adele_id), body).await, 200).await;
    assert_eq!(
        done["temporary_password"],
        Value::Null,
        "a typed password is not echoed"
    );
    let r = adele
        .client
        .get(server.api("/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the reset ended the user's sessions");
    let r = server
        .attempt_sign_in(&server.client(), USER_IN_PILOT, typed)
        .await;
    let info = json_of(r, 200).await;
    assert_eq!(info["user"]["password_change_due"], Value::Null);

    // Generated, emailed to the authentication email, change required at sign-in.
    let r = helpdesk
        .post(&reset(&adele_id), json!({"email_user": true}))
        .await;
    assert_eq!(
        field_errors(r).await,
        error("email_user", "no_email_on_file")
    );
    let r = global
        .put(
            &format!("/users/{adele_id}/contact-info"),
            json!({"email": "adele@home.example"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let done = json_of(
        helpdesk
            .post(&reset(&adele_id), json!({"email_user": true}))
            .await,
        200,
    )
    .await;
    let temporary = done["temporary_password"].as_str().unwrap().to_string();
    assert_eq!(done["emailed_to"], "adele@home.example");
    let mail = smtp.wait_for("adele@home.example").await;
    assert!(mail.data.contains(&temporary), "{}", mail.data);

    let client = server.client();
    let r = server
        .attempt_sign_in(&client, USER_IN_PILOT, &temporary)
        .await;
    let info = json_of(r, 200).await;
    assert_eq!(info["user"]["password_change_due"], "admin_reset");
    let csrf = info["csrf_token"].as_str().unwrap().to_string();
    let r = client
        .get(server.api("/me/security-info"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 403).await, "password_change_required");
    let rules = get_json(&client, server.api("/me/password-rules")).await;
    assert_eq!(rules["sign_in_name"], USER_IN_PILOT);
    let change = |current: &str, new: &str| {
        client
            .post(server.api("/me/password"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"current_password": current, "password": new, "confirm": new}))
            .send()
    };
    let r = change(&temporary, &temporary).await.unwrap();
    assert_eq!(field_errors(r).await, error("password", "reused"));
    let r = change(&temporary, "Marble violet canyon 9").await.unwrap();
    assert_eq!(r.status(), 204);
    let info = get_json(&client, server.api("/session")).await;
    assert_eq!(info["user"]["password_change_due"], Value::Null);
    let r = client
        .get(server.api("/me/security-info"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "everything answers after the change");
    let actions = audit_actions(&global).await;
    assert!(actions.contains(&"password_reset_by_admin".to_string()));
    assert!(actions.contains(&"password_changed".to_string()));
}

async fn locked_out_users_are_unlocked_and_sessions_revoked(backend: Backend) {
    let server = start_with(backend, &["--lockout-threshold", "3"]).await;
    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let megan_id = user_id(&helpdesk, USER_OUTSIDE).await;
    let megan = server.actor(USER_OUTSIDE).await;
    for _ in 0..3 {
        server
            .attempt_sign_in(&server.client(), USER_OUTSIDE, "wrong password")
            .await;
    }
    let detail = helpdesk.get(&format!("/users/{megan_id}")).await;
    assert!(detail["locked_until"].as_i64().is_some(), "{detail}");
    // The listing shows it too, and finds the locked out.
    let locked = helpdesk.get("/users?password=locked").await;
    assert_eq!(locked["total"], 1, "{locked}");
    assert_eq!(locked["items"][0]["sign_in_name"], USER_OUTSIDE);
    assert_eq!(locked["items"][0]["locked_until"], detail["locked_until"]);
    let others = helpdesk.get(&format!("/users?q={USER_IN_PILOT}")).await;
    assert_eq!(others["items"][0]["locked_until"], Value::Null);
    assert!(others["items"][0]["password_changed_at"].as_i64().unwrap() > 0);
    assert_eq!(detail["active_sessions"], 1);
    assert!(detail["last_sign_in_at"].as_i64().is_some());
    let reports = server.actor(REPORTS_READER).await;
    let r = reports
        .post(&format!("/users/{megan_id}/unlock"), json!({}))
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let r = helpdesk
        .post(&format!("/users/{megan_id}/unlock"), json!({}))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        helpdesk.get(&format!("/users/{megan_id}")).await["locked_until"],
        Value::Null
    );
    assert_eq!(helpdesk.get("/users?password=locked").await["total"], 0);
    server.actor(USER_OUTSIDE).await;

    let r = helpdesk
        .delete(&format!("/users/{megan_id}/sessions"))
        .await;
    assert_eq!(r.status(), 204);
    let r = megan
        .client
        .get(server.api("/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        helpdesk.get(&format!("/users/{megan_id}")).await["active_sessions"],
        0
    );
    let actions = audit_actions(&helpdesk).await;
    assert!(actions.contains(&"account_unlocked_by_admin".to_string()));
    assert!(actions.contains(&"sessions_revoked".to_string()));
}

async fn csv_import_reports_every_bad_row_and_imports_all_or_nothing(backend: Backend) {
    let (server, _delivery) = server_with_delivery(backend, &[]).await;
    let admin = server.actor(USER_ADMIN).await;
    let bad = "sign_in_name,display_name,email,mobile_phone,groups\n\
        ok.one@contoso.example,Ok One,,,Sales\n\
        ,No Name,,,\n\
        bad.mail@contoso.example,Bad Mail,not-an-email,,\n\
        ok.one@contoso.example,Twice,,,\n\
        adele.vance@contoso.example,Exists,,,\n\
        no.group@contoso.example,No Group,,,Nowhere\n\
        bad.phone@contoso.example,Bad Phone,,12345,\n";
    let before = admin.get("/users").await["total"].clone();
    for dry_run in [true, false] {
        let body = json!({"csv": bad, "dry_run": dry_run});
        let report = json_of(admin.post("/users/import", body).await, 200).await;
        assert_eq!(report["rows"], 7);
        assert_eq!(report["created"], 0);
        let problems: Vec<(u64, String, String)> = report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["line"].as_u64().unwrap(),
                    p["field"].as_str().unwrap().to_string(),
                    p["rule"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            problems,
            [
                (3, "sign_in_name".into(), "required".into()),
                (4, "email".into(), "not_email".into()),
                (5, "sign_in_name".into(), "duplicate".into()),
                (6, "sign_in_name".into(), "taken".into()),
                (7, "groups".into(), "group_not_found".into()),
                (8, "mobile_phone".into(), "not_phone".into()),
            ]
        );
    }
    assert_eq!(
        admin.get("/users").await["total"],
        before,
        "nothing imported"
    );

    let header = json!({"csv": "name,display_name\nx,y\n", "dry_run": true});
    let report = json_of(admin.post("/users/import", header).await, 200).await;
    assert_eq!(report["problems"][0]["field"], "name");
    assert_eq!(report["problems"][0]["rule"], "unknown");

    let clean = "sign_in_name,display_name,email,mobile_phone,groups\n\
        ok.one@contoso.example,Ok One,ok.one@home.example,+44 7700 900123,Sales;Engineering\n\
        ok.two@contoso.example,Ok Two,,,\n";
    let dry = json!({"csv": clean, "dry_run": true});
    let report = json_of(admin.post("/users/import", dry).await, 200).await;
    assert_eq!(
        (report["rows"].as_u64(), report["created"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(report["problems"], json!([]));
    let real = json!({"csv": clean});
    let report = json_of(admin.post("/users/import", real).await, 200).await;
    assert_eq!(report["created"], 2);
    let id = user_id(&admin, "ok.one@contoso.example").await;
    let detail = admin.get(&format!("/users/{id}")).await;
    assert_eq!(detail["password_change_due"], "admin_reset");
    assert_eq!(detail["registration"]["registered"], true, "{detail}");
    assert_eq!(group_names(&detail), ["Engineering", "Sales"]);
    let contact = admin.get(&format!("/users/{id}/contact-info")).await;
    assert_eq!(contact["phone"], "+447700900123");

    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let r = helpdesk.post("/users/import", json!({"csv": clean})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
}

crate::on_both_databases!(
    the_listing_filters_by_role_group_status_registration_and_password,
    user_managers_create_edit_and_delete_within_their_scope,
    admin_resets_stay_in_scope_and_force_a_change,
    locked_out_users_are_unlocked_and_sessions_revoked,
    csv_import_reports_every_bad_row_and_imports_all_or_nothing,
);
