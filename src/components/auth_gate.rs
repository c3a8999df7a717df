use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

use crate::components::loading::Loading;
use crate::runtime_config::in_app_address;
use crate::session::{pending_interrupt, through_interrupts, use_session, AuthState, Interrupt};

/// Shows its children only to a signed-in person: a loading note while the session is checked,
/// the sign-in page for anyone else, and first whatever sign-in still asks for (the forced
/// password change, then the registration wizard), unless this page is where that is done
/// (`serves`).
#[component]
pub fn SignedIn(
    children: ChildrenFn,
    #[prop(optional_no_strip)] serves: Option<Interrupt>,
) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || match session.state.get() {
        AuthState::Checking => view! { <Loading/> }.into_any(),
        AuthState::SignedOut => view! { <Redirect path="/signin"/> }.into_any(),
        AuthState::SignedIn => {
            let here = in_app_address(&location);
            let path = session.info.with_untracked(|info| {
                let info = info.as_ref()?;
                let pending = pending_interrupt(info);
                if pending.is_some() && pending == serves {
                    return None;
                }
                Some(through_interrupts(info, &here)).filter(|path| *path != here)
            });
            match path {
                Some(path) => view! { <Redirect path=path/> }.into_any(),
                None => children().into_any(),
            }
        }
    }
}
