//! Search + paging for directory listings: the state, a search box and the pager.

use std::future::Future;

use leptos::prelude::*;
use rekey_core::dto::Page;
use rekey_core::i18n::AdminKey;

use crate::api::Failure;
use crate::components::alert::ErrorAlert;
use crate::i18n::use_i18n;

/// A listed item's stable identity, for keyed rendering.
pub trait Keyed {
    fn key(&self) -> String;
}

// Rows are keyed by their whole content, not just the id: a reloaded page whose item changed
// (e.g. a user just registered) must draw that row again. Not by `Debug`: the release build
// has no `Debug` text (scripts/build-spa.sh).
impl Keyed for rekey_core::dto::UserSummary {
    fn key(&self) -> String {
        crate::json::stringify(self)
            .map(String::from)
            .unwrap_or_default()
    }
}

impl Keyed for rekey_core::dto::GroupSummary {
    fn key(&self) -> String {
        crate::json::stringify(self)
            .map(String::from)
            .unwrap_or_default()
    }
}

/// The state of one searchable, paged listing, reloaded whenever the search or page changes.
pub struct Listing<T: 'static> {
    pub search: RwSignal<String>,
    pub page: RwSignal<u32>,
    pub data: RwSignal<Option<Page<T>>>,
    pub failure: RwSignal<Option<Failure>>,
}

impl<T: 'static> Clone for Listing<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: 'static> Copy for Listing<T> {}

impl<T: Send + Sync + 'static> Listing<T> {
    pub fn new<F, Fut>(fetch: F) -> Listing<T>
    where
        F: Fn(String, u32) -> Fut + 'static,
        Fut: Future<Output = Result<Page<T>, Failure>> + 'static,
    {
        Listing::starting_at(String::new(), 1, fetch)
    }

    /// A listing whose first request is for this search and page (e.g. kept in the address).
    /// Signals `fetch` reads before it returns its future are followed too (e.g. filters).
    pub fn starting_at<F, Fut>(search: String, page: u32, fetch: F) -> Listing<T>
    where
        F: Fn(String, u32) -> Fut + 'static,
        Fut: Future<Output = Result<Page<T>, Failure>> + 'static,
    {
        let listing = Listing {
            search: RwSignal::new(search),
            page: RwSignal::new(page),
            data: RwSignal::new(None),
            failure: RwSignal::new(None),
        };
        Effect::new(move |_| {
            let search = listing.search.get();
            let page = listing.page.get();
            let request = fetch(search, page);
            leptos::task::spawn_local(async move {
                match request.await {
                    Ok(result) => {
                        listing.failure.set(None);
                        listing.data.set(Some(result));
                    }
                    Err(failure) => listing.failure.set(Some(failure)),
                }
            });
        });
        listing
    }

    /// Fetches the current page again, e.g. after a change to one of its items.
    pub fn reload(&self) {
        self.page.notify();
    }

    pub fn items(&self) -> Vec<T>
    where
        T: Clone,
    {
        self.data
            .with(|d| d.as_ref().map(|p| p.items.clone()).unwrap_or_default())
    }

    fn pages(&self) -> u32 {
        self.data.with(|d| {
            d.as_ref()
                .map(|p| (p.total.div_ceil(u64::from(p.per_page.max(1)))).max(1) as u32)
                .unwrap_or(1)
        })
    }
}

/// A search box that resets to the first page as you type.
#[component]
pub fn SearchBox<T: Send + Sync + 'static>(listing: Listing<T>, label: AdminKey) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field search-field">
            <label for="listing-search">{move || i18n.t(label)}</label>
            <input
                id="listing-search"
                type="search"
                autocomplete="off"
                prop:value=move || listing.search.get()
                on:input=move |ev| {
                    listing.page.set(1);
                    listing.search.set(event_target_value(&ev));
                }
            />
        </div>
    }
}

/// Previous / next and where you are.
#[component]
pub fn Pager<T: Send + Sync + 'static>(listing: Listing<T>) -> impl IntoView {
    let i18n = use_i18n();
    let total = move || {
        listing
            .data
            .with(|d| d.as_ref().map(|p| p.total).unwrap_or(0))
    };
    view! {
        <nav class="pager" aria-label=move || i18n.t(AdminKey::Pagination)>
            <button
                type="button"
                disabled={move || listing.page.get() <= 1}
                on:click=move |_| listing.page.update(|p| *p = p.saturating_sub(1).max(1))
            >
                {move || i18n.t(AdminKey::PreviousPage)}
            </button>
            <span aria-live="polite">
                {move || {
                    i18n.format(
                        AdminKey::PageOf,
                        &[
                            ("page", &i18n.count(listing.page.get().into())),
                            ("pages", &i18n.count(listing.pages().into())),
                        ],
                    )
                }}
                " · "
                {move || i18n.format(AdminKey::TotalCount, &[("count", &i18n.count(total()))])}
            </span>
            <button
                type="button"
                disabled={move || listing.page.get() >= listing.pages()}
                on:click=move |_| listing.page.update(|p| *p += 1)
            >
                {move || i18n.t(AdminKey::NextPage)}
            </button>
        </nav>
    }
}

/// A column heading: its text, and whether it holds numbers (right-aligned).
pub type Column = (AdminKey, bool);

/// The body of a listing page: errors, the table (one row per item, drawn by `row`), a note
/// when nothing matches, and the pager.
#[component]
pub fn ListingView<T, R, V>(
    listing: Listing<T>,
    /// Names the table's scrollable region for screen readers.
    label: AdminKey,
    columns: Vec<Column>,
    row: R,
) -> impl IntoView
where
    T: Keyed + Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let empty = move || {
        listing
            .data
            .with(|d| d.as_ref().is_some_and(|p| p.items.is_empty()))
    };
    view! {
        <ErrorAlert failure=listing.failure/>
        // Focusable so keyboard users can scroll a wide table on a narrow screen.
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || i18n.t(label)>
            <table>
                <thead>
                    <tr>
                        {columns
                            .into_iter()
                            .map(|(key, numeric)| {
                                view! {
                                    <th scope="col" class:numeric=numeric>{move || i18n.t(key)}</th>
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For each=move || listing.items() key=Keyed::key children=row/>
                </tbody>
            </table>
        </div>
        <Show when=empty>
            <p class="muted">{move || i18n.t(AdminKey::NoResults)}</p>
        </Show>
        <Pager listing=listing/>
    }
}
