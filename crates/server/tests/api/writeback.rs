//! Password writeback against the real directories (slapd with ppolicy, Samba AD DC): every
//! password Rekey sets or frees lands in the directory, checked by binding to the directory
//! itself; the directory's refusals come back in plain words and leave the flow alive; an
//! outage, two resets at once and a crash leave nothing half-done.

use std::time::{Duration, Instant};

use rekey_server::seed::DEMO_PASSWORD;
use serde_json::{json, Value};

use crate::common::directories::{Kind, TestDirectory};
use crate::common::*;
use crate::reset::{begin, json_of, pass_email_gate, Reset, FAST, NEW_PASSWORD};
use crate::security_info::{delivery, Delivery};
use crate::users::field_errors;

/// A server connected to `dir` that delivers codes to local sinks, with self-service reset on
/// for everybody.
async fn server(backend: Backend, dir: &TestDirectory, extra: &[&str]) -> (TestServer, Delivery) {
    let (delivery, mut args) = delivery().await;
    args.extend(FAST.map(String::from));
    args.extend(extra.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = start_with_ldap(backend, dir, &args).await;
    let admin = server.actor(BREAK_GLASS).await;
    let r = admin.put("/settings/sspr", json!({"scope": "all"})).await;
    assert_eq!(r.status(), 200);
    (server, delivery)
}

/// A person of this test alone, with an email address in the directory (which counts as
/// registered), and that address.
fn person(dir: &TestDirectory, tag: &str, backend: Backend) -> (String, String) {
    // AD's sAMAccountName holds at most 20 characters.
    let uid = format!("{tag}.{}", &format!("{backend:?}").to_lowercase()[..2]);
    dir.add_person(&uid, &format!("Writeback {tag}"));
    let mail = format!("{uid}@home.example");
    dir.change_person(&uid, &format!("replace: mail\nmail: {mail}"));
    (uid, mail)
}

/// A reset flow for `uid` past its gate, at the new-password step.
async fn at_new_password(
    server: &TestServer,
    delivery: &Delivery,
    uid: &str,
    mail: &str,
) -> (Reset, Value) {
    let (reset, _) = begin(server, uid).await;
    reset.post("/intent", json!({"intent": "reset"})).await;
    let state = pass_email_gate(&reset, delivery, mail).await;
    assert_eq!(state["stage"], "new_password", "{state}");
    (reset, state)
}

fn new_password(password: &str) -> Value {
    json!({"password": password, "confirm": password})
}

/// The audit's events of one action, newest first.
async fn audit_of(server: &TestServer, action: &str) -> Vec<Value> {
    let admin = server.actor(BREAK_GLASS).await;
    let audit = admin.get("/audit?per_page=100").await;
    let items = audit["items"].as_array().cloned().unwrap_or_default();
    items
        .into_iter()
        .filter(|e| e["action"] == action)
        .collect()
}

async fn pending_writes(server: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM directory_writes")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

async fn a_self_service_reset_lands_in_the_directory(backend: Backend, dir: &TestDirectory) {
    let (server, delivery) = server(backend, dir, &[]).await;
    let (uid, mail) = person(dir, "reset", backend);
    let (old_session, _) = server.sign_in(&uid).await;
    // Locked out of every application by the directory itself.
    dir.lock_by_failed_binds(&uid);

    let (reset, state) = at_new_password(&server, &delivery, &uid, &mail).await;
    // The directory's own rules are on the page before anything is typed: its length and
    // complexity folded into the policy (Rekey's 8 beat AD's 7), its history said.
    let rules = &state["password_rules"];
    match dir.kind {
        Kind::Ad => {
            assert_eq!(rules["policy"]["min_length"], 8, "{rules}");
            assert_eq!(rules["policy"]["require_character_classes"], true);
            assert_eq!(rules["directory_history"], 24);
            // Rekey checks the directory's complexity first, as the page does while typing.
            let r = reset
                .post("/password", new_password("plain lowercase words only"))
                .await;
            assert_eq!(
                field_errors(r).await,
                vec![("password".into(), "missing_character_classes".into())]
            );
        }
        Kind::Openldap => {
            assert_eq!(rules["policy"]["min_length"], 8, "{rules}");
            assert_eq!(rules["policy"]["require_character_classes"], false);
            assert_eq!(rules["directory_history"], 3);
            // ppolicy keeps the current password in its history: the directory says no.
            let r = reset.post("/password", new_password(DEMO_PASSWORD)).await;
            assert_eq!(
                field_errors(r).await,
                vec![("password".into(), "reused".into())]
            );
            let refused = audit_of(&server, "directory_refused_password").await;
            assert_eq!(refused[0]["target"], uid.as_str());
            assert_eq!(refused[0]["new_value"]["reason"], "history");
            assert!(!refused[0].to_string().contains(DEMO_PASSWORD));
        }
    }
    // The flow is still at the same step, and a good password goes through.
    let state = json_of(reset.state().await, 200).await;
    assert_eq!(state["stage"], "new_password");
    let state = json_of(
        reset.post("/password", new_password(NEW_PASSWORD)).await,
        200,
    )
    .await;
    assert_eq!(state["stage"], "done");

    // Every application now takes the new password, not the old; the lockout is gone.
    assert!(dir.accepts(&uid, NEW_PASSWORD));
    assert!(!dir.accepts(&uid, DEMO_PASSWORD));
    server.sign_in_with(&uid, NEW_PASSWORD).await;
    let r = old_session
        .get(server.api("/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "the reset ended the person's sessions");
    let done = audit_of(&server, "password_reset_self").await;
    assert_eq!(
        done[0]["new_value"]["directory"],
        match dir.kind {
            Kind::Ad => "active_directory",
            Kind::Openldap => "openldap",
        }
    );
    assert_eq!(pending_writes(&server).await, 0);
    // Rekey keeps no hash of a directory password.
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE sign_in_name = $1")
            .bind(&uid)
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
    assert_eq!(hash, "");
}

async fn an_unlock_frees_the_directory_account_and_keeps_the_password(
    backend: Backend,
    dir: &TestDirectory,
) {
    let (server, delivery) = server(backend, dir, &[]).await;
    let (uid, mail) = person(dir, "unlock", backend);
    dir.lock_by_failed_binds(&uid);
    let (reset, _) = begin(&server, &uid).await;
    reset.post("/intent", json!({"intent": "unlock"})).await;
    let state = pass_email_gate(&reset, &delivery, &mail).await;
    assert_eq!(state["stage"], "ready_to_unlock");
    let state = json_of(reset.post("/unlock", json!({})).await, 200).await;
    assert_eq!(state["stage"], "done");
    assert!(dir.accepts(&uid, DEMO_PASSWORD), "unlocked, same password");

    // An admin unlocks from the Users page too.
    server.sign_in(&uid).await;
    dir.lock_by_failed_binds(&uid);
    let admin = server.actor(BREAK_GLASS).await;
    let id = user_id(&admin, &uid).await;
    let r = admin.post(&format!("/users/{id}/unlock"), json!({})).await;
    assert_eq!(r.status(), 204);
    assert!(dir.accepts(&uid, DEMO_PASSWORD));
}

async fn user_id(admin: &Actor, uid: &str) -> String {
    let listed = admin.get(&format!("/users?q={uid}")).await;
    listed["items"][0]["id"]
        .as_str()
        .expect("listed")
        .to_string()
}

/// The break-glass admin resets the person's password from the Users page.
async fn admin_reset(server: &TestServer, uid: &str, body: Value) -> reqwest::Response {
    let admin = server.actor(BREAK_GLASS).await;
    let id = user_id(&admin, uid).await;
    admin.post(&format!("/users/{id}/password"), body).await
}

async fn a_change_while_signed_in_obeys_the_directory(backend: Backend, dir: &TestDirectory) {
    let (server, _delivery) = server(backend, dir, &[]).await;
    let (uid, _) = person(dir, "change", backend);
    let me = server.actor(&uid).await;
    let change = |current: &str, new: &str| json!({"current_password": current, "password": new, "confirm": new});
    let r = me
        .post("/me/password", change("Wrong-guess-2026", NEW_PASSWORD))
        .await;
    assert_eq!(
        field_errors(r).await,
        vec![("current_password".into(), "incorrect".into())]
    );
    // The directory remembers the current password: its history refuses it.
    let r = me
        .post("/me/password", change(DEMO_PASSWORD, DEMO_PASSWORD))
        .await;
    assert_eq!(
        field_errors(r).await,
        vec![("password".into(), "reused".into())]
    );
    assert!(dir.accepts(&uid, DEMO_PASSWORD), "nothing changed");
    let r = me
        .post("/me/password", change(DEMO_PASSWORD, NEW_PASSWORD))
        .await;
    assert_eq!(r.status(), 204);
    assert!(dir.accepts(&uid, NEW_PASSWORD));
    assert!(!dir.accepts(&uid, DEMO_PASSWORD));
    let r = me.client.get(server.api("/session")).send().await.unwrap();
    assert_eq!(r.status(), 200, "the session that changed it stays");
}

async fn an_admin_reset_with_must_change_leads_to_a_forced_change(
    backend: Backend,
    dir: &TestDirectory,
) {
    let (server, _delivery) = server(backend, dir, &[]).await;
    let (uid, _) = person(dir, "forced", backend);
    server.sign_in(&uid).await;

    // Without "must change", the temporary password works everywhere at once.
    let r = admin_reset(&server, &uid, json!({"require_change": false})).await;
    let temporary = json_of(r, 200).await["temporary_password"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(dir.accepts(&uid, &temporary));
    assert!(!dir.accepts(&uid, DEMO_PASSWORD));

    // With it, the directory asks for a new one: Rekey signs them in to the forced change.
    let r = admin_reset(&server, &uid, json!({"require_change": true})).await;
    let temporary = json_of(r, 200).await["temporary_password"]
        .as_str()
        .unwrap()
        .to_string();
    let audit = audit_of(&server, "password_reset_by_admin").await;
    assert_eq!(audit[0]["new_value"]["require_change"], true);
    assert!(!audit[0].to_string().contains(&temporary));
    let client = server.client();
    let r = server.attempt_sign_in(&client, &uid, &temporary).await;
    let info = json_of(r, 200).await;
    assert_eq!(info["user"]["password_change_due"], "admin_reset");
    let csrf = info["csrf_token"].as_str().unwrap();
    let r = client
        .post(server.api("/me/password"))
        .header("x-csrf-token", csrf)
        .json(
            &json!({"current_password": temporary, "password": NEW_PASSWORD,
                      "confirm": NEW_PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        dir.accepts(&uid, NEW_PASSWORD),
        "the directory's must-change is cleared"
    );
    let (_, info) = server.sign_in_with(&uid, NEW_PASSWORD).await;
    assert_eq!(info.user.password_change_due, None);
}

async fn the_directory_stopped_at_the_last_step_then_back(backend: Backend, dir: &TestDirectory) {
    let outage = crate::common::outage::Outage::start(dir.ldaps_addr());
    let url = format!("ldaps://{}", outage.addr);
    let args = [
        "--directory-url",
        url.as_str(),
        "--directory-timeout-seconds",
        "2",
    ];
    let (server, delivery) = server(backend, dir, &args).await;
    let (uid, mail) = person(dir, "outage", backend);
    let (reset, _) = at_new_password(&server, &delivery, &uid, &mail).await;

    outage.stop();
    let started = Instant::now();
    let r = reset.post("/password", new_password(NEW_PASSWORD)).await;
    assert_eq!(error_code(r, 503).await, "directory_unavailable");
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(pending_writes(&server).await, 0, "nothing was sent");
    let state = json_of(reset.state().await, 200).await;
    assert_eq!(state["stage"], "new_password", "the flow waits");

    outage.restart();
    let state = json_of(
        reset.post("/password", new_password(NEW_PASSWORD)).await,
        200,
    )
    .await;
    assert_eq!(state["stage"], "done");
    assert!(dir.accepts(&uid, NEW_PASSWORD));
    assert_eq!(audit_of(&server, "password_reset_self").await.len(), 1);
}

async fn two_resets_at_once_one_wins(backend: Backend, dir: &TestDirectory) {
    let (server, delivery) = server(backend, dir, &[]).await;
    let (uid, mail) = person(dir, "twice", backend);
    let (first, _) = at_new_password(&server, &delivery, &uid, &mail).await;
    let (second, _) = at_new_password(&server, &delivery, &uid, &mail).await;
    let (a, b) = tokio::join!(
        first.post("/password", new_password(NEW_PASSWORD)),
        second.post("/password", new_password("Other-Kite-2031"))
    );
    let (a, b) = (a.status().as_u16(), b.status().as_u16());
    let mut statuses = [a, b];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let winner = if a == 200 {
        NEW_PASSWORD
    } else {
        "Other-Kite-2031"
    };
    assert!(dir.accepts(&uid, winner));
    assert_eq!(audit_of(&server, "password_reset_self").await.len(), 1);
    assert_eq!(pending_writes(&server).await, 0);
}

/// Rekey is killed (SIGABRT, as `kill -9` would) right after the directory took the new
/// password and before Rekey recorded it; the instance left running reconciles: the reset is
/// recorded and audited, the flow ends, the person's sessions end.
async fn a_crash_between_the_directory_and_the_record_is_reconciled(
    backend: Backend,
    dir: &TestDirectory,
) {
    let timeout = ["--directory-timeout-seconds", "2"];
    let (server, delivery) = server(backend, dir, &timeout).await;
    let (uid, mail) = person(dir, "crash", backend);
    // ppolicy stamps a password change to the second: a reset within the second the person
    // was created in could show only in the entry's change stamp, and when the reset's own
    // flags land in the next second, the mark cannot tell. People are not reset that fast.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (session, _) = server.sign_in(&uid).await;
    let (reset, _) = at_new_password(&server, &delivery, &uid, &mail).await;

    // A second instance on the same database, told to die after the directory's answer.
    let crashing = Instance::start(&server, dir, &timeout, true);
    let other = Reset {
        api: crashing.api.clone(),
        ..reset
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let answer = loop {
        let sent = other
            .client
            .post(format!("{}/reset/password", other.api))
            .header("x-reset-token", &other.token)
            .json(&new_password(NEW_PASSWORD))
            .send()
            .await;
        match sent {
            Ok(r) => break Ok(r.status()),
            Err(e) if e.is_connect() && Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => break Err(e),
        }
    };
    assert!(
        answer.is_err(),
        "the instance died before answering: {answer:?}"
    );
    assert!(!crashing.exit_status().success());
    assert!(dir.accepts(&uid, NEW_PASSWORD), "the directory took it");
    assert_eq!(pending_writes(&server).await, 1);

    // Restarted, the instance settles the write once it could no longer be under way.
    let _restarted = Instance::start(&server, dir, &timeout, false);
    let deadline = Instant::now() + Duration::from_secs(30);
    while pending_writes(&server).await > 0 {
        assert!(Instant::now() < deadline, "not reconciled");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let done = audit_of(&server, "password_reset_self").await;
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["new_value"]["reconciled"], true);
    let r = other
        .client
        .get(server.api("/reset"))
        .header("x-reset-token", &other.token);
    assert_eq!(
        error_code(r.send().await.unwrap(), 410).await,
        "reset_expired"
    );
    let r = session.get(server.api("/session")).send().await.unwrap();
    assert_eq!(r.status(), 401, "the person's sessions ended");
}

/// `rekey serve` in a process of its own, on the test server's database; stopped when
/// dropped.
struct Instance {
    child: std::sync::Mutex<std::process::Child>,
    api: String,
}

impl Instance {
    fn start(server: &TestServer, dir: &TestDirectory, extra: &[&str], crash: bool) -> Instance {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rekey"));
        command
            .arg("serve")
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args([
                "--database-url",
                &server.db.url,
                "--secret-key",
                TEST_SECRET_KEY,
            ])
            .args(["--static-dir", "/nonexistent-rekey-dist"])
            .args(["--directory-sync-minutes", "0"])
            .args(dir.server_args())
            .args(extra)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if crash {
            command.env("REKEY_TEST_ABORT_AFTER_DIRECTORY_WRITE", "1");
        }
        Instance {
            child: std::sync::Mutex::new(command.spawn().expect("rekey serve")),
            api: format!("http://127.0.0.1:{port}/api"),
        }
    }

    fn exit_status(&self) -> std::process::ExitStatus {
        self.child.lock().expect("child").wait().expect("exit")
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let mut child = self.child.lock().expect("child");
        let _ = child.kill();
        let _ = child.wait();
    }
}

crate::on_both_directories!(
    a_self_service_reset_lands_in_the_directory,
    an_unlock_frees_the_directory_account_and_keeps_the_password,
    a_change_while_signed_in_obeys_the_directory,
    an_admin_reset_with_must_change_leads_to_a_forced_change,
    the_directory_stopped_at_the_last_step_then_back,
    two_resets_at_once_one_wins,
    a_crash_between_the_directory_and_the_record_is_reconciled,
    the_directory_says_when_a_password_expires,
    test_connection_says_what_writeback_may_not_do,
);

/// AD refuses a delegated account the reset of protected people (domain admins and the
/// like): the admin is told so in words, not with a 500, and nothing changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protected_account_is_refused_clearly() {
    let dir = crate::common::directories::directory(Kind::Ad);
    let (server, _delivery) = server(Backend::Sqlite, dir, &[]).await;
    let (uid, _) = person(dir, "guarded", Backend::Sqlite);
    server.sign_in(&uid).await;
    dir.protect(&uid);
    let r = admin_reset(&server, &uid, json!({"require_change": true})).await;
    assert_eq!(error_code(r, 403).await, "directory_refused_account");
    assert!(dir.accepts(&uid, DEMO_PASSWORD));
    let refused = audit_of(&server, "directory_refused_password").await;
    assert_eq!(refused[0]["new_value"]["reason"], "not_allowed");
    assert_eq!(pending_writes(&server).await, 0);
}

async fn the_directory_says_when_a_password_expires(backend: Backend, dir: &TestDirectory) {
    let (server, delivery) = server(backend, dir, &[]).await;
    let (uid, mail) = person(dir, "expiry", backend);
    server.sign_in(&uid).await;
    let admin = server.actor(BREAK_GLASS).await;
    let id = user_id(&admin, &uid).await;
    // Both test directories expire passwords after 20 days; Rekey's own policy is off.
    let detail = admin.get(&format!("/users/{id}")).await;
    let expires_at = detail["password_expires_at"].as_i64().expect("an expiry");
    let in_20_days = rekey_server::infra::db::now() + 20 * 86_400;
    assert!((expires_at - in_20_days).abs() < 120, "{detail}");
    assert_eq!(detail["password_expired"], false, "{detail}");

    // Told ahead by email, as many days before as the organisation chose, once.
    let r = admin
        .put(
            "/settings/password-expiry",
            json!({"expires": false, "max_age_days": 90, "notice_days": 30}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let now = rekey_server::infra::db::now();
    let state = &server.state;
    assert!(
        rekey_server::domain::expiry_notices::send_due(state, now)
            .await
            .unwrap()
            >= 1
    );
    let notices = delivery.smtp.wait_for_count(&mail, 1).await;
    assert!(notices[0].data.contains(&uid), "{}", notices[0].data);
    rekey_server::domain::expiry_notices::send_due(state, now)
        .await
        .unwrap();
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = $1")
        .bind(&mail)
        .fetch_one(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(queued, 1, "once per expiry");

    // A password the directory wants changed has expired, on the Users page too.
    dir.require_new_password(&uid);
    let r = server
        .attempt_sign_in(&server.client(), &uid, DEMO_PASSWORD)
        .await;
    assert_eq!(r.status(), 200);
    if dir.kind == Kind::Ad {
        let expired = admin.get(&format!("/users?password=expired&q={uid}")).await;
        assert_eq!(expired["total"], 1, "{expired}");
    }
}

/// Test connection tries, without writing, what writeback needs; bound as an account that may
/// only read, it says what is missing.
async fn test_connection_says_what_writeback_may_not_do(backend: Backend, dir: &TestDirectory) {
    let server = start_break_glass_only(backend).await;
    let admin = server.actor(BREAK_GLASS).await;
    let mut settings = dir.admin_settings(crate::common::directories::SERVICE_PASSWORD);
    let reader = format!(
        "cn=rekey-reader,ou=services,{}",
        crate::common::directories::SUFFIX
    );
    settings["ldap"]["bind_dn"] = json!(reader);
    let test = json_of(admin.post("/settings/directory/test", settings).await, 200).await;
    let writeback = test["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["step"] == "writeback")
        .cloned()
        .unwrap_or_else(|| panic!("a writeback check: {test}"));
    assert_eq!(writeback["ok"], false, "{test}");
    assert_eq!(writeback["blocking"], false, "sign-in works without it");
    let missing = &writeback["outcome"]["rights"];
    assert_eq!(
        missing,
        &json!(["reset_password", "unlock", "require_change"]),
        "{writeback}"
    );
    assert!(
        writeback["detail"].as_str().unwrap().contains("may not"),
        "{writeback}"
    );
}

/// A person under a fine-grained password policy sees its rules, not the domain's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fine_grained_policy_is_what_the_person_sees() {
    let dir = crate::common::directories::directory(Kind::Ad);
    let (server, _delivery) = server(Backend::Sqlite, dir, &[]).await;
    let (uid, _) = person(dir, "strict", Backend::Sqlite);
    server.sign_in(&uid).await;
    dir.apply_fine_grained_policy(&uid, 14, 5);
    let admin = server.actor(BREAK_GLASS).await;
    let id = user_id(&admin, &uid).await;
    let rules = admin.get(&format!("/users/{id}/password-rules")).await;
    assert_eq!(rules["policy"]["min_length"], 14, "{rules}");
    assert_eq!(rules["policy"]["require_character_classes"], true);
    assert_eq!(rules["directory_history"], 5);
    // Rekey checks the policy's length first, as the page does while typing.
    let body = json!({"password": "Short-kite-9", "require_change": false});
    let r = admin_reset(&server, &uid, body).await;
    assert_eq!(
        field_errors(r).await,
        vec![("password".into(), "too_short".into())]
    );
}
