//! Deployment settings read at start-up, so one build serves any base path, any API address and
//! any host page without rebuilding. In order of precedence:
//! 1. `data-*` attributes on the host element (`data-api-base`, `data-base-path`,
//!    `data-language`, `data-theme`, `data-areas`);
//! 2. a JSON block `<script type="application/json" id="rekey-config">` in the page
//!    (`api_base`, `base_path`, `language`, `theme`, `areas`, `mount`);
//! 3. `?theme=` and `?areas=` in the address (for a page in an iframe);
//! 4. what the server filled into index.html (`<meta name="rekey-api-base">`, `<base href>`);
//! 5. the defaults: API at `/api`, the root path, every area, the system theme, the body.
//!
//! See docs/embedding.md.

use std::sync::OnceLock;

use leptos::prelude::GetUntracked;
use serde::Deserialize;
use wasm_bindgen::JsCast;

/// The id of the element the app mounts into, when the page has one and names no other.
const DEFAULT_MOUNT: &str = "rekey";

/// A part of the product a host page may show or hide.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Area {
    /// The public reset flow (`/reset`).
    Reset,
    /// Sign-in and the user's own pages (account, security info, registration, password).
    Account,
    /// The admin centre (reached through sign-in).
    Admin,
}

impl Area {
    const ALL: [Area; 3] = [Area::Reset, Area::Account, Area::Admin];

    fn parse(name: &str) -> Option<Area> {
        match name.trim() {
            "reset" => Some(Area::Reset),
            "account" => Some(Area::Account),
            "admin" => Some(Area::Admin),
            _ => None,
        }
    }
}

/// Light, dark, or following the system (`auto`, the default).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Theme {
    Auto,
    Light,
    Dark,
}

pub struct RuntimeConfig {
    /// The path the SPA is mounted under, without a trailing slash ("" at the root).
    pub base_path: String,
    /// Where API calls go, without a trailing slash, e.g. `/api` or `https://x.example/api`.
    pub api_base: String,
    /// The language the host asks for (a tag such as `zh-CN`).
    pub language: Option<String>,
    pub theme: Theme,
    /// The areas shown; routes and links of the others are hidden.
    pub areas: Vec<Area>,
    /// The id of the host element to mount into instead of the body.
    pub mount: String,
}

/// The host's settings, from the JSON block or the data attributes; anything unset falls
/// through to the next source.
#[derive(Default, Deserialize)]
struct HostSettings {
    api_base: Option<String>,
    base_path: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    areas: Option<Vec<String>>,
    mount: Option<String>,
}

impl HostSettings {
    fn from_json_block(document: &web_sys::Document) -> HostSettings {
        document
            .get_element_by_id("rekey-config")
            .and_then(|block| block.text_content())
            .and_then(|json| crate::json::parse(&json))
            .unwrap_or_default()
    }

    fn from_attributes(host: &web_sys::Element) -> HostSettings {
        let data = |name: &str| host.get_attribute(&format!("data-{name}"));
        HostSettings {
            api_base: data("api-base"),
            base_path: data("base-path"),
            language: data("language"),
            theme: data("theme"),
            areas: data("areas").as_deref().map(list),
            mount: None,
        }
    }

    /// `?theme=` and `?areas=` in the address: how a host page sets them for Rekey in its
    /// iframe, whose page it does not write (the language has `?lang=`).
    fn from_query(window: &web_sys::Window) -> HostSettings {
        let params = window
            .location()
            .search()
            .ok()
            .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok());
        let param = |name: &str| params.as_ref().and_then(|p| p.get(name));
        HostSettings {
            theme: param("theme"),
            areas: param("areas").as_deref().map(list),
            ..Default::default()
        }
    }

    /// These settings, with the gaps filled from `other`.
    fn or(self, other: HostSettings) -> HostSettings {
        HostSettings {
            api_base: self.api_base.or(other.api_base),
            base_path: self.base_path.or(other.base_path),
            language: self.language.or(other.language),
            theme: self.theme.or(other.theme),
            areas: self.areas.or(other.areas),
            mount: self.mount.or(other.mount),
        }
    }
}

/// `reset,account` or `reset account`.
fn list(names: &str) -> Vec<String> {
    names
        .split([',', ' '])
        .filter(|a| !a.is_empty())
        .map(str::to_string)
        .collect()
}

fn from_index_html(document: &web_sys::Document) -> HostSettings {
    let api_base = document
        .query_selector("meta[name='rekey-api-base']")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|c| !c.is_empty() && !c.starts_with("__"));
    let base_path = document
        .query_selector("base")
        .ok()
        .flatten()
        .and_then(|base| base.get_attribute("href"))
        .filter(|href| href.starts_with('/') && !href.starts_with("/__"));
    HostSettings {
        api_base,
        base_path,
        ..Default::default()
    }
}

fn read() -> RuntimeConfig {
    let page = web_sys::window().and_then(|w| w.document().map(|d| (w, d)));
    let Some((window, document)) = page else {
        return resolve(HostSettings::default());
    };
    let json = HostSettings::from_json_block(&document);
    let mount = json.mount.as_deref().unwrap_or(DEFAULT_MOUNT);
    let attributes = document
        .get_element_by_id(mount)
        .map(|host| HostSettings::from_attributes(&host))
        .unwrap_or_default();
    resolve(
        attributes
            .or(json)
            .or(HostSettings::from_query(&window))
            .or(from_index_html(&document)),
    )
}

fn resolve(settings: HostSettings) -> RuntimeConfig {
    let theme = match settings.theme.as_deref() {
        Some("light") => Theme::Light,
        Some("dark") => Theme::Dark,
        _ => Theme::Auto,
    };
    let areas: Vec<Area> = settings
        .areas
        .map(|names| names.iter().filter_map(|n| Area::parse(n)).collect())
        .filter(|areas: &Vec<Area>| !areas.is_empty())
        .unwrap_or_else(|| Area::ALL.to_vec());
    RuntimeConfig {
        base_path: settings
            .base_path
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string(),
        api_base: settings
            .api_base
            .unwrap_or_else(|| "/api".into())
            .trim_end_matches('/')
            .to_string(),
        language: settings.language.filter(|l| !l.is_empty()),
        theme,
        areas,
        mount: settings.mount.unwrap_or_else(|| DEFAULT_MOUNT.into()),
    }
}

pub fn get() -> &'static RuntimeConfig {
    static CONFIG: OnceLock<RuntimeConfig> = OnceLock::new();
    CONFIG.get_or_init(read)
}

/// Whether the host shows this area.
pub fn shows(area: Area) -> bool {
    get().areas.contains(&area)
}

/// Sign-in is reachable when something behind it is shown.
pub fn shows_sign_in() -> bool {
    shows(Area::Account) || shows(Area::Admin)
}

/// The host element to mount into, if the page has one; else the app takes the body.
pub fn host_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(&get().mount)?
        .dyn_into()
        .ok()
}

/// Applies a forced theme: the stylesheet follows `data-rekey-theme` on the root element
/// instead of the system setting.
pub fn apply_theme() {
    let name = match get().theme {
        Theme::Auto => return,
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-rekey-theme", name);
    }
}

/// An in-app path with the base path in front, for `<A href>` (which, unlike navigation,
/// does not add the router's base to absolute paths).
pub fn href(path: &str) -> String {
    format!("{}{}", get().base_path, path)
}

/// Where the router is, inside the app: the path without the base path, and the query.
pub fn in_app_address(location: &leptos_router::location::Location) -> String {
    let path = in_app(&location.pathname.get_untracked()).to_string();
    let search = location.search.get_untracked();
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

/// A browser path without the base path in front: the form routes and `navigate` take.
pub fn in_app(path: &str) -> &str {
    match path.strip_prefix(get().base_path.as_str()) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => path,
    }
}
