//! The personal-data log: who read or changed whose data, as ids, never the data.
use chrono::{DateTime, Utc};

/// One recorded access to personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: i64,
    /// `read`, `create`, `update`, `erase`, `export`, `import`.
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    pub comune_istat_code: Option<String>,
    pub detail: String,
}
