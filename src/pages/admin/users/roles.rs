//! A user's admin roles as checkboxes; those the signed-in admin may not grant stay greyed.

use leptos::prelude::*;
use rekey_core::i18n::AdminKey;
use rekey_core::roles::{can_grant, Role};

use crate::components::field::{CheckboxField, Label};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// Every admin role, ticked when in `chosen`. `editable` is whether this admin may change this
/// user at all; each role also needs `can_grant`.
#[component]
pub(crate) fn RoleChoices(chosen: RwSignal<Vec<Role>>, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let actor = use_session().roles();
    view! {
        <fieldset class="role-choices" aria-describedby="roles-help">
            <legend>{move || i18n.t(AdminKey::ColRoles)}</legend>
            <p id="roles-help" class="muted">{move || i18n.t(AdminKey::RolesHelp)}</p>
            {Role::ALL
                .into_iter()
                .map(|role| {
                    let fixed = !(editable && can_grant(&actor, role));
                    let label = Signal::derive(move || i18n.locale.get().role(role).to_string());
                    view! {
                        <CheckboxField
                            id=format!("role-{}", role.as_str())
                            label=Label::Text(label)
                            help=None
                            disabled=fixed
                            get=move || chosen.with(|roles| roles.contains(&role))
                            set=move |on| {
                                chosen.update(|roles| {
                                    roles.retain(|r| *r != role);
                                    if on {
                                        roles.push(role);
                                    }
                                })
                            }
                        />
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
