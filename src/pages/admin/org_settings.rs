//! Settings › Org settings: the Security & privacy tab, and its self-service password reset
//! panel (None / Selected / All).

use crate::runtime_config::href;
use leptos::prelude::*;
use leptos_router::components::A;
use rekey_core::dto::{GroupSummary, SsprSettingsView};
use rekey_core::i18n::Key;
use rekey_core::roles::can_manage_sspr;
use rekey_core::sspr::{SsprScope, SsprSettings};
use rekey_core::validation::FieldError;

use crate::api::{self, Failure};
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::field::FieldErrors;
use crate::components::loading::Loading;
use crate::components::page_heading::PageHeading;
use crate::i18n::{format_time, use_i18n};
use crate::session::use_session;

#[component]
pub fn OrgSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::OrgSettingsTitle).to_string())/>
        <div role="tablist" class="tabs" aria-label=move || i18n.t(Key::OrgSettingsTitle)>
            <button type="button" role="tab" id="tab-security" aria-selected="true" aria-controls="panel-security">
                {move || i18n.t(Key::TabSecurityPrivacy)}
            </button>
        </div>
        <section id="panel-security" role="tabpanel" aria-labelledby="tab-security" class="card">
            <ul class="settings-list">
                <li>
                    <A href=href("/admin/settings/org/security/sspr")>
                        <span class="settings-item-title">{move || i18n.t(Key::SsprItemTitle)}</span>
                        <span class="settings-item-description">{move || i18n.t(Key::SsprItemDescription)}</span>
                    </A>
                </li>
            </ul>
        </section>
    }
}

/// The three choices, in the order admins know them.
const SCOPES: [(SsprScope, Key, Key, &str); 3] = [
    (SsprScope::None, Key::ScopeNone, Key::ScopeNoneHelp, "none"),
    (
        SsprScope::Selected,
        Key::ScopeSelected,
        Key::ScopeSelectedHelp,
        "selected",
    ),
    (SsprScope::All, Key::ScopeAll, Key::ScopeAllHelp, "all"),
];

#[component]
pub fn SsprSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    // `initial` is set once, so the form is built once; `saved` follows every save.
    let initial = RwSignal::new(None::<SsprSettingsView>);
    let saved = RwSignal::new(None::<SsprSettingsView>);
    let failure = RwSignal::new(None::<Failure>);
    leptos::task::spawn_local(async move {
        match api::sspr_settings().await {
            Ok(view) => {
                saved.set(Some(view.clone()));
                initial.set(Some(view));
            }
            Err(f) => failure.set(Some(f)),
        }
    });
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(Key::SsprTitle).to_string())/>
        <p class="muted">{move || i18n.t(Key::SsprIntro)}</p>
        <ErrorAlert failure=failure/>
        {move || match initial.get() {
            None => view! { <Loading/> }.into_any(),
            Some(initial) => view! { <SsprForm initial=initial saved=saved/> }.into_any(),
        }}
    }
}

#[component]
fn SsprForm(initial: SsprSettingsView, saved: RwSignal<Option<SsprSettingsView>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let can_edit = can_manage_sspr(&session.roles());

    let scope = RwSignal::new(initial.settings.scope);
    let group = RwSignal::new(
        initial
            .settings
            .group_id
            .clone()
            .map(|id| (id, initial.group_name.clone().unwrap_or_default())),
    );
    let draft = Memo::new(move |_| SsprSettings {
        scope: scope.get(),
        group_id: (scope.get() == SsprScope::Selected)
            .then(|| group.get().map(|(id, _)| id))
            .flatten(),
    });
    let dirty = move || {
        saved.with(|s| {
            s.as_ref()
                .map(|s| s.settings != draft.get())
                .unwrap_or(false)
        })
    };
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    // The shared rules run as the admin edits; the server's own verdicts are added after a save.
    let errors = Signal::derive(move || {
        let mut all = draft.get().validate();
        all.extend(server_errors.get());
        all
    });
    let failure = RwSignal::new(None::<Failure>);
    let message = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = draft.get_untracked();
        if !can_edit || saving.get_untracked() || !wanted.validate().is_empty() {
            return;
        }
        saving.set(true);
        failure.set(None);
        message.set(None);
        leptos::task::spawn_local(async move {
            match api::save_sspr_settings(&wanted).await {
                Ok(view) => {
                    saved.set(Some(view));
                    message.set(Some(i18n.t(Key::SavedMessage).to_string()));
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
            scope.set(view.settings.scope);
            group.set(
                view.settings
                    .group_id
                    .map(|id| (id, view.group_name.unwrap_or_default())),
            );
            server_errors.set(Vec::new());
        }
    };
    let last_changed = move || {
        saved.get().and_then(|view| {
            let when = format_time(i18n.lang.get(), view.updated_at?);
            let who = view.updated_by?;
            Some(i18n.format(Key::LastChanged, &[("when", &when), ("who", &who)]))
        })
    };

    view! {
        <Show when=move || !can_edit>
            <div class="notice" role="note">
                <strong>{move || i18n.t(Key::ReadOnlyTitle)}</strong>
                " "
                {move || i18n.t(Key::ReadOnlyReason)}
            </div>
        </Show>
        <form class="card settings-form" on:submit=save novalidate>
            <fieldset disabled=!can_edit>
                <legend>{move || i18n.t(Key::SsprScopeLegend)}</legend>
                {SCOPES
                    .into_iter()
                    .map(|(value, label, help, id)| {
                        view! {
                            <div class="radio-option">
                                <input
                                    type="radio"
                                    name="scope"
                                    id=format!("scope-{id}")
                                    value=id
                                    aria-describedby=format!("scope-{id}-help")
                                    prop:checked=move || scope.get() == value
                                    on:change=move |_| {
                                        server_errors.set(Vec::new());
                                        message.set(None);
                                        scope.set(value);
                                    }
                                />
                                <label for=format!("scope-{id}")>{move || i18n.t(label)}</label>
                                <p id=format!("scope-{id}-help") class="muted">{move || i18n.t(help)}</p>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <Show when=move || scope.get() == SsprScope::Selected>
                <GroupPicker group=group can_edit=can_edit errors=errors on_pick=move || {
                    server_errors.set(Vec::new());
                    message.set(None);
                }/>
            </Show>
            <ErrorAlert failure=failure/>
            <StatusMessage message=message/>
            <Show when=dirty>
                <p class="unsaved" role="status">{move || i18n.t(Key::UnsavedChanges)}</p>
            </Show>
            <div class="form-actions">
                <Show when=move || can_edit>
                    <button
                        type="submit"
                        class="primary"
                        disabled=move || !dirty() || saving.get() || !errors.get().is_empty()
                    >
                        {move || i18n.t(if saving.get() { Key::Saving } else { Key::Save })}
                    </button>
                    <button type="button" disabled=move || !dirty() on:click=discard>
                        {move || i18n.t(Key::Discard)}
                    </button>
                </Show>
                <A href=href("/admin/settings/org")>{move || i18n.t(Key::Close)}</A>
            </div>
            <p class="muted last-changed">{last_changed}</p>
        </form>
    }
}

/// Searchable single choice of a group, as a list of radio buttons.
#[component]
fn GroupPicker(
    group: RwSignal<Option<(String, String)>>,
    can_edit: bool,
    errors: Signal<Vec<FieldError>>,
    on_pick: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<GroupSummary>>);
    Effect::new(move |_| {
        let search = query.get();
        leptos::task::spawn_local(async move {
            if let Ok(page) = api::groups(&search, 1).await {
                results.set(Some(page.items));
            }
        });
    });
    let selected_id = move || group.get().map(|(id, _)| id);
    view! {
        <fieldset class="group-picker" disabled=!can_edit aria-describedby="group_id-error">
            <legend>{move || i18n.t(Key::GroupPickerLabel)}</legend>
            <p class="selected-group">
                {move || group.get().map(|(_, name)| i18n.format(Key::SelectedGroup, &[("name", &name)]))}
            </p>
            <label for="group-search" class="visually-hidden">{move || i18n.t(Key::GroupPickerPlaceholder)}</label>
            <input
                id="group-search"
                type="search"
                autocomplete="off"
                placeholder=move || i18n.t(Key::GroupPickerPlaceholder)
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <div class="group-options">
                {move || match results.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(list) if list.is_empty() => {
                        view! { <p class="muted">{move || i18n.t(Key::GroupPickerNone)}</p> }.into_any()
                    }
                    Some(list) => {
                        list.into_iter()
                            .map(|g| {
                                let id = g.id.clone();
                                let checked_id = g.id.clone();
                                let input_id = format!("group-{}", g.id);
                                let name = g.name.clone();
                                view! {
                                    <div class="radio-option">
                                        <input
                                            type="radio"
                                            name="group"
                                            id=input_id.clone()
                                            prop:checked=move || selected_id().as_deref() == Some(checked_id.as_str())
                                            on:change=move |_| {
                                                on_pick();
                                                group.set(Some((id.clone(), name.clone())));
                                            }
                                        />
                                        <label for=input_id>{g.name.clone()}</label>
                                        <p class="muted">{g.description.clone()}</p>
                                    </div>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }}
            </div>
            <FieldErrors field="group_id" errors=errors/>
        </fieldset>
    }
}
