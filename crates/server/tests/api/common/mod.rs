//! The harness for API integration tests: a real server on a loopback port over a real
//! database (a fresh SQLite file, or a fresh PostgreSQL database), seeded with the demo org.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod directories;
pub mod outage;
pub mod passkey;
pub mod slapd;
pub mod sms_receiver;
pub mod smtp_sink;

use std::path::Path;

use rekey_core::dto::SessionInfo;
use rekey_server::config::Config;
use rekey_server::seed::DEMO_PASSWORD;
use rekey_server::state::AppState;
use serde_json::{json, Value};
use sqlx::Connection;

pub const GLOBAL_ADMIN: &str = "global.admin@contoso.example";
pub const PASSWORD_ADMIN: &str = "password.admin@contoso.example";
pub const HELPDESK_ADMIN: &str = "helpdesk.admin@contoso.example";
pub const REPORTS_READER: &str = "reports.reader@contoso.example";
pub const USER_ADMIN: &str = "user.admin@contoso.example";
pub const USER_IN_PILOT: &str = "adele.vance@contoso.example";
pub const USER_IN_NESTED: &str = "alex.wilber@contoso.example";
pub const USER_OUTSIDE: &str = "megan.bowen@contoso.example";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database for one test. PostgreSQL is required: if the server is not reachable the test
/// fails (it never skips), so CI cannot pass without it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// The same database again, as a restarted server would open it (owning nothing).
    pub fn reopen(url: &str) -> TestDb {
        TestDb {
            url: url.to_string(),
            _dir: None,
        }
    }
}

pub async fn test_db(backend: Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("rekey.sqlite3").display()
            );
            TestDb {
                url,
                _dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let admin_url = std::env::var("REKEY_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
            let name = format!("rekey_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("PostgreSQL must be running on 127.0.0.1:5432 (scripts/test.sh starts it)");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            TestDb {
                url: format!("{base}/{name}"),
                _dir: None,
            }
        }
    }
}

pub struct TestServer {
    pub url: String,
    pub state: AppState,
    pub db: TestDb,
}

impl TestServer {
    /// What `/metrics` exports now, as Prometheus would read it.
    pub async fn metrics(&self) -> String {
        reqwest::get(format!("{}/metrics", self.url))
            .await
            .expect("GET /metrics")
            .text()
            .await
            .expect("the metrics")
    }

    pub fn api(&self, path: &str) -> String {
        format!(
            "{}{}/api{}",
            self.url,
            self.state.config.base_prefix(),
            path
        )
    }

    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client")
    }

    /// One sign-in attempt with this client, whatever its outcome.
    pub async fn attempt_sign_in(
        &self,
        client: &reqwest::Client,
        name: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.api("/session"))
            .json(&json!({"sign_in_name": name, "password": password}))
            .send()
            .await
            .expect("sign-in request")
    }

    /// Signs in with the demo password; returns the client (holding the cookie) and session.
    pub async fn sign_in(&self, name: &str) -> (reqwest::Client, SessionInfo) {
        self.sign_in_with(name, DEMO_PASSWORD).await
    }

    pub async fn sign_in_with(&self, name: &str, password: &str) -> (reqwest::Client, SessionInfo) {
        let client = self.client();
        let response = self.attempt_sign_in(&client, name, password).await;
        assert_eq!(response.status(), 200, "sign-in of {name} failed");
        let info: SessionInfo = response.json().await.expect("session info");
        (client, info)
    }
}

/// Starts a server over a fresh database with the demo organisation.
pub async fn start(backend: Backend) -> TestServer {
    start_with(backend, &[]).await
}

pub async fn start_with(backend: Backend, extra_args: &[&str]) -> TestServer {
    let db = test_db(backend).await;
    start_on(db, extra_args, Path::new("/nonexistent-rekey-dist")).await
}

pub async fn start_on(db: TestDb, extra_args: &[&str], static_dir: &Path) -> TestServer {
    start_seeded(db, extra_args, static_dir, Seed::Demo).await
}

/// Rekey's own account beside the LDAP directory in [`start_with_ldap`]: a break-glass Global
/// admin. The directory has an entry with the same name, which must never be mirrored.
pub const BREAK_GLASS: &str = "rekey.admin";

/// A server connected to a test directory (over LDAPS, as the service account) with only
/// the break-glass admin of its own, and a lockout that trips before the directory's (5).
pub async fn start_with_ldap(
    backend: Backend,
    directory: &directories::TestDirectory,
    extra_args: &[&str],
) -> TestServer {
    let mut args = directory.server_args();
    // Tests sync when they mean to.
    args.extend(["--directory-sync-minutes", "0", "--lockout-threshold", "3"].map(String::from));
    // A flag given by the test replaces the default one (flags are pairs: name, value).
    let mut args: Vec<String> = args
        .chunks(2)
        .filter(|pair| !extra_args.contains(&pair[0].as_str()))
        .flatten()
        .cloned()
        .collect();
    args.extend(extra_args.iter().map(|a| a.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let db = test_db(backend).await;
    start_seeded(
        db,
        &args,
        Path::new("/nonexistent-rekey-dist"),
        Seed::BreakGlass,
    )
    .await
}

/// A server with Rekey's own directory holding only the break-glass admin (an admin connects
/// the LDAP directory through the settings).
pub async fn start_break_glass_only(backend: Backend) -> TestServer {
    let db = test_db(backend).await;
    let args = ["--directory-sync-minutes", "0", "--lockout-threshold", "3"];
    start_seeded(
        db,
        &args,
        Path::new("/nonexistent-rekey-dist"),
        Seed::BreakGlass,
    )
    .await
}

enum Seed {
    /// The demo organisation in Rekey's own directory.
    Demo,
    /// One Global admin of Rekey's own, [`BREAK_GLASS`].
    BreakGlass,
}

async fn start_seeded(
    db: TestDb,
    extra_args: &[&str],
    static_dir: &Path,
    seed: Seed,
) -> TestServer {
    // Server-side errors show up in a failing test's output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let mut args = vec![
        "--database-url".to_string(),
        db.url.clone(),
        "--static-dir".to_string(),
        static_dir.display().to_string(),
        "--secret-key".to_string(),
        TEST_SECRET_KEY.to_string(),
    ];
    args.extend(extra_args.iter().map(|a| a.to_string()));
    let config = Config::from_args(args);
    let state = rekey_server::build_state(config)
        .await
        .expect("server state");
    match seed {
        Seed::Demo => {
            rekey_server::seed::seed_demo(&state)
                .await
                .expect("demo seed");
        }
        Seed::BreakGlass => {
            rekey_server::seed::create_global_admin(
                &state,
                BREAK_GLASS,
                "Rekey Admin",
                DEMO_PASSWORD,
            )
            .await
            .expect("break-glass admin");
        }
    }
    rekey_server::spawn_background(&state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let app = rekey_server::http::app(state.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    TestServer { url, state, db }
}

/// GETs a URL and reads the JSON answer, whatever the status.
pub async fn get_json(client: &reqwest::Client, url: impl reqwest::IntoUrl) -> Value {
    let response = client.get(url).send().await.expect("GET");
    response.json().await.expect("JSON body")
}

/// The error code of an error response, asserting the status.
pub async fn error_code(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status, "unexpected status");
    let body: Value = response.json().await.expect("JSON error body");
    body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_string()
}

/// The names of the groups a user's page lists.
pub fn group_names(detail: &Value) -> Vec<&str> {
    detail["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .map(|g| g["name"].as_str().expect("a name"))
        .collect()
}

/// Runs each listed test function against OpenLDAP and Active Directory (Samba), each on
/// SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_directories {
    ($($name:ident),* $(,)?) => {
        $crate::on_both_directories!(@kind openldap Openldap $($name),*);
        $crate::on_both_directories!(@kind ad Ad $($name),*);
    };
    (@kind $module:ident $kind:ident $($name:ident),*) => {
        mod $module {
            mod sqlite {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let directory = $crate::common::directories::directory(
                            $crate::common::directories::Kind::$kind,
                        );
                        super::super::$name($crate::common::Backend::Sqlite, directory).await
                    }
                )*
            }
            mod postgres {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let directory = $crate::common::directories::directory(
                            $crate::common::directories::Kind::$kind,
                        );
                        super::super::$name($crate::common::Backend::Postgres, directory).await
                    }
                )*
            }
        }
    };
}

/// Runs each listed test function against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// A signed-in person: their client (holding the cookie) and CSRF token, so tests read as
/// what that person does.
pub struct Actor {
    pub client: reqwest::Client,
    pub csrf: String,
    pub info: SessionInfo,
    api: String,
}

impl TestServer {
    pub async fn actor(&self, name: &str) -> Actor {
        let (client, info) = self.sign_in(name).await;
        Actor {
            client,
            csrf: info.csrf_token.clone(),
            info,
            api: self.api(""),
        }
    }
}

impl Actor {
    pub async fn get(&self, path: &str) -> Value {
        get_json(&self.client, format!("{}{path}", self.api)).await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.api))
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("request")
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> reqwest::Response {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> reqwest::Response {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

/// The code an English email or text carries ("... code is 12345678 ...").
pub fn code_in(text: &str) -> String {
    let (_, after) = text.split_once("code is ").expect("a code in the message");
    let code: String = after.chars().take(8).collect();
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{text}");
    code
}

/// The key every test server seals secrets with (32 bytes, base64).
pub const TEST_SECRET_KEY: &str = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";

/// Whom the Users page lists as covered by self-service reset is, user by user, whom a reset
/// finds it covers (`sspr_policy::applies_to`, read from the memberships there and then).
pub async fn assert_covered_as_decided(server: &TestServer, admin: &Actor) {
    let listed = admin.get("/users?sspr=true&per_page=100").await;
    let total = listed["total"].as_u64().expect("a total");
    assert!(total <= 100, "one page holds them: {total}");
    let covered: Vec<&str> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|u| u["id"].as_str().expect("an id"))
        .collect();
    let pool = &server.state.db.pool;
    let everyone: Vec<(String, String)> = sqlx::query_as("SELECT id, sign_in_name FROM users")
        .fetch_all(pool)
        .await
        .expect("users");
    for (id, name) in everyone {
        let decided = rekey_server::domain::sspr_policy::applies_to(pool, &id)
            .await
            .expect("the policy");
        assert_eq!(covered.contains(&id.as_str()), decided, "{name}");
    }
}
