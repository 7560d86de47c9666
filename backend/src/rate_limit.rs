//! Per-address rate limiting of the API, with the `X-RateLimit-*` headers the Italian
//! interoperability guidelines ask for on every answer, and 429 + `Retry-After` past the
//! limit. A fixed window per client address, in memory: each replica limits on its own,
//! which is the point (it protects that replica).
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{ResponseError, web};

use crate::error::ApiError;

pub const LIMIT_HEADER: &str = "x-ratelimit-limit";
pub const REMAINING_HEADER: &str = "x-ratelimit-remaining";
pub const RESET_HEADER: &str = "x-ratelimit-reset";

/// The quota left to one address in the current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset: u64,
    pub allowed: bool,
}

/// Requests allowed per address per window.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            windows: Mutex::default(),
        }
    }

    /// Counts one request from `address` and says whether it may proceed.
    pub fn hit(&self, address: IpAddr, now: Instant) -> Quota {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 100_000 {
            let window = self.window;
            windows.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = windows.entry(address).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let elapsed = now.duration_since(entry.0);
        Quota {
            limit: self.limit,
            remaining: self.limit.saturating_sub(entry.1),
            reset: self.window.saturating_sub(elapsed).as_secs().max(1),
            allowed: entry.1 <= self.limit,
        }
    }
}

/// Middleware: applies the limit to what the router serves as the API (`/api/…`, however
/// its path is escaped) and sets the headers on their answers.
pub async fn limit_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limiter = req.app_data::<web::Data<RateLimiter>>().cloned();
    let address = crate::client_address::client_ip(req.request());
    // The path as the router reads it (percent-escapes of plain characters decoded), not as
    // sent: `/%61pi/v1/…` is routed to the API and must count against the same limit.
    let routed = actix_router::Url::new(req.uri().clone());
    let (Some(limiter), Some(address), true) =
        (limiter, address, routed.path().starts_with("/api/"))
    else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let quota = limiter.hit(address, Instant::now());
    let mut response = if quota.allowed {
        next.call(req).await?.map_into_boxed_body()
    } else {
        let response = ApiError::TooManyRequests(Duration::from_secs(quota.reset)).error_response();
        req.into_response(response)
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (LIMIT_HEADER, u64::from(quota.limit)),
        (REMAINING_HEADER, u64::from(quota.remaining)),
        (RESET_HEADER, quota.reset),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_limit_per_window() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let start = Instant::now();
        let quotas: Vec<Quota> = (0..4).map(|_| limiter.hit(a, start)).collect();
        assert_eq!(
            quotas.iter().map(|q| q.remaining).collect::<Vec<_>>(),
            [2, 1, 0, 0]
        );
        assert_eq!(
            quotas.iter().map(|q| q.allowed).collect::<Vec<_>>(),
            [true, true, true, false]
        );
        assert_eq!(quotas[3].reset, 60);
        assert!(limiter.hit(b, start).allowed, "addresses are counted apart");
        let later = limiter.hit(a, start + Duration::from_secs(45));
        assert_eq!((later.allowed, later.reset), (false, 15));
        assert!(
            limiter.hit(a, start + Duration::from_secs(60)).allowed,
            "a new window starts"
        );
    }
}
