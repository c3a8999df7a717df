//! The language in use: from `?lang=`, else the remembered choice, else the browser. Every
//! string comes from `rekey_core::i18n`, shared with the server.

use leptos::prelude::*;
use rekey_core::i18n::{Key, Lang};
use rekey_core::security_info::MethodKind;

const STORAGE_KEY: &str = "rekey.lang";

#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// A UI string; reading it inside a closure makes the view follow language changes.
    pub fn t(&self, key: Key) -> &'static str {
        self.lang.get().t(key)
    }

    pub fn format(&self, key: Key, args: &[(&str, &str)]) -> String {
        self.lang.get().format(key, args)
    }

    /// Switches language and remembers the choice in this browser.
    pub fn choose(&self, lang: Lang) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
        self.lang.set(lang);
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn initial_lang() -> Lang {
    let window = web_sys::window();
    let from_query = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("lang"));
    let remembered = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let browser = window.and_then(|w| w.navigator().language());
    from_query
        .or(remembered)
        .or(browser)
        .map(|tag| Lang::negotiate(&tag))
        .unwrap_or_default()
}

/// Provides the language to the whole app and keeps `<html lang>` in step with it.
pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        lang: RwSignal::new(initial_lang()),
    };
    provide_context(i18n);
    Effect::new(move |_| {
        let tag = i18n.lang.get().tag();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", tag);
        }
    });
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A date and time in the user's language, from Unix seconds.
pub fn format_time(lang: Lang, unix_seconds: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        unix_seconds as f64 * 1000.0,
    ));
    date.to_locale_string(lang.tag(), &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}

/// A count in the user's language ("1,234").
pub fn format_count(lang: Lang, count: u64) -> String {
    js_sys::Number::from(count as f64)
        .to_locale_string(lang.tag())
        .into()
}

/// A method's short name ("Email").
pub fn method_name(kind: MethodKind) -> Key {
    match kind {
        MethodKind::AuthenticatorApp => Key::MethodNameAuthenticatorApp,
        MethodKind::MobilePhone => Key::MethodNameMobilePhone,
        MethodKind::Email => Key::MethodNameEmail,
        MethodKind::SecurityQuestions => Key::MethodNameSecurityQuestions,
    }
}
