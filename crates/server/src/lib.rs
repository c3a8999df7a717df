//! Rekey's API server: a thin JSON API over SQLite or PostgreSQL that also serves the SPA.

pub mod config;
pub mod domain;
pub mod http;
pub mod infra;
pub mod seed;
pub mod state;
pub mod store;

use std::sync::Arc;
use std::time::Duration;

use config::Config;
use domain::directory::{self as user_directory, Directories};
use domain::{codes, delivery, expiry_notices, rate};
use infra::db::{self, Db};
use infra::passwords::{self, Hasher};
use infra::{keys, mail, metrics, sms};
use state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Hash(#[from] passwords::HashError),
    #[error("email: {0}")]
    Mail(#[from] mail::MailError),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
    #[error("SMS: {0}")]
    Sms(#[from] sms::SmsError),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error("seeding: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("directory: {0}")]
    DirectoryConfig(#[from] config::DirectoryConfigError),
    #[error("directory: {0}")]
    Ldap(#[from] infra::ldap::LdapError),
}

/// Connects to the database, applies migrations and assembles the shared state.
pub async fn build_state(config: Config) -> Result<AppState, StartError> {
    let db = Db::connect(&config.effective_database_url()).await?;
    db.migrate().await?;
    let keys = Arc::new(keys::ServerKeys::from_config(&config)?);
    Ok(AppState {
        db,
        hasher: Hasher::new(config.hash_concurrency)?,
        spa_pages: infra::spa_pages::prepare_pages(&config),
        mailer: Arc::new(mail::Mailer::from_config(&config)?),
        sms: Arc::new(sms::SmsSender::from_config(&config)?),
        directories: Arc::new(Directories::new(config.directory.ldap()?, keys.clone())?),
        keys,
        passkeys: Arc::new(infra::passkeys::Passkeys::new(&config.public_url)),
        instance_id: Arc::from(uuid::Uuid::new_v4().to_string()),
        config: Arc::new(config),
        metrics: Arc::new(metrics::Metrics::new()),
    })
}

/// Starts the background work of an instance: message delivery and the sweeper of ended
/// sessions and old codes.
pub fn spawn_background(state: &AppState) {
    delivery::spawn_worker(state.clone());
    spawn_session_sweeper(state.clone());
    spawn_writeback_reconciler(state.clone());
    if state.config.directory.directory_sync_minutes > 0 {
        spawn_directory_sync(state.clone());
    }
}

/// Syncs the LDAP directory's users and groups now and then every few minutes; the lease
/// keeps other instances from syncing at the same time.
fn spawn_directory_sync(state: AppState) {
    tokio::spawn(async move {
        let minutes = state.config.directory.directory_sync_minutes;
        let mut tick = tokio::time::interval(Duration::from_secs(minutes * 60));
        loop {
            tick.tick().await;
            let pool = &state.db.pool;
            let synced = match state.directories.current(pool).await {
                Ok(directory) => {
                    user_directory::sync::run_once(
                        pool,
                        &directory,
                        &state.instance_id,
                        &state.metrics,
                        user_directory::sync::SyncMode::Changes,
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            match synced {
                Ok(Some(report)) if report.error.is_some() => {
                    tracing::warn!(error = ?report.error, "the directory sync stopped early")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not sync the directory"),
            }
        }
    });
}

/// Settles password writes left without a record (Rekey stopped between the directory's
/// answer and its own record, or the answer never came): at start, then every minute, or as
/// soon as a write still under way is due.
fn spawn_writeback_reconciler(state: AppState) {
    tokio::spawn(async move {
        loop {
            let wait = match crate::domain::writeback::settle_all(&state).await {
                Ok(next_due) => next_due.unwrap_or(60).clamp(1, 60),
                Err(e) => {
                    tracing::warn!(error = %e, "could not settle earlier directory writes");
                    60
                }
            };
            tokio::time::sleep(Duration::from_secs(wait.unsigned_abs())).await;
        }
    });
}

/// Periodically drops ended sessions (and old codes, rate events, flows) and sends password
/// expiry notices. Any instance may do it; each step is idempotent.
fn spawn_session_sweeper(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = db::now();
            let idle_cutoff = now - state.config.session_idle_minutes * 60;
            if let Err(e) = store::sessions::delete_expired(&state.db.pool, now, idle_cutoff).await
            {
                tracing::warn!(error = %e, "could not sweep expired sessions");
            }
            if let Err(e) = codes::sweep(&state.db.pool, now).await {
                tracing::warn!(error = %e, "could not sweep old verification codes");
            }
            if let Err(e) = rate::sweep(&state.db.pool, now).await {
                tracing::warn!(error = %e, "could not sweep old rate events");
            }
            if let Err(e) = crate::domain::flow_outcomes::sweep(&state.db.pool, now).await {
                tracing::warn!(error = %e, "could not end reset flows that ran out of time");
            }
            if let Err(e) = store::reset::sweep(&state.db.pool, now).await {
                tracing::warn!(error = %e, "could not sweep ended reset flows");
            }
            // Sets right a flag that a change outside Rekey (a restored backup, a hand-edited
            // database) or a failed refresh left wrong.
            match crate::domain::sspr_policy::refresh_all(&state.db.pool).await {
                Ok(0) => {}
                Ok(mended) => tracing::info!(mended, "set whom self-service reset covers right"),
                Err(e) => {
                    tracing::warn!(error = %e, "could not check whom self-service reset covers")
                }
            }
            if let Err(e) = expiry_notices::send_due(&state, now).await {
                tracing::warn!(error = %e, "could not send password expiry notices");
            }
        }
    });
}

/// Serves the app on a listener until the process is told to stop.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    spawn_background(&state);
    let app = http::app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
