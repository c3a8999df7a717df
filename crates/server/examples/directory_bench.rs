//! Benchmark: Users and Groups listings with 100,000 users, over real HTTP.
//!
//!     cargo run --release -p rekey-server --example directory_bench            # SQLite
//!     DATABASE_URL=postgres://postgres@127.0.0.1:5432/rekey_bench \
//!       cargo run --release -p rekey-server --example directory_bench          # PostgreSQL
//!
//! Prints p50 / p95 / max latency per query shape. Figures live in docs/performance.md.

mod common;

use std::time::Instant;

use rekey_core::roles::Role;
use rekey_server::store::{groups, security_info, users};

const USERS: usize = 100_000;
const RUNS: usize = 50;
const PASSWORD: &str = "benchmark password";

/// Spreads the states the filters look for: 1 in 100 registered (an email on file), 1 in 50
/// with a password set 400 days ago, 1 in 1,000 disabled, 1 in 500 never expiring.
async fn vary(conn: &mut sqlx::AnyConnection, i: usize, id: &str) {
    let update = |sql: &'static str| sqlx::query(sql).bind(id.to_string());
    if i % 100 == 1 {
        let write = security_info::MethodWrite {
            user_id: id,
            method: "email",
            value: "someone@home.example",
            last_step: 0,
            set_by_admin: true,
        };
        security_info::put_method(&mut *conn, write, 0)
            .await
            .unwrap();
    }
    if i % 50 == 2 {
        let old =
            "UPDATE users SET password_changed_at = password_changed_at - 34560000 WHERE id = $1";
        update(old).execute(&mut *conn).await.unwrap();
    }
    if i % 1000 == 3 {
        let off = "UPDATE users SET enabled = 0 WHERE id = $1";
        update(off).execute(&mut *conn).await.unwrap();
    }
    if i % 500 == 4 {
        let never = "UPDATE users SET password_never_expires = 1 WHERE id = $1";
        update(never).execute(&mut *conn).await.unwrap();
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::bench_state(dir.path()).await;
    let pool = &state.db.pool;

    if users::count(pool).await.unwrap() < USERS as i64 {
        let started = Instant::now();
        let hash = rekey_server::infra::passwords::hash_now(PASSWORD).unwrap();
        let mut tx = pool.begin().await.unwrap();
        let group = groups::create(&mut tx, "Everyone", "all benchmark users")
            .await
            .unwrap();
        for i in 0..USERS {
            let name = format!("user{i:06}@bench.example");
            let display = format!("Bench User {i:06}");
            let roles: &[Role] = if i == 0 { &[Role::GlobalAdmin] } else { &[] };
            let new = users::NewUser {
                sign_in_name: &name,
                display_name: &display,
                password_hash: &hash,
                roles,
                must_change_password: false,
            };
            let id = users::create(&mut tx, new).await.unwrap();
            groups::add_user(&mut tx, &group, &id).await.unwrap();
            vary(&mut tx, i, &id).await;
        }
        tx.commit().await.unwrap();
        println!("seeded {USERS} users in {:.1?}", started.elapsed());
    }

    let (client, base, csrf) =
        common::serve_signed_in(&state, "user000000@bench.example", PASSWORD).await;
    let expiry = serde_json::json!({"expires": true, "max_age_days": 90, "notice_days": 14});
    let saved = client
        .put(format!("{base}/api/settings/password-expiry"))
        .header("x-csrf-token", csrf)
        .json(&expiry)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let group_id = groups::list(pool, Some("everyone"), 1, 1).await.unwrap().0[0]
        .id
        .clone();
    let by_group = format!("/api/users?group={group_id}&page=100");

    println!(
        "backend: {:?}, {USERS} users, {RUNS} requests each",
        state.db.backend
    );
    common::report_gets(
        &client,
        &base,
        &[
            ("users, first page", "/api/users"),
            ("users, page 2000 of 4000", "/api/users?page=2000"),
            ("users, search matching 1", "/api/users?q=user054321"),
            ("users, search matching 1,000", "/api/users?q=user042"),
            ("users, search matching none", "/api/users?q=nobody"),
            (
                "users, role: Global admin (1)",
                "/api/users?role=global_admin",
            ),
            ("users, in group (100,000), page 100", by_group.as_str()),
            ("users, disabled (100)", "/api/users?enabled=false"),
            ("users, registered (1,000)", "/api/users?registered=true"),
            (
                "users, not registered, page 100",
                "/api/users?registered=false&page=100",
            ),
            (
                "users, password expired (2,000)",
                "/api/users?password=expired",
            ),
            (
                "users, never expires (200)",
                "/api/users?password=never_expires",
            ),
            (
                "users, expired + search",
                "/api/users?password=expired&q=user0",
            ),
            (
                "expiry impact (count)",
                "/api/settings/password-expiry/impact?max_age_days=60&notice_days=14",
            ),
            ("groups, first page", "/api/groups"),
        ],
        RUNS,
    )
    .await;
}
