//! E-mail addresses: of accounts (their login key), of employees, of comuni's contacts.
use super::DomainError;

/// An e-mail address, trimmed and lower-cased so that it works as a login key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// A deliberately loose check (one `@`, a dot in the domain, no spaces): the real
    /// proof of an address is a message that arrives.
    ///
    /// # Errors
    /// `DomainError` on `field` when the text does not look like an address.
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_lowercase();
        let valid = s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && matches!(s.split_once('@'), Some((local, domain))
                if !local.is_empty() && !domain.contains('@')
                    && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.'));
        if valid {
            Ok(Self(s))
        } else {
            Err(DomainError::invalid(field, "indirizzo e-mail non valido"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
