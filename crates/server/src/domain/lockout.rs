//! Smart lockout: after `threshold` failed sign-ins the name (or client address) is locked for
//! `base_seconds`; each further lockout doubles the time, up to an hour. Failures older than a
//! day are forgotten; a success clears a name's counters.

use crate::store::throttle::ThrottleState;

#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    pub threshold: i64,
    pub base_seconds: i64,
}

/// The counter key of a sign-in name (known or not).
pub fn name_key(sign_in_name: &str) -> String {
    format!(
        "name:{}",
        rekey_core::validation::normalize_sign_in_name(sign_in_name)
    )
}

/// The longest single lockout.
const MAX_LOCK_SECONDS: i64 = 3600;
/// After this long without a failure, counting starts again.
const FORGET_AFTER_SECONDS: i64 = 24 * 3600;

impl LockoutPolicy {
    /// The policy of sign-in names.
    pub fn for_names(config: &crate::config::Config) -> LockoutPolicy {
        LockoutPolicy {
            threshold: config.lockout_threshold,
            base_seconds: config.lockout_seconds,
        }
    }

    /// Seconds left on a lock, if the name is locked now.
    pub fn retry_after(&self, state: &ThrottleState, now: i64) -> Option<u64> {
        (state.locked_until > now).then(|| (state.locked_until - now) as u64)
    }

    /// The state after one more failure; `locked_until` is set when this failure locks.
    pub fn after_failure(&self, state: ThrottleState, now: i64) -> ThrottleState {
        let state = if now - state.last_failure_at > FORGET_AFTER_SECONDS {
            ThrottleState::default()
        } else {
            state
        };
        let failures = state.failures + 1;
        if failures < self.threshold.max(1) {
            return ThrottleState {
                failures,
                last_failure_at: now,
                ..state
            };
        }
        let lockouts = state.lockouts + 1;
        let doublings = (lockouts - 1).clamp(0, 20) as u32;
        let seconds = self
            .base_seconds
            .max(1)
            .saturating_mul(1_i64 << doublings)
            .min(MAX_LOCK_SECONDS);
        ThrottleState {
            failures: 0,
            lockouts,
            locked_until: now + seconds,
            last_failure_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: LockoutPolicy = LockoutPolicy {
        threshold: 10,
        base_seconds: 60,
    };

    fn fail(times: usize, mut state: ThrottleState, now: i64) -> ThrottleState {
        for _ in 0..times {
            state = POLICY.after_failure(state, now);
        }
        state
    }

    #[test]
    fn ten_failures_lock_for_sixty_seconds() {
        let state = fail(9, ThrottleState::default(), 1000);
        assert_eq!(POLICY.retry_after(&state, 1000), None);
        let state = POLICY.after_failure(state, 1000);
        assert_eq!(POLICY.retry_after(&state, 1000), Some(60));
        assert_eq!(POLICY.retry_after(&state, 1059), Some(1));
        assert_eq!(POLICY.retry_after(&state, 1060), None);
    }

    #[test]
    fn repeated_lockouts_grow_and_are_capped() {
        let first = fail(10, ThrottleState::default(), 0);
        let second = fail(10, first, 100);
        assert_eq!(second.locked_until - 100, 120);
        let third = fail(10, second, 1000);
        assert_eq!(third.locked_until - 1000, 240);
        let many = (0..20).fold(third, |s, i| fail(10, s, 1000 + 3600 * i));
        assert_eq!(many.locked_until - (1000 + 3600 * 19), MAX_LOCK_SECONDS);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let nine = fail(9, ThrottleState::default(), 0);
        let a_day_later = POLICY.after_failure(nine, FORGET_AFTER_SECONDS + 1);
        assert_eq!(a_day_later.failures, 1);
        assert_eq!(
            POLICY.retry_after(&a_day_later, FORGET_AFTER_SECONDS + 1),
            None
        );
        let soon = POLICY.after_failure(nine, 100);
        assert_eq!(POLICY.retry_after(&soon, 100), Some(60));
    }
}
