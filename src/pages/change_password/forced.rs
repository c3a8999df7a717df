//! `/change-password`: sign-in's forced change, after the password expired or an admin set it.
//! Nothing else opens until it is done (the server answers nothing else either); then the
//! person goes on where sign-in would have taken them.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use rekey_core::dto::PasswordChangeReason;
use rekey_core::i18n::UserKey;

use super::ChangePasswordForm;
use crate::components::page_heading::PageHeading;
use crate::components::user_frame::UserFrame;
use crate::i18n::use_i18n;
use crate::session::{home_path, through_interrupts, use_session, Interrupt, Session};

#[component]
pub fn ForcedChangePage() -> impl IntoView {
    view! {
        <UserFrame serves=Interrupt::PasswordChange>
            <ForcedChange/>
        </UserFrame>
    }
}

/// Where sign-in would have gone: the registration wizard when due, else home.
fn onward(session: Session) -> String {
    session.info.with_untracked(|info| {
        info.as_ref()
            .map(|info| through_interrupts(info, home_path(info)))
            .unwrap_or_else(|| "/".to_string())
    })
}

#[component]
fn ForcedChange() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let reason = session
        .info
        .with_untracked(|i| i.as_ref().and_then(|i| i.user.password_change_due));
    let Some(reason) = reason else {
        // Nothing to change (any more): go on.
        return view! { <Redirect path=onward(session)/> }.into_any();
    };
    let why = match reason {
        PasswordChangeReason::Expired => UserKey::PasswordExpiredIntro,
        PasswordChangeReason::AdminReset => UserKey::PasswordSetByAdminIntro,
    };
    let done = Callback::new(move |()| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            session.password_changed().await;
            // The next page says it worked: nothing else would.
            session.notice.set(Some(UserKey::PasswordChangedMessage));
            navigate(&onward(session), Default::default());
        });
    });
    view! {
        <div class="card">
            <PageHeading text=Signal::derive(move || i18n.t(UserKey::ForcedChangeTitle).to_string())/>
            <p>{move || i18n.t(why)}</p>
            <ChangePasswordForm done=done/>
        </div>
    }
    .into_any()
}
