//! Users registering their security info: codes by real email and real HTTP SMS, the
//! authenticator app, security questions, proof before changes, and the limits on all of it.

use reqwest::Method;
use serde_json::{json, Value};
use sqlx::Row;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::common::sms_receiver::SmsReceiver;
use crate::common::smtp_sink::SmtpSink;
use crate::common::*;

pub struct Delivery {
    pub smtp: SmtpSink,
    pub sms: SmsReceiver,
}

/// A server delivering to a local SMTP sink and SMS receiver, with self-service reset on for
/// everyone.
pub async fn server_with_delivery(backend: Backend, extra: &[&str]) -> (TestServer, Delivery) {
    let (delivery, mut args) = delivery().await;
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = start_with(backend, &args).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let r = admin.put("/settings/sspr", json!({"scope": "all"})).await;
    assert_eq!(r.status(), 200);
    (server, delivery)
}

/// A local SMTP sink and SMS receiver, and the server flags that deliver to them.
pub async fn delivery() -> (Delivery, Vec<String>) {
    let smtp = SmtpSink::start().await;
    let sms = SmsReceiver::start().await;
    let args = [
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &smtp.port.to_string(),
        "--smtp-tls",
        "none",
        "--sms-provider",
        "webhook",
        "--sms-url",
        &format!("{}/sms", sms.url),
        "--sms-token",
        "t0ken",
        "--org-name",
        "Contoso",
    ]
    .map(String::from)
    .to_vec();
    (Delivery { smtp, sms }, args)
}

/// Turns methods on or off (1 required, 3 questions; passkeys off).
pub async fn set_methods(server: &TestServer, app: bool, questions: bool) {
    let admin = server.actor(GLOBAL_ADMIN).await;
    let body = json!({
        "methods_required": 1, "email": true, "mobile_phone": true,
        "authenticator_app": app, "security_questions": questions,
        "questions_to_register": 3, "questions_to_reset": 3,
        "custom_questions": ["Name of your first robot?"],
        // Passkeys have tests of their own (passkeys.rs).
        "passkey": false
    });
    let r = admin.put("/settings/sspr/methods", body).await;
    assert_eq!(r.status(), 200);
}

async fn body(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

/// Registers an alternate email with the code that really arrived; returns the info.
pub async fn register_email(user: &Actor, smtp: &SmtpSink, address: &str) -> Value {
    let before = smtp_count(smtp, address).await;
    let r = user
        .post(
            "/me/security-info/email/send",
            json!({"destination": address}),
        )
        .await;
    let status = r.status();
    assert_eq!(status, 202, "{}", r.text().await.unwrap_or_default());
    let messages = smtp.wait_for_count(address, before + 1).await;
    let code = code_in(&messages[before].data);
    let r = user
        .post("/me/security-info/email/verify", json!({"code": code}))
        .await;
    body(r, 200).await
}

async fn smtp_count(smtp: &SmtpSink, address: &str) -> usize {
    // Messages already there (no waiting for more than none).
    smtp.wait_for_count(address, 0).await.len()
}

fn kinds(info: &Value) -> Vec<String> {
    info["methods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn an_email_is_registered_with_the_code_that_arrived(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &[]).await;
    let user = server.actor(USER_IN_PILOT).await;
    assert_eq!(
        user.info.user.registration_due,
        Some(rekey_core::security_info::RegistrationReason::Missing)
    );
    let info = user.get("/me/security-info").await;
    assert_eq!(
        info["proof_needed"], false,
        "nothing held, nothing to prove"
    );
    assert_eq!(info["methods"], json!([]));
    assert_eq!(info["policy"]["required"], 1);

    let r = user
        .post(
            "/me/security-info/email/send",
            json!({"destination": " adele@home.example "}),
        )
        .await;
    let sent = body(r, 202).await;
    assert_eq!(sent["destination"], "adele@home.example");
    assert_eq!(sent["expires_in_seconds"], 300);
    let message = delivery.smtp.wait_for("adele@home.example").await;
    assert!(
        message.data.contains("Subject: Contoso verification code"),
        "{}",
        message.data
    );
    let code = code_in(&message.data);

    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    let r = user
        .post("/me/security-info/email/verify", json!({"code": wrong}))
        .await;
    let error = body(r, 422).await;
    assert_eq!(error["error"]["code"], "verification_failed");
    assert_eq!(error["error"]["attempts_remaining"], 4);
    let r = user
        .post("/me/security-info/email/verify", json!({"code": "12ab"}))
        .await;
    assert_eq!(body(r, 422).await["error"]["fields"][0]["rule"], "not_code");

    let r = user
        .post("/me/security-info/email/verify", json!({"code": code}))
        .await;
    let info = body(r, 200).await;
    assert_eq!(kinds(&info), ["email"]);
    assert_eq!(info["methods"][0]["display"], "adele@home.example");
    assert_eq!(info["due"], Value::Null);
    // Single use.
    let r = user
        .post("/me/security-info/email/verify", json!({"code": code}))
        .await;
    assert_eq!(error_code(r, 422).await, "code_expired");
    let session = user.get("/session").await;
    assert_eq!(session["user"]["registration_due"], Value::Null);

    // Audited without the address; the delivered message no longer holds the code.
    let admin = server.actor(GLOBAL_ADMIN).await;
    let audit = admin.get("/audit").await;
    let event = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "security_info_changed")
        .expect("audited")
        .clone();
    assert_eq!(event["target"], USER_IN_PILOT);
    assert_eq!(
        event["new_value"],
        json!({"method": "email", "change": "added", "by_admin": false})
    );
    assert!(!event.to_string().contains("home.example"));
    let pool = &server.state.db.pool;
    let rows = sqlx::query("SELECT body_text FROM outbox WHERE recipient = $1")
        .bind("adele@home.example")
        .fetch_all(pool)
        .await
        .unwrap();
    for row in rows {
        let text: String = row.try_get("body_text").unwrap();
        assert!(!text.contains(&code));
    }
    let stored: String = sqlx::query_scalar("SELECT code_hash FROM verification_codes")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(!stored.contains(&code));
}

async fn codes_are_bound_to_their_session_and_die_after_five_wrong_tries(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &["--code-resend-seconds", "0"]).await;
    let user = server.actor(USER_IN_PILOT).await;
    let other_session = server.actor(USER_IN_PILOT).await;
    let r = user
        .post(
            "/me/security-info/email/send",
            json!({"destination": "a@home.example"}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let code = code_in(&delivery.smtp.wait_for("a@home.example").await.data);
    let r = other_session
        .post("/me/security-info/email/verify", json!({"code": code}))
        .await;
    assert_eq!(
        error_code(r, 422).await,
        "code_expired",
        "another session's code"
    );
    let r = user
        .post(
            "/me/security-info/mobile_phone/verify",
            json!({"code": code}),
        )
        .await;
    assert_eq!(
        error_code(r, 422).await,
        "code_expired",
        "another purpose's code"
    );

    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };
    for remaining in (0..5).rev() {
        let r = user
            .post("/me/security-info/email/verify", json!({"code": wrong}))
            .await;
        let error = body(r, 422).await;
        assert_eq!(error["error"]["attempts_remaining"], remaining);
    }
    let r = user
        .post("/me/security-info/email/verify", json!({"code": code}))
        .await;
    assert_eq!(error_code(r, 422).await, "code_expired", "exhausted");

    // A new code replaces the old one.
    let r = user
        .post(
            "/me/security-info/email/send",
            json!({"destination": "a@home.example"}),
        )
        .await;
    assert_eq!(r.status(), 202);
    let messages = delivery.smtp.wait_for_count("a@home.example", 2).await;
    let second = code_in(&messages[1].data);
    let r = user
        .post("/me/security-info/email/verify", json!({"code": second}))
        .await;
    assert_eq!(r.status(), 200);
}

async fn code_sends_are_limited(backend: Backend) {
    let (server, _delivery) = server_with_delivery(backend, &[]).await;
    let user = server.actor(USER_IN_PILOT).await;
    let send = |to: &'static str| {
        let user = &user;
        async move {
            user.post("/me/security-info/email/send", json!({"destination": to}))
                .await
        }
    };
    assert_eq!(send("x@home.example").await.status(), 202);
    let r = send("x@home.example").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["error"]["code"], "rate_limited");
    let wait = error["error"]["retry_after_seconds"].as_u64().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");

    // Ten codes per user in ten minutes, whatever the destination.
    let destinations = [
        "b@home.example",
        "c@home.example",
        "d@home.example",
        "e@home.example",
        "f@home.example",
        "g@home.example",
        "h@home.example",
        "i@home.example",
        "j@home.example",
    ];
    for to in destinations {
        assert_eq!(send(to).await.status(), 202, "{to}");
    }
    assert_eq!(
        error_code(send("k@home.example").await, 429).await,
        "rate_limited"
    );

    // Ten per destination, whoever asks (without the cooldown, to count quickly).
    let (server, _delivery) = server_with_delivery(backend, &["--code-resend-seconds", "0"]).await;
    let mut users = Vec::new();
    for name in [
        USER_IN_NESTED,
        USER_OUTSIDE,
        "diego.siciliani@contoso.example",
        "lee.gu@contoso.example",
    ] {
        users.push(server.actor(name).await);
    }
    let mut accepted = 0;
    for _ in 0..3 {
        for actor in &users {
            let r = actor
                .post(
                    "/me/security-info/email/send",
                    json!({"destination": "shared@home.example"}),
                )
                .await;
            if r.status() == 202 {
                accepted += 1;
            }
        }
    }
    assert_eq!(
        accepted, 10,
        "at most ten codes to one address in ten minutes"
    );
}

async fn a_phone_must_be_e164_and_is_verified_by_a_texted_code(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &[]).await;
    let user = server.actor(USER_IN_PILOT).await;
    for bad in ["07700 900123", "+0 123 456 789", "call me"] {
        let r = user
            .post(
                "/me/security-info/mobile_phone/send",
                json!({"destination": bad}),
            )
            .await;
        let error = body(r, 422).await;
        assert_eq!(error["error"]["fields"][0]["rule"], "not_phone", "{bad}");
    }
    let r = user
        .post(
            "/me/security-info/mobile_phone/send",
            json!({"destination": "+44 7700 900123", "lang": "zh-CN"}),
        )
        .await;
    assert_eq!(body(r, 202).await["destination"], "+447700900123");
    let texts = delivery.sms.wait_for("+447700900123", 1).await;
    assert_eq!(texts[0].authorization, "Bearer t0ken");
    assert!(
        texts[0].body.contains("验证码"),
        "in the asked language: {}",
        texts[0].body
    );
    let code: String = texts[0]
        .body
        .chars()
        .filter(char::is_ascii_digit)
        .take(8)
        .collect();
    let r = user
        .post(
            "/me/security-info/mobile_phone/verify",
            json!({"code": code}),
        )
        .await;
    let info = body(r, 200).await;
    assert_eq!(kinds(&info), ["mobile_phone"]);
    assert_eq!(info["methods"][0]["display"], "+447700900123");
}

fn app_code(secret: &str, at: u64) -> String {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().unwrap();
    TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new()).generate(at)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn an_authenticator_counts_after_one_valid_code_and_no_code_works_twice(backend: Backend) {
    let (server, _delivery) = server_with_delivery(backend, &[]).await;
    let user = server.actor(USER_IN_PILOT).await;
    let r = user
        .post("/me/security-info/authenticator_app/start", json!({}))
        .await;
    assert_eq!(
        error_code(r, 403).await,
        "forbidden",
        "the app is off by default"
    );
    set_methods(&server, true, false).await;

    let enrolment = body(
        user.post("/me/security-info/authenticator_app/start", json!({}))
            .await,
        200,
    )
    .await;
    let secret = enrolment["secret"].as_str().unwrap().to_string();
    let uri = enrolment["uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Contoso:adele.vance"),
        "{uri}"
    );
    assert!(uri.contains(&format!("secret={secret}")));
    assert_eq!(
        kinds(&user.get("/me/security-info").await),
        Vec::<String>::new(),
        "pending does not count"
    );

    let stored: String = sqlx::query_scalar("SELECT value FROM auth_methods")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert!(!stored.contains(&secret), "sealed at rest");

    let now = unix_now();
    let r = user
        .post(
            "/me/security-info/authenticator_app/verify",
            json!({"code": app_code(&secret, now + 300)}),
        )
        .await;
    assert_eq!(error_code(r, 422).await, "verification_failed");
    let code = app_code(&secret, now);
    let r = user
        .post(
            "/me/security-info/authenticator_app/verify",
            json!({"code": code}),
        )
        .await;
    assert_eq!(kinds(&body(r, 200).await), ["authenticator_app"]);

    // A new session must prove itself; the code already used does not work again.
    let later = server.actor(USER_IN_PILOT).await;
    let info = later.get("/me/security-info").await;
    assert_eq!(info["proof_needed"], true);
    let r = later.delete("/me/security-info/authenticator_app").await;
    assert_eq!(error_code(r, 403).await, "proof_required");
    let r = later
        .post(
            "/me/security-info/proof",
            json!({"kind": "authenticator_app", "code": code}),
        )
        .await;
    assert_eq!(
        error_code(r, 422).await,
        "code_reused",
        "right, but each code works once"
    );
    let next = app_code(&secret, now + 30);
    let r = later
        .post(
            "/me/security-info/proof",
            json!({"kind": "authenticator_app", "code": next}),
        )
        .await;
    assert_eq!(r.status(), 204);
    let r = later.delete("/me/security-info/authenticator_app").await;
    assert_eq!(kinds(&body(r, 200).await), Vec::<String>::new());
}

fn answers(texts: [&str; 3]) -> Value {
    json!({"answers": [
        {"question_id": "builtin-01", "answer": texts[0]},
        {"question_id": "builtin-05", "answer": texts[1]},
        {"question_id": "custom-0", "answer": texts[2]},
    ]})
}

async fn security_answers_are_checked_hashed_and_never_shown(backend: Backend) {
    let (server, _delivery) = server_with_delivery(backend, &[]).await;
    set_methods(&server, false, true).await;
    let user = server.actor(USER_IN_PILOT).await;
    let path = "/me/security-info/security_questions";
    let r = user
        .put(path, answers(["Fluffy", "  FLUFFY ", "Robo"]))
        .await;
    let fields = body(r, 422).await["error"]["fields"].clone();
    assert_eq!(
        fields,
        json!([{"field": "answers[1].answer", "rule": "answer_reused"}])
    );
    let r = user.put(path, json!({"answers": []})).await;
    assert_eq!(
        body(r, 422).await["error"]["fields"][0]["rule"],
        "wrong_count"
    );

    let r = user.put(path, answers(["Fluffy", "Ace", "Robo Ⅻ"])).await;
    let info = body(r, 200).await;
    assert_eq!(kinds(&info), ["security_questions"]);
    assert_eq!(
        info["registered_questions"],
        json!([
            {"id": "builtin-01", "text": null},
            {"id": "builtin-05", "text": null},
            {"id": "custom-0", "text": "Name of your first robot?"}
        ])
    );
    assert!(!info.to_string().contains("Fluffy"));
    let hashes: Vec<String> = sqlx::query_scalar("SELECT answer_hash FROM security_answers")
        .fetch_all(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 3);
    assert!(hashes
        .iter()
        .all(|h| h.starts_with("$argon2id$") && !h.contains("luffy")));

    // Proof with questions: normalised answers match, a wrong one fails the whole proof.
    let later = server.actor(USER_IN_PILOT).await;
    let proof = |texts: [&str; 3]| {
        let mut body = answers(texts);
        body["kind"] = json!("security_questions");
        body
    };
    let r = later
        .post("/me/security-info/proof", proof(["fluffy", "ace", "wrong"]))
        .await;
    assert_eq!(error_code(r, 422).await, "verification_failed");
    let r = later
        .post(
            "/me/security-info/proof",
            proof([" FLUFFY", "ACE ", "robo xii"]),
        )
        .await;
    assert_eq!(r.status(), 204, "NFKC folds Ⅻ to xii");
    // Proved, the user removes them at their own address (which the schemathesis run found
    // answering 405: the static path had only PUT).
    let r = later.delete(path).await;
    assert_eq!(kinds(&body(r, 200).await), Vec::<String>::new());
    assert_eq!(error_code(later.delete(path).await, 404).await, "not_found");

    // Admins never use security questions.
    let admin = server.actor(HELPDESK_ADMIN).await;
    let r = admin.put(path, answers(["one", "two", "three"])).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    assert_eq!(
        admin.get("/me/security-info").await["policy"]["required"],
        2
    );
}

async fn changes_need_proof_and_failed_proofs_are_throttled(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &["--code-resend-seconds", "0"]).await;
    let first = server.actor(USER_IN_PILOT).await;
    register_email(&first, &delivery.smtp, "adele@home.example").await;

    let user = server.actor(USER_IN_PILOT).await;
    let info = user.get("/me/security-info").await;
    assert_eq!(info["proof_needed"], true);
    assert_eq!(
        info["methods"][0]["display"], "a•••@home.example",
        "masked until proved"
    );
    let r = user
        .post(
            "/me/security-info/email/send",
            json!({"destination": "new@home.example"}),
        )
        .await;
    assert_eq!(error_code(r, 403).await, "proof_required");
    let r = user.delete("/me/security-info/email").await;
    assert_eq!(error_code(r, 403).await, "proof_required");
    let r = user
        .post(
            "/me/security-info/proof/send",
            json!({"kind": "mobile_phone"}),
        )
        .await;
    assert_eq!(error_code(r, 404).await, "not_found");

    let r = user
        .post("/me/security-info/proof/send", json!({"kind": "email"}))
        .await;
    assert_eq!(body(r, 202).await["destination"], "a•••@home.example");
    let messages = delivery.smtp.wait_for_count("adele@home.example", 2).await;
    let code = code_in(&messages[1].data);
    let r = user
        .post(
            "/me/security-info/proof",
            json!({"kind": "email", "code": code}),
        )
        .await;
    assert_eq!(r.status(), 204);
    let info = user.get("/me/security-info").await;
    assert_eq!(info["proof_needed"], false);
    assert_eq!(info["methods"][0]["display"], "adele@home.example");
    let r = user.delete("/me/security-info/email").await;
    assert_eq!(body(r, 200).await["methods"], json!([]));
    let r = user.delete("/me/security-info/email").await;
    assert_eq!(error_code(r, 404).await, "not_found");

    // Five failed proofs block proofs for a while.
    let again = server.actor(USER_IN_PILOT).await;
    register_email(&again, &delivery.smtp, "adele@home.example").await;
    let blocked = server.actor(USER_IN_PILOT).await;
    let r = blocked
        .post("/me/security-info/proof/send", json!({"kind": "email"}))
        .await;
    assert_eq!(r.status(), 202);
    let mut last = 0;
    for _ in 0..5 {
        let r = blocked
            .post(
                "/me/security-info/proof",
                json!({"kind": "email", "code": "00000000"}),
            )
            .await;
        last = r.status().as_u16();
    }
    assert_eq!(last, 429);
    let r = blocked
        .post("/me/security-info/proof/send", json!({"kind": "email"}))
        .await;
    assert_eq!(error_code(r, 429).await, "rate_limited");
}

async fn the_sign_in_wizard_follows_the_policy(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &[]).await;
    let due = |actor: &Actor| actor.info.user.registration_due;
    use rekey_core::security_info::RegistrationReason::{Missing, Reconfirm};
    let admin = server.actor(GLOBAL_ADMIN).await;
    let r = admin.put("/settings/sspr", json!({"scope": "none"})).await;
    assert_eq!(r.status(), 200);
    let before = server.actor(USER_IN_PILOT).await;
    assert_eq!(due(&before), None, "reset is off for them");
    let r = admin.put("/settings/sspr", json!({"scope": "all"})).await;
    assert_eq!(r.status(), 200);

    assert_eq!(
        before.get("/session").await["user"]["registration_due"],
        Value::Null,
        "a policy change waits for the next sign-in"
    );
    let user = server.actor(USER_IN_PILOT).await;
    assert_eq!(due(&user), Some(Missing));
    assert!(user.info.user.registration_can_skip);
    let r = user.post("/me/security-info/skip", json!({})).await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        user.get("/session").await["user"]["registration_due"],
        Value::Null
    );
    assert_eq!(
        due(&server.actor(USER_IN_PILOT).await),
        Some(Missing),
        "asked again"
    );

    let r = admin
        .put(
            "/settings/sspr/registration",
            json!({"require_registration": true, "reconfirm_days": 30, "allow_skip": false}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let user = server.actor(USER_IN_PILOT).await;
    assert!(!user.info.user.registration_can_skip);
    let r = user.post("/me/security-info/skip", json!({})).await;
    assert_eq!(error_code(r, 403).await, "forbidden");

    register_email(&user, &delivery.smtp, "adele@home.example").await;
    assert_eq!(due(&server.actor(USER_IN_PILOT).await), None);
    sqlx::query("UPDATE users SET info_confirmed_at = info_confirmed_at - 31 * 86400")
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    let stale = server.actor(USER_IN_PILOT).await;
    assert_eq!(due(&stale), Some(Reconfirm));
    let r = stale.post("/me/security-info/confirm", json!({})).await;
    assert_eq!(body(r, 200).await["due"], Value::Null);
    assert_eq!(due(&server.actor(USER_IN_PILOT).await), None);

    // Admins need two methods: one email is not enough for them.
    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    register_email(&helpdesk, &delivery.smtp, "helpdesk@home.example").await;
    assert_eq!(due(&server.actor(HELPDESK_ADMIN).await), Some(Missing));

    let r = admin
        .put(
            "/settings/sspr/registration",
            json!({"require_registration": false, "reconfirm_days": 30, "allow_skip": false}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        due(&server.actor(HELPDESK_ADMIN).await),
        None,
        "not asked at sign-in"
    );
}

async fn admins_prefill_contact_info_and_see_registration(backend: Backend) {
    let (server, _delivery) = server_with_delivery(backend, &[]).await;
    let users = server.actor(GLOBAL_ADMIN).await.get("/users?q=megan").await;
    let megan = users["items"][0].clone();
    assert_eq!(
        megan["registration"],
        json!({"registered": false, "methods": [], "updated_at": null})
    );
    let id = megan["id"].as_str().unwrap().to_string();
    let path = format!("/users/{id}/contact-info");

    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let r = helpdesk
        .put(&path, json!({"email": "m@home.example"}))
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let user_admin = server.actor("user.admin@contoso.example").await;
    let r = user_admin.put(&path, json!({"phone": "12345"})).await;
    assert_eq!(body(r, 422).await["error"]["fields"][0]["field"], "phone");
    let r = user_admin
        .put(
            &path,
            json!({"email": " m@home.example ", "phone": "+1 425 555 0100"}),
        )
        .await;
    assert_eq!(
        body(r, 200).await,
        json!({"email": "m@home.example", "phone": "+14255550100"})
    );
    let users = user_admin.get("/users?q=megan").await;
    let registration = &users["items"][0]["registration"];
    assert_eq!(registration["registered"], true);
    assert_eq!(registration["methods"], json!(["mobile_phone", "email"]));

    let megan = server.actor(USER_OUTSIDE).await;
    // Registered by the admin, so not missing; asked to review what was filled in.
    assert_eq!(
        megan.info.user.registration_due,
        Some(rekey_core::security_info::RegistrationReason::Reconfirm)
    );
    let info = megan.get("/me/security-info").await;
    assert_eq!(info["methods"][0]["set_by_admin"], true);
    assert_eq!(
        info["proof_needed"], true,
        "admin-filled methods count as held"
    );

    let r = user_admin.put(&path, json!({"email": ""})).await;
    assert_eq!(
        body(r, 200).await,
        json!({"email": null, "phone": "+14255550100"})
    );
    let audit = server.actor(GLOBAL_ADMIN).await.get("/audit").await;
    let changes: Vec<&Value> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "security_info_changed")
        .collect();
    assert_eq!(changes.len(), 3);
    assert!(changes
        .iter()
        .all(|e| e["actor"] == "user.admin@contoso.example"
            && e["target"] == USER_OUTSIDE
            && e["new_value"]["by_admin"] == true));
    let r = user_admin
        .send(Method::GET, "/users/nope/contact-info", None)
        .await;
    assert_eq!(error_code(r, 404).await, "not_found");
    // Out of scope: a User admin cannot redirect a Global admin's resets.
    let global = user_admin.get("/users?role=global_admin").await;
    let global_id = global["items"][0]["id"].as_str().unwrap();
    let r = user_admin
        .put(
            &format!("/users/{global_id}/contact-info"),
            json!({"email": "attacker@evil.example"}),
        )
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");
}

async fn test_texts_go_through_either_provider(backend: Backend) {
    let (server, delivery) = server_with_delivery(backend, &[]).await;
    let admin = server.actor(PASSWORD_ADMIN).await;
    assert_eq!(
        admin.get("/settings/sms").await,
        json!({"configured": true, "provider": "webhook"})
    );
    let r = admin
        .post("/settings/sms/test", json!({"to": "not a phone"}))
        .await;
    assert_eq!(error_code(r, 422).await, "validation_failed");
    let r = admin
        .post("/settings/sms/test", json!({"to": "+1 425 555 0199"}))
        .await;
    assert_eq!(r.status(), 202);
    let texts = delivery.sms.wait_for("+14255550199", 1).await;
    assert!(texts[0].body.starts_with("Contoso: this is a test message"));
    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let r = helpdesk
        .post("/settings/sms/test", json!({"to": "+14255550199"}))
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");

    // Twilio-compatible: a form post with basic auth to the Messages resource.
    let twilio = SmsReceiver::start().await;
    let server = start_with(
        backend,
        &[
            "--sms-provider",
            "twilio",
            "--sms-url",
            &twilio.url,
            "--sms-account",
            "AC123",
            "--sms-token",
            "secret",
            "--sms-from",
            "+15550000000",
        ],
    )
    .await;
    let admin = server.actor(PASSWORD_ADMIN).await;
    let r = admin
        .post("/settings/sms/test", json!({"to": "+14255550199"}))
        .await;
    assert_eq!(r.status(), 202);
    let texts = twilio.wait_for("+14255550199", 1).await;
    assert_eq!(
        texts[0].form.get("From").map(String::as_str),
        Some("+15550000000")
    );
    // "AC123:secret" in base64.
    assert_eq!(texts[0].authorization, "Basic QUMxMjM6c2VjcmV0");
}

crate::on_both_databases!(
    an_email_is_registered_with_the_code_that_arrived,
    codes_are_bound_to_their_session_and_die_after_five_wrong_tries,
    code_sends_are_limited,
    a_phone_must_be_e164_and_is_verified_by_a_texted_code,
    an_authenticator_counts_after_one_valid_code_and_no_code_works_twice,
    security_answers_are_checked_hashed_and_never_shown,
    changes_need_proof_and_failed_proofs_are_throttled,
    the_sign_in_wizard_follows_the_policy,
    admins_prefill_contact_info_and_see_registration,
    test_texts_go_through_either_provider,
);
