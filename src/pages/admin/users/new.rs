//! A new user: names, admin roles, groups and the first password (generated and shown once, or
//! typed); then a link to the user's page.

use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use rekey_core::dto::{GroupRef, NewUserRequest, NewUserResult, PasswordRules};
use rekey_core::i18n::{AdminKey, Key};
use rekey_core::roles::{can_manage_users, Role};
use rekey_core::settings::PasswordPolicySettings;
use rekey_core::validation::check_user_names;

use super::groups::GroupMembership;
use super::password::{PasswordChoice, PasswordDraft, PasswordResult};
use super::roles::RoleChoices;
use super::user_path;
use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::field::TextField;
use crate::components::form::Form;
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::runtime_config::href;
use crate::session::use_session;

/// Only user managers create users; anyone else goes back to the list.
#[component]
pub fn NewUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let created = RwSignal::new(None::<NewUserResult>);
    let allowed = can_manage_users(&use_session().roles());
    view! {
        <p class="back-link">
            <A href=href("/admin/users")>{move || i18n.t(AdminKey::AllUsers)}</A>
        </p>
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::NewUser).to_string())/>
        {move || match (allowed, created.get()) {
            (false, _) => view! { <Redirect path="/admin/users"/> }.into_any(),
            (true, None) => view! { <NewUserForm created=created/> }.into_any(),
            (true, Some(result)) => view! { <Created result=result/> }.into_any(),
        }}
    }
}

#[component]
fn NewUserForm(created: RwSignal<Option<NewUserResult>>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let sign_in_name = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let roles = RwSignal::new(Vec::<Role>::new());
    let groups = RwSignal::new(Vec::<GroupRef>::new());
    let draft = PasswordDraft::new();
    // The organisation's policy; the user's names are not known yet, so the server's check
    // (which has them) may still refuse a typed password built from them, on the same field.
    leptos::task::spawn_local(async move {
        let policy = api::section::<PasswordPolicySettings>()
            .await
            .map(|view| view.settings)
            .unwrap_or_default();
        draft.rules_known(PasswordRules {
            policy,
            ..Default::default()
        });
    });
    let check = move || {
        let mut errors = sign_in_name.with(|s| display_name.with(|d| check_user_names(s, d)));
        errors.extend(draft.check());
        errors
    };
    let errors = form.errors(check);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if form.ready(&check()) {
            let request = NewUserRequest {
                sign_in_name: sign_in_name.get_untracked().trim().to_string(),
                display_name: display_name.get_untracked().trim().to_string(),
                roles: roles.get_untracked(),
                group_ids: groups.with_untracked(|g| g.iter().map(|g| g.id.clone()).collect()),
                password: draft.request(i18n.locale.get_untracked()),
            };
            form.run(
                async move { api::users::create(&request).await },
                move |result| created.set(Some(result)),
            );
        }
    };
    view! {
        <form class="card" on:submit=submit novalidate>
            <TextField
                field="sign_in_name"
                form=form
                label=Key::SignInName
                get=move || sign_in_name.get()
                set=move |v| sign_in_name.set(v)
                errors=errors
                inputmode="email"
                autocomplete="off"
            />
            <TextField
                field="display_name"
                form=form
                label=AdminKey::ColDisplayName
                get=move || display_name.get()
                set=move |v| display_name.set(v)
                errors=errors
                autocomplete="off"
            />
            <RoleChoices chosen=roles editable=true/>
            <fieldset>
                <legend>{move || i18n.t(AdminKey::GroupsTitle)}</legend>
                <GroupMembership
                    member_of=groups
                    editable=true
                    add=move |group| groups.update(|g| g.push(group))
                    remove=move |group: GroupRef| groups.update(|g| g.retain(|m| m.id != group.id))
                />
            </fieldset>
            <PasswordChoice draft=draft form=form errors=errors/>
            <ErrorAlert failure=form.failure/>
            <div class="form-actions">
                <button type="submit" class="primary" disabled=move || form.busy.get()>
                    {move || i18n.t(if form.busy.get() { AdminKey::CreatingUser } else { AdminKey::CreateUser })}
                </button>
            </div>
        </form>
    }
}

/// The user was created: the first password this once, and the way to the user.
#[component]
fn Created(result: NewUserResult) -> impl IntoView {
    let i18n = use_i18n();
    let name = StoredValue::new(result.user.summary.display_name.clone());
    let title =
        Signal::derive(move || i18n.format(AdminKey::UserCreated, &[("name", &name.get_value())]));
    view! {
        <section class="card">
            <PasswordResult title=title result=result.password/>
            <p>
                <A href=href(&user_path(&result.user.summary.id))>
                    {move || i18n.format(AdminKey::OpenUser, &[("name", &name.get_value())])}
                </A>
            </p>
        </section>
    }
}
