//! The texts of messages sent to users, in their language, carrying the organisation's name.

use rekey_core::i18n::{Lang, MessageKey};
use sqlx::AnyConnection;

use crate::infra::mail::html_paragraphs;
use crate::store::outbox::{self, Channel, Outgoing};

/// A one-time code on its way to an email address or a phone.
pub struct CodeMessage<'a> {
    pub channel: Channel,
    pub to: &'a str,
    pub lang: Lang,
    pub org: &'a str,
    pub code: &'a str,
    pub ttl_minutes: i64,
    /// After this (Unix seconds) the code is useless and the message is not sent.
    pub expires_at: i64,
}

pub async fn queue_code(
    conn: &mut AnyConnection,
    message: CodeMessage<'_>,
) -> Result<String, sqlx::Error> {
    let CodeMessage {
        channel,
        to,
        lang,
        org,
        code,
        ttl_minutes,
        expires_at,
    } = message;
    let minutes = ttl_minutes.to_string();
    let args = [("org", org), ("code", code), ("minutes", minutes.as_str())];
    let (subject, text) = match channel {
        Channel::Email => (
            lang.format(MessageKey::CodeEmailSubject, &args),
            lang.format(MessageKey::CodeEmailBody, &args),
        ),
        Channel::Sms => (String::new(), lang.format(MessageKey::CodeSms, &args)),
    };
    let html = match channel {
        Channel::Email => html_paragraphs(&text),
        Channel::Sms => String::new(),
    };
    outbox::enqueue(
        conn,
        Outgoing {
            channel,
            to,
            subject: &subject,
            text: &text,
            html: &html,
            discard_after: expires_at,
        },
    )
    .await
}

/// A notice by email: a subject and a body from the translations, filled with `args`.
pub struct Notice<'a> {
    pub to: &'a str,
    pub lang: Lang,
    pub subject: MessageKey,
    pub body: MessageKey,
    pub args: &'a [(&'a str, &'a str)],
    /// Unix seconds after which the notice is not worth sending (0 = always send).
    pub discard_after: i64,
}

pub async fn queue_notice(
    conn: &mut AnyConnection,
    notice: Notice<'_>,
) -> Result<String, sqlx::Error> {
    let text = notice.lang.format(notice.body, notice.args);
    outbox::enqueue(
        conn,
        Outgoing {
            channel: Channel::Email,
            to: notice.to,
            subject: &notice.lang.format(notice.subject, notice.args),
            text: &text,
            html: &html_paragraphs(&text),
            discard_after: notice.discard_after,
        },
    )
    .await
}

/// Where a person is told about their own account: the sign-in name when it is an address,
/// and the alternate email on file.
pub fn own_addresses<'a>(sign_in_name: &'a str, alternate: Option<&'a str>) -> Vec<&'a str> {
    [Some(sign_in_name), alternate]
        .into_iter()
        .flatten()
        .filter(|a| rekey_core::settings::looks_like_email(a))
        .collect()
}
