//! Deleting a user, once the admin confirms; then back to the list.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use rekey_core::i18n::{AdminKey, Key};

use crate::api;
use crate::components::alert::ErrorAlert;
use crate::components::dialog::Modal;
use crate::components::form::Form;
use crate::i18n::use_i18n;

#[component]
pub(super) fn DeleteUserDialog(
    open: RwSignal<bool>,
    #[prop(into)] id: String,
    #[prop(into)] name: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let id = StoredValue::new(id);
    let form = Form::default();
    let delete = move |_| {
        let navigate = navigate.clone();
        form.run(
            async move { api::users::delete(&id.get_value()).await },
            move |()| navigate("/admin/users", Default::default()),
        );
    };
    let close = move |_| {
        form.failure.set(None);
        open.set(false);
    };
    view! {
        <Modal open=open close=close labelled_by="delete-title">
            <h2 id="delete-title">{move || i18n.format(AdminKey::DeleteUserTitle, &[("name", &name.get())])}</h2>
            <p>{move || i18n.t(AdminKey::DeleteUserBody)}</p>
            <ErrorAlert failure=form.failure/>
            <div class="form-actions">
                <button type="button" class="danger" disabled=move || form.busy.get() on:click=delete.clone()>
                    {move || i18n.t(if form.busy.get() { AdminKey::Deleting } else { AdminKey::DeleteUser })}
                </button>
                <button type="button" on:click=move |_| close(())>{move || i18n.t(Key::Cancel)}</button>
            </div>
        </Modal>
    }
}
