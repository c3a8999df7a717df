//! The Users page: search, filters and paging, all kept in the address so a reload (or a
//! shared link) shows the same list.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use rekey_core::dto::{CoverageFilter, PasswordFilter, UserQuery, UserSummary};
use rekey_core::i18n::{AdminKey, Key};
use rekey_core::roles::{can_manage_user, can_manage_users, can_reset_password_of, Role};
use rekey_core::security_info::MethodKind;

use super::groups::group_choices;
use super::reset_dialog::ResetPasswordDialog;
use super::{roles_text, user_path};
use crate::api::users::{from_wire_name, query_pairs, wire_name};
use crate::api::{self, Failure};
use crate::components::alert::{ErrorAlert, StatusMessage};
use crate::components::listing::{Listing, ListingView, SearchBox};
use crate::components::page_heading::PageHeading;
use crate::i18n::{method_name, use_i18n, I18n};
use crate::pages::admin::contact_info::ContactInfoDialog;
use crate::runtime_config::href;
use crate::session::use_session;

const PATH: &str = "/admin/users";

/// The search, filters and page an address asks for; what is not understood is left out.
fn parse_query(params: &ParamsMap) -> UserQuery {
    let flag = |name: &str| params.get(name).and_then(|v| v.parse::<bool>().ok());
    UserQuery {
        q: params.get("q"),
        page: params.get("page").and_then(|p| p.parse().ok()),
        per_page: None,
        role: params.get("role").and_then(|r| from_wire_name(&r)),
        group: params.get("group").filter(|g| !g.is_empty()),
        enabled: flag("enabled"),
        registered: flag("registered"),
        password: params.get("password").and_then(|p| from_wire_name(&p)),
        sspr: flag("sspr"),
        coverage: params.get("coverage").and_then(|c| from_wire_name(&c)),
        method: params.get("method").and_then(|m| MethodKind::parse(&m)),
        admin: flag("admin"),
    }
}

/// This page's address for a search, filters and page.
fn address(query: &UserQuery) -> String {
    api::with_query(PATH, &query_pairs(query))
}

/// The choices of a yes/no filter.
fn flag_options(i18n: I18n, yes: AdminKey, no: AdminKey) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        vec![
            ("true".to_string(), i18n.t(yes).to_string()),
            ("false".to_string(), i18n.t(no).to_string()),
        ]
    })
}

fn flag_value(flag: Option<bool>) -> String {
    flag.map(|on| on.to_string()).unwrap_or_default()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let can_manage = can_manage_users(&use_session().roles());
    let params = use_query_map();
    let start = params.with_untracked(parse_query);
    // The listing holds the search and the page; the rest of the query lives here.
    let filters = RwSignal::new(start.clone());
    let listing = Listing::starting_at(
        start.q.unwrap_or_default(),
        start.page.unwrap_or(1),
        move |search, page| {
            let query = UserQuery {
                q: Some(search),
                page: Some(page),
                ..filters.get()
            };
            async move { api::users::list(&query).await }
        },
    );
    let current = move || UserQuery {
        q: Some(listing.search.get()),
        page: Some(listing.page.get()),
        ..filters.get()
    };
    // The address follows the page's state, replacing the history entry (every keystroke of a
    // search is not a step back)...
    let navigate = use_navigate();
    Effect::new(move |_| {
        let state = current();
        if params.with_untracked(|p| query_pairs(&parse_query(p))) != query_pairs(&state) {
            let options = NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            };
            navigate(&address(&state), options);
        }
    });
    // ...and the state follows the address when it changes from outside (the Users link, back).
    Effect::new(move |_| {
        let wanted = params.with(parse_query);
        if query_pairs(&wanted) != query_pairs(&untrack(current)) {
            listing.search.set(wanted.q.clone().unwrap_or_default());
            listing.page.set(wanted.page.unwrap_or(1));
            filters.set(wanted);
        }
    });

    let editing = RwSignal::new(None::<UserSummary>);
    let resetting = RwSignal::new(None::<UserSummary>);
    let message = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<Failure>);
    let my_roles = use_session().roles();
    // Actions for whoever may manage users or reset someone's password.
    let actions = can_manage || can_reset_password_of(&my_roles, &[]);
    let mut columns = vec![
        (AdminKey::ColSignInName, false),
        (AdminKey::ColDisplayName, false),
        (AdminKey::ColRoles, false),
        (AdminKey::ColStatus, false),
        (AdminKey::ColSecurityInfo, false),
        (AdminKey::ColPassword, false),
    ];
    if actions {
        columns.push((AdminKey::ColActions, false));
    }
    let beside_directory = move || {
        listing.data.with_untracked(|d| {
            d.as_ref()
                .is_some_and(|p| p.items.iter().any(|u| u.from_directory))
        })
    };
    let unlock = Callback::new(move |user: UserSummary| {
        leptos::task::spawn_local(async move {
            match api::users::unlock(&user.id).await {
                Ok(()) => {
                    failure.set(None);
                    message.set(Some(i18n.format(
                        AdminKey::UserUnlockedNamed,
                        &[("name", &user.display_name)],
                    )));
                    listing.reload();
                }
                Err(f) => failure.set(Some(f)),
            }
        });
    });
    let row = move |user: UserSummary| {
        view! {
            <UserRow
                user=user
                actions=actions
                beside_directory=beside_directory()
                editing=editing
                resetting=resetting
                unlock=unlock
            />
        }
    };

    let saved = move |name: String| {
        message.set(Some(
            i18n.format(AdminKey::ContactInfoSaved, &[("name", &name)]),
        ));
        listing.reload();
    };
    view! {
        <PageHeading text=Signal::derive(move || i18n.t(AdminKey::UsersTitle).to_string())/>
        <Show when=move || can_manage>
            <div class="page-actions">
                <A href=href("/admin/users/new") attr:class="button-link primary">{move || i18n.t(AdminKey::NewUser)}</A>
                <A href=href("/admin/users/import") attr:class="button-link">{move || i18n.t(AdminKey::ImportUsers)}</A>
            </div>
        </Show>
        <StatusMessage message=message/>
        <ErrorAlert failure=failure/>
        <SearchBox listing=listing label=AdminKey::SearchUsers/>
        <p class="page-actions">
            <a class="button-link" href=move || crate::api::users::export_url(&current()) download="">
                {move || i18n.t(AdminKey::DownloadUsers)}
            </a>
        </p>
        <Filters filters=filters listing=listing/>
        <ListingView listing=listing label=AdminKey::UsersTitle columns=columns row=row/>
        {can_manage.then(|| view! { <ContactInfoDialog editing=editing saved=saved/> })}
        {move || resetting.get().map(|user| {
            // Open while it is drawn; closing it (done or cancelled) lets go of the user.
            let open = RwSignal::new(true);
            Effect::new(move |_| {
                if !open.get() {
                    resetting.set(None);
                }
            });
            view! {
            <ResetPasswordDialog
                open=open
                id=user.id.clone()
                name=user.display_name.clone()
                has_email=user.registration.methods.contains(&MethodKind::Email)
                reset=move |_| listing.reload()
            />
            }
        })}
    }
}

#[component]
fn UserRow(
    user: UserSummary,
    /// The Actions column is shown.
    actions: bool,
    /// Some listed user comes from a directory.
    beside_directory: bool,
    editing: RwSignal<Option<UserSummary>>,
    resetting: RwSignal<Option<UserSummary>>,
    unlock: Callback<UserSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let roles = {
        let roles = user.roles.clone();
        move || roles_text(i18n.locale.get(), &roles)
    };
    let registration = user.registration.clone();
    let registered = registration.registered;
    let methods = move || {
        let lang = i18n.locale.get();
        registration
            .methods
            .iter()
            .map(|kind| lang.t(method_name(*kind)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let password = password_cell(i18n, &user);
    // The scope rules the server applies: contact info as user management, reset and unlock
    // as password resets.
    let may_edit = session.may_act_on(&user.id, &user.roles, can_manage_user);
    let may_reset = session.may_act_on(&user.id, &user.roles, can_reset_password_of);
    let locked = user.locked_until;
    let action = actions.then(|| {
        let name = user.display_name.clone();
        let (for_edit, for_reset, for_unlock) = (user.clone(), user.clone(), user.clone());
        let (edit_name, reset_name, unlock_name) = (name.clone(), name.clone(), name);
        view! {
            <td>
                <div class="row-actions">
                {may_edit.then(|| view! {
                    <button
                        type="button"
                        aria-label=move || i18n.format(AdminKey::ContactInfoFor, &[("name", &edit_name)])
                        on:click=move |_| editing.set(Some(for_edit.clone()))
                    >
                        {move || i18n.t(AdminKey::ContactInfo)}
                    </button>
                })}
                {may_reset.then(|| view! {
                    <button
                        type="button"
                        aria-label=move || i18n.format(AdminKey::ResetPasswordFor, &[("name", &reset_name)])
                        on:click=move |_| resetting.set(Some(for_reset.clone()))
                    >
                        {move || i18n.t(Key::ResetPassword)}
                    </button>
                })}
                {(may_reset && locked.is_some()).then(|| view! {
                    <button
                        type="button"
                        aria-label=move || i18n.format(AdminKey::UnlockFor, &[("name", &unlock_name)])
                        on:click=move |_| unlock.run(for_unlock.clone())
                    >
                        {move || i18n.t(AdminKey::UnlockUser)}
                    </button>
                })}
                </div>
            </td>
        }
    });
    let enabled = user.enabled;
    // Beside a directory, Rekey's own accounts are the break-glass ones: both are marked.
    let source = beside_directory.then(|| {
        let (label, help) = if user.from_directory {
            (AdminKey::SourceDirectory, AdminKey::SourceDirectoryHelp)
        } else {
            (
                AdminKey::SourceRekeyAccount,
                AdminKey::SourceRekeyAccountHelp,
            )
        };
        view! { <span class="tag" title=move || i18n.t(help)>{move || i18n.t(label)}</span> }
    });
    let locked_tag = locked.map(|until| {
        view! {
            <span class="tag tag-alert" title=move || i18n.format(AdminKey::LockedUntil, &[("when", &i18n.locale.get().time(until))])>
                {move || i18n.t(AdminKey::LockedState)}
            </span>
        }
    });
    view! {
        <tr>
            <td class="user-name">
                <A href=href(&user_path(&user.id))>{user.sign_in_name.clone()}</A>
                {source}
            </td>
            <td>{user.display_name.clone()}</td>
            <td>{roles}</td>
            <td>
                {move || i18n.t(if enabled { AdminKey::Enabled } else { AdminKey::Disabled })}
                {locked_tag}
            </td>
            <td>
                <span class="registration">
                    {move || i18n.t(if registered { AdminKey::Registered } else { AdminKey::NotRegistered })}
                </span>
                <span class="muted registration-methods">{methods}</span>
            </td>
            <td>{password}</td>
            {action}
        </tr>
    }
}

/// The Password column: expired (marked), never expires, or when it expires; and when Rekey
/// last set it, for its own accounts.
fn password_cell(i18n: I18n, user: &UserSummary) -> impl IntoView {
    let (expired, never, expires) = (
        user.password_expired,
        user.password_never_expires,
        user.password_expires_at,
    );
    let state = move || {
        let lang = i18n.locale.get();
        match (expired, never, expires) {
            (true, _, _) => None,
            (_, true, _) => Some(lang.t(AdminKey::PasswordNeverExpiresState).to_string()),
            (_, _, Some(at)) => {
                Some(lang.format(AdminKey::PasswordExpiresOn, &[("date", &lang.date(at))]))
            }
            _ => None,
        }
    };
    let changed =
        (!user.from_directory && user.password_changed_at > 0).then_some(user.password_changed_at);
    view! {
        {expired.then(|| view! { <span class="tag tag-alert">{move || i18n.t(AdminKey::PasswordExpiredState)}</span> })}
        <span class="password-state">{state}</span>
        {changed.map(|at| view! {
            <span class="muted password-changed">
                {move || i18n.format(AdminKey::PasswordChangedOn, &[("date", &i18n.locale.get().date(at))])}
            </span>
        })}
    }
}

/// The filters only a report's drill-down sets, in words (none when there are none).
fn from_report(i18n: I18n, query: &UserQuery) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    if let Some(sspr) = query.sspr {
        let key = if sspr {
            AdminKey::FilterCovered
        } else {
            AdminKey::NotCovered
        };
        words.push(i18n.t(key).to_string());
    }
    if let Some(coverage) = query.coverage {
        words.push(i18n.t(coverage_name(coverage)).to_string());
    }
    if let Some(method) = query.method {
        let name = i18n.t(method_name(method));
        words.push(i18n.format(AdminKey::FilterHolds, &[("method", name)]));
    }
    if let Some(admin) = query.admin {
        let key = if admin {
            AdminKey::FilterAdmins
        } else {
            AdminKey::FilterNotAdmins
        };
        words.push(i18n.t(key).to_string());
    }
    (!words.is_empty()).then(|| words.join(" · "))
}

/// A registration state as the Reports page names it.
pub fn coverage_name(coverage: CoverageFilter) -> AdminKey {
    match coverage {
        CoverageFilter::Registered => AdminKey::Registered,
        CoverageFilter::Partly => AdminKey::PartlyRegistered,
        CoverageFilter::NotRegistered => AdminKey::NotRegistered,
    }
}

/// The filters beside the search box; changing one goes back to the first page.
#[component]
fn Filters(filters: RwSignal<UserQuery>, listing: Listing<UserSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let groups = group_choices();
    let roles = Signal::derive(move || {
        let lang = i18n.locale.get();
        Role::ALL
            .into_iter()
            .map(|role| (wire_name(&role), lang.role(role).to_string()))
            .collect()
    });
    let group_options =
        Signal::derive(move || groups.get().into_iter().map(|g| (g.id, g.name)).collect());
    let passwords = Signal::derive(move || {
        [
            (PasswordFilter::Expired, AdminKey::PasswordExpiredState),
            (
                PasswordFilter::NeverExpires,
                AdminKey::PasswordNeverExpiresState,
            ),
            (PasswordFilter::Locked, AdminKey::LockedState),
        ]
        .into_iter()
        .map(|(filter, key)| (wire_name(&filter), i18n.t(key).to_string()))
        .collect()
    });
    let any = move || {
        filters.with(|f| {
            f.role.is_some()
                || f.group.is_some()
                || f.enabled.is_some()
                || f.registered.is_some()
                || f.password.is_some()
                || f.sspr.is_some()
                || f.coverage.is_some()
                || f.method.is_some()
                || f.admin.is_some()
        })
    };
    let clear = move |_| {
        filters.update(|f| {
            *f = UserQuery {
                q: f.q.take(),
                ..Default::default()
            }
        });
        listing.page.set(1);
    };
    view! {
        <fieldset class="filters">
            <legend>{move || i18n.t(AdminKey::UserFilters)}</legend>
            <div class="filter-grid">
                <FilterSelect
                    id="filter-role"
                    label=AdminKey::FilterRole
                    options=roles
                    read=|f| f.role.as_ref().map(wire_name).unwrap_or_default()
                    write=|f, v| f.role = from_wire_name(v)
                    filters=filters
                    listing=listing
                />
                <FilterSelect
                    id="filter-group"
                    label=AdminKey::FilterGroup
                    options=group_options
                    read=|f| f.group.clone().unwrap_or_default()
                    write=|f, v| f.group = (!v.is_empty()).then(|| v.to_string())
                    filters=filters
                    listing=listing
                />
                <FilterSelect
                    id="filter-status"
                    label=AdminKey::FilterStatus
                    options=flag_options(i18n, AdminKey::Enabled, AdminKey::Disabled)
                    read=|f| flag_value(f.enabled)
                    write=|f, v| f.enabled = v.parse().ok()
                    filters=filters
                    listing=listing
                />
                <FilterSelect
                    id="filter-registration"
                    label=AdminKey::FilterRegistration
                    options=flag_options(i18n, AdminKey::Registered, AdminKey::NotRegistered)
                    read=|f| flag_value(f.registered)
                    write=|f, v| f.registered = v.parse().ok()
                    filters=filters
                    listing=listing
                />
                <FilterSelect
                    id="filter-password"
                    label=AdminKey::FilterPassword
                    options=passwords
                    read=|f| f.password.as_ref().map(wire_name).unwrap_or_default()
                    write=|f, v| f.password = from_wire_name(v)
                    filters=filters
                    listing=listing
                />
            </div>
            {move || from_report(i18n, &filters.get()).map(|words| view! {
                <p class="report-filters">
                    <strong>{move || i18n.t(AdminKey::ReportFilters)}": "</strong>
                    {words}
                </p>
            })}
            <Show when=any>
                <button type="button" class="link-button" on:click=clear>
                    {move || i18n.t(AdminKey::ClearFilters)}
                </button>
            </Show>
        </fieldset>
    }
}

/// One filter: "Any", then its values (wire value, words).
#[component]
fn FilterSelect(
    id: &'static str,
    label: AdminKey,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    read: fn(&UserQuery) -> String,
    write: fn(&mut UserQuery, &str),
    filters: RwSignal<UserQuery>,
    listing: Listing<UserSummary>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = move || filters.with(read);
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            <select
                id=id
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    filters.update(|f| write(f, &value));
                    listing.page.set(1);
                }
            >
                <option value="" prop:selected=move || chosen().is_empty()>
                    {move || i18n.t(AdminKey::AnyValue)}
                </option>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let this = value.clone();
                            view! { <option value=value prop:selected=move || chosen() == this>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
