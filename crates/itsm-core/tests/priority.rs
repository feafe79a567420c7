//! The presets against the documented tables, the formula form, and the constructor's
//! refusals on hand-written specs.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use itsm_core::{Axis, Error};
use itsm_core::{
    Cell, Direction, Impact, Level, MatrixSpec, Priority, PriorityExplanation, PriorityMatrix,
    Rounding, Rule, RuleUsed, Scale, Urgency,
};

fn presets() -> Vec<PriorityMatrix> {
    vec![
        PriorityMatrix::servicenow(),
        PriorityMatrix::itop(),
        PriorityMatrix::glpi(),
        PriorityMatrix::floor_average(),
    ]
}

/// Every value of `matrix` as rows by impact, columns by urgency, both in number order.
fn rows_by_impact(matrix: &PriorityMatrix) -> Vec<Vec<u8>> {
    let mut impacts: Vec<u8> = matrix
        .spec()
        .impact
        .levels
        .iter()
        .map(|l| l.value)
        .collect();
    let mut urgencies: Vec<u8> = matrix
        .spec()
        .urgency
        .levels
        .iter()
        .map(|l| l.value)
        .collect();
    impacts.sort_unstable();
    urgencies.sort_unstable();
    impacts
        .iter()
        .map(|i| {
            urgencies
                .iter()
                .map(|u| matrix.priority(Impact(*i), Urgency(*u)).unwrap().0)
                .collect()
        })
        .collect()
}

fn numbered(direction: Direction, n: u8) -> Scale {
    Scale {
        direction,
        levels: (1..=n).map(|v| Level::new(v, format!("P{v}"))).collect(),
    }
}

fn formula(n: u8, priority_levels: u8, offset: i16, divisor: u8, rounding: Rounding) -> MatrixSpec {
    MatrixSpec {
        name: "formula".into(),
        impact: numbered(Direction::LowerIsMoreSevere, n),
        urgency: numbered(Direction::LowerIsMoreSevere, n),
        priority: numbered(Direction::LowerIsMoreSevere, priority_levels),
        rule: Rule::Formula {
            offset,
            divisor,
            rounding,
        },
    }
}

#[test]
fn servicenow_preset_is_the_documented_table() {
    let m = PriorityMatrix::servicenow();
    assert_eq!(m.name(), "servicenow");
    assert_eq!(
        rows_by_impact(&m),
        vec![vec![1, 2, 3], vec![2, 3, 4], vec![3, 4, 5]]
    );
    let labels: Vec<&str> = m
        .spec()
        .priority
        .levels
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(labels, ["Critical", "High", "Moderate", "Low", "Planning"]);
}

#[test]
fn itop_preset_is_the_documented_table() {
    let m = PriorityMatrix::itop();
    assert_eq!(m.name(), "itop");
    assert_eq!(
        rows_by_impact(&m),
        vec![vec![1, 1, 2, 4], vec![1, 2, 3, 4], vec![2, 3, 3, 4]]
    );
}

#[test]
fn glpi_preset_is_the_documented_table_keyed_by_urgency() {
    let m = PriorityMatrix::glpi();
    assert_eq!(m.name(), "glpi");
    // GLPI's documentation gives rows by urgency, columns by impact.
    let by_urgency = [
        [1, 1, 2, 2, 2],
        [1, 2, 2, 3, 3],
        [2, 2, 3, 4, 4],
        [2, 3, 4, 4, 5],
        [2, 3, 4, 5, 5],
    ];
    for (u, row) in (1u8..).zip(by_urgency) {
        for (i, p) in (1u8..).zip(row) {
            assert_eq!(
                m.priority(Impact(i), Urgency(u)),
                Ok(Priority(p)),
                "impact {i}, urgency {u}"
            );
        }
    }
    // Major (6) is on the scale but no cell gives it.
    assert!(
        m.spec()
            .priority
            .levels
            .iter()
            .any(|l| l.value == 6 && l.label == "Major")
    );
    assert!(rows_by_impact(&m).iter().flatten().all(|p| *p != 6));
    assert_eq!(m.spec().impact.direction, Direction::HigherIsMoreSevere);
}

#[test]
fn floor_average_preset_gives_floor_of_the_mean() {
    let m = PriorityMatrix::floor_average();
    assert_eq!(m.name(), "floor-average");
    assert_eq!(
        rows_by_impact(&m),
        vec![
            vec![1, 1, 2, 2, 3],
            vec![1, 2, 2, 3, 3],
            vec![2, 2, 3, 3, 4],
            vec![2, 3, 3, 4, 4],
            vec![3, 3, 4, 4, 5],
        ]
    );
    // The same spec built by hand is the same matrix.
    let by_hand = PriorityMatrix::new(MatrixSpec {
        name: "floor-average".into(),
        ..m.spec().clone()
    })
    .unwrap();
    assert_eq!(by_hand, m);
}

#[test]
fn the_servicenow_formula_reproduces_the_servicenow_table() {
    // impact + urgency - 1 on 3x3 with priority 1..5.
    let m = PriorityMatrix::new(formula(3, 5, -1, 1, Rounding::Floor)).unwrap();
    assert_eq!(
        rows_by_impact(&m),
        rows_by_impact(&PriorityMatrix::servicenow())
    );
}

#[test]
fn glpi_fallback_rounds_halves_up() {
    // round((urgency + impact) / 2), 5 most severe everywhere.
    let five = numbered(Direction::HigherIsMoreSevere, 5);
    let m = PriorityMatrix::new(MatrixSpec {
        name: "glpi-fallback".into(),
        impact: five.clone(),
        urgency: five.clone(),
        priority: five,
        rule: Rule::Formula {
            offset: 0,
            divisor: 2,
            rounding: Rounding::HalfAwayFromZero,
        },
    })
    .unwrap();
    assert_eq!(
        rows_by_impact(&m),
        vec![
            vec![1, 2, 2, 3, 3],
            vec![2, 2, 3, 3, 4],
            vec![2, 3, 3, 4, 4],
            vec![3, 3, 4, 4, 5],
            vec![3, 4, 4, 5, 5],
        ]
    );
}

#[test]
fn ceil_rounds_up() {
    let m = PriorityMatrix::new(formula(5, 5, 0, 2, Rounding::Ceil)).unwrap();
    assert_eq!(m.priority(Impact(1), Urgency(2)), Ok(Priority(2)));
    assert_eq!(m.priority(Impact(2), Urgency(2)), Ok(Priority(2)));
    assert_eq!(m.priority(Impact(4), Urgency(5)), Ok(Priority(5)));
}

#[test]
fn a_formula_that_leaves_the_scale_names_the_first_cell() {
    // impact + urgency - 1 on 5x5 goes past 5 at (2, 5).
    assert_eq!(
        PriorityMatrix::new(formula(5, 5, -1, 1, Rounding::Floor)),
        Err(Error::FormulaOutOfScale {
            impact: 2,
            urgency: 5,
            computed: 6,
            allowed: vec![1, 2, 3, 4, 5],
        })
    );
    // Below the scale: floor((1 + 1 - 2) / 2) = 0.
    assert_eq!(
        PriorityMatrix::new(formula(5, 5, -2, 2, Rounding::Floor)),
        Err(Error::FormulaOutOfScale {
            impact: 1,
            urgency: 1,
            computed: 0,
            allowed: vec![1, 2, 3, 4, 5],
        })
    );
    // Far below zero (no wrap into u8).
    assert_eq!(
        PriorityMatrix::new(formula(2, 5, -300, 1, Rounding::Floor)),
        Err(Error::FormulaOutOfScale {
            impact: 1,
            urgency: 1,
            computed: -298,
            allowed: vec![1, 2, 3, 4, 5],
        })
    );
}

#[test]
fn a_formula_dividing_by_zero_is_refused() {
    assert_eq!(
        PriorityMatrix::new(formula(5, 5, 0, 0, Rounding::Floor)),
        Err(Error::ZeroDivisor)
    );
}

#[test]
fn a_formula_against_the_scale_directions_is_not_monotone() {
    // Higher impact is more severe, but a higher sum gives a higher (less severe) priority.
    // Cells are compared with their neighbour one step more severe, so the first violation
    // in scale order is (1, 2) = 1 against (2, 2) = 2.
    let mut spec = formula(5, 5, 0, 2, Rounding::Floor);
    spec.impact.direction = Direction::HigherIsMoreSevere;
    assert_eq!(
        PriorityMatrix::new(spec),
        Err(Error::NotMonotone {
            axis: Axis::Impact,
            impact: 1,
            urgency: 2,
            priority: 1,
            more_severe: 2,
            worse_priority: 2,
        })
    );
}

#[test]
fn scales_must_be_non_empty_and_unique() {
    let mut spec = formula(3, 5, -1, 1, Rounding::Floor);
    spec.urgency.levels.clear();
    assert_eq!(
        PriorityMatrix::new(spec),
        Err(Error::EmptyScale {
            axis: Axis::Urgency
        })
    );

    let mut spec = formula(3, 5, -1, 1, Rounding::Floor);
    spec.priority.levels.push(Level::new(3, "again"));
    assert_eq!(
        PriorityMatrix::new(spec),
        Err(Error::DuplicateLevel {
            axis: Axis::Priority,
            value: 3
        })
    );
}

#[test]
fn a_hand_written_table_that_is_not_monotone_names_the_cell() {
    // ServiceNow's table with (1, 2) made Planning. Cells are checked in scale order, so the
    // first one to see it is (1, 3): urgency 2 is more severe than 3 yet gives 5, not 3.
    let mut spec = PriorityMatrix::servicenow().spec().clone();
    if let Rule::Table { cells } = &mut spec.rule {
        for c in cells.iter_mut() {
            if (c.impact, c.urgency) == (1, 2) {
                c.priority = 5;
            }
        }
    }
    assert_eq!(
        PriorityMatrix::new(spec),
        Err(Error::NotMonotone {
            axis: Axis::Urgency,
            impact: 1,
            urgency: 3,
            priority: 3,
            more_severe: 2,
            worse_priority: 5,
        })
    );
}

#[test]
fn the_documented_real_edit_of_servicenow_is_accepted() {
    // One real log maps (3, 3) to 4: still monotone.
    let mut spec = PriorityMatrix::servicenow().spec().clone();
    if let Rule::Table { cells } = &mut spec.rule {
        for c in cells.iter_mut() {
            if (c.impact, c.urgency) == (3, 3) {
                c.priority = 4;
            }
        }
    }
    let m = PriorityMatrix::new(spec).unwrap();
    assert_eq!(m.priority(Impact(3), Urgency(3)), Ok(Priority(4)));
}

#[test]
fn cells_in_any_order_and_levels_in_any_order_give_the_same_matrix_values() {
    let sn = PriorityMatrix::servicenow();
    let mut spec = sn.spec().clone();
    spec.impact.levels.reverse();
    spec.priority.levels.swap(0, 4);
    if let Rule::Table { cells } = &mut spec.rule {
        cells.reverse();
    }
    let shuffled = PriorityMatrix::new(spec).unwrap();
    assert_eq!(rows_by_impact(&shuffled), rows_by_impact(&sn));
}

#[test]
fn explain_agrees_with_priority_on_every_pair_of_every_preset() {
    for m in presets() {
        let mut pairs = 0;
        for i in &m.spec().impact.levels {
            for u in &m.spec().urgency.levels {
                let p = m.priority(Impact(i.value), Urgency(u.value)).unwrap();
                let why = m.explain(Impact(i.value), Urgency(u.value)).unwrap();
                assert_eq!(why.priority.value, p.0, "{} ({i}, {u})", m.name());
                assert_eq!(&why.impact, i);
                assert_eq!(&why.urgency, u);
                let label = &m
                    .spec()
                    .priority
                    .levels
                    .iter()
                    .find(|l| l.value == p.0)
                    .unwrap()
                    .label;
                assert_eq!(&why.priority.label, label);
                assert_eq!(why.matrix, m.name());
                let expected_rule = match m.spec().rule {
                    Rule::Table { .. } => RuleUsed::Cell,
                    Rule::Formula {
                        offset,
                        divisor,
                        rounding,
                    } => RuleUsed::Formula {
                        offset,
                        divisor,
                        rounding,
                    },
                };
                assert_eq!(why.rule, expected_rule);
                pairs += 1;
            }
        }
        assert_eq!(
            pairs,
            m.spec().impact.levels.len() * m.spec().urgency.levels.len()
        );
    }
}

#[test]
fn lookups_off_the_scale_are_refused() {
    let m = PriorityMatrix::itop();
    assert_eq!(
        m.priority(Impact(4), Urgency(1)),
        Err(Error::UnknownLevel {
            axis: Axis::Impact,
            value: 4,
            allowed: vec![1, 2, 3]
        })
    );
    assert_eq!(
        m.explain(Impact(1), Urgency(0)),
        Err(Error::UnknownLevel {
            axis: Axis::Urgency,
            value: 0,
            allowed: vec![1, 2, 3, 4]
        })
    );
    assert!(m.has_impact(Impact(3)));
    assert!(!m.has_impact(Impact(4)));
    assert!(m.has_urgency(Urgency(4)));
    assert!(!m.has_urgency(Urgency(5)));
}

#[test]
fn explanation_of_a_cell_rule_reads_well() {
    let why = PriorityMatrix::glpi()
        .explain(Impact(5), Urgency(4))
        .unwrap();
    assert_eq!(
        why.to_string(),
        "impact 5 (Very high) and urgency 4 (High) give priority 5 (Very high) by cell (impact 5, urgency 4) of matrix `glpi`"
    );
    let why = PriorityMatrix::itop()
        .explain(Impact(3), Urgency(1))
        .unwrap();
    assert_eq!(
        why.to_string(),
        "impact 3 (A person) and urgency 1 (Critical) give priority 2 (High) by cell (impact 3, urgency 1) of matrix `itop`"
    );
}

#[test]
fn explanation_of_a_formula_rule_reads_well() {
    let why = PriorityMatrix::floor_average()
        .explain(Impact(2), Urgency(5))
        .unwrap();
    assert_eq!(
        why.to_string(),
        "impact 2 (High) and urgency 5 (Very low) give priority 3 (Medium) by floor((impact + urgency) / 2) of matrix `floor-average`"
    );
    let why = PriorityMatrix::new(formula(3, 5, -1, 1, Rounding::Floor))
        .unwrap()
        .explain(Impact(3), Urgency(2))
        .unwrap();
    assert_eq!(
        why.to_string(),
        "impact 3 (P3) and urgency 2 (P2) give priority 4 (P4) by floor((impact + urgency - 1) / 1) of matrix `formula`"
    );
    let why = PriorityMatrix::new(formula(5, 5, 1, 3, Rounding::Ceil))
        .unwrap()
        .explain(Impact(5), Urgency(5))
        .unwrap();
    assert_eq!(
        why.to_string(),
        "impact 5 (P5) and urgency 5 (P5) give priority 4 (P4) by ceil((impact + urgency + 1) / 3) of matrix `formula`"
    );
    let why = PriorityMatrix::new(formula(5, 5, 0, 2, Rounding::HalfAwayFromZero))
        .unwrap()
        .explain(Impact(1), Urgency(2))
        .unwrap();
    assert_eq!(
        why.to_string(),
        "impact 1 (P1) and urgency 2 (P2) give priority 2 (P2) by round((impact + urgency) / 2) of matrix `formula`"
    );
}

#[test]
fn an_explanation_with_the_most_negative_offset_displays() {
    // Explanations are public data (and deserializable), so Display must not overflow.
    let why = PriorityExplanation {
        matrix: "edge".into(),
        impact: Level::new(1, "a"),
        urgency: Level::new(2, "b"),
        priority: Level::new(0, "c"),
        rule: RuleUsed::Formula {
            offset: i16::MIN,
            divisor: 255,
            rounding: Rounding::Ceil,
        },
    };
    assert_eq!(
        why.to_string(),
        "impact 1 (a) and urgency 2 (b) give priority 0 (c) by ceil((impact + urgency - 32768) / 255) of matrix `edge`"
    );
}

#[test]
fn a_table_cell_for_an_unknown_level_is_refused_before_missing_cells() {
    let scale = Scale::numbered(Direction::LowerIsMoreSevere, &["High", "Low"]);
    let spec = MatrixSpec {
        name: "tiny".into(),
        impact: scale.clone(),
        urgency: scale.clone(),
        priority: scale,
        rule: Rule::Table {
            cells: vec![Cell {
                impact: 1,
                urgency: 1,
                priority: 3,
            }],
        },
    };
    assert_eq!(
        PriorityMatrix::new(spec),
        Err(Error::UnknownLevel {
            axis: Axis::Priority,
            value: 3,
            allowed: vec![1, 2]
        })
    );
}

#[test]
fn numbered_scales_count_from_one() {
    let s = Scale::numbered(Direction::HigherIsMoreSevere, &["a", "b", "c"]);
    assert_eq!(
        s.levels,
        vec![Level::new(1, "a"), Level::new(2, "b"), Level::new(3, "c")]
    );
    assert_eq!(s.direction, Direction::HigherIsMoreSevere);
    assert_eq!(Level::new(2, "High").to_string(), "2 (High)");
}
