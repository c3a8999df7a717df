//! Storage: one module per table family. Functions take the pool for reads and a connection
//! (usually a transaction) for writes that must commit together.

pub mod audit;
pub mod groups;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod users;

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
