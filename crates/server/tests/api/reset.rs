//! The public reset flow: a user who forgot their password gets back in; nobody learns
//! whether an account exists; every limit holds.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;
use crate::security_info::{register_email, server_with_delivery, set_methods, Delivery};

/// Easy puzzles and no resend wait, so tests run fast.
pub const FAST: [&str; 4] = ["--pow-difficulty", "4", "--code-resend-seconds", "0"];

/// An anonymous browser in a reset flow.
pub struct Reset {
    pub client: reqwest::Client,
    pub token: String,
    pub api: String,
}

impl Reset {
    /// The flow a start (`POST /reset`, `/reset/passkey`) answered, followed from `client`.
    pub fn of(server: &TestServer, client: reqwest::Client, started: &Value) -> Reset {
        Reset {
            client,
            token: started["token"].as_str().expect("a flow token").to_string(),
            api: server.api(""),
        }
    }

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

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.send(path, Some(body)).await
    }

    pub async fn state(&self) -> reqwest::Response {
        self.send("", None).await
    }
}

/// Solves a puzzle and starts a flow for `name`; the flow and its first state.
pub async fn begin(server: &TestServer, name: &str) -> (Reset, Value) {
    begin_as(server, server.client(), name).await
}

/// The same, from the browser `client`.
async fn begin_as(server: &TestServer, client: reqwest::Client, name: &str) -> (Reset, Value) {
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
    (
        Reset::of(server, client, &started),
        started["state"].clone(),
    )
}

pub async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(actual, status, "{body}");
    body
}

/// Passes the email gate with the code that arrived at `address`.
pub async fn pass_email_gate(reset: &Reset, delivery: &Delivery, address: &str) -> Value {
    let before = delivery.smtp.wait_for_count(address, 0).await.len();
    start_email_gate(reset, address).await;
    enter_emailed_code(reset, delivery, address, before + 1).await
}

/// Asks for a code by email to the whole `address` typed; the answer.
async fn start_email_gate(reset: &Reset, address: &str) -> Value {
    let r = reset
        .post("/gate", json!({"kind": "email", "email": address}))
        .await;
    json_of(r, 200).await
}

/// Enters the code of the newest email to `address`, once it holds `count` messages; the
/// state that follows.
async fn enter_emailed_code(
    reset: &Reset,
    delivery: &Delivery,
    address: &str,
    count: usize,
) -> Value {
    let messages = delivery.smtp.wait_for_count(address, count).await;
    let code = code_in(&messages[count - 1].data);
    let r = reset
        .post("/gate/verify", json!({"kind": "email", "code": code}))
        .await;
    json_of(r, 200).await
}

/// How many messages were ever queued for `recipient`.
async fn queued_for(server: &TestServer, recipient: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1")
        .bind(recipient)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

async fn registered_adele(backend: Backend, extra: &[&str]) -> (TestServer, Delivery) {
    let mut args = FAST.to_vec();
    args.extend(extra);
    let (server, delivery) = server_with_delivery(backend, &args).await;
    let adele = server.actor(USER_IN_PILOT).await;
    register_email(&adele, &delivery.smtp, "adele@home.example").await;
    (server, delivery)
}

pub const NEW_PASSWORD: &str = "Tangerine-Kite-47";

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
        json!([{"kind": "passkey", "hint": null}, {"kind": "mobile_phone", "hint": null},
            {"kind": "email", "hint": null}]),
        "the organisation's methods, as for any name"
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

/// Every answer before the first gate is passed, with what differs between any two flows
/// taken out (the token, the expiry, and which questions a random draw asked: each is checked
/// to be one of the organisation's own).
async fn answers_before_the_first_gate(
    server: &TestServer,
    name: &str,
    index: usize,
) -> Vec<Value> {
    // Each name from its own address, as an attacker spreading guesses would.
    let mut headers = reqwest::header::HeaderMap::new();
    let address = format!("10.0.{index}.1").parse().unwrap();
    headers.insert("x-forwarded-for", address);
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let (reset, first) = begin_as(server, client, name).await;
    let mut answers = vec![first];
    answers.push(json_of(reset.state().await, 200).await);
    answers.push(json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await);
    let options = answers[2]["options"].as_array().unwrap().clone();
    let bank = questions_bank();
    for option in options {
        let kind = option["kind"].as_str().unwrap();
        // The first letter and the last two digits are what a code's answer shows of them.
        let gate = json!({"kind": kind, "email": format!("s{index}@example.org"),
            "phone": format!("+1425555{index:02}00")});
        let r = reset.post("/gate", gate).await;
        let mut started = json_of(r, 200).await;
        // A passkey ceremony is random every time (so only its status is compared); any
        // passkey may answer it.
        let passkey = if kind == "passkey" {
            let r = reset.post("/gate/passkey", json!({})).await;
            let ceremony = json_of(r, 200).await;
            let mut key = crate::common::passkey::SoftPasskey::new("http://localhost:8080");
            Some(
                json!({"challenge_id": ceremony["challenge_id"], "credential": key.get(&ceremony["options"])}),
            )
        } else {
            None
        };
        let asked = std::mem::take(&mut started["state"]["questions"]);
        let asked = asked.as_array().unwrap();
        for question in asked {
            let id = question["id"].as_str().unwrap();
            assert!(bank.contains(&id.to_string()), "{name}: {id}");
            // Custom questions carry their text, built-in ones are translated by the page.
            let custom = id.starts_with("custom-");
            assert_eq!(question["text"].is_string(), custom, "{name}: {question}");
        }
        started["state"]["questions"] = json!(asked.len());
        answers.push(started);
        let answers_given: Vec<Value> = asked
            .iter()
            .map(|q| json!({"question_id": q["id"], "answer": "a guess"}))
            .collect();
        let code = if kind == "authenticator_app" {
            "000000"
        } else {
            "00000001"
        };
        let verify =
            json!({"kind": kind, "code": code, "answers": answers_given, "passkey": passkey});
        let r = reset.post("/gate/verify", verify).await;
        answers
            .push(json!({"status": r.status().as_u16(), "body": r.json::<Value>().await.unwrap()}));
    }
    for answer in &mut answers {
        if let Some(state) = answer.get_mut("state") {
            state["expires_at"] = json!(0);
        }
        if answer.get("expires_at").is_some() {
            answer["expires_at"] = json!(0);
        }
    }
    answers
}

/// The built-in questions and the organisation's one custom question.
fn questions_bank() -> Vec<String> {
    rekey_core::questions::BuiltInQuestion::all()
        .map(|q| q.id())
        .chain(["custom-0".to_string()])
        .collect()
}

/// Nothing a name's answers hold before the first gate is passed tells it from any other:
/// unknown, disabled, not covered, unregistered, registered with one, two or three methods,
/// every admin role, phones of several countries, email addresses of many domains. The full
/// content is compared, not only its shape.
async fn nothing_before_the_first_gate_tells_one_name_from_another(backend: Backend) {
    let mut args = FAST.to_vec();
    args.extend([
        "--trust-forwarded-for",
        "--reset-failures-per-day",
        "1000",
        "--reset-checks-per-hour",
        "1000",
    ]);
    let (server, delivery) = server_with_delivery(backend, &args).await;
    set_methods(&server, true, true).await;
    let global = server.actor(GLOBAL_ADMIN).await;
    let mut methods = global.get("/settings/sspr/methods").await["settings"].clone();
    methods["passkey"] = json!(true);
    assert_eq!(
        global.put("/settings/sspr/methods", methods).await.status(),
        200
    );
    register_email(&global, &delivery.smtp, "gadmin@outlook.com").await;
    let groups = global.get("/groups").await;
    let pilot = groups["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "SSPR pilot")
        .unwrap()["id"]
        .clone();
    let contact = |email: &str, phone: &str| {
        let mut body = json!({});
        if !email.is_empty() {
            body["email"] = json!(email);
        }
        if !phone.is_empty() {
            body["phone"] = json!(phone);
        }
        body
    };
    let create = |name: &str, groups: Value| json!({"sign_in_name": name, "display_name": "Someone", "group_ids": groups});
    // (sign-in name, in the pilot group, email, phone)
    let people = [
        (
            "one.method@contoso.example",
            true,
            "one@fabrikam-partner.example",
            "",
        ),
        (
            "two.methods@contoso.example",
            true,
            "two@mail.contoso.co.jp",
            "+8613800138000",
        ),
        ("uk.phone@contoso.example", true, "", "+442079460000"),
        (
            "de.phone@contoso.example",
            true,
            "de@web.de",
            "+4915123456789",
        ),
        (
            "au.phone@contoso.example",
            true,
            "au@bigpond.com.au",
            "+61412345678",
        ),
        (
            "disabled.person@contoso.example",
            true,
            "gone@contoso.example",
            "+12025550143",
        ),
        (
            "outside.scope@contoso.example",
            false,
            "out@yahoo.com",
            "+33612345678",
        ),
    ];
    for (name, in_pilot, email, phone) in people {
        let groups = if in_pilot { json!([pilot]) } else { json!([]) };
        let created = json_of(global.post("/users", create(name, groups)).await, 201).await;
        let id = created["user"]["id"].as_str().unwrap();
        let r = global
            .put(&format!("/users/{id}/contact-info"), contact(email, phone))
            .await;
        assert_eq!(r.status(), 200, "{name}");
        if name.starts_with("disabled") {
            let r = global
                .send(
                    reqwest::Method::PATCH,
                    &format!("/users/{id}"),
                    Some(json!({"enabled": false})),
                )
                .await;
            assert_eq!(r.status(), 200);
        }
    }
    // Three methods: questions (registered by Adele herself), email and phone.
    let adele = server.actor(USER_IN_PILOT).await;
    let questions = json!({"answers": [
        {"question_id": "builtin-01", "answer": "Fluffy"},
        {"question_id": "builtin-05", "answer": "Ace"},
        {"question_id": "custom-0", "answer": "Robo"},
    ]});
    let r = adele
        .put("/me/security-info/security_questions", questions)
        .await;
    assert_eq!(r.status(), 200);
    let adele_id = &adele.info.user.id;
    let r = global
        .put(
            &format!("/users/{adele_id}/contact-info"),
            contact("adele@icloud.com", "+14255550123"),
        )
        .await;
    assert_eq!(r.status(), 200);
    for (n, admin) in [PASSWORD_ADMIN, HELPDESK_ADMIN, USER_ADMIN, REPORTS_READER]
        .into_iter()
        .enumerate()
    {
        let id = global.get(&format!("/users?q={admin}")).await["items"][0]["id"].clone();
        let body = contact(
            &format!("admin{n}@gmail.com"),
            &format!("+4477009001{n:02}"),
        );
        let r = global
            .put(
                &format!("/users/{}/contact-info", id.as_str().unwrap()),
                body,
            )
            .await;
        assert_eq!(r.status(), 200, "{admin}");
    }
    let scope = json!({"scope": "selected", "group_id": pilot});
    assert_eq!(global.put("/settings/sspr", scope).await.status(), 200);

    let names = [
        "nobody@contoso.example",
        "Someone.Else@partner.example",
        "x",
        "one.method@contoso.example",
        "two.methods@contoso.example",
        "uk.phone@contoso.example",
        "de.phone@contoso.example",
        "au.phone@contoso.example",
        "disabled.person@contoso.example",
        "outside.scope@contoso.example",
        USER_OUTSIDE,
        USER_IN_NESTED,
        USER_IN_PILOT,
        GLOBAL_ADMIN,
        PASSWORD_ADMIN,
        HELPDESK_ADMIN,
        USER_ADMIN,
        REPORTS_READER,
    ];
    let expected = answers_before_the_first_gate(&server, names[0], 0).await;
    assert_eq!(expected[2]["gates_required"], 1);
    assert_eq!(
        expected.len(),
        3 + 2 * 5,
        "every method offered, started and failed"
    );
    for (index, name) in names.iter().enumerate().skip(1) {
        let answers = answers_before_the_first_gate(&server, name, index).await;
        assert_eq!(answers, expected, "{name}");
    }
    // Nothing went to any address or number on file.
    let queued: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE recipient LIKE '%example.org' OR recipient LIKE '+1425555%'",
    )
    .fetch_one(&server.state.db.pool)
    .await
    .unwrap();
    assert_eq!(queued, 0, "codes only go to an address on file");
}

/// With hints turned on, the organisation chose convenience: the account's own methods and
/// masked hints show, and the email is not typed.
async fn hints_show_the_account_when_the_organisation_turns_them_on(backend: Backend) {
    let (server, delivery) = registered_adele(backend, &[]).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let mut methods = admin.get("/settings/sspr/methods").await["settings"].clone();
    methods["reset_hints"] = json!(true);
    assert_eq!(
        admin.put("/settings/sspr/methods", methods).await.status(),
        200
    );
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    let state = json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await;
    assert_eq!(
        state["options"],
        json!([{"kind": "email", "hint": "a•••@home.example"}])
    );
    let r = reset.post("/gate", json!({"kind": "email"})).await;
    let started = json_of(r, 200).await;
    assert_eq!(started["code"]["destination"], "a•••@home.example");
    let state = enter_emailed_code(&reset, &delivery, "adele@home.example", 2).await;
    assert_eq!(state["stage"], "new_password");
}

/// The email gate without hints: the whole address typed, any case; the code goes only to the
/// address on file, and the answer is the same.
async fn the_email_code_goes_only_to_the_address_on_file(backend: Backend) {
    let (server, delivery) = registered_adele(backend, &[]).await;
    let (reset, _) = begin(&server, USER_IN_PILOT).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    let r = reset.post("/gate", json!({"kind": "email"})).await;
    assert_eq!(
        json_of(r, 422).await["error"]["fields"],
        json!([{"field": "email", "rule": "required"}])
    );
    let wrong = json!({"kind": "email", "email": "adele@elsewhere.example"});
    let wrong = json_of(reset.post("/gate", wrong).await, 200).await;
    let right = json!({"kind": "email", "email": " Adele@Home.example "});
    let right = json_of(reset.post("/gate", right).await, 200).await;
    assert_eq!(wrong["state"], right["state"]);
    assert_eq!(right["code"]["destination"], "a•••@home.example");
    let state = enter_emailed_code(&reset, &delivery, "adele@home.example", 2).await;
    assert_eq!(state["stage"], "new_password");
    assert_eq!(queued_for(&server, "adele@elsewhere.example").await, 0);
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
    assert_eq!(
        (&state["gates_required"], &state["options"]),
        (
            &json!(1),
            &json!([{"kind": "mobile_phone", "hint": null}, {"kind": "email", "hint": null},
                {"kind": "security_questions", "hint": null}])
        ),
        "before a gate is passed, an admin looks like anyone"
    );
    let state = pass_email_gate(&reset, &delivery, "hana@home.example").await;
    assert_eq!(state["stage"], "verify");
    assert_eq!(state["gates_required"], 2, "told once a gate is passed");
    assert_eq!(
        state["options"],
        json!([{"kind": "mobile_phone", "hint": null}]),
        "never questions for admins"
    );
    let r = reset
        .post(
            "/gate",
            json!({"kind": "email", "email": "adele@home.example"}),
        )
        .await;
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
    assert_eq!(queued_for(&server, "+14255550999").await, 0);
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
    assert_eq!(wrong["state"], right["state"]);
    assert_eq!(
        (&wrong["code"]["destination"], &right["code"]["destination"]),
        (&json!("+•••••••••99"), &json!("+•••••••••23")),
        "what was typed, masked"
    );
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
    assert_eq!(
        state["options"][1]["kind"], "mobile_phone",
        "after passkeys"
    );
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
    start_email_gate(&reset, "adele@home.example").await;
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
    start_email_gate(&reset, "adele@home.example").await;
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
    let r = reset
        .post(
            "/gate",
            json!({"kind": "email", "email": "adele@home.example"}),
        )
        .await;
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
    // Each wrong code is on record: the method and why, never the code.
    let admin = server.actor(GLOBAL_ADMIN).await;
    let failed = admin.get("/audit?action=proof_failed&per_page=100").await;
    let failed = failed["items"].as_array().unwrap();
    assert_eq!(failed.len(), 7, "five, then two, the seventh blocking");
    for event in failed {
        assert_eq!(event["target"], USER_IN_PILOT);
        assert_eq!(event["outcome"], "failure");
        assert_eq!(
            event["new_value"],
            json!({"flow": "reset", "method": "email", "reason": "wrong_code"})
        );
        assert!(!event.to_string().contains("00000001"));
    }
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
    // Adele hears of it at her sign-in address and her alternate one, with the way forward.
    for address in [USER_IN_PILOT, "adele@home.example"] {
        let notice = delivery
            .smtp
            .wait_for_text(address, "was locked after too many failed sign-ins")
            .await;
        let notice = crate::common::smtp_sink::quoted_printable_decoded(&notice.data);
        assert!(notice.contains("/reset"), "{notice}");
        assert!(
            notice.contains("I know my password, but can't sign in"),
            "{notice}"
        );
    }
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

    // Adele heard of both, at her sign-in address and her alternate one, with the way forward.
    for address in [USER_IN_PILOT, "adele@home.example"] {
        let locked = delivery
            .smtp
            .wait_for_text(address, "was locked after too many failed sign-ins")
            .await
            .data;
        assert!(locked.contains("/reset"), "{locked}");
        assert!(
            locked.contains("I know my password, but can't sign in"),
            "{locked}"
        );
        delivery
            .smtp
            .wait_for_text(address, "was unlocked at")
            .await;
    }
    let admin = server.actor(GLOBAL_ADMIN).await;
    let refused = admin.get("/audit?action=sign_in_refused_locked").await;
    assert_eq!(refused["items"][0]["target"], USER_IN_PILOT, "{refused}");
    let unlocked = admin.get("/audit?action=account_unlocked_self").await;
    assert_eq!(
        unlocked["items"][0]["new_value"]["methods"],
        json!(["email"])
    );

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
    nothing_before_the_first_gate_tells_one_name_from_another,
    hints_show_the_account_when_the_organisation_turns_them_on,
    the_email_code_goes_only_to_the_address_on_file,
    admins_need_two_gates_and_the_full_phone_number,
    wrong_codes_end_the_flow_and_repeated_failures_block_for_a_day,
    unlock_only_ends_the_lockout_and_keeps_the_password,
    the_puzzle_and_the_flow_token_are_required,
    two_resets_of_one_user_cannot_both_commit,
    questions_are_asked_at_random_and_a_wrong_answer_reselects,
    phone_app_and_question_checks_are_limited_per_hour,
    the_organisation_password_policy_applies_to_resets,
);
