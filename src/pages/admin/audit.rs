//! The audit log: filters (user, action, outcome, dates, search), a page of events newest
//! first with older and newer pages by cursor, each change in plain words with the raw detail
//! one click away, and the filtered view as CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use rekey_core::audit::{changes, AuditAction, Change, Flow, Outcome};
use rekey_core::dto::{AuditEvent, AuditPage, AuditQuery, AUDIT_EXPORT_MAX_ROWS};
use rekey_core::i18n::AdminKey;

use crate::api::users::from_wire_name;
use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::components::page_heading::PageHeading;
use crate::i18n::{method_name, use_i18n, I18n};
use crate::pages::admin::dates::{day_start, utc_date};
use crate::pages::admin::reports::reason_words;
use rekey_core::security_info::MethodKind;

/// The filters only a report's drill-down sets, in words (none when there are none).
fn from_report(i18n: I18n, query: &AuditQuery) -> Option<String> {
    let mut words = Vec::new();
    if let Some(flow) = query.flow {
        words.push(
            i18n.t(match flow {
                Flow::Unlock => AdminKey::FlowUnlock,
                _ => AdminKey::FlowReset,
            })
            .to_string(),
        );
    }
    if let Some(method) = query.method {
        let name = i18n.t(method_name(method));
        words.push(i18n.format(AdminKey::FilterHolds, &[("method", name)]));
    }
    if let Some(detail) = query.detail.as_deref() {
        let said = reason_words(i18n, detail);
        words.push(i18n.format(AdminKey::FilterDetail, &[("detail", &said)]));
    }
    (!words.is_empty()).then(|| words.join(" · "))
}

/// A value of a change as a person reads it.
fn said(i18n: I18n, value: &Option<String>) -> String {
    match value.as_deref() {
        None | Some("") => i18n.t(AdminKey::ValueNone).to_string(),
        Some("true") => i18n.t(AdminKey::ValueOn).to_string(),
        Some("false") => i18n.t(AdminKey::ValueOff).to_string(),
        Some(text) => text.to_string(),
    }
}

/// The filters an address asks for (a report's drill-down); what is not understood is left out.
fn parse_query(params: &ParamsMap) -> AuditQuery {
    let seconds = |name: &str| params.get(name).and_then(|v| v.parse::<i64>().ok());
    AuditQuery {
        q: params.get("q"),
        user: params.get("user"),
        action: params.get("action").and_then(|a| AuditAction::parse(&a)),
        outcome: params.get("outcome").and_then(|o| from_wire_name(&o)),
        flow: params.get("flow").and_then(|f| from_wire_name(&f)),
        method: params.get("method").and_then(|m| MethodKind::parse(&m)),
        detail: params.get("detail").filter(|d| !d.is_empty()),
        from: seconds("from"),
        to: seconds("to"),
        ..Default::default()
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let start = use_query_map().with_untracked(parse_query);
    // A report's period is exact (UTC days); the date fields show it until they are changed.
    let (exact_from, exact_to) = (RwSignal::new(start.from), RwSignal::new(start.to));
    let from = RwSignal::new(start.from.map(utc_date).unwrap_or_default());
    let to = RwSignal::new(start.to.map(|t| utc_date(t - 1)).unwrap_or_default());
    let filters = RwSignal::new(AuditQuery {
        from: None,
        to: None,
        ..start
    });
    // The cursors of the pages before this one (newest first); the last is this page's.
    let cursors = RwSignal::new(vec![None::<String>]);
    let data = RwSignal::new(None::<AuditPage>);
    let failure = RwSignal::new(None::<Failure>);
    let query = move || AuditQuery {
        from: exact_from.get().or_else(|| day_start(&from.get(), false)),
        to: exact_to.get().or_else(|| day_start(&to.get(), true)),
        before: cursors.with(|c| c.last().cloned().flatten()),
        ..filters.get()
    };
    Effect::new(move |_| {
        let wanted = query();
        leptos::task::spawn_local(async move {
            match api::audit(&wanted).await {
                Ok(page) => {
                    failure.set(None);
                    data.set(Some(page));
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    });
    // Any change of filter starts again from the newest events.
    let refilter = move || cursors.set(vec![None]);
    let items = move || data.with(|d| d.as_ref().map(|p| p.items.clone()).unwrap_or_default());
    let next = move || data.with(|d| d.as_ref().and_then(|p| p.next.clone()));
    let empty = move || data.with(|d| d.as_ref().is_some_and(|p| p.items.is_empty()));
    let export = move || api::audit_export_url(&query());
    let export_help = move || {
        i18n.format(
            AdminKey::ExportCsvHelp,
            &[("count", &i18n.count(AUDIT_EXPORT_MAX_ROWS.into()))],
        )
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::AuditTitle).to_string())/>
        <p class="intro">{move || i18n.t(AdminKey::AuditIntro)}</p>
        <fieldset class="filters">
            <legend>{move || i18n.t(AdminKey::UserFilters)}</legend>
            <div class="filter-grid">
                <TextFilter id="audit-search" label=AdminKey::SearchAudit kind="search"
                    read=move || filters.with(|f| f.q.clone().unwrap_or_default())
                    write=move |v| { filters.update(|f| f.q = Some(v)); refilter(); }/>
                <TextFilter id="audit-user" label=AdminKey::FilterUser kind="search"
                    read=move || filters.with(|f| f.user.clone().unwrap_or_default())
                    write=move |v| { filters.update(|f| f.user = Some(v)); refilter(); }/>
                <ActionFilter filters=filters refilter=refilter/>
                <OutcomeFilter filters=filters refilter=refilter/>
                <TextFilter id="audit-from" label=AdminKey::FilterFrom kind="date"
                    read=move || from.get()
                    write=move |v| { from.set(v); exact_from.set(None); refilter(); }/>
                <TextFilter id="audit-to" label=AdminKey::FilterTo kind="date"
                    read=move || to.get()
                    write=move |v| { to.set(v); exact_to.set(None); refilter(); }/>
            </div>
            {move || from_report(i18n, &filters.get()).map(|words| view! {
                <p class="report-filters">
                    <strong>{move || i18n.t(AdminKey::ReportFilters)}": "</strong>
                    {words}" "
                    <button type="button" class="link-button" on:click=move |_| {
                        filters.update(|f| { f.flow = None; f.method = None; f.detail = None; });
                        refilter();
                    }>
                        {move || i18n.t(AdminKey::ClearFilters)}
                    </button>
                </p>
            })}
        </fieldset>
        <div class="page-actions">
            <a class="button-link" href=export download="" aria-describedby="export-help">
                {move || i18n.t(AdminKey::ExportCsv)}
            </a>
            <span id="export-help" class="muted">{export_help}</span>
        </div>
        <ErrorAlert failure=failure/>
        // Focusable so keyboard users can scroll a wide table on a narrow screen.
        <div class="table-wrap audit-table" tabindex="0" role="region" aria-label=move || i18n.t(AdminKey::AuditTitle)>
            <table>
                <thead>
                    <tr>
                        {[AdminKey::ColWhen, AdminKey::ColActor, AdminKey::ColAction, AdminKey::ColTarget, AdminKey::ColClient, AdminKey::ColChange]
                            .into_iter()
                            .map(|key| view! { <th scope="col">{move || i18n.t(key)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=items key=|event| event.id.clone() children=move |event| view! { <EventRow event=event/> }/>
                </tbody>
            </table>
        </div>
        <Show when=empty>
            <p class="muted">{move || i18n.t(AdminKey::NoResults)}</p>
        </Show>
        <nav class="pager" aria-label=move || i18n.t(AdminKey::Pagination)>
            <button
                type="button"
                disabled=move || cursors.with(|c| c.len() <= 1)
                on:click=move |_| cursors.update(|c| { c.pop(); })
            >
                {move || i18n.t(AdminKey::NewerEvents)}
            </button>
            <button
                type="button"
                disabled=move || next().is_none()
                on:click=move |_| {
                    if let Some(cursor) = next() {
                        cursors.update(|c| c.push(Some(cursor)));
                    }
                }
            >
                {move || i18n.t(AdminKey::OlderEvents)}
            </button>
        </nav>
    }
}

#[component]
fn EventRow(event: AuditEvent) -> impl IntoView {
    let i18n = use_i18n();
    let AuditEvent {
        at,
        actor,
        action,
        outcome,
        target,
        old_value,
        new_value,
        client_ip,
        user_agent,
        ..
    } = event;
    let listed: Vec<Change> = changes(old_value.as_ref(), new_value.as_ref());
    let raw = (old_value.is_some() || new_value.is_some()).then(|| {
        let show = |value: &Option<serde_json::Value>| {
            value.as_ref().map(|v| v.to_string()).unwrap_or_default()
        };
        let (old, new) = (show(&old_value), show(&new_value));
        view! {
            <details class="raw-detail">
                <summary>{move || i18n.t(AdminKey::RawDetail)}</summary>
                {(!old.is_empty()).then(|| view! { <pre class="old">{old.clone()}</pre> })}
                {(!new.is_empty()).then(|| view! { <pre class="new">{new.clone()}</pre> })}
            </details>
        }
    });
    let failed = outcome == Outcome::Failure;
    view! {
        <tr>
            <td>{move || i18n.locale.get().time(at)}</td>
            <td class="wrap-anywhere">
                {move || actor.clone().unwrap_or_else(|| i18n.t(AdminKey::SystemActor).to_string())}
            </td>
            <td>
                {move || i18n.locale.get().action(action)}
                {failed.then(|| view! { " " <span class="tag tag-failure">{move || i18n.t(AdminKey::OutcomeFailure)}</span> })}
            </td>
            <td class="wrap-anywhere">{target.unwrap_or_default()}</td>
            <td class="wrap-anywhere" title=user_agent.clone().unwrap_or_default()>
                {client_ip.unwrap_or_default()}
            </td>
            <td class="change">
                <ul class="plain-changes">
                    {listed
                        .into_iter()
                        .map(|change| {
                            let Change { field, before, after } = change;
                            view! {
                                <li>
                                    <span class="field-name">{field}</span>": "
                                    {(before.is_some()).then(|| {
                                        let before = before.clone();
                                        view! { <span class="old">{move || said(i18n, &before)}</span>" → " }
                                    })}
                                    <span class="new">{move || said(i18n, &after)}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {raw}
            </td>
        </tr>
    }
}

/// A text or date filter that applies as it is typed.
#[component]
fn TextFilter(
    id: &'static str,
    label: AdminKey,
    kind: &'static str,
    read: impl Fn() -> String + Send + Sync + 'static,
    write: impl Fn(String) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            <input
                id=id
                type=kind
                autocomplete="off"
                prop:value=read
                on:input=move |ev| write(event_target_value(&ev))
            />
        </div>
    }
}

/// One action, or any.
#[component]
fn ActionFilter(filters: RwSignal<AuditQuery>, refilter: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = move || filters.with(|f| f.action.map(AuditAction::as_str).unwrap_or(""));
    view! {
        <div class="field">
            <label for="audit-action">{move || i18n.t(AdminKey::FilterAction)}</label>
            <select
                id="audit-action"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    filters.update(|f| f.action = AuditAction::parse(&value));
                    refilter();
                }
            >
                <option value="" prop:selected=move || chosen().is_empty()>{move || i18n.t(AdminKey::AnyValue)}</option>
                {move || {
                    let lang = i18n.locale.get();
                    let mut actions: Vec<(AuditAction, &str)> =
                        AuditAction::ALL.into_iter().map(|a| (a, lang.action(a))).collect();
                    actions.sort_by(|a, b| a.1.cmp(b.1));
                    actions
                        .into_iter()
                        .map(|(action, words)| {
                            view! {
                                <option value=action.as_str() prop:selected=move || chosen() == action.as_str()>{words}</option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// Succeeded, failed, or any.
#[component]
fn OutcomeFilter(filters: RwSignal<AuditQuery>, refilter: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = move || filters.with(|f| f.outcome.map(Outcome::as_str).unwrap_or(""));
    let options = [
        (Outcome::Success, AdminKey::OutcomeSuccess),
        (Outcome::Failure, AdminKey::OutcomeFailure),
    ];
    view! {
        <div class="field">
            <label for="audit-outcome">{move || i18n.t(AdminKey::FilterOutcome)}</label>
            <select
                id="audit-outcome"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    filters.update(|f| {
                        f.outcome = options.iter().map(|(o, _)| *o).find(|o| o.as_str() == value)
                    });
                    refilter();
                }
            >
                <option value="" prop:selected=move || chosen().is_empty()>{move || i18n.t(AdminKey::AnyValue)}</option>
                {options
                    .into_iter()
                    .map(|(outcome, key)| {
                        view! {
                            <option value=outcome.as_str() prop:selected=move || chosen() == outcome.as_str()>{move || i18n.t(key)}</option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
