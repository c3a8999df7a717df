//! Delivering what the outbox holds (`store::outbox`) through the email and SMS senders
//! (`infra::mail`, `infra::sms`): a worker on every instance.

use std::time::Duration;

use crate::infra::mail::Email;
use crate::store::outbox::{self, Channel, Queued};

use crate::state::AppState;

/// Delivers due messages until the process ends. Runs on every instance; claims keep two
/// workers off the same message. A channel without a configured sender stays queued (or is
/// printed, in demos).
pub fn spawn_worker(state: AppState) {
    let printing = state.config.print_messages;
    let mut channels = Vec::new();
    if state.mailer.is_configured() || printing {
        channels.push(Channel::Email);
    } else {
        tracing::warn!("no SMTP server configured (REKEY_SMTP_HOST): email stays queued");
    }
    if state.sms.is_configured() || printing {
        channels.push(Channel::Sms);
    } else {
        tracing::warn!("no SMS provider configured (REKEY_SMS_PROVIDER): texts stay queued");
    }
    if channels.is_empty() {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tick.tick().await;
            for channel in &channels {
                if let Err(e) = drain(&state, *channel).await {
                    tracing::warn!(error = %e, "outbox delivery paused");
                }
            }
        }
    });
}

/// Demo delivery: the message on the console.
fn print(channel: Channel, message: &Queued) {
    println!(
        "\n--- {channel:?} to {} ---\n{}\n{}\n",
        message.recipient, message.subject, message.body_text
    );
}

async fn deliver(state: &AppState, channel: Channel, message: &Queued) -> Result<(), String> {
    let configured = match channel {
        Channel::Email => state.mailer.is_configured(),
        Channel::Sms => state.sms.is_configured(),
    };
    if !configured {
        print(channel, message);
        return Ok(());
    }
    match channel {
        Channel::Email => {
            let email = Email {
                to: &message.recipient,
                subject: &message.subject,
                text: &message.body_text,
                html: &message.body_html,
            };
            state.mailer.send(&email).await.map_err(|e| e.to_string())
        }
        Channel::Sms => state
            .sms
            .send(&message.recipient, &message.body_text)
            .await
            .map_err(|e| e.to_string()),
    }
}

async fn drain(state: &AppState, channel: Channel) -> Result<(), sqlx::Error> {
    let pool = &state.db.pool;
    while let Some(message) = outbox::claim(pool, channel, crate::infra::db::now()).await? {
        match deliver(state, channel, &message).await {
            Ok(()) => outbox::mark_sent(pool, &message.id, crate::infra::db::now()).await?,
            Err(e) => {
                tracing::warn!(error = %e, message = %message.id, "delivery failed; will retry");
                outbox::mark_failed(pool, &message, &e, crate::infra::db::now()).await?;
            }
        }
    }
    Ok(())
}
