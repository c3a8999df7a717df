//! What a page shows before its WASM has loaded. The server knows the route, the visitor's
//! language and the organisation's name, so the first paint is the page's own heading and
//! introduction, laid out as the app then draws them (same elements, same classes): the app
//! takes over without anything on screen moving, and a phone on a slow network has something
//! to read at once.

use axum::http::{header, HeaderMap, Uri};
use axum_extra::extract::cookie::CookieJar;
use rekey_core::i18n::{Key, Lang, LANG_COOKIE};
use rekey_core::spa::Opening;

use crate::infra::html::escape;

/// Where the bundles' pages take the first paint.
pub const PLACEHOLDER: &str = "__REKEY_FIRST_PAINT__";
/// Where they say their language.
pub const LANG_PLACEHOLDER: &str = "__REKEY_LANG__";

/// The visitor's language, in the order the page decides it: `?lang=`, the choice
/// remembered from the switch, the browser's first language.
pub fn language(uri: &Uri, headers: &HeaderMap) -> Lang {
    let query = uri.query().unwrap_or("").split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == "lang").then(|| value.to_string())
    });
    let remembered = || {
        CookieJar::from_headers(headers)
            .get(LANG_COOKIE)
            .map(|cookie| cookie.value().to_string())
    };
    let browser = || {
        headers
            .get(header::ACCEPT_LANGUAGE)?
            .to_str()
            .ok()?
            .split([',', ';'])
            .next()
            .map(str::to_string)
    };
    query
        .or_else(remembered)
        .or_else(browser)
        .map(|tag| Lang::negotiate(&tag))
        .unwrap_or_default()
}

/// A public page's first paint: its heading and introduction under the organisation's name,
/// in the elements and classes the app draws (`PublicFrame`).
pub fn opening(opening: Opening, lang: Lang, org_name: &str) -> String {
    format!(
        r#"<div class="signin-layout"><header class="signin-header"><span class="brand"><span class="brand-name">{}</span></span></header><main class="card signin-card"><h1>{}</h1><p class="muted">{}</p></main></div>"#,
        escape(org_name),
        escape(lang.t(opening.title)),
        escape(lang.t(opening.intro)),
    )
}

/// Any other page's first paint.
pub fn loading(lang: Lang) -> String {
    format!(
        r#"<p class="loading" role="status">{}</p>"#,
        escape(lang.t(Key::Loading))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_language_is_the_address_then_the_switch_then_the_browser() {
        let browser_zh = headers(&[(header::ACCEPT_LANGUAGE, "zh-CN,zh;q=0.9,en;q=0.8")]);
        let plain: Uri = "/reset".parse().unwrap();
        assert_eq!(language(&plain, &browser_zh), Lang::ZhCn);
        assert_eq!(language(&plain, &HeaderMap::new()), Lang::En);
        let asked: Uri = "/reset?x=1&lang=en".parse().unwrap();
        assert_eq!(language(&asked, &browser_zh), Lang::En);
        let chosen = headers(&[
            (header::ACCEPT_LANGUAGE, "en-GB"),
            (header::COOKIE, "other=1; rekey_lang=zh-CN"),
        ]);
        assert_eq!(language(&plain, &chosen), Lang::ZhCn);
        // The pseudo-locale is English underneath.
        let pseudo: Uri = "/signin?lang=qps".parse().unwrap();
        assert_eq!(language(&pseudo, &chosen), Lang::En);
    }

    #[test]
    fn public_pages_paint_their_heading_under_the_escaped_name() {
        let reset = opening(rekey_core::spa::RESET_OPENING, Lang::ZhCn, "A&B <Corp>");
        assert!(reset.contains(Lang::ZhCn.t(Key::ResetWhoTitle)), "{reset}");
        assert!(reset.contains("A&amp;B &lt;Corp&gt;"), "{reset}");
        let sign_in = opening(rekey_core::spa::SIGN_IN_OPENING, Lang::En, "Contoso");
        assert!(sign_in.contains("<h1>Sign in</h1>"), "{sign_in}");
        let other = loading(Lang::En);
        assert!(
            other.contains("Loading…") && !other.contains("<h1>"),
            "{other}"
        );
    }
}
