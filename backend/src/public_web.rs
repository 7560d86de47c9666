//! How the public side of the API meets browsers and caches: `HEAD` wherever `GET` is,
//! CORS for the public catalogue (any origin, when the operator opens it), and
//! compression of public answers only.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

/// Every path of the public catalogue starts so.
const CATALOGUE: &str = "/api/v1/catalogue/";

/// What a browser script may read of a catalogue answer besides the simple headers.
const EXPOSED: &str =
    "ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset";

/// Answers `HEAD` on the API as `GET`. The HTTP layer still knows the request was a
/// `HEAD`, so it sends the `GET` answer's headers (its length included) without the body.
///
/// # Errors
/// Whatever the rest of the chain gives.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD && req.path().starts_with("/api/") {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

/// Compression only for what is public (the catalogue, the API document, the web
/// application's files): an answer that holds a secret next to something the client
/// chose could leak it through its compressed size (BREACH), so signed-in answers go
/// uncompressed.
///
/// # Errors
/// Whatever the rest of the chain gives.
pub async fn compress_public_only(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path();
    let private =
        path.starts_with("/api/") && !path.starts_with(CATALOGUE) && path != "/api/v1/openapi.json";
    if private {
        req.headers_mut().remove(header::ACCEPT_ENCODING);
    }
    let mut response = next.call(req).await?;
    weaken_encoded_etag(response.headers_mut());
    Ok(response)
}

/// A compressed body is not byte for byte the one its strong ETag names (RFC 9110 §8.8.1):
/// it gets the weak form of that ETag, as nginx does when it compresses. `If-None-Match`
/// compares weakly, so either form still revalidates to a 304.
fn weaken_encoded_etag(headers: &mut actix_web::http::header::HeaderMap) {
    let encoded = headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|coding| coding.as_bytes() != b"identity");
    if !encoded {
        return;
    }
    let weak = headers
        .get(header::ETAG)
        .and_then(|etag| etag.to_str().ok())
        .filter(|etag| etag.starts_with('"'))
        .and_then(|etag| HeaderValue::from_str(&format!("W/{etag}")).ok());
    if let Some(weak) = weak {
        headers.insert(header::ETAG, weak);
    }
}

/// Which web origins may read the public catalogue from a browser
/// (`CABINA_CATALOGUE_CORS_ORIGINS`): none (the default), any (`*`), or those listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CatalogueOrigins {
    #[default]
    None,
    Any,
    Listed(Vec<String>),
}

impl CatalogueOrigins {
    pub fn from_setting(values: &[String]) -> Self {
        let values: Vec<String> = values
            .iter()
            .map(|v| v.trim().trim_end_matches('/').to_owned())
            .filter(|v| !v.is_empty())
            .collect();
        if values.iter().any(|v| v == "*") {
            Self::Any
        } else if values.is_empty() {
            Self::None
        } else {
            Self::Listed(values)
        }
    }

    /// The `Access-Control-Allow-Origin` for a request from `origin`, if it may read.
    fn allow(&self, origin: &HeaderValue) -> Option<HeaderValue> {
        match self {
            Self::None => None,
            Self::Any => Some(HeaderValue::from_static("*")),
            Self::Listed(origins) => origin
                .to_str()
                .ok()
                .filter(|o| origins.iter().any(|allowed| allowed == o))
                .map(|_| origin.clone()),
        }
    }
}

/// CORS for the public catalogue, decided here and nowhere else: the general CORS layer
/// (`CABINA_CORS_ORIGINS`, for the signed-in API) never sees a catalogue request's origin.
/// No credentials are involved, so `*` is safe there: the catalogue holds no personal data
/// and answers the same to everyone.
///
/// # Errors
/// Whatever the rest of the chain gives.
pub async fn catalogue_cors(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !req.path().starts_with(CATALOGUE) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let origins = req
        .app_data::<web::Data<CatalogueOrigins>>()
        .map(|o| o.get_ref().clone())
        .unwrap_or_default();
    let origin = req.headers_mut().remove(header::ORIGIN).next();
    // Open to any origin, every answer says so, with or without an `Origin`: a shared cache
    // may then hand the same answer to any browser.
    let allowed = match (&origins, origin) {
        (CatalogueOrigins::Any, _) => Some(HeaderValue::from_static("*")),
        (_, Some(origin)) => origins.allow(&origin),
        (_, None) => None,
    };
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if let (true, Some(allowed)) = (preflight, &allowed) {
        let mut answer = HttpResponse::NoContent();
        answer
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, allowed.clone()))
            .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD"))
            .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "If-None-Match"))
            .insert_header((header::ACCESS_CONTROL_MAX_AGE, "86400"))
            .insert_header((header::VARY, "Origin"));
        return Ok(req.into_response(answer.finish()).map_into_boxed_body());
    }
    let mut response = next.call(req).await?.map_into_boxed_body();
    if let Some(allowed) = allowed {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSED),
        );
    }
    if matches!(origins, CatalogueOrigins::Listed(_)) {
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("Origin"));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_reads_none_any_or_a_list() {
        assert_eq!(CatalogueOrigins::from_setting(&[]), CatalogueOrigins::None);
        assert_eq!(
            CatalogueOrigins::from_setting(&[" * ".into()]),
            CatalogueOrigins::Any
        );
        let listed = CatalogueOrigins::from_setting(&["https://pico.example/".into()]);
        assert_eq!(
            listed,
            CatalogueOrigins::Listed(vec!["https://pico.example".into()])
        );
        let from = |o: &'static str| listed.allow(&HeaderValue::from_static(o));
        assert_eq!(
            from("https://pico.example"),
            Some(HeaderValue::from_static("https://pico.example"))
        );
        assert_eq!(from("https://evil.example"), None);
    }
}
