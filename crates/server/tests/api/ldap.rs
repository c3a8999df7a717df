//! Rekey connected to a real OpenLDAP directory (slapd with ppolicy and memberof, over
//! LDAPS as a service account): sign-in by binding as the user, live look-ups, the mirror kept
//! by sync (users, groups, nesting, contact details), break-glass accounts, faults.

use std::time::{Duration, Instant};

use rekey_core::dto::SyncResult;
use rekey_server::domain::directory::sync;
use rekey_server::seed::DEMO_PASSWORD;
use serde_json::json;

use crate::common::slapd::slapd;
use crate::common::*;

async fn run_sync(server: &TestServer) -> SyncResult {
    sync::run_once(&server.state.db.pool, &server.state.directory, "test")
        .await
        .expect("sync")
        .expect("the lease was free")
}

async fn directory_people_sign_in_with_their_directory_password(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    let client = server.client();
    let r = server
        .attempt_sign_in(&client, "adele.vance", DEMO_PASSWORD)
        .await;
    assert_eq!(r.status(), 200);
    let info: serde_json::Value = r.json().await.unwrap();
    assert_eq!(info["user"]["display_name"], "Adele Vance");
    assert_eq!(info["user"]["roles"], json!([]));

    // A wrong password and a name the directory does not have get the same answer.
    let wrong = server
        .attempt_sign_in(&client, "alex.wilber", "Not-the-password-1")
        .await;
    let wrong: serde_json::Value = {
        assert_eq!(wrong.status(), 401);
        wrong.json().await.unwrap()
    };
    let unknown = server
        .attempt_sign_in(&client, "nobody.here", "Not-the-password-1")
        .await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(unknown.json::<serde_json::Value>().await.unwrap(), wrong);
}

async fn sync_mirrors_people_groups_and_nesting(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    let first = run_sync(&server).await;
    assert_eq!(first.error, None);
    // 11 people (the impostor of the break-glass name is skipped), 5 groups.
    assert!(first.users_added >= 11, "{first:?}");
    assert_eq!(first.groups_added, 5, "{first:?}");
    assert!(
        first.skipped.iter().any(|s| s.contains("uid=rekey.admin")),
        "{first:?}"
    );
    let again = run_sync(&server).await;
    assert_eq!((again.users_added, again.groups_added), (0, 0), "{again:?}");
    assert_eq!(
        (again.users_changed, again.groups_changed),
        (0, 0),
        "{again:?}"
    );

    let admin = server.actor(BREAK_GLASS).await;
    let groups = admin.get("/groups?q=SSPR").await;
    let pilot = &groups["items"][0];
    assert_eq!(pilot["name"], "SSPR pilot");
    assert_eq!(
        pilot["member_count"], 2,
        "Adele and the nested Engineering group"
    );
    let users = admin.get("/users?q=vance").await;
    assert_eq!(users["items"][0]["display_name"], "Adele Vance", "{users}");

    // "Selected" with a directory group: nested members are in, others out.
    let r = admin
        .put(
            "/settings/sspr",
            json!({"scope": "selected", "group_id": pilot["id"]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let (_, alex) = server.sign_in("alex.wilber").await;
    assert!(
        alex.user.sspr_enabled,
        "Engineering is nested in SSPR pilot"
    );
    let (_, megan) = server.sign_in("megan.bowen").await;
    assert!(!megan.user.sspr_enabled, "Sales is not");
}

async fn only_one_instance_syncs_at_a_time(backend: Backend) {
    use rekey_server::store::directory_mirror;
    let server = start_with_ldap(backend, &[]).await;
    let pool = &server.state.db.pool;
    let now = rekey_server::infra::db::now();
    assert!(
        directory_mirror::take_lease(pool, "other-instance", now, now + 60)
            .await
            .unwrap()
    );
    let directory = &server.state.directory;
    assert!(sync::run_once(pool, directory, "this-instance")
        .await
        .unwrap()
        .is_none());
    // A lease that ran out (its holder died) is taken over.
    assert!(
        directory_mirror::take_lease(pool, "other-instance", now, now - 1)
            .await
            .unwrap()
    );
    let report = sync::run_once(pool, directory, "this-instance")
        .await
        .unwrap();
    assert!(report.is_some_and(|r| r.users_added >= 11));
    let last = directory_mirror::last_result(pool)
        .await
        .unwrap()
        .expect("a result");
    assert!(last.contains("\"users_added\""), "{last}");
}

async fn test_connection_checks_every_step_and_admins_see_the_last_sync(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    let admin = server.actor(BREAK_GLASS).await;
    let status = admin.get("/settings/directory").await;
    assert_eq!(status["configured_by"], "environment");
    assert_eq!(status["ldap"]["kind"], "openldap");
    assert!(status["last_sync"].is_null());
    assert!(
        !status
            .to_string()
            .contains(crate::common::slapd::SERVICE_PASSWORD),
        "the service account's password is never returned"
    );

    let r = admin.post("/settings/directory/test", json!({})).await;
    assert_eq!(r.status(), 200);
    let test: serde_json::Value = r.json().await.unwrap();
    let steps: Vec<_> = test["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["step"].as_str().unwrap(), c["ok"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("connect", true),
            ("bind", true),
            ("users", true),
            ("groups", true),
            ("lockout", true)
        ],
        "{test}"
    );
    assert_eq!(test["ok"], true);
    assert!(test["users_found"].as_u64().unwrap() >= 12, "{test}");
    assert_eq!(test["groups_found"], 5);
    assert_eq!(test["samples"].as_array().unwrap().len(), 5);
    assert!(test["samples"][0]["stable_id"].is_string(), "{test}");
    let lockout = test["checks"][4]["detail"].as_str().unwrap();
    assert!(lockout.contains("before the directory's 5"), "{lockout}");

    let r = admin.post("/settings/directory/sync", json!({})).await;
    assert_eq!(r.status(), 200);
    let status = admin.get("/settings/directory").await;
    assert!(
        status["last_sync"]["users_added"].as_u64().unwrap() >= 11,
        "{status}"
    );

    // Only Global and Password admins.
    let (_, adele) = server.sign_in("adele.vance").await;
    assert!(adele.user.roles.is_empty());
    let adele = server.actor("adele.vance").await;
    let r = adele.post("/settings/directory/test", json!({})).await;
    assert_eq!(r.status(), 403);
}

async fn test_connection_names_what_is_wrong(backend: Backend) {
    let server = start_with_ldap(backend, &["--directory-bind-password", "wrong"]).await;
    let admin = server.actor(BREAK_GLASS).await;
    let test: serde_json::Value = admin
        .post("/settings/directory/test", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(test["ok"], false);
    assert_eq!(test["checks"][1]["step"], "bind");
    assert_eq!(test["checks"][1]["ok"], false);
    assert!(test["checks"][1]["detail"]
        .as_str()
        .unwrap()
        .contains("refused"));

    let other_ca = slapd().dir.join("server.pem").display().to_string();
    let server = start_with_ldap(backend, &["--directory-ca-file", &other_ca]).await;
    let admin = server.actor(BREAK_GLASS).await;
    let test: serde_json::Value = admin
        .post("/settings/directory/test", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(test["checks"][0]["step"], "connect");
    assert_eq!(test["checks"][0]["ok"], false);
    assert!(
        test["checks"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("TLS"),
        "{test}"
    );
}

async fn contact_details_from_the_directory_count_as_admin_filled(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    let (_, megan) = server.sign_in("megan.bowen").await;
    let admin = server.actor(BREAK_GLASS).await;
    let contact = admin
        .get(&format!("/users/{}/contact-info", megan.user.id))
        .await;
    assert_eq!(contact["email"], "megan.bowen@contoso.example");
    assert_eq!(contact["phone"], "+15550100009");
}

async fn the_break_glass_account_signs_in_beside_the_directory(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    // The directory's entry of the same name has the same password: Rekey's own account wins.
    let (_, info) = server.sign_in(BREAK_GLASS).await;
    assert_eq!(info.user.display_name, "Rekey Admin");
    assert_eq!(info.user.roles.len(), 1);
}

async fn someone_added_a_minute_ago_signs_in_and_someone_removed_is_out(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    let uid = format!("new.starter.{backend:?}").to_lowercase();
    slapd().add_person(&uid, "New Starter");
    let (client, info) = server.sign_in(&uid).await;
    assert_eq!(info.user.display_name, "New Starter");

    slapd().delete_person(&uid);
    let r = server
        .attempt_sign_in(&server.client(), &uid, DEMO_PASSWORD)
        .await;
    assert_eq!(error_code(r, 401).await, "invalid_credentials");
    // The removal ended the session they had.
    let r = client.get(server.api("/session")).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

async fn rekey_locks_out_before_the_directory_does(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    let uid = format!("guessed.at.{backend:?}").to_lowercase();
    slapd().add_person(&uid, "Guessed At");
    let client = server.client();
    for _ in 0..2 {
        let r = server
            .attempt_sign_in(&client, &uid, "Wrong-guess-2026")
            .await;
        assert_eq!(r.status(), 401);
    }
    // The third wrong password locks the name in Rekey; later ones never reach the directory.
    for _ in 0..6 {
        let r = server
            .attempt_sign_in(&client, &uid, "Wrong-guess-2026")
            .await;
        assert_eq!(error_code(r, 429).await, "account_locked");
    }
    // Eight guesses through Rekey, three reached the directory: below its threshold of five,
    // so the person still signs in to every other application.
    assert!(slapd().accepts(&uid, DEMO_PASSWORD));
}

async fn a_directory_password_is_not_changed_in_rekey(backend: Backend) {
    let server = start_with_ldap(backend, &[]).await;
    let lee = server.actor("lee.gu").await;
    let r = lee
        .post(
            "/me/password",
            json!({"current_password": DEMO_PASSWORD, "password": "Harbour lantern 2031",
                   "confirm": "Harbour lantern 2031"}),
        )
        .await;
    assert_eq!(error_code(r, 409).await, "directory_owns_password");
    assert!(slapd().accepts("lee.gu", DEMO_PASSWORD));
}

async fn a_stopped_directory_answers_503_quickly_and_own_accounts_still_sign_in(backend: Backend) {
    // Nothing listens on port 9 of this machine.
    let server = start_with_ldap(
        backend,
        &[
            "--directory-url",
            "ldaps://127.0.0.1:9",
            "--directory-timeout-seconds",
            "2",
        ],
    )
    .await;
    let started = Instant::now();
    let r = server
        .attempt_sign_in(&server.client(), "adele.vance", DEMO_PASSWORD)
        .await;
    assert_eq!(error_code(r, 503).await, "directory_unavailable");
    assert!(started.elapsed() < Duration::from_secs(3));
    server.sign_in(BREAK_GLASS).await;
}

async fn a_wrong_ca_is_refused(backend: Backend) {
    let other_ca = slapd().dir.join("server.pem").display().to_string();
    let server = start_with_ldap(backend, &["--directory-ca-file", &other_ca]).await;
    let r = server
        .attempt_sign_in(&server.client(), "adele.vance", DEMO_PASSWORD)
        .await;
    assert_eq!(error_code(r, 503).await, "directory_unavailable");
}

crate::on_both_databases!(
    directory_people_sign_in_with_their_directory_password,
    sync_mirrors_people_groups_and_nesting,
    only_one_instance_syncs_at_a_time,
    test_connection_checks_every_step_and_admins_see_the_last_sync,
    test_connection_names_what_is_wrong,
    contact_details_from_the_directory_count_as_admin_filled,
    the_break_glass_account_signs_in_beside_the_directory,
    someone_added_a_minute_ago_signs_in_and_someone_removed_is_out,
    rekey_locks_out_before_the_directory_does,
    a_directory_password_is_not_changed_in_rekey,
    a_stopped_directory_answers_503_quickly_and_own_accounts_still_sign_in,
    a_wrong_ca_is_refused,
);
