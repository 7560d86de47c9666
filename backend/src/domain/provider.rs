//! Training providers (enti formatori) and their qualification by the Province.
use chrono::NaiveDate;

use super::fiscal::{TaxCode, VatNumber};
use super::text::{optional_text, text};
use super::user::Email;
use super::{DomainError, kept};

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
    /// Whether the Province approves changes of seats, dates or cancellation of the
    /// provider's published editions (`false`: the admin lets its staff act alone).
    pub edition_changes_need_approval: bool,
}

/// A provider's profile as a client wrote it, before the rules: what `check` turns into
/// a [`ProviderProfile`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderDraft {
    pub name: String,
    pub tax_code: String,
    pub vat_number: Option<String>,
    pub email: Option<String>,
    pub pec: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub themes: Vec<String>,
    pub qualification: Qualification,
    pub qualified_until: Option<NaiveDate>,
    pub notes: String,
    pub edition_changes_need_approval: bool,
}

impl From<&ProviderProfile> for ProviderDraft {
    fn from(p: &ProviderProfile) -> Self {
        Self {
            name: p.name.clone(),
            tax_code: p.tax_code.as_str().to_owned(),
            vat_number: p.vat_number.as_ref().map(|v| v.as_str().to_owned()),
            email: p.email.as_ref().map(|e| e.as_str().to_owned()),
            pec: p.pec.as_ref().map(|e| e.as_str().to_owned()),
            phone: p.phone.clone(),
            website: p.website.clone(),
            themes: p.themes.clone(),
            qualification: p.qualification,
            qualified_until: p.qualified_until,
            notes: p.notes.clone(),
            edition_changes_need_approval: p.edition_changes_need_approval,
        }
    }
}

impl ProviderDraft {
    /// The profile, or every field at fault at once.
    ///
    /// # Errors
    /// Every field at fault.
    pub fn check(&self) -> Result<ProviderProfile, Vec<DomainError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let name = kept(e, text("name", &self.name, 1, 200));
        let tax_code = kept(e, TaxCode::parse("tax_code", &self.tax_code));
        let vat_number = kept(
            e,
            optional(self.vat_number.as_deref(), |v| {
                VatNumber::parse("vat_number", v)
            }),
        );
        let email = kept(
            e,
            optional(self.email.as_deref(), |v| Email::parse("email", v)),
        );
        let pec = kept(e, optional(self.pec.as_deref(), |v| Email::parse("pec", v)));
        let phone = kept(e, optional_text("phone", self.phone.as_deref(), 30));
        let website = kept(e, optional_text("website", self.website.as_deref(), 300));
        kept(e, optional_text("notes", Some(&self.notes), 5000));
        let mut themes = self.themes.clone();
        themes.sort();
        themes.dedup();
        match (name, tax_code) {
            (Some(name), Some(tax_code)) if errors.is_empty() => Ok(ProviderProfile {
                name,
                tax_code,
                vat_number: vat_number.flatten(),
                email: email.flatten(),
                pec: pec.flatten(),
                phone: phone.flatten(),
                website: website.flatten(),
                themes,
                qualification: self.qualification,
                qualified_until: self.qualified_until,
                notes: self.notes.trim().to_owned(),
                edition_changes_need_approval: self.edition_changes_need_approval,
            }),
            _ => Err(errors),
        }
    }
}

/// `parse` applied to a value that may be absent.
fn optional<T>(
    value: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Result<Option<T>, DomainError> {
    value.map(parse).transpose()
}

/// Filters of the providers list.
#[derive(Debug, Clone, Default)]
pub struct ProviderFilter {
    pub q: Option<String>,
    pub theme: Option<String>,
    pub qualification: Option<Qualification>,
    pub limit: u64,
    pub offset: u64,
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
                edition_changes_need_approval: true,
            },
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_provider_draft_names_every_bad_field() {
        let draft = ProviderDraft {
            name: " ".into(),
            tax_code: "nope".into(),
            vat_number: None,
            email: Some("not an address".into()),
            pec: None,
            phone: None,
            website: None,
            themes: vec!["privacy".into(), "privacy".into()],
            qualification: Qualification::Pending,
            qualified_until: None,
            notes: String::new(),
            edition_changes_need_approval: true,
        };
        let fields: Vec<String> = draft
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "tax_code", "email"]);
        let good = ProviderDraft::from(&provider(Qualification::Qualified, None).profile);
        assert_eq!(good.check().unwrap().name, "Ente");
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
