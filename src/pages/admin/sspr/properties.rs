//! Properties: who self-service password reset is on for (None / Selected / All).

use leptos::prelude::*;
use rekey_core::dto::GroupSummary;
use rekey_core::i18n::AdminKey;
use rekey_core::sspr::{SsprScope, SsprSettings};

use super::SectionHeading;
use crate::api;
use crate::components::field::{FieldErrors, RadioOption};
use crate::components::loading::Loading;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

/// The three choices, in the order admins know them.
const SCOPES: [(SsprScope, AdminKey, AdminKey, &str); 3] = [
    (
        SsprScope::None,
        AdminKey::ScopeNone,
        AdminKey::ScopeNoneHelp,
        "none",
    ),
    (
        SsprScope::Selected,
        AdminKey::ScopeSelected,
        AdminKey::ScopeSelectedHelp,
        "selected",
    ),
    (
        SsprScope::All,
        AdminKey::ScopeAll,
        AdminKey::ScopeAllHelp,
        "all",
    ),
];

#[component]
pub fn PropertiesSection() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SectionHeading key=AdminKey::SectionProperties/>
        <SectionForm fields={move |ctx: SectionContext<SsprSettings>| {
            view! {
                <fieldset>
                    <legend>{move || i18n.t(AdminKey::SsprScopeLegend)}</legend>
                    {SCOPES
                        .into_iter()
                        .map(|(value, label, help, id)| {
                            view! {
                                <RadioOption
                                    name="scope"
                                    id=format!("scope-{id}")
                                    label=label
                                    help=Some(help.into())
                                    checked=move || ctx.get(|d| d.scope == value)
                                    select=move || {
                                        ctx.set(|d| {
                                            d.scope = value;
                                            if value != SsprScope::Selected {
                                                d.group_id = None;
                                            }
                                        })
                                    }
                                />
                            }
                        })
                        .collect_view()}
                </fieldset>
                <Show when=move || ctx.get(|d| d.scope == SsprScope::Selected)>
                    <GroupPicker ctx=ctx/>
                </Show>
            }
            .into_any()
        }}/>
    }
}

/// Searchable single choice of a group, as a list of radio buttons.
#[component]
fn GroupPicker(ctx: SectionContext<SsprSettings>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<GroupSummary>>);
    // The chosen group's name, looked up when only its id is known (e.g. after loading).
    let chosen = RwSignal::new(None::<GroupSummary>);
    let selected_id = move || ctx.get(|d| d.group_id.clone());
    Effect::new(move |_| {
        let search = query.get();
        leptos::task::spawn_local(async move {
            if let Ok(page) = api::groups(&search, 1).await {
                results.set(Some(page.items));
            }
        });
    });
    Effect::new(move |_| {
        let Some(id) = selected_id() else { return };
        if chosen.with_untracked(|c| c.as_ref().is_some_and(|g| g.id == id)) {
            return;
        }
        leptos::task::spawn_local(async move {
            if let Ok(group) = api::group(&id).await {
                chosen.set(Some(group));
            }
        });
    });
    let chosen_name = move || {
        let id = selected_id()?;
        chosen.with(|c| c.as_ref().filter(|g| g.id == id).map(|g| g.name.clone()))
    };
    view! {
        <fieldset class="group-picker" aria-describedby="group_id-error">
            <legend>{move || i18n.t(AdminKey::GroupPickerLabel)}</legend>
            <p class="selected-group">
                {move || chosen_name().map(|name| i18n.format(AdminKey::SelectedGroup, &[("name", &name)]))}
            </p>
            <label for="group-search" class="visually-hidden">{move || i18n.t(AdminKey::GroupPickerPlaceholder)}</label>
            <input
                id="group-search"
                type="search"
                autocomplete="off"
                placeholder=move || i18n.t(AdminKey::GroupPickerPlaceholder)
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
            />
            <div class="group-options">
                {move || match results.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(list) if list.is_empty() => {
                        view! { <p class="muted">{move || i18n.t(AdminKey::GroupPickerNone)}</p> }.into_any()
                    }
                    Some(list) => list.into_iter().map(|group| view! { <GroupOption ctx=ctx group=group chosen=chosen/> }).collect_view().into_any(),
                }}
            </div>
            <FieldErrors field="group_id" errors=ctx.errors/>
        </fieldset>
    }
}

#[component]
fn GroupOption(
    ctx: SectionContext<SsprSettings>,
    group: GroupSummary,
    chosen: RwSignal<Option<GroupSummary>>,
) -> impl IntoView {
    let id = group.id.clone();
    let input_id = format!("group-{}", group.id);
    let name = group.name.clone();
    let description = group.description.clone();
    view! {
        <div class="radio-option">
            <input
                type="radio"
                name="group"
                id=input_id.clone()
                prop:checked=move || ctx.get(|d| d.group_id.as_deref() == Some(id.as_str()))
                on:change=move |_| {
                    chosen.set(Some(group.clone()));
                    ctx.set(|d| d.group_id = Some(group.id.clone()));
                }
            />
            <label for=input_id>{name}</label>
            <p class="muted">{description}</p>
        </div>
    }
}
