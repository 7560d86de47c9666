//! Training providers (enti formatori) and their qualification by the Province.
use chrono::NaiveDate;

use super::DomainError;
use super::fiscal::{TaxCode, VatNumber};
use super::user::Email;

/// Where a provider stands with the Province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualification {
    /// Applied, not yet checked.
    Pending,
    /// May run courses until `qualified_until`.
    Qualified,
    /// May not run new courses.
    Suspended,
}

impl Qualification {
    pub const ALL: [Qualification; 3] = [
        Qualification::Pending,
        Qualification::Qualified,
        Qualification::Suspended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Qualification::Pending => "pending",
            Qualification::Qualified => "qualified",
            Qualification::Suspended => "suspended",
        }
    }

    /// # Errors
    /// `DomainError` on `qualification_status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|q| q.as_str() == s)
            .ok_or_else(|| DomainError::invalid("qualification_status", "stato sconosciuto"))
    }
}

/// Everything about a provider that can be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderProfile {
    pub name: String,
    pub tax_code: TaxCode,
    pub vat_number: Option<VatNumber>,
    pub email: Option<Email>,
    pub pec: Option<Email>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// Codes of the themes the provider is qualified to teach.
    pub themes: Vec<String>,
    pub qualification: Qualification,
    pub qualified_until: Option<NaiveDate>,
    pub notes: String,
}

/// A stored provider.
#[derive(Debug, Clone, PartialEq)]
pub struct Provider {
    pub id: i64,
    pub profile: ProviderProfile,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Provider {
    /// Qualified, and not past the expiry date on `today`.
    pub fn is_qualified_on(&self, today: NaiveDate) -> bool {
        self.profile.qualification == Qualification::Qualified
            && self
                .profile
                .qualified_until
                .is_none_or(|until| until >= today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(qualification: Qualification, until: Option<NaiveDate>) -> Provider {
        Provider {
            id: 1,
            profile: ProviderProfile {
                name: "Ente".into(),
                tax_code: TaxCode::parse("tax_code", "00743110157").unwrap(),
                vat_number: None,
                email: None,
                pec: None,
                phone: None,
                website: None,
                themes: vec![],
                qualification,
                qualified_until: until,
                notes: String::new(),
            },
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn qualification_expires() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
        assert!(provider(Qualification::Qualified, Some(day(10))).is_qualified_on(day(10)));
        assert!(!provider(Qualification::Qualified, Some(day(10))).is_qualified_on(day(11)));
        assert!(provider(Qualification::Qualified, None).is_qualified_on(day(11)));
        assert!(!provider(Qualification::Pending, None).is_qualified_on(day(1)));
    }
}
