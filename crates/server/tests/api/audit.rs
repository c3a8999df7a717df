//! The audit log: filters, paging by cursor, the client of each request, and CSV export.

use serde_json::{json, Value};

use crate::common::*;

const AGENT: &str = "AuditTest/1.0 (phone)";

/// Failed sign-ins for `name` from a client that names itself `AGENT`.
async fn failed_sign_ins(server: &TestServer, name: &str, times: usize) {
    let client = reqwest::Client::builder()
        .user_agent(AGENT)
        .build()
        .unwrap();
    for _ in 0..times {
        let r = server.attempt_sign_in(&client, name, "not it").await;
        assert_eq!(r.status(), 401);
    }
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().cloned().unwrap_or_default()
}

fn actions(page: &Value) -> Vec<String> {
    items(page)
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

async fn admins_narrow_the_log_by_user_action_outcome_date_and_text(backend: Backend) {
    let server = start(backend).await;
    failed_sign_ins(&server, "Ghost@Contoso.example", 3).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let allow = json!({"allowed_origins": ["https://portal.contoso.example"]});
    assert_eq!(admin.put("/settings/embedding", allow).await.status(), 200);

    // By user: what was done by or to the name, whatever case it is typed in.
    let ghost = admin.get("/audit?user=GHOST@contoso.example").await;
    assert_eq!(actions(&ghost), ["sign_in_failed"; 3]);
    for event in items(&ghost) {
        assert_eq!(event["outcome"], "failure");
        assert_eq!(event["target"], "ghost@contoso.example");
        assert_eq!(event["client_ip"], "127.0.0.1", "{event}");
        assert_eq!(event["user_agent"], AGENT);
    }
    assert_eq!(ghost["next"], Value::Null);

    let changed = admin.get("/audit?action=embedding_changed").await;
    assert_eq!(actions(&changed), ["embedding_changed"]);
    let event = &items(&changed)[0];
    assert_eq!(event["actor"], GLOBAL_ADMIN);
    assert_eq!(event["outcome"], "success");
    assert_eq!(
        event["new_value"]["allowed_origins"],
        json!(["https://portal.contoso.example"])
    );
    assert_eq!(event["client_ip"], "127.0.0.1", "every request's client");

    let failures = admin.get("/audit?outcome=failure&per_page=100").await;
    assert_eq!(actions(&failures), ["sign_in_failed"; 3]);
    let successes = admin.get("/audit?outcome=success&per_page=100").await;
    assert!(items(&successes)
        .iter()
        .all(|e| e["outcome"] == "success" && e["action"] != "sign_in_failed"));
    assert!(!items(&successes).is_empty());

    // Text: part of a name, in any case.
    assert_eq!(items(&admin.get("/audit?q=HOST@CON").await).len(), 3);
    assert!(items(&admin.get("/audit?q=nobody-at-all").await).is_empty());
    // Dates: from (inclusive) and to (exclusive), in Unix seconds.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let in_range = format!(
        "/audit?user=ghost@contoso.example&from={}&to={}",
        now - 600,
        now + 600
    );
    assert_eq!(items(&admin.get(&in_range).await).len(), 3);
    let later = format!("/audit?from={}", now + 600);
    assert!(items(&admin.get(&later).await).is_empty());
    let earlier = format!("/audit?to={}", now - 600);
    assert!(items(&admin.get(&earlier).await).is_empty());

    // Filters combine.
    let both = admin
        .get("/audit?user=ghost@contoso.example&action=embedding_changed")
        .await;
    assert!(items(&both).is_empty());

    // A filter that is not one is refused, not ignored.
    let r = admin
        .send(reqwest::Method::GET, "/audit?action=launch_rockets", None)
        .await;
    assert_eq!(error_code(r, 400).await, "invalid_parameter");
    let r = admin
        .send(reqwest::Method::GET, "/audit?outcome=maybe", None)
        .await;
    assert_eq!(error_code(r, 400).await, "invalid_parameter");

    // Only admins read it.
    let user = server.actor(USER_OUTSIDE).await;
    let r = user.send(reqwest::Method::GET, "/audit", None).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
}

async fn pages_follow_one_another_by_cursor_without_gaps_or_repeats(backend: Backend) {
    let server = start(backend).await;
    failed_sign_ins(&server, "paging@contoso.example", 7).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let whole = admin.get("/audit?per_page=100").await;
    let all_ids: Vec<Value> = items(&whole).iter().map(|e| e["id"].clone()).collect();
    assert!(all_ids.len() >= 8, "{whole}");

    let mut paged = Vec::new();
    let mut path = "/audit?per_page=3".to_string();
    loop {
        let page = admin.get(&path).await;
        let listed = items(&page);
        assert!(listed.len() <= 3);
        paged.extend(listed.iter().map(|e| e["id"].clone()));
        match page["next"].as_str() {
            Some(next) => path = format!("/audit?per_page=3&before={next}"),
            None => break,
        }
    }
    // New events (this admin's reads are not audited) would only add to the front.
    assert_eq!(paged, all_ids);
    let times: Vec<i64> = items(&whole)
        .iter()
        .map(|e| e["at"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    // A cursor that is not one reads from the newest.
    let odd = admin.get("/audit?per_page=3&before=garbage").await;
    assert_eq!(items(&odd)[0]["id"], all_ids[0]);
}

async fn the_filtered_view_exports_as_csv(backend: Backend) {
    let server = start(backend).await;
    // A name a spreadsheet would run as a formula.
    failed_sign_ins(&server, "=1+2@contoso.example", 2).await;
    let admin = server.actor(GLOBAL_ADMIN).await;
    let r = admin
        .send(reqwest::Method::GET, "/audit/export?outcome=failure", None)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"rekey-audit-"),
        "{disposition}"
    );
    let body = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "time_utc",
            "actor",
            "action",
            "outcome",
            "target",
            "client_ip",
            "user_agent",
            "old_value",
            "new_value"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{body}");
    for row in &rows {
        assert_eq!(&row[2], "sign_in_failed");
        assert_eq!(&row[3], "failure");
        assert_eq!(&row[4], "'=1+2@contoso.example", "never a formula");
        assert_eq!(&row[6], AGENT);
        assert!(row[0].ends_with('Z'), "{}", &row[0]);
    }
    // Unfiltered, it holds every event the listing does.
    let all = admin
        .send(reqwest::Method::GET, "/audit/export", None)
        .await
        .text()
        .await
        .unwrap();
    let listed = items(&admin.get("/audit?per_page=100").await).len();
    assert_eq!(
        csv::Reader::from_reader(all.as_bytes()).records().count(),
        listed
    );

    let user = server.actor(USER_OUTSIDE).await;
    let r = user.send(reqwest::Method::GET, "/audit/export", None).await;
    assert_eq!(error_code(r, 403).await, "forbidden");
}

crate::on_both_databases!(
    admins_narrow_the_log_by_user_action_outcome_date_and_text,
    pages_follow_one_another_by_cursor_without_gaps_or_repeats,
    the_filtered_view_exports_as_csv,
);
