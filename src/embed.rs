//! Inside another site's iframe, Rekey tells the parent page what happens, with `postMessage`:
//! `rekey:ready`, `rekey:resize` (with the content height), `rekey:reset-completed` and
//! `rekey:cancelled`. Messages go only to the parent's own origin (never `"*"`), and only once
//! that origin is found on the embedding allowlist (public `GET /api/embedding`); the browser
//! delivers them only when that is really the parent's origin. Only allowlisted origins may
//! frame Rekey at all (CSP `frame-ancestors`), so this is a second lock on the same door.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// An event for the parent page.
#[derive(Clone, Copy)]
pub enum Event {
    Ready,
    Resize(u32),
    ResetCompleted,
    Cancelled,
}

impl Event {
    fn message(self) -> js_sys::Object {
        let (kind, height) = match self {
            Event::Ready => ("rekey:ready", None),
            Event::Resize(height) => ("rekey:resize", Some(height)),
            Event::ResetCompleted => ("rekey:reset-completed", None),
            Event::Cancelled => ("rekey:cancelled", None),
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
        if let Some(height) = height {
            let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        }
        message
    }
}

/// The parent window and its origin, when Rekey runs in a frame whose parent we can name.
fn parent() -> Option<(web_sys::Window, String)> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    if parent == window {
        return None;
    }
    Some((parent, parent_origin(&window)?))
}

/// `location.ancestorOrigins[0]` where the browser has it (Chromium, Safari), else the origin
/// of `document.referrer` (the page that loaded the frame).
fn parent_origin(window: &web_sys::Window) -> Option<String> {
    let ancestors = js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into()).ok();
    let first = ancestors
        .filter(|a| !a.is_undefined())
        .and_then(|a| js_sys::Reflect::get(&a, &0.into()).ok())
        .and_then(|o| o.as_string());
    let referrer = || {
        let referrer = window.document()?.referrer();
        let origin = web_sys::Url::new(&referrer).ok()?.origin();
        (origin != "null").then_some(origin)
    };
    first.filter(|o| o != "null").or_else(referrer)
}

thread_local! {
    /// The parent and its origin, once the allowlist has it.
    static ALLOWED_PARENT: RefCell<Option<(web_sys::Window, String)>> = const { RefCell::new(None) };
}

/// Whether Rekey runs in a frame whose parent can be named.
pub fn framed() -> bool {
    parent().is_some()
}

/// Tells the parent page, if it is an allowlisted one.
pub fn post(event: Event) {
    ALLOWED_PARENT.with_borrow(|allowed| {
        if let Some((parent, origin)) = allowed {
            let _ = parent.post_message(&event.message(), origin);
        }
    });
}

/// In a frame whose parent is on the allowlist: says it is ready, and reports the content
/// height now and whenever it changes, so the parent can size the frame to fit.
pub fn start() {
    let Some((parent, origin)) = parent() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let allowed = crate::api::embedding_allowlist().await;
        if allowed.is_ok_and(|list| list.allows(&origin)) {
            ALLOWED_PARENT.set(Some((parent, origin)));
            post(Event::Ready);
            report_height();
        }
    });
}

/// The content height now (the observer's first call) and whenever it changes.
fn report_height() {
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    let last = Cell::new(0);
    let measured = body.clone();
    let report = Closure::<dyn Fn()>::new(move || {
        let height = measured.get_bounding_client_rect().height().ceil() as u32;
        if height != last.replace(height) {
            post(Event::Resize(height));
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(report.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // The observer calls it for the life of the page.
    report.forget();
}
