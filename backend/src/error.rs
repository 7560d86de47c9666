//! The one error type of the HTTP layer. Every failure — a handler's, an extractor's, an
//! unknown route — is rendered as `application/problem+json` (RFC 9457) with the members
//! the Italian interoperability guidelines expect, and nothing else.
use std::time::Duration;

use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::DomainError;
use crate::domain::access::AccessDenied;
use crate::store::StoreError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Most fields a problem lists (`maxItems` of `Problem.errors`).
pub const MAX_FIELD_ERRORS: usize = 200;

/// An RFC 9457 problem. `errors` lists the fields or parameters at fault, if any.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(
    example = json!({
        "type": "about:blank",
        "title": "Unprocessable Content",
        "status": 422,
        "detail": "La richiesta contiene campi non validi.",
        "errors": [{"pointer": "#/email", "detail": "indirizzo e-mail non valido"}]
    })
)]
pub struct Problem {
    /// A URI identifying the problem type; `about:blank` means the status says it all.
    #[serde(rename = "type")]
    #[schema(max_length = 200)]
    pub problem_type: String,
    /// Short summary: the HTTP reason phrase.
    #[schema(max_length = 100)]
    pub title: String,
    /// The HTTP status code.
    #[schema(format = Int32, minimum = 100, maximum = 599)]
    pub status: u16,
    /// What went wrong, in Italian, for a person to read.
    #[schema(max_length = 2000)]
    pub detail: String,
    /// The request path this occurrence concerns.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 2000)]
    pub instance: Option<String>,
    /// Each invalid field (JSON pointer into the body) or parameter.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 200)]
    pub errors: Vec<FieldError>,
}

/// One invalid input: `pointer` for a body field, `parameter` for a query or path parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"pointer": "#/email", "detail": "indirizzo e-mail non valido"}))]
pub struct FieldError {
    /// JSON pointer (RFC 6901, as a URI fragment) to the invalid body member.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 500)]
    pub pointer: Option<String>,
    /// Name of the invalid query or path parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 100)]
    pub parameter: Option<String>,
    /// Why it is invalid, in Italian.
    #[schema(max_length = 500)]
    pub detail: String,
}

impl FieldError {
    pub fn body(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            pointer: Some(pointer.into()),
            parameter: None,
            detail: detail.into(),
        }
    }

    /// The name is cut to 100 characters: it may be an unknown parameter a client made up.
    pub fn parameter(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            pointer: None,
            parameter: Some(name.into().chars().take(100).collect()),
            detail: detail.into(),
        }
    }
}

/// Collects the domain errors of many fields, so that one 422 lists them all.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// The value if `result` is valid; otherwise records its error and gives `None`.
    pub fn check<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        result.map_err(|e| self.add(e)).ok()
    }

    pub fn add(&mut self, e: DomainError) {
        self.0
            .push(FieldError::body(format!("#/{}", e.field), e.message));
    }

    /// `Ok` when nothing was recorded, else a 422 listing every field once, in order.
    ///
    /// # Errors
    /// `ApiError::Validation` with the recorded fields.
    pub fn finish(mut self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        self.0.dedup_by(|a, b| a.pointer == b.pointer);
        Err(ApiError::Validation(self.0))
    }
}

/// Everything a request can fail with, each with its status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON, or the request is malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 400: query or path parameters out of range or of the wrong type.
    #[error("invalid parameters")]
    InvalidParameters(Vec<FieldError>),
    /// 401: no valid credentials; sent with `WWW-Authenticate: Bearer`.
    #[error("unauthorized")]
    Unauthorized,
    /// 401 for a failed login: the same answer whether or not the account exists.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// 403: authenticated, but not allowed.
    #[error("forbidden")]
    Forbidden,
    /// 404.
    #[error("not found")]
    NotFound,
    /// 405, with the `Allow` header.
    #[error("method not allowed")]
    MethodNotAllowed(Vec<Method>),
    /// 409: the request conflicts with the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 412: the `If-Match` ETag is stale.
    #[error("precondition failed")]
    PreconditionFailed,
    /// 413.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 415, naming the media type expected.
    #[error("unsupported media type")]
    UnsupportedMediaType(&'static str),
    /// 422: valid JSON that breaks the rules; lists every field at fault.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 429, with `Retry-After`.
    #[error("too many requests")]
    TooManyRequests(Duration),
    /// 503, with `Retry-After`: the database does not answer.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// 503, with `Retry-After`: the database cannot store anything (disk full,
    /// read-only); the write was rolled back.
    #[error("database cannot write")]
    CannotWrite(#[source] anyhow::Error),
    /// 500: the cause is logged, never shown.
    #[error(transparent)]
    Internal(anyhow::Error),
}

/// The server is busy with costly work (every password hasher taken): a 503 to retry,
/// not a defect.
#[derive(Debug, thiserror::Error)]
#[error("server busy: {0}")]
pub struct ServerBusy(pub &'static str);

/// A server fault is a 500, except when it is a [`ServerBusy`], which is a 503 to retry.
impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        if e.is::<ServerBusy>() {
            ApiError::Unavailable(e)
        } else {
            ApiError::Internal(e)
        }
    }
}

/// Seconds a client should wait after a 503.
const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 30;

impl ApiError {
    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest(detail) | ApiError::Conflict(detail) => detail.clone(),
            ApiError::InvalidParameters(_) => "Parametri della richiesta non validi.".into(),
            ApiError::Unauthorized => {
                "Autenticazione richiesta: inviare un token Bearer valido.".into()
            }
            ApiError::InvalidCredentials => "E-mail o password non corrette.".into(),
            ApiError::Forbidden => "Operazione non consentita per questo utente.".into(),
            ApiError::NotFound => "La risorsa richiesta non esiste.".into(),
            ApiError::MethodNotAllowed(_) => "Metodo non consentito su questa risorsa.".into(),
            ApiError::PreconditionFailed => {
                "La risorsa è stata modificata nel frattempo: rileggerla e riprovare.".into()
            }
            ApiError::PayloadTooLarge => "Il corpo della richiesta è troppo grande.".into(),
            ApiError::UnsupportedMediaType(expected) => {
                format!("Content-Type non supportato: usare {expected}.")
            }
            ApiError::Validation(_) => "La richiesta contiene campi non validi.".into(),
            ApiError::TooManyRequests(_) => "Troppi tentativi: riprovare più tardi.".into(),
            ApiError::Unavailable(_) => "Servizio temporaneamente non disponibile.".into(),
            ApiError::CannotWrite(_) => "Il sistema non può registrare modifiche in questo \
                momento (spazio esaurito o archivio in sola lettura): nulla è stato \
                modificato. Riprovare più tardi."
                .into(),
            ApiError::Internal(_) => "Errore interno del server.".into(),
        }
    }

    /// The problem body this error renders.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        Problem {
            problem_type: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: self.detail(),
            instance: None,
            errors: match self {
                // The schema caps the list; the first ones are enough to fix the request.
                ApiError::Validation(errors) | ApiError::InvalidParameters(errors) => {
                    errors.iter().take(MAX_FIELD_ERRORS).cloned().collect()
                }
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) | ApiError::InvalidParameters(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) | ApiError::CannotWrite(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => {
                tracing::error!(error.cause_chain = ?cause, "internal error")
            }
            ApiError::Unavailable(cause) => {
                tracing::warn!(error.cause_chain = ?cause, "database unavailable")
            }
            ApiError::CannotWrite(cause) => tracing::error!(
                error.cause_chain = ?cause,
                "the database refuses writes (disk full or read-only): the request was rolled back"
            ),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response
            .content_type(PROBLEM_JSON)
            .insert_header((header::CACHE_CONTROL, "no-store"));
        match self {
            ApiError::Unauthorized | ApiError::InvalidCredentials => {
                response.insert_header((header::WWW_AUTHENTICATE, r#"Bearer realm="cabina""#));
            }
            ApiError::MethodNotAllowed(methods) => {
                let allow = methods
                    .iter()
                    .map(Method::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                response.insert_header((header::ALLOW, allow));
            }
            ApiError::TooManyRequests(wait) => {
                response.insert_header((header::RETRY_AFTER, wait.as_secs().max(1).to_string()));
            }
            ApiError::Unavailable(_) | ApiError::CannotWrite(_) => {
                response.insert_header((
                    header::RETRY_AFTER,
                    UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
                ));
            }
            _ => {}
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        response.body(body)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::Validation(vec![FieldError::body(format!("#/{}", e.field), e.message)])
    }
}

impl From<AccessDenied> for ApiError {
    fn from(_: AccessDenied) -> Self {
        ApiError::Forbidden
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict { detail } => ApiError::Conflict(detail),
            StoreError::PreconditionFailed => ApiError::PreconditionFailed,
            StoreError::Invalid(e) => e.into(),
            StoreError::Database(e) => from_db_error(e),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        from_db_error(e)
    }
}

/// A database that cannot be reached, or cannot store (disk full, read-only), is the
/// server's temporary trouble (503); any other database error is a defect (500).
fn from_db_error(e: sea_orm::DbErr) -> ApiError {
    use sea_orm::DbErr;
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => ApiError::Unavailable(e.into()),
        other if crate::store::cannot_write(&other) => ApiError::CannotWrite(other.into()),
        other if crate::store::contended(&other) => ApiError::Unavailable(other.into()),
        other => ApiError::Internal(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn render(
        e: ApiError,
    ) -> (
        StatusCode,
        actix_web::http::header::HeaderMap,
        serde_json::Value,
    ) {
        let response = e.error_response();
        let status = response.status();
        let headers = response.headers().clone();
        let body = to_bytes(response.into_body()).await.unwrap();
        (status, headers, serde_json::from_slice(&body).unwrap())
    }

    #[actix_web::test]
    async fn internal_errors_hide_their_cause() {
        let (status, headers, body) = render(ApiError::Internal(anyhow::anyhow!(
            "password=hunter2 in table users"
        )))
        .await;
        assert_eq!(status, 500);
        assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), PROBLEM_JSON);
        assert_eq!(body["detail"], "Errore interno del server.");
        assert!(!body.to_string().contains("hunter2"));
    }

    #[actix_web::test]
    async fn every_variant_renders_a_complete_problem() {
        let all = [
            ApiError::BadRequest("x".into()),
            ApiError::InvalidParameters(vec![FieldError::parameter("limit", "troppo grande")]),
            ApiError::Unauthorized,
            ApiError::InvalidCredentials,
            ApiError::Forbidden,
            ApiError::NotFound,
            ApiError::MethodNotAllowed(vec![Method::GET, Method::PATCH]),
            ApiError::Conflict("c".into()),
            ApiError::PreconditionFailed,
            ApiError::PayloadTooLarge,
            ApiError::UnsupportedMediaType("application/json"),
            ApiError::Validation(vec![FieldError::body("#/a", "b")]),
            ApiError::TooManyRequests(Duration::from_secs(90)),
            ApiError::Unavailable(anyhow::anyhow!("down")),
            ApiError::CannotWrite(anyhow::anyhow!("disk full")),
        ];
        for error in all {
            let expected = error.status_code();
            let (status, headers, body) = render(error).await;
            assert_eq!(body["status"], status.as_u16());
            assert_eq!(status, expected);
            assert!(
                body["title"].is_string() && body["detail"].is_string() && body["type"].is_string()
            );
            assert!(body.get("message").is_none() && body.get("code").is_none());
            assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), PROBLEM_JSON);
            match status.as_u16() {
                401 => assert_eq!(
                    headers.get(header::WWW_AUTHENTICATE).unwrap(),
                    r#"Bearer realm="cabina""#
                ),
                405 => assert_eq!(headers.get(header::ALLOW).unwrap(), "GET, PATCH"),
                429 => assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "90"),
                503 => assert_eq!(headers.get(header::RETRY_AFTER).unwrap(), "30"),
                _ => {}
            }
        }
    }
}
