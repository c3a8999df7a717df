//! Every setting of the server, from flags or environment variables. `rekey serve --help`
//! prints this list; docs/configuration.md mirrors it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser};

mod directory;
pub use directory::{DirectoryConfig, DirectoryConfigError};

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "REKEY_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database URL. Empty means SQLite in the data directory; `postgres://...` uses PostgreSQL.
    #[arg(long, env = "DATABASE_URL", default_value = "", hide_env_values = true)]
    pub database_url: String,

    /// Where the SQLite database lives when DATABASE_URL is empty.
    #[arg(long, env = "REKEY_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The built SPA (Trunk's output) to serve.
    #[arg(long, env = "REKEY_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// The sub-path the product is mounted under, e.g. `/sspr`.
    #[arg(long, env = "REKEY_BASE_PATH", default_value = "/")]
    pub base_path: String,

    /// Where the SPA sends API calls; empty means `<base path>/api` on the same origin.
    #[arg(long, env = "REKEY_API_BASE_URL", default_value = "")]
    pub api_base_url: String,

    /// The address users reach the product at; `https://` turns on Secure cookies. Its host is
    /// the passkeys' relying party, so it must be a domain name (`localhost` will do), not an
    /// IP address.
    #[arg(
        long,
        env = "REKEY_PUBLIC_URL",
        default_value = "http://localhost:8080"
    )]
    pub public_url: String,

    /// Minutes without a request after which a session ends.
    #[arg(long, env = "REKEY_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: i64,

    /// Hours after sign-in at which a session ends whatever the activity.
    #[arg(long, env = "REKEY_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: i64,

    /// Failed sign-ins before the name is locked.
    #[arg(long, env = "REKEY_LOCKOUT_THRESHOLD", default_value_t = 10)]
    pub lockout_threshold: i64,

    /// Seconds of the first lockout; each further lockout doubles it.
    #[arg(long, env = "REKEY_LOCKOUT_SECONDS", default_value_t = 60)]
    pub lockout_seconds: i64,

    /// Failed sign-ins from one client address (any names) before that address is locked.
    #[arg(long, env = "REKEY_IP_LOCKOUT_THRESHOLD", default_value_t = 50)]
    pub ip_lockout_threshold: i64,

    /// Seconds of an address's first lockout; each further lockout doubles it.
    #[arg(long, env = "REKEY_IP_LOCKOUT_SECONDS", default_value_t = 300)]
    pub ip_lockout_seconds: i64,

    /// Take the client address from the last X-Forwarded-For entry (only behind a proxy that
    /// sets it); otherwise the TCP peer address is used.
    #[arg(long, env = "REKEY_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// Password hashes computed at once; further requests wait (keeps the API responsive).
    #[arg(long, env = "REKEY_HASH_CONCURRENCY", default_value_t = 2)]
    pub hash_concurrency: usize,

    /// SMTP server for outgoing email; empty keeps messages queued until one is configured.
    #[arg(long, env = "REKEY_SMTP_HOST", default_value = "")]
    pub smtp_host: String,

    #[arg(long, env = "REKEY_SMTP_PORT", default_value_t = 587)]
    pub smtp_port: u16,

    /// `starttls` (upgrade a plain connection), `tls` (TLS from the start) or `none`
    /// (plain text: only for a server on the same machine).
    #[arg(long, env = "REKEY_SMTP_TLS", value_enum, default_value_t = SmtpTls::Starttls)]
    pub smtp_tls: SmtpTls,

    #[arg(long, env = "REKEY_SMTP_USER", default_value = "")]
    pub smtp_user: String,

    #[arg(
        long,
        env = "REKEY_SMTP_PASSWORD",
        default_value = "",
        hide_env_values = true
    )]
    pub smtp_password: String,

    /// The sender of every message, e.g. `Contoso IT <it@contoso.example>`.
    #[arg(
        long,
        env = "REKEY_MAIL_FROM",
        default_value = "Rekey <rekey@localhost>"
    )]
    pub mail_from: String,

    /// The organisation's name, shown in messages and authenticator apps.
    #[arg(long, env = "REKEY_ORG_NAME", default_value = "Rekey")]
    pub org_name: String,

    /// 32 random bytes, base64: encrypts authenticator secrets and keys code hashes. Empty
    /// means a key file in the data directory, created on first start; every instance of a
    /// deployment must share the same key.
    #[arg(
        long,
        env = "REKEY_SECRET_KEY",
        default_value = "",
        hide_env_values = true
    )]
    pub secret_key: String,

    /// Minutes an emailed or texted code stays valid.
    #[arg(long, env = "REKEY_CODE_TTL_MINUTES", default_value_t = 5)]
    pub code_ttl_minutes: i64,

    /// Seconds before another code may be sent for the same purpose.
    #[arg(long, env = "REKEY_CODE_RESEND_SECONDS", default_value_t = 60)]
    pub code_resend_seconds: i64,

    /// How text messages are sent: `none` (they wait in the outbox), `webhook` (a JSON POST
    /// of `{"to", "body"}` to REKEY_SMS_URL) or `twilio` (Twilio's Messages API, or any service
    /// speaking it at REKEY_SMS_URL).
    #[arg(long, env = "REKEY_SMS_PROVIDER", value_enum, default_value_t = SmsProvider::None)]
    pub sms_provider: SmsProvider,

    /// The webhook address, or the base URL of a Twilio-compatible API
    /// (default https://api.twilio.com).
    #[arg(long, env = "REKEY_SMS_URL", default_value = "")]
    pub sms_url: String,

    /// Webhook: sent as `Authorization: Bearer <token>`. Twilio: the auth token.
    #[arg(
        long,
        env = "REKEY_SMS_TOKEN",
        default_value = "",
        hide_env_values = true
    )]
    pub sms_token: String,

    /// Twilio: the account SID.
    #[arg(long, env = "REKEY_SMS_ACCOUNT", default_value = "")]
    pub sms_account: String,

    /// Twilio: the sending number or messaging service.
    #[arg(long, env = "REKEY_SMS_FROM", default_value = "")]
    pub sms_from: String,

    /// Minutes a self-service reset may take from start to finish.
    #[arg(long, env = "REKEY_RESET_MINUTES", default_value_t = 15)]
    pub reset_minutes: i64,

    /// Every answer of the reset flow takes at least this long, so a registered user, an
    /// unknown name and an unregistered account cannot be told apart by timing.
    #[arg(long, env = "REKEY_RESET_MIN_RESPONSE_MS", default_value_t = 40)]
    pub reset_min_response_ms: u64,

    /// Zero bits the reset puzzle starts at (each bit doubles the work); raised for a client
    /// that asks for many puzzles and under load.
    #[arg(long, env = "REKEY_POW_DIFFICULTY", default_value_t = 18)]
    pub pow_difficulty: u8,

    /// Failed identity proofs in 24 hours after which reset is blocked for the user for 24 hours.
    #[arg(long, env = "REKEY_RESET_FAILURES_PER_DAY", default_value_t = 5)]
    pub reset_failures_per_day: i64,

    /// Phone, authenticator and security question checks per user per hour.
    #[arg(long, env = "REKEY_RESET_CHECKS_PER_HOUR", default_value_t = 5)]
    pub reset_checks_per_hour: i64,

    /// Reset puzzles and starts one client address may ask for in 10 minutes.
    #[arg(long, env = "REKEY_RESET_STARTS_PER_CLIENT", default_value_t = 30)]
    pub reset_starts_per_client: i64,

    /// Development and demos only: print messages to the console when no mail server or SMS
    /// provider is configured for them, instead of keeping them queued. `serve --demo` turns
    /// this on, so demo users can read their codes.
    #[arg(long, env = "REKEY_PRINT_MESSAGES", default_value_t = false)]
    pub print_messages: bool,

    /// Log as JSON lines instead of text.
    #[arg(long, env = "REKEY_LOG_JSON", default_value_t = false)]
    pub log_json: bool,

    #[command(flatten)]
    pub directory: DirectoryConfig,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmsProvider {
    None,
    Webhook,
    Twilio,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmtpTls {
    Starttls,
    Tls,
    None,
}

/// Parses a configuration from command-line style arguments (flags, then environment, then
/// defaults), as `rekey serve` does; tools and tests build theirs with it.
#[derive(Parser)]
struct ConfigOnly {
    #[command(flatten)]
    config: Config,
}

impl Config {
    pub fn from_args<I, T>(args: I) -> Config
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let argv = std::iter::once(std::ffi::OsString::from("rekey"))
            .chain(args.into_iter().map(Into::into));
        ConfigOnly::parse_from(argv).config
    }

    /// The base path with a leading slash and no trailing slash; empty for the root.
    pub fn base_prefix(&self) -> String {
        let trimmed = self.base_path.trim().trim_matches('/');
        if trimmed.is_empty() {
            String::new()
        } else {
            format!("/{trimmed}")
        }
    }

    pub fn effective_api_base(&self) -> String {
        if self.api_base_url.trim().is_empty() {
            format!("{}/api", self.base_prefix())
        } else {
            self.api_base_url.trim().trim_end_matches('/').to_string()
        }
    }

    /// The address of one of the product's pages, for links in messages: the public URL, with
    /// the mount path when the public URL does not end in it already.
    pub fn page_url(&self, path: &str) -> String {
        let url = self.public_url.trim_end_matches('/');
        let prefix = self.base_prefix();
        if url.ends_with(&prefix) {
            format!("{url}{path}")
        } else {
            format!("{url}{prefix}{path}")
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn effective_database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            let file = self.data_dir.join("rekey.sqlite3");
            format!("sqlite://{}?mode=rwc", file.display())
        } else {
            self.database_url.trim().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        Config::from_args(args)
    }

    #[test]
    fn base_path_is_normalised() {
        assert_eq!(parse(&[]).base_prefix(), "");
        assert_eq!(parse(&["--base-path", "/sspr/"]).base_prefix(), "/sspr");
        assert_eq!(
            parse(&["--base-path", "portal/reset"]).base_prefix(),
            "/portal/reset"
        );
    }

    #[test]
    fn links_to_pages_carry_the_mount_path_once() {
        assert_eq!(parse(&[]).page_url("/reset"), "http://localhost:8080/reset");
        let mounted = ["--base-path", "/sspr", "--public-url", "https://x.example/"];
        assert_eq!(
            parse(&mounted).page_url("/reset"),
            "https://x.example/sspr/reset"
        );
        let whole = [
            "--base-path",
            "/sspr",
            "--public-url",
            "https://x.example/sspr",
        ];
        assert_eq!(
            parse(&whole).page_url("/reset"),
            "https://x.example/sspr/reset"
        );
    }

    #[test]
    fn api_base_defaults_under_the_base_path() {
        assert_eq!(
            parse(&["--base-path", "/sspr"]).effective_api_base(),
            "/sspr/api"
        );
        let cross = parse(&["--api-base-url", "https://api.example/rekey/api/"]);
        assert_eq!(cross.effective_api_base(), "https://api.example/rekey/api");
    }

    #[test]
    fn sqlite_is_the_default_database() {
        let config = parse(&["--data-dir", "/tmp/x"]);
        assert_eq!(
            config.effective_database_url(),
            "sqlite:///tmp/x/rekey.sqlite3?mode=rwc"
        );
        assert!(!config.secure_cookies());
        assert!(parse(&["--public-url", "https://sspr.example"]).secure_cookies());
    }
}
