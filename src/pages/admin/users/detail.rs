//! One user's page: everything known about them, and what the signed-in admin may do to them
//! (edit, enable or disable, roles, groups, password never expires, reset the password, unlock,
//! sign out everywhere, delete, contact info).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rekey_core::dto::{GroupRef, UpdateUserRequest, UserSummary};
use rekey_core::i18n::{AdminKey, Key};
use rekey_core::roles::{can_manage_user, can_reset_password_of, Role};
use rekey_core::security_info::MethodKind;
use rekey_core::validation::check_display_name;

use super::delete_dialog::DeleteUserDialog;
use super::facts::{AccountFacts, SignInFacts};
use super::groups::GroupMembership;
use super::passkeys::PasskeysSection;
use super::reset_dialog::ResetPasswordDialog;
use super::roles::RoleChoices;
use super::user_store::UserStore;
use crate::api;
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::field::{CheckboxField, TextField};
use crate::components::form::Form;
use crate::components::loading::Loading;
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::pages::admin::contact_info::ContactInfoDialog;
use crate::runtime_config::href;
use crate::session::use_session;

#[component]
pub fn UserPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let store = UserStore::load(id);
    let heading = Signal::derive(move || {
        store
            .user
            .with(|u| u.as_ref().map(|u| u.summary.display_name.clone()))
            .unwrap_or_else(|| i18n.t(AdminKey::UsersTitle).to_string())
    });
    let loaded = move || store.user.with(Option::is_some);
    view! {
        <p class="back-link">
            <A href=href("/admin/users")>{move || i18n.t(AdminKey::AllUsers)}</A>
        </p>
        <PageHeading text=heading/>
        <ErrorAlert failure=store.failure/>
        <Show when=move || !loaded() && store.failure.with(Option::is_none)>
            <Loading/>
        </Show>
        // Kept in view while the page scrolls: the outcome of a button far down the page.
        <div class="user-feedback">
            <StatusMessage message=store.message/>
            <ErrorAlert failure=store.action.failure/>
        </div>
        <Show when=loaded>
            <UserSections store=store/>
        </Show>
    }
}

/// The sections, drawn once the user is loaded; what the admin may do is settled then (the
/// target's roles only change here within the admin's own reach). Admins do nothing to
/// themselves here, as the server refuses it: nobody locks themselves out.
#[component]
fn UserSections(store: UserStore) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let myself = session
        .info
        .with_untracked(|i| i.as_ref().is_some_and(|i| i.user.id == store.id()));
    // Scope follows every role the user holds, their groups' included.
    let target: Vec<Role> = store.read(|u| {
        let mut roles = u.summary.roles.clone();
        roles.extend(u.group_roles.iter().copied());
        roles
    });
    let can_manage = session.may_act_on(&store.id(), &target, can_manage_user);
    let can_reset = session.may_act_on(&store.id(), &target, can_reset_password_of);
    view! {
        {myself.then(|| view! { <p class="notice" role="note">{move || i18n.t(AdminKey::OwnAccountNote)}</p> })}
        <AccountSection store=store can_manage=can_manage/>
        <SignInSection store=store can_manage=can_manage can_reset=can_reset/>
        {can_reset.then(|| view! { <PasskeysSection store=store/> })}
        <RolesSection store=store editable=can_manage/>
        <section class="card" aria-labelledby="groups-heading">
            <h2 id="groups-heading">{move || i18n.t(AdminKey::GroupsTitle)}</h2>
            <GroupMembership
                member_of=Signal::derive(move || store.read(|u| u.groups.clone()))
                editable=can_manage
                busy=store.action.busy
                add=move |group: GroupRef| {
                    let said = store.i18n.format(AdminKey::AddedToGroup, &[("group", &group.name)]);
                    store.change_groups(|ids| ids.push(group.id), said);
                }
                remove=move |group: GroupRef| {
                    let said = store.i18n.format(AdminKey::RemovedFromGroup, &[("group", &group.name)]);
                    store.change_groups(|ids| ids.retain(|id| *id != group.id), said);
                }
            />
        </section>
    }
}

#[component]
fn AccountSection(store: UserStore, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let enabled = move || store.read(|u| u.summary.enabled);
    let toggle = move |_| {
        let on = !enabled();
        let request = UpdateUserRequest {
            enabled: Some(on),
            ..Default::default()
        };
        let said = if on {
            AdminKey::UserEnabled
        } else {
            AdminKey::UserDisabled
        };
        store.update(request, store.action, move |i18n| i18n.t(said).to_string());
    };
    let editing = RwSignal::new(None::<UserSummary>);
    let deleting = RwSignal::new(false);
    let name = Signal::derive(move || store.read(|u| u.summary.display_name.clone()));
    let contact_saved = move |name: String| {
        store.message.set(Some(
            i18n.format(AdminKey::ContactInfoSaved, &[("name", &name)]),
        ));
        store.reload();
    };
    let actions = can_manage.then(|| {
        view! {
            <DisplayNameForm store=store/>
            <div class="form-actions">
                <button type="button" disabled=move || store.action.busy.get() on:click=toggle>
                    {move || i18n.t(if enabled() { AdminKey::DisableUser } else { AdminKey::EnableUser })}
                </button>
                <button type="button" on:click=move |_| editing.set(store.read(|u| Some(u.summary.clone())))>
                    {move || i18n.t(AdminKey::ContactInfo)}
                </button>
                <button type="button" class="danger" on:click=move |_| deleting.set(true)>
                    {move || i18n.t(AdminKey::DeleteUser)}
                </button>
            </div>
            <ContactInfoDialog editing=editing saved=contact_saved/>
            <DeleteUserDialog open=deleting id=store.id() name=name/>
        }
    });
    view! {
        <section class="card" aria-labelledby="account-heading">
            <h2 id="account-heading">{move || i18n.t(AdminKey::SectionAccount)}</h2>
            <AccountFacts store=store/>
            {actions}
        </section>
    }
}

#[component]
fn DisplayNameForm(store: UserStore) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let name = RwSignal::new(store.read(|u| u.summary.display_name.clone()));
    let check = move || {
        let mut errors = Vec::new();
        name.with(|n| check_display_name(n, &mut errors));
        errors
    };
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let request = UpdateUserRequest {
                display_name: Some(name.get_untracked().trim().to_string()),
                ..Default::default()
            };
            store.update(request, form, |i18n| {
                i18n.t(AdminKey::SavedMessage).to_string()
            });
        }
    };
    view! {
        <form class="inline-form" on:submit=submit novalidate>
            <TextField
                field="display_name"
                form=form
                label=AdminKey::ColDisplayName
                get=move || name.get()
                set=move |v| name.set(v)
                errors=errors
                autocomplete="off"
            />
            <button type="submit" disabled=move || form.busy.get()>{move || i18n.t(AdminKey::SaveDisplayName)}</button>
            <ErrorAlert failure=form.failure/>
        </form>
    }
}

#[component]
fn SignInSection(store: UserStore, can_manage: bool, can_reset: bool) -> impl IntoView {
    let i18n = use_i18n();
    let resetting = RwSignal::new(false);
    let name = Signal::derive(move || store.read(|u| u.summary.display_name.clone()));
    let never_expires = can_manage.then(|| {
        view! {
            <CheckboxField
                id="never-expires"
                label=AdminKey::UserNeverExpires
                help=Some(AdminKey::UserNeverExpiresHelp.into())
                disabled=store.action.busy
                get=move || store.read(|u| u.summary.password_never_expires)
                set=move |on| {
                    let request = UpdateUserRequest {
                        password_never_expires: Some(on),
                        ..Default::default()
                    };
                    let said = if on { AdminKey::NeverExpiresOn } else { AdminKey::NeverExpiresOff };
                    store.update(request, store.action, move |i18n| i18n.t(said).to_string());
                }
            />
        }
    });
    let locked = move || store.read(|u| u.summary.locked_until.is_some());
    let actions = can_reset.then(|| {
        view! {
            <div class="form-actions">
                <button type="button" class="primary" on:click=move |_| resetting.set(true)>
                    {move || i18n.t(Key::ResetPassword)}
                </button>
                <Show when=locked>
                    <button
                        type="button"
                        disabled=move || store.action.busy.get()
                        on:click=move |_| store.act(async move { api::users::unlock(&store.id()).await }, AdminKey::UserUnlocked)
                    >
                        {move || i18n.t(AdminKey::UnlockUser)}
                    </button>
                </Show>
                <button
                    type="button"
                    disabled=move || store.action.busy.get()
                    on:click=move |_| {
                        store.act(async move { api::users::revoke_sessions(&store.id()).await }, AdminKey::SignedOutEverywhere)
                    }
                >
                    {move || i18n.t(AdminKey::SignOutEverywhere)}
                </button>
            </div>
            <ResetPasswordDialog
                open=resetting
                id=store.id()
                name=name
                has_email=Signal::derive(move || store.read(|u| u.summary.registration.methods.contains(&MethodKind::Email)))
                reset=move |_| store.reload()
            />
        }
    });
    view! {
        <section class="card" aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading">{move || i18n.t(AdminKey::SectionSignIn)}</h2>
            <SignInFacts store=store/>
            {never_expires}
            {actions}
        </section>
    }
}

#[component]
fn RolesSection(store: UserStore, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let saved_roles = move || {
        let mut roles = store.read(|u| u.summary.roles.clone());
        roles.sort();
        roles
    };
    let chosen = RwSignal::new(saved_roles());
    let dirty = move || {
        let mut roles = chosen.get();
        roles.sort();
        roles != saved_roles()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = UpdateUserRequest {
            roles: Some(chosen.get_untracked()),
            ..Default::default()
        };
        store.update(request, form, |i18n| {
            i18n.t(AdminKey::SavedMessage).to_string()
        });
    };
    let through_groups = move || {
        let roles = store.read(|u| u.group_roles.clone());
        (!roles.is_empty()).then(|| {
            let text = super::roles_text(i18n.locale.get(), &roles);
            view! { <p class="muted">{i18n.format(AdminKey::RolesThroughGroups, &[("roles", &text)])}</p> }
        })
    };
    view! {
        <form class="card" on:submit=submit novalidate>
            <RoleChoices chosen=chosen editable=editable/>
            {through_groups}
            <ErrorAlert failure=form.failure/>
            <Show when=move || editable>
                <button type="submit" disabled=move || !dirty() || form.busy.get()>
                    {move || i18n.t(AdminKey::SaveRoles)}
                </button>
            </Show>
        </form>
    }
}
