//! Short-lived access tokens: HS256 only (pinned on decode, so `alg: none` or a
//! public-key confusion is refused), with issuer, audience and expiry required.
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "cabina";
const AUDIENCE: &str = "cabina-api";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// Signing and verification keys with the token lifetime.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A signed token for `user_id`.
    ///
    /// # Errors
    /// Only if signing fails, which is a server fault.
    pub fn issue(&self, user_id: i64) -> anyhow::Result<String> {
        self.issue_at(user_id, chrono::Utc::now())
    }

    /// A signed token for `user_id` as if issued at `issued_at`: the clock is a parameter
    /// so that an expired token can be made without waiting for it to expire.
    ///
    /// # Errors
    /// Only if signing fails, which is a server fault.
    pub fn issue_at(
        &self,
        user_id: i64,
        issued_at: chrono::DateTime<chrono::Utc>,
    ) -> anyhow::Result<String> {
        let now = issued_at.timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + i64::try_from(self.ttl.as_secs())?,
        };
        Ok(encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The user id of a valid, unexpired token, or `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<i64> {
        self.verify_with_issue_time(token).map(|(user, _)| user)
    }

    /// The user id and the issue time (`iat`, seconds) of a valid, unexpired token.
    pub fn verify_with_issue_time(&self, token: &str) -> Option<(i64, i64)> {
        let data = decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        Some((data.claims.sub.parse().ok()?, data.claims.iat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(
            b"0123456789abcdef0123456789abcdef",
            Duration::from_secs(900),
        )
    }

    #[test]
    fn an_issued_token_verifies() {
        let keys = keys();
        let token = keys.issue(42).unwrap();
        assert_eq!(keys.verify(&token), Some(42));
    }

    #[test]
    fn tokens_from_another_secret_or_tampered_are_refused() {
        let other = JwtKeys::new(
            b"another secret of thirty-two bytes!",
            Duration::from_secs(900),
        );
        let token = other.issue(42).unwrap();
        assert_eq!(keys().verify(&token), None);
        let mut tampered = keys().issue(42).unwrap();
        tampered.push('x');
        assert_eq!(keys().verify(&tampered), None);
    }

    #[test]
    fn alg_none_is_refused() {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let now = chrono::Utc::now().timestamp();
        let claims = b64.encode(
            format!(
                r#"{{"sub":"1","iss":"cabina","aud":"cabina-api","iat":{now},"exp":{}}}"#,
                now + 600
            )
            .as_bytes(),
        );
        assert_eq!(keys().verify(&format!("{header}.{claims}.")), None);
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", Duration::from_secs(0));
        let mut claims_keys = keys.clone();
        claims_keys.validation.leeway = 0;
        let token = keys.issue(1).unwrap();
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(claims_keys.verify(&token), None);
    }
}
