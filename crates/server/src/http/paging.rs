//! One shape for every paged listing: clamp the paging, fetch, wrap in `Page`.

use std::future::Future;

use rekey_core::dto::{ListQuery, Page};

use super::error::AppError;
use super::extract::Json;

pub async fn page_of<T, Fut>(
    query: &ListQuery,
    fetch: impl FnOnce(Option<String>, u32, u32) -> Fut,
) -> Result<Json<Page<T>>, AppError>
where
    Fut: Future<Output = Result<(Vec<T>, u64), sqlx::Error>>,
{
    let (page, per_page) = query.paging();
    let (items, total) = fetch(query.search(), page, per_page).await?;
    Ok(Json(Page {
        items,
        total,
        page,
        per_page,
    }))
}
