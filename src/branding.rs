//! The organisation's branding on the user screens, fetched once at start from the public
//! `/api/branding`: the name and logo in the header, the accent as the `--rekey-brand-accent`
//! custom property. It is set through the CSSOM (`style.setProperty`), which the page's CSP
//! allows, unlike inline style attributes.

use leptos::prelude::*;
use rekey_core::settings::BrandingSettings;

use crate::api;

#[derive(Clone, Copy)]
pub struct Branding(pub RwSignal<Option<BrandingSettings>>);

/// Fetches the branding and applies the accent to the root element once it arrives.
pub fn provide_branding() {
    let branding = RwSignal::new(None::<BrandingSettings>);
    provide_context(Branding(branding));
    leptos::task::spawn_local(async move {
        // Without it, the screens keep the built-in look: nothing to report to the user.
        if let Ok(found) = api::branding().await {
            set_accent(&found.accent_colour);
            branding.set(Some(found));
        }
    });
}

pub fn use_branding() -> Branding {
    expect_context::<Branding>()
}

fn set_accent(colour: &str) {
    use wasm_bindgen::JsCast;
    let root = document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        let _ = root.style().set_property("--rekey-brand-accent", colour);
    }
}
