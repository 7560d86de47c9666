//! Municipal employees: what the Province needs to know to plan and certify training, and
//! no more (GDPR: minimal, scoped to the comune, exportable, erasable).
use chrono::NaiveDate;

use super::DomainError;
use super::comune::IstatCode;
use super::fiscal::TaxCode;
use super::user::Email;

/// Declares a closed list of names with their API spelling and Italian label.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal, $label:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// The Italian label, as spreadsheets and screens show it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }

            /// Accepts the API name or the Italian label, in any case.
            ///
            /// # Errors
            /// `DomainError` on the field for anything else.
            pub fn parse(s: &str) -> Result<Self, DomainError> {
                let s = s.trim().to_lowercase();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s || v.label().to_lowercase() == s)
                    .ok_or_else(|| DomainError::invalid($field, format!(
                        "valori ammessi: {}", Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                    )))
            }
        }
    };
}

named_enum!(
    /// The employee's area in the local-government contract (CCNL Funzioni locali).
    JobProfile, "job_profile" {
        Operatore => "operatore", "Operatori";
        OperatoreEsperto => "operatore_esperto", "Operatori esperti";
        Istruttore => "istruttore", "Istruttori";
        Funzionario => "funzionario_eq", "Funzionari ed EQ";
        Dirigente => "dirigente", "Dirigenti";
        Segretario => "segretario", "Segretario comunale";
    }
);

named_enum!(
    /// Safety roles that carry training duties of their own.
    SafetyRole, "safety_roles" {
        Preposto => "preposto", "Preposto";
        PrimoSoccorso => "primo_soccorso", "Addetto primo soccorso";
        Antincendio => "antincendio", "Addetto antincendio";
        Rls => "rls", "Rappresentante dei lavoratori per la sicurezza";
        LavoriStradali => "lavori_stradali", "Addetto ai lavori in presenza di traffico";
    }
);

named_enum!(
    /// Risk class of the duties (workplace safety law), which sets the specific training.
    RiskClass, "risk_class" {
        Basso => "basso", "Basso";
        Medio => "medio", "Medio";
        Alto => "alto", "Alto";
    }
);

/// Everything about an employee that can be written.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeFields {
    pub comune: IstatCode,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<Email>,
    pub tax_code: TaxCode,
    pub office_area: String,
    pub job_profile: JobProfile,
    pub safety_roles: Vec<SafetyRole>,
    pub risk_class: RiskClass,
    pub hire_date: Option<NaiveDate>,
    pub active: bool,
}

/// A stored employee; after erasure only the statistics remain (comune, area, profile).
#[derive(Debug, Clone, PartialEq)]
pub struct Employee {
    pub id: i64,
    /// `None` once erased.
    pub fields: Option<EmployeeFields>,
    pub comune: IstatCode,
    pub office_area: String,
    pub job_profile: JobProfile,
    pub erased_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Parses a comma- or semicolon-separated list of safety roles, without repeats.
///
/// # Errors
/// `DomainError` on `safety_roles` for an unknown role.
pub fn parse_safety_roles(s: &str) -> Result<Vec<SafetyRole>, DomainError> {
    let mut roles = s
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(SafetyRole::parse)
        .collect::<Result<Vec<_>, _>>()?;
    roles.sort();
    roles.dedup();
    Ok(roles)
}

/// A person's name: trimmed, 1 to 100 characters.
///
/// # Errors
/// `DomainError` on `field` otherwise.
pub fn parse_name(field: &str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if (1..=100).contains(&s.chars().count()) {
        Ok(s.to_owned())
    } else {
        Err(DomainError::invalid(field, "da 1 a 100 caratteri"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_from_api_spelling_or_italian_label() {
        assert_eq!(
            JobProfile::parse("Istruttori").unwrap(),
            JobProfile::Istruttore
        );
        assert_eq!(
            JobProfile::parse(" funzionario_eq ").unwrap(),
            JobProfile::Funzionario
        );
        assert_eq!(JobProfile::parse("capo").unwrap_err().field, "job_profile");
        assert_eq!(RiskClass::parse("ALTO").unwrap(), RiskClass::Alto);
    }

    #[test]
    fn safety_roles_are_a_set() {
        assert_eq!(
            parse_safety_roles("antincendio; preposto,antincendio").unwrap(),
            [SafetyRole::Preposto, SafetyRole::Antincendio]
        );
        assert!(parse_safety_roles("").unwrap().is_empty());
        assert!(parse_safety_roles("pompiere").is_err());
    }
}
