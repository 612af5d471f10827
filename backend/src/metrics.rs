//! Prometheus metrics: requests by route and status, latency, database pool use, and push
//! delivery.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};
use sea_orm::DatabaseConnection;

use crate::error::ApiError;
use crate::state::AppState;

/// The registry and the instruments the middleware records into.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    /// Push deliveries, by what became of them.
    pub push: PushMetrics,
}

/// The instruments of push delivery.
#[derive(Clone)]
pub struct PushMetrics {
    /// Messages the provider accepted.
    pub sent: IntCounter,
    /// Messages refused for good, by the provider's reason.
    pub failed: IntCounterVec,
    /// Attempts that will be made again.
    pub retried: IntCounter,
    /// Messages not sent: too old (`expired`) or their device is gone (`no_token`).
    pub dropped: IntCounterVec,
    /// Deliveries waiting, held by quiet hours or leased.
    pub queue_depth: IntGauge,
    /// Age of the oldest of them, in seconds.
    pub oldest_age_seconds: IntGauge,
}

impl PushMetrics {
    fn new(registry: &Registry) -> Result<Self, prometheus::Error> {
        let metrics = Self {
            sent: IntCounter::new("push_sent_total", "Push messages the provider accepted")?,
            failed: IntCounterVec::new(
                Opts::new(
                    "push_failed_total",
                    "Push messages refused for good, by reason",
                ),
                &["reason"],
            )?,
            retried: IntCounter::new("push_retried_total", "Push attempts to be made again")?,
            dropped: IntCounterVec::new(
                Opts::new("push_dropped_total", "Push messages not sent, by reason"),
                &["reason"],
            )?,
            queue_depth: IntGauge::new("push_queue_depth", "Push deliveries waiting")?,
            oldest_age_seconds: IntGauge::new(
                "push_oldest_pending_age_seconds",
                "Age of the oldest push delivery waiting",
            )?,
        };
        registry.register(Box::new(metrics.sent.clone()))?;
        registry.register(Box::new(metrics.failed.clone()))?;
        registry.register(Box::new(metrics.retried.clone()))?;
        registry.register(Box::new(metrics.dropped.clone()))?;
        registry.register(Box::new(metrics.queue_depth.clone()))?;
        registry.register(Box::new(metrics.oldest_age_seconds.clone()))?;
        Ok(metrics)
    }
}

impl Metrics {
    /// Creates the instruments in a registry of their own, so that several servers in one
    /// process (as in tests) do not share counts.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("xodim".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
            &["route", "method"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        let push = PushMetrics::new(&registry)?;
        Ok(Self {
            registry,
            requests,
            latency,
            pool,
            push,
        })
    }

    fn observe_pool(&self, db: &DatabaseConnection) {
        let (size, idle) = match db.get_database_backend() {
            sea_orm::DbBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => {
                let pool = db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
        };
        let idle = i64::try_from(idle).unwrap_or(i64::MAX);
        self.pool.with_label_values(&["open"]).set(i64::from(size));
        self.pool.with_label_values(&["idle"]).set(idle);
        self.pool
            .with_label_values(&["in_use"])
            .set(i64::from(size) - idle);
    }
}

/// Middleware that counts each request under its route pattern (never the raw path, which
/// would carry ids and explode the label set).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().to_string();
    let res = next.call(req).await?;
    if let Some(state) = state {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".into());
        let status = res.status().as_u16().to_string();
        let metrics = &state.metrics;
        metrics
            .requests
            .with_label_values(&[&route, &method, &status])
            .inc();
        metrics
            .latency
            .with_label_values(&[&route, &method])
            .observe(started.elapsed().as_secs_f64());
    }
    Ok(res)
}

/// `GET /metrics` in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn export(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.metrics.observe_pool(&state.db);
    let mut buffer = Vec::new();
    TextEncoder::new()
        .encode(&state.metrics.registry.gather(), &mut buffer)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(buffer))
}
