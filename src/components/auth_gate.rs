use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::loading::Loading;
use crate::session::{use_session, AuthState};

/// Shows its children only to a signed-in person: a loading note while the session is checked,
/// the sign-in page for anyone else.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    move || match session.state.get() {
        AuthState::Checking => view! { <Loading/> }.into_any(),
        AuthState::SignedOut => view! { <Redirect path="/signin"/> }.into_any(),
        AuthState::SignedIn => children().into_any(),
    }
}
