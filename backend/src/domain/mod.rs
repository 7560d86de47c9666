//! Business types and rules. Nothing here knows about HTTP or SQL, so every rule can be
//! unit-tested without a server or a database.
pub mod access;
pub mod account;
pub mod attendance;
pub mod attendance_import;
pub mod audit;
pub mod campaign;
pub mod catalogue;
pub mod comune;
pub mod course;
pub mod edition_change;
pub mod email;
pub mod employee;
pub mod employee_import;
pub mod enrolment;
pub mod feedback;
pub mod fiscal;
pub mod ids;
pub mod notification;
pub mod plan;
pub mod provider;
pub mod reference;
pub mod text;
pub mod user;
pub mod venue;

/// A value that breaks a business rule, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DomainError {
    /// Field name as the client sent it (snake_case), e.g. `istat_code`.
    pub field: String,
    /// Italian, human-readable reason, shown next to the field in the UI.
    pub message: String,
}

impl DomainError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// The value if `result` is valid; otherwise records its error in `errors`, so that a
/// check can report every bad field at once.
pub(crate) fn kept<T>(errors: &mut Vec<DomainError>, result: Result<T, DomainError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// A page of a list: at most `limit` items after skipping `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    pub offset: u64,
}
