//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, with serde-wasm-bindgen
//! between them and our types: the bundles then carry no JSON parser or printer of their own
//! (docs/performance.md).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// `text` decoded as a `T`; `None` when it is not JSON of that shape.
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    decode(js_sys::JSON::parse(text).ok()?)
}

/// A value the browser already parsed (a response's `json()`), as a `T`.
pub fn decode<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    serde_wasm_bindgen::from_value(value).ok()
}

/// `value` as JSON text, as serde_json would write it (maps as objects, `None` as `null`). It
/// stays a JavaScript string: a request body goes back to the browser as it is.
pub fn stringify<T: Serialize>(value: &T) -> Option<js_sys::JsString> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()
}
