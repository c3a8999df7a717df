//! Storage: one module per table family. Functions take the pool for reads and a connection
//! (usually a transaction) for writes that must commit together.

pub mod audit;
pub mod codes;
mod conditions;
pub mod coverage;
pub mod directory_mirror;
pub mod directory_writes;
pub mod groups;
pub mod outbox;
pub mod passkeys;
pub mod password_history;
pub mod rate_events;
pub mod report_snapshots;
pub mod reports;
pub mod reset;
pub mod security_info;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod user_list;
pub mod users;

/// A `WHERE` clause keeping the rows whose `column` contains the search text, bound as `$1`;
/// without a search it keeps every row (and `$1` is bound to NULL, so the numbering holds).
pub struct SearchFilter {
    pub clause: String,
    pub pattern: Option<String>,
}

pub fn search_filter(column: &str, search: Option<&str>) -> SearchFilter {
    let pattern = search.map(contains_pattern);
    let clause = if pattern.is_some() {
        format!("WHERE {column} LIKE $1 ESCAPE '\\'")
    } else {
        "WHERE $1 IS NULL".to_string()
    };
    SearchFilter { clause, pattern }
}

/// How many rows of `from` (a table, with an alias if the filter uses one) match the filter.
pub async fn count_matching(
    pool: &sqlx::AnyPool,
    from: &str,
    filter: &SearchFilter,
) -> Result<u64, sqlx::Error> {
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {from} {}", filter.clause))
        .bind(filter.pattern.clone())
        .fetch_one(pool)
        .await?;
    Ok(total.max(0) as u64)
}

/// `LIKE` pattern for a lower-cased search text, with the wildcards in it escaped.
pub fn contains_pattern(search: &str) -> String {
    let escaped = search
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The SQL `OFFSET` of a 1-based page.
pub fn offset(page: u32, per_page: u32) -> i64 {
    (i64::from(page) - 1) * i64::from(per_page)
}

/// A user's lower-cased "sign-in name + display name", which the Users page searches.
pub(crate) fn search_text(sign_in_name: &str, display_name: &str) -> String {
    format!("{sign_in_name} {display_name}").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_wildcards_are_taken_literally() {
        assert_eq!(contains_pattern("ada"), "%ada%");
        assert_eq!(contains_pattern("100%_x\\"), "%100\\%\\_x\\\\%");
    }

    #[test]
    fn pages_start_at_one() {
        assert_eq!(offset(1, 25), 0);
        assert_eq!(offset(3, 25), 50);
    }
}
