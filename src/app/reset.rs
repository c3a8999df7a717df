//! The reset bundle's route table: the public reset flow alone, for people who open `/reset`
//! directly. Every other route is a page load of the bundle that holds it.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route};
use leptos_router::path;
use rekey_core::spa::Bundle;

use super::{bundle_routes, gated};
use crate::pages::reset;
use crate::runtime_config::{shows, Area};

#[component]
pub fn App() -> impl IntoView {
    bundle_routes!(
        Bundle::Reset,
        // The server sends this bundle for `/reset` only; on a portal's page that mounts it, the
        // base path itself opens the reset flow.
        <Route path=path!("/") view=|| view! { <Redirect path="/reset"/> }/>
        <Route path=path!("/reset") view=gated(shows(Area::Reset), reset::ResetPage)/>
    )
}
