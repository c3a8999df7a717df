//! The CSV import, the one input the server parses by hand, over many generated files (proptest,
//! bounded, reproducible with `PROPTEST_RNG_SEED`): whatever the file, the answer is a report
//! or a clear 4xx, never a server error, and a dry run creates nobody.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

use crate::common::*;

/// One field: plain values, values the checks refuse, and the CSV syntax that breaks naive
/// parsers (quotes, separators, line breaks, a byte-order mark, controls, long runs).
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("new.person@contoso.example".to_string()),
        Just("adele.vance@contoso.example".to_string()),
        Just("Sales; Engineering".to_string()),
        Just("+44 7700 900123".to_string()),
        Just("\"quoted, with comma\"".to_string()),
        Just("\"unterminated".to_string()),
        Just("a\"b".to_string()),
        Just("\u{feff}sign_in_name".to_string()),
        Just("x".repeat(300)),
        "[a-zA-Z0-9@.;+ ,\"\r\n\t\u{0}\u{85}é漢👩-]{0,24}",
    ]
}

fn csv_file() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("sign_in_name,display_name".to_string()),
        Just("sign_in_name,display_name,email,mobile_phone,groups".to_string()),
        Just("SIGN_IN_NAME;DISPLAY_NAME".to_string()),
        field(),
    ];
    let row = proptest::collection::vec(field(), 0..6).prop_map(|fields| fields.join(","));
    let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
    (header, proptest::collection::vec(row, 0..8), ending).prop_map(|(header, rows, ending)| {
        std::iter::once(header)
            .chain(rows)
            .collect::<Vec<_>>()
            .join(ending)
    })
}

async fn any_csv_gets_a_report_or_a_clear_refusal(backend: Backend) {
    let server = start(backend).await;
    let admin = server.actor(USER_ADMIN).await;
    let total = || async {
        admin.get("/users?per_page=1").await["total"]
            .as_u64()
            .unwrap()
    };
    let before = total().await;
    let created = std::cell::Cell::new(0);
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    let outcome = runner.run(&(csv_file(), any::<bool>()), |(csv, dry_run)| {
        let (status, body) = tokio::task::block_in_place(|| {
            handle.block_on(async {
                let r = admin
                    .post("/users/import", json!({"csv": csv, "dry_run": dry_run}))
                    .await;
                let status = r.status().as_u16();
                (status, r.json::<Value>().await.unwrap_or(Value::Null))
            })
        });
        prop_assert!(matches!(status, 200 | 400 | 413 | 422), "{status} {body}");
        if status == 200 {
            let problems = body["problems"].as_array().map_or(0, Vec::len);
            let count = body["created"].as_u64().unwrap_or(u64::MAX);
            // All or nothing, and nothing on a dry run.
            if dry_run || problems > 0 {
                prop_assert_eq!(count, 0, "{}", body);
            }
            created.set(created.get() + count);
        } else {
            prop_assert!(body["error"]["code"].is_string(), "{body}");
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    assert_eq!(
        total().await,
        before + created.get(),
        "exactly the reported users"
    );
}

crate::on_both_databases!(any_csv_gets_a_report_or_a_clear_refusal);
