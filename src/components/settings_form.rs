//! The one form mechanism for settings sections: load, edit a draft checked by the shared
//! rules as you type, see unsaved changes, save or discard, read-only with the reason for
//! admins who may not change it. Each section supplies only its fields.

use leptos::prelude::*;
use rekey_core::dto::SettingsView;
use rekey_core::i18n::{AdminKey, Key};
use rekey_core::roles::can_manage_sspr;
use rekey_core::settings::SettingsSection;
use rekey_core::validation::FieldError;

use crate::api::{self, Failure};
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::field::{CheckboxField, Label};
use crate::components::loading::Loading;
use crate::i18n::use_i18n;
use crate::session::use_session;

/// What a section's fields work with.
pub struct SectionContext<T: Send + Sync + 'static> {
    pub draft: RwSignal<T>,
    pub errors: Signal<Vec<FieldError>>,
}

impl<T: Send + Sync + 'static> Clone for SectionContext<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for SectionContext<T> {}

impl<T: Send + Sync + 'static> SectionContext<T> {
    /// Reads one value of the draft.
    pub fn get<V>(&self, read: impl Fn(&T) -> V) -> V {
        self.draft.with(read)
    }

    /// Changes the draft.
    pub fn set(&self, change: impl FnOnce(&mut T)) {
        self.draft.update(change)
    }

    /// A checkbox bound to one flag of the draft.
    pub fn checkbox(
        self,
        id: &'static str,
        label: AdminKey,
        help: Option<AdminKey>,
        read: fn(&T) -> bool,
        write: fn(&mut T, bool),
    ) -> impl IntoView {
        view! {
            <CheckboxField
                id=id
                label=label
                help=help.map(Label::from)
                get=move || self.get(read)
                set=move |on| self.set(|d| write(d, on))
            />
        }
    }
}

/// The form around one section; `fields` draws the section's own inputs.
#[component]
pub fn SectionForm<T: SettingsSection>(
    #[prop(into)] fields: Callback<SectionContext<T>, AnyView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let can_edit = can_manage_sspr(&session.roles());

    let draft = RwSignal::new(T::default());
    let saved = RwSignal::new(None::<SettingsView<T>>);
    let failure = RwSignal::new(None::<Failure>);
    let message = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    leptos::task::spawn_local(async move {
        match api::section::<T>().await {
            Ok(view) => {
                draft.set(view.settings.clone());
                saved.set(Some(view));
            }
            Err(f) => failure.set(Some(f)),
        }
    });
    // An edit makes the last save's verdicts stale; the saved settings coming back (a
    // write-only field emptied, say) are not an edit, and keep the "Saved." they bring.
    let from_save = StoredValue::new(false);
    Effect::new(move |_| {
        draft.track();
        if from_save.get_value() {
            from_save.set_value(false);
            return;
        }
        server_errors.set(Vec::new());
        message.set(None);
    });
    let errors = Signal::derive(move || {
        let mut all = draft.with(|d| d.validate());
        all.extend(server_errors.get());
        all
    });
    let loaded = move || saved.with(Option::is_some);
    // Settings the deployment's configuration fixes are shown, not edited.
    let locked = move || saved.with(|s| s.as_ref().is_some_and(|v| v.settings.locked()));
    let dirty =
        move || saved.with(|s| s.as_ref().is_some_and(|s| draft.with(|d| *d != s.settings)));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = draft.get_untracked();
        if !can_edit || wanted.locked() || saving.get_untracked() || !wanted.validate().is_empty() {
            return;
        }
        saving.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            match api::save_section(&wanted).await {
                Ok(view) => {
                    if draft.get_untracked() != view.settings {
                        from_save.set_value(true);
                        draft.set(view.settings.clone());
                    }
                    saved.set(Some(view));
                    message.set(Some(i18n.t(AdminKey::SavedMessage).to_string()));
                }
                Err(f) => {
                    server_errors.set(f.fields.clone());
                    failure.set(Some(f));
                }
            }
            saving.set(false);
        });
    };
    let discard = move |_| {
        if let Some(view) = saved.get_untracked() {
            draft.set(view.settings);
        }
    };
    let last_changed = move || {
        saved.get().and_then(|view| {
            let when = i18n.locale.get().time(view.updated_at?);
            let who = view.updated_by?;
            Some(i18n.format(AdminKey::LastChanged, &[("when", &when), ("who", &who)]))
        })
    };

    view! {
        <Show when=move || !can_edit>
            <div class="notice" role="note">
                <strong>{move || i18n.t(AdminKey::ReadOnlyTitle)}</strong>
                " "
                {move || i18n.t(AdminKey::ReadOnlyReason)}
            </div>
        </Show>
        <Show when=move || !loaded() && failure.with(Option::is_none)>
            <Loading/>
        </Show>
        <form class="card settings-form" on:submit=save novalidate>
            <fieldset class="section-fields" disabled=move || !can_edit || !loaded() || locked()>
                {fields.run(SectionContext { draft, errors })}
            </fieldset>
            <ErrorAlert failure=failure/>
            <StatusMessage message=message/>
            <Show when=dirty>
                <p class="unsaved" role="status">{move || i18n.t(AdminKey::UnsavedChanges)}</p>
            </Show>
            <Show when=move || can_edit && !locked()>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="primary"
                        disabled=move || !dirty() || saving.get() || !errors.get().is_empty()
                    >
                        {move || i18n.t(if saving.get() { Key::Saving } else { Key::Save })}
                    </button>
                    <button type="button" disabled=move || !dirty() on:click=discard>
                        {move || i18n.t(AdminKey::Discard)}
                    </button>
                </div>
            </Show>
            <p class="muted last-changed">{last_changed}</p>
        </form>
    }
}
