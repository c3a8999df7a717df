//! The public reset flow: a user who forgot their password gets back in; nobody learns
//! whether an account exists; every limit holds.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;
use crate::security_info::{register_email, server_with_delivery, set_methods, Delivery};

/// Easy puzzles and no resend wait, so tests run fast.
const FAST: [&str; 4] = ["--pow-difficulty", "4", "--code-resend-seconds", "0"];

/// An anonymous browser in a reset flow.
struct Reset {
    client: reqwest::Client,
    token: String,
    api: String,
}

impl Reset {
    async fn send(&self, path: &str, body: Option<Value>) -> reqwest::Response {
        let url = format!("{}/reset{path}", self.api);
        let request = match body {
            Some(body) => self.client.post(url).json(&body),
            None => self.client.get(url),
        };
        request
            .header("x-reset-token", &self.token)
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.send(path, Some(body)).await
    }

    async fn state(&self) -> reqwest::Response {
        self.send("", None).await
    }
}

/// Solves a puzzle and starts a flow for `name`; the flow and its first state.
async fn begin(server: &TestServer, name: &str) -> (Reset, Value) {
    let client = server.client();
    let challenge: Value = client
        .post(server.api("/reset/challenge"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let prefix = challenge["prefix"].as_str().unwrap();
    let difficulty = challenge["difficulty"].as_u64().unwrap() as u8;
    let nonce = rekey_core::pow::search(prefix, difficulty, 0, u64::MAX).unwrap();
    let body =
        json!({"sign_in_name": name, "challenge_id": challenge["id"], "nonce": nonce.to_string()});
    let r = client
        .post(server.api("/reset"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let started: Value = r.json().await.unwrap();
    let reset = Reset {
        client,
        token: started["token"].as_str().unwrap().to_string(),
        api: server.api(""),
    };
    (reset, started["state"].clone())
}

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(actual, status, "{body}");
    body
}

/// Passes the email gate with the code that arrived at `address`.
async fn pass_email_gate(reset: &Reset, delivery: &Delivery, address: &str) -> Value {
    let before = delivery.smtp.wait_for_count(address, 0).await.len();
    let r = reset.post("/gate", json!({"kind": "email"})).await;
    json_of(r, 200).await;
    let messages = delivery.smtp.wait_for_count(address, before + 1).await;
    let code = code_in(&messages[before].data);
    let r = reset
        .post("/gate/verify", json!({"kind": "email", "code": code}))
        .await;
    json_of(r, 200).await
}

async fn registered_adele(backend: Backend, extra: &[&str]) -> (TestServer, Delivery) {
    let mut args = FAST.to_vec();
    args.extend(extra);
    let (server, delivery) = server_with_delivery(backend, &args).await;
    let adele = server.actor(USER_IN_PILOT).await;
    register_email(&adele, &delivery.smtp, "adele@home.example").await;
    (server, delivery)
}

const NEW_PASSWORD: &str = "Tangerine-Kite-47";

async fn a_user_resets_by_email_and_only_the_new_password_works(backend: Backend) {
    let (server, delivery) = registered_adele(backend, &[]).await;
    let session = server.actor(USER_IN_PILOT).await;
    let (reset, state) = begin(&server, " Adele.Vance@contoso.example ").await;
    assert_eq!(state["stage"], "choose_intent");
    let state = json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await;
    assert_eq!(state["stage"], "verify");
    assert_eq!(state["gates_required"], 1);
    assert_eq!(
        state["options"],
        json!([{"kind": "email", "hint": "a•••@home.example"}])
    );
    assert_eq!(
        state["password_rules"],
        Value::Null,
        "nothing about the user before proof"
    );

    let state = pass_email_gate(&reset, &delivery, "adele@home.example").await;
    assert_eq!(state["stage"], "new_password");
    assert_eq!(state["password_rules"]["display_name"], "Adele Vance");
    let weak = json!({"password": "Contoso2026!", "confirm": "Contoso2026!"});
    let r = reset.post("/password", weak).await;
    assert_eq!(
        json_of(r, 422).await["error"]["fields"][0]["rule"],
        "easy_to_guess"
    );
    let r = reset
        .post(
            "/password",
            json!({"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(json_of(r, 200).await["stage"], "done");
    assert_eq!(
        error_code(reset.state().await, 410).await,
        "reset_expired",
        "single use"
    );

    let r = session
        .client
        .get(server.api("/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "every session ended");
    let client = server.client();
    let old = server
        .attempt_sign_in(&client, USER_IN_PILOT, rekey_server::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(old.status(), 401);
    let new = server
        .attempt_sign_in(&client, USER_IN_PILOT, NEW_PASSWORD)
        .await;
    assert_eq!(new.status(), 200);
    let notice = delivery.smtp.wait_for(USER_IN_PILOT).await;
    assert!(notice
        .data
        .contains("Subject: Your Contoso password was reset"));
    let audit = server.actor(GLOBAL_ADMIN).await.get("/audit").await;
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| { e["action"] == "password_reset_self" && e["target"] == USER_IN_PILOT }));
}

/// A state without what differs between any two flows: expiry, and which methods with
/// which hints (a decoy picks plausible ones from the name).
fn shape(mut state: Value) -> Value {
    state["expires_at"] = json!(0);
    state["options"] = json!(state["options"].as_array().unwrap().len());
    state
}

async fn unknown_and_unregistered_users_see_the_same_flow(backend: Backend) {
    let (server, _delivery) = registered_adele(backend, &[]).await;
    // Megan exists but reset does not cover her; "nobody" does not exist.
    for name in [USER_OUTSIDE, "nobody@contoso.example", USER_IN_PILOT] {
        let (reset, state) = begin(&server, name).await;
        assert_eq!(state["stage"], "choose_intent", "{name}");
        let state = json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await;
        let (_, expected) = begin(&server, USER_IN_PILOT).await;
        let expected_state = {
            let mut e = expected.clone();
            e["stage"] = json!("verify");
            e["intent"] = json!("reset");
            e
        };
        assert_eq!(shape(state.clone()), shape(expected_state), "{name}");
        let again = json_of(reset.state().await, 200).await;
        assert_eq!(again["options"], state["options"], "the decoy is stable");
        let kind = state["options"][0]["kind"].clone();
        let gate = json!({"kind": kind, "phone": "+14255550100"});
        let started = json_of(reset.post("/gate", gate).await, 200).await;
        assert_eq!(started["code"]["expires_in_seconds"], 300, "{name}");
        let r = reset
            .post("/gate/verify", json!({"kind": kind, "code": "12345678"}))
            .await;
        let error = json_of(r, 422).await;
        assert_eq!(error["error"]["code"], "verification_failed", "{name}");
        assert_eq!(error["error"]["attempts_remaining"], 4, "{name}");
    }
}

async fn admins_need_two_gates_and_the_full_phone_number(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &FAST).await;
    set_methods(&server, false, true).await;
    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    register_email(&helpdesk, &delivery.smtp, "hana@home.example").await;
    let r = helpdesk
        .post(
            "/me/security-info/mobile_phone/send",
            json!({"destination": "+14255550123"}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let texts = delivery.sms.wait_for("+14255550123", 1).await;
    let code: String = texts[0]
        .body
        .chars()
        .filter(char::is_ascii_digit)
        .take(8)
        .collect();
    let r = helpdesk
        .post(
            "/me/security-info/mobile_phone/verify",
            json!({"code": code}),
        )
        .await;
    assert_eq!(r.status(), 200);

    let (reset, _) = begin(&server, HELPDESK_ADMIN).await;
    let state = json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await;
    assert_eq!(state["gates_required"], 2);
    let kinds: Vec<&str> = state["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["mobile_phone", "email"],
        "never questions for admins"
    );
    let state = pass_email_gate(&reset, &delivery, "hana@home.example").await;
    assert_eq!(state["stage"], "verify");
    assert_eq!(state["options"][0]["kind"], "mobile_phone");
    let r = reset.post("/gate", json!({"kind": "email"})).await;
    assert_eq!(error_code(r, 403).await, "forbidden", "a gate counts once");

    // A wrong number gets the same answer, and nothing is sent.
    let wrong = json_of(
        reset
            .post(
                "/gate",
                json!({"kind": "mobile_phone", "phone": "+14255550999"}),
            )
            .await,
        200,
    )
    .await;
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1")
        .bind("+14255550999")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 0);
    let right = json_of(
        reset
            .post(
                "/gate",
                json!({"kind": "mobile_phone", "phone": "+1 425 555 0123"}),
            )
            .await,
        200,
    )
    .await;
    assert_eq!(wrong, right);
    let texts = delivery.sms.wait_for("+14255550123", 2).await;
    let code: String = texts[1]
        .body
        .chars()
        .filter(char::is_ascii_digit)
        .take(8)
        .collect();
    let r = reset
        .post(
            "/gate/verify",
            json!({"kind": "mobile_phone", "code": code}),
        )
        .await;
    assert_eq!(json_of(r, 200).await["stage"], "new_password");

    // Every Global admin hears of it when the organisation asks for that.
    let admin = server.actor(GLOBAL_ADMIN).await;
    let notices = json!({"notify_users": true, "notify_admins": true});
    let r = admin.put("/settings/sspr/notifications", notices).await;
    assert_eq!(r.status(), 200);
    let r = reset
        .post(
            "/password",
            json!({"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(json_of(r, 200).await["stage"], "done");
    let notice = delivery.smtp.wait_for(GLOBAL_ADMIN).await;
    assert!(
        notice.data.contains("an admin reset their password"),
        "{}",
        notice.data
    );
    assert!(notice.data.contains(HELPDESK_ADMIN));
}

async fn phone_app_and_question_checks_are_limited_per_hour(backend: Backend) {
    let mut args = FAST.to_vec();
    args.extend(["--reset-failures-per-day", "100"]);
    let (server, _delivery) = server_with_delivery(backend, &args).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let users = admin.get("/users?q=megan").await;
    let id = users["items"][0]["id"].as_str().unwrap().to_string();
    let r = admin
        .put(
            &format!("/users/{id}/contact-info"),
            json!({"phone": "+14255550123"}),
        )
        .await;
    assert_eq!(r.status(), 200);

    let (reset, _) = begin(&server, USER_OUTSIDE).await;
    let state = json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await;
    assert_eq!(state["options"][0]["kind"], "mobile_phone");
    let guess = json!({"kind": "mobile_phone", "phone": "+14255550999"});
    for _ in 0..5 {
        assert_eq!(reset.post("/gate", guess.clone()).await.status(), 200);
    }
    let right = json!({"kind": "mobile_phone", "phone": "+14255550123"});
    let r = reset.post("/gate", right).await;
    assert_eq!(
        error_code(r, 429).await,
        "rate_limited",
        "five phone checks an hour"
    );
}

async fn wrong_codes_end_the_flow_and_repeated_failures_block_for_a_day(backend: Backend) {
    let (server, delivery) = registered_adele(backend, &["--reset-failures-per-day", "7"]).await;
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    json_of(reset.post("/gate", json!({"kind": "email"})).await, 200).await;
    delivery.smtp.wait_for_count("adele@home.example", 2).await;
    for _ in 0..4 {
        let r = reset
            .post("/gate/verify", json!({"kind": "email", "code": "00000001"}))
            .await;
        assert_eq!(error_code(r, 422).await, "verification_failed");
    }
    let r = reset
        .post("/gate/verify", json!({"kind": "email", "code": "00000001"}))
        .await;
    assert_eq!(
        error_code(r, 410).await,
        "reset_expired",
        "the code's tries are used up"
    );
    assert_eq!(error_code(reset.state().await, 410).await, "reset_expired");

    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    json_of(reset.post("/gate", json!({"kind": "email"})).await, 200).await;
    let r = reset
        .post("/gate/verify", json!({"kind": "email", "code": "00000001"}))
        .await;
    assert_eq!(r.status(), 422);
    let r = reset
        .post("/gate/verify", json!({"kind": "email", "code": "00000001"}))
        .await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "seventh failure in a day"
    );
    let error: Value = r.json().await.unwrap();
    let wait = error["error"]["retry_after_seconds"].as_u64().unwrap();
    assert!(wait > 23 * 3600, "{wait}");
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    let r = reset.post("/gate", json!({"kind": "email"})).await;
    assert_eq!(
        error_code(r, 429).await,
        "rate_limited",
        "blocked in a new flow too"
    );
    let audit = server.actor(GLOBAL_ADMIN).await.get("/audit").await;
    assert!(audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "reset_blocked"));
}

async fn unlock_only_ends_the_lockout_and_keeps_the_password(backend: Backend) {
    let (server, delivery) = registered_adele(backend, &[]).await;
    let client = server.client();
    for _ in 0..10 {
        server
            .attempt_sign_in(&client, USER_IN_PILOT, "wrong")
            .await;
    }
    let locked = server
        .attempt_sign_in(&client, USER_IN_PILOT, rekey_server::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(locked.status(), 429);
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "unlock"})).await;
    let state = pass_email_gate(&reset, &delivery, "adele@home.example").await;
    assert_eq!(state["stage"], "ready_to_unlock");
    let r = reset
        .post(
            "/password",
            json!({"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(
        error_code(r, 403).await,
        "forbidden",
        "an unlock sets no password"
    );
    assert_eq!(
        json_of(reset.post("/unlock", json!({})).await, 200).await["stage"],
        "done"
    );
    let r = server
        .attempt_sign_in(&client, USER_IN_PILOT, rekey_server::seed::DEMO_PASSWORD)
        .await;
    assert_eq!(r.status(), 200, "unlocked with the same password");

    // With unlock turned off, flows go straight to reset.
    let admin = server.actor(GLOBAL_ADMIN).await;
    let mut methods = admin.get("/settings/sspr/methods").await["settings"].clone();
    methods["allow_unlock"] = json!(false);
    assert_eq!(
        admin.put("/settings/sspr/methods", methods).await.status(),
        200
    );
    let (reset, state) = begin(&server, USER_IN_PILOT).await;
    assert_eq!(state["stage"], "verify");
    let r = reset.post("/intent", json!({"intent": "unlock"})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
}

async fn the_puzzle_and_the_flow_token_are_required(backend: Backend) {
    let server = start_with(
        backend,
        &["--pow-difficulty", "4", "--reset-starts-per-client", "3"],
    )
    .await;
    let client = server.client();
    let challenge: Value = client
        .post(server.api("/reset/challenge"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let start = |nonce: String| {
        let body =
            json!({"sign_in_name": USER_IN_PILOT, "challenge_id": challenge["id"], "nonce": nonce});
        client.post(server.api("/reset")).json(&body).send()
    };
    let prefix = challenge["prefix"].as_str().unwrap();
    let nonce = rekey_core::pow::search(prefix, 4, 0, u64::MAX).unwrap();
    let unsolved = (0..nonce).next().map_or("x".to_string(), |n| n.to_string());
    let r = start(if nonce == 0 { "x".into() } else { unsolved })
        .await
        .unwrap();
    assert_eq!(
        json_of(r, 422).await["error"]["fields"][0]["rule"],
        "puzzle_unsolved"
    );
    let r = start(nonce.to_string()).await.unwrap();
    assert_eq!(
        json_of(r, 422).await["error"]["fields"][0]["rule"],
        "puzzle_unsolved",
        "one try per puzzle"
    );

    let r = client.get(server.api("/reset")).send().await.unwrap();
    assert_eq!(error_code(r, 410).await, "reset_expired");
    let r = client
        .get(server.api("/reset"))
        .header("x-reset-token", "forged")
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 410).await, "reset_expired");
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    sqlx::query("UPDATE reset_flows SET expires_at = 0")
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        error_code(reset.state().await, 410).await,
        "reset_expired",
        "15 minutes at most"
    );
    let r = client
        .post(server.api("/reset/challenge"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the third puzzle");
    let r = client
        .post(server.api("/reset/challenge"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_code(r, 429).await,
        "rate_limited",
        "three puzzles per client in ten minutes"
    );
}

async fn two_resets_of_one_user_cannot_both_commit(backend: Backend) {
    let (server, delivery) = registered_adele(backend, &[]).await;
    let (first, _) = begin(&server, USER_IN_PILOT).await;
    let (second, _) = begin(&server, USER_IN_PILOT).await;
    for reset in [&first, &second] {
        reset.post("/intent", json!({"intent": "reset"})).await;
        assert_eq!(
            pass_email_gate(reset, &delivery, "adele@home.example").await["stage"],
            "new_password"
        );
    }
    let body = json!({"password": NEW_PASSWORD, "confirm": NEW_PASSWORD});
    let (a, b) = tokio::join!(
        first.post("/password", body.clone()),
        second.post("/password", body)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
}

async fn questions_are_asked_at_random_and_a_wrong_answer_reselects(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &FAST).await;
    set_methods(&server, false, true).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let mut methods = admin.get("/settings/sspr/methods").await["settings"].clone();
    methods["questions_to_register"] = json!(5);
    assert_eq!(
        admin.put("/settings/sspr/methods", methods).await.status(),
        200
    );
    let adele = server.actor(USER_IN_PILOT).await;
    let answers: Vec<Value> = (1..=5)
        .map(|n| json!({"question_id": format!("builtin-0{n}"), "answer": format!("answer {n}")}))
        .collect();
    let r = adele
        .put(
            "/me/security-info/security_questions",
            json!({"answers": answers}),
        )
        .await;
    assert_eq!(r.status(), 200);
    drop(delivery);

    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    let started = json_of(
        reset
            .post("/gate", json!({"kind": "security_questions"}))
            .await,
        200,
    )
    .await;
    let asked: Vec<String> = started["state"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(asked.len(), 3);
    let answer = |ids: &[String], right: bool| {
        let answers: Vec<Value> = ids
            .iter()
            .map(|id| {
                let n = id.trim_start_matches("builtin-0");
                let text = if right {
                    format!(" ANSWER {n}")
                } else {
                    "nope nope".into()
                };
                json!({"question_id": id, "answer": text})
            })
            .collect();
        json!({"kind": "security_questions", "answers": answers})
    };
    let r = reset.post("/gate/verify", answer(&asked, false)).await;
    assert_eq!(error_code(r, 422).await, "verification_failed");
    assert_eq!(
        json_of(reset.state().await, 200).await["questions"],
        json!([]),
        "asked afresh"
    );
    let r = reset.post("/gate/verify", answer(&asked, true)).await;
    assert_eq!(
        error_code(r, 422).await,
        "code_expired",
        "old selection no longer counts"
    );
    let started = json_of(
        reset
            .post("/gate", json!({"kind": "security_questions"}))
            .await,
        200,
    )
    .await;
    let asked: Vec<String> = started["state"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect();
    let r = reset.post("/gate/verify", answer(&asked, true)).await;
    assert_eq!(json_of(r, 200).await["stage"], "new_password");
}

async fn the_organisation_password_policy_applies_to_resets(backend: Backend) {
    let (server, delivery) = registered_adele(backend, &[]).await;
    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let policy = json!({"min_length": 18, "custom_banned": ["tangerine", " Orbit "]});
    let r = helpdesk
        .put("/settings/password-policy", policy.clone())
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let admin = server.actor(PASSWORD_ADMIN).await;
    let r = admin
        .put(
            "/settings/password-policy",
            json!({"min_length": 7, "custom_banned": ["abc"]}),
        )
        .await;
    assert_eq!(
        json_of(r, 422).await["error"]["fields"],
        json!([
            {"field": "min_length", "rule": "out_of_range"},
            {"field": "custom_banned", "rule": "too_short"}
        ])
    );
    let r = admin.put("/settings/password-policy", policy).await;
    let saved = json_of(r, 200).await;
    assert_eq!(
        saved["settings"]["custom_banned"],
        json!(["tangerine", "Orbit"])
    );
    let audit = admin.get("/audit").await;
    assert_eq!(audit["items"][0]["action"], "password_policy_changed");

    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    let state = pass_email_gate(&reset, &delivery, "adele@home.example").await;
    assert_eq!(state["password_rules"]["policy"]["min_length"], 18);
    assert_eq!(
        state["password_rules"]["policy"]["custom_banned"],
        json!(["tangerine", "Orbit"])
    );
    let attempt = |password: &str| json!({"password": password, "confirm": password});
    let r = reset.post("/password", attempt(NEW_PASSWORD)).await;
    assert_eq!(
        json_of(r, 422).await["error"]["fields"][0]["rule"],
        "too_short"
    );
    let r = reset
        .post("/password", attempt("TangerineOrbit2026!"))
        .await;
    assert_eq!(
        json_of(r, 422).await["error"]["fields"][0]["rule"],
        "easy_to_guess",
        "banned term"
    );
    let r = reset
        .post("/password", attempt("Copper-Kite-Lantern-47"))
        .await;
    assert_eq!(json_of(r, 200).await["stage"], "done");
}

crate::on_both_databases!(
    a_user_resets_by_email_and_only_the_new_password_works,
    unknown_and_unregistered_users_see_the_same_flow,
    admins_need_two_gates_and_the_full_phone_number,
    wrong_codes_end_the_flow_and_repeated_failures_block_for_a_day,
    unlock_only_ends_the_lockout_and_keeps_the_password,
    the_puzzle_and_the_flow_token_are_required,
    two_resets_of_one_user_cannot_both_commit,
    questions_are_asked_at_random_and_a_wrong_answer_reselects,
    phone_app_and_question_checks_are_limited_per_hour,
    the_organisation_password_policy_applies_to_resets,
);
