//! The user a user's page shows, loaded and changed through the API: the one place the page's
//! sections read from and write through.

use std::future::Future;

use leptos::prelude::*;
use rekey_core::dto::{UpdateUserRequest, UserDetail};
use rekey_core::i18n::AdminKey;

use crate::api::{self, Failure};
use crate::components::form::Form;
use crate::i18n::{use_i18n, I18n};

/// The user shown, and what the page says about its changes.
#[derive(Clone, Copy)]
pub(super) struct UserStore {
    id: StoredValue<String>,
    pub user: RwSignal<Option<UserDetail>>,
    /// Why the user could not be loaded.
    pub failure: RwSignal<Option<Failure>>,
    /// What the last change did ("Saved."), announced politely.
    pub message: RwSignal<Option<String>>,
    /// The page's one-click changes and actions: one at a time, failures shown at the top.
    pub action: Form,
    pub i18n: I18n,
}

impl UserStore {
    pub(super) fn load(id: String) -> UserStore {
        let store = UserStore {
            id: StoredValue::new(id),
            user: RwSignal::new(None),
            failure: RwSignal::new(None),
            message: RwSignal::new(None),
            action: Form::default(),
            i18n: use_i18n(),
        };
        store.reload();
        store
    }

    pub fn id(self) -> String {
        self.id.get_value()
    }

    /// One value of the user (the default while none is loaded).
    pub fn read<T: Default>(self, read: impl FnOnce(&UserDetail) -> T) -> T {
        self.user.with(|u| u.as_ref().map(read).unwrap_or_default())
    }

    pub(super) fn reload(self) {
        leptos::task::spawn_local(async move {
            match api::users::detail(&self.id()).await {
                Ok(user) => self.user.set(Some(user)),
                Err(failure) => self.failure.set(Some(failure)),
            }
        });
    }

    /// Sends a change on `form`; shows the user as it now is and says `said`. A refused change
    /// shows the user as they were.
    pub(super) fn update(
        self,
        request: UpdateUserRequest,
        form: Form,
        said: impl FnOnce(I18n) -> String + 'static,
    ) {
        self.message.set(None);
        form.run(
            async move {
                let answer = api::users::update(&self.id(), &request).await;
                if answer.is_err() {
                    // A checkbox the admin just ticked goes back to what the user really has.
                    self.user.notify();
                }
                answer
            },
            move |user| {
                self.user.set(Some(user));
                self.message.set(Some(said(self.i18n)));
            },
        );
    }

    /// Runs an action answered with no content, says `said` and loads the user again.
    pub(super) fn act(
        self,
        request: impl Future<Output = Result<(), Failure>> + 'static,
        said: AdminKey,
    ) {
        self.message.set(None);
        self.action.run(request, move |()| {
            self.message.set(Some(self.i18n.t(said).to_string()));
            self.reload();
        });
    }

    /// Saves the user's groups with `change` made to them.
    pub(super) fn change_groups(self, change: impl FnOnce(&mut Vec<String>), said: String) {
        let mut ids: Vec<String> = self.read(|u| u.groups.iter().map(|g| g.id.clone()).collect());
        change(&mut ids);
        let request = UpdateUserRequest {
            group_ids: Some(ids),
            ..Default::default()
        };
        self.update(request, self.action, move |_| said);
    }
}
