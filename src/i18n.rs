//! The language in use: from `?lang=`, else the remembered choice, else the browser. Every
//! string comes from `rekey_core::i18n`, shared with the server, through [`Locale`], which
//! adds the pseudo-locale for layout tests.

mod pseudo;

use leptos::prelude::*;
use rekey_core::audit::AuditAction;
use rekey_core::error::ErrorCode;
use rekey_core::i18n::{fill, Key, Lang, Text, LANG_COOKIE};
use rekey_core::questions::BuiltInQuestion;
use rekey_core::roles::Role;
use rekey_core::security_info::MethodKind;
use rekey_core::validation::Rule;
use wasm_bindgen::JsCast;

const STORAGE_KEY: &str = "rekey.lang";

/// The texts of the rules only the admin centre checks: its bundle installs them at start
/// ([`install_admin_rules`]), so the user bundles never link them.
static ADMIN_RULES: std::sync::OnceLock<fn(Lang, Rule) -> Option<&'static str>> =
    std::sync::OnceLock::new();

pub fn install_admin_rules() {
    let _ = ADMIN_RULES.set(Lang::admin_rule);
}

/// What the page speaks: a real language, or (`?lang=qps`) English run through
/// [`pseudo::stretch`]. Lookups mirror [`Lang`]'s; [`Locale::lang`] is the real language for
/// what leaves the page (requests, emails) and for dates and numbers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    lang: Lang,
    pseudo: bool,
}

impl From<Lang> for Locale {
    fn from(lang: Lang) -> Locale {
        Locale {
            lang,
            pseudo: false,
        }
    }
}

impl Locale {
    const PSEUDO: Locale = Locale {
        lang: Lang::En,
        pseudo: true,
    };

    pub fn lang(self) -> Lang {
        self.lang
    }

    /// The real language's BCP 47 tag (the pseudo-locale is English underneath).
    pub fn tag(self) -> &'static str {
        self.lang.tag()
    }

    fn text(self, text: &'static str) -> &'static str {
        if self.pseudo {
            pseudo::stretch(text)
        } else {
            text
        }
    }

    pub fn t(self, key: impl Text) -> &'static str {
        self.text(self.lang.t(key))
    }

    pub fn format(self, key: impl Text, args: &[(&str, &str)]) -> String {
        fill(self.t(key), args)
    }

    pub fn error(self, code: ErrorCode) -> &'static str {
        self.text(self.lang.error(code))
    }

    pub fn rule(self, rule: Rule) -> &'static str {
        let admin = ADMIN_RULES.get().and_then(|texts| texts(self.lang, rule));
        self.text(admin.unwrap_or_else(|| self.lang.rule(rule)))
    }

    pub fn role(self, role: Role) -> &'static str {
        self.text(self.lang.role(role))
    }

    pub fn action(self, action: AuditAction) -> &'static str {
        self.text(self.lang.action(action))
    }

    pub fn question(self, question: BuiltInQuestion) -> &'static str {
        self.text(self.lang.question(question))
    }

    /// A count with the locale's digit grouping ("1,234").
    pub fn count(self, count: u64) -> String {
        js_sys::Number::from(count as f64)
            .to_locale_string(self.tag())
            .into()
    }

    /// A date in the locale's format, from Unix seconds.
    pub fn date(self, unix_seconds: i64) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            unix_seconds as f64 * 1000.0,
        ));
        date.to_locale_date_string(self.tag(), &wasm_bindgen::JsValue::UNDEFINED)
            .into()
    }

    /// A date and time in the locale's format, from Unix seconds.
    pub fn time(self, unix_seconds: i64) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
            unix_seconds as f64 * 1000.0,
        ));
        date.to_locale_string(self.tag(), &wasm_bindgen::JsValue::UNDEFINED)
            .as_string()
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// A UI string; reading it inside a closure makes the view follow language changes.
    pub fn t(&self, key: impl Text) -> &'static str {
        self.locale.get().t(key)
    }

    pub fn format(&self, key: impl Text, args: &[(&str, &str)]) -> String {
        self.locale.get().format(key, args)
    }

    /// A count in the page's language, following language changes.
    pub fn count(&self, count: u64) -> String {
        self.locale.get().count(count)
    }

    /// Switches language and remembers the choice in this browser: in storage for the page,
    /// and in a cookie for the server's first paint of the next page load.
    pub fn choose(&self, lang: Lang) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.tag());
        }
        let cookie = format!(
            "{LANG_COOKIE}={}; Path={}/; Max-Age=31536000; SameSite=Lax",
            lang.tag(),
            crate::runtime_config::get().base_path
        );
        if let Ok(document) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = document.set_cookie(&cookie);
        }
        self.locale.set(lang.into());
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn initial_locale() -> Locale {
    let window = web_sys::window();
    let from_query = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("lang"));
    if from_query.as_deref() == Some(pseudo::TAG) {
        return Locale::PSEUDO;
    }
    let remembered = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let browser = window.and_then(|w| w.navigator().language());
    // The host page's language (runtime config) ranks below a choice the person made.
    let host = crate::runtime_config::get().language.clone();
    from_query
        .or(remembered)
        .or(host)
        .or(browser)
        .map(|tag| Lang::negotiate(&tag))
        .unwrap_or_default()
        .into()
}

/// Provides the language to the whole app and keeps `<html lang>` in step with it.
pub fn provide_i18n() -> I18n {
    let i18n = I18n {
        locale: RwSignal::new(initial_locale()),
    };
    provide_context(i18n);
    Effect::new(move |_| {
        let tag = i18n.locale.get().tag();
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", tag);
        }
    });
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A method's short name ("Email").
pub fn method_name(kind: MethodKind) -> Key {
    match kind {
        MethodKind::Passkey => Key::MethodNamePasskey,
        MethodKind::AuthenticatorApp => Key::MethodNameAuthenticatorApp,
        MethodKind::MobilePhone => Key::MethodNameMobilePhone,
        MethodKind::Email => Key::MethodNameEmail,
        MethodKind::SecurityQuestions => Key::MethodNameSecurityQuestions,
    }
}
