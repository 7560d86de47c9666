//! Throttling of failed logins, so that passwords cannot be guessed at speed while their
//! owners can still log in. In memory: a restart forgets, which costs an attacker nothing
//! they could not get by waiting.
//!
//! Three counters, all updated under one lock by [`LoginThrottle::begin`], which counts an
//! attempt as failed *before* the password is checked (a success takes it back), so that
//! parallel guesses cannot all pass the check before any failure is recorded:
//! - per account and address: after `free_failures`, each next attempt waits twice as
//!   long as the one before (1 s, 2 s, 4 s… up to `max_delay`). It slows the guesser, not
//!   the owner, who logs in from another address;
//! - per address, across accounts: at most `per_address` failures per window (a spray);
//! - per account, across addresses: at most `per_account` per window — high enough that
//!   only a distributed attack reaches it.
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How failures are limited.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    pub free_failures: u32,
    pub max_delay: Duration,
    pub per_address: usize,
    pub per_account: usize,
    pub window: Duration,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        Self {
            free_failures: 5,
            max_delay: Duration::from_secs(15 * 60),
            per_address: 20,
            per_account: 50,
            window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug)]
struct Pair {
    failures: u32,
    last: Instant,
}

#[derive(Debug, Default)]
struct Counters {
    pairs: HashMap<(String, String), Pair>,
    /// Recent failures by key (`account:<email>` or `address:<ip>`).
    windows: HashMap<String, VecDeque<Instant>>,
}

/// The login throttle, shared by every request.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    limits: ThrottleLimits,
    counters: Mutex<Counters>,
}

impl LoginThrottle {
    pub fn new(limits: ThrottleLimits) -> Self {
        Self {
            limits,
            counters: Mutex::default(),
        }
    }

    /// Admits a login attempt and counts it as failed until [`Self::succeeded`] says
    /// otherwise; `Err(wait)` when it must wait.
    pub fn begin(&self, account: &str, address: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        if counters.windows.len() + counters.pairs.len() > 100_000 {
            self.forget_old(&mut counters, now);
        }
        let pair_key = (account.to_owned(), address.to_owned());
        let pair_wait = counters.pairs.get(&pair_key).and_then(|pair| {
            let delay = self.delay_after(pair.failures)?;
            delay.checked_sub(now.duration_since(pair.last))
        });
        let window = self.limits.window;
        let waits = [
            pair_wait,
            wait(
                &mut counters.windows,
                &address_key(address),
                self.limits.per_address,
                window,
                now,
            ),
            wait(
                &mut counters.windows,
                &account_key(account),
                self.limits.per_account,
                window,
                now,
            ),
        ];
        if let Some(longest) = waits.into_iter().flatten().max() {
            return Err(longest.max(Duration::from_secs(1)));
        }
        let pair = counters.pairs.entry(pair_key).or_insert(Pair {
            failures: 0,
            last: now,
        });
        pair.failures += 1;
        pair.last = now;
        for key in [account_key(account), address_key(address)] {
            counters.windows.entry(key).or_default().push_back(now);
        }
        Ok(())
    }

    /// The attempt begun for `account` from `address` succeeded: the failures of this
    /// account from this address are forgotten (a guesser elsewhere keeps waiting), the
    /// account's window too, and this one attempt of the address (not its other failures:
    /// one good password must not reset a spray across many accounts).
    pub fn succeeded(&self, account: &str, address: &str) {
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        counters
            .pairs
            .remove(&(account.to_owned(), address.to_owned()));
        counters.windows.remove(&account_key(account));
        if let Some(times) = counters.windows.get_mut(&address_key(address)) {
            times.pop_back();
        }
    }

    /// The wait imposed after `failures` failures of one account from one address.
    fn delay_after(&self, failures: u32) -> Option<Duration> {
        let beyond = failures.checked_sub(self.limits.free_failures)?;
        let seconds = 1u64.checked_shl(beyond.min(30)).unwrap_or(u64::MAX);
        Some(Duration::from_secs(seconds).min(self.limits.max_delay))
    }

    fn forget_old(&self, counters: &mut Counters, now: Instant) {
        let (window, max_delay) = (self.limits.window, self.limits.max_delay);
        counters.windows.retain(|_, times| {
            times
                .back()
                .is_some_and(|t| now.duration_since(*t) < window)
        });
        counters
            .pairs
            .retain(|_, pair| now.duration_since(pair.last) < max_delay.max(window));
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
    Some(window.saturating_sub(now.duration_since(oldest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleLimits {
            free_failures: 3,
            max_delay: Duration::from_secs(60),
            per_address: 5,
            per_account: 8,
            window: Duration::from_secs(60),
        })
    }

    #[test]
    fn a_guesser_is_slowed_and_the_owner_elsewhere_is_not() {
        let t = throttle();
        for _ in 0..3 {
            assert!(t.begin("a@b.it", "1.1.1.1").is_ok());
        }
        let wait = t.begin("a@b.it", "1.1.1.1").unwrap_err();
        assert!(wait <= Duration::from_secs(1));
        assert!(t.begin("a@b.it", "2.2.2.2").is_ok(), "the owner elsewhere");
    }

    #[test]
    fn delays_double_up_to_the_maximum() {
        let t = throttle();
        assert_eq!(t.delay_after(2), None);
        assert_eq!(t.delay_after(3), Some(Duration::from_secs(1)));
        assert_eq!(t.delay_after(5), Some(Duration::from_secs(4)));
        assert_eq!(t.delay_after(40), Some(Duration::from_secs(60)));
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let t = throttle();
        for i in 0..5 {
            assert!(t.begin(&format!("user{i}@b.it"), "9.9.9.9").is_ok());
        }
        assert!(t.begin("fresh@b.it", "9.9.9.9").is_err());
        assert!(t.begin("fresh@b.it", "8.8.8.8").is_ok());
    }

    #[test]
    fn an_account_is_limited_across_addresses() {
        let t = throttle();
        for i in 0..8 {
            assert!(t.begin("a@b.it", &format!("10.0.0.{i}")).is_ok());
        }
        assert!(t.begin("a@b.it", "10.0.0.99").is_err());
    }

    #[test]
    fn success_takes_back_the_attempt_and_clears_the_account() {
        let t = throttle();
        for _ in 0..2 {
            assert!(t.begin("a@b.it", "1.1.1.1").is_ok());
        }
        assert!(t.begin("a@b.it", "1.1.1.1").is_ok());
        t.succeeded("a@b.it", "1.1.1.1");
        for _ in 0..3 {
            assert!(t.begin("a@b.it", "1.1.1.1").is_ok());
        }
    }
}
