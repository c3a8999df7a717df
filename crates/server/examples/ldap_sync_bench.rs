//! Benchmark: the directory sync and sign-in through an LDAP directory, against a real slapd.
//!
//!     cargo run --release -p rekey-server --example ldap_sync_bench [USERS] [GROUPS]
//!
//! Starts a throw-away slapd (scripts/slapd.sh), loads USERS people (default 100,000) in
//! GROUPS groups (default 1,000) with ldapadd, then times into a fresh SQLite database: the
//! first sync, a sync with nothing changed, two syncs after 1,000 people changed (each reading
//! only changes), a full sync with nothing changed, and sign-in
//! (p50 / p95 of 200) through the directory beside sign-in to a Rekey account. Prints the
//! process's peak memory after each sync. Figures live in docs/performance.md.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rekey_server::config::Config;
use rekey_server::domain::directory::sync;

const SUFFIX: &str = "dc=contoso,dc=example";
const PASSWORD: &str = "Rekey-demo-2026";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

/// The process's peak resident memory so far (VmHWM), in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// Feeds LDIF to ldapadd / ldapmodify as the root DN.
fn ldap_tool(tool: &str, url: &str, root_pw: &str, ldif: &str) {
    let mut child = Command::new(tool)
        .args([
            "-x",
            "-c",
            "-H",
            url,
            "-D",
            &format!("cn=root,{SUFFIX}"),
            "-w",
            root_pw,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ldif.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "{tool} failed");
}

fn people(users: usize, groups: usize) -> String {
    let mut ldif = String::with_capacity(users * 300);
    for i in 0..users {
        ldif.push_str(&format!(
            "dn: uid=person{i:06},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: person{i:06}\n\
             cn: Person {i:06}\nsn: {i:06}\ndisplayName: Person {i:06}\n\
             mail: person{i:06}@contoso.example\nuserPassword: {PASSWORD}\n\n"
        ));
    }
    for g in 0..groups {
        ldif.push_str(&format!(
            "dn: cn=group{g:04},ou=groups,{SUFFIX}\nobjectClass: groupOfNames\ncn: group{g:04}\n"
        ));
        for i in (g..users).step_by(groups) {
            ldif.push_str(&format!("member: uid=person{i:06},ou=people,{SUFFIX}\n"));
        }
        ldif.push('\n');
    }
    ldif
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn sign_ins(client: &reqwest::Client, url: &str, name: &str) -> (Duration, Duration) {
    let mut took = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let r = client
            .post(url)
            .json(&serde_json::json!({"sign_in_name": name, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "sign-in of {name}");
        took.push(started.elapsed());
    }
    took.sort();
    (percentile(&took, 0.5), percentile(&took, 0.95))
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (users, groups) = (
        args.first().copied().unwrap_or(100_000),
        args.get(1).copied().unwrap_or(1_000),
    );
    let dir = tempfile::tempdir().unwrap();
    let slapd_dir = dir.path().join("slapd");
    let (port, tls_port) = (free_port(), free_port());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/slapd.sh");
    let status = Command::new("bash")
        .arg(script)
        .arg(&slapd_dir)
        .arg(port.to_string())
        .arg(tls_port.to_string())
        .arg(std::process::id().to_string())
        .status()
        .unwrap();
    assert!(status.success(), "slapd did not start");
    let ldap_url = format!("ldap://127.0.0.1:{port}");
    let root_pw = std::fs::read_to_string(slapd_dir.join("root.pw")).unwrap();
    let started = Instant::now();
    ldap_tool("ldapadd", &ldap_url, &root_pw, &people(users, groups));
    println!(
        "loaded {users} people and {groups} groups into slapd in {:.1?}",
        started.elapsed()
    );

    let ca = slapd_dir.join("ca.pem").display().to_string();
    let ldaps = format!("ldaps://127.0.0.1:{tls_port}");
    let data = dir.path().join("data").display().to_string();
    let config = Config::from_args([
        "--data-dir",
        &data,
        "--static-dir",
        "/nonexistent",
        "--directory-kind",
        "openldap",
        "--directory-url",
        &ldaps,
        "--directory-ca-file",
        &ca,
        "--directory-bind-dn",
        &format!("cn=rekey-service,ou=services,{SUFFIX}"),
        "--directory-bind-password",
        "Rekey-service-2026",
        "--directory-base-dn",
        SUFFIX,
        "--directory-sync-minutes",
        "0",
    ]);
    let state = rekey_server::build_state(config).await.unwrap();
    let pool = state.db.pool.clone();
    let directory = state.directories.current(&pool).await.unwrap();
    println!("peak memory before syncing: {:.0} MiB", peak_mib());

    let timed =
        |label: &'static str, mode: sync::SyncMode| {
            let (pool, directory, metrics) =
                (pool.clone(), directory.clone(), state.metrics.clone());
            async move {
                let started = Instant::now();
                let report = sync::run_once(&pool, &directory, "bench", &metrics, mode)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(report.error, None);
                println!(
                "{label}: {:.1?} ({}; people +{} ~{} -{}, groups +{} ~{}); peak memory {:.0} MiB",
                started.elapsed(),
                if report.incremental { "changes only" } else { "everything" },
                report.users_added,
                report.users_changed,
                report.users_removed,
                report.groups_added,
                report.groups_changed,
                peak_mib()
            );
            }
        };
    timed("first sync", sync::SyncMode::Changes).await;
    timed("sync, nothing changed", sync::SyncMode::Changes).await;
    let rename = |from: usize| -> String {
        (from..(from + 1_000).min(users))
            .map(|i| {
                format!(
                    "dn: uid=person{i:06},ou=people,{SUFFIX}\nchangetype: modify\n\
                     replace: displayName\ndisplayName: Person {i:06} (renamed)\n\n"
                )
            })
            .collect()
    };
    ldap_tool("ldapmodify", &ldap_url, &root_pw, &rename(0));
    timed("sync after 1,000 people changed", sync::SyncMode::Changes).await;
    // Steady state: the bulk load's last seconds are behind the mark now.
    ldap_tool("ldapmodify", &ldap_url, &root_pw, &rename(1_000));
    timed(
        "sync after 1,000 other people changed",
        sync::SyncMode::Changes,
    )
    .await;
    timed("full sync, nothing changed", sync::SyncMode::Full).await;

    rekey_server::seed::create_global_admin(&state, "bench.admin", "Bench Admin", PASSWORD)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/session", listener.local_addr().unwrap());
    let app = rekey_server::http::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = reqwest::Client::new();
    let (p50, p95) = sign_ins(&client, &url, "person000042").await;
    println!("sign-in through the directory: p50 {p50:.1?}, p95 {p95:.1?}");
    let (p50, p95) = sign_ins(&client, &url, "bench.admin").await;
    println!("sign-in to a Rekey account:    p50 {p50:.1?}, p95 {p95:.1?}");
}
