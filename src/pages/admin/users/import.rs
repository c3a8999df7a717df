//! Bulk import from CSV: pasted or read from a file, checked first (a dry run lists every bad
//! cell), imported only once a check of exactly this text came back clean.

use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use rekey_core::dto::{ImportReport, ImportRequest};
use rekey_core::i18n::AdminKey;
use rekey_core::roles::can_manage_users;

use crate::api;
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::field::FieldErrors;
use crate::components::form::Form;
use crate::components::page_heading::PageHeading;
use crate::i18n::use_i18n;
use crate::runtime_config::href;
use crate::session::use_session;

/// Only user managers import users; anyone else goes back to the list.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let allowed = can_manage_users(&use_session().roles());
    view! {
        <p class="back-link">
            <A href=href("/admin/users")>{move || i18n.t(AdminKey::AllUsers)}</A>
        </p>
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::ImportUsers).to_string())/>
        {if allowed {
            view! { <ImportForm/> }.into_any()
        } else {
            view! { <Redirect path="/admin/users"/> }.into_any()
        }}
    }
}

#[component]
fn ImportForm() -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let checking = Form::default();
    let importing = Form::default();
    // The text last checked, and what the check found.
    let checked = RwSignal::new(None::<(String, ImportReport)>);
    let created = RwSignal::new(None::<String>);
    let clean = move || {
        checked.with(|c| {
            c.as_ref().is_some_and(|(csv, report)| {
                report.problems.is_empty() && report.rows > 0 && text.with(|t| t == csv)
            })
        })
    };
    let send = move |form: Form, dry_run: bool| {
        let csv = text.get_untracked();
        let request = ImportRequest {
            csv: csv.clone(),
            dry_run,
        };
        created.set(None);
        form.run(
            async move { api::users::import(&request).await },
            move |report| {
                if !dry_run && report.problems.is_empty() {
                    let count = i18n.count(report.created.into());
                    created.set(Some(
                        i18n.format(AdminKey::ImportDone, &[("count", &count)]),
                    ));
                    checked.set(None);
                } else {
                    checked.set(Some((csv, report)));
                }
            },
        );
    };
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(checking, true);
    };
    let read_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let reading = wasm_bindgen_futures::JsFuture::from(file.text());
        leptos::task::spawn_local(async move {
            if let Some(content) = reading.await.ok().and_then(|c| c.as_string()) {
                text.set(content);
            }
        });
    };
    let errors = checking.errors(Vec::new);
    let invalid = move || {
        errors
            .with(|e| e.iter().any(|e| e.field == "csv"))
            .to_string()
    };
    view! {
        <p id="import-help" class="muted">{move || i18n.t(AdminKey::ImportHelp)}</p>
        <form class="card" on:submit=check novalidate>
            <div class="field">
                <label for="import-csv">{move || i18n.t(AdminKey::ImportCsv)}</label>
                <textarea
                    id="import-csv"
                    name="csv"
                    rows=10
                    spellcheck="false"
                    autocomplete="off"
                    aria-describedby="import-help csv-error"
                    aria-invalid=invalid
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <FieldErrors field="csv" errors=errors/>
            </div>
            <div class="field">
                <label for="import-file">{move || i18n.t(AdminKey::ImportFile)}</label>
                <input id="import-file" type="file" accept=".csv,text/csv" on:change=read_file/>
            </div>
            <ErrorAlert failure=checking.failure/>
            <div class="form-actions">
                <button type="submit" disabled=move || checking.busy.get() || text.with(|t| t.trim().is_empty())>
                    {move || i18n.t(if checking.busy.get() { AdminKey::CheckingImport } else { AdminKey::CheckImport })}
                </button>
                <button
                    type="button"
                    class="primary"
                    aria-describedby="import-check-first"
                    disabled=move || !clean() || importing.busy.get()
                    on:click=move |_| send(importing, false)
                >
                    {move || i18n.t(if importing.busy.get() { AdminKey::Importing } else { AdminKey::ImportNow })}
                </button>
            </div>
            <p id="import-check-first" class="muted">{move || i18n.t(AdminKey::ImportCheckFirst)}</p>
            <ErrorAlert failure=importing.failure/>
        </form>
        <StatusMessage message=created/>
        {move || checked.get().map(|(_, report)| view! { <Report report=report/> })}
    }
}

/// What a check found: the rows read, and a table of the problems (line, column, rule broken).
#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let rows = u64::from(report.rows);
    let count = report.problems.len();
    let summary = Signal::derive(move || {
        Some(if count == 0 {
            i18n.format(AdminKey::ImportClean, &[("rows", &i18n.count(rows))])
        } else {
            i18n.format(
                AdminKey::ImportProblemsFound,
                &[
                    ("rows", &i18n.count(rows)),
                    ("count", &i18n.count(count as u64)),
                ],
            )
        })
    });
    let problems = report
        .problems
        .into_iter()
        .map(|problem| {
            let rule = problem.error.rule;
            view! {
                <tr>
                    <td class="numeric">{problem.line}</td>
                    <td><code>{problem.error.field}</code></td>
                    <td>{move || i18n.locale.get().rule(rule)}</td>
                </tr>
            }
        })
        .collect_view();
    let table = (count != 0).then(|| {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || i18n.t(AdminKey::ImportProblemsTitle)>
                <table>
                    <thead>
                        <tr>
                            <th scope="col" class="numeric">{move || i18n.t(AdminKey::ColLine)}</th>
                            <th scope="col">{move || i18n.t(AdminKey::ColColumn)}</th>
                            <th scope="col">{move || i18n.t(AdminKey::ColProblem)}</th>
                        </tr>
                    </thead>
                    <tbody>{problems}</tbody>
                </table>
            </div>
        }
    });
    view! {
        <StatusMessage message=summary/>
        {table}
    }
}
