//! What the listing benchmarks share: timing GET requests over real HTTP and printing their
//! latency percentiles.

use std::time::{Duration, Instant};

/// Sends each `(label, path)` request `runs` times to `base` (each must answer 200) and prints
/// a table of p50, p95 and max milliseconds.
pub async fn report_gets(
    client: &reqwest::Client,
    base: &str,
    requests: &[(&str, &str)],
    runs: usize,
) {
    println!(
        "{:<44} {:>8} {:>8} {:>8}",
        "request", "p50 ms", "p95 ms", "max ms"
    );
    for (label, path) in requests {
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            let response = client.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.bytes().await.unwrap();
            times.push(started.elapsed());
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{label:<44} {:>8.1} {:>8.1} {:>8.1}",
            ms(times[runs / 2]),
            ms(times[runs * 95 / 100]),
            ms(times[runs - 1])
        );
    }
}
