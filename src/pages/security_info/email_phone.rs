//! Adding or changing the email address or mobile number: type it, get a code there, type
//! the code back.

use leptos::prelude::*;
use rekey_core::dto::{SendCodeRequest, VerifyCodeRequest};
use rekey_core::security_info::MethodKind;

use super::{saved, CancelButton, Store};
use crate::api;
use crate::components::code_entry::{CodeSteps, TypeThenEnter, EMAIL, PHONE};
use crate::i18n::use_i18n;

#[component]
pub fn ContactEditor(store: Store, kind: MethodKind) -> impl IntoView {
    let i18n = use_i18n();
    let kind_of = if kind == MethodKind::Email {
        &EMAIL
    } else {
        &PHONE
    };
    let destination = RwSignal::new(String::new());
    let code = CodeSteps::default();
    let send = move || {
        let request = SendCodeRequest {
            destination: (kind_of.normalize)(&destination.get_untracked()),
            lang: Some(i18n.locale.get_untracked().tag().to_string()),
        };
        code.send(async move { api::send_code(kind, &request).await });
    };
    let verify = move |code_typed: String| {
        let request = VerifyCodeRequest { code: code_typed };
        code.checking.run(
            async move { api::verify_code(kind, &request).await },
            move |info| saved(store, i18n, info, kind),
        );
    };
    view! {
        <div class="editor">
            <TypeThenEnter
                destination=kind_of
                field="destination"
                id=format!("{}-destination", kind.as_str())
                typed=destination
                code=code
                send=send
                verify=verify
            />
            <div class="form-actions">
                <CancelButton store=store/>
            </div>
        </div>
    }
}
