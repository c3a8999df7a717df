//! The reset bundle: the public reset flow alone, for people who open `/reset` directly. It has
//! one page, so it goes without the router (lighter for every phone): a link out of it is a
//! plain page load of the bundle that holds the route.

use leptos::prelude::*;

use super::{current_route, gated, provide_app_context, replace_route};
use crate::pages::{not_found, reset};
use crate::runtime_config::{shows, Area};

#[component]
pub fn App() -> impl IntoView {
    provide_app_context();
    let page = gated(shows(Area::Reset), reset::ResetPage);
    match current_route().as_str() {
        "/reset" | "/reset/" => page(),
        // The server sends this bundle for `/reset` only; on a portal's page that mounts it, the
        // base path itself opens the reset flow, at its route.
        "" | "/" => {
            replace_route("/reset");
            page()
        }
        _ => not_found::NotFound().into_any(),
    }
}
