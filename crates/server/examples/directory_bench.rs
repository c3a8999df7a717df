//! Benchmark: Users and Groups listings with 100,000 users, over real HTTP.
//!
//!     cargo run --release -p rekey-server --example directory_bench            # SQLite
//!     DATABASE_URL=postgres://postgres@127.0.0.1:5432/rekey_bench \
//!       cargo run --release -p rekey-server --example directory_bench          # PostgreSQL
//!
//! Prints p50 / p95 / max latency per query shape. Figures live in docs/performance.md.

use std::time::{Duration, Instant};

use rekey_core::roles::Role;
use rekey_server::config::Config;
use rekey_server::store::{groups, users};

const USERS: usize = 100_000;
const RUNS: usize = 50;
const PASSWORD: &str = "benchmark password";

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = std::env::var("DATABASE_URL").unwrap_or_default();
    let config = Config::from_args([
        "--database-url",
        &database_url,
        "--data-dir",
        &dir.path().display().to_string(),
        "--static-dir",
        "/nonexistent",
    ]);
    let state = rekey_server::build_state(config).await.expect("state");
    let pool = &state.db.pool;

    if users::count(pool).await.unwrap() < USERS as i64 {
        let started = Instant::now();
        let hash = rekey_server::passwords::hash_now(PASSWORD).unwrap();
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
        }
        tx.commit().await.unwrap();
        println!("seeded {USERS} users in {:.1?}", started.elapsed());
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = rekey_server::http::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let signed_in = client
        .post(format!("{base}/api/session"))
        .json(
            &serde_json::json!({"sign_in_name": "user000000@bench.example", "password": PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);

    println!(
        "backend: {:?}, {USERS} users, {RUNS} requests each",
        state.db.backend
    );
    println!(
        "{:<40} {:>8} {:>8} {:>8}",
        "request", "p50 ms", "p95 ms", "max ms"
    );
    for (label, path) in [
        ("users, first page", "/api/users"),
        ("users, page 2000 of 4000", "/api/users?page=2000"),
        ("users, search matching 1", "/api/users?q=user054321"),
        ("users, search matching 1,000", "/api/users?q=user042"),
        ("users, search matching none", "/api/users?q=nobody"),
        ("groups, first page", "/api/groups"),
    ] {
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let response = client.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.bytes().await.unwrap();
            times.push(started.elapsed());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{label:<40} {:>8.1} {:>8.1} {:>8.1}",
            ms(times[RUNS / 2]),
            ms(times[RUNS * 95 / 100]),
            ms(times[RUNS - 1])
        );
    }
}
