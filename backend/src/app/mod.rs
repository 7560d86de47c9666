//! The application layer: one module per aggregate, one function per use case.
//!
//! A use case takes the caller ([`Actor`](crate::domain::access::Actor)) and the database,
//! authorizes through `domain::access`, owns the one transaction its writes share, calls
//! the store and the pure domain, and returns domain read models. It knows nothing of HTTP:
//! handlers in `api/` adapt requests to use cases and their results to responses, and
//! background jobs and `cabina demo` call the same functions.
pub mod accounts;
pub mod attendance;
pub mod audit;
pub mod campaigns;
pub mod catalogue;
pub mod certificates;
pub mod comuni;
pub mod courses;
pub mod edition_proposals;
pub mod editions;
pub mod employees;
pub mod enrolments;
pub mod feedback;
pub mod needs;
pub mod outbox;
pub mod plans;
pub mod providers;
pub mod reference;
pub mod users;
pub mod venues;

use crate::domain::DomainError;
use crate::domain::access::AccessDenied;
use crate::domain::employee_import::RowError;
use crate::store::StoreError;

/// Why a use case did not happen. Each variant is a fact about the request or the data,
/// never about a transport: `api` maps them to statuses, the command line to messages.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The caller's role or scope does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// Input that breaks the rules, every bad field at once.
    #[error("invalid: {0:?}")]
    Invalid(Vec<DomainError>),
    /// A file with bad rows, each by line, in line order.
    #[error("invalid rows: {0:?}")]
    InvalidRows(Vec<RowError>),
    /// The server is busy with the same costly work; the client should retry later.
    #[error("busy")]
    Busy,
    /// A fault of the server itself, kept as its cause (a busy hashing pool is a
    /// `ServerBusy`, a 503 to retry; anything else a 500): logged, never shown.
    #[error(transparent)]
    Internal(anyhow::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<AccessDenied> for AppError {
    fn from(_: AccessDenied) -> Self {
        AppError::Forbidden
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError::Invalid(vec![e])
    }
}

impl From<Vec<DomainError>> for AppError {
    fn from(errors: Vec<DomainError>) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::Store(e.into())
    }
}
