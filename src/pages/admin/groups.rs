//! Groups: searched by name, with their members, where they come from, and the admin roles
//! everyone in them holds (granted here by Global and User admins).

use leptos::prelude::*;
use rekey_core::dto::{GroupRolesRequest, GroupSummary};
use rekey_core::i18n::{AdminKey, Key};
use rekey_core::roles::can_manage_users;

use super::users::roles::RoleChoices;
use crate::api;
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::dialog::Modal;
use crate::components::form::Form;
use crate::components::listing::{Listing, ListingView, SearchBox};
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn GroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let listing = Listing::new(|search, page| async move { api::groups(&search, page).await });
    let can_manage = can_manage_users(&use_session().roles());
    let editing = RwSignal::new(None::<GroupSummary>);
    let message = RwSignal::new(None::<String>);
    let mut columns = vec![
        (AdminKey::ColGroupName, false),
        (AdminKey::ColDescription, false),
        (AdminKey::ColMembers, true),
        (AdminKey::ColGroupRoles, false),
    ];
    if can_manage {
        columns.push((AdminKey::ColActions, false));
    }
    let row = move |group: GroupSummary| view! { <GroupRow group=group can_manage=can_manage editing=editing/> };
    let saved = move |name: String| {
        message.set(Some(
            i18n.format(AdminKey::GroupRolesSaved, &[("name", &name)]),
        ));
        listing.reload();
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::GroupsTitle).to_string())/>
        <StatusMessage message=message/>
        <SearchBox listing=listing label=AdminKey::SearchGroups/>
        <ListingView listing=listing label=AdminKey::GroupsTitle columns=columns row=row/>
        {can_manage.then(|| view! { <GroupRolesDialog editing=editing saved=saved/> })}
    }
}

#[component]
fn GroupRow(
    group: GroupSummary,
    can_manage: bool,
    editing: RwSignal<Option<GroupSummary>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let roles = {
        let roles = group.roles.clone();
        move || super::users::roles_text(i18n.locale.get(), &roles)
    };
    let source = group.from_directory.then(|| {
        view! {
            <span class="tag" title=move || i18n.t(AdminKey::SourceDirectoryHelp)>
                {move || i18n.t(AdminKey::SourceDirectory)}
            </span>
        }
    });
    let action = can_manage.then(|| {
        let name = group.name.clone();
        let chosen = group.clone();
        view! {
            <td>
                <button
                    type="button"
                    aria-label=move || i18n.format(AdminKey::GroupRolesFor, &[("name", &name)])
                    on:click=move |_| editing.set(Some(chosen.clone()))
                >
                    {move || i18n.t(AdminKey::GroupRoles)}
                </button>
            </td>
        }
    });
    view! {
        <tr>
            <td>{group.name.clone()} {source}</td>
            <td>{group.description.clone()}</td>
            <td class="numeric">{group.member_count}</td>
            <td>{roles}</td>
            {action}
        </tr>
    }
}

/// The roles granted to the group being edited, as checkboxes.
#[component]
fn GroupRolesDialog(
    editing: RwSignal<Option<GroupSummary>>,
    #[prop(into)] saved: Callback<String>,
) -> impl IntoView {
    let open = Signal::derive(move || editing.with(Option::is_some));
    view! {
        <Modal open=open close=move |_| editing.set(None) labelled_by="group-roles-title">
            {move || editing.get().map(|group| view! { <GroupRolesForm group=group editing=editing saved=saved/> })}
        </Modal>
    }
}

#[component]
fn GroupRolesForm(
    group: GroupSummary,
    editing: RwSignal<Option<GroupSummary>>,
    saved: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let chosen = RwSignal::new(group.roles.clone());
    let (id, name) = (StoredValue::new(group.id.clone()), group.name.clone());
    let title = {
        let name = name.clone();
        move || i18n.format(AdminKey::GroupRolesFor, &[("name", &name)])
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = GroupRolesRequest {
            roles: chosen.get_untracked(),
        };
        let name = name.clone();
        form.run(
            async move { api::set_group_roles(&id.get_value(), &request).await },
            move |_| {
                editing.set(None);
                saved.run(name.clone());
            },
        );
    };
    view! {
        <h2 id="group-roles-title">{title}</h2>
        <p class="muted">{move || i18n.t(AdminKey::GroupRolesHelp)}</p>
        <form on:submit=submit novalidate>
            <RoleChoices chosen=chosen editable=true/>
            <ErrorAlert failure=form.failure/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || form.busy.get()>
                    {move || i18n.t(Key::Save)}
                </button>
                <button type="button" on:click=move |_| editing.set(None)>{move || i18n.t(Key::Cancel)}</button>
            </div>
        </form>
    }
}
