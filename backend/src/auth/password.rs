//! argon2id password hashes (OWASP's recommended algorithm, with the crate's default
//! parameters: 19 MiB, 2 passes), computed off the async runtime, a few at a time.
use std::sync::LazyLock;

use argon2::Argon2;

use crate::error::ServerBusy;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

/// The stored hash of an account whose person has not chosen a password yet (an invited
/// employee): no password matches it.
pub const NO_PASSWORD: &str = "!";

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
        // An account with no password yet (`NO_PASSWORD`) costs the same verification as
        // any other, so timing does not tell that an invitation is pending.
        let usable = hash.filter(|h| PasswordHash::new(h).is_ok());
        let known = usable.is_some();
        let hash = usable.unwrap_or_else(|| DUMMY_HASH.clone());
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
/// logins grows the process by that much per request.
const HASHERS: usize = 4;
static HASHER_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHERS);

/// How long a request waits for a hashing slot before it is told to retry.
const HASHER_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Makes memory of hash-sized allocations go back to the system when freed. glibc raises
/// its mmap threshold to the largest block freed so far, so after the first 19 MiB argon2
/// block every later one comes from the heap and stays there: a burst of logins left the
/// process hundreds of MB larger for good. With a fixed threshold (1 MiB) big blocks are
/// mapped and unmapped each time, and memory returns to where it was. Call it once at
/// start, before other threads allocate.
pub fn release_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called at start-up.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// The threads that run argon2, always the same [`HASHERS`] ones. On tokio's blocking pool
/// each run could land on a fresh thread, and the allocator keeps a 19 MiB arena per thread
/// that ever hashed: a burst of logins left the process hundreds of MB larger for good.
static HASHING_THREADS: LazyLock<std::sync::Mutex<std::sync::mpsc::Sender<Job>>> =
    LazyLock::new(|| {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        for i in 0..HASHERS {
            let queue = std::sync::Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let next = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })
                .expect("a hashing thread starts");
        }
        std::sync::Mutex::new(jobs)
    });

/// Runs `f` on a hashing thread once a slot is free (at most [`HASHERS`] at once).
async fn spawn_blocking_in_span<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let _slot = tokio::time::timeout(HASHER_WAIT, HASHER_SLOTS.acquire())
        .await
        .map_err(|_| ServerBusy("all password hashers are busy"))?
        .map_err(|_| ServerBusy("all password hashers are busy"))?;
    let span = tracing::Span::current();
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(span.in_scope(f));
    });
    HASHING_THREADS
        .lock()
        .map_err(|_| anyhow::anyhow!("the hashing threads are gone"))?
        .send(job)
        .map_err(|_| anyhow::anyhow!("the hashing threads are gone"))?;
    result
        .await
        .map_err(|_| anyhow::anyhow!("a hashing thread stopped"))?
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

    #[tokio::test]
    async fn hashing_runs_on_the_same_few_threads() {
        let names = futures_util::future::join_all((0..12).map(|_| {
            spawn_blocking_in_span(|| {
                std::thread::sleep(std::time::Duration::from_millis(5));
                Ok(std::thread::current().name().unwrap_or_default().to_owned())
            })
        }))
        .await;
        let threads: std::collections::BTreeSet<String> =
            names.into_iter().map(Result::unwrap).collect();
        assert!(threads.len() <= HASHERS, "{threads:?}");
        assert!(
            threads.iter().all(|t| t.starts_with("argon2-")),
            "{threads:?}"
        );
    }
}
