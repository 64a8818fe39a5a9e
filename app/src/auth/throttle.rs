//! Slowing down password guessing, in two ways that do not depend on whether an
//! employee number exists:
//!
//! - per client address: at most `sign_in_per_minute` attempts (a GCRA rate limit
//!   from the `governor` crate), then 429 with `Retry-After`;
//! - per employee number typed: each recent failure makes the next answer wait a
//!   little longer, for known and unknown numbers alike, so the delay tells
//!   nothing. (The account lock itself lives in the database; see `service`.)

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

/// The address a request came from: the peer, or the one the configured reverse
/// proxy header names. Put into each request's extensions by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// Remembered failures beyond this many numbers are forgotten oldest-first.
const REMEMBERED: usize = 10_000;

pub struct SignInGate {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    /// How long a failure is remembered (the lockout period).
    memory: Duration,
}

impl SignInGate {
    pub fn new(per_minute: u32, memory: Duration) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        Self {
            per_address: RateLimiter::keyed(Quota::per_minute(per_minute)),
            failures: Mutex::new(HashMap::new()),
            memory,
        }
    }

    /// Counts an attempt from `address`; refuses it once the address has used its
    /// quota, saying how long to wait.
    pub fn admit(&self, address: Option<IpAddr>) -> Result<(), AppError> {
        let Some(address) = address else {
            return Ok(());
        };
        if self.per_address.len() > REMEMBERED {
            self.per_address.retain_recent();
        }
        self.per_address.check_key(&address).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }

    /// Records a failure for the number typed; returns how many are remembered.
    pub fn failed(&self, employee_no: &str) -> u32 {
        let now = Instant::now();
        let Ok(mut failures) = self.failures.lock() else {
            return 0;
        };
        if failures.len() > REMEMBERED {
            let memory = self.memory;
            failures.retain(|_, (_, at)| now.duration_since(*at) < memory);
            if failures.len() > REMEMBERED {
                failures.clear();
            }
        }
        let entry = failures.entry(key(employee_no)).or_insert((0, now));
        if now.duration_since(entry.1) >= self.memory {
            *entry = (0, now);
        }
        entry.0 += 1;
        entry.1 = now;
        entry.0
    }

    /// A successful sign-in forgets the number's failures.
    pub fn succeeded(&self, employee_no: &str) {
        if let Ok(mut failures) = self.failures.lock() {
            failures.remove(&key(employee_no));
        }
    }
}

fn key(employee_no: &str) -> String {
    employee_no
        .trim()
        .chars()
        .take(64)
        .collect::<String>()
        .to_lowercase()
}

/// No delay for the first two slips, then 0.5 s more per failure (at most 5 s).
pub fn failure_delay(failures: u32) -> Duration {
    Duration::from_millis(500 * u64::from(failures.saturating_sub(2).min(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_two_slips_and_stop_growing() {
        let ms: Vec<u128> = [0, 1, 2, 3, 4, 5, 12, 100]
            .map(|n| failure_delay(n).as_millis())
            .to_vec();
        assert_eq!(ms, [0, 0, 0, 500, 1000, 1500, 5000, 5000]);
    }

    #[test]
    fn failures_count_per_number_whether_it_exists_or_not() {
        let gate = SignInGate::new(60, Duration::from_secs(900));
        assert_eq!(gate.failed("S0001"), 1);
        assert_eq!(gate.failed(" s0001 "), 2, "the same number as typed");
        assert_eq!(gate.failed("NOBODY"), 1);
        gate.succeeded("S0001");
        assert_eq!(gate.failed("S0001"), 1);
        let forgetful = SignInGate::new(60, Duration::ZERO);
        forgetful.failed("X");
        assert_eq!(forgetful.failed("X"), 1, "an expired failure starts over");
    }

    #[test]
    fn an_address_gets_its_quota_then_waits() {
        let gate = SignInGate::new(3, Duration::from_secs(900));
        let here: IpAddr = [10, 0, 0, 7].into();
        let there: IpAddr = [10, 0, 0, 8].into();
        for _ in 0..3 {
            assert_eq!(gate.admit(Some(here)), Ok(()));
        }
        let Err(AppError::RateLimited { retry_after_secs }) = gate.admit(Some(here)) else {
            panic!("the fourth attempt in a minute is refused");
        };
        assert!((1..=20).contains(&retry_after_secs), "{retry_after_secs}");
        assert_eq!(
            gate.admit(Some(there)),
            Ok(()),
            "other addresses unaffected"
        );
        assert_eq!(gate.admit(None), Ok(()));
    }
}
