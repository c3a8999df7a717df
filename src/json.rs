//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, with serde between them
//! and our types (reading through [`decoder`], writing through serde-wasm-bindgen): the bundles
//! then carry no JSON parser or printer of their own (docs/performance.md).

mod decoder;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `text` decoded as a `T`; `None` when it is not JSON of that shape.
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    decode(js_sys::JSON::parse(text).ok()?)
}

/// A value the browser already parsed (a response's `json()`), as a `T`.
pub fn decode<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    T::deserialize(decoder::Value(value)).ok()
}

/// `value` as JSON text, as serde_json would write it (maps as objects, `None` as `null`). It
/// stays a JavaScript string: a request body goes back to the browser as it is.
pub fn stringify<T: Serialize>(value: &T) -> Option<js_sys::JsString> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::collections::BTreeMap;

    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};
    use serde::{Deserialize, Serialize};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{parse, stringify};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Colour {
        Red,
        DarkBlue,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        count: u8,
        ratio: f64,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        name: String,
        colour: Colour,
        inner: Inner,
        list: Vec<i32>,
        maybe: Option<u32>,
        #[serde(default)]
        missing: Option<String>,
        map: BTreeMap<String, bool>,
        #[serde(flatten)]
        rest: BTreeMap<String, String>,
    }

    const OUTER: &str = r#"{"name":"Ann","colour":"dark_blue","inner":{"count":255,"ratio":0.5},
        "list":[-1,0,2],"maybe":null,"map":{"a":true,"b":false},"extra":"kept"}"#;

    fn outer() -> Outer {
        Outer {
            name: "Ann".into(),
            colour: Colour::DarkBlue,
            inner: Inner {
                count: 255,
                ratio: 0.5,
            },
            list: vec![-1, 0, 2],
            maybe: None,
            missing: None,
            map: [("a".into(), true), ("b".into(), false)].into(),
            rest: [("extra".into(), "kept".into())].into(),
        }
    }

    #[wasm_bindgen_test]
    fn reads_every_json_kind_into_its_type() {
        assert_eq!(parse::<Outer>(OUTER), Some(outer()));
        assert_eq!(parse::<Option<u32>>("7"), Some(Some(7)));
        assert_eq!(parse::<f64>("3"), Some(3.0));
        assert_eq!(parse::<Colour>(r#""red""#), Some(Colour::Red));
    }

    #[wasm_bindgen_test]
    fn reads_free_form_json() {
        let value: serde_json::Value = parse(r#"{"a":[1,2.5,"x",null,{"b":false}]}"#).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": [1, 2.5, "x", null, {"b": false}]})
        );
    }

    #[wasm_bindgen_test]
    fn what_it_writes_it_reads_back() {
        let text = String::from(stringify(&outer()).unwrap());
        assert_eq!(parse::<Outer>(&text), Some(outer()));
    }

    /// A random JSON value, up to `depth` levels deep: every kind, awkward strings and keys,
    /// integers JavaScript holds exactly and finite floats.
    fn random_value(rng: &mut SmallRng, depth: u8) -> serde_json::Value {
        use serde_json::Value;
        const TEXTS: [&str; 8] = [
            "",
            "a",
            "é漢👩",
            "\"quoted\"",
            "back\\slash",
            "\u{0}\n\t",
            "</script>",
            "null",
        ];
        let pick = if depth == 0 {
            rng.gen_range(0..5)
        } else {
            rng.gen_range(0..7)
        };
        match pick {
            0 => Value::Null,
            1 => Value::Bool(rng.gen()),
            2 => Value::from(rng.gen_range(-(1i64 << 53)..(1i64 << 53))),
            // Never whole: JavaScript reads 1.0 back as 1.
            3 => Value::from((f64::from(rng.gen::<i32>()) + 0.5) / 64.0),
            4 => Value::from(TEXTS[rng.gen_range(0..TEXTS.len())]),
            5 => (0..rng.gen_range(0..4))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
            _ => (0..rng.gen_range(0..4))
                .map(|i| {
                    (
                        format!("{}{i}", TEXTS[rng.gen_range(0..TEXTS.len())]),
                        random_value(rng, depth - 1),
                    )
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    /// Many random values, each seeded by its number (a failure names the seed to replay).
    const SEEDS: std::ops::Range<u64> = 0..300;

    #[wasm_bindgen_test]
    fn any_json_reads_back_as_written() {
        for seed in SEEDS {
            let value = random_value(&mut SmallRng::seed_from_u64(seed), 4);
            let text = serde_json::to_string(&value).unwrap();
            assert_eq!(
                parse::<serde_json::Value>(&text),
                Some(value),
                "seed {seed}: {text}"
            );
        }
    }

    #[wasm_bindgen_test]
    fn broken_or_foreign_json_is_none_or_a_value_never_a_panic() {
        for seed in SEEDS {
            let mut rng = SmallRng::seed_from_u64(seed);
            let text = serde_json::to_string(&random_value(&mut rng, 4)).unwrap();
            let cut: String = text
                .chars()
                .take(rng.gen_range(0..=text.chars().count()))
                .collect();
            for candidate in [cut.clone(), format!("{cut}}}"), text.replace(':', ",")] {
                // Reading any of the API's answers from it never panics (a panic aborts the
                // page in release builds).
                let _ = parse::<serde_json::Value>(&candidate);
                let _ = parse::<rekey_core::dto::ResetState>(&candidate);
                let _ = parse::<rekey_core::dto::SessionInfo>(&candidate);
                let _ = parse::<rekey_core::error::ApiError>(&candidate);
            }
        }
    }

    #[wasm_bindgen_test]
    fn another_shape_is_none() {
        for wrong in [
            r#"{"count":256,"ratio":1}"#,
            r#"{"count":-1,"ratio":1}"#,
            r#"{"count":1.5,"ratio":1}"#,
            r#"{"count":"1","ratio":1}"#,
            r#"{"ratio":1}"#,
            "null",
            "not json",
        ] {
            assert_eq!(parse::<Inner>(wrong), None, "{wrong}");
        }
        assert_eq!(parse::<Colour>(r#""green""#), None);
        assert_eq!(parse::<Colour>(r#"{"red":null}"#), None);
        assert_eq!(parse::<Vec<u8>>(r#"[1,"2"]"#), None);
        assert_eq!(parse::<Outer>(&OUTER.replace("255", "\"x\"")), None);
    }
}
