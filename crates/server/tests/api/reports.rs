//! Usage & insights: every figure is a count of users or audit events, and the drill-down
//! behind it lists exactly that many; the parts add up to the whole.

use serde_json::{json, Value};

use crate::common::*;
use crate::reset::{begin, json_of, pass_email_gate, FAST, NEW_PASSWORD};
use crate::security_info::{register_email, server_with_delivery};

fn n(value: &Value) -> u64 {
    value.as_u64().unwrap_or_else(|| panic!("a count: {value}"))
}

/// The audit events an activity figure counts, over the report's period.
async fn events(admin: &Actor, report: &Value, filters: &str) -> u64 {
    let mut count = 0;
    let mut path = format!(
        "/audit?per_page=100&from={}&to={}&{filters}",
        report["from"], report["to"]
    );
    loop {
        let page = admin.get(&path).await;
        count += page["items"].as_array().expect("items").len() as u64;
        match page["next"].as_str() {
            Some(next) => path = format!("{path}&before={next}"),
            None => return count,
        }
    }
}

/// How many users the Users page lists under `filters`.
async fn users(admin: &Actor, filters: &str) -> u64 {
    n(&admin.get(&format!("/users?enabled=true&{filters}")).await["total"])
}

async fn group_id(admin: &Actor, name: &str) -> String {
    let groups = admin.get(&format!("/groups?q={name}")).await;
    groups["items"][0]["id"]
        .as_str()
        .expect("a group")
        .to_string()
}

/// Adele begins a flow for `intent`, has an email code sent, and types wrong codes: one per
/// status expected.
async fn wrong_email_codes(server: &TestServer, intent: &str, statuses: &[u16]) {
    let (reset, _) = begin(server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": intent})).await;
    let gate = json!({"kind": "email", "email": "adele@home.example"});
    reset.post("/gate", gate).await;
    for &status in statuses {
        let r = reset
            .post("/gate/verify", json!({"kind": "email", "code": "00000001"}))
            .await;
        assert_eq!(r.status(), status);
    }
}

async fn every_figure_ties_out_to_the_events_and_users_behind_it(backend: Backend) {
    let mut args = FAST.to_vec();
    args.extend(["--reset-failures-per-day", "3"]);
    let (server, delivery) = server_with_delivery(backend, &args).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    // Self-service reset covers the pilot group (Adele, and Engineering nested in it).
    let pilot = group_id(&admin, "SSPR pilot").await;
    let scope = json!({"scope": "selected", "group_id": pilot});
    assert_eq!(admin.put("/settings/sspr", scope).await.status(), 200);
    let adele = server.actor(USER_IN_PILOT).await;
    // Security info: added, changed (in the same session, which needs no proof yet), and
    // reconfirmed.
    register_email(&adele, &delivery.smtp, "adele.old@home.example").await;
    register_email(&adele, &delivery.smtp, "adele@home.example").await;
    let r = adele.post("/me/security-info/confirm", json!({})).await;
    assert_eq!(r.status(), 200);

    // 1. Adele resets by email.
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    pass_email_gate(&reset, &delivery, "adele@home.example").await;
    let good = json!({"password": NEW_PASSWORD, "confirm": NEW_PASSWORD});
    assert_eq!(
        json_of(reset.post("/password", good).await, 200).await["stage"],
        "done"
    );
    // Her registration code, her reset code, and the notice that her password was reset.
    delivery.smtp.wait_for_count("adele@home.example", 3).await;
    // 2. She tries again, and leaves after a password the rules refuse.
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    pass_email_gate(&reset, &delivery, "adele@home.example").await;
    let weak = json!({"password": "Contoso2026!", "confirm": "Contoso2026!"});
    assert_eq!(reset.post("/password", weak).await.status(), 422);
    // 3. She unlocks her account by email.
    let (unlock, _) = begin(&server, USER_IN_PILOT).await;
    unlock.post("/intent", json!({"intent": "unlock"})).await;
    pass_email_gate(&unlock, &delivery, "adele@home.example").await;
    assert_eq!(
        json_of(unlock.post("/unlock", json!({})).await, 200).await["stage"],
        "done"
    );
    // 4. She types a wrong code once and leaves.
    wrong_email_codes(&server, "reset", &[422]).await;
    // 5. Names that cannot go on: nobody, someone out of scope, someone unregistered.
    begin(&server, "nobody@contoso.example").await;
    begin(&server, USER_OUTSIDE).await;
    begin(&server, USER_IN_NESTED).await;
    // 6. Two more wrong codes reach the daily limit (3 here): blocked.
    wrong_email_codes(&server, "unlock", &[422, 429]).await;
    // 7. The helpdesk resets Megan's password, and unlocks her.
    let megan = admin.get(&format!("/users?q={USER_OUTSIDE}")).await;
    let megan_id = megan["items"][0]["id"].as_str().unwrap().to_string();
    let r = admin
        .post(
            &format!("/users/{megan_id}/password"),
            json!({"password": "Harbour-Lantern-93", "require_change": false}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = admin
        .post(&format!("/users/{megan_id}/unlock"), json!({}))
        .await;
    assert_eq!(r.status(), 204);

    // Before the flows run out of time, six are open.
    let open = admin.get("/reports/activity?days=7").await;
    let t = &open["totals"];
    assert_eq!(
        (
            n(&t["started"]),
            n(&t["resets"]),
            n(&t["unlocks"]),
            n(&t["abandoned"])
        ),
        (8, 1, 1, 0)
    );
    // The flows left open run out of time.
    let later = time::OffsetDateTime::now_utc().unix_timestamp() + 10 * 86_400;
    let ended = rekey_server::domain::flow_outcomes::sweep(&server.state.db.pool, later)
        .await
        .unwrap();
    assert_eq!(ended, 6);
    assert_eq!(
        rekey_server::domain::flow_outcomes::sweep(&server.state.db.pool, later)
            .await
            .unwrap(),
        0,
        "each flow ends once"
    );

    let report = admin.get("/reports/activity?days=7").await;
    let t = &report["totals"];
    assert_eq!(n(&t["started"]), 8);
    assert_eq!(n(&t["resets"]), 1);
    assert_eq!(n(&t["unlocks"]), 1);
    assert_eq!(n(&t["abandoned"]), 6);
    assert_eq!(n(&t["blocked"]), 1);
    assert_eq!(n(&t["admin_resets"]), 1);
    assert_eq!(n(&t["admin_unlocks"]), 1);
    // Every flow ended one way.
    assert_eq!(
        n(&t["started"]),
        n(&t["resets"]) + n(&t["unlocks"]) + n(&t["abandoned"])
    );
    // Each figure is the number of events its drill-down lists.
    for (figure, filters) in [
        ("started", "action=reset_started"),
        ("resets", "action=password_reset_self"),
        ("unlocks", "action=account_unlocked_self"),
        ("abandoned", "action=reset_abandoned"),
        ("blocked", "action=reset_abandoned&detail=blocked"),
        ("admin_resets", "action=password_reset_by_admin"),
        ("admin_unlocks", "action=account_unlocked_by_admin"),
    ] {
        assert_eq!(
            n(&t[figure]),
            events(&admin, &report, filters).await,
            "{figure}"
        );
    }
    // The days add up to the period.
    let series = report["series"].as_array().unwrap();
    assert_eq!(series.len(), 7);
    for figure in [
        "started",
        "resets",
        "unlocks",
        "abandoned",
        "blocked",
        "admin_resets",
        "admin_unlocks",
    ] {
        let sum: u64 = series.iter().map(|day| n(&day[figure])).sum();
        assert_eq!(sum, n(&t[figure]), "{figure}");
    }
    // Why flows did not finish, each reason with its flow, adding up to the abandoned.
    let reasons: Vec<(String, String, u64)> = report["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_string();
            (text("reason"), text("flow"), n(&r["flows"]))
        })
        .collect();
    let mut sorted = reasons.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            ("blocked".into(), "unlock".into(), 1),
            ("not_covered".into(), "reset".into(), 1),
            ("not_registered".into(), "reset".into(), 1),
            ("password_refused:easy_to_guess".into(), "reset".into(), 1),
            ("unknown_name".into(), "reset".into(), 1),
            ("wrong_code".into(), "reset".into(), 1),
        ]
    );
    let mut total = 0;
    for (reason, flow, flows) in &reasons {
        let filters = format!("action=reset_abandoned&detail={reason}&flow={flow}");
        assert_eq!(*flows, events(&admin, &report, &filters).await, "{reason}");
        total += flows;
    }
    assert_eq!(total, n(&t["abandoned"]));
    // By method: the email proved the reset and the unlock; three wrong email codes.
    let email = report["methods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["method"] == "email")
        .unwrap()
        .clone();
    assert_eq!(
        (
            n(&email["resets"]),
            n(&email["unlocks"]),
            n(&email["failed"])
        ),
        (1, 1, 3)
    );
    let email_resets = "action=password_reset_self&method=email";
    assert_eq!(events(&admin, &report, email_resets).await, 1);
    let email_unlocks = "action=account_unlocked_self&method=email";
    assert_eq!(events(&admin, &report, email_unlocks).await, 1);
    let email_failures = "action=proof_failed&method=email";
    assert_eq!(events(&admin, &report, email_failures).await, 3);
    let phone_failures = "action=proof_failed&method=mobile_phone";
    assert_eq!(events(&admin, &report, phone_failures).await, 0);
    // Registration events, each the events its drill-down lists.
    let registration = &report["registration"];
    assert_eq!(n(&registration["changed"]), 1);
    assert_eq!(n(&registration["reconfirmed"]), 1);
    for (figure, filters) in [
        ("added", "action=security_info_changed&detail=added"),
        ("changed", "action=security_info_changed&detail=changed"),
        ("removed", "action=security_info_changed&detail=removed"),
        ("reconfirmed", "action=security_info_confirmed"),
    ] {
        assert_eq!(
            n(&registration[figure]),
            events(&admin, &report, filters).await,
            "{figure}"
        );
    }

    // By week: the same totals.
    let weeks = admin.get("/reports/activity?days=7&bucket=week").await;
    assert_eq!(weeks["totals"], report["totals"]);
    let weekly: u64 = weeks["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| n(&w["started"]))
        .sum();
    assert_eq!(weekly, 8);
    // Dates: a period before any of this is empty.
    let long_ago = admin.get("/reports/activity?from=86400&to=864000").await;
    assert_eq!(n(&long_ago["totals"]["started"]), 0);
    assert_eq!(long_ago["series"].as_array().unwrap().len(), 10);

    // Registration: the pilot's three, of whom Adele holds enough.
    let now = admin.get("/reports/registration").await;
    let in_scope = &now["in_scope"];
    assert_eq!(
        (
            n(&in_scope["registered"]),
            n(&in_scope["partly"]),
            n(&in_scope["not_registered"])
        ),
        (1, 0, 2)
    );
    assert_eq!(n(&now["users"]), users(&admin, "").await);
    for (figure, filters) in [
        ("registered", "sspr=true&coverage=registered"),
        ("partly", "sspr=true&coverage=partly"),
        ("not_registered", "sspr=true&coverage=not_registered"),
    ] {
        assert_eq!(
            n(&in_scope[figure]),
            users(&admin, filters).await,
            "{figure}"
        );
        let admins = users(&admin, &format!("admin=true&{}", &filters[10..])).await;
        assert_eq!(n(&now["admins"][figure]), admins, "admins {figure}");
    }
    let in_scope_total: u64 = ["registered", "partly", "not_registered"]
        .iter()
        .map(|f| n(&in_scope[f]))
        .sum();
    assert_eq!(in_scope_total, users(&admin, "sspr=true").await);
    assert_eq!(
        n(&now["users"]),
        in_scope_total + users(&admin, "sspr=false").await
    );
    for method in now["methods"].as_array().unwrap() {
        let kind = method["method"].as_str().unwrap();
        let listed = users(&admin, &format!("sspr=true&method={kind}")).await;
        assert_eq!(n(&method["users"]), listed, "{kind}");
    }
    let methods = now["methods"].as_array().unwrap();
    let email = methods.iter().find(|m| m["method"] == "email").unwrap();
    assert_eq!(
        (email["method"].as_str(), n(&email["users"])),
        (Some("email"), 1)
    );
    // Filtered by group, nested membership counting: Engineering's two, inside the pilot.
    let engineering = group_id(&admin, "Engineering").await;
    let eng = admin
        .get(&format!("/reports/registration?group={engineering}"))
        .await;
    assert_eq!(n(&eng["users"]), 2);
    assert_eq!(n(&eng["in_scope"]["not_registered"]), 2);
    let pilot_only = admin
        .get(&format!("/reports/registration?group={pilot}"))
        .await;
    assert_eq!(n(&pilot_only["users"]), 3);
    assert_eq!(users(&admin, &format!("group={pilot}")).await, 3);

    // Figures up to a minute old are served as they were counted; a fresh count sees Alex.
    let alex = server.actor(USER_IN_NESTED).await;
    register_email(&alex, &delivery.smtp, "alex@home.example").await;
    let served = admin.get("/reports/registration").await;
    assert_eq!(served, now, "the figures counted a moment ago");
    let fresh = admin.get("/reports/registration?fresh=true").await;
    assert_eq!(n(&fresh["in_scope"]["registered"]), 2);
    assert!(n(&fresh["as_of"]) >= n(&now["as_of"]));
    assert_eq!(admin.get("/reports/registration").await, fresh);

    // The drill-down's CSV lists the same users.
    let csv = admin
        .client
        .get(server.api("/users/export?enabled=true&sspr=true&coverage=not_registered"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("sign_in_name,display_name,enabled,roles,registered"));
    assert_eq!(lines.len(), 2, "{text}");
    assert!(text.contains("diego.siciliani@contoso.example"));

    // The metrics carry the same figures.
    let metrics = server.metrics().await;
    for line in [
        "rekey_reset_outcomes_total{outcome=\"started\"} 8",
        "rekey_reset_outcomes_total{outcome=\"unlock\"} 1",
        "rekey_reset_outcomes_total{outcome=\"abandoned\"} 6",
        "rekey_reset_outcomes_total{outcome=\"admin_reset\"} 1",
        "rekey_reset_outcomes_total{outcome=\"admin_unlock\"} 1",
        "rekey_registration_users{users=\"in_scope\",state=\"registered\"} 2",
        "rekey_registration_users{users=\"in_scope\",state=\"not_registered\"} 1",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
}

async fn reports_are_for_global_and_password_admins_and_reports_readers(backend: Backend) {
    let server = start(backend).await;
    for (name, status) in [
        (GLOBAL_ADMIN, 200),
        (PASSWORD_ADMIN, 200),
        (REPORTS_READER, 200),
        (HELPDESK_ADMIN, 403),
        (USER_ADMIN, 403),
        (USER_OUTSIDE, 403),
    ] {
        let actor = server.actor(name).await;
        for path in ["/reports/registration", "/reports/activity?days=30"] {
            let r = actor.send(reqwest::Method::GET, path, None).await;
            assert_eq!(r.status(), status, "{name} {path}");
        }
    }
    let r = server
        .client()
        .get(server.api("/reports/activity"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    // A period that is not one is refused, naming what is wrong.
    let reader = server.actor(REPORTS_READER).await;
    for (path, field) in [
        ("/reports/activity?days=0", "days"),
        ("/reports/activity?days=367", "days"),
        ("/reports/activity?from=864000&to=86400", "from"),
        ("/reports/activity?from=0&to=86400000", "from"),
        ("/reports/activity?to=-9223372036854775808", "to"),
        ("/reports/activity?from=9223372036854775807", "from"),
    ] {
        let r = reader.send(reqwest::Method::GET, path, None).await;
        let body = json_of(r, 422).await;
        assert_eq!(body["error"]["fields"][0]["field"], field, "{path}");
    }
    for path in [
        "/reports/activity?bucket=month",
        "/reports/activity?days=-1",
        "/reports/registration?colour=red",
    ] {
        let r = reader.send(reqwest::Method::GET, path, None).await;
        assert_eq!(error_code(r, 400).await, "invalid_parameter", "{path}");
    }
    // An empty organisation's period has every day, all zero.
    let report = reader.get("/reports/activity?days=30").await;
    assert_eq!(report["series"].as_array().unwrap().len(), 30);
    assert_eq!(n(&report["totals"]["started"]), 0);
}

/// Events recorded before the reports existed get their flow, methods and detail, and their
/// daily counts, from the migration, wherever the detail says them.
async fn the_migration_derives_what_older_events_say(backend: Backend) {
    let db = test_db(backend).await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db.url).await.unwrap();
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version < 20261210000001)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    before.run(&pool).await.unwrap();
    let day_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000 - 3_600_000;
    let events = [
        (
            "proof_failed",
            r#"{"flow":"unlock","method":"mobile_phone","reason":"code_expired"}"#,
        ),
        (
            "password_reset_self",
            r#"{"methods":["email","authenticator_app"]}"#,
        ),
        (
            "security_info_changed",
            r#"{"method":"email","change":"removed","by_admin":false}"#,
        ),
        ("reset_blocked", "null"),
    ];
    for (i, (action, detail)) in events.iter().enumerate() {
        sqlx::query(
            "INSERT INTO audit_events (id, at_ms, actor, action, target, old_value, new_value) \
             VALUES ($1, $2, NULL, $3, 'old@contoso.example', NULL, $4)",
        )
        .bind(format!("old-{i}"))
        .bind(day_ms)
        .bind(*action)
        .bind(*detail)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;
    let server = start_on(db, &[], std::path::Path::new("/nonexistent-rekey-dist")).await;

    let admin = server.actor(GLOBAL_ADMIN).await;
    let said = admin
        .get("/audit?action=proof_failed&flow=unlock&method=mobile_phone&detail=code_expired")
        .await;
    assert_eq!(said["items"].as_array().unwrap().len(), 1, "{said}");
    let both = admin
        .get("/audit?action=password_reset_self&method=authenticator_app")
        .await;
    assert_eq!(both["items"].as_array().unwrap().len(), 1);
    let report = admin.get("/reports/activity?days=7").await;
    assert_eq!(n(&report["totals"]["resets"]), 1);
    assert_eq!(n(&report["registration"]["removed"]), 1);
    let method = |kind: &str| {
        report["methods"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["method"] == kind)
            .unwrap()
            .clone()
    };
    assert_eq!(n(&method("email")["resets"]), 1);
    assert_eq!(n(&method("authenticator_app")["resets"]), 1);
    assert_eq!(n(&method("mobile_phone")["failed"]), 1);
    assert_eq!(n(&method("mobile_phone")["resets"]), 0);
}

crate::on_both_databases!(
    every_figure_ties_out_to_the_events_and_users_behind_it,
    reports_are_for_global_and_password_admins_and_reports_readers,
    the_migration_derives_what_older_events_say,
);
