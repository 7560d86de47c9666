//! Access for people who have no password yet, or forgot it: single-use links that let
//! them choose one. The link carries a secret; only its SHA-256 is stored.
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::DomainError;

/// Why a link was sent: it decides how long it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// An account opened for a comune's employee, who chooses the first password.
    Invitation,
    /// "Password dimenticata".
    PasswordReset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invitation => "invitation",
            TokenPurpose::PasswordReset => "password_reset",
        }
    }

    /// An invitation waits for a referente's colleagues to find it among their mail; a
    /// reset is asked for by the person now, and a stolen old one must be worthless.
    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::Invitation => Duration::days(14),
            TokenPurpose::PasswordReset => Duration::hours(1),
        }
    }

    pub fn expires_at(self, issued_at: DateTime<Utc>) -> DateTime<Utc> {
        issued_at + self.lifetime()
    }
}

/// The secret of a link: what the person's browser sends back. Its `Debug` never prints it.
pub struct LinkSecret(String);

impl LinkSecret {
    /// 32 random bytes, base64url without padding (43 characters, safe in a URL fragment).
    pub fn from_random_bytes(bytes: [u8; 32]) -> Self {
        use base64::Engine;
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The secret a person sent back, checked for shape only.
    ///
    /// # Errors
    /// `DomainError` on `token` when it cannot be one of ours.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let valid = text.len() == 43
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(invalid_link())
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps: a copy of the database opens no account.
    pub fn digest(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl std::fmt::Debug for LinkSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSecret(…)")
    }
}

/// The one answer for a link that is unknown, used, expired or whose account was closed:
/// which of these it is would tell an attacker something.
pub fn invalid_link() -> DomainError {
    DomainError::invalid(
        "token",
        "il collegamento non è valido o è scaduto: chiederne uno nuovo",
    )
}

/// Where the person chooses the password: the secret goes in the fragment, which browsers
/// never send to a server nor put in a `Referer`.
pub fn password_link(public_url: &str, secret: &LinkSecret) -> String {
    format!(
        "{}/imposta-password#{}",
        public_url.trim_end_matches('/'),
        secret.expose()
    )
}

/// An employee the referente wants to invite, as the comune's register has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub employee_id: i64,
    pub full_name: String,
    pub email: Option<String>,
}

/// What an invitation round did, person by person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvitationReport {
    /// Sent a link (a new account, or a fresh link for one never used).
    pub invited: Vec<Invitee>,
    /// Already signing in: nothing sent.
    pub already_active: Vec<Invitee>,
    /// No e-mail in the register: nobody to write to.
    pub without_email: Vec<Invitee>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_round_trips_through_its_link_and_only_its_digest_is_kept() {
        let secret = LinkSecret::from_random_bytes([7; 32]);
        let link = password_link("https://cabina.example/", &secret);
        let sent_back = link.split('#').nth(1).unwrap();
        let parsed = LinkSecret::parse(sent_back).unwrap();
        assert_eq!(parsed.digest(), secret.digest());
        assert_eq!(secret.digest().len(), 64);
        assert!(!secret.digest().contains(secret.expose()));
        assert_eq!(format!("{secret:?}"), "LinkSecret(…)");
    }

    #[test]
    fn anything_not_shaped_like_a_secret_is_the_same_invalid_link() {
        for bad in [
            "",
            "short",
            &"a".repeat(44),
            &format!("{}%", "a".repeat(42)),
        ] {
            assert_eq!(LinkSecret::parse(bad).unwrap_err(), invalid_link());
        }
    }

    #[test]
    fn a_reset_lasts_an_hour_and_an_invitation_two_weeks() {
        let now = Utc::now();
        assert_eq!(
            TokenPurpose::PasswordReset.expires_at(now) - now,
            Duration::hours(1)
        );
        assert_eq!(
            TokenPurpose::Invitation.expires_at(now) - now,
            Duration::days(14)
        );
    }
}

/// Whether an employee can sign in, as the office sees it in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountAccess {
    /// No account with the employee's address: invite them.
    None,
    /// An account that has never been used: the invitation waits (or expired: invite again).
    Invited,
    /// Has signed in, or chosen a password.
    Active,
}

impl AccountAccess {
    /// The access of the account with the employee's address, if any.
    pub fn of(user: Option<&super::user::User>) -> Self {
        match user {
            None => Self::None,
            Some(u) if u.has_signed_in() => Self::Active,
            Some(_) => Self::Invited,
        }
    }
}
