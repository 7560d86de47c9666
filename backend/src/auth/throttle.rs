//! Throttling of failed logins, per account and per client address, so that passwords
//! cannot be guessed at speed. In memory: a restart forgets, which costs an attacker
//! nothing they could not get by waiting a window.
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per window before logins are refused.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    pub per_account: usize,
    pub per_address: usize,
    pub window: Duration,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Recent failures by key (`account:<email>` or `address:<ip>`).
#[derive(Debug, Default)]
pub struct LoginThrottle {
    limits: ThrottleLimits,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            failures: Mutex::default(),
        }
    }

    /// `Err(wait)` when either the account or the address has used up its failures.
    pub fn check(&self, account: &str, address: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let waits = [
            wait(
                &mut failures,
                &account_key(account),
                self.limits.per_account,
                self.limits.window,
                now,
            ),
            wait(
                &mut failures,
                &address_key(address),
                self.limits.per_address,
                self.limits.window,
                now,
            ),
        ];
        match waits.into_iter().flatten().max() {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, account: &str, address: &str) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() > 100_000 {
            let window = self.limits.window;
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        for key in [account_key(account), address_key(address)] {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// A successful login clears the account's failures (not the address's: one good
    /// password must not reset a spray across many accounts).
    pub fn record_success(&self, account: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&account_key(account));
    }
}

fn account_key(account: &str) -> String {
    format!("account:{account}")
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// Drops failures older than the window; when `limit` remain, how long until the oldest
/// one leaves it.
fn wait(
    failures: &mut HashMap<String, VecDeque<Instant>>,
    key: &str,
    limit: usize,
    window: Duration,
    now: Instant,
) -> Option<Duration> {
    let times = failures.get_mut(key)?;
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= window)
    {
        times.pop_front();
    }
    if times.len() < limit {
        return None;
    }
    let oldest = *times.front()?;
    Some(
        window
            .saturating_sub(now.duration_since(oldest))
            .max(Duration::from_secs(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleLimits {
            per_account: 3,
            per_address: 5,
            window: Duration::from_secs(60),
        })
    }

    #[test]
    fn an_account_is_locked_after_its_failures_until_the_window_passes() {
        let t = throttle();
        for _ in 0..3 {
            assert!(t.check("a@b.it", "1.1.1.1").is_ok());
            t.record_failure("a@b.it", "1.1.1.1");
        }
        let wait = t.check("a@b.it", "2.2.2.2").unwrap_err();
        assert!(wait <= Duration::from_secs(60) && wait >= Duration::from_secs(59));
        assert!(
            t.check("c@d.it", "2.2.2.2").is_ok(),
            "other accounts are untouched"
        );
    }

    #[test]
    fn an_address_is_locked_across_accounts() {
        let t = throttle();
        for i in 0..5 {
            t.record_failure(&format!("user{i}@b.it"), "9.9.9.9");
        }
        assert!(t.check("fresh@b.it", "9.9.9.9").is_err());
        assert!(t.check("fresh@b.it", "8.8.8.8").is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let t = throttle();
        for _ in 0..2 {
            t.record_failure("a@b.it", "1.1.1.1");
        }
        t.record_success("a@b.it");
        t.record_failure("a@b.it", "1.1.1.1");
        assert!(t.check("a@b.it", "1.1.1.1").is_ok());
    }
}
