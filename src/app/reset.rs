//! The reset bundle's route table: the public reset flow alone, for people who open `/reset`
//! directly. Every other route is a page load of the bundle that holds it.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use rekey_core::spa::Bundle;

use super::{elsewhere_or_not_found, gated, provide_app_context};
use crate::pages::reset;
use crate::runtime_config::{self, shows, Area};

#[component]
pub fn App() -> impl IntoView {
    provide_app_context();
    let base = runtime_config::get().base_path.clone();
    view! {
        <Router base=base>
            <Routes fallback=elsewhere_or_not_found(Bundle::Reset)>
                <Route path=path!("/reset") view=gated(shows(Area::Reset), reset::ResetPage)/>
            </Routes>
        </Router>
    }
}
