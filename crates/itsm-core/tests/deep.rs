//! Conditions nested a million deep, built in code (JSON stops at 128 levels): measuring
//! and dropping them takes no call per level on the stack, so both run on a thread with a
//! 256 kB stack. The crates that load conditions refuse those deeper than
//! `MAX_CONDITION_DEPTH` (their own tests), so nothing else ever walks one.
#![allow(clippy::unwrap_used, clippy::panic)]

use itsm_core::{Condition, MAX_CONDITION_DEPTH};

const DEEP: usize = 1_000_000;

fn on_a_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_million_deep_not_chain_is_measured_and_dropped_on_a_small_stack() {
    on_a_small_stack(|| {
        let mut c = Condition::Always;
        for _ in 0..DEEP {
            c = Condition::Not(Box::new(c));
        }
        assert_eq!(c.depth(), DEEP + 1);
        drop(c);
    });
}

#[test]
fn a_million_deep_nesting_of_all_and_any_is_measured_and_dropped_on_a_small_stack() {
    on_a_small_stack(|| {
        let mut c = Condition::Never;
        for i in 0..DEEP {
            c = if i % 2 == 0 {
                Condition::All(vec![Condition::Always, c, Condition::Never])
            } else {
                Condition::Any(vec![c])
            };
        }
        assert_eq!(c.depth(), DEEP + 1);
        drop(c);
    });
}

#[test]
fn depth_counts_the_deepest_branch() {
    let flat = Condition::All(vec![Condition::Always; 5]);
    assert_eq!(flat.depth(), 2);
    let lopsided = Condition::Any(vec![
        Condition::Always,
        Condition::Not(Box::new(Condition::Not(Box::new(Condition::Never)))),
        Condition::All(vec![]),
    ]);
    assert_eq!(lopsided.depth(), 4);
    assert_eq!(MAX_CONDITION_DEPTH, 64);
}
