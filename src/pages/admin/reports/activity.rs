//! What happened over a period: reset flows begun and how they ended, the helpdesk beside
//! self-service, proofs by method, why resets did not finish, and security info changes.

use leptos::prelude::*;
use rekey_core::audit::{AuditAction, Flow};
use rekey_core::dto::{
    Activity, ActivityQuery, ActivityReport, AuditQuery, Bucket, AUDIT_EXPORT_MAX_ROWS,
};
use rekey_core::i18n::AdminKey;
use rekey_core::security_info::MethodKind;
use rekey_core::validation::FieldError;

use super::charts::{figure, BarChart, Cell, ChartData};
use super::reason_words;
use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::i18n::{method_name, use_i18n, I18n};
use crate::pages::admin::dates::{utc_date, utc_day};
use crate::runtime_config::href;

const DAY: i64 = 86_400;

/// The choices of period: the last 7, 30 or 90 days, or dates.
const LAST_DAYS: [u32; 3] = [7, 30, 90];

fn today() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64 / DAY
}

/// The audit log's page listing the events of `action` (and more filters) from `from` to `to`.
fn events_href(from: i64, to: i64, action: AuditAction, more: AuditQuery) -> String {
    let query = AuditQuery {
        action: Some(action),
        from: Some(from),
        to: Some(to),
        ..more
    };
    api::with_query(&href("/admin/audit"), &api::audit_query_pairs(&query))
}

/// A figure of one bucket (or the whole period) and the events it counts.
fn counted(a: &Activity, end: i64, value: u64, action: AuditAction, more: AuditQuery) -> Cell {
    Cell::linked(value, events_href(a.start, end, action, more))
}

fn blocked() -> AuditQuery {
    AuditQuery {
        detail: Some("blocked".into()),
        ..Default::default()
    }
}

/// Each bucket's start as a label, and where it ends.
fn buckets(report: &ActivityReport) -> Vec<(String, i64, Activity)> {
    let starts: Vec<i64> = report.series.iter().map(|a| a.start).collect();
    report
        .series
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let end = starts.get(i + 1).copied().unwrap_or(report.to);
            (utc_date(a.start), end, *a)
        })
        .collect()
}

/// Resets, unlocks and unfinished flows per bucket, stacked (they add up to the flows begun);
/// the table also has the flows begun and, of the unfinished, those blocked.
fn self_service_chart(i18n: I18n, report: &ActivityReport) -> ChartData {
    let none = AuditQuery::default;
    let rows = buckets(report)
        .into_iter()
        .map(|(_, end, a)| {
            [
                (a.resets, AuditAction::PasswordResetSelf, none()),
                (a.unlocks, AuditAction::AccountUnlockedSelf, none()),
                (a.abandoned, AuditAction::ResetAbandoned, none()),
                (a.started, AuditAction::ResetStarted, none()),
                (a.blocked, AuditAction::ResetAbandoned, blocked()),
            ]
            .map(|(value, action, more)| counted(&a, end, value, action, more))
            .to_vec()
        })
        .collect();
    ChartData {
        categories: bucket_labels(report),
        series: [
            AdminKey::FigureResets,
            AdminKey::FigureUnlocks,
            AdminKey::FigureAbandoned,
            AdminKey::FigureStarted,
            AdminKey::FigureBlocked,
        ]
        .map(|k| i18n.t(k).to_string())
        .to_vec(),
        rows,
    }
}

/// The series of [`self_service_chart`] that are drawn; the rest are in its table only.
const SELF_SERVICE_DRAWN: usize = 3;

fn bucket_labels(report: &ActivityReport) -> Vec<String> {
    buckets(report)
        .into_iter()
        .map(|(label, _, _)| label)
        .collect()
}

/// Self-service next to the helpdesk per bucket; the table also has the resets and unlocks
/// each is made of, each a link to its events.
fn helpdesk_chart(i18n: I18n, report: &ActivityReport) -> ChartData {
    let plain = |value| Cell { value, href: None };
    let none = AuditQuery::default;
    let rows = buckets(report)
        .into_iter()
        .map(|(_, end, a)| {
            let parts = [
                (a.resets, AuditAction::PasswordResetSelf),
                (a.unlocks, AuditAction::AccountUnlockedSelf),
                (a.admin_resets, AuditAction::PasswordResetByAdmin),
                (a.admin_unlocks, AuditAction::AccountUnlockedByAdmin),
            ]
            .map(|(value, action)| counted(&a, end, value, action, none()));
            [plain(a.self_service()), plain(a.helpdesk())]
                .into_iter()
                .chain(parts)
                .collect()
        })
        .collect();
    ChartData {
        categories: bucket_labels(report),
        series: [
            AdminKey::FigureSelfService,
            AdminKey::FigureHelpdesk,
            AdminKey::FigureResets,
            AdminKey::FigureUnlocks,
            AdminKey::FigureAdminResets,
            AdminKey::FigureAdminUnlocks,
        ]
        .map(|k| i18n.t(k).to_string())
        .to_vec(),
        rows,
    }
}

/// The series of [`helpdesk_chart`] that are drawn (the two sums).
const HELPDESK_DRAWN: usize = 2;

fn methods_chart(i18n: I18n, report: &ActivityReport) -> ChartData {
    let whole = report.totals;
    let by = |method: MethodKind| AuditQuery {
        method: Some(method),
        ..Default::default()
    };
    ChartData {
        categories: report
            .methods
            .iter()
            .map(|m| i18n.t(method_name(m.method)).to_string())
            .collect(),
        series: [
            AdminKey::FigureResets,
            AdminKey::FigureUnlocks,
            AdminKey::ColFailedProofs,
        ]
        .map(|k| i18n.t(k).to_string())
        .to_vec(),
        rows: report
            .methods
            .iter()
            .map(|m| {
                vec![
                    counted(
                        &whole,
                        report.to,
                        m.resets,
                        AuditAction::PasswordResetSelf,
                        by(m.method),
                    ),
                    counted(
                        &whole,
                        report.to,
                        m.unlocks,
                        AuditAction::AccountUnlockedSelf,
                        by(m.method),
                    ),
                    counted(
                        &whole,
                        report.to,
                        m.failed,
                        AuditAction::ProofFailed,
                        by(m.method),
                    ),
                ]
            })
            .collect(),
    }
}

fn reasons_chart(i18n: I18n, report: &ActivityReport) -> ChartData {
    let whole = report.totals;
    ChartData {
        categories: report
            .reasons
            .iter()
            .map(|r| {
                let flow = match r.flow {
                    Flow::Unlock => AdminKey::FlowUnlock,
                    _ => AdminKey::FlowReset,
                };
                format!("{} ({})", reason_words(i18n, &r.reason), i18n.t(flow))
            })
            .collect(),
        series: vec![i18n.t(AdminKey::ColFlows).to_string()],
        rows: report
            .reasons
            .iter()
            .map(|r| {
                let more = AuditQuery {
                    flow: Some(r.flow),
                    detail: Some(r.reason.clone()),
                    ..Default::default()
                };
                vec![counted(
                    &whole,
                    report.to,
                    r.flows,
                    AuditAction::ResetAbandoned,
                    more,
                )]
            })
            .collect(),
    }
}

fn registration_chart(i18n: I18n, report: &ActivityReport) -> ChartData {
    let whole = report.totals;
    let r = report.registration;
    let change = |detail: &str| AuditQuery {
        detail: Some(detail.to_string()),
        ..Default::default()
    };
    let changed = AuditAction::SecurityInfoChanged;
    ChartData {
        categories: [
            AdminKey::RegAdded,
            AdminKey::RegChanged,
            AdminKey::RegRemoved,
            AdminKey::RegReconfirmed,
        ]
        .map(|k| i18n.t(k).to_string())
        .to_vec(),
        series: vec![i18n.t(AdminKey::ColCount).to_string()],
        rows: vec![
            vec![counted(
                &whole,
                report.to,
                r.added,
                changed,
                change("added"),
            )],
            vec![counted(
                &whole,
                report.to,
                r.changed,
                changed,
                change("changed"),
            )],
            vec![counted(
                &whole,
                report.to,
                r.removed,
                changed,
                change("removed"),
            )],
            vec![counted(
                &whole,
                report.to,
                r.reconfirmed,
                AuditAction::SecurityInfoConfirmed,
                AuditQuery::default(),
            )],
        ],
    }
}

#[component]
pub fn ActivityReport() -> impl IntoView {
    let i18n = use_i18n();
    // 0 stands for "dates".
    let last_days = RwSignal::new(30_u32);
    let today_text = utc_date(today() * DAY);
    let from_date = RwSignal::new(utc_date((today() - 29) * DAY));
    let to_date = RwSignal::new(today_text);
    let bucket = RwSignal::new(Bucket::Day);
    let data = RwSignal::new(None::<ActivityReport>);
    let failure = RwSignal::new(None::<Failure>);
    let query = move || ActivityQuery {
        days: (last_days.get() > 0).then(|| last_days.get()),
        from: (last_days.get() == 0)
            .then(|| utc_day(&from_date.get()))
            .flatten(),
        to: (last_days.get() == 0)
            .then(|| utc_day(&to_date.get()))
            .flatten(),
        bucket: Some(bucket.get()),
    };
    // The shared rule checks the dates as they are typed; only a good period is asked for.
    let problem = Memo::new(move |_| query().days_covered(today()).err());
    Effect::new(move |_| {
        let wanted = query();
        if problem.get().is_some() {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::reports::activity(&wanted).await {
                Ok(report) => {
                    failure.set(None);
                    data.set(Some(report));
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    });
    let chart = move |make: fn(I18n, &ActivityReport) -> ChartData| {
        Signal::derive(move || {
            data.with(|d| d.as_ref().map(|r| make(i18n, r)))
                .unwrap_or(ChartData {
                    categories: vec![],
                    series: vec![],
                    rows: vec![],
                })
        })
    };
    let text = move |key: AdminKey| Signal::derive(move || i18n.t(key).to_string());
    let first_column = Signal::derive(move || {
        let key = if bucket.get() == Bucket::Week {
            AdminKey::ByWeek
        } else {
            AdminKey::ByDay
        };
        i18n.t(key).to_string()
    });
    let export = move || {
        data.with(|d| {
            d.as_ref().map(|r| {
                api::audit_export_url(&AuditQuery {
                    from: Some(r.from),
                    to: Some(r.to),
                    ..Default::default()
                })
            })
        })
    };
    let export_help = move || {
        i18n.format(
            AdminKey::DownloadEventsHelp,
            &[("count", &i18n.count(AUDIT_EXPORT_MAX_ROWS.into()))],
        )
    };
    let date_error = move || {
        problem
            .get()
            .map(|FieldError { rule, .. }| i18n.locale.get().rule(rule).to_string())
    };
    view! {
        <section class="card report" aria-labelledby="activity-title">
            <h2 id="activity-title">{move || i18n.t(AdminKey::ActivityTitle)}</h2>
            <p class="muted">{move || i18n.t(AdminKey::ActivityIntro)}</p>
            <div class="filter-grid report-period">
                <div class="field">
                    <label for="report-period">{move || i18n.t(AdminKey::Period)}</label>
                    <select id="report-period" on:change=move |ev| last_days.set(event_target_value(&ev).parse().unwrap_or(30))>
                        {LAST_DAYS.map(|days| view! {
                            <option value=days.to_string() prop:selected=move || last_days.get() == days>
                                {move || i18n.format(AdminKey::LastDays, &[("count", &days.to_string())])}
                            </option>
                        }).into_iter().collect_view()}
                        <option value="0" prop:selected=move || last_days.get() == 0>{move || i18n.t(AdminKey::CustomDates)}</option>
                    </select>
                </div>
                <Show when=move || last_days.get() == 0>
                    <div class="field">
                        <label for="report-from">{move || i18n.t(AdminKey::FilterFrom)}</label>
                        <input id="report-from" type="date" prop:value=move || from_date.get()
                            aria-invalid=move || date_error().is_some().to_string()
                            aria-describedby="report-dates-error"
                            on:input=move |ev| from_date.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="report-to">{move || i18n.t(AdminKey::FilterTo)}</label>
                        <input id="report-to" type="date" prop:value=move || to_date.get()
                            aria-invalid=move || date_error().is_some().to_string()
                            aria-describedby="report-dates-error"
                            on:input=move |ev| to_date.set(event_target_value(&ev))/>
                    </div>
                </Show>
                <div class="field">
                    <label for="report-bucket">{move || i18n.t(AdminKey::GroupBy)}</label>
                    <select id="report-bucket" on:change=move |ev| bucket.set(if event_target_value(&ev) == "week" { Bucket::Week } else { Bucket::Day })>
                        <option value="day" prop:selected=move || bucket.get() == Bucket::Day>{move || i18n.t(AdminKey::ByDay)}</option>
                        <option value="week" prop:selected=move || bucket.get() == Bucket::Week>{move || i18n.t(AdminKey::ByWeek)}</option>
                    </select>
                </div>
            </div>
            <p id="report-dates-error" class="field-error" role="alert">{date_error}</p>
            <ErrorAlert failure=failure/>
            {move || data.get().map(|r| view! { <Totals report=r/> })}
            <Show when=move || data.with(|d| d.as_ref().is_some_and(|r| r.totals.started + r.totals.helpdesk() == 0))>
                <p class="muted">{move || i18n.t(AdminKey::NoActivity)}</p>
            </Show>
            <BarChart id="self-service" title=text(AdminKey::ChartSelfService) first_column=first_column data=chart(self_service_chart) stacked=true drawn=SELF_SERVICE_DRAWN/>
            <BarChart id="helpdesk" title=text(AdminKey::ChartHelpdesk) first_column=first_column data=chart(helpdesk_chart) drawn=HELPDESK_DRAWN/>
            <div class="chart-grid">
                <BarChart id="methods-activity" title=text(AdminKey::MethodsActivityTitle) first_column=text(AdminKey::ColMethod) data=chart(methods_chart) table_open=true/>
                <BarChart id="reasons" title=text(AdminKey::ReasonsTitle) first_column=text(AdminKey::ColReason) data=chart(reasons_chart) table_open=true/>
                <BarChart id="registration-activity" title=text(AdminKey::RegistrationActivityTitle) first_column=text(AdminKey::ColState) data=chart(registration_chart) table_open=true/>
            </div>
            <p class="page-actions">
                <a class="button-link" href=export download="" aria-describedby="events-export-help">
                    {move || i18n.t(AdminKey::DownloadEvents)}
                </a>
                <span id="events-export-help" class="muted">{export_help}</span>
            </p>
        </section>
    }
}

/// The period's figures, each a link to its events.
#[component]
fn Totals(report: ActivityReport) -> impl IntoView {
    let i18n = use_i18n();
    let t = report.totals;
    let none = AuditQuery::default;
    let tiles = [
        (
            AdminKey::FigureStarted,
            t.started,
            AuditAction::ResetStarted,
            none(),
        ),
        (
            AdminKey::FigureResets,
            t.resets,
            AuditAction::PasswordResetSelf,
            none(),
        ),
        (
            AdminKey::FigureUnlocks,
            t.unlocks,
            AuditAction::AccountUnlockedSelf,
            none(),
        ),
        (
            AdminKey::FigureAbandoned,
            t.abandoned,
            AuditAction::ResetAbandoned,
            none(),
        ),
        (
            AdminKey::FigureBlocked,
            t.blocked,
            AuditAction::ResetAbandoned,
            blocked(),
        ),
        (
            AdminKey::FigureAdminResets,
            t.admin_resets,
            AuditAction::PasswordResetByAdmin,
            none(),
        ),
        (
            AdminKey::FigureAdminUnlocks,
            t.admin_unlocks,
            AuditAction::AccountUnlockedByAdmin,
            none(),
        ),
    ];
    view! {
        <dl class="tiles">
            {tiles.into_iter().map(|(key, value, action, more)| view! {
                <div class="tile">
                    <dt>{move || i18n.t(key)}</dt>
                    <dd>{figure(counted(&t, report.to, value, action, more))}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}
