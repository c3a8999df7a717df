//! Email over SMTP (lettre).

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, SmtpTls};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

/// One email to send.
pub struct Email<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

pub struct Mailer {
    /// `None` when no SMTP server is configured: messages wait in the outbox.
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        let from: Mailbox = config.mail_from.parse()?;
        let host = config.smtp_host.trim();
        if host.is_empty() {
            return Ok(Mailer {
                transport: None,
                from,
            });
        }
        let mut builder = match config.smtp_tls {
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        }
        .port(config.smtp_port)
        .timeout(Some(Duration::from_secs(20)));
        if !config.smtp_user.is_empty() {
            let credentials =
                Credentials::new(config.smtp_user.clone(), config.smtp_password.clone());
            builder = builder.credentials(credentials);
        }
        Ok(Mailer {
            transport: Some(builder.build()),
            from,
        })
    }

    pub fn is_configured(&self) -> bool {
        self.transport.is_some()
    }

    pub fn sender(&self) -> String {
        self.from.to_string()
    }

    /// Sends one message, as plain text with an HTML alternative.
    pub async fn send(&self, email: &Email<'_>) -> Result<(), MailError> {
        let Some(transport) = &self.transport else {
            return Ok(());
        };
        let email = Message::builder()
            .from(self.from.clone())
            .to(email.to.parse()?)
            .subject(email.subject)
            .multipart(MultiPart::alternative_plain_html(
                email.text.to_string(),
                email.html.to_string(),
            ))?;
        transport.send(email).await?;
        Ok(())
    }
}

/// Text as HTML paragraphs, escaped.
pub fn html_paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| format!("<p>{}</p>", crate::infra::html::escape(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(
            html_paragraphs("Hi <b>\n\nBye & \"so\""),
            "<p>Hi &lt;b&gt;</p><p>Bye &amp; &quot;so&quot;</p>"
        );
    }
}
