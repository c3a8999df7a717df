//! Smart lockout: after `threshold` failed sign-ins the name is locked for `base_seconds`;
//! each further lockout doubles the time, up to an hour. A success clears it all.

/// Failure counters of one sign-in name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleState {
    pub failures: i64,
    pub lockouts: i64,
    pub locked_until: i64,
}

#[derive(Debug, Clone, Copy)]
pub struct LockoutPolicy {
    pub threshold: i64,
    pub base_seconds: i64,
}

/// The longest single lockout.
const MAX_LOCK_SECONDS: i64 = 3600;

impl LockoutPolicy {
    /// Seconds left on a lock, if the name is locked now.
    pub fn retry_after(&self, state: &ThrottleState, now: i64) -> Option<u64> {
        (state.locked_until > now).then(|| (state.locked_until - now) as u64)
    }

    /// The state after one more failure; `locked_until` is set when this failure locks.
    pub fn after_failure(&self, state: ThrottleState, now: i64) -> ThrottleState {
        let failures = state.failures + 1;
        if failures < self.threshold.max(1) {
            return ThrottleState { failures, ..state };
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
        let many = (0..20).fold(third, |s, i| fail(10, s, 10_000 * i));
        assert_eq!(many.locked_until - 190_000, MAX_LOCK_SECONDS);
    }
}
