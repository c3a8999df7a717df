//! Rekey connected to real directories — OpenLDAP (slapd with ppolicy and memberof) and
//! Active Directory (Samba AD DC), each over LDAPS as a service account: sign-in by binding as
//! the user, live look-ups, the mirror kept by sync (users, groups, nesting, contact details),
//! break-glass accounts, faults. Every test runs against both kinds, on both databases.

use std::time::{Duration, Instant};

use rekey_core::dto::SyncResult;
use rekey_server::domain::directory::sync;
use rekey_server::seed::DEMO_PASSWORD;
use serde_json::json;

use crate::common::directories::{Kind, TestDirectory, SERVICE_PASSWORD, SUFFIX};
use crate::common::*;
use crate::users::field_errors;

async fn directory(server: &TestServer) -> rekey_server::domain::directory::Directory {
    let pool = &server.state.db.pool;
    server.state.directories.current(pool).await.unwrap()
}

/// A server connected to the directory, synced once, and its break-glass admin.
async fn synced(backend: Backend, dir: &TestDirectory) -> (TestServer, Actor) {
    let server = start_with_ldap(backend, dir, &[]).await;
    run_sync(&server).await;
    let admin = server.actor(BREAK_GLASS).await;
    (server, admin)
}

async fn run_sync(server: &TestServer) -> SyncResult {
    sync::run_once(
        &server.state.db.pool,
        &directory(server).await,
        "test",
        &server.state.metrics,
        sync::SyncMode::Changes,
    )
    .await
    .expect("sync")
    .expect("the lease was free")
}

async fn directory_people_sign_in_with_their_directory_password(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
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

async fn sync_mirrors_people_groups_and_nesting(backend: Backend, dir: &TestDirectory) {
    // Only the seeded people: others are added and removed by tests running meanwhile.
    let filter = dir.seeded_people_filter();
    let server = start_with_ldap(backend, dir, &["--directory-user-filter", &filter]).await;
    let first = run_sync(&server).await;
    assert_eq!(first.error, None);
    // 11 people (the impostor of the break-glass name is skipped), 5 groups.
    assert!(first.users_added >= 11, "{first:?}");
    assert_eq!(first.groups_added, 5, "{first:?}");
    assert!(
        first
            .skipped
            .iter()
            .any(|s| s.contains("rekey.admin is another account's name")),
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

async fn a_sync_reads_what_changed_since_the_last_and_sees_who_is_gone(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    let tag = format!("{backend:?}").to_lowercase();
    let (stays, goes) = (format!("stays.{tag}"), format!("goes.{tag}"));
    dir.add_person(&stays, "Stays Here");
    dir.add_person(&goes, "Goes Away");
    let first = run_sync(&server).await;
    assert!(!first.incremental, "the first sync reads everything");
    let admin = server.actor(BREAK_GLASS).await;
    let sales = admin.get("/groups?q=Sales").await["items"][0]["id"].clone();
    let scope = json!({"scope": "selected", "group_id": sales});
    assert_eq!(admin.put("/settings/sspr", scope).await.status(), 200);
    let covered = format!("/users?sspr=true&q={stays}");
    assert_eq!(admin.get(&covered).await["total"], 0);

    dir.change_person(&stays, "replace: displayName\ndisplayName: Stays Renamed");
    dir.add_to_group(&stays, "Sales");
    dir.delete_person(&goes);
    let next = run_sync(&server).await;
    assert!(next.incremental, "{next:?}");
    assert_eq!(next.error, None);
    assert!(
        next.users_changed >= 1 && next.users_removed >= 1,
        "{next:?}"
    );

    // Now in Sales, whom self-service reset covers.
    assert_eq!(admin.get(&covered).await["total"], 1);
    assert_covered_as_decided(&server, &admin).await;
    let found = admin.get(&format!("/users?q={stays}")).await;
    let user = &found["items"][0];
    assert_eq!(user["display_name"], "Stays Renamed", "{found}");
    let detail = admin
        .get(&format!("/users/{}", user["id"].as_str().unwrap()))
        .await;
    assert_eq!(group_names(&detail), ["Sales"], "{detail}");
    let gone = admin.get(&format!("/users?q={goes}")).await;
    assert_eq!(gone["items"][0]["enabled"], false, "{gone}");

    // An admin may ask for the whole directory.
    let r = admin
        .post("/settings/directory/sync?full=true", json!({}))
        .await;
    assert_eq!(r.status(), 200);
    let full: SyncResult = r.json().await.unwrap();
    assert!(!full.incremental, "{full:?}");
    assert_eq!((full.users_changed, full.users_removed), (0, 0), "{full:?}");
}

async fn only_one_instance_syncs_at_a_time(backend: Backend, dir: &TestDirectory) {
    use rekey_server::store::directory_mirror;
    let server = start_with_ldap(backend, dir, &[]).await;
    let pool = &server.state.db.pool;
    let now = rekey_server::infra::db::now();
    assert!(
        directory_mirror::take_lease(pool, "other-instance", now, now + 60)
            .await
            .unwrap()
    );
    // Admins see how far the other instance's sync has come.
    let progress = r#"{"started_at":1,"incremental":true,"groups_read":5,"people_read":1000}"#;
    directory_mirror::record_progress(pool, "other-instance", progress)
        .await
        .unwrap();
    let admin = server.actor(BREAK_GLASS).await;
    let status = admin.get("/settings/directory/sync").await;
    assert_eq!(status["running"]["people_read"], 1000, "{status}");
    let directory = &directory(&server).await;
    assert!(sync::run_once(
        pool,
        directory,
        "this-instance",
        &server.state.metrics,
        sync::SyncMode::Full
    )
    .await
    .unwrap()
    .is_none());
    // A lease that ran out (its holder died) is taken over.
    assert!(
        directory_mirror::take_lease(pool, "other-instance", now, now - 1)
            .await
            .unwrap()
    );
    let report = sync::run_once(
        pool,
        directory,
        "this-instance",
        &server.state.metrics,
        sync::SyncMode::Full,
    )
    .await
    .unwrap();
    assert!(report.is_some_and(|r| r.users_added >= 11));
    let status = admin.get("/settings/directory/sync").await;
    assert_eq!(status["running"], serde_json::Value::Null, "{status}");
    let last = directory_mirror::last_result(pool)
        .await
        .unwrap()
        .expect("a result");
    assert!(last.contains("\"users_added\""), "{last}");
}

/// Test connection for what the settings page shows now.
async fn test_connection(admin: &Actor) -> serde_json::Value {
    let settings = admin.get("/settings/directory").await["settings"].clone();
    let r = admin.post("/settings/directory/test", settings).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn steps(test: &serde_json::Value) -> Vec<(String, bool)> {
    test["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["step"].as_str().unwrap().to_string(),
                c["ok"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn step(name: &str, ok: bool) -> (String, bool) {
    (name.to_string(), ok)
}

async fn test_connection_checks_every_step_and_admins_see_the_last_sync(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    let admin = server.actor(BREAK_GLASS).await;
    let view = admin.get("/settings/directory").await;
    assert_eq!(view["settings"]["from_environment"], true);
    assert_eq!(view["settings"]["source"], "ldap");
    assert_eq!(view["settings"]["ldap"]["kind"], dir.kind_name());
    assert!(
        !view.to_string().contains(SERVICE_PASSWORD),
        "the service account's password is never returned"
    );
    assert_eq!(
        admin.get("/settings/directory/sync").await,
        json!({"running": null, "last": null})
    );

    let test = test_connection(&admin).await;
    let all_pass =
        ["connect", "bind", "users", "groups", "lockout", "writeback"].map(|s| step(s, true));
    assert_eq!(steps(&test), all_pass, "{test}");
    assert_eq!(test["ok"], true);
    assert!(test["users_found"].as_u64().unwrap() >= 12, "{test}");
    assert_eq!(test["groups_found"], 5);
    assert_eq!(test["samples"].as_array().unwrap().len(), 5);
    assert!(test["samples"][0]["stable_id"].is_string(), "{test}");
    let lockout = test["checks"][4]["detail"].as_str().unwrap();
    assert!(lockout.contains("before the directory's 5"), "{lockout}");
    // The page words it in the reader's language from the outcome.
    assert_eq!(
        test["checks"][4]["outcome"],
        json!({"code": "lockout_first", "rekey": 3, "directory": 5})
    );
    // The service account may do what password writeback needs (checked without writing).
    assert_eq!(
        test["checks"][5]["outcome"],
        json!({"code": "writeback_allowed"})
    );

    // Settings from the deployment's configuration are not changed here.
    let settings = admin.get("/settings/directory").await["settings"].clone();
    let r = admin.put("/settings/directory", settings).await;
    assert_eq!(error_code(r, 409).await, "conflict");

    let r = admin.post("/settings/directory/sync", json!({})).await;
    assert_eq!(r.status(), 200);
    let status = admin.get("/settings/directory/sync").await;
    assert!(
        status["last"]["users_added"].as_u64().unwrap() >= 11,
        "{status}"
    );
    assert_eq!(status["running"], serde_json::Value::Null);
    // And in the metrics.
    let metrics = server.metrics().await;
    assert!(
        metrics.contains("rekey_directory_syncs_total{outcome=\"ok\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("rekey_directory_sync_changes_total{change=\"users_added\"}"));
    assert!(metrics.contains("rekey_directory_last_sync_timestamp_seconds "));

    // Only Global and Password admins test and sync.
    let adele = server.actor("adele.vance").await;
    assert!(adele.info.user.roles.is_empty());
    let r = adele
        .post("/settings/directory/test", view["settings"].clone())
        .await;
    assert_eq!(r.status(), 403);
    let r = adele.post("/settings/directory/sync", json!({})).await;
    assert_eq!(r.status(), 403);
}

async fn test_connection_names_what_is_wrong(backend: Backend, dir: &TestDirectory) {
    let server = start_with_ldap(backend, dir, &["--directory-bind-password", "wrong"]).await;
    let admin = server.actor(BREAK_GLASS).await;
    let test = test_connection(&admin).await;
    assert_eq!(test["ok"], false);
    assert_eq!(steps(&test), [step("connect", true), step("bind", false)]);
    assert!(test["checks"][1]["detail"]
        .as_str()
        .unwrap()
        .contains("refused"));

    let other_ca = dir.wrong_ca_file();
    let server = start_with_ldap(backend, dir, &["--directory-ca-file", &other_ca]).await;
    let admin = server.actor(BREAK_GLASS).await;
    let test = test_connection(&admin).await;
    assert_eq!(steps(&test), [step("connect", true), step("tls", false)]);
    let detail = test["checks"][1]["detail"].as_str().unwrap();
    assert!(detail.contains("CA certificate"), "{detail}");

    // Rekey's lockout must trip before the directory's (5): a warning, not a refusal.
    let server = start_with_ldap(backend, dir, &["--lockout-threshold", "9"]).await;
    let admin = server.actor(BREAK_GLASS).await;
    let test = test_connection(&admin).await;
    assert_eq!(test["ok"], true, "{test}");
    assert_eq!(test["checks"][4]["step"], "lockout");
    assert_eq!(test["checks"][4]["ok"], false);
    assert_eq!(test["checks"][4]["blocking"], false);
    let detail = test["checks"][4]["detail"].as_str().unwrap();
    assert!(detail.contains("below 5"), "{detail}");
}

async fn an_admin_connects_the_directory_in_the_settings(backend: Backend, dir: &TestDirectory) {
    let server = start_break_glass_only(backend).await;
    let admin = server.actor(BREAK_GLASS).await;
    let view = admin.get("/settings/directory").await;
    assert_eq!(view["settings"]["source"], "own");
    assert_eq!(view["settings"]["from_environment"], false);
    let r = server
        .attempt_sign_in(&server.client(), "adele.vance", DEMO_PASSWORD)
        .await;
    assert_eq!(r.status(), 401, "not connected yet");

    // A wrong service password is not saved, and the form says which field is wrong.
    let r = admin
        .put("/settings/directory", dir.admin_settings("wrong"))
        .await;
    assert_eq!(
        field_errors(r).await,
        vec![(
            "bind_password".to_string(),
            "directory_bind_refused".to_string()
        )]
    );
    assert_eq!(
        admin.get("/settings/directory").await["settings"]["source"],
        "own"
    );
    // A filter that finds nobody is named too.
    let mut nobody = dir.admin_settings(SERVICE_PASSWORD);
    nobody["ldap"]["users_filter"] = json!("(objectClass=nobodyHasThis)");
    let r = admin.put("/settings/directory", nobody).await;
    assert_eq!(
        field_errors(r).await,
        vec![(
            "ldap.users_filter".to_string(),
            "directory_nothing_found".to_string()
        )]
    );

    let r = admin
        .put("/settings/directory", dir.admin_settings(SERVICE_PASSWORD))
        .await;
    assert_eq!(r.status(), 200);
    let saved: serde_json::Value = r.json().await.unwrap();
    assert_eq!(saved["settings"]["source"], "ldap");
    assert_eq!(saved["settings"]["bind_password"], "");
    assert_eq!(saved["settings"]["bind_password_set"], true);
    assert_eq!(saved["settings"]["ldap"]["urls"][0], dir.ldaps_url);
    // The password is sealed at rest and left out of the audit.
    let stored: String = sqlx::query_scalar("SELECT value FROM settings WHERE key = 'directory'")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert!(!stored.contains(SERVICE_PASSWORD));
    let audit = admin.get("/audit").await;
    assert!(!audit.to_string().contains(SERVICE_PASSWORD));
    assert!(
        audit.to_string().contains("bind_password_changed"),
        "{audit}"
    );

    // Directory people sign in at once; saving again without the password keeps it.
    server.sign_in("adele.vance").await;
    let mut again = saved["settings"].clone();
    again["ldap"]["timeout_seconds"] = json!(7);
    let r = admin.put("/settings/directory", again).await;
    assert_eq!(r.status(), 200);
    server.sign_in("alex.wilber").await;

    // Back to Rekey's own directory: directory people no longer sign in.
    let mut own = saved["settings"].clone();
    own["source"] = json!("own");
    let r = admin.put("/settings/directory", own).await;
    assert_eq!(r.status(), 200);
    let r = server
        .attempt_sign_in(&server.client(), "megan.bowen", DEMO_PASSWORD)
        .await;
    assert_eq!(r.status(), 401);
}

async fn the_directory_owns_names_and_groups_and_the_users_page_says_so(
    backend: Backend,
    dir: &TestDirectory,
) {
    let (server, admin) = synced(backend, dir).await;
    let listed = admin.get("/users?q=admin").await;
    let source = |name: &str| {
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["sign_in_name"] == name)
            .map(|u| u["from_directory"].clone())
    };
    assert_eq!(source(BREAK_GLASS), Some(json!(false)), "{listed}");
    assert_eq!(source("global.admin"), Some(json!(true)), "{listed}");
    let groups = admin.get("/groups?q=sales").await;
    assert_eq!(groups["items"][0]["from_directory"], true);

    let (_, lee) = server.sign_in("lee.gu").await;
    let r = admin
        .patch(
            &format!("/users/{}", lee.user.id),
            json!({"display_name": "Someone Else", "group_ids": []}),
        )
        .await;
    assert_eq!(
        field_errors(r).await,
        vec![
            ("display_name".to_string(), "directory_owned".to_string()),
            ("group_ids".to_string(), "directory_owned".to_string())
        ]
    );
    // What Rekey keeps of its own (here: the expiry exemption) still changes.
    let r = admin
        .patch(
            &format!("/users/{}", lee.user.id),
            json!({"password_never_expires": true}),
        )
        .await;
    assert_eq!(r.status(), 200);
}

async fn admin_roles_come_from_directory_groups(backend: Backend, dir: &TestDirectory) {
    let (server, admin) = synced(backend, dir).await;
    let it_admins = admin.get("/groups?q=IT%20admins").await["items"][0].clone();
    assert_eq!(it_admins["roles"], json!([]));
    let path = format!("/groups/{}/roles", it_admins["id"].as_str().unwrap());
    let r = admin.put(&path, json!({"roles": ["global_admin"]})).await;
    assert_eq!(r.status(), 200);
    let granted: serde_json::Value = r.json().await.unwrap();
    assert_eq!(granted["roles"], json!(["global_admin"]));

    // Someone added to the group in the directory after the sync: the live look-up at their
    // sign-in reads their groups (memberOf), so they hold the role at once.
    let uid = format!("new.it.{backend:?}").to_lowercase();
    dir.add_person(&uid, "New IT");
    dir.add_to_group(&uid, "IT admins");
    let (_, newcomer) = server.sign_in(&uid).await;
    assert_eq!(newcomer.user.roles.len(), 1, "{:?}", newcomer.user.roles);

    // Everyone in the group is a Global admin now; others are not.
    let gloria = server.actor("global.admin").await;
    assert_eq!(
        gloria.info.user.roles.len(),
        1,
        "{:?}",
        gloria.info.user.roles
    );
    assert_eq!(
        gloria.get("/settings/directory").await["settings"]["source"],
        "ldap"
    );
    let (_, megan) = server.sign_in("megan.bowen").await;
    assert!(megan.user.roles.is_empty());
    // The Users page's role column and filter count roles held through a group.
    let listed = admin.get("/users?role=global_admin&per_page=100").await;
    let holders: Vec<(&str, &serde_json::Value)> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["sign_in_name"].as_str().unwrap(), &u["roles"]))
        .collect();
    assert!(
        holders.contains(&("global.admin", &json!(["global_admin"]))),
        "{listed}"
    );
    assert!(holders.iter().any(|(name, _)| *name == BREAK_GLASS));
    assert!(!holders.iter().any(|(name, _)| *name == "megan.bowen"));
    // The user's page tells the roles they hold themselves from their groups'.
    let detail = admin.get(&format!("/users/{}", gloria.info.user.id)).await;
    assert_eq!(detail["roles"], json!([]));
    assert_eq!(detail["group_roles"], json!(["global_admin"]));

    // Nobody takes away their own access here.
    let r = gloria.put(&path, json!({"roles": []})).await;
    assert_eq!(
        field_errors(r).await,
        vec![("roles".to_string(), "own_access".to_string())]
    );
    assert_eq!(
        admin.get(&path.replace("/roles", "")).await["roles"],
        json!(["global_admin"])
    );
    // The break-glass admin (Global on its own) may take it back; the audit says who did what.
    let r = admin.put(&path, json!({"roles": []})).await;
    assert_eq!(r.status(), 200);
    let audit = admin.get("/audit").await.to_string();
    assert!(audit.contains("group_roles_changed"), "{audit}");
    // A User admin (user.admin is in IT admins, which grants nothing now) may not grant
    // Global admin.
    let uma_path = format!("/users/{}", server.sign_in("user.admin").await.1.user.id);
    let r = admin
        .patch(&uma_path, json!({"roles": ["user_admin"]}))
        .await;
    assert_eq!(r.status(), 200);
    let uma = server.actor("user.admin").await;
    let sales = admin.get("/groups?q=sales").await["items"][0]["id"].clone();
    let r = uma
        .put(
            &format!("/groups/{}/roles", sales.as_str().unwrap()),
            json!({"roles": ["global_admin"]}),
        )
        .await;
    assert_eq!(r.status(), 403);
}

async fn contact_details_from_the_directory_count_as_admin_filled(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    let (_, megan) = server.sign_in("megan.bowen").await;
    let admin = server.actor(BREAK_GLASS).await;
    let contact = admin
        .get(&format!("/users/{}/contact-info", megan.user.id))
        .await;
    assert_eq!(contact["email"], "megan.bowen@contoso.example");
    assert_eq!(contact["phone"], "+15550100009");
}

async fn the_break_glass_account_signs_in_beside_the_directory(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    // The directory's entry of the same name has the same password: Rekey's own account wins.
    let (_, info) = server.sign_in(BREAK_GLASS).await;
    assert_eq!(info.user.display_name, "Rekey Admin");
    assert_eq!(info.user.roles.len(), 1);
}

async fn someone_added_a_minute_ago_signs_in_and_someone_removed_is_out(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    let uid = format!("new.starter.{backend:?}").to_lowercase();
    dir.add_person(&uid, "New Starter");
    let (client, info) = server.sign_in(&uid).await;
    assert_eq!(info.user.display_name, "New Starter");

    dir.delete_person(&uid);
    let r = server
        .attempt_sign_in(&server.client(), &uid, DEMO_PASSWORD)
        .await;
    assert_eq!(error_code(r, 401).await, "invalid_credentials");
    // The removal ended the session they had.
    let r = client.get(server.api("/session")).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

async fn rekey_locks_out_before_the_directory_does(backend: Backend, dir: &TestDirectory) {
    let server = start_with_ldap(backend, dir, &[]).await;
    let uid = format!("guessed.at.{backend:?}").to_lowercase();
    dir.add_person(&uid, "Guessed At");
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
    assert!(dir.accepts(&uid, DEMO_PASSWORD));
}

async fn a_password_the_directory_wants_changed_is_said_only_after_the_right_password(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    let uid = format!("renew.{backend:?}").to_lowercase();
    dir.add_person(&uid, "Renew Me");
    dir.require_new_password(&uid);
    let client = server.client();
    let r = server.attempt_sign_in(&client, &uid, DEMO_PASSWORD).await;
    assert_eq!(r.status(), 200);
    let info: serde_json::Value = r.json().await.unwrap();
    // Signed in to the forced change alone, which writes the new password to the directory.
    assert_eq!(info["user"]["password_change_due"], "admin_reset");
    let r = client
        .get(server.api("/me/security-info"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 403).await, "password_change_required");
    // A wrong password learns nothing about the account's state.
    let r = server
        .attempt_sign_in(&client, &uid, "Wrong-guess-2026")
        .await;
    assert_eq!(error_code(r, 401).await, "invalid_credentials");
}

async fn an_account_the_directory_turned_off_does_not_sign_in(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    let uid = format!("off.{backend:?}").to_lowercase();
    dir.add_person(&uid, "Turned Off");
    server.sign_in(&uid).await;
    dir.disable(&uid);
    let client = server.client();
    let r = server.attempt_sign_in(&client, &uid, DEMO_PASSWORD).await;
    match dir.kind {
        // AD checks the password first and then says the account is off.
        Kind::Ad => assert_eq!(error_code(r, 403).await, "directory_account_disabled"),
        // ppolicy refuses a locked account whatever the password: nothing more to say.
        Kind::Openldap => assert_eq!(error_code(r, 401).await, "invalid_credentials"),
    }
    let r = server
        .attempt_sign_in(&client, &uid, "Wrong-guess-2026")
        .await;
    assert_eq!(error_code(r, 401).await, "invalid_credentials");
    // The Users page shows them turned off.
    let admin = server.actor(BREAK_GLASS).await;
    let listed = admin.get(&format!("/users?q={uid}")).await;
    assert_eq!(listed["items"][0]["enabled"], false, "{listed}");
}

async fn rekey_s_expiry_policy_leaves_directory_passwords_to_the_directory(
    backend: Backend,
    dir: &TestDirectory,
) {
    let server = start_with_ldap(backend, dir, &[]).await;
    server.sign_in("diego.siciliani").await;
    let admin = server.actor(BREAK_GLASS).await;
    let r = admin
        .put(
            "/settings/password-expiry",
            json!({"expires": true, "max_age_days": 90, "notice_days": 14}),
        )
        .await;
    assert_eq!(r.status(), 200);
    // However long ago Rekey first saw them, the directory keeps their password's age.
    sqlx::query("UPDATE users SET password_changed_at = 0 WHERE sign_in_name = $1")
        .bind("diego.siciliani")
        .execute(&server.state.db.pool)
        .await
        .unwrap();
    let (_, diego) = server.sign_in("diego.siciliani").await;
    assert_eq!(diego.user.password_change_due, None);
    let expired = admin.get("/users?password=expired").await;
    assert_eq!(expired["total"], 0, "{expired}");
    let impact = admin
        .get("/settings/password-expiry/impact?max_age_days=90&notice_days=14")
        .await;
    assert_eq!(
        impact["covered"], 1,
        "only the break-glass account: {impact}"
    );
}

async fn a_stopped_directory_answers_503_quickly_and_own_accounts_still_sign_in(
    backend: Backend,
    dir: &TestDirectory,
) {
    // Nothing listens on port 9 of this machine.
    let server = start_with_ldap(
        backend,
        dir,
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

async fn the_directory_stops_mid_session_and_comes_back(backend: Backend, dir: &TestDirectory) {
    let outage = crate::common::outage::Outage::start(dir.ldaps_addr());
    let url = format!("ldaps://{}", outage.addr);
    let server = start_with_ldap(
        backend,
        dir,
        &["--directory-url", &url, "--directory-timeout-seconds", "2"],
    )
    .await;
    let (adele, _) = server.sign_in("adele.vance").await;

    outage.stop();
    // Sign-in answers a clear 503 within the timeout; nothing is counted against the name.
    for _ in 0..4 {
        let started = Instant::now();
        let r = server
            .attempt_sign_in(&server.client(), "alex.wilber", "Wrong-guess-2026")
            .await;
        assert_eq!(error_code(r, 503).await, "directory_unavailable");
        assert!(started.elapsed() < Duration::from_secs(3));
    }
    // A session already open goes on: the directory is asked at sign-in, not per request.
    let r = adele.get(server.api("/session")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // Rekey's own accounts sign in without the directory.
    server.sign_in(BREAK_GLASS).await;

    outage.restart();
    // Back without restarting Rekey, and the outage locked nobody out.
    server.sign_in("alex.wilber").await;
}

async fn a_slow_directory_is_given_up_on_after_the_timeout(backend: Backend, dir: &TestDirectory) {
    // A server that accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ldaps://{}", silent.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let server = start_with_ldap(
        backend,
        dir,
        &["--directory-url", &url, "--directory-timeout-seconds", "1"],
    )
    .await;
    let started = Instant::now();
    let r = server
        .attempt_sign_in(&server.client(), "adele.vance", DEMO_PASSWORD)
        .await;
    assert_eq!(error_code(r, 503).await, "directory_unavailable");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(2),
        "{took:?}"
    );
}

async fn start_tls_on_the_plain_port_works_like_ldaps(backend: Backend, dir: &TestDirectory) {
    let server = start_with_ldap(
        backend,
        dir,
        &[
            "--directory-url",
            &dir.ldap_url,
            "--directory-starttls",
            "true",
        ],
    )
    .await;
    let (_, adele) = server.sign_in("adele.vance").await;
    assert_eq!(adele.user.display_name, "Adele Vance");
    let admin = server.actor(BREAK_GLASS).await;
    let test = test_connection(&admin).await;
    assert_eq!(test["ok"], true, "{test}");
    assert_eq!(test["checks"][0]["outcome"]["transport"], "starttls");
    // The certificate is checked after StartTLS as over LDAPS.
    let other_ca = dir.wrong_ca_file();
    let server = start_with_ldap(
        backend,
        dir,
        &[
            "--directory-url",
            &dir.ldap_url,
            "--directory-ca-file",
            &other_ca,
        ],
    )
    .await;
    let r = server
        .attempt_sign_in(&server.client(), "adele.vance", DEMO_PASSWORD)
        .await;
    assert_eq!(error_code(r, 503).await, "directory_unavailable");
}

async fn a_wrong_ca_is_refused(backend: Backend, dir: &TestDirectory) {
    let other_ca = dir.wrong_ca_file();
    let server = start_with_ldap(backend, dir, &["--directory-ca-file", &other_ca]).await;
    let r = server
        .attempt_sign_in(&server.client(), "adele.vance", DEMO_PASSWORD)
        .await;
    assert_eq!(error_code(r, 503).await, "directory_unavailable");
}

crate::on_both_directories!(
    directory_people_sign_in_with_their_directory_password,
    sync_mirrors_people_groups_and_nesting,
    a_sync_reads_what_changed_since_the_last_and_sees_who_is_gone,
    only_one_instance_syncs_at_a_time,
    test_connection_checks_every_step_and_admins_see_the_last_sync,
    test_connection_names_what_is_wrong,
    an_admin_connects_the_directory_in_the_settings,
    the_directory_owns_names_and_groups_and_the_users_page_says_so,
    admin_roles_come_from_directory_groups,
    contact_details_from_the_directory_count_as_admin_filled,
    the_break_glass_account_signs_in_beside_the_directory,
    someone_added_a_minute_ago_signs_in_and_someone_removed_is_out,
    rekey_locks_out_before_the_directory_does,
    a_password_the_directory_wants_changed_is_said_only_after_the_right_password,
    an_account_the_directory_turned_off_does_not_sign_in,
    rekey_s_expiry_policy_leaves_directory_passwords_to_the_directory,
    a_stopped_directory_answers_503_quickly_and_own_accounts_still_sign_in,
    a_wrong_ca_is_refused,
    start_tls_on_the_plain_port_works_like_ldaps,
    the_directory_stops_mid_session_and_comes_back,
    a_slow_directory_is_given_up_on_after_the_timeout,
);

/// AD hands out a long attribute's values a range at a time (1,500 by default); asked for one
/// value per range, Rekey still reads the whole member list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_member_list_is_read_range_by_range() {
    use crate::common::directories::directory as test_directory;
    use rekey_server::domain::directory::Directory;
    let server = start_with_ldap(Backend::Sqlite, test_directory(Kind::Ad), &[]).await;
    let Directory::Ldap(ldap) = directory(&server).await else {
        panic!("connected to the directory")
    };
    let found = ldap
        .client()
        .search(
            &format!("ou=groups,{SUFFIX}"),
            "(cn=Engineering)",
            &["member;range=0-0"],
        )
        .await
        .unwrap();
    let mut members = found[0].values("member").to_vec();
    members.sort();
    assert_eq!(
        members,
        [
            "CN=Alex Wilber,OU=people,DC=contoso,DC=example",
            "CN=Diego Siciliani,OU=people,DC=contoso,DC=example",
        ]
    );
}
