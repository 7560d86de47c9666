//! Users of cabina and their roles.
use std::fmt;
use std::str::FromStr;

use super::DomainError;
use super::comune::IstatCode;
pub use super::email::Email;

/// What a user is to the Province: it decides what they may see and do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The Province's training office: everything.
    Admin,
    /// Contact person of one comune: that comune's data only.
    Referente,
    /// Staff of one training provider: that provider's courses only.
    Provider,
    /// A comune's employee: their own enrolments and certificates.
    Employee,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Referente, Role::Provider, Role::Employee];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Referente => "referente",
            Role::Provider => "provider",
            Role::Employee => "employee",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| DomainError::invalid("role", "ruolo sconosciuto"))
    }
}

/// What a user is attached to, which must match the role: a referente or an employee
/// belongs to a comune, provider staff to a provider, an admin to neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affiliation {
    Province,
    Comune(IstatCode),
    Provider(i64),
}

impl Affiliation {
    /// Checks that the attachments fit the role.
    ///
    /// # Errors
    /// `DomainError` on `comune_istat_code` or `provider_id` when one is missing or
    /// does not belong with the role.
    pub fn for_role(
        role: Role,
        comune: Option<IstatCode>,
        provider: Option<i64>,
    ) -> Result<Self, DomainError> {
        match (role, comune, provider) {
            (Role::Admin, None, None) => Ok(Affiliation::Province),
            (Role::Referente | Role::Employee, Some(code), None) => Ok(Affiliation::Comune(code)),
            (Role::Provider, None, Some(id)) => Ok(Affiliation::Provider(id)),
            (Role::Referente | Role::Employee, None, _) => Err(DomainError::invalid(
                "comune_istat_code",
                "obbligatorio per i ruoli referente ed employee",
            )),
            (Role::Provider, _, None) => Err(DomainError::invalid(
                "provider_id",
                "obbligatorio per il ruolo provider",
            )),
            (_, Some(_), _) => Err(DomainError::invalid(
                "comune_istat_code",
                "ammesso solo per i ruoli referente ed employee",
            )),
            (_, _, Some(_)) => Err(DomainError::invalid(
                "provider_id",
                "ammesso solo per il ruolo provider",
            )),
        }
    }

    pub fn comune(&self) -> Option<&IstatCode> {
        match self {
            Affiliation::Comune(code) => Some(code),
            _ => None,
        }
    }

    pub fn provider(&self) -> Option<i64> {
        match self {
            Affiliation::Provider(id) => Some(*id),
            _ => None,
        }
    }
}

/// Minimum password length for accounts the admin creates.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// # Errors
/// `DomainError` on `password` when it is too short or too long to hash sensibly.
pub fn check_password_strength(password: &str) -> Result<(), DomainError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            "password",
            format!("almeno {MIN_PASSWORD_CHARS} caratteri"),
        ));
    }
    if password.len() > 1024 {
        return Err(DomainError::invalid("password", "al massimo 1024 byte"));
    }
    Ok(())
}

/// A user as the rest of the application sees it. The password hash never leaves the store.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub email: Email,
    pub full_name: String,
    pub role: Role,
    pub affiliation: Affiliation,
    pub active: bool,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the password last changed: tokens issued before then are no longer valid.
    pub credentials_changed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl User {
    /// Whether the person has ever used the account: signed in, or chosen a password.
    pub fn has_signed_in(&self) -> bool {
        self.last_login_at.is_some() || self.credentials_changed_at.is_some()
    }

    /// Whether a token issued at `issued_at` (whole seconds, as JWTs carry it) still
    /// speaks for this user: not if the password changed after it was issued.
    pub fn accepts_token_issued_at(&self, issued_at: i64) -> bool {
        self.credentials_changed_at
            .is_none_or(|changed| issued_at >= changed.timestamp())
    }
}

/// A user to create, built only from parsed parts.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: Email,
    pub full_name: String,
    pub role: Role,
    pub affiliation: Affiliation,
    pub password_hash: String,
}

/// A change to a user; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub full_name: Option<String>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

/// Filters of the users list.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Fragment of the name or e-mail, case-insensitive.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub comune: Option<IstatCode>,
    pub limit: u64,
    pub offset: u64,
}

/// A new account as the admin sent it, before its rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDraft {
    pub email: String,
    pub full_name: String,
    pub password: String,
    pub role: Role,
    pub comune_istat_code: Option<String>,
    pub provider_id: Option<i64>,
}

impl UserDraft {
    /// The e-mail and affiliation when every rule holds (a valid address, a strong
    /// password, a name of 1 to 200 characters, the affiliation the role needs).
    ///
    /// # Errors
    /// Every bad field.
    pub fn check(&self) -> Result<(Email, Affiliation), Vec<DomainError>> {
        let email = Email::parse("email", &self.email);
        let comune = self
            .comune_istat_code
            .as_deref()
            .map(IstatCode::parse)
            .transpose()
            .map_err(|e| DomainError::invalid("comune_istat_code", e.message));
        let strength = check_password_strength(&self.password);
        let name = check_full_name(&self.full_name);
        let affiliation = comune
            .clone()
            .and_then(|c| Affiliation::for_role(self.role, c, self.provider_id));
        let mut errors: Vec<DomainError> = [
            email.clone().err(),
            comune.err(),
            strength.err(),
            name.err(),
            affiliation.clone().err(),
        ]
        .into_iter()
        .flatten()
        .collect();
        errors.dedup();
        match (email, affiliation) {
            (Ok(email), Ok(affiliation)) if errors.is_empty() => Ok((email, affiliation)),
            _ => Err(errors),
        }
    }
}

/// A change to an account as the admin sent it (merge-patch: `Some(None)` is a `null`,
/// which no field accepts), before its rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserChange {
    pub full_name: Option<Option<String>>,
    pub active: Option<Option<bool>>,
    pub password: Option<Option<String>>,
}

impl UserChange {
    /// # Errors
    /// Every bad field: a `null`, a blank or too long name, a weak password.
    pub fn check(&self) -> Result<(), Vec<DomainError>> {
        let mut errors = Vec::new();
        for (name, is_null) in [
            ("full_name", matches!(self.full_name, Some(None))),
            ("active", matches!(self.active, Some(None))),
            ("password", matches!(self.password, Some(None))),
        ] {
            if is_null {
                errors.push(DomainError::invalid(name, "non può essere null"));
            }
        }
        if let Some(Some(name)) = &self.full_name
            && let Err(e) = check_full_name(name)
        {
            errors.push(e);
        }
        if let Some(Some(password)) = &self.password
            && let Err(e) = check_password_strength(password)
        {
            errors.push(e);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A person's full name: 1 to 200 characters once trimmed.
///
/// # Errors
/// `DomainError` on `full_name` otherwise.
pub fn check_full_name(name: &str) -> Result<(), DomainError> {
    let chars = name.trim().chars().count();
    if (1..=200).contains(&chars) {
        Ok(())
    } else {
        Err(DomainError::invalid("full_name", "da 1 a 200 caratteri"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_round_trips_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn affiliation_must_fit_the_role() {
        let code = IstatCode::parse("008031").unwrap();
        assert_eq!(
            Affiliation::for_role(Role::Referente, Some(code.clone()), None).unwrap(),
            Affiliation::Comune(code.clone())
        );
        assert_eq!(
            Affiliation::for_role(Role::Referente, None, None)
                .unwrap_err()
                .field,
            "comune_istat_code"
        );
        assert_eq!(
            Affiliation::for_role(Role::Admin, Some(code), None)
                .unwrap_err()
                .field,
            "comune_istat_code"
        );
        assert_eq!(
            Affiliation::for_role(Role::Provider, None, None)
                .unwrap_err()
                .field,
            "provider_id"
        );
        assert_eq!(
            Affiliation::for_role(Role::Employee, None, Some(3))
                .unwrap_err()
                .field,
            "comune_istat_code"
        );
    }

    #[test]
    fn email_is_normalised_and_loosely_checked() {
        assert_eq!(
            Email::parse("email", " Mario.Rossi@Comune.IT ")
                .unwrap()
                .as_str(),
            "mario.rossi@comune.it"
        );
        for bad in [
            "", "a", "a@b", "@b.it", "a b@c.it", "a@@b.it", "a@.it", "a@b.",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(check_password_strength("short").is_err());
        assert!(check_password_strength("abbastanza-lunga").is_ok());
        assert!(check_password_strength("àèìòùàèìòùàè").is_ok());
    }
}
