//! Conditional requests: strong ETags computed from the representation itself, so two
//! different bodies never share one; `If-None-Match` answers 304 and `If-Match` guards
//! writes against lost updates (412).
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// The `If-Match` header of a conditional write, as the document declares it (handlers read
/// it with [`if_match`]).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // Describes the header for the document; never built.
pub struct IfMatch {
    /// ETag of the version being changed.
    #[param(rename = "If-Match", max_length = 1000)]
    if_match: Option<String>,
}

/// The strong ETag of a JSON representation.
pub fn etag_of(value: &impl Serialize) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    etag_of_bytes(&bytes)
}

/// The strong ETag of a body.
pub fn etag_of_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// 201 Created for a new resource at `location`, with its ETag (for a later `If-Match`);
/// never cached.
pub fn created(location: String, value: &impl Serialize) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::ETAG, etag_of(value)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(value)
}

/// 200 with a changed resource and its new ETag; never cached.
pub fn updated(value: &impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag_of(value)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(value)
}

/// A 200 JSON response with its ETag and `Cache-Control`, or 304 when the client's
/// `If-None-Match` already names that ETag.
pub fn json_with_etag(
    req: &HttpRequest,
    value: &impl Serialize,
    cache_control: &'static str,
) -> HttpResponse {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => return actix_web::ResponseError::error_response(&ApiError::Internal(e.into())),
    };
    let etag = etag_of_bytes(&body);
    let not_modified =
        header_tags(req, header::IF_NONE_MATCH).is_some_and(|tags| tags.matches(&etag));
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache_control));
    if not_modified {
        response.finish()
    } else {
        response.content_type("application/json").body(body)
    }
}

/// The entity tags a conditional header lists (`*` matches any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityTags(Vec<String>);

impl EntityTags {
    /// Strong comparison for `If-Match`; for `If-None-Match` a weak tag `W/"x"` of ours
    /// is never issued, so comparing the opaque part is enough either way.
    pub fn matches(&self, etag: &str) -> bool {
        self.0
            .iter()
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
    }
}

/// Longest `If-Match` accepted: a few dozen ETags.
pub const MAX_IF_MATCH_LEN: usize = 1000;

/// The tags in `If-Match`, if the request has one.
///
/// # Errors
/// `InvalidParameters` when the header is longer than any honest list of our ETags.
pub fn if_match(req: &HttpRequest) -> Result<Option<EntityTags>, ApiError> {
    let length: usize = req
        .headers()
        .get_all(header::IF_MATCH)
        .map(|v| v.len())
        .sum();
    if length > MAX_IF_MATCH_LEN {
        return Err(ApiError::InvalidParameters(vec![
            crate::error::FieldError::parameter("If-Match", "intestazione troppo lunga"),
        ]));
    }
    Ok(header_tags(req, header::IF_MATCH))
}

/// The tags in `If-None-Match`, if the request has one.
pub fn if_none_match(req: &HttpRequest) -> Option<EntityTags> {
    header_tags(req, header::IF_NONE_MATCH)
}

/// Whether `etag` satisfies an optional `If-Match`.
pub fn precondition_holds(if_match: Option<&EntityTags>, etag: &str) -> bool {
    if_match.is_none_or(|tags| tags.matches(etag))
}

fn header_tags(req: &HttpRequest, name: header::HeaderName) -> Option<EntityTags> {
    let values: Vec<String> = req
        .headers()
        .get_all(name)
        .filter_map(|v: &HeaderValue| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().to_owned())
        .filter(|tag| !tag.is_empty())
        .collect();
    (!values.is_empty()).then_some(EntityTags(values))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn different_bodies_have_different_etags() {
        assert_ne!(
            etag_of(&serde_json::json!({"a": 1})),
            etag_of(&serde_json::json!({"a": 2}))
        );
        assert_eq!(etag_of(&"x").len(), 34);
    }

    #[test]
    fn if_match_lists_and_wildcards_match() {
        let req = TestRequest::default()
            .insert_header((header::IF_MATCH, "\"a\", \"b\""))
            .to_http_request();
        let tags = if_match(&req).unwrap().unwrap();
        assert!(tags.matches("\"b\"") && !tags.matches("\"c\""));
        let req = TestRequest::default()
            .insert_header((header::IF_MATCH, "*"))
            .to_http_request();
        assert!(if_match(&req).unwrap().unwrap().matches("\"anything\""));
        assert!(precondition_holds(None, "\"x\""));
    }
}
