//! Passkeys: registered in security info, used to start a reset with no name typed and as a
//! gate of a reset begun with a name; ceremonies single-use, bound and short-lived; a passkey
//! that is not right gets one answer, and a cloned one is refused and audited.

use serde_json::{json, Value};

use crate::common::passkey::SoftPasskey;
use crate::common::*;
use crate::reset::{begin, json_of, Reset, FAST};

const ORIGIN: &str = "http://localhost:8080";

/// A server whose public URL names a domain (passkeys need one), reset on for everyone, and
/// passkeys allowed beside email with `required` methods.
async fn passkey_server(backend: Backend, required: u8, alone: bool) -> TestServer {
    let mut args = FAST.to_vec();
    args.extend(["--public-url", ORIGIN]);
    let server = start_with(backend, &args).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    assert_eq!(
        admin
            .put("/settings/sspr", json!({"scope": "all"}))
            .await
            .status(),
        200
    );
    let methods = json!({
        "methods_required": required, "email": true, "mobile_phone": true,
        "authenticator_app": false, "security_questions": required == 2,
        "questions_to_register": 3, "questions_to_reset": 3,
        "passkey": true, "passkey_alone": alone,
    });
    let r = admin.put("/settings/sspr/methods", methods).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    server
}

/// Starts a public ceremony (`path`) from the browser `client`; its options.
async fn ceremony(client: &reqwest::Client, server: &TestServer, path: &str) -> Value {
    let r = client.post(server.api(path)).send().await.unwrap();
    json_of(r, 200).await
}

/// Posts `body` to a public endpoint from the browser `client`.
async fn send(
    client: &reqwest::Client,
    server: &TestServer,
    path: &str,
    body: &Value,
) -> reqwest::Response {
    client
        .post(server.api(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// The signed-in `user` proves it is them with `key`; the answer.
async fn prove(user: &Actor, key: &mut SoftPasskey) -> reqwest::Response {
    let started = json_of(
        user.post("/me/security-info/proof/passkey", json!({}))
            .await,
        200,
    )
    .await;
    let body = json!({"kind": "passkey", "passkey": {"challenge_id": started["challenge_id"], "credential": key.get(&started["options"])}});
    user.post("/me/security-info/proof", body).await
}

/// Starts adding a passkey for the signed-in `user`; the ceremony.
async fn registration(user: &Actor) -> Value {
    json_of(
        user.post("/me/security-info/passkey/start", json!({}))
            .await,
        200,
    )
    .await
}

/// Adds a passkey named `name` for the signed-in `user`; the security info that follows.
async fn add_passkey(user: &Actor, key: &mut SoftPasskey, name: &str) -> Value {
    let started = registration(user).await;
    let credential = key.create(&started["options"]);
    let body =
        json!({"challenge_id": started["challenge_id"], "credential": credential, "name": name});
    json_of(
        user.post("/me/security-info/passkey/verify", body).await,
        200,
    )
    .await
}

/// Runs a reset started with a passkey: the options, then the answer `key` gives.
async fn reset_with(server: &TestServer, key: &mut SoftPasskey) -> reqwest::Response {
    let client = server.client();
    let started = ceremony(&client, server, "/reset/passkey/start").await;
    let body = json!({"challenge_id": started["challenge_id"], "credential": key.get(&started["options"])});
    send(&client, server, "/reset/passkey", &body).await
}

async fn audit_of(server: &TestServer, action: &str) -> Vec<Value> {
    let admin = server.actor(GLOBAL_ADMIN).await;
    let page = admin.get(&format!("/audit?action={action}")).await;
    page["items"].as_array().cloned().unwrap_or_default()
}

async fn a_user_adds_names_renames_and_removes_passkeys(backend: Backend) {
    let server = passkey_server(backend, 1, false).await;
    let user = server.actor(USER_IN_PILOT).await;
    let mut phone = SoftPasskey::new(ORIGIN);
    let info = add_passkey(&user, &mut phone, "  My phone ").await;
    assert_eq!(info["passkeys"][0]["name"], "My phone");
    assert_eq!(info["passkeys"][0]["last_used_at"], Value::Null);
    assert!(info["methods"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "passkey"));
    assert_eq!(
        info["due"],
        Value::Null,
        "a passkey alone registers the user"
    );

    // A second one; the first is excluded from the new ceremony's options.
    let started = registration(&user).await;
    let options: Value = serde_json::from_str(started["options"].as_str().unwrap()).unwrap();
    let created: Value = serde_json::from_str(&phone.create(&started["options"])).unwrap();
    assert_eq!(options["excludeCredentials"][0]["id"], created["id"]);
    let mut key = SoftPasskey::new(ORIGIN);
    let body = json!({"challenge_id": started["challenge_id"], "credential": key.create(&started["options"]), "name": "YubiKey"});
    let info = json_of(
        user.post("/me/security-info/passkey/verify", body.clone())
            .await,
        200,
    )
    .await;
    assert_eq!(info["passkeys"].as_array().unwrap().len(), 2);
    // The same ceremony cannot be finished twice.
    let again = json_of(
        user.post("/me/security-info/passkey/verify", body).await,
        422,
    )
    .await;
    assert_eq!(again["error"]["code"], "code_expired");

    let yubikey = info["passkeys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "YubiKey");
    let id = yubikey.unwrap()["id"].as_str().unwrap().to_string();
    let path = format!("/me/security-info/passkeys/{id}");
    let renamed = json_of(user.patch(&path, json!({"name": "Blue key"})).await, 200).await;
    let names: Vec<&str> = renamed["passkeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Blue key") && names.contains(&"My phone"),
        "{names:?}"
    );
    let empty = json_of(user.patch(&path, json!({"name": " \n"})).await, 422).await;
    assert_eq!(empty["error"]["fields"][0]["field"], "name");
    let removed = json_of(user.delete(&path).await, 200).await;
    assert_eq!(removed["passkeys"].as_array().unwrap().len(), 1);
    // A removed passkey is refused like one never registered.
    let gone = json_of(reset_with(&server, &mut key).await, 422).await;
    let mut stranger = SoftPasskey::new(ORIGIN);
    assert_eq!(
        json_of(reset_with(&server, &mut stranger).await, 422).await,
        gone
    );
    json_of(reset_with(&server, &mut phone).await, 200).await;
    assert_eq!(
        json_of(user.delete(&path).await, 404).await["error"]["code"],
        "not_found"
    );
    // Another user cannot touch the remaining one.
    let other = server.actor(USER_IN_NESTED).await;
    let mine = format!(
        "/me/security-info/passkeys/{}",
        removed["passkeys"][0]["id"].as_str().unwrap()
    );
    assert_eq!(other.delete(&mine).await.status(), 404);

    // A new session proves with the passkey before it may change anything.
    let later = server.actor(USER_IN_PILOT).await;
    let remaining = format!(
        "/me/security-info/passkeys/{}",
        removed["passkeys"][0]["id"].as_str().unwrap()
    );
    let refused = json_of(later.patch(&remaining, json!({"name": "Phone"})).await, 403).await;
    assert_eq!(refused["error"]["code"], "proof_required");
    let mut other_key = SoftPasskey::new(ORIGIN);
    let r = prove(&later, &mut other_key).await;
    assert_eq!(
        json_of(r, 422).await["error"]["code"],
        "verification_failed"
    );
    assert_eq!(prove(&later, &mut phone).await.status(), 204);
    json_of(later.patch(&remaining, json!({"name": "Phone"})).await, 200).await;

    // Every change is audited, never the key.
    let events = audit_of(&server, "security_info_changed").await;
    let changes: Vec<&str> = events
        .iter()
        .filter(|e| e["new_value"]["method"] == "passkey")
        .map(|e| e["new_value"]["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["changed", "removed", "changed", "added", "added"]);
    assert!(!events.iter().any(|e| e.to_string().contains("publicKey")));
}

async fn a_passkey_starts_a_reset_without_a_name_and_says_nothing_of_others(backend: Backend) {
    let server = passkey_server(backend, 1, false).await;
    let user = server.actor(USER_IN_PILOT).await;
    let mut key = SoftPasskey::new(ORIGIN);
    add_passkey(&user, &mut key, "Phone").await;

    let started = json_of(reset_with(&server, &mut key).await, 200).await;
    assert_eq!(started["state"]["gates_passed"], json!(["passkey"]));
    assert_eq!(started["state"]["stage"], "choose_intent");
    let reset = Reset::of(&server, server.client(), &started);
    let chosen = json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await;
    assert_eq!(chosen["stage"], "new_password");
    let password =
        json!({"password": "Correct-Horse-Battery-9", "confirm": "Correct-Horse-Battery-9"});
    json_of(reset.post("/password", password).await, 200).await;
    let (_, info) = server
        .sign_in_with(USER_IN_PILOT, "Correct-Horse-Battery-9")
        .await;
    assert_eq!(info.user.sign_in_name, USER_IN_PILOT);
    let used: i64 = sqlx::query_scalar("SELECT last_used_at FROM passkeys")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert!(used > 0, "the use is kept");

    // A passkey nobody registered, and one whose user handle names someone else, get the
    // same answer as each other.
    let mut stranger = SoftPasskey::new(ORIGIN);
    stranger.user_handle = key.user_handle.clone();
    let unknown = json_of(reset_with(&server, &mut stranger).await, 422).await;
    let mut forged = key.clone();
    forged.user_handle = uuid::Uuid::new_v4().as_bytes().to_vec();
    let wrong_owner = json_of(reset_with(&server, &mut forged).await, 422).await;
    assert_eq!(unknown, wrong_owner);
    assert_eq!(unknown["error"]["code"], "passkey_refused");

    // Signed for another site, or from another origin: refused the same way.
    let mut elsewhere = key.clone();
    elsewhere.origin = "http://localhost.evil.example".into();
    assert_eq!(
        json_of(reset_with(&server, &mut elsewhere).await, 422).await,
        unknown
    );
    let mut other_rp = key.clone();
    other_rp.rp_id = "evil.example".into();
    assert_eq!(
        json_of(reset_with(&server, &mut other_rp).await, 422).await,
        unknown
    );
}

async fn a_cloned_passkey_is_refused_and_audited(backend: Backend) {
    let server = passkey_server(backend, 1, false).await;
    let user = server.actor(USER_IN_PILOT).await;
    let mut key = SoftPasskey::new(ORIGIN);
    add_passkey(&user, &mut key, "Phone").await;
    let mut copy = key.clone();
    json_of(reset_with(&server, &mut key).await, 200).await;
    json_of(reset_with(&server, &mut key).await, 200).await;
    // The copy's counter (1) is behind the original's (2).
    let refused = json_of(reset_with(&server, &mut copy).await, 422).await;
    assert_eq!(refused["error"]["code"], "passkey_refused");
    let failures = audit_of(&server, "proof_failed").await;
    let cloned = failures
        .iter()
        .find(|e| e["new_value"]["counter_went_back"] == true)
        .expect("the cloned passkey is audited");
    assert_eq!(cloned["target"], USER_IN_PILOT);
    assert_eq!(cloned["new_value"]["method"], "passkey");
}

async fn ceremonies_are_single_use_bound_and_checked(backend: Backend) {
    let server = passkey_server(backend, 1, false).await;
    let user = server.actor(USER_IN_PILOT).await;
    let mut key = SoftPasskey::new(ORIGIN);
    add_passkey(&user, &mut key, "Phone").await;

    // A replayed answer: the challenge was used.
    let client = server.client();
    let started = ceremony(&client, &server, "/reset/passkey/start").await;
    let body = json!({"challenge_id": started["challenge_id"], "credential": key.get(&started["options"])});
    let first = send(&client, &server, "/reset/passkey", &body).await;
    assert_eq!(first.status(), 200);
    let replay = send(&client, &server, "/reset/passkey", &body).await;
    assert_eq!(json_of(replay, 422).await["error"]["code"], "code_expired");

    // A registration ceremony cannot be used to start a reset, nor another session's.
    let adding = registration(&user).await;
    let body =
        json!({"challenge_id": adding["challenge_id"], "credential": key.get(&adding["options"])});
    let crossed = send(&client, &server, "/reset/passkey", &body).await;
    assert_eq!(json_of(crossed, 422).await["error"]["code"], "code_expired");
    let adding = registration(&user).await;
    let other = server.actor(USER_IN_PILOT).await;
    let mut second = SoftPasskey::new(ORIGIN);
    let body = json!({"challenge_id": adding["challenge_id"], "credential": second.create(&adding["options"]), "name": "x"});
    let stolen = other.post("/me/security-info/passkey/verify", body).await;
    assert_eq!(json_of(stolen, 422).await["error"]["code"], "code_expired");

    // An expired ceremony.
    let started = ceremony(&client, &server, "/reset/passkey/start").await;
    let id_hash =
        rekey_server::infra::secrets::token_hash(started["challenge_id"].as_str().unwrap());
    sqlx::query("UPDATE passkey_challenges SET expires_at = 0 WHERE id_hash = $1")
        .bind(&id_hash)
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    let body = json!({"challenge_id": started["challenge_id"], "credential": key.get(&started["options"])});
    let late = send(&client, &server, "/reset/passkey", &body).await;
    assert_eq!(json_of(late, 422).await["error"]["code"], "code_expired");

    // Malformed bodies: a clear 400, and nothing is written.
    let before = user.get("/me/security-info").await["passkeys"].clone();
    for credential in [
        json!("text"),
        json!({"id": 1}),
        json!({"id": "x", "rawId": "x", "type": "public-key", "response": {}}),
    ] {
        let adding = registration(&user).await;
        let body =
            json!({"challenge_id": adding["challenge_id"], "credential": credential, "name": "x"});
        let bad = user.post("/me/security-info/passkey/verify", body).await;
        assert_eq!(json_of(bad, 400).await["error"]["code"], "invalid_json");
        let started = ceremony(&client, &server, "/reset/passkey/start").await;
        let body = json!({"challenge_id": started["challenge_id"], "credential": credential});
        let bad = send(&client, &server, "/reset/passkey", &body).await;
        assert_eq!(json_of(bad, 400).await["error"]["code"], "invalid_json");
    }
    // A forged attestation (made for another site) is refused, not stored.
    let adding = registration(&user).await;
    let mut foreign = SoftPasskey::new(ORIGIN);
    foreign.rp_id = "evil.example".into();
    let body = json!({"challenge_id": adding["challenge_id"], "credential": foreign.create(&adding["options"]), "name": "x"});
    let refused = user.post("/me/security-info/passkey/verify", body).await;
    assert_eq!(
        json_of(refused, 422).await["error"]["code"],
        "passkey_refused"
    );
    assert_eq!(user.get("/me/security-info").await["passkeys"], before);
}

async fn a_passkey_is_one_gate_of_two_or_enough_alone(backend: Backend) {
    let server = passkey_server(backend, 2, false).await;
    let user = server.actor(USER_IN_PILOT).await;
    let mut key = SoftPasskey::new(ORIGIN);
    add_passkey(&user, &mut key, "Phone").await;
    let answers = json!({"answers": [
        {"question_id": "builtin-01", "answer": "Fluffy"},
        {"question_id": "builtin-02", "answer": "Ace"},
        {"question_id": "builtin-05", "answer": "Robo"},
    ]});
    let r = user
        .put("/me/security-info/security_questions", answers)
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let started = json_of(reset_with(&server, &mut key).await, 200).await;
    assert_eq!(started["state"]["stage"], "choose_intent");
    let reset = Reset::of(&server, server.client(), &started);
    let chosen = json_of(reset.post("/intent", json!({"intent": "reset"})).await, 200).await;
    assert_eq!(chosen["stage"], "verify", "two methods: one more gate");

    // In a flow begun with the name, a passkey is a gate; someone else's is a failed proof.
    let (flow, _) = begin(&server, USER_IN_PILOT).await;
    json_of(flow.post("/intent", json!({"intent": "reset"})).await, 200).await;
    let mut intruder_key = SoftPasskey::new(ORIGIN);
    let intruder = server.actor(USER_IN_NESTED).await;
    add_passkey(&intruder, &mut intruder_key, "Theirs").await;
    let gate = json_of(flow.post("/gate/passkey", json!({})).await, 200).await;
    let options = &gate["options"];
    let body = json!({"kind": "passkey", "passkey": {"challenge_id": gate["challenge_id"], "credential": intruder_key.get(options)}});
    let refused = json_of(flow.post("/gate/verify", body).await, 422).await;
    assert_eq!(refused["error"]["code"], "passkey_refused");
    let gate = json_of(flow.post("/gate/passkey", json!({})).await, 200).await;
    let body = json!({"kind": "passkey", "passkey": {"challenge_id": gate["challenge_id"], "credential": key.get(&gate["options"])}});
    let passed = json_of(flow.post("/gate/verify", body).await, 200).await;
    assert_eq!(passed["gates_passed"], json!(["passkey"]));
    assert_eq!(passed["stage"], "verify");

    // With "a passkey alone is enough", the passkey finishes the gates (not for admins), and
    // someone holding only a passkey is registered in the reports and the Users page's filters.
    let admin = server.actor(GLOBAL_ADMIN).await;
    let only_a_passkey = |coverage: &'static str| {
        let admin = &admin;
        async move {
            let path = format!("/users?sspr=true&coverage={coverage}&q={USER_IN_NESTED}");
            admin.get(&path).await["total"].clone()
        }
    };
    assert_eq!(only_a_passkey("partly").await, 1);
    let mut methods = admin.get("/settings/sspr/methods").await["settings"].clone();
    methods["passkey_alone"] = json!(true);
    assert_eq!(
        admin.put("/settings/sspr/methods", methods).await.status(),
        200
    );
    assert_eq!(only_a_passkey("registered").await, 1);
    let report = admin.get("/reports/registration?fresh=true").await;
    let registered = admin
        .get("/users?enabled=true&sspr=true&coverage=registered")
        .await;
    assert_eq!(report["in_scope"]["registered"], registered["total"]);
    let started = json_of(reset_with(&server, &mut key).await, 200).await;
    let reset = Reset::of(&server, server.client(), &started);
    let chosen = json_of(
        reset.post("/intent", json!({"intent": "unlock"})).await,
        200,
    )
    .await;
    assert_eq!(chosen["stage"], "ready_to_unlock");
}

/// Signs in with `key` from a new browser; the answer and that browser.
async fn sign_in_with(
    server: &TestServer,
    key: &mut SoftPasskey,
) -> (reqwest::Response, reqwest::Client) {
    let client = server.client();
    let started = ceremony(&client, server, "/session/passkey/start").await;
    let body = json!({"passkey": {"challenge_id": started["challenge_id"], "credential": key.get(&started["options"])}, "lang": "en"});
    let r = send(&client, server, "/session/passkey", &body).await;
    (r, client)
}

async fn a_passkey_signs_in_without_a_password(backend: Backend) {
    let server = passkey_server(backend, 1, false).await;
    let user = server.actor(USER_IN_PILOT).await;
    let mut key = SoftPasskey::new(ORIGIN);
    add_passkey(&user, &mut key, "Phone").await;

    let mut copy = key.clone();
    let (r, client) = sign_in_with(&server, &mut key).await;
    let info = json_of(r, 200).await;
    assert_eq!(info["user"]["sign_in_name"], USER_IN_PILOT);
    let session = get_json(&client, server.api("/session")).await;
    assert_eq!(
        session["user"]["sign_in_name"], USER_IN_PILOT,
        "the cookie holds a session"
    );
    let events = audit_of(&server, "sign_in_succeeded").await;
    let by_passkey = events
        .iter()
        .find(|e| e["new_value"]["method"] == "passkey");
    assert_eq!(by_passkey.expect("audited")["target"], USER_IN_PILOT);

    // A copy whose counter is behind is refused, and the audit log says why.
    let refused = json_of(sign_in_with(&server, &mut copy).await.0, 422).await;
    assert_eq!(refused["error"]["code"], "passkey_refused");
    let failures = audit_of(&server, "sign_in_failed").await;
    assert!(failures
        .iter()
        .any(|e| e["target"] == USER_IN_PILOT && e["new_value"]["counter_went_back"] == true));

    // Unknown, and a disabled user's: one answer.
    let mut stranger = SoftPasskey::new(ORIGIN);
    let unknown = json_of(sign_in_with(&server, &mut stranger).await.0, 422).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let id = &user.info.user.id;
    let r = admin
        .patch(&format!("/users/{id}"), json!({"enabled": false}))
        .await;
    assert_eq!(r.status(), 200);
    let disabled = json_of(sign_in_with(&server, &mut key).await.0, 422).await;
    assert_eq!(unknown, disabled);

    // With passkeys turned off, no ceremony starts.
    let mut methods = admin.get("/settings/sspr/methods").await["settings"].clone();
    methods["passkey"] = json!(false);
    assert_eq!(
        admin.put("/settings/sspr/methods", methods).await.status(),
        200
    );
    let r = server
        .client()
        .post(server.api("/session/passkey/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = server
        .client()
        .post(server.api("/reset/passkey/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// Passkeys are bound to the public URL's domain; at an IP address browsers refuse them, so
/// the admin is told and no ceremony starts.
async fn passkeys_need_a_domain_and_admins_are_told(backend: Backend) {
    let server = passkey_server(backend, 1, false).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let status = admin.get("/settings/passkeys").await;
    assert_eq!(status, json!({"relying_party": "localhost"}));
    let user = server.actor(USER_IN_PILOT).await;
    let r = user
        .send(reqwest::Method::GET, "/settings/passkeys", None)
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");

    let mut args = FAST.to_vec();
    args.extend(["--public-url", "http://127.0.0.1:8080"]);
    let at_ip = start_with(backend, &args).await;
    let admin = at_ip.actor(GLOBAL_ADMIN).await;
    assert_eq!(
        admin.get("/settings/passkeys").await,
        json!({"relying_party": null})
    );
    let user = at_ip.actor(USER_IN_PILOT).await;
    let r = user
        .post("/me/security-info/passkey/start", json!({}))
        .await;
    assert_eq!(error_code(r, 409).await, "passkeys_unavailable");
    let r = at_ip
        .client()
        .post(at_ip.api("/reset/passkey/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

/// The id of the user signed in as `name`, as an admin finds it.
async fn user_id(admin: &Actor, name: &str) -> String {
    let found = admin.get(&format!("/users?q={name}")).await;
    found["items"][0]["id"]
        .as_str()
        .expect("a user")
        .to_string()
}

/// The helpdesk lists a user's passkeys and removes a lost one: it resets nothing after, and
/// the audit says who removed it. Another user's passkey, or a user out of their scope: nothing.
async fn the_helpdesk_removes_a_lost_passkey(backend: Backend) {
    let server = passkey_server(backend, 1, false).await;
    let user = server.actor(USER_IN_PILOT).await;
    let mut phone = SoftPasskey::new(ORIGIN);
    add_passkey(&user, &mut phone, "Lost phone").await;
    let helpdesk = server.actor(HELPDESK_ADMIN).await;
    let adele = user_id(&helpdesk, USER_IN_PILOT).await;
    let listed = helpdesk.get(&format!("/users/{adele}/passkeys")).await;
    assert_eq!(listed[0]["name"], "Lost phone");
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let passkey = listed[0]["id"].as_str().unwrap().to_string();

    // Under another user, Adele's passkey is not found.
    let megan = user_id(&helpdesk, USER_OUTSIDE).await;
    let r = helpdesk
        .delete(&format!("/users/{megan}/passkeys/{passkey}"))
        .await;
    assert_eq!(error_code(r, 404).await, "not_found");
    // An admin's passkeys are out of a Helpdesk admin's reach; a Reports reader has none.
    let global = user_id(&helpdesk, GLOBAL_ADMIN).await;
    let r = helpdesk
        .send(
            reqwest::Method::GET,
            &format!("/users/{global}/passkeys"),
            None,
        )
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");
    let reader = server.actor(REPORTS_READER).await;
    let r = reader
        .delete(&format!("/users/{adele}/passkeys/{passkey}"))
        .await;
    assert_eq!(error_code(r, 403).await, "forbidden");

    let r = helpdesk
        .delete(&format!("/users/{adele}/passkeys/{passkey}"))
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(
        helpdesk.get(&format!("/users/{adele}/passkeys")).await,
        json!([])
    );
    let r = helpdesk
        .delete(&format!("/users/{adele}/passkeys/{passkey}"))
        .await;
    assert_eq!(error_code(r, 404).await, "not_found", "removed once");
    // The lost phone resets nothing now, and Adele no longer holds the method.
    let r = reset_with(&server, &mut phone).await;
    assert_eq!(error_code(r, 422).await, "passkey_refused");
    let info = user.get("/me/security-info").await;
    assert_eq!(info["passkeys"], json!([]));
    let changes = audit_of(&server, "security_info_changed").await;
    let removal = changes.iter().find(|e| {
        e["actor"] == HELPDESK_ADMIN
            && e["target"] == USER_IN_PILOT
            && e["new_value"]["method"] == "passkey"
            && e["new_value"]["change"] == "removed"
    });
    assert_eq!(removal.expect("audited")["new_value"]["by_admin"], true);
}

crate::on_both_databases!(
    a_passkey_signs_in_without_a_password,
    a_user_adds_names_renames_and_removes_passkeys,
    a_passkey_starts_a_reset_without_a_name_and_says_nothing_of_others,
    a_cloned_passkey_is_refused_and_audited,
    ceremonies_are_single_use_bound_and_checked,
    a_passkey_is_one_gate_of_two_or_enough_alone,
    the_helpdesk_removes_a_lost_passkey,
    passkeys_need_a_domain_and_admins_are_told,
);
