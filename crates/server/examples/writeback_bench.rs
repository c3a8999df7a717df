//! Benchmark: the self-service reset's last step (POST /api/reset/password) with the password
//! kept in Rekey's own store, written back to OpenLDAP (slapd with ppolicy), and written back to
//! Active Directory (Samba AD DC).
//!
//!     cargo run --release -p rekey-server --example writeback_bench [RUNS]
//!
//! Starts a throw-away slapd (scripts/slapd.sh) and Samba AD DC (scripts/samba-ad.sh: it needs
//! the standard LDAP ports free), then for each store times RUNS resets (default 60) of one
//! person, each from a fresh flow whose gates are passed, and prints p50 / p95. The reset flow's
//! minimum answer time is off here, so the figures are the work itself. Figures live in
//! docs/performance.md.

use std::process::Command;
use std::time::{Duration, Instant};

use rekey_core::audit::StopReason;
use rekey_core::dto::ResetIntent;
use rekey_core::security_info::MethodKind;
use rekey_server::config::Config;
use rekey_server::infra::secrets::{random_token, token_hash};
use rekey_server::state::AppState;
use rekey_server::store::reset::{self, Flow};

const SUFFIX: &str = "dc=contoso,dc=example";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

fn script(name: &str, args: &[String]) {
    let path = format!("{}/../../scripts/{name}", env!("CARGO_MANIFEST_DIR"));
    let status = Command::new("bash")
        .arg(path)
        .args(args)
        .arg(std::process::id().to_string())
        .status()
        .unwrap();
    assert!(status.success(), "{name} failed");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A server on `flags` over a fresh SQLite database; its state and its API's address.
async fn server(dir: &std::path::Path, flags: &[String]) -> (AppState, String) {
    let data = dir.display().to_string();
    let mut args: Vec<String> = [
        "--data-dir",
        &data,
        "--static-dir",
        "/nonexistent",
        "--reset-min-response-ms",
        "0",
        "--directory-sync-minutes",
        "0",
    ]
    .map(String::from)
    .to_vec();
    args.extend(flags.iter().cloned());
    let state = rekey_server::build_state(Config::from_args(args))
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/api", listener.local_addr().unwrap());
    let app = rekey_server::http::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (state, api)
}

/// Times `runs` resets of `name`, each from a new flow past its gate.
async fn resets(state: &AppState, api: &str, name: &str, runs: usize) -> (Duration, Duration) {
    let pool = &state.db.pool;
    let directory = state.directories.current(pool).await.unwrap();
    let client = reqwest::Client::new();
    let mut took = Vec::new();
    for run in 0..runs {
        // Found (and, from a directory, mirrored) as the flow's start would.
        let user = directory
            .find_by_sign_in_name(pool, name)
            .await
            .unwrap()
            .expect("the person");
        let token = random_token();
        let flow = Flow {
            token_hash: token_hash(&token),
            name_key: name.to_string(),
            user_id: Some(user.id.clone()),
            password_version: user.password_version,
            intent: Some(ResetIntent::Reset),
            gates_passed: Vec::new(),
            questions: Vec::new(),
            expires_at: rekey_server::infra::db::now() + 600,
            finished: false,
        };
        let mut conn = pool.acquire().await.unwrap();
        let now = rekey_server::infra::db::now();
        reset::insert(&mut conn, &flow, StopReason::Left, now)
            .await
            .unwrap();
        reset::pass_gate(pool, &flow, MethodKind::Email)
            .await
            .unwrap();
        // A new password every time: the directories remember earlier ones.
        let password = format!("Bench-{run}-{}", &random_token()[..8]);
        let started = Instant::now();
        let r = client
            .post(format!("{api}/reset/password"))
            .header("x-reset-token", &token)
            .json(&serde_json::json!({"password": password, "confirm": password}))
            .send()
            .await
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        took.push(elapsed);
    }
    took.sort();
    (percentile(&took, 0.5), percentile(&took, 0.95))
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    let dir = tempfile::tempdir().unwrap();
    let service = [
        "--directory-bind-dn".to_string(),
        format!("cn=rekey-service,ou=services,{SUFFIX}"),
        "--directory-bind-password".to_string(),
        "Rekey-service-2026".to_string(),
        "--directory-base-dn".to_string(),
        format!("ou=people,{SUFFIX}"),
        "--directory-group-base-dn".to_string(),
        format!("ou=groups,{SUFFIX}"),
    ];

    let (state, api) = server(&dir.path().join("own"), &[]).await;
    rekey_server::seed::seed_demo(&state).await.unwrap();
    let (p50, p95) = resets(&state, &api, "adele.vance@contoso.example", runs).await;
    println!("reset, Rekey's own store:      p50 {p50:.1?}, p95 {p95:.1?}");

    let slapd = dir.path().join("slapd");
    let tls_port = free_port();
    script(
        "slapd.sh",
        &[
            slapd.display().to_string(),
            free_port().to_string(),
            tls_port.to_string(),
        ],
    );
    let mut flags = vec![
        "--directory-kind".to_string(),
        "openldap".into(),
        "--directory-url".into(),
        format!("ldaps://127.0.0.1:{tls_port}"),
        "--directory-ca-file".into(),
        slapd.join("ca.pem").display().to_string(),
    ];
    flags.extend(service.iter().cloned());
    let (state, api) = server(&dir.path().join("openldap"), &flags).await;
    let (p50, p95) = resets(&state, &api, "adele.vance", runs).await;
    println!("reset, written back to slapd:  p50 {p50:.1?}, p95 {p95:.1?}");

    let samba = dir.path().join("samba");
    script("samba-ad.sh", &[samba.display().to_string()]);
    let mut flags = vec![
        "--directory-kind".to_string(),
        "ad".into(),
        "--directory-url".into(),
        "ldaps://127.0.0.1".into(),
        "--directory-ca-file".into(),
        samba.join("ca.pem").display().to_string(),
        "--directory-sign-in-attribute".into(),
        "sAMAccountName".into(),
    ];
    flags.extend(service.iter().cloned());
    let (state, api) = server(&dir.path().join("ad"), &flags).await;
    let (p50, p95) = resets(&state, &api, "adele.vance", runs).await;
    println!("reset, written back to Samba:  p50 {p50:.1?}, p95 {p95:.1?}");
}
