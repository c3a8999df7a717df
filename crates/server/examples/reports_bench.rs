//! Benchmark: the Reports page's requests (and the drill-downs and metrics behind them) with
//! 100,000 users and 1,000,000 audit events, over real HTTP.
//!
//!     cargo run --release -p rekey-server --example reports_bench            # SQLite
//!     DATABASE_URL=postgres://postgres@127.0.0.1:5432/rekey_reports_bench \
//!       cargo run --release -p rekey-server --example reports_bench          # PostgreSQL
//!
//! Prints p50 / p95 / max latency per request. Figures live in docs/performance.md.

mod common;

use std::time::Instant;

use rekey_server::store::{groups, users};

const USERS: i64 = 100_000;
const EVENTS: i64 = 1_000_000;
const RUNS: usize = 30;
const PASSWORD: &str = "benchmark password";
/// The events span 365 days, newest now.
const SPAN_MS: i64 = 365 * 86_400_000;
/// Rows per INSERT while seeding.
const BATCH: i64 = 500;

/// User `i`: 6 in 10 hold an email, 1 in 5 a phone too, 1 in 1,000 is an admin.
fn user_row(i: i64, hash: &str) -> String {
    let name = format!("user{i:06}@bench.example");
    format!(
        "('u{i:06}', '{name}', '{name}', 'Bench User {i:06}', '{name} bench user {i:06}', \
         '{hash}', 1, 0, 0, 0)"
    )
}

/// Event `i`: the mix a reporting organisation sees. Half are sign-ins; the rest are the
/// reset flow's events and the helpdesk's, with their flow, methods and detail.
fn event_row(i: i64, now_ms: i64) -> String {
    let at = now_ms - SPAN_MS + i * SPAN_MS / EVENTS;
    let person = format!("user{:06}@bench.example", i % USERS);
    let (action, flow, methods, detail) = match i % 20 {
        0..=9 => ("sign_in_succeeded", "NULL", "NULL", "NULL"),
        10 | 11 => ("reset_started", "NULL", "NULL", "NULL"),
        12 => ("password_reset_self", "'reset'", "'email'", "NULL"),
        13 => (
            "account_unlocked_self",
            "'unlock'",
            "'mobile_phone'",
            "NULL",
        ),
        14 => ("proof_failed", "'reset'", "'email'", "'wrong_code'"),
        15 => ("reset_abandoned", "'reset'", "NULL", "'left'"),
        16 => ("reset_abandoned", "'reset'", "NULL", "'blocked'"),
        17 => ("password_reset_by_admin", "NULL", "NULL", "NULL"),
        18 => ("security_info_changed", "NULL", "'email'", "'added'"),
        _ => ("sign_in_failed", "NULL", "NULL", "NULL"),
    };
    format!(
        "('e{i:09}', {at}, NULL, '{action}', '{person}', NULL, NULL, '203.0.113.7', 'bench', \
         {flow}, {methods}, {detail})"
    )
}

async fn insert_batches(pool: &sqlx::AnyPool, head: &str, count: i64, row: impl Fn(i64) -> String) {
    let mut tx = pool.begin().await.unwrap();
    for start in (0..count).step_by(BATCH as usize) {
        let rows: Vec<String> = (start..(start + BATCH).min(count)).map(&row).collect();
        sqlx::query(&format!("{head} VALUES {}", rows.join(", ")))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn seed(pool: &sqlx::AnyPool) {
    let started = Instant::now();
    let hash = rekey_server::infra::passwords::hash_now(PASSWORD).unwrap();
    insert_batches(
        pool,
        "INSERT INTO users (id, sign_in_name, sign_in_name_lc, display_name, search_text, \
         password_hash, enabled, created_at, password_changed_at, must_change_password)",
        USERS,
        |i| user_row(i, &hash),
    )
    .await;
    let sql = |s: &str| s.to_string();
    for statement in [
        sql(
            "INSERT INTO auth_methods (user_id, method, value, last_step, set_by_admin, \
             updated_at) SELECT id, 'email', 'someone@home.example', 0, 0, 0 FROM users \
             WHERE CAST(SUBSTR(id, 2) AS INTEGER) % 10 < 6",
        ),
        sql(
            "INSERT INTO auth_methods (user_id, method, value, last_step, set_by_admin, \
             updated_at) SELECT id, 'mobile_phone', '+15550100', 0, 0, 0 FROM users \
             WHERE CAST(SUBSTR(id, 2) AS INTEGER) % 5 = 0",
        ),
        sql(
            "INSERT INTO user_roles (user_id, role) SELECT id, 'global_admin' FROM users \
             WHERE CAST(SUBSTR(id, 2) AS INTEGER) % 1000 = 0",
        ),
        // What `store::security_info` keeps for each user as their methods change.
        sql(
            "UPDATE users SET methods_held = (SELECT COALESCE(SUM(CASE a.method \
             WHEN 'mobile_phone' THEN 2 WHEN 'email' THEN 4 ELSE 0 END), 0) \
             FROM auth_methods a WHERE a.user_id = users.id)",
        ),
    ] {
        sqlx::query(&statement).execute(pool).await.unwrap();
    }
    // Everyone is in a group nested in the pilot group self-service reset covers.
    let mut tx = pool.begin().await.unwrap();
    let everyone = groups::create(&mut tx, "Everyone", "all benchmark users")
        .await
        .unwrap();
    let pilot = groups::create(&mut tx, "Pilot", "self-service reset")
        .await
        .unwrap();
    groups::add_group(&mut tx, &pilot, &everyone).await.unwrap();
    tx.commit().await.unwrap();
    sqlx::query(
        "INSERT INTO group_user_members (group_id, user_id) SELECT $1, id FROM users \
         WHERE sign_in_name LIKE 'user%'",
    )
    .bind(&everyone)
    .execute(pool)
    .await
    .unwrap();
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    insert_batches(
        pool,
        "INSERT INTO audit_events (id, at_ms, actor, action, target, old_value, new_value, \
         client_ip, user_agent, flow, methods, detail)",
        EVENTS,
        |i| event_row(i, now_ms),
    )
    .await;
    // The daily rollup, as the migration builds it from events recorded before it.
    for statement in [
        "INSERT INTO audit_daily (day, action, flow, detail, method, events) \
         SELECT at_ms / 86400000, action, COALESCE(flow, ''), COALESCE(detail, ''), '', COUNT(*) \
         FROM audit_events WHERE action NOT LIKE 'sign_in%' \
         GROUP BY at_ms / 86400000, action, COALESCE(flow, ''), COALESCE(detail, '')",
        "INSERT INTO audit_daily (day, action, flow, detail, method, events) \
         SELECT at_ms / 86400000, action, COALESCE(flow, ''), COALESCE(detail, ''), methods, \
         COUNT(*) FROM audit_events WHERE methods IS NOT NULL \
         GROUP BY at_ms / 86400000, action, COALESCE(flow, ''), COALESCE(detail, ''), methods",
    ] {
        sqlx::query(statement).execute(pool).await.unwrap();
    }
    println!(
        "seeded {USERS} users and {EVENTS} events in {:.1?}",
        started.elapsed()
    );
}

/// PostgreSQL plans by its statistics and reads an index alone only where its visibility map
/// says so, both of which autovacuum brings up to date within a minute of a bulk change (the
/// load, the scope's flags on every user); the benchmark does it at once. (SQLite has no
/// statistics unless asked, as in real use.)
async fn vacuum(state: &rekey_server::state::AppState) {
    if state.db.backend == rekey_server::infra::db::Backend::Postgres {
        sqlx::query("VACUUM ANALYZE")
            .execute(&state.db.pool)
            .await
            .unwrap();
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let state = common::bench_state(dir.path()).await;
    let pool = &state.db.pool;
    let fresh = users::count(pool).await.unwrap() < USERS;
    if fresh {
        seed(pool).await;
    }
    let admin = "user000000@bench.example";
    let (client, base, csrf) = common::serve_signed_in(&state, admin, PASSWORD).await;
    let ids = |name: &str| {
        let name = name.to_string();
        async move {
            groups::list(pool, Some(&name), 1, 1).await.unwrap().0[0]
                .id
                .clone()
        }
    };
    let (everyone, pilot) = (ids("everyone").await, ids("pilot").await);
    // Once, on the database just seeded: the save sets every user's flag (saved again on
    // every run, each would leave 100,000 dead rows behind on PostgreSQL).
    if fresh {
        let scope = serde_json::json!({"scope": "selected", "group_id": pilot});
        let started = Instant::now();
        let saved = client
            .put(format!("{base}/api/settings/sspr"))
            .header("x-csrf-token", &csrf)
            .json(&scope)
            .send()
            .await
            .unwrap();
        println!(
            "saving the scope (a group nesting all {USERS} users): {:.1?}",
            started.elapsed()
        );
        assert_eq!(saved.status(), 200);
        vacuum(&state).await;
    }

    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let year = format!("/api/reports/activity?from={}&to={now}", now - 365 * 86_400);
    let blocked = format!(
        "/api/audit?action=reset_abandoned&detail=blocked&from={}&to={now}",
        now - 30 * 86_400
    );
    let in_group = format!("/api/reports/registration?group={everyone}&fresh=true");
    println!(
        "backend: {:?}, {USERS} users, {EVENTS} events, {RUNS} requests each",
        state.db.backend
    );
    common::report_gets(
        &client,
        &base,
        &[
            (
                "registration, counted up to a minute ago",
                "/api/reports/registration",
            ),
            (
                "registration, counted now",
                "/api/reports/registration?fresh=true",
            ),
            ("registration, one group, counted now", in_group.as_str()),
            ("activity, 7 days", "/api/reports/activity?days=7"),
            ("activity, 30 days", "/api/reports/activity?days=30"),
            ("activity, 90 days", "/api/reports/activity?days=90"),
            (
                "activity, 90 days by week",
                "/api/reports/activity?days=90&bucket=week",
            ),
            ("activity, a year (dates)", year.as_str()),
            ("drill-down: blocked resets, 30 days", blocked.as_str()),
            (
                "drill-down: users partly registered",
                "/api/users?enabled=true&sspr=true&coverage=partly",
            ),
            (
                "drill-down: users registered (the capable)",
                "/api/users?enabled=true&sspr=true&coverage=registered",
            ),
            (
                "drill-down: users holding email, page 100",
                "/api/users?enabled=true&sspr=true&method=email&page=100",
            ),
            ("metrics (figures read at scrape)", "/metrics"),
        ],
        RUNS,
    )
    .await;
}
