//! Who can reset today: users covered by self-service reset by registration, the methods they
//! hold, and admins under their two-method policy; for everyone or one group.

use leptos::prelude::*;
use rekey_core::dto::{Coverage, CoverageFilter, RegistrationReport, UserQuery};
use rekey_core::i18n::AdminKey;

use super::charts::{BarChart, Cell, ChartData};
use crate::api::users::query_pairs;
use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::i18n::{method_name, use_i18n, I18n};
use crate::pages::admin::users::coverage_name;
use crate::pages::admin::users::groups::group_choices;
use crate::runtime_config::href;

/// The capable share with its two numbers as links to the users they count (the capable
/// ones, and all), in the order the language puts them.
fn capable_links(i18n: I18n, report: &RegistrationReport, group: &str) -> Option<AnyView> {
    const COUNT: char = '\u{1}';
    const TOTAL: char = '\u{2}';
    let percent = report.capable_percent()?;
    let text = i18n.format(
        AdminKey::CapableShare,
        &[
            ("percent", &percent.to_string()),
            ("count", &COUNT.to_string()),
            ("total", &TOTAL.to_string()),
        ],
    );
    let capable = UserQuery {
        sspr: Some(true),
        coverage: Some(CoverageFilter::Registered),
        ..Default::default()
    };
    let mut parts = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find([COUNT, TOTAL]) {
        parts.push(rest[..at].to_string().into_any());
        let (value, query) = if rest[at..].starts_with(COUNT) {
            (report.capable(), capable.clone())
        } else {
            (report.users, UserQuery::default())
        };
        let link = users_href(group, query);
        parts.push(view! { <a href=link>{i18n.count(value)}</a> }.into_any());
        rest = &rest[at + COUNT.len_utf8()..];
    }
    parts.push(rest.to_string().into_any());
    Some(parts.collect_view().into_any())
}

/// The Users page listing the enabled users a figure counts.
fn users_href(group: &str, query: UserQuery) -> String {
    let query = UserQuery {
        enabled: Some(true),
        group: (!group.is_empty()).then(|| group.to_string()),
        ..query
    };
    api::with_query(&href("/admin/users"), &query_pairs(&query))
}

const STATES: [CoverageFilter; 3] = [
    CoverageFilter::Registered,
    CoverageFilter::Partly,
    CoverageFilter::NotRegistered,
];

fn count_of(coverage: &Coverage, state: CoverageFilter) -> u64 {
    match state {
        CoverageFilter::Registered => coverage.registered,
        CoverageFilter::Partly => coverage.partly,
        CoverageFilter::NotRegistered => coverage.not_registered,
    }
}

/// One column of users, a row per registration state; `base` narrows each row's users.
fn coverage_chart(
    i18n: I18n,
    coverage: &Coverage,
    group: &str,
    base: UserQuery,
    extra: Option<(String, Cell)>,
) -> ChartData {
    let mut categories: Vec<String> = STATES
        .iter()
        .map(|s| i18n.t(coverage_name(*s)).to_string())
        .collect();
    let mut rows: Vec<Vec<Cell>> = STATES
        .iter()
        .map(|&state| {
            let query = UserQuery {
                coverage: Some(state),
                ..base.clone()
            };
            vec![Cell::linked(
                count_of(coverage, state),
                users_href(group, query),
            )]
        })
        .collect();
    if let Some((label, cell)) = extra {
        categories.push(label);
        rows.push(vec![cell]);
    }
    ChartData {
        categories,
        series: vec![i18n.t(AdminKey::ColUsers).to_string()],
        rows,
    }
}

#[component]
pub fn RegistrationReport() -> impl IntoView {
    let i18n = use_i18n();
    let groups = group_choices();
    let group = RwSignal::new(String::new());
    // Bumped by "Count again": the next request asks for a fresh count.
    let recount = RwSignal::new(0_u32);
    let data = RwSignal::new(None::<RegistrationReport>);
    let failure = RwSignal::new(None::<Failure>);
    Effect::new(move |_| {
        let chosen = group.get();
        let fresh = recount.get() > 0;
        leptos::task::spawn_local(async move {
            let group = (!chosen.is_empty()).then_some(chosen.as_str());
            match api::reports::registration(group, fresh).await {
                Ok(report) => {
                    failure.set(None);
                    data.set(Some(report));
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    });
    let report = move || data.get();
    let chart = move |make: fn(I18n, &RegistrationReport, &str) -> ChartData| {
        Signal::derive(move || {
            data.with(|d| d.as_ref().map(|r| make(i18n, r, &group.get())))
                .unwrap_or(ChartData {
                    categories: vec![],
                    series: vec![],
                    rows: vec![],
                })
        })
    };
    let in_scope = chart(|i18n, r, group| {
        let covered = UserQuery {
            sspr: Some(true),
            ..Default::default()
        };
        let outside = r.users.saturating_sub(r.in_scope.total());
        let not_covered = UserQuery {
            sspr: Some(false),
            ..Default::default()
        };
        let extra = (
            i18n.t(AdminKey::NotCovered).to_string(),
            Cell::linked(outside, users_href(group, not_covered)),
        );
        coverage_chart(i18n, &r.in_scope, group, covered, Some(extra))
    });
    let methods = chart(|i18n, r, group| ChartData {
        categories: r
            .methods
            .iter()
            .map(|m| {
                let name = i18n.t(method_name(m.method));
                if m.allowed {
                    name.to_string()
                } else {
                    i18n.format(AdminKey::MethodNotAllowed, &[("method", name)])
                }
            })
            .collect(),
        series: vec![i18n.t(AdminKey::ColUsers).to_string()],
        rows: r
            .methods
            .iter()
            .map(|m| {
                let query = UserQuery {
                    sspr: Some(true),
                    method: Some(m.method),
                    ..Default::default()
                };
                vec![Cell::linked(m.users, users_href(group, query))]
            })
            .collect(),
    });
    let admins = chart(|i18n, r, group| {
        let admins = UserQuery {
            admin: Some(true),
            ..Default::default()
        };
        coverage_chart(i18n, &r.admins, group, admins, None)
    });
    let text = move |key: AdminKey| Signal::derive(move || i18n.t(key).to_string());
    view! {
        <section class="card report" aria-labelledby="registration-title">
            <h2 id="registration-title">{move || i18n.t(AdminKey::RegistrationTitle)}</h2>
            <p class="muted">{move || i18n.t(AdminKey::RegistrationIntro)}</p>
            <div class="field report-group">
                <label for="report-group">{move || i18n.t(AdminKey::FilterGroup)}</label>
                <select id="report-group" on:change=move |ev| group.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t(AdminKey::AllUsers)}</option>
                    {move || groups.get().into_iter().map(|g| view! { <option value=g.id>{g.name}</option> }).collect_view()}
                </select>
            </div>
            <ErrorAlert failure=failure/>
            {move || report().map(|r| view! {
                <p class="headline">
                    <span class="headline-label">{move || i18n.t(AdminKey::CapableUsers)}": "</span>
                    <strong>{capable_links(i18n, &r, &group.get_untracked()).unwrap_or_else(|| "0".into_any())}</strong>
                </p>
                <p class="muted as-of">
                    {i18n.format(AdminKey::CountedAt, &[("time", &i18n.locale.get().time(r.as_of))])}" "
                    <button type="button" class="link-button" on:click=move |_| recount.update(|n| *n += 1)>
                        {move || i18n.t(AdminKey::CountAgain)}
                    </button>
                </p>
            })}
            <div class="chart-grid">
                <BarChart id="coverage" title=text(AdminKey::CoverageTitle) first_column=text(AdminKey::ColState) data=in_scope table_open=true/>
                <BarChart id="methods-held" title=text(AdminKey::MethodsHeldTitle) first_column=text(AdminKey::ColMethod) data=methods table_open=true/>
                <BarChart id="admin-coverage" title=text(AdminKey::AdminCoverageTitle) first_column=text(AdminKey::ColState) data=admins table_open=true/>
            </div>
        </section>
    }
}
