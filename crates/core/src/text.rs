//! Which characters any text a client sends may hold: the one input rule, enforced by the API's
//! JSON, path and query extractors for every endpoint (and by the page's own field checks).
//!
//! No control characters (C0, DEL, C1): nobody types them, PostgreSQL refuses NUL outright
//! while SQLite stores it, and they corrupt logs, CSV and emails. Multi-line fields (the CSV
//! import's file, a PEM certificate) may also hold tab, line feed and carriage return.

/// JSON fields whose text runs over several lines.
pub const MULTILINE_FIELDS: [&str; 2] = ["csv", "ca_pem"];

/// Whether `c` may appear in a text input; `multiline` for the fields that take lines.
pub fn is_allowed(c: char, multiline: bool) -> bool {
    !c.is_control() || (multiline && matches!(c, '\t' | '\n' | '\r'))
}

/// Whether every character of `text` is allowed.
pub fn is_clean(text: &str, multiline: bool) -> bool {
    text.chars().all(|c| is_allowed(c, multiline))
}

/// Whether the JSON field named `field` takes several lines.
pub fn is_multiline_field(field: &str) -> bool {
    MULTILINE_FIELDS.contains(&field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_refused_except_line_breaks_in_multiline_fields() {
        assert!(is_clean("Ada Lovelace 艾达 ✓", false));
        for bad in [
            "a\0b",
            "a\u{7}",
            "a\u{7f}",
            "a\u{85}",
            "a\u{9f}",
            "tab\there",
        ] {
            assert!(!is_clean(bad, false), "{bad:?}");
        }
        assert!(is_clean("a,b\r\nc\td", true));
        assert!(!is_clean("a\0b", true));
        assert!(is_multiline_field("csv"));
        assert!(is_multiline_field("ca_pem"));
        assert!(is_multiline_field("ca_pem"));
        assert!(!is_multiline_field("helpdesk_contact"));
    }
}
