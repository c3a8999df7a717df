//! Setting up an authenticator app: a new secret as a QR code and as text, then one code from
//! the app to show it works.

use leptos::prelude::*;
use rekey_core::dto::{AppEnrolment, VerifyCodeRequest};
use rekey_core::i18n::Key;
use rekey_core::security_info::{MethodKind, APP_CODE_DIGITS};

use super::{saved, CancelButton, Store};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::code_entry::CodeForm;
use crate::components::form::Form;
use crate::components::qr::QrImage;
use crate::i18n::use_i18n;

/// The secret in groups of four, easier to read and type.
fn grouped(secret: &str) -> String {
    secret
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn AppEditor(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    let start_form = Form::default();
    let code_form = Form::default();
    let enrolment = RwSignal::new(None::<AppEnrolment>);
    let start = move |_| {
        start_form.run(api::start_app(), move |started| {
            enrolment.set(Some(started))
        })
    };
    let verify = move |code: String| {
        let request = VerifyCodeRequest { code };
        code_form.run(
            async move { api::verify_code(MethodKind::AuthenticatorApp, &request).await },
            move |info| saved(store, i18n, info, MethodKind::AuthenticatorApp),
        );
    };
    view! {
        <div class="editor">
            {move || match enrolment.get() {
                None => {
                    view! {
                        <button type="button" class="primary" disabled=move || start_form.busy.get() on:click=start>
                            {move || i18n.t(Key::AppSetUp)}
                        </button>
                    }
                        .into_any()
                }
                Some(started) => {
                    view! {
                        <p>{move || i18n.t(Key::AppScan)}</p>
                        <QrImage data=started.uri label=Signal::derive(move || i18n.t(Key::AppQrLabel).to_string())/>
                        <dl class="app-key">
                            <dt>{move || i18n.t(Key::AppKey)}</dt>
                            <dd><code class="secret">{grouped(&started.secret)}</code></dd>
                        </dl>
                        <p class="muted">{move || i18n.t(Key::AppKeyHelp)}</p>
                        <CodeForm digits=APP_CODE_DIGITS form=code_form verify=verify/>
                    }
                        .into_any()
                }
            }}
            <ErrorAlert failure=start_form.failure/>
            <div class="form-actions">
                <CancelButton store=store/>
            </div>
        </div>
    }
}
