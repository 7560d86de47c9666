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

/// Job titles as comuni write them in their staff spreadsheets, and the contract area each
/// belongs to. The 2022 contract (CCNL Funzioni locali 2019-21) renamed the areas; the old
/// categories (A, B, C, D) and the titles of the old profiles are still everywhere, so both
/// are read. The longest phrase found in the title decides ("istruttore direttivo" is a
/// Funzionario even though it starts like "istruttore").
const JOB_TITLES: &[(&str, JobProfile)] = &[
    ("operatore", JobProfile::Operatore),
    ("esecutore", JobProfile::Operatore),
    ("operaio", JobProfile::Operatore),
    ("ausiliario", JobProfile::Operatore),
    ("commesso", JobProfile::Operatore),
    ("usciere", JobProfile::Operatore),
    ("bidello", JobProfile::Operatore),
    ("operatore esperto", JobProfile::OperatoreEsperto),
    ("collaboratore", JobProfile::OperatoreEsperto),
    ("operaio specializzato", JobProfile::OperatoreEsperto),
    (
        "esecutore tecnico specializzato",
        JobProfile::OperatoreEsperto,
    ),
    ("autista", JobProfile::OperatoreEsperto),
    ("messo", JobProfile::OperatoreEsperto),
    ("cuoco", JobProfile::OperatoreEsperto),
    ("istruttore", JobProfile::Istruttore),
    ("geometra", JobProfile::Istruttore),
    ("ragioniere", JobProfile::Istruttore),
    ("agente", JobProfile::Istruttore),
    ("vigile", JobProfile::Istruttore),
    ("educatore", JobProfile::Istruttore),
    ("funzionario", JobProfile::Funzionario),
    ("istruttore direttivo", JobProfile::Funzionario),
    ("elevata qualificazione", JobProfile::Funzionario),
    ("posizione organizzativa", JobProfile::Funzionario),
    ("responsabile", JobProfile::Funzionario),
    ("specialista", JobProfile::Funzionario),
    ("assistente sociale", JobProfile::Funzionario),
    ("comandante", JobProfile::Funzionario),
    ("dirigente", JobProfile::Dirigente),
    ("direttore", JobProfile::Dirigente),
    ("segretario", JobProfile::Segretario),
    ("segretario comunale", JobProfile::Segretario),
    ("segretario generale", JobProfile::Segretario),
];

impl JobProfile {
    /// The area of a job title as people write it: the API name or the label (exactly, as
    /// [`JobProfile::parse`]), an old category ("C", "cat. D3", "categoria B1"), or a title
    /// ("Istruttore direttivo amministrativo", "Operatore esperto", "Agente di P.L.").
    /// Returns whether the title was mapped rather than written as the area itself, so the
    /// import can say what it understood.
    ///
    /// # Errors
    /// `DomainError` on `job_profile` for a title it cannot place.
    pub fn from_title(title: &str) -> Result<(Self, bool), DomainError> {
        if let Ok(profile) = Self::parse(title) {
            return Ok((profile, false));
        }
        let words: Vec<String> = title
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some(profile) = old_category(&words) {
            return Ok((profile, true));
        }
        let text = format!(" {} ", words.join(" "));
        JOB_TITLES
            .iter()
            .filter(|(phrase, _)| text.contains(&format!(" {phrase} ")))
            .max_by_key(|(phrase, _)| phrase.len())
            .map(|(_, profile)| (*profile, true))
            .ok_or_else(|| {
                DomainError::invalid(
                    "job_profile",
                    format!(
                        "profilo non riconosciuto: «{}»; valori ammessi: {}",
                        title.trim(),
                        Self::ALL
                            .iter()
                            .map(|v| v.label())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }
}

/// "C", "C1", "cat. D3", "categoria B": the categories before the 2022 contract.
fn old_category(words: &[String]) -> Option<JobProfile> {
    let code = match words {
        [one] => one.as_str(),
        [cat, one] if cat == "cat" || cat == "categoria" => one.as_str(),
        _ => return None,
    };
    let mut chars = code.chars();
    let letter = chars.next()?;
    if !chars.all(|c| c.is_ascii_digit()) {
        return None;
    }
    match letter {
        'a' => Some(JobProfile::Operatore),
        'b' => Some(JobProfile::OperatoreEsperto),
        'c' => Some(JobProfile::Istruttore),
        'd' => Some(JobProfile::Funzionario),
        _ => None,
    }
}

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

/// Filters of the employees list.
#[derive(Debug, Clone, Default)]
pub struct EmployeeFilter {
    /// Only this comune's employees (a referente always gets this).
    pub comune: Option<IstatCode>,
    /// Fragment of the name, e-mail or tax code.
    pub q: Option<String>,
    pub office_area: Option<String>,
    pub active: Option<bool>,
    pub limit: u64,
    pub offset: u64,
}

/// An employee as the client would have them, before the rules are checked: a new
/// record's values, or a stored record's with a patch applied.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployeeDraft {
    pub comune_istat_code: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub tax_code: String,
    pub office_area: String,
    pub job_profile: String,
    pub safety_roles: Vec<String>,
    pub risk_class: String,
    pub hire_date: Option<NaiveDate>,
    pub active: bool,
}

impl From<&EmployeeFields> for EmployeeDraft {
    fn from(f: &EmployeeFields) -> Self {
        Self {
            comune_istat_code: Some(f.comune.as_str().to_owned()),
            given_name: f.given_name.clone(),
            family_name: f.family_name.clone(),
            email: f.email.as_ref().map(|e| e.as_str().to_owned()),
            tax_code: f.tax_code.as_str().to_owned(),
            office_area: f.office_area.clone(),
            job_profile: f.job_profile.as_str().to_owned(),
            safety_roles: f
                .safety_roles
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            risk_class: f.risk_class.as_str().to_owned(),
            hire_date: f.hire_date,
            active: f.active,
        }
    }
}

impl EmployeeDraft {
    /// Every field checked at once; without a comune, `own` (a referente's) is taken.
    ///
    /// # Errors
    /// Every bad field.
    pub fn check(&self, own: Option<IstatCode>) -> Result<EmployeeFields, Vec<DomainError>> {
        let mut errors = Vec::new();
        let comune = match (&self.comune_istat_code, own) {
            (Some(code), _) => keep(
                &mut errors,
                IstatCode::parse(code)
                    .map_err(|e| DomainError::invalid("comune_istat_code", e.message)),
            ),
            (None, Some(own)) => Some(own),
            (None, None) => keep(
                &mut errors,
                Err(DomainError::invalid("comune_istat_code", "obbligatorio")),
            ),
        };
        let given_name = keep(&mut errors, parse_name("given_name", &self.given_name));
        let family_name = keep(&mut errors, parse_name("family_name", &self.family_name));
        let email = keep(
            &mut errors,
            self.email
                .as_deref()
                .map(|e| Email::parse("email", e))
                .transpose(),
        );
        let tax_code = keep(&mut errors, TaxCode::parse("tax_code", &self.tax_code));
        let job_profile = keep(&mut errors, JobProfile::parse(&self.job_profile));
        let mut roles = self
            .safety_roles
            .iter()
            .filter_map(|r| keep(&mut errors, SafetyRole::parse(r)))
            .collect::<Vec<_>>();
        roles.sort();
        roles.dedup();
        let risk_class = keep(&mut errors, RiskClass::parse(&self.risk_class));
        match (
            comune,
            given_name,
            family_name,
            email,
            tax_code,
            job_profile,
            risk_class,
        ) {
            (
                Some(comune),
                Some(given_name),
                Some(family_name),
                Some(email),
                Some(tax_code),
                Some(job_profile),
                Some(risk_class),
            ) if errors.is_empty() => Ok(EmployeeFields {
                comune,
                given_name,
                family_name,
                email,
                tax_code,
                office_area: self.office_area.trim().to_owned(),
                job_profile,
                safety_roles: roles,
                risk_class,
                hire_date: self.hire_date,
                active: self.active,
            }),
            _ => Err(errors),
        }
    }
}

/// The value of a good result; a bad one's error joins `errors`.
fn keep<T>(errors: &mut Vec<DomainError>, result: Result<T, DomainError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
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
    fn job_titles_people_write_find_their_area() {
        use JobProfile::*;
        for (title, area, mapped) in [
            ("istruttore", Istruttore, false),
            ("Funzionari ed EQ", Funzionario, false),
            ("Funzionario", Funzionario, true),
            ("Istruttore direttivo amministrativo", Funzionario, true),
            ("Istruttore amministrativo-contabile", Istruttore, true),
            ("Operatore esperto", OperatoreEsperto, true),
            ("Operatore", Operatore, false),
            ("Collaboratore professionale", OperatoreEsperto, true),
            ("Agente di Polizia Locale", Istruttore, true),
            ("cat. D3", Funzionario, true),
            ("C1", Istruttore, true),
            ("categoria B", OperatoreEsperto, true),
            ("Segretario comunale", Segretario, false),
            ("Responsabile del servizio finanziario", Funzionario, true),
        ] {
            assert_eq!(
                JobProfile::from_title(title).unwrap(),
                (area, mapped),
                "{title}"
            );
        }
        let unknown = JobProfile::from_title("Astronauta").unwrap_err();
        assert_eq!(unknown.field, "job_profile");
        assert!(
            unknown.message.contains("Astronauta"),
            "{}",
            unknown.message
        );
        assert!(JobProfile::from_title("E5").is_err());
    }

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
