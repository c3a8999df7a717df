//! A user's security info: the page at `/account/security-info`, and what the registration
//! wizard shares with it (the state, the list of methods, proof, one editor per method).

mod app;
mod email_phone;
pub(crate) mod passkey;
mod proof;
mod questions;

pub use questions::AnswersForm;

use leptos::html;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_router::components::A;
use rekey_core::dto::{MethodView, SecurityInfo};
use rekey_core::i18n::{Key, UserKey};
use rekey_core::security_info::MethodKind;

use crate::api::{self, Failure};
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::form::Form;
use crate::components::loading::Loading;
use crate::components::page_heading::PageHeading;
use crate::components::user_frame::UserFrame;
use crate::i18n::{method_name, use_i18n, I18n};
use crate::runtime_config::href;
use crate::session::{home_path, use_session, Interrupt};

/// The signed-in user's security info, shared by everything on the page.
#[derive(Clone, Copy)]
pub struct Store {
    pub info: RwSignal<Option<SecurityInfo>>,
    pub failure: RwSignal<Option<Failure>>,
    /// The method whose editor is open: one at a time, so no two forms share a field.
    pub open: RwSignal<Option<MethodKind>>,
    pub message: RwSignal<Option<String>>,
}

impl Store {
    /// The state, loading from the server.
    pub fn load() -> Store {
        let store = Store {
            info: RwSignal::new(None),
            failure: RwSignal::new(None),
            open: RwSignal::new(None),
            message: RwSignal::new(None),
        };
        store.reload();
        store
    }

    pub fn reload(self) {
        leptos::task::spawn_local(async move {
            match api::security_info().await {
                Ok(info) => self.info.set(Some(info)),
                Err(failure) => self.failure.set(Some(failure)),
            }
        });
    }

    /// A change went through: show the new state, close the editor, and say what happened.
    pub fn changed(self, info: SecurityInfo, message: String) {
        self.open.set(None);
        self.info.set(Some(info));
        self.message.set(Some(message));
    }

    /// Opens one method's editor, or closes it if it is open.
    fn toggle(self, kind: MethodKind) {
        self.message.set(None);
        self.open.update(|open| {
            *open = if *open == Some(kind) {
                None
            } else {
                Some(kind)
            }
        });
    }
}

/// Which methods the user holds.
pub fn held(info: &SecurityInfo) -> Vec<MethodKind> {
    info.methods.iter().map(|m| m.kind).collect()
}

/// `/account/security-info`.
#[component]
pub fn SecurityInfoPage() -> impl IntoView {
    view! {
        <UserFrame serves=Interrupt::Registration>
            <SecurityInfoBody/>
        </UserFrame>
    }
}

#[component]
fn SecurityInfoBody() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let store = Store::load();
    let home = session
        .info
        .with_untracked(|i| i.as_ref().map(home_path).unwrap_or("/"));
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(UserKey::SecurityInfoTitle).to_string())/>
        <p class="muted">{move || i18n.t(UserKey::SecurityInfoIntro)}</p>
        <Manager store=store/>
        <p><A href=href(home)>{move || i18n.t(Key::GoHome)}</A></p>
    }
}

/// Everything a user can do with their security info: their methods (change, remove), proof
/// first while the server asks for it, and the methods they may add.
#[component]
pub fn Manager(store: Store) -> impl IntoView {
    let loading = move || store.info.with(Option::is_none) && store.failure.with(Option::is_none);
    view! {
        <ErrorAlert failure=store.failure/>
        <StatusMessage message=store.message/>
        <Show when=loading>
            <Loading/>
        </Show>
        {move || {
            store
                .info
                .get()
                .map(|info| {
                    let locked = info.proof_needed && !info.methods.is_empty();
                    view! {
                        <MethodList store=store info=info.clone() editable=!locked/>
                        {locked.then(|| view! { <proof::ProofPanel store=store info=info.clone()/> })}
                        {(!locked).then(|| view! { <AddMethods store=store info=info/> })}
                    }
                })
        }}
    }
}

/// How many more methods the user needs for a reset, by the shared policy (a passkey alone
/// may be enough).
pub fn still_needed(info: &SecurityInfo) -> u8 {
    info.policy.gates_left(&held(info))
}

/// The registered methods; with `editable`, each can be changed or removed.
#[component]
pub fn MethodList(store: Store, info: SecurityInfo, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    // Every method that counts, also past the number required ("3 methods registered (1
    // required)", never "1 of 1" when there are three).
    let required = info.policy.required;
    let count = info.policy.counted(&held(&info));
    let said = if info.policy.is_registered(&held(&info)) {
        UserKey::MethodsEnough
    } else {
        UserKey::MethodsProgress
    };
    let questions = info.registered_questions.len();
    let passkeys = info.passkeys.len();
    let methods = info.methods;
    let empty = methods.is_empty();
    view! {
        <section class="card" aria-labelledby="methods-title">
            <h2 id="methods-title">{move || i18n.t(UserKey::YourMethods)}</h2>
            <p class="progress">
                {move || i18n.format(said, &[("count", &i18n.count(count as u64)), ("required", &i18n.count(required as u64))])}
            </p>
            <Show when=move || empty>
                <p class="muted">{move || i18n.t(UserKey::NoMethods)}</p>
            </Show>
            <ul class="method-list">
                {methods
                    .into_iter()
                    .map(|method| view! { <MethodItem store=store method=method questions=questions passkeys=passkeys editable=editable/> })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn MethodItem(
    store: Store,
    method: MethodView,
    questions: usize,
    passkeys: usize,
    editable: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = method.kind;
    let confirming = RwSignal::new(false);
    let detail = method.display.clone();
    let summary = move || match (&detail, kind) {
        (Some(display), _) => Some(display.clone()),
        (None, MethodKind::SecurityQuestions) => Some(i18n.format(
            UserKey::QuestionsCount,
            &[("count", &i18n.count(questions as u64))],
        )),
        (None, MethodKind::Passkey) => Some(i18n.format(
            UserKey::PasskeysCount,
            &[("count", &i18n.count(passkeys as u64))],
        )),
        (None, _) => None,
    };
    let updated = method.updated_at;
    view! {
        <li class="method">
            <div class="method-head">
                <strong>{move || i18n.t(method_name(kind))}</strong>
                <span class="method-detail">{summary}</span>
                {method.set_by_admin.then(|| view! { <span class="muted">{move || i18n.t(UserKey::SetByAdmin)}</span> })}
                <span class="muted">
                    {move || i18n.format(UserKey::MethodUpdated, &[("when", &i18n.locale.get().time(updated))])}
                </span>
            </div>
            {editable.then(|| view! {
                <div class="method-actions">
                    <EditorToggle store=store kind=kind label=UserKey::Change named=UserKey::ChangeNamed/>
                    <button
                        type="button"
                        aria-label=move || i18n.format(UserKey::RemoveNamed, &[("method", i18n.t(method_name(kind)))])
                        on:click=move |_| confirming.set(true)
                    >
                        {move || i18n.t(UserKey::Remove)}
                    </button>
                </div>
                <Show when=move || confirming.get()>
                    <RemoveConfirm store=store removal=Removal::Method(kind) confirming=confirming/>
                </Show>
                <Editor store=store kind=kind named=UserKey::ChangeNamed/>
            })}
        </li>
    }
}

/// The id of the button that opens a method's editor (one per method: it is either held, with
/// Change, or not, with Add).
fn toggle_id(kind: MethodKind) -> String {
    format!("{}-toggle", kind.as_str())
}

/// The button that opens a method's editor: short text, named in full for screen readers. It
/// is gone while its editor is open; the editor's Cancel closes it.
#[component]
fn EditorToggle(store: Store, kind: MethodKind, label: UserKey, named: UserKey) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || store.open.get() != Some(kind)>
            <button
                type="button"
                id=toggle_id(kind)
                aria-label=move || i18n.format(named, &[("method", i18n.t(method_name(kind)))])
                on:click=move |_| store.toggle(kind)
            >
                {move || i18n.t(label)}
            </button>
        </Show>
    }
}

/// What a Remove button removes: a whole method, or one of the user's passkeys.
#[derive(Clone)]
enum Removal {
    Method(MethodKind),
    Passkey { id: String, name: String },
}

impl Removal {
    /// Its name as the page shows it.
    fn name(&self, i18n: I18n) -> String {
        match self {
            Removal::Method(kind) => i18n.t(method_name(*kind)).to_string(),
            Removal::Passkey { name, .. } => name.clone(),
        }
    }

    fn element_id(&self) -> String {
        match self {
            Removal::Method(kind) => format!("remove-{}", kind.as_str()),
            Removal::Passkey { id, .. } => format!("remove-passkey-{id}"),
        }
    }
}

/// "Remove …? You can add it again later." with Remove and Cancel.
#[component]
fn RemoveConfirm(store: Store, removal: Removal, confirming: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::default();
    let first = NodeRef::<html::Button>::new();
    // Keyboard and screen-reader users land on the question they must answer.
    Effect::new(move |_| {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    let label = removal.element_id();
    let labelled_by = label.clone();
    let removal = StoredValue::new(removal);
    let name = move || removal.with_value(|r| r.name(i18n));
    let remove = move |_| {
        let removing = removal.get_value();
        let request = async move {
            match removing {
                Removal::Method(kind) => api::remove_method(kind).await,
                Removal::Passkey { id, .. } => api::remove_passkey(id).await,
            }
        };
        form.run(request, move |info| {
            let message = i18n.format(UserKey::MethodRemoved, &[("method", &name())]);
            store.changed(info, message);
        })
    };
    view! {
        <div class="confirm" role="group" aria-labelledby=labelled_by>
            <p id=label>
                {move || i18n.format(UserKey::ConfirmRemove, &[("method", &name())])}
            </p>
            <div class="form-actions">
                <button type="button" class="danger" node_ref=first disabled=move || form.busy.get() on:click=remove>
                    {move || i18n.t(UserKey::Remove)}
                </button>
                <button type="button" on:click=move |_| confirming.set(false)>
                    {move || i18n.t(Key::Cancel)}
                </button>
            </div>
            <ErrorAlert failure=form.failure/>
        </div>
    }
}

/// The methods the policy offers that the user does not hold yet, most secure first.
#[component]
fn AddMethods(store: Store, info: SecurityInfo) -> impl IntoView {
    let i18n = use_i18n();
    let held = held(&info);
    let missing: Vec<MethodKind> = info
        .policy
        .available
        .into_iter()
        .filter(|kind| !held.contains(kind))
        .collect();
    (!missing.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="add-title">
                <h2 id="add-title">{move || i18n.t(UserKey::AddMethods)}</h2>
                <ul class="method-list">
                    {missing
                        .into_iter()
                        .map(|kind| {
                            view! {
                                <li class="method">
                                    <div class="method-head">
                                        <strong>{move || i18n.t(method_name(kind))}</strong>
                                    </div>
                                    <div class="method-actions">
                                        <EditorToggle store=store kind=kind label=UserKey::Add named=UserKey::AddNamed/>
                                    </div>
                                    <Editor store=store kind=kind named=UserKey::AddNamed/>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// A method's editor, while it is the open one. It takes the focus when it opens (its button
/// is gone), named for what it does; closing it gives the focus back to the button.
#[component]
fn Editor(store: Store, kind: MethodKind, named: UserKey) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        (store.open.get() == Some(kind)).then(|| {
            let frame = NodeRef::<html::Div>::new();
            Effect::new(move |_| {
                if let Some(frame) = frame.get() {
                    let _ = frame.focus();
                }
            });
            let editor = match kind {
                MethodKind::Email | MethodKind::MobilePhone => {
                    view! { <email_phone::ContactEditor store=store kind=kind/> }.into_any()
                }
                MethodKind::AuthenticatorApp => view! { <app::AppEditor store=store/> }.into_any(),
                MethodKind::SecurityQuestions => {
                    view! { <questions::QuestionsEditor store=store/> }.into_any()
                }
                MethodKind::Passkey => view! { <passkey::PasskeyEditor store=store/> }.into_any(),
            };
            view! {
                <div
                    class="editor-frame"
                    role="group"
                    tabindex="-1"
                    node_ref=frame
                    aria-label=move || i18n.format(named, &[("method", i18n.t(method_name(kind)))])
                >
                    {editor}
                </div>
            }
        })
    }
}

/// Closes the open editor and puts the focus back on the button that opened it.
#[component]
fn CancelButton(store: Store) -> impl IntoView {
    let i18n = use_i18n();
    let close = move |_| {
        let Some(kind) = store.open.get_untracked() else {
            return;
        };
        store.open.set(None);
        request_animation_frame(move || {
            if let Some(button) = document().get_element_by_id(&toggle_id(kind)) {
                if let Ok(button) = button.dyn_into::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
        });
    };
    view! {
        <button type="button" on:click=close>
            {move || i18n.t(Key::Cancel)}
        </button>
    }
}

/// A method was added or changed: "Email saved."
fn saved(store: Store, i18n: I18n, info: SecurityInfo, kind: MethodKind) {
    let message = i18n.format(
        UserKey::MethodSaved,
        &[("method", i18n.t(method_name(kind)))],
    );
    store.changed(info, message);
}
