//! Benchmark: the audit log's pages, filters and CSV export with 1,000,000 events, over real
//! HTTP.
//!
//!     cargo run --release -p rekey-server --example audit_bench            # SQLite
//!     DATABASE_URL=postgres://postgres@127.0.0.1:5432/rekey_audit_bench \
//!       cargo run --release -p rekey-server --example audit_bench          # PostgreSQL
//!
//! Prints p50 / p95 / max latency per request shape. Figures live in docs/performance.md.

mod common;

use std::time::Instant;

use rekey_core::audit::AuditAction;
use rekey_core::roles::Role;
use rekey_server::store::users;

const EVENTS: i64 = 1_000_000;
const RUNS: usize = 30;
const PASSWORD: &str = "benchmark password";
/// The events span 90 days, newest now.
const SPAN_MS: i64 = 90 * 86_400_000;
/// Rows per INSERT while seeding.
const BATCH: i64 = 500;

/// Event `i`'s action, actor and target: mostly sign-ins by 10,000 people, 1 in 10 failed,
/// 1 in 1,000 a settings change by an admin, 1 in 10,000 a blocked reset.
fn event(i: i64) -> (AuditAction, Option<String>, String) {
    let person = format!("user{:05}@bench.example", i % 10_000);
    if i % 10_000 == 7 {
        (AuditAction::ResetBlocked, None, person)
    } else if i % 1_000 == 3 {
        let admin = "admin@bench.example".to_string();
        (AuditAction::SsprSettingsChanged, Some(admin), "sspr".into())
    } else if i % 10 == 1 {
        (AuditAction::SignInFailed, None, person)
    } else {
        (AuditAction::SignInSucceeded, Some(person.clone()), person)
    }
}

async fn seed(pool: &sqlx::AnyPool) {
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let started = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    for start in (0..EVENTS).step_by(BATCH as usize) {
        let rows: Vec<String> = (start..(start + BATCH).min(EVENTS))
            .map(|i| {
                let (action, actor, target) = event(i);
                let at = now_ms - SPAN_MS + i * SPAN_MS / EVENTS;
                let actor = actor.map_or("NULL".to_string(), |a| format!("'{a}'"));
                format!(
                    "('{i:012}', {at}, {actor}, '{}', '{target}', NULL, NULL, '203.0.113.{}', 'bench')",
                    action.as_str(),
                    i % 250
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO audit_events (id, at_ms, actor, action, target, old_value, new_value, \
             client_ip, user_agent) VALUES {}",
            rows.join(", ")
        );
        sqlx::query(&sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    println!("seeded {EVENTS} events in {:.1?}", started.elapsed());
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::bench_state(dir.path()).await;
    let pool = &state.db.pool;
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
        .fetch_one(pool)
        .await
        .unwrap();
    if held < EVENTS {
        let hash = rekey_server::infra::passwords::hash_now(PASSWORD).unwrap();
        let mut tx = pool.begin().await.unwrap();
        let admin = users::NewUser {
            sign_in_name: "admin@bench.example",
            display_name: "Bench Admin",
            password_hash: &hash,
            roles: &[Role::GlobalAdmin],
            must_change_password: false,
        };
        users::create(&mut tx, admin).await.unwrap();
        tx.commit().await.unwrap();
        seed(pool).await;
    }

    let (client, base, _) = common::serve_signed_in(&state, "admin@bench.example", PASSWORD).await;

    // A cursor half-way down: the page an admin reaches after 20,000 "Older" clicks.
    let middle: (i64, String) =
        sqlx::query_as("SELECT at_ms, id FROM audit_events WHERE id = '000000500000'")
            .fetch_one(pool)
            .await
            .unwrap();
    let deep = format!("/api/audit?before={}.{}", middle.0, middle.1);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let one_day = format!(
        "/api/audit?from={}&to={}",
        now - 31 * 86_400,
        now - 30 * 86_400
    );
    let old_failures = format!("/api/audit?outcome=failure&to={}", now - 60 * 86_400);

    println!(
        "backend: {:?}, {EVENTS} events, {RUNS} requests each",
        state.db.backend
    );
    common::report_gets(
        &client,
        &base,
        &[
            ("newest page", "/api/audit"),
            ("page half-way down (cursor)", deep.as_str()),
            (
                "one user (100 events)",
                "/api/audit?user=user04321@bench.example",
            ),
            ("one action, rare (100)", "/api/audit?action=reset_blocked"),
            (
                "one action, common (900,000)",
                "/api/audit?action=sign_in_succeeded",
            ),
            ("failures (100,000)", "/api/audit?outcome=failure"),
            ("failures older than 60 days", old_failures.as_str()),
            ("one day, 30 days ago", one_day.as_str()),
            ("search, matching 100", "/api/audit?q=user04321"),
            ("search, matching none (reads all)", "/api/audit?q=nobody"),
            (
                "user + action",
                "/api/audit?user=user04321@bench.example&action=sign_in_failed",
            ),
        ],
        RUNS,
    )
    .await;
    // The largest export: 100,000 rows, streamed.
    let started = Instant::now();
    let body = client
        .get(format!("{base}/api/audit/export"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let rows = body.iter().filter(|&&b| b == b'\n').count() - 1;
    println!(
        "CSV export, {rows} rows ({:.1} MB): {:.1?}",
        body.len() as f64 / 1e6,
        started.elapsed()
    );
}
