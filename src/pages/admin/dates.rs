//! Dates typed in and shown by the admin pages: the audit log's filters (local days) and the
//! reports' periods (UTC days, as the server counts them).

/// Local midnight at the start of a `YYYY-MM-DD` day, in Unix seconds; with `next`, the
/// midnight after it (so "to" includes its whole day).
pub fn day_start(date: &str, next: bool) -> Option<i64> {
    if date.len() != 10 {
        return None;
    }
    let day = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!(
        "{date}T00:00:00"
    )));
    let ms = day.get_time();
    if ms.is_nan() {
        return None;
    }
    if next {
        day.set_date(day.get_date() + 1);
    }
    Some((day.get_time() / 1000.0) as i64)
}

/// A UTC day as `YYYY-MM-DD`, from Unix seconds.
pub fn utc_date(unix_seconds: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        unix_seconds as f64 * 1000.0,
    ));
    format!(
        "{:04}-{:02}-{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date()
    )
}

/// The UTC midnight starting a `YYYY-MM-DD` day, in Unix seconds.
pub fn utc_day(date: &str) -> Option<i64> {
    if date.len() != 10 {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!(
        "{date}T00:00:00Z"
    )))
    .get_time();
    (!ms.is_nan()).then(|| (ms / 1000.0) as i64)
}
