//! Who is signed in, shared by every page. `None` until the first check completes.

use leptos::prelude::*;
use rekey_core::dto::SessionInfo;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AuthState {
    Checking,
    SignedOut,
    SignedIn,
}

#[derive(Clone, Copy)]
pub struct Session {
    pub info: RwSignal<Option<SessionInfo>>,
    pub state: RwSignal<AuthState>,
}

impl Session {
    pub fn set(&self, info: SessionInfo) {
        crate::api::set_csrf_token(&info.csrf_token);
        self.info.set(Some(info));
        self.state.set(AuthState::SignedIn);
    }

    pub fn clear(&self) {
        crate::api::set_csrf_token("");
        self.info.set(None);
        self.state.set(AuthState::SignedOut);
    }

    pub fn roles(&self) -> Vec<rekey_core::roles::Role> {
        self.info
            .with(|i| i.as_ref().map(|i| i.user.roles.clone()).unwrap_or_default())
    }
}

/// Provides the session and checks once with the server whether a session cookie is live.
pub fn provide_session() -> Session {
    let session = Session {
        info: RwSignal::new(None),
        state: RwSignal::new(AuthState::Checking),
    };
    provide_context(session);
    leptos::task::spawn_local(async move {
        match crate::api::current_session().await {
            Ok(info) => session.set(info),
            Err(_) => session.clear(),
        }
    });
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Where a signed-in person lands: the admin centre for admins, their account otherwise.
pub fn home_path(info: &SessionInfo) -> &'static str {
    if rekey_core::roles::is_admin(&info.user.roles) {
        "/admin"
    } else {
        "/account"
    }
}
