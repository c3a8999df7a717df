//! Text put into HTML the server writes: the SPA pages' first paint and the emails.

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_become_entities() {
        assert_eq!(
            super::escape(r#"<a href="x">A & B</a>"#),
            "&lt;a href=&quot;x&quot;&gt;A &amp; B&lt;/a&gt;"
        );
    }
}
