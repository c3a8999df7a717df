//! CSV answers: a header and rows streamed as they are read, never built whole in memory.

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};

/// A CSV download named `{name}-{date}.csv`: the header, then the rows.
pub fn download<S>(name: &str, header: &[&str], rows: S) -> Response
where
    S: Stream<Item = Result<Bytes, sqlx::Error>> + Send + 'static,
{
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let first = csv_row(&header);
    let body = futures_util::stream::once(async move { Ok(first) }).chain(rows);
    let date = time::OffsetDateTime::now_utc().date();
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}-{date}.csv\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// A moment as RFC 3339 (UTC), or empty.
pub fn time_text(unix_seconds: Option<i64>) -> String {
    unix_seconds
        .and_then(|at| time::OffsetDateTime::from_unix_timestamp(at).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// One CSV line. A field a spreadsheet would read as a formula (a typed sign-in name can be
/// anything) is quoted with a leading apostrophe, so opening the export runs nothing.
pub fn csv_row(fields: &[String]) -> Bytes {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let safe = fields.iter().map(|field| {
        if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{field}")
        } else {
            field.clone()
        }
    });
    // Writing to memory cannot fail.
    let _ = writer.write_record(safe);
    Bytes::from(writer.into_inner().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        let line = csv_row(&[
            "=HYPERLINK(\"x\")".to_string(),
            "a,b".to_string(),
            "plain".to_string(),
        ]);
        assert_eq!(
            std::str::from_utf8(&line).unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",plain\n"
        );
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(time_text(Some(86_400)), "1970-01-02T00:00:00Z");
        assert_eq!(time_text(None), "");
    }
}
