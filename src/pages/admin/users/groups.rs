//! A user's groups: the list, with a way to leave each one and a choice of groups to join.

use leptos::prelude::*;
use rekey_core::dto::{GroupRef, GroupSummary};
use rekey_core::i18n::{AdminKey, UserKey};

use crate::api;
use crate::i18n::use_i18n;

/// The groups to choose from, filled in once they arrive (empty if they cannot be had: the
/// choices are then missing, nothing else).
pub(crate) fn group_choices() -> ReadSignal<Vec<GroupSummary>> {
    let (groups, set_groups) = signal(Vec::new());
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::group_choices().await {
            set_groups.set(list);
        }
    });
    groups
}

/// The groups in `member_of`. With `editable`, each has a Remove button and a choice of other
/// groups offers an Add; `add` and `remove` make the change (at once, or in a draft).
#[component]
pub(super) fn GroupMembership(
    #[prop(into)] member_of: Signal<Vec<GroupRef>>,
    editable: bool,
    #[prop(into)] add: Callback<GroupRef>,
    #[prop(into)] remove: Callback<GroupRef>,
    /// A change is on its way: the buttons wait.
    #[prop(optional, into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let choices = group_choices();
    let picked = RwSignal::new(String::new());
    let others = move || {
        let member_of = member_of.get();
        choices
            .get()
            .into_iter()
            .filter(|g| !member_of.iter().any(|m| m.id == g.id))
            .collect::<Vec<_>>()
    };
    let join = move |_| {
        let id = picked.get_untracked();
        let group = choices.with_untracked(|all| all.iter().find(|g| g.id == id).cloned());
        if let Some(group) = group {
            picked.set(String::new());
            add.run(GroupRef {
                id: group.id,
                name: group.name,
            });
        }
    };
    let list = move || {
        member_of
            .get()
            .into_iter()
            .map(|group| {
                let name = group.name.clone();
                let leave = editable.then(|| {
                    let label = name.clone();
                    view! {
                        <button
                            type="button"
                            aria-label=move || i18n.format(AdminKey::RemoveFromGroup, &[("group", &label)])
                            disabled=move || busy.get()
                            on:click=move |_| remove.run(group.clone())
                        >
                            {move || i18n.t(UserKey::Remove)}
                        </button>
                    }
                });
                view! {
                    <li>
                        <span>{name}</span>
                        {leave}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show
            when=move || member_of.with(|m| !m.is_empty())
            fallback=move || view! { <p class="muted">{move || i18n.t(AdminKey::NoGroups)}</p> }
        >
            <ul class="group-list">{list}</ul>
        </Show>
        <Show when=move || editable>
            <div class="field add-group">
                <label for="add-group">{move || i18n.t(AdminKey::AddToGroup)}</label>
                <div class="inline-controls">
                    <select id="add-group" on:change=move |ev| picked.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || picked.with(String::is_empty)>
                            {move || i18n.t(AdminKey::ChooseGroup)}
                        </option>
                        {move || {
                            others()
                                .into_iter()
                                .map(|g| {
                                    let id = g.id.clone();
                                    view! { <option value=g.id prop:selected=move || picked.get() == id>{g.name}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    <button
                        type="button"
                        disabled=move || busy.get() || picked.with(String::is_empty)
                        on:click=join
                    >
                        {move || i18n.t(UserKey::Add)}
                    </button>
                </div>
            </div>
        </Show>
    }
}
