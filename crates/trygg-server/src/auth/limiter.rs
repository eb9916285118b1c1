//! Limits on guessing passwords, kept in memory only: per account (the
//! lower-cased address typed, whether or not an account has it, so the limit
//! reveals nothing) and per client address (never stored or logged). Attempts
//! past [`AuthSettings::slow_after`] for one account are answered only after a
//! delay; past the burst they are refused until the budget refills.
//!
//! A stranger's guesses must not lock the owner out (OWASP's device cookies):
//! an attempt from a browser with a valid device cookie for the typed address
//! (see [`super::device`]) is counted against that cookie's own budget instead
//! of the account's, so only browsers that never signed in to the account
//! share, and can exhaust, the account's budget.
//!
//! Checks of the current password by a signed-in user (changing the password,
//! turning TOTP on or off) have a budget of their own per account, so a
//! stolen session cannot guess the password any faster.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::AuthSettings;

/// The sign-in limiter.
#[derive(Clone)]
pub struct LoginLimiter(Arc<Limits>);

struct Limits {
    account: DefaultKeyedRateLimiter<String>,
    slow: DefaultKeyedRateLimiter<String>,
    address: DefaultKeyedRateLimiter<IpAddr>,
    device: DefaultKeyedRateLimiter<String>,
    reauth: DefaultKeyedRateLimiter<String>,
    delay: Duration,
}

/// What to do with one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead.
    Allow,
    /// Go ahead after waiting this long.
    Slow(Duration),
    /// Refuse; the client may try again after this long.
    Refuse(Duration),
}

fn quota(burst: u32, period_secs: u64) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(Duration::from_secs(period_secs.max(1)))
        .map_or_else(|| Quota::per_minute(burst), |q| q.allow_burst(burst))
}

impl LoginLimiter {
    /// A limiter from the settings.
    pub fn new(settings: &AuthSettings) -> Self {
        Self(Arc::new(Limits {
            account: RateLimiter::keyed(quota(
                settings.account_burst,
                settings.account_period_secs,
            )),
            slow: RateLimiter::keyed(quota(settings.slow_after, settings.account_period_secs)),
            address: RateLimiter::keyed(quota(
                settings.address_burst,
                settings.address_period_secs,
            )),
            device: RateLimiter::keyed(quota(settings.account_burst, settings.account_period_secs)),
            reauth: RateLimiter::keyed(quota(settings.account_burst, settings.account_period_secs)),
            delay: Duration::from_millis(settings.slow_delay_ms),
        }))
    }

    /// Counts one attempt for `account` from `address`; `device` is the id of
    /// the request's valid device cookie for this account, if it has one.
    pub fn check(&self, account: &str, address: Option<IpAddr>, device: Option<&str>) -> Verdict {
        let now = DefaultClock::default().now();
        if let Some(ip) = address
            && let Err(not_until) = self.0.address.check_key(&ip)
        {
            return Verdict::Refuse(not_until.wait_time_from(now));
        }
        if let Some(device) = device {
            return match self.0.device.check_key(&device.to_owned()) {
                Ok(()) => Verdict::Allow,
                Err(not_until) => Verdict::Refuse(not_until.wait_time_from(now)),
            };
        }
        // Keys are bounded so a flood of long made-up addresses cannot grow memory much.
        let key: String = account.trim().to_lowercase().chars().take(254).collect();
        if let Err(not_until) = self.0.account.check_key(&key) {
            return Verdict::Refuse(not_until.wait_time_from(now));
        }
        if self.0.slow.check_key(&key).is_err() {
            return Verdict::Slow(self.0.delay);
        }
        Verdict::Allow
    }

    /// Counts one check of a signed-in account's current password.
    pub fn check_reauth(&self, account: &str) -> Verdict {
        let now = DefaultClock::default().now();
        match self.0.reauth.check_key(&account.to_owned()) {
            Ok(()) => Verdict::Allow,
            Err(not_until) => Verdict::Refuse(not_until.wait_time_from(now)),
        }
    }

    /// Forgets keys whose budget is full again, so the maps stay small.
    pub fn forget_idle(&self) {
        self.0.account.retain_recent();
        self.0.slow.retain_recent();
        self.0.address.retain_recent();
        self.0.device.retain_recent();
        self.0.reauth.retain_recent();
        self.0.account.shrink_to_fit();
        self.0.slow.shrink_to_fit();
        self.0.address.shrink_to_fit();
        self.0.device.shrink_to_fit();
        self.0.reauth.shrink_to_fit();
    }
}
