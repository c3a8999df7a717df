use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::components::loading::Loading;
use crate::runtime_config::in_app;
use crate::session::{through_registration, use_session, AuthState};

/// Shows its children only to a signed-in person: a loading note while the session is checked,
/// the sign-in page for anyone else, and the registration wizard first when sign-in asks for it
/// (unless this page is where security info is registered).
#[component]
pub fn SignedIn(children: ChildrenFn, #[prop(optional)] registering: bool) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || match session.state.get() {
        AuthState::Checking => view! { <Loading/> }.into_any(),
        AuthState::SignedOut => view! { <Redirect path="/signin"/> }.into_any(),
        AuthState::SignedIn => {
            let path = in_app(&location.pathname.get_untracked()).to_string();
            let search = location.search.get_untracked();
            let here = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            let path = session.info.with_untracked(|info| {
                info.as_ref()
                    .map(|info| through_registration(info, &here))
                    .filter(|path| !registering && *path != here)
            });
            match path {
                Some(path) => view! { <Redirect path=path/> }.into_any(),
                None => children().into_any(),
            }
        }
    }
}
