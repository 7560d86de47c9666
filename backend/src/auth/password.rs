//! argon2id password hashes (OWASP's recommended algorithm, with the crate's default
//! parameters: 19 MiB, 2 passes), computed off the async runtime, a few at a time.
use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

/// Hashes `password` into a PHC string (`$argon2id$v=19$...`).
///
/// # Errors
/// Only if the blocking pool is gone or the hasher fails, which is a server fault.
pub async fn hash(password: String) -> anyhow::Result<String> {
    spawn_blocking_in_span(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))
    })
    .await
}

/// Whether `password` matches `hash`. With `hash == None` (unknown account) a dummy hash
/// is checked instead, so that the answer takes as long either way and does not reveal
/// whether an account exists.
///
/// # Errors
/// Only if the blocking pool is gone, which is a server fault.
pub async fn verify(password: String, hash: Option<String>) -> anyhow::Result<bool> {
    spawn_blocking_in_span(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        Ok(known && matches)
    })
    .await
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"not a password anybody has", &salt)
        .expect("argon2 with default parameters hashes")
        .to_string()
});

/// Hashes computed at once. Each takes about 19 MiB: without a cap, a burst of anonymous
/// logins grows the process by that much per request (and the allocator keeps it).
const HASHERS: usize = 4;
static HASHER_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHERS);

/// How long a request waits for a hashing slot before it is told to retry.
const HASHER_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Every hashing slot stayed taken for [`HASHER_WAIT`]: the server is busy, try later.
#[derive(Debug, thiserror::Error)]
#[error("all password hashers are busy")]
pub struct HashersBusy;

async fn spawn_blocking_in_span<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let _slot = tokio::time::timeout(HASHER_WAIT, HASHER_SLOTS.acquire())
        .await
        .map_err(|_| HashersBusy)?
        .map_err(|_| HashersBusy)?;
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(f)).await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse battery".into(), Some(h)).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(
            !verify("not a password anybody has".into(), None)
                .await
                .unwrap()
        );
    }
}
