//! Emails that tell people what happened to their account while they were not looking: it was
//! locked after failed sign-ins (and when it unlocks by itself), or it was unlocked. They go
//! to the person's own addresses, in the language they last used, with the way forward.

use rekey_core::i18n::{Lang, MessageKey};
use rekey_core::security_info::MethodKind;

use crate::domain::messages::{self, Notice};
use crate::state::AppState;
use crate::store::security_info;
use crate::store::users::UserRecord;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountNotice {
    /// Sign-in is refused until `until` (Unix seconds).
    Locked { until: i64 },
    /// Unlocked before its time, by the person (self-service unlock) or an admin.
    Unlocked,
}

/// Sends a notice of something already done and committed (an unlock): failing to queue it is
/// logged, never turned into an error for what did happen.
pub async fn tell(state: &AppState, user: &UserRecord, notice: AccountNotice, now: i64) {
    if let Err(error) = send(state, user, notice, now).await {
        tracing::warn!(%error, "could not queue an account notice");
    }
}

/// Queues the notice for each of the person's own addresses (none: nothing is sent).
pub async fn send(
    state: &AppState,
    user: &UserRecord,
    notice: AccountNotice,
    now: i64,
) -> Result<(), sqlx::Error> {
    let pool = &state.db.pool;
    let alternate = security_info::methods(pool, &user.id)
        .await?
        .into_iter()
        .find(|m| m.kind == Some(MethodKind::Email))
        .map(|m| m.value);
    let addresses = messages::own_addresses(&user.sign_in_name, alternate.as_deref());
    if addresses.is_empty() {
        return Ok(());
    }
    let org = crate::domain::branding::org_name(state).await?;
    let link = state.config.page_url("/reset");
    let (subject, body, until) = match notice {
        AccountNotice::Locked { until } => (
            MessageKey::AccountLockedSubject,
            MessageKey::AccountLockedBody,
            until,
        ),
        AccountNotice::Unlocked => (
            MessageKey::AccountUnlockedSubject,
            MessageKey::AccountUnlockedBody,
            now,
        ),
    };
    let minutes = minutes_until(until, now).to_string();
    let time = format_time(until);
    let args = [
        ("org", org.as_str()),
        ("account", user.sign_in_name.as_str()),
        ("minutes", minutes.as_str()),
        ("time", time.as_str()),
        ("link", link.as_str()),
    ];
    let lang = Lang::negotiate(user.lang.as_deref().unwrap_or(""));
    let mut conn = pool.acquire().await?;
    for to in addresses {
        let notice = Notice {
            to,
            lang,
            subject,
            body,
            args: &args,
            discard_after: 0,
        };
        messages::queue_notice(&mut conn, notice).await?;
    }
    Ok(())
}

/// Whole minutes until `until`, rounded up, at least one: "in 1 minute" for 20 seconds.
fn minutes_until(until: i64, now: i64) -> i64 {
    ((until - now + 59).div_euclid(60)).max(1)
}

/// A moment as the emails state it, in UTC: "2026-12-07 05:41 UTC".
fn format_time(unix_seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .map(|t| {
            format!(
                "{} {:02}:{:02} UTC",
                t.date(),
                t.time().hour(),
                t.time().minute()
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_stated_in_whole_minutes_rounded_up() {
        assert_eq!(minutes_until(1_020, 1_000), 1);
        assert_eq!(minutes_until(1_060, 1_000), 1);
        assert_eq!(minutes_until(1_061, 1_000), 2);
        assert_eq!(minutes_until(4_600, 1_000), 60);
        assert_eq!(minutes_until(900, 1_000), 1);
    }

    #[test]
    fn moments_are_utc_to_the_minute() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(1_796_621_000), "2026-12-07 05:23 UTC");
    }
}
