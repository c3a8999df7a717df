//! The `rekey` command: serve the product, or create the first Global admin.

use std::io::BufRead;

use clap::{Parser, Subcommand};
use rekey_server::config::Config;
use rekey_server::seed::{self, DEMO_ACCOUNTS, DEMO_PASSWORD};

#[derive(Parser)]
#[command(name = "rekey", version, about = "Rekey: self-service password reset")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the SPA on one port.
    Serve {
        /// Seed an empty database with the demo organisation and print its sign-ins.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        config: Config,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        config: Config,
    },
    /// Create a Global admin. The password is read from REKEY_ADMIN_PASSWORD or, when that is
    /// unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        sign_in_name: String,
        #[arg(long, default_value = "")]
        display_name: String,
        #[command(flatten)]
        config: Config,
    },
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn read_admin_password() -> std::io::Result<String> {
    if let Ok(password) = std::env::var("REKEY_ADMIN_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn print_demo_sign_ins(config: &Config) {
    println!();
    // The public URL, not the listening address: passkeys work only at a domain name.
    println!("Rekey is running: {}", config.page_url("/"));
    println!("Demo sign-ins (password for all: {DEMO_PASSWORD}):");
    for account in DEMO_ACCOUNTS {
        println!("  {:<34} {}", account.sign_in_name, account.note);
    }
    if config.smtp_host.trim().is_empty() {
        println!(
            "Verification codes and other messages are printed here (no SMTP/SMS configured)."
        );
    }
    println!();
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::Serve { demo, mut config } => {
            init_logging(config.log_json);
            config.print_messages |= demo;
            let listener = tokio::net::TcpListener::bind(config.listen).await?;
            let state = rekey_server::build_state(config.clone()).await?;
            if demo {
                if seed::seed_demo(&state).await? {
                    tracing::info!("seeded the demo organisation");
                }
                print_demo_sign_ins(&config);
            } else {
                tracing::info!(listen = %config.listen, "Rekey is serving");
            }
            rekey_server::serve(listener, state).await?;
        }
        Command::Migrate { config } => {
            init_logging(config.log_json);
            rekey_server::build_state(config).await?;
            tracing::info!("migrations applied");
        }
        Command::CreateAdmin {
            sign_in_name,
            display_name,
            config,
        } => {
            init_logging(config.log_json);
            let state = rekey_server::build_state(config).await?;
            let password = read_admin_password()?;
            seed::create_global_admin(&state, &sign_in_name, &display_name, &password).await?;
            println!("Created Global admin {sign_in_name}");
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Cli::parse()).await {
        eprintln!("rekey: {error}");
        std::process::exit(1);
    }
}
