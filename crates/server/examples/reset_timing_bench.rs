//! Benchmark: does the reset flow take the same time for a registered user and for a name that
//! matches nobody? (The enumeration property; tests check the answers are the same, this checks
//! the timing.)
//!
//!     cargo run --release -p rekey-server --example reset_timing_bench
//!
//! Prints p50 / p95 per step for each kind of name. Figures live in docs/performance.md.

use std::time::{Duration, Instant};

use rekey_core::security_info::MethodKind;
use rekey_server::config::Config;
use rekey_server::store::security_info::{put_method, set_confirmed, MethodWrite};
use rekey_server::store::users;
use serde_json::{json, Value};

const RUNS: usize = 60;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::from_args([
        "--data-dir",
        &dir.path().display().to_string(),
        "--static-dir",
        "/nonexistent",
        "--pow-difficulty",
        "1",
        "--code-resend-seconds",
        "0",
        "--reset-failures-per-day",
        "100000",
        "--reset-starts-per-client",
        "100000",
    ]);
    let state = rekey_server::build_state(config).await.expect("state");
    rekey_server::seed::seed_demo(&state).await.unwrap();
    let pool = &state.db.pool;
    let mut conn = pool.acquire().await.unwrap();
    let sspr = json!({"scope": "all"});
    rekey_server::store::settings::put(&mut conn, "sspr", &sspr, "bench", 0)
        .await
        .unwrap();
    let adele = users::find_by_sign_in_name(pool, "adele.vance@contoso.example")
        .await
        .unwrap()
        .unwrap();
    let write = MethodWrite {
        user_id: &adele.id,
        method: MethodKind::Email.as_str(),
        value: "adele@home.example",
        last_step: 0,
        set_by_admin: false,
    };
    put_method(&mut conn, write, 0).await.unwrap();
    set_confirmed(&mut conn, &adele.id, rekey_server::infra::db::now())
        .await
        .unwrap();
    drop(conn);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api", listener.local_addr().unwrap());
    let app = rekey_server::http::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = reqwest::Client::new();

    println!("{:<36} {:>10} {:>10}", "step (name)", "p50 ms", "p95 ms");
    for (label, name) in [
        ("registered user", "adele.vance@contoso.example"),
        ("unknown name", "nobody@contoso.example"),
        ("known, not covered", "megan.bowen@contoso.example"),
    ] {
        let mut steps: [Vec<Duration>; 3] = Default::default();
        for _ in 0..RUNS {
            let challenge: Value = client
                .post(format!("{base}/reset/challenge"))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let prefix = challenge["prefix"].as_str().unwrap();
            let difficulty = challenge["difficulty"].as_u64().unwrap() as u8;
            let nonce = rekey_core::pow::search(prefix, difficulty, 0, u64::MAX).unwrap();
            let body = json!({"sign_in_name": name, "challenge_id": challenge["id"], "nonce": nonce.to_string()});
            let started = Instant::now();
            let r: Value = client
                .post(format!("{base}/reset"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            steps[0].push(started.elapsed());
            let token = r["token"].as_str().unwrap().to_string();
            let post = |path: &str, body: Value| {
                client
                    .post(format!("{base}/reset{path}"))
                    .header("x-reset-token", &token)
                    .json(&body)
                    .send()
            };
            let r: Value = post("/intent", json!({"intent": "reset"}))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let kind = r["options"][0]["kind"].clone();
            let started = Instant::now();
            let gate = json!({"kind": kind, "phone": "+14255550100"});
            post("/gate", gate).await.unwrap().bytes().await.unwrap();
            steps[1].push(started.elapsed());
            let started = Instant::now();
            let wrong = json!({"kind": kind, "code": "12345678"});
            post("/gate/verify", wrong)
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            steps[2].push(started.elapsed());
        }
        for (step, times) in ["start", "send code", "wrong code"]
            .iter()
            .zip(steps.iter_mut())
        {
            times.sort();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "{:<36} {:>10.2} {:>10.2}",
                format!("{step} ({label})"),
                ms(times[RUNS / 2]),
                ms(times[RUNS * 95 / 100])
            );
        }
    }
}
