//! Prometheus metrics: request counts and latencies by route and status. The registry lives in
//! the app state (not a global), so several servers can run in one test process.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SyncLabels {
    /// `ok` or `failed`.
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChangeLabels {
    /// `users_added`, `users_changed`, `users_removed`, `groups_added`, ...
    pub change: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CoverageLabels {
    /// `in_scope` (users self-service reset covers) or `admins`.
    pub users: &'static str,
    /// `registered`, `partly` or `not_registered`.
    pub state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    /// `started`, `reset`, `unlock`, `abandoned`, `blocked`, `admin_reset`, `admin_unlock`.
    pub outcome: &'static str,
}

pub struct Metrics {
    registry: Registry,
    registration: Family<CoverageLabels, Gauge>,
    enabled_users: Gauge,
    reset_outcomes: Family<OutcomeLabels, Counter>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
    directory_syncs: Family<SyncLabels, Counter>,
    directory_changes: Family<ChangeLabels, Counter>,
    directory_last_sync: Gauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("rekey");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            latency.clone(),
        );
        let directory_syncs = Family::<SyncLabels, Counter>::default();
        let directory_changes = Family::<ChangeLabels, Counter>::default();
        let directory_last_sync = Gauge::default();
        registry.register(
            "directory_syncs",
            "Directory syncs this instance ran, by outcome",
            directory_syncs.clone(),
        );
        registry.register(
            "directory_sync_changes",
            "Entries the directory syncs of this instance added, changed or removed",
            directory_changes.clone(),
        );
        registry.register(
            "directory_last_sync_timestamp_seconds",
            "When this instance last finished a directory sync (Unix seconds)",
            directory_last_sync.clone(),
        );
        let registration = Family::<CoverageLabels, Gauge>::default();
        let enabled_users = Gauge::default();
        let reset_outcomes = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "registration_users",
            "Users by registration for self-service reset, organisation-wide (read at scrape)",
            registration.clone(),
        );
        registry.register(
            "enabled_users",
            "Enabled users, organisation-wide (read at scrape)",
            enabled_users.clone(),
        );
        registry.register(
            "reset_outcomes",
            "Reset flows begun and how they ended, and admin resets and unlocks, from the \
             audit log: organisation-wide, the same on every instance",
            reset_outcomes.clone(),
        );
        Metrics {
            registry,
            registration,
            enabled_users,
            reset_outcomes,
            requests,
            latency,
            directory_syncs,
            directory_changes,
            directory_last_sync,
        }
    }

    /// Counts one directory sync and what it changed.
    pub fn record_sync(&self, ok: bool, finished_at: i64, changes: &[(&'static str, u64)]) {
        let outcome = if ok { "ok" } else { "failed" };
        self.directory_syncs
            .get_or_create(&SyncLabels { outcome })
            .inc();
        for (change, count) in changes {
            self.directory_changes
                .get_or_create(&ChangeLabels { change })
                .inc_by(*count);
        }
        self.directory_last_sync.set(finished_at);
    }

    /// Sets the registration gauges: enabled users, and `(users, state, count)` figures.
    pub fn set_registration(
        &self,
        enabled_users: u64,
        figures: &[(&'static str, &'static str, u64)],
    ) {
        self.enabled_users.set(gauge_value(enabled_users));
        for &(users, state, count) in figures {
            self.registration
                .get_or_create(&CoverageLabels { users, state })
                .set(gauge_value(count));
        }
    }

    /// Brings the outcome counters up to the audit log's totals (they only ever grow).
    pub fn set_reset_outcomes(&self, totals: &[(&'static str, u64)]) {
        for &(outcome, total) in totals {
            let counter = self
                .reset_outcomes
                .get_or_create(&OutcomeLabels { outcome });
            counter.inc_by(total.saturating_sub(counter.get()));
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

fn gauge_value(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// Middleware: counts and times every request under its route pattern (never the raw path,
/// which would let clients create unbounded label sets).
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let labels = RequestLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    metrics.requests.get_or_create(&labels).inc();
    metrics
        .latency
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}
