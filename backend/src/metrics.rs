//! Prometheus metrics at `GET /metrics`: requests and their latency by route pattern and
//! status, the database pool, the outbox backlog and the catalogue cache. Labels are route
//! patterns (`/api/v1/courses/{id}`), never paths or query strings, so the series stay few
//! and carry no personal data. The endpoint sits outside `/api`, which is all the public
//! nginx forwards: operators scrape each replica on its own address.
use chrono::Utc;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::{DatabaseConnection, DbBackend};

use crate::store;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    outcome: &'static str,
}

/// Latency buckets from 1 ms to about 16 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// The metrics of one server process.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    pool: Family<PoolLabels, Gauge>,
    outbox_pending: Gauge,
    outbox_oldest_seconds: Gauge,
    catalogue_cache: Family<CacheLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("cabina");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        let outbox_pending = Gauge::default();
        let outbox_oldest_seconds = Gauge::default();
        let catalogue_cache = Family::<CacheLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route pattern and status",
            latency.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections of this process, in use and idle",
            pool.clone(),
        );
        registry.register(
            "outbox_pending_messages",
            "E-mails queued and not yet sent",
            outbox_pending.clone(),
        );
        registry.register(
            "outbox_oldest_pending_age_seconds",
            "Age of the oldest e-mail not yet sent (0 when none waits)",
            outbox_oldest_seconds.clone(),
        );
        registry.register(
            "catalogue_cache_lookups",
            "Public catalogue answers looked up in memory, by outcome (hit or miss)",
            catalogue_cache.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            pool,
            outbox_pending,
            outbox_oldest_seconds,
            catalogue_cache,
        }
    }
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        // Any token is a valid HTTP method: an unknown one must not make a new series.
        let method = match method {
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" => method,
            _ => "OTHER",
        };
        let labels = RequestLabels {
            method: method.to_owned(),
            route: route.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// Counts one lookup in the public catalogue's cache.
    pub fn observe_catalogue_cache(&self, hit: bool) {
        let outcome = if hit { "hit" } else { "miss" };
        self.catalogue_cache
            .get_or_create(&CacheLabels { outcome })
            .inc();
    }

    /// Reads what is sampled rather than counted (pool, outbox), then renders everything
    /// in Prometheus' text format.
    pub async fn render(&self, db: &DatabaseConnection) -> anyhow::Result<String> {
        let (size, idle) = pool_use(db);
        self.pool
            .get_or_create(&PoolLabels { state: "idle" })
            .set(idle);
        self.pool
            .get_or_create(&PoolLabels { state: "in_use" })
            .set(size - idle);
        let (pending, oldest) = store::outbox::backlog(db).await?;
        self.outbox_pending
            .set(i64::try_from(pending).unwrap_or(i64::MAX));
        self.outbox_oldest_seconds
            .set(oldest.map_or(0, |t| (Utc::now() - t).num_seconds().max(0)));
        let mut text = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// The pool's size and idle connections.
fn pool_use(db: &DatabaseConnection) -> (i64, i64) {
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    (i64::from(size), i64::try_from(idle).unwrap_or(i64::MAX))
}
