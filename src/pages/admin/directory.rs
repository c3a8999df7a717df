//! Settings › Org settings › Directory: Rekey's own directory or the organisation's LDAP
//! directory, checked field by field as you type, tested against the real server before it
//! is saved, and the sync's last result with a button to sync now.

use leptos::prelude::*;
use std::time::Duration;

use rekey_core::dto::{DirectoryCheck, DirectoryTestResult, SyncProgress, SyncResult};
use rekey_core::i18n::AdminKey;
use rekey_core::settings::{DirectoryKind, DirectorySettings, DirectorySource, LdapSettings};

use crate::api::{self, Failure};
use crate::components::alert::ErrorAlert;
use crate::components::field::{FieldErrors, Label, NumberField, RadioOption, TextField};
use crate::components::lines_field::LinesField;
use crate::components::page_heading::PageHeading;
use crate::components::settings_form::{SectionContext, SectionForm};
use crate::i18n::use_i18n;

type Ctx = SectionContext<DirectorySettings>;

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::DirectoryTitle).to_string())/>
        <p class="intro">{move || i18n.t(AdminKey::DirectoryIntro)}</p>
        <SectionForm fields={move |ctx: Ctx| {
            view! {
                <Show when=move || ctx.get(|d| d.from_environment)>
                    <div class="notice" role="note">{move || i18n.t(AdminKey::DirectoryFromEnvironment)}</div>
                </Show>
                <fieldset>
                    <legend>{move || i18n.t(AdminKey::DirectorySourceLegend)}</legend>
                    <RadioOption
                        name="source"
                        id="source-own".to_string()
                        label=AdminKey::DirectorySourceOwn
                        help=Some(AdminKey::DirectorySourceOwnHelp.into())
                        checked=move || ctx.get(|d| d.source == DirectorySource::Own)
                        select=move || ctx.set(|d| d.source = DirectorySource::Own)
                    />
                    <RadioOption
                        name="source"
                        id="source-ldap".to_string()
                        label=AdminKey::DirectorySourceLdap
                        help=Some(AdminKey::DirectorySourceLdapHelp.into())
                        checked=move || ctx.get(|d| d.source == DirectorySource::Ldap)
                        select=move || ctx.set(|d| d.source = DirectorySource::Ldap)
                    />
                </fieldset>
                <Show when=move || ctx.get(|d| d.source == DirectorySource::Ldap)>
                    <LdapFields ctx=ctx/>
                    <TestConnection ctx=ctx/>
                </Show>
            }
            .into_any()
        }}/>
        <SyncPanel/>
    }
}

/// A text field bound to one part of the LDAP connection (one component for them all, so the
/// admin bundle carries one copy of the field).
#[component]
fn LdapText(
    ctx: Ctx,
    field: &'static str,
    label: AdminKey,
    #[prop(optional)] help: Option<AdminKey>,
    read: fn(&LdapSettings) -> &String,
    part: fn(&mut LdapSettings) -> &mut String,
) -> impl IntoView {
    view! {
        <TextField
            field=field
            label=label
            help=help.map(Label::from)
            get=move || ctx.get(|d| read(&d.ldap).clone())
            set=move |v| ctx.set(|d| *part(&mut d.ldap) = v)
            errors=ctx.errors
            autocomplete="off"
        />
    }
}

#[component]
fn LdapFields(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let kind_value = move || match ctx.get(|d| d.ldap.kind) {
        DirectoryKind::Ad => "ad",
        DirectoryKind::Openldap => "openldap",
    };
    // A new kind brings its own filters and attribute names, unless the admin changed them.
    let choose_kind = move |value: String| {
        let Some(kind) = DirectoryKind::parse(&value) else {
            return;
        };
        ctx.set(|d| switch_kind(&mut d.ldap, kind));
    };
    let password_help = move || {
        ctx.get(|d| d.bind_password_set)
            .then(|| Label::from(AdminKey::DirectoryBindPasswordKept))
    };
    view! {
        <div class="field">
            <label for="ldap-kind">{move || i18n.t(AdminKey::DirectoryKind)}</label>
            <select id="ldap-kind" prop:value=kind_value on:change=move |ev| choose_kind(event_target_value(&ev))>
                <option value="ad">{move || i18n.t(AdminKey::DirectoryKindAd)}</option>
                <option value="openldap">{move || i18n.t(AdminKey::DirectoryKindOpenldap)}</option>
            </select>
        </div>
        <p id="ldap.urls-help" class="muted">{move || i18n.t(AdminKey::DirectoryUrlsHelp)}</p>
        <LinesField
            ctx=ctx
            field="ldap.urls"
            label=AdminKey::DirectoryUrls
            read=|d| d.ldap.urls.clone()
            write=|d, urls| d.ldap.urls = urls
        />
        {ctx.checkbox(
            "ldap-starttls",
            AdminKey::DirectoryStartTls,
            Some(AdminKey::DirectoryStartTlsHelp),
            |d| d.ldap.starttls,
            |d, on| d.ldap.starttls = on,
        )}
        <div class="field">
            <label for="ldap-ca-pem">{move || i18n.t(AdminKey::DirectoryCaPem)}</label>
            <p id="ldap.ca_pem-help" class="muted">{move || i18n.t(AdminKey::DirectoryCaPemHelp)}</p>
            <textarea
                id="ldap-ca-pem"
                name="ldap.ca_pem"
                rows=6
                spellcheck="false"
                autocomplete="off"
                class="monospace"
                aria-describedby="ldap.ca_pem-help ldap.ca_pem-error"
                aria-invalid=move || ctx.errors.get().iter().any(|e| e.field == "ldap.ca_pem").to_string()
                prop:value=move || ctx.get(|d| d.ldap.ca_pem.clone())
                on:input=move |ev| ctx.set(|d| d.ldap.ca_pem = event_target_value(&ev))
            ></textarea>
            <FieldErrors field="ldap.ca_pem" errors=ctx.errors/>
        </div>
        <LdapText ctx=ctx field="ldap.bind_dn" label=AdminKey::DirectoryBindDn help=AdminKey::DirectoryBindDnHelp read=|l| &l.bind_dn part=|l| &mut l.bind_dn/>
        {move || view! {
            <TextField
                field="bind_password"
                label=AdminKey::DirectoryBindPassword
                help=password_help()
                get=move || ctx.get(|d| d.bind_password.clone())
                set=move |v| ctx.set(|d| d.bind_password = v)
                errors=ctx.errors
                input_type="password"
                autocomplete="new-password"
            />
        }}
        <LdapText ctx=ctx field="ldap.users_base_dn" label=AdminKey::DirectoryUsersBaseDn read=|l| &l.users_base_dn part=|l| &mut l.users_base_dn/>
        <LdapText ctx=ctx field="ldap.users_filter" label=AdminKey::DirectoryUsersFilter read=|l| &l.users_filter part=|l| &mut l.users_filter/>
        <LdapText ctx=ctx field="ldap.groups_base_dn" label=AdminKey::DirectoryGroupsBaseDn read=|l| &l.groups_base_dn part=|l| &mut l.groups_base_dn/>
        <LdapText ctx=ctx field="ldap.groups_filter" label=AdminKey::DirectoryGroupsFilter read=|l| &l.groups_filter part=|l| &mut l.groups_filter/>
        <fieldset>
            <legend>{move || i18n.t(AdminKey::DirectoryAttributes)}</legend>
            <LdapText ctx=ctx field="ldap.attributes.sign_in_name" label=AdminKey::DirectoryAttrSignIn read=|l| &l.attributes.sign_in_name part=|l| &mut l.attributes.sign_in_name/>
            <LdapText ctx=ctx field="ldap.attributes.display_name" label=AdminKey::DirectoryAttrDisplayName read=|l| &l.attributes.display_name part=|l| &mut l.attributes.display_name/>
            <LdapText ctx=ctx field="ldap.attributes.email" label=AdminKey::DirectoryAttrEmail read=|l| &l.attributes.email part=|l| &mut l.attributes.email/>
            <LdapText ctx=ctx field="ldap.attributes.mobile" label=AdminKey::DirectoryAttrMobile read=|l| &l.attributes.mobile part=|l| &mut l.attributes.mobile/>
            <LdapText ctx=ctx field="ldap.attributes.stable_id" label=AdminKey::DirectoryAttrStableId read=|l| &l.attributes.stable_id part=|l| &mut l.attributes.stable_id/>
        </fieldset>
        <NumberField
            field="ldap.timeout_seconds"
            label=AdminKey::DirectoryTimeout
            min=1
            max=60
            get=move || ctx.get(|d| d.ldap.timeout_seconds)
            set=move |v| ctx.set(|d| d.ldap.timeout_seconds = v)
            errors=ctx.errors
        />
    }
}

/// Changes the kind, bringing the new kind's defaults to every field still at the old kind's.
fn switch_kind(ldap: &mut LdapSettings, kind: DirectoryKind) {
    let (old, new) = (
        LdapSettings::defaults(ldap.kind),
        LdapSettings::defaults(kind),
    );
    let keep_or = |current: &mut String, old: &str, new: &str| {
        if current == old {
            *current = new.to_string();
        }
    };
    keep_or(&mut ldap.users_filter, &old.users_filter, &new.users_filter);
    keep_or(
        &mut ldap.groups_filter,
        &old.groups_filter,
        &new.groups_filter,
    );
    let (a, o, n) = (&mut ldap.attributes, &old.attributes, &new.attributes);
    keep_or(&mut a.sign_in_name, &o.sign_in_name, &n.sign_in_name);
    keep_or(&mut a.display_name, &o.display_name, &n.display_name);
    keep_or(&mut a.email, &o.email, &n.email);
    keep_or(&mut a.mobile, &o.mobile, &n.mobile);
    keep_or(&mut a.stable_id, &o.stable_id, &n.stable_id);
    ldap.kind = kind;
}

/// Test connection for the settings as typed, with every step's verdict and five people.
#[component]
fn TestConnection(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let testing = RwSignal::new(false);
    let result = RwSignal::new(None::<DirectoryTestResult>);
    let failure = RwSignal::new(None::<Failure>);
    // A result describes the settings it was run for.
    Effect::new(move |_| {
        ctx.draft.track();
        result.set(None);
    });
    let run = move |_| {
        if testing.get_untracked() {
            return;
        }
        let draft = ctx.draft.get_untracked();
        testing.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            match api::test_directory(&draft).await {
                Ok(r) => result.set(Some(r)),
                Err(f) => failure.set(Some(f)),
            }
            testing.set(false);
        });
    };
    view! {
        <div class="directory-test">
            <button type="button" on:click=run disabled=move || testing.get()>
                {move || i18n.t(if testing.get() { AdminKey::DirectoryTesting } else { AdminKey::DirectoryTest })}
            </button>
            <ErrorAlert failure=failure/>
            <div aria-live="polite">{move || result.get().map(|r| view! { <TestResult result=r/> })}</div>
        </div>
    }
}

#[component]
fn TestResult(result: DirectoryTestResult) -> impl IntoView {
    let i18n = use_i18n();
    let verdict = if result.ok {
        AdminKey::DirectoryTestPassed
    } else {
        AdminKey::DirectoryTestFailed
    };
    let found = match (result.users_found, result.groups_found) {
        (Some(users), Some(groups)) => Some(i18n.format(
            AdminKey::DirectoryFound,
            &[
                ("users", &users.to_string()),
                ("groups", &groups.to_string()),
            ],
        )),
        _ => None,
    };
    let samples = result.samples.clone();
    view! {
        <p class=if result.ok { "status-ok" } else { "status-error" } role="status">{move || i18n.t(verdict)}</p>
        <ul class="checks">
            {result.checks.into_iter().map(|c| view! { <CheckLine check=c/> }).collect_view()}
        </ul>
        {found.map(|f| view! { <p>{f}</p> })}
        <Show when={let any = !samples.is_empty(); move || any}>
            <table class="samples">
                <caption>{move || i18n.t(AdminKey::DirectorySamples)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(AdminKey::DirectoryAttrSignIn)}</th>
                        <th scope="col">{move || i18n.t(AdminKey::DirectoryAttrDisplayName)}</th>
                        <th scope="col">{move || i18n.t(AdminKey::DirectoryAttrEmail)}</th>
                        <th scope="col">{move || i18n.t(AdminKey::DirectoryAttrMobile)}</th>
                        <th scope="col">{move || i18n.t(AdminKey::DirectorySampleDn)}</th>
                    </tr>
                </thead>
                <tbody>
                    {samples.clone().into_iter().map(|s| view! {
                        <tr>
                            <td>{s.sign_in_name.unwrap_or_default()}</td>
                            <td>{s.display_name.unwrap_or_default()}</td>
                            <td>{s.email.unwrap_or_default()}</td>
                            <td>{s.mobile.unwrap_or_default()}</td>
                            <td class="dn">{s.dn}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Show>
    }
}

#[component]
fn CheckLine(check: DirectoryCheck) -> impl IntoView {
    let i18n = use_i18n();
    let step = match check.step.as_str() {
        "connect" => AdminKey::DirectoryCheckConnect,
        "tls" => AdminKey::DirectoryCheckTls,
        "bind" => AdminKey::DirectoryCheckBind,
        "users" => AdminKey::DirectoryCheckUsers,
        "groups" => AdminKey::DirectoryCheckGroups,
        _ => AdminKey::DirectoryCheckLockout,
    };
    let (verdict, class) = match (check.ok, check.blocking) {
        (true, _) => (AdminKey::CheckPassed, "check-ok"),
        (false, true) => (AdminKey::CheckFailed, "check-failed"),
        (false, false) => (AdminKey::CheckWarning, "check-warning"),
    };
    view! {
        <li class=class>
            <strong>{move || i18n.t(step)}</strong>
            ": "
            <span class="verdict">{move || i18n.t(verdict)}</span>
            <p class="muted">{move || check.outcome.text(i18n.locale.get().lang())}</p>
        </li>
    }
}

/// The last sync's result and a button to sync now.
#[component]
fn SyncPanel() -> impl IntoView {
    let i18n = use_i18n();
    let last = RwSignal::new(None::<SyncResult>);
    let running = RwSignal::new(None::<SyncProgress>);
    let syncing = RwSignal::new(false);
    let failure = RwSignal::new(None::<Failure>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(status) = api::directory_sync_status().await {
                running.set(status.running);
                if status.last.is_some() {
                    last.set(status.last);
                }
            }
        })
    };
    refresh();
    // While a sync runs (this admin's, another admin's or the schedule's), how far it has come.
    if let Ok(timer) = set_interval_with_handle(
        move || {
            if running.get_untracked().is_some() || syncing.get_untracked() {
                refresh();
            }
        },
        Duration::from_secs(2),
    ) {
        on_cleanup(move || timer.clear());
    }
    let sync = move |full: bool| {
        if syncing.get_untracked() {
            return;
        }
        syncing.set(true);
        failure.set(None);
        leptos::task::spawn_local(async move {
            match api::sync_directory(full).await {
                Ok(result) => last.set(Some(result)),
                Err(f) => failure.set(Some(f)),
            }
            running.set(None);
            syncing.set(false);
        });
    };
    let summary = move || {
        let Some(r) = last.get() else {
            return i18n.t(AdminKey::DirectoryNeverSynced).to_string();
        };
        let when = i18n.locale.get().time(r.finished_at);
        let n = |v: u64| v.to_string();
        let read = i18n.t(if r.incremental {
            AdminKey::DirectorySyncReadChanges
        } else {
            AdminKey::DirectorySyncReadAll
        });
        let counts = i18n.format(
            AdminKey::DirectoryLastSync,
            &[
                ("when", &when),
                ("added", &n(r.users_added)),
                ("changed", &n(r.users_changed)),
                ("removed", &n(r.users_removed)),
                ("groups_added", &n(r.groups_added)),
                ("groups_changed", &n(r.groups_changed)),
                ("groups_removed", &n(r.groups_removed)),
            ],
        );
        format!("{counts} {read}")
    };
    let under_way = move || {
        running.get().map(|p| {
            let when = i18n.locale.get().time(p.started_at);
            let text = i18n.format(
                AdminKey::DirectorySyncProgress,
                &[
                    ("when", &when),
                    ("groups", &p.groups_read.to_string()),
                    ("people", &p.people_read.to_string()),
                ],
            );
            view! { <p class="sync-progress">{text}</p> }
        })
    };
    let stopped = move || {
        last.get().and_then(|r| r.error).map(|error| {
            view! { <p class="status-error">{i18n.format(AdminKey::DirectorySyncStopped, &[("error", &error)])}</p> }
        })
    };
    let skipped = move || {
        let skipped = last.get().map(|r| r.skipped).unwrap_or_default();
        (!skipped.is_empty()).then(|| {
            view! {
                <details>
                    <summary>{move || i18n.t(AdminKey::DirectorySyncSkipped)} " " {skipped.len()}</summary>
                    <ul>{skipped.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                </details>
            }
        })
    };
    view! {
        <section class="card directory-sync" aria-labelledby="directory-sync-heading">
            <h2 id="directory-sync-heading">{move || i18n.t(AdminKey::DirectorySync)}</h2>
            <p class="muted">{move || i18n.t(AdminKey::DirectorySyncIntro)}</p>
            <div role="status">{under_way}</div>
            <p class="last-sync" role="status">{summary}</p>
            {stopped}
            {skipped}
            <ErrorAlert failure=failure/>
            <div class="form-actions">
                <button type="button" on:click=move |_| sync(false) disabled=move || syncing.get()>
                    {move || i18n.t(if syncing.get() { AdminKey::DirectorySyncing } else { AdminKey::DirectorySyncNow })}
                </button>
                <button type="button" on:click=move |_| sync(true) disabled=move || syncing.get()>
                    {move || i18n.t(AdminKey::DirectorySyncFull)}
                </button>
            </div>
        </section>
    }
}
