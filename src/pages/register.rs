//! `/register`: the sign-in interrupt that asks a user to register enough security info, or to
//! reconfirm it, before going on to `?next=`.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use rekey_core::dto::SessionInfo;
use rekey_core::i18n::UserKey;
use rekey_core::security_info::RegistrationReason;

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::form::Form;
use crate::components::loading::Loading;
use crate::components::page_heading::PageHeading;
use crate::components::user_frame::UserFrame;
use crate::i18n::use_i18n;
use crate::pages::security_info::{still_needed, Manager, MethodList, Store};
use crate::session::{home_path, remember_registration_handled, use_session, Interrupt};

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <UserFrame serves=Interrupt::Registration>
            <Wizard/>
        </UserFrame>
    }
}

/// Where to go afterwards: `next` when it is a path inside this app, else the person's home.
fn next_path(next: Option<String>, info: Option<&SessionInfo>) -> String {
    next.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\"))
        .unwrap_or_else(|| info.map(home_path).unwrap_or("/").to_string())
}

#[component]
fn Wizard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let next = next_path(
        use_query_map().with_untracked(|q| q.get("next")),
        session.info.read_untracked().as_ref(),
    );
    let store = Store::load();
    let form = Form::default();
    let changing = RwSignal::new(false);
    let can_skip = session
        .info
        .with_untracked(|i| i.as_ref().is_some_and(|i| i.user.registration_can_skip));

    // Goes on, with the session asking the server again what sign-in should ask for.
    let finish = move || {
        if let Some(info) = session.info.get_untracked() {
            remember_registration_handled(&info);
        }
        let navigate = navigate.clone();
        let next = next.clone();
        leptos::task::spawn_local(async move {
            session.refresh().await;
            navigate(&next, Default::default());
        });
    };
    let skip = {
        let finish = finish.clone();
        move |_| {
            let finish = finish.clone();
            form.run(api::skip_registration(), move |()| finish());
        }
    };
    let looks_good = {
        let finish = finish.clone();
        move |_| {
            let finish = finish.clone();
            form.run(api::confirm_security_info(), move |_| finish());
        }
    };
    let done = move |_| finish();

    let body = move || {
        let Some(info) = store.info.get() else {
            // Whatever went wrong, the person is not stuck here.
            let go_on = done.clone();
            return view! {
                <ErrorAlert failure=store.failure/>
                <Show when=move || store.failure.with(Option::is_none) fallback=move || {
                    let go_on = go_on.clone();
                    view! {
                        <button type="button" class="primary" on:click=go_on>{move || i18n.t(UserKey::Continue)}</button>
                    }
                }>
                    <Loading/>
                </Show>
            }
            .into_any();
        };
        let reconfirm = info.due == Some(RegistrationReason::Reconfirm);
        let left = still_needed(&info);
        let finished = left == 0 && !reconfirm;
        let intro = move || match left {
            _ if reconfirm => i18n.t(UserKey::ReconfirmIntro).to_string(),
            0 => i18n.t(UserKey::RegisterEnough).to_string(),
            1 => i18n.t(UserKey::RegisterOneMore).to_string(),
            more => i18n.format(
                UserKey::RegisterMore,
                &[("count", &i18n.count(more as u64))],
            ),
        };
        let methods = if reconfirm && !changing.get() {
            view! { <MethodList store=store info=info editable=false/> }.into_any()
        } else {
            view! { <Manager store=store/> }.into_any()
        };
        let looks_good = looks_good.clone();
        let skip = skip.clone();
        let done = done.clone();
        view! {
            <p class="wizard-intro">{intro}</p>
            {methods}
            <div class="form-actions wizard-actions">
                {reconfirm.then(|| view! {
                    <button type="button" class="primary" disabled=move || form.busy.get() on:click=looks_good>
                        {move || i18n.t(UserKey::LooksGood)}
                    </button>
                })}
                <Show when=move || reconfirm && !changing.get()>
                    <button type="button" on:click=move |_| changing.set(true)>
                        {move || i18n.t(UserKey::Change)}
                    </button>
                </Show>
                {finished.then(|| view! {
                    <button type="button" class="primary" on:click=done>{move || i18n.t(UserKey::Done)}</button>
                })}
                {(can_skip && !finished).then(|| view! {
                    <button type="button" class="link-button" disabled=move || form.busy.get() on:click=skip>
                        {move || i18n.t(UserKey::SkipForNow)}
                    </button>
                })}
            </div>
            <ErrorAlert failure=form.failure/>
        }
        .into_any()
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(UserKey::RegisterTitle).to_string())/>
        {body}
    }
}
