//! Users and groups listings: search, paging, permissions.

use serde_json::Value;

use crate::common::*;

async fn list(client: &reqwest::Client, url: String, query: &[(&str, &str)]) -> Value {
    let r = client.get(url).query(query).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn names(page: &Value, field: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[field].as_str().unwrap().to_string())
        .collect()
}

async fn users_are_searched_and_paged(backend: Backend) {
    let server = start(backend).await;
    let (client, _) = server.sign_in(HELPDESK_ADMIN).await;
    let all = list(&client, server.api("/users"), &[]).await;
    assert_eq!(all["total"], 11);
    assert_eq!(all["page"], 1);
    let sorted = names(&all, "sign_in_name");
    let mut expected = sorted.clone();
    expected.sort();
    assert_eq!(sorted, expected, "ordered by sign-in name");

    let found = list(&client, server.api("/users"), &[("q", "VANCE")]).await;
    assert_eq!(
        names(&found, "sign_in_name"),
        vec![USER_IN_PILOT.to_string()],
        "display name, any case"
    );
    let admin = &list(&client, server.api("/users"), &[("q", "global.admin")]).await["items"][0];
    assert_eq!(admin["roles"], serde_json::json!(["global_admin"]));
    assert_eq!(admin["enabled"], true);

    let page1 = list(&client, server.api("/users"), &[("per_page", "4")]).await;
    let page3 = list(
        &client,
        server.api("/users"),
        &[("per_page", "4"), ("page", "3")],
    )
    .await;
    assert_eq!(names(&page1, "sign_in_name"), sorted[..4].to_vec());
    assert_eq!(names(&page3, "sign_in_name"), sorted[8..].to_vec());
    // Wildcards are literal; odd input is harmless.
    let none = list(&client, server.api("/users"), &[("q", "%_%")]).await;
    assert_eq!(none["total"], 0);
}

async fn groups_show_member_counts(backend: Backend) {
    let server = start(backend).await;
    let (client, _) = server.sign_in(REPORTS_READER).await;
    let page = list(&client, server.api("/groups"), &[("q", "pilot")]).await;
    assert_eq!(page["total"], 1);
    let pilot = &page["items"][0];
    assert_eq!(pilot["name"], "SSPR pilot");
    assert_eq!(pilot["member_count"], 2, "one user and one nested group");
    let all = list(&client, server.api("/groups"), &[]).await;
    assert_eq!(all["total"], 5);
}

async fn listings_need_an_admin_and_sane_parameters(backend: Backend) {
    let server = start(backend).await;
    let (user, _) = server.sign_in(USER_OUTSIDE).await;
    let r = user.get(server.api("/users")).send().await.unwrap();
    assert_eq!(error_code(r, 403).await, "forbidden");
    let r = server
        .client()
        .get(server.api("/groups"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_code(r, 401).await, "unauthenticated");
    let (admin, _) = server.sign_in(GLOBAL_ADMIN).await;
    for query in [
        [("page", "minus-one")],
        [("per_page", "1e9")],
        [("colour", "blue")],
    ] {
        let r = admin
            .get(server.api("/users"))
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(error_code(r, 400).await, "invalid_parameter", "{query:?}");
    }
    let clamped = list(&admin, server.api("/users"), &[("per_page", "100000")]).await;
    assert_eq!(clamped["per_page"], 100);
}

crate::on_both_databases!(
    users_are_searched_and_paged,
    groups_show_member_counts,
    listings_need_an_admin_and_sane_parameters,
);
