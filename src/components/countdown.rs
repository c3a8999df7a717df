//! A number of seconds that counts down to zero while the component that asked for it is shown.

use std::time::Duration;

use leptos::prelude::*;

/// Seconds left, from `seconds`, one fewer each second until 0; the timer stops with the
/// component.
pub fn countdown(seconds: u64) -> RwSignal<u64> {
    let left = RwSignal::new(seconds);
    if let Ok(timer) = set_interval_with_handle(
        move || {
            if left.get_untracked() > 0 {
                left.update(|s| *s -= 1);
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || timer.clear());
    }
    left
}
