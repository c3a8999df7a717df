//! Usage & insights.

use rekey_core::dto::{ActivityQuery, ActivityReport, Bucket, RegistrationReport};

use super::{get, Failure};

/// Who can reset; `fresh` counts now rather than take figures up to a minute old.
pub async fn registration(group: Option<&str>, fresh: bool) -> Result<RegistrationReport, Failure> {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    pairs.extend(group.map(|g| ("group", g.to_string())));
    if fresh {
        pairs.push(("fresh", "true".to_string()));
    }
    get("/reports/registration", &pairs).await
}

pub async fn activity(query: &ActivityQuery) -> Result<ActivityReport, Failure> {
    let mut pairs = Vec::new();
    pairs.extend(query.days.map(|d| ("days", d.to_string())));
    pairs.extend(query.from.map(|t| ("from", t.to_string())));
    pairs.extend(query.to.map(|t| ("to", t.to_string())));
    if query.bucket == Some(Bucket::Week) {
        pairs.push(("bucket", "week".to_string()));
    }
    get("/reports/activity", &pairs).await
}
