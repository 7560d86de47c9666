//! The public catalogue's rendered answers, kept for one catalogue generation: the
//! catalogue is read by many and written rarely, so each distinct answer (JSON page,
//! calendar) is rendered once per generation and served from memory with its ETag until
//! a committed write moves the head of the change log on (`app::catalogue::generation`).
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use actix_web::web::Bytes;
use sea_orm::DatabaseConnection;

use crate::app::{self, AppError};
use crate::domain::catalogue::CatalogueData;

/// Cached catalogue answers, valid for one catalogue generation.
#[derive(Default)]
pub struct CatalogueCache {
    inner: RwLock<CacheInner>,
}

#[derive(Default)]
struct CacheInner {
    generation: u64,
    snapshot: Option<Arc<CatalogueData>>,
    answers: HashMap<String, Cached>,
    /// Bytes of the bodies in `answers`.
    bytes: usize,
}

/// A rendered answer and its strong ETag.
#[derive(Clone)]
pub struct Cached {
    pub etag: String,
    pub body: Bytes,
    pub content_type: &'static str,
}

/// Most distinct answers kept at once; past it the cache starts afresh.
const MAX_CACHED_ANSWERS: usize = 2_000;
/// Most bytes of answers kept at once, whatever their number: a flood of distinct queries
/// for large answers cannot grow the server's memory past it.
const MAX_CACHED_BYTES: usize = 64 * 1024 * 1024;

impl CatalogueCache {
    pub fn lookup(&self, generation: u64, key: &str) -> Option<Cached> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        (inner.generation == generation)
            .then(|| inner.answers.get(key).cloned())
            .flatten()
    }

    /// The snapshot of `generation`, read from the database if the cache has none. The
    /// generation is read before the database, so a write during the read makes the
    /// snapshot stale at once rather than cached as current.
    ///
    /// # Errors
    /// Database errors.
    pub async fn snapshot(
        &self,
        db: &DatabaseConnection,
        generation: u64,
    ) -> Result<Arc<CatalogueData>, AppError> {
        {
            let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
            if let (true, Some(snapshot)) = (inner.generation == generation, &inner.snapshot) {
                return Ok(snapshot.clone());
            }
        }
        let snapshot = Arc::new(app::catalogue::snapshot(db).await?);
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if inner.generation != generation || inner.snapshot.is_none() {
            *inner = CacheInner {
                generation,
                snapshot: Some(snapshot.clone()),
                answers: HashMap::new(),
                bytes: 0,
            };
        }
        Ok(snapshot)
    }

    pub fn store(&self, generation: u64, key: String, cached: Cached) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if inner.generation != generation {
            return;
        }
        if inner.answers.len() >= MAX_CACHED_ANSWERS
            || inner.bytes + cached.body.len() > MAX_CACHED_BYTES
        {
            inner.answers.clear();
            inner.bytes = 0;
        }
        inner.bytes += cached.body.len();
        if let Some(replaced) = inner.answers.insert(key, cached) {
            inner.bytes -= replaced.body.len();
        }
    }
}
