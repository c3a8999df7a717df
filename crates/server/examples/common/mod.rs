//! What the listing benchmarks share: timing GET requests over real HTTP and printing their
//! latency percentiles.

use std::time::{Duration, Instant};

/// Sends each `(label, path)` request `runs` times to `base` (each must answer 200) and prints
/// a table of p50, p95 and max milliseconds.
pub async fn report_gets(
    client: &reqwest::Client,
    base: &str,
    requests: &[(&str, &str)],
    runs: usize,
) {
    println!(
        "{:<44} {:>8} {:>8} {:>8}",
        "request", "p50 ms", "p95 ms", "max ms"
    );
    for (label, path) in requests {
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let response = client.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.bytes().await.unwrap();
            times.push(started.elapsed());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{label:<44} {:>8.1} {:>8.1} {:>8.1}",
            ms(times[runs / 2]),
            ms(times[runs * 95 / 100]),
            ms(times[runs - 1])
        );
    }
}

/// A server state for a benchmark: `DATABASE_URL` (PostgreSQL) or a SQLite file in `dir`
/// (in `BENCH_DIR` instead, when set, to keep it for another run).
pub async fn bench_state(dir: &std::path::Path) -> rekey_server::state::AppState {
    let database_url = std::env::var("DATABASE_URL").unwrap_or_default();
    let kept = std::env::var("BENCH_DIR").ok();
    let dir = kept.as_deref().map_or(dir, std::path::Path::new);
    let config = rekey_server::config::Config::from_args([
        "--database-url",
        &database_url,
        "--data-dir",
        &dir.display().to_string(),
        "--static-dir",
        "/nonexistent",
    ]);
    rekey_server::build_state(config).await.expect("state")
}

/// Serves the API on a free port and signs `name` in; the signed-in client (cookies kept),
/// the base address and the session's CSRF token.
pub async fn serve_signed_in(
    state: &rekey_server::state::AppState,
    name: &str,
    password: &str,
) -> (reqwest::Client, String, String) {
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
        .json(&serde_json::json!({"sign_in_name": name, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let csrf = signed_in.json::<serde_json::Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_string();
    (client, base, csrf)
}
