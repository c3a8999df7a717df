//! Setting up an authenticator app in one step: a new secret as a link that opens the app on
//! this device, as a QR code for another device, and as text to copy; then one code from the
//! app to show it works.

use leptos::prelude::*;
use rekey_core::dto::{AppEnrolment, VerifyCodeRequest};
use rekey_core::i18n::UserKey;
use rekey_core::security_info::{MethodKind, APP_CODE_DIGITS};

use super::{saved, CancelButton, Store};
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::code_entry::CodeForm;
use crate::components::form::Form;
use crate::components::loading::Loading;
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
    // One step: opening the editor is asking for a key.
    start_form.run(api::start_app(), move |started| {
        enrolment.set(Some(started))
    });
    let verify = move |code: String| {
        let request = VerifyCodeRequest { code };
        code_form.run(
            async move { api::verify_code(MethodKind::AuthenticatorApp, &request).await },
            move |info| saved(store, i18n, info, MethodKind::AuthenticatorApp),
        );
    };
    view! {
        <div class="editor">
            {move || enrolment.get().map(|started| {
                let secret = started.secret.clone();
                view! {
                    <p>{move || i18n.t(UserKey::AppScan)}</p>
                    <div class="app-setup">
                        // On the phone that shows the code, a QR code cannot be scanned: the
                        // link hands the key to the authenticator app on this device.
                        <p class="app-open">
                            <a class="button-link" href=started.uri.clone()>{move || i18n.t(UserKey::AppOpen)}</a>
                        </p>
                        <QrImage data=started.uri label=Signal::derive(move || i18n.t(UserKey::AppQrLabel).to_string())/>
                    </div>
                    <dl class="app-key">
                        <dt>{move || i18n.t(UserKey::AppKey)}</dt>
                        <dd>
                            <code class="secret">{grouped(&started.secret)}</code>
                            <CopyButton text=secret/>
                        </dd>
                    </dl>
                    <p class="muted">{move || i18n.t(UserKey::AppKeyHelp)}</p>
                    <CodeForm digits=APP_CODE_DIGITS form=code_form verify=verify/>
                }
            })}
            <Show when=move || start_form.busy.get()>
                <Loading/>
            </Show>
            <ErrorAlert failure=start_form.failure/>
            <div class="form-actions">
                <CancelButton store=store/>
            </div>
        </div>
    }
}

/// Copies the key to the clipboard and says so.
#[component]
fn CopyButton(text: String) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let promise = clipboard.write_text(&text);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await;
            copied.set(done.is_ok());
        });
    };
    view! {
        <button type="button" class="copy" on:click=copy>{move || i18n.t(UserKey::CopyKey)}</button>
        <span role="status" class="muted">{move || copied.get().then(|| i18n.t(UserKey::KeyCopied))}</span>
    }
}
