//! Who is signed in, shared by every page. `None` until the first check completes.

use leptos::prelude::*;
use rekey_core::dto::SessionInfo;
use rekey_core::i18n::UserKey;
use rekey_core::roles::Role;

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
    /// What the next page says first, once (e.g. that the forced change went through).
    pub notice: RwSignal<Option<UserKey>>,
}

impl Session {
    pub fn set(&self, info: SessionInfo) {
        crate::api::set_csrf_token(&info.csrf_token);
        self.info.set(Some(info));
        // Unchanged, it must not redraw every signed-in page.
        if self.state.get_untracked() != AuthState::SignedIn {
            self.state.set(AuthState::SignedIn);
        }
    }

    pub fn clear(&self) {
        crate::api::set_csrf_token("");
        self.info.set(None);
        self.state.set(AuthState::SignedOut);
    }

    pub fn roles(&self) -> Vec<Role> {
        self.info
            .with(|i| i.as_ref().map(|i| i.user.roles.clone()).unwrap_or_default())
    }

    /// Whether the signed-in admin may act on the user `id` holding `target` under `allowed`
    /// (a scope rule of `rekey_core::roles`, the one the server applies); nobody acts on
    /// themselves from the Users page.
    pub fn may_act_on(
        &self,
        id: &str,
        target: &[Role],
        allowed: fn(&[Role], &[Role]) -> bool,
    ) -> bool {
        self.info.with_untracked(|i| {
            i.as_ref()
                .is_some_and(|i| i.user.id != id && allowed(&i.user.roles, target))
        })
    }

    /// Asks the server again, e.g. once registration changed what sign-in should ask for.
    pub async fn refresh(self) {
        if let Ok(info) = crate::api::current_session().await {
            self.set(info);
        }
    }

    /// The password was just changed: the server no longer asks for a change, and may have
    /// moved the session on, so ask it again. The change is already known here in case that
    /// fails.
    pub async fn password_changed(self) {
        self.info.update(|info| {
            if let Some(info) = info {
                info.user.password_change_due = None;
            }
        });
        self.refresh().await;
    }
}

/// Provides the session and checks once with the server whether a session cookie is live.
pub fn provide_session() -> Session {
    let session = Session {
        info: RwSignal::new(None),
        state: RwSignal::new(AuthState::Checking),
        notice: RwSignal::new(None),
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

/// Remembers, for this browser tab, who skipped or finished the registration wizard since
/// signing in, so the wizard does not come back on every page.
const REGISTRATION_HANDLED: &str = "rekey.registration_handled";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

pub fn remember_registration_handled(info: &SessionInfo) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(REGISTRATION_HANDLED, &info.user.id);
    }
}

/// A new sign-in asks again.
pub fn forget_registration_handled() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(REGISTRATION_HANDLED);
    }
}

fn registration_pending(info: &SessionInfo) -> bool {
    let handled = session_storage()
        .and_then(|s| s.get_item(REGISTRATION_HANDLED).ok().flatten())
        .is_some_and(|id| id == info.user.id);
    info.user.registration_due.is_some() && !handled
}

/// What sign-in asks of a person before anything else.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Interrupt {
    /// The password expired or an admin set it: nothing else answers until it is changed.
    PasswordChange,
    /// Security info to register or reconfirm.
    Registration,
}

/// The forced password change's page.
const CHANGE_PASSWORD_PATH: &str = "/change-password";

/// The interrupt due now, most pressing first.
pub fn pending_interrupt(info: &SessionInfo) -> Option<Interrupt> {
    if info.user.password_change_due.is_some() {
        Some(Interrupt::PasswordChange)
    } else if registration_pending(info) {
        Some(Interrupt::Registration)
    } else {
        None
    }
}

/// Where to send a signed-in person who is going to `path`: through the interrupt due first.
pub fn through_interrupts(info: &SessionInfo, path: &str) -> String {
    match pending_interrupt(info) {
        Some(Interrupt::PasswordChange) => CHANGE_PASSWORD_PATH.to_string(),
        Some(Interrupt::Registration) => {
            format!("/register?next={}", js_sys::encode_uri_component(path))
        }
        None => path.to_string(),
    }
}
