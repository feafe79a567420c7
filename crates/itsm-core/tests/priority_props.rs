//! Property tests of the priority matrix's checked constructor.
//!
//! Tables are generated monotone by construction (a non-decreasing function of a weighted sum
//! of severity ranks), on random scale sizes, random directions, random level numbers and a
//! random cell order; then damaged in one precise way to check that the constructor names the
//! damage.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;

use itsm_core::Error;
use itsm_core::{
    Cell, Direction, Impact, Level, MatrixSpec, Priority, PriorityMatrix, Rounding, Rule, Scale,
    Urgency,
};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::sample::Index;

/// A generated table and what it must give.
#[derive(Debug, Clone)]
struct Case {
    impact: Scale,
    urgency: Scale,
    priority: Scale,
    cells: Vec<Cell>,
    /// (impact, urgency) -> priority, from the generating function.
    expected: BTreeMap<(u8, u8), u8>,
}

impl Case {
    fn spec(&self) -> MatrixSpec {
        MatrixSpec {
            name: "generated".into(),
            impact: self.impact.clone(),
            urgency: self.urgency.clone(),
            priority: self.priority.clone(),
            rule: Rule::Table {
                cells: self.cells.clone(),
            },
        }
    }
}

fn severity(direction: Direction, value: u8) -> i32 {
    match direction {
        Direction::LowerIsMoreSevere => -i32::from(value),
        Direction::HigherIsMoreSevere => i32::from(value),
    }
}

/// The scale's values from least to most severe.
fn by_severity(scale: &Scale) -> Vec<u8> {
    let mut values: Vec<u8> = scale.levels.iter().map(|l| l.value).collect();
    values.sort_by_key(|v| severity(scale.direction, *v));
    values
}

fn rank(scale: &Scale, value: u8) -> usize {
    by_severity(scale).iter().position(|v| *v == value).unwrap()
}

fn values(scale: &Scale) -> Vec<u8> {
    scale.levels.iter().map(|l| l.value).collect()
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::LowerIsMoreSevere),
        Just(Direction::HigherIsMoreSevere)
    ]
}

/// A scale of 1 to 6 distinct levels with arbitrary numbers, listed in a random order.
fn scale() -> impl Strategy<Value = Scale> {
    (direction(), btree_set(any::<u8>(), 1..=6))
        .prop_flat_map(|(direction, set)| {
            let listed: Vec<u8> = set.into_iter().collect();
            (Just(direction), Just(listed).prop_shuffle())
        })
        .prop_map(|(direction, listed)| Scale {
            direction,
            levels: listed
                .into_iter()
                .map(|v| Level::new(v, format!("L{v}")))
                .collect(),
        })
}

/// The largest weighted rank sum: weights up to 2, ranks up to 5.
const MAX_SUM: usize = 2 * 5 + 2 * 5;

/// A monotone table: priority rank = clamp(f(w_i * rank_i + w_u * rank_u)) with f
/// non-decreasing (a start plus running sums of steps that are never negative).
fn monotone_case() -> impl Strategy<Value = Case> {
    (
        scale(),
        scale(),
        scale(),
        0usize..=2,
        0usize..=2,
        -2i32..=2,
        vec(0i32..=2, MAX_SUM + 1),
    )
        .prop_flat_map(|(impact, urgency, priority, wi, wu, start, steps)| {
            let mut f = Vec::with_capacity(steps.len());
            let mut acc = start;
            for step in &steps {
                f.push(acc);
                acc += step;
            }
            let top = i32::try_from(priority.levels.len()).unwrap() - 1;
            let pri_by_severity = by_severity(&priority);
            let mut cells = Vec::new();
            let mut expected = BTreeMap::new();
            for i in values(&impact) {
                for u in values(&urgency) {
                    let sum = wi * rank(&impact, i) + wu * rank(&urgency, u);
                    let p_rank = usize::try_from(f[sum].clamp(0, top)).unwrap();
                    let p = pri_by_severity[p_rank];
                    cells.push(Cell {
                        impact: i,
                        urgency: u,
                        priority: p,
                    });
                    expected.insert((i, u), p);
                }
            }
            let case = Case {
                impact,
                urgency,
                priority,
                cells: Vec::new(),
                expected,
            };
            Just(cells).prop_shuffle().prop_map(move |cells| Case {
                cells,
                ..case.clone()
            })
        })
}

/// A value that is not on the scale (a scale holds at most 6 of the 256 values).
fn off_scale(scale: &Scale, pick: u8) -> u8 {
    let on = values(scale);
    (0..=u8::MAX)
        .map(|k| pick.wrapping_add(k))
        .find(|v| !on.contains(v))
        .unwrap()
}

/// A single-cell change that must break monotonicity, if one exists: a pair of cells on the
/// same row or column where `hi` is more severe on that axis than `lo`; either `hi` is given
/// the least severe priority while `lo`'s is more severe than that, or `lo` is given the most
/// severe priority while `hi`'s is less severe than that.
fn breaking_flip(case: &Case, start: usize) -> Option<(usize, u8)> {
    let pri = by_severity(&case.priority);
    let (least, most) = (pri[0], pri[pri.len() - 1]);
    let pos = |i: u8, u: u8| {
        case.cells
            .iter()
            .position(|c| c.impact == i && c.urgency == u)
            .unwrap()
    };
    let n = case.cells.len();
    for k in 0..n {
        let hi = &case.cells[(start + k) % n];
        let (hi_i, hi_u) = (
            rank(&case.impact, hi.impact),
            rank(&case.urgency, hi.urgency),
        );
        for lo in &case.cells {
            let same_row = lo.urgency == hi.urgency && rank(&case.impact, lo.impact) < hi_i;
            let same_col = lo.impact == hi.impact && rank(&case.urgency, lo.urgency) < hi_u;
            if !(same_row || same_col) {
                continue;
            }
            if lo.priority != least {
                return Some((pos(hi.impact, hi.urgency), least));
            }
            if hi.priority != most {
                return Some((pos(lo.impact, lo.urgency), most));
            }
        }
    }
    None
}

/// A reference rounding through `f64`, exact for these small integers (`f64::round` rounds
/// halves away from zero).
fn reference_divide(numerator: i32, divisor: u8, rounding: Rounding) -> i32 {
    let q = f64::from(numerator) / f64::from(divisor);
    let r = match rounding {
        Rounding::Floor => q.floor(),
        Rounding::Ceil => q.ceil(),
        Rounding::HalfAwayFromZero => q.round(),
    };
    // An integral value that came from two small integers: the cast is exact.
    r as i32
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![
        Just(Rounding::Floor),
        Just(Rounding::Ceil),
        Just(Rounding::HalfAwayFromZero)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// (a) A monotone table is accepted, and gives the generating function on every pair.
    #[test]
    fn monotone_tables_are_accepted_and_give_the_generating_function(
        case in monotone_case(),
        pick in any::<u8>(),
    ) {
        let matrix = PriorityMatrix::new(case.spec()).unwrap();
        for (&(i, u), &p) in &case.expected {
            prop_assert_eq!(matrix.priority(Impact(i), Urgency(u)), Ok(Priority(p)));
            let why = matrix.explain(Impact(i), Urgency(u)).unwrap();
            prop_assert_eq!(why.priority.value, p);
            prop_assert_eq!(why.impact.value, i);
            prop_assert_eq!(why.urgency.value, u);
        }
        prop_assert_eq!(case.expected.len(), case.impact.levels.len() * case.urgency.levels.len());

        // A lookup off the scale is refused and lists the scale in the spec's order.
        let bad = off_scale(&case.impact, pick);
        let some_u = case.urgency.levels[0].value;
        prop_assert_eq!(
            matrix.priority(Impact(bad), Urgency(some_u)),
            Err(Error::UnknownLevel { axis: itsm_core::Axis::Impact, value: bad, allowed: values(&case.impact) })
        );
        let bad = off_scale(&case.urgency, pick);
        let some_i = case.impact.levels[0].value;
        prop_assert_eq!(
            matrix.explain(Impact(some_i), Urgency(bad)),
            Err(Error::UnknownLevel { axis: itsm_core::Axis::Urgency, value: bad, allowed: values(&case.urgency) })
        );
        prop_assert!(!matrix.has_impact(Impact(off_scale(&case.impact, pick))));
        prop_assert!(matrix.has_urgency(Urgency(some_u)));
    }

    /// (b) Changing one cell so that a more severe level gives a less severe priority is
    /// refused with `NotMonotone`, naming a real violation that involves the changed cell.
    #[test]
    fn one_breaking_cell_is_rejected_as_not_monotone(
        case in monotone_case(),
        start in any::<Index>(),
    ) {
        prop_assume!(case.cells.len() >= 2 && case.priority.levels.len() >= 2);
        let flip = breaking_flip(&case, start.index(case.cells.len()));
        prop_assume!(flip.is_some());
        let (at, value) = flip.unwrap();
        let mut broken = case.clone();
        broken.cells[at].priority = value;
        let changed = (broken.cells[at].impact, broken.cells[at].urgency);
        let table: BTreeMap<(u8, u8), u8> =
            broken.cells.iter().map(|c| ((c.impact, c.urgency), c.priority)).collect();

        let err = PriorityMatrix::new(broken.spec()).unwrap_err();
        let Error::NotMonotone { axis, impact, urgency, priority, more_severe, worse_priority } = err
        else {
            return Err(TestCaseError::fail(format!("expected NotMonotone, got {err:?}")));
        };
        // The named cell and its priority are the table's.
        prop_assert_eq!(table.get(&(impact, urgency)), Some(&priority));
        let neighbour = match axis {
            itsm_core::Axis::Impact => {
                prop_assert!(rank(&case.impact, more_severe) > rank(&case.impact, impact));
                (more_severe, urgency)
            }
            itsm_core::Axis::Urgency => {
                prop_assert!(rank(&case.urgency, more_severe) > rank(&case.urgency, urgency));
                (impact, more_severe)
            }
            itsm_core::Axis::Priority => {
                return Err(TestCaseError::fail("a priority axis cannot be made more severe"));
            }
        };
        prop_assert_eq!(table.get(&neighbour), Some(&worse_priority));
        prop_assert!(rank(&case.priority, worse_priority) < rank(&case.priority, priority));
        // The rest of the table is monotone, so the violation involves the changed cell.
        prop_assert!(changed == (impact, urgency) || changed == neighbour);
    }

    /// (c) A table without one cell is refused naming exactly that cell.
    #[test]
    fn a_removed_cell_is_named(case in monotone_case(), which in any::<Index>()) {
        let mut damaged = case.clone();
        let removed = damaged.cells.remove(which.index(case.cells.len()));
        prop_assert_eq!(
            PriorityMatrix::new(damaged.spec()),
            Err(Error::MissingCell { impact: removed.impact, urgency: removed.urgency })
        );
    }

    /// (c) A table that gives a pair twice (even with another priority) is refused naming it.
    #[test]
    fn a_duplicated_cell_is_named(
        case in monotone_case(),
        which in any::<Index>(),
        at in any::<Index>(),
        other in any::<Index>(),
    ) {
        let mut damaged = case.clone();
        let mut copy = damaged.cells[which.index(case.cells.len())];
        copy.priority = case.priority.levels[other.index(case.priority.levels.len())].value;
        damaged.cells.insert(at.index(case.cells.len() + 1), copy);
        prop_assert_eq!(
            PriorityMatrix::new(damaged.spec()),
            Err(Error::DuplicateCell { impact: copy.impact, urgency: copy.urgency })
        );
    }

    /// (c) A cell with a level that is not on its scale is refused naming the axis, the level
    /// and the scale's levels.
    #[test]
    fn a_cell_off_its_scale_is_named(
        case in monotone_case(),
        which in any::<Index>(),
        axis in 0usize..3,
        pick in any::<u8>(),
    ) {
        let mut damaged = case.clone();
        let cell = &mut damaged.cells[which.index(case.cells.len())];
        let expected = match axis {
            0 => {
                cell.impact = off_scale(&case.impact, pick);
                Error::UnknownLevel { axis: itsm_core::Axis::Impact, value: cell.impact, allowed: values(&case.impact) }
            }
            1 => {
                cell.urgency = off_scale(&case.urgency, pick);
                Error::UnknownLevel { axis: itsm_core::Axis::Urgency, value: cell.urgency, allowed: values(&case.urgency) }
            }
            _ => {
                cell.priority = off_scale(&case.priority, pick);
                Error::UnknownLevel { axis: itsm_core::Axis::Priority, value: cell.priority, allowed: values(&case.priority) }
            }
        };
        prop_assert_eq!(PriorityMatrix::new(damaged.spec()), Err(expected));
    }

    /// A formula on 1..n scales (1 most severe) is accepted exactly when every pair lands on
    /// the priority scale, and then gives the formula's value; otherwise the first pair off
    /// the scale, in scale order, is named.
    #[test]
    fn formulas_give_their_value_or_name_the_first_pair_off_the_scale(
        n_impact in 1u8..=6,
        n_urgency in 1u8..=6,
        n_priority in 1u8..=8,
        offset in -4i16..=4,
        divisor in 1u8..=4,
        rounding in rounding(),
    ) {
        let numbered = |n: u8| Scale {
            direction: Direction::LowerIsMoreSevere,
            levels: (1..=n).map(|v| Level::new(v, format!("L{v}"))).collect(),
        };
        let spec = MatrixSpec {
            name: "formula".into(),
            impact: numbered(n_impact),
            urgency: numbered(n_urgency),
            priority: numbered(n_priority),
            rule: Rule::Formula { offset, divisor, rounding },
        };
        let mut first_off = None;
        let mut expected = BTreeMap::new();
        for i in 1..=n_impact {
            for u in 1..=n_urgency {
                let computed = reference_divide(
                    i32::from(i) + i32::from(u) + i32::from(offset),
                    divisor,
                    rounding,
                );
                if (1..=i32::from(n_priority)).contains(&computed) {
                    expected.insert((i, u), u8::try_from(computed).unwrap());
                } else if first_off.is_none() {
                    first_off = Some((i, u, computed));
                }
            }
        }
        match (PriorityMatrix::new(spec), first_off) {
            (Ok(matrix), None) => {
                for ((i, u), p) in expected {
                    prop_assert_eq!(matrix.priority(Impact(i), Urgency(u)), Ok(Priority(p)));
                }
            }
            (Err(err), Some((impact, urgency, computed))) => {
                prop_assert_eq!(
                    err,
                    Error::FormulaOutOfScale {
                        impact,
                        urgency,
                        computed,
                        allowed: (1..=n_priority).collect(),
                    }
                );
            }
            (got, off) => {
                return Err(TestCaseError::fail(format!("got {got:?}, first pair off the scale {off:?}")));
            }
        }
    }
}
