//! Emails users whose password expires soon, once per password: Rekey's own accounts by
//! Rekey's expiration policy, the directory's people by the expiry their directory computes
//! (told the same number of days ahead). Run by the sweeper on every instance: claiming a
//! user is a conditional update, so two instances never both send.

use rekey_core::audit::AuditAction;
use rekey_core::i18n::{Lang, MessageKey};
use rekey_core::security_info::MethodKind;
use rekey_core::settings::PasswordExpirySettings;

use crate::domain::messages::{self, Notice};
use crate::domain::sections;
use crate::state::AppState;
use crate::store::{audit, security_info, users};

/// Users handled per run; the rest wait for the next run.
const BATCH: i64 = 500;
const DAY: i64 = 86_400;

/// Sends the notices due at `now`; returns how many users were told.
pub async fn send_due(state: &AppState, now: i64) -> Result<u64, sqlx::Error> {
    let pool = &state.db.pool;
    let policy = sections::load::<PasswordExpirySettings>(pool)
        .await?
        .settings;
    let mut due = Vec::new();
    if let (Some(notice_before), Some(expired_before)) = (
        policy.notice_if_changed_before(now),
        policy.expired_if_changed_before(now),
    ) {
        let max_age = i64::from(policy.max_age_days) * DAY;
        due =
            users::expiry_notices_due(pool, notice_before, expired_before, max_age, BATCH).await?;
    }
    if policy.notice_days > 0 {
        let until = now + i64::from(policy.notice_days) * DAY;
        due.extend(users::directory_expiry_notices_due(pool, now, until, BATCH).await?);
    }
    let org = crate::domain::branding::org_name(state).await?;
    let mut told = 0;
    for due in due {
        let users::NoticeDue {
            id,
            sign_in_name: name,
            lang,
            expires_at,
            mark,
        } = due;
        let lang = Lang::negotiate(lang.as_deref().unwrap_or(""));
        let alternate = security_info::methods(pool, &id)
            .await?
            .into_iter()
            .find(|m| m.kind == Some(MethodKind::Email))
            .map(|m| m.value);
        let mut tx = pool.begin().await?;
        if !users::claim_expiry_notice(&mut tx, &id, mark).await? {
            continue;
        }
        // Whole days left, rounded up: "in 10 days" the moment the window opens.
        let days = (expires_at - now + DAY - 1)
            .div_euclid(DAY)
            .max(1)
            .to_string();
        let date = format_date(expires_at);
        let args = [
            ("org", org.as_str()),
            ("account", name.as_str()),
            ("days", days.as_str()),
            ("date", date.as_str()),
        ];
        for to in messages::own_addresses(&name, alternate.as_deref()) {
            let notice = Notice {
                to,
                lang,
                subject: MessageKey::ExpiryNoticeSubject,
                body: MessageKey::ExpiryNoticeBody,
                args: &args,
                // Past expiry the notice is moot: sign-in asks for the change anyway.
                discard_after: expires_at,
            };
            messages::queue_notice(&mut tx, notice).await?;
        }
        let event = audit::NewEvent::by(None, AuditAction::PasswordExpiryNoticeSent, &name);
        audit::record(&mut tx, event).await?;
        tx.commit().await?;
        told += 1;
    }
    Ok(told)
}

/// A calendar date (UTC) in ISO form, readable in every language.
fn format_date(unix_seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::format_date;

    #[test]
    fn dates_are_iso_calendar_dates() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(951_782_400), "2000-02-29");
        assert_eq!(format_date(1_795_651_200), "2026-11-26");
    }
}
