//! What-if: which tickets change breach status under other definitions, with margins.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_sla::{
    BreachChange, Condition, Definitions, Outcome, Selection, Target, TicketView, Timeline,
    counterfactual,
};

/// An outcome as plain values: definition, breached, margin.
type Plain = (String, bool, Duration);

/// A change as plain values (results are `#[non_exhaustive]`, so tests compare their fields).
fn plain(c: &BreachChange) -> (String, Target, Option<Plain>, Option<Plain>) {
    let o = |o: &Option<Outcome>| {
        o.as_ref()
            .map(|o| (o.definition.clone(), o.breached, o.margin))
    };
    (c.ticket.clone(), c.kind.clone(), o(&c.before), o(&c.after))
}

fn plain_all(changes: &[BreachChange]) -> Vec<(String, Target, Option<Plain>, Option<Plain>)> {
    changes.iter().map(plain).collect()
}

fn set(hours: i64, calendar: Option<&str>) -> Definitions {
    defs(vec![resolution(
        &format!("resolution-{hours}h"),
        hours,
        calendar,
    )])
}

fn tickets() -> Vec<(String, Timeline)> {
    let t = |name: &str, steps: Vec<(DateTime<Utc>, TicketView)>| (name.to_owned(), steps);
    vec![
        t(
            "fast",
            vec![
                (at(MON, 9, 0), view(Open)),
                (at(MON, 11, 0), view(Resolved)),
            ],
        ),
        t(
            "medium",
            vec![
                (at(MON, 9, 0), view(Open)),
                (at(MON, 15, 0), view(Resolved)),
            ],
        ),
        t(
            "slow",
            vec![
                (at(MON, 9, 0), view(Open)),
                (at(MON, 19, 0), view(Resolved)),
            ],
        ),
        // Pending 10-14: 3 hours used in 7.
        t(
            "waiting",
            vec![
                (at(MON, 9, 0), view(Open)),
                (at(MON, 10, 0), view(Pending)),
                (at(MON, 14, 0), view(Open)),
                (at(MON, 16, 0), view(Resolved)),
            ],
        ),
        // Still open when the what-if is asked.
        t("open", vec![(at(MON, 9, 0), view(Open))]),
        // Priority 3: no clock under either set.
        t("p3", vec![(at(MON, 9, 0), with_priority(view(Open), 3))]),
    ]
}

fn until() -> DateTime<Utc> {
    at(MON, 16, 0)
}

fn outcome(definition: &str, breached: bool, margin_hours: i64) -> Option<Plain> {
    Some((definition.into(), breached, hours(margin_hours)))
}

#[test]
fn exactly_the_tickets_that_change_breach_status_are_reported_with_margins() {
    let (four, eight) = (set(4, None), set(8, None));
    let changes = counterfactual(&four, &eight, &calendars(), &tickets(), until()).unwrap();
    assert_eq!(
        plain_all(&changes),
        [
            (
                "medium".into(),
                Target::Resolution,
                outcome("resolution-4h", true, -2),
                outcome("resolution-8h", false, 2),
            ),
            (
                "open".into(),
                Target::Resolution,
                outcome("resolution-4h", true, -3),
                outcome("resolution-8h", false, 1),
            ),
        ]
    );
    // The other way round: the same tickets, before and after swapped.
    let back = counterfactual(&eight, &four, &calendars(), &tickets(), until()).unwrap();
    let swapped: Vec<_> = plain_all(&changes)
        .into_iter()
        .map(|(ticket, kind, before, after)| (ticket, kind, after, before))
        .collect();
    assert_eq!(plain_all(&back), swapped);
}

#[test]
fn identical_sets_report_nothing() {
    for (hours, calendar) in [(4, None), (8, None), (4, Some(OFFICE))] {
        let a = set(hours, calendar);
        assert_eq!(
            counterfactual(&a, &a.clone(), &calendars(), &tickets(), until()).unwrap(),
            []
        );
    }
    assert_eq!(
        counterfactual(&set(4, None), &set(4, None), &calendars(), &[], until()).unwrap(),
        []
    );
}

#[test]
fn margins_are_in_business_time() {
    // Asked at 20:00 on the office calendar. 4 office hours from 09:00 end at 14:00, 8 at
    // Tuesday 10:00. "medium" (resolved 15:00) is an hour late or 3 business hours early
    // (15-17, Tuesday 09-10); "slow" (resolved 19:00) 3 hours late (14-17) or an hour early;
    // "open" likewise at 20:00. "waiting" was pending 3 business hours (10-12, 13-14), so it
    // is due at 17:00 and met either way.
    let changes = counterfactual(
        &set(4, Some(OFFICE)),
        &set(8, Some(OFFICE)),
        &calendars(),
        &tickets(),
        at(MON, 20, 0),
    )
    .unwrap();
    let summary: Vec<_> = changes
        .iter()
        .map(|c| {
            let b = c.before.as_ref().unwrap();
            let a = c.after.as_ref().unwrap();
            (
                c.ticket.as_str(),
                b.breached,
                b.margin,
                a.breached,
                a.margin,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("medium", true, -hours(1), false, hours(3)),
            ("slow", true, -hours(3), false, hours(1)),
            ("open", true, -hours(3), false, hours(1)),
        ]
    );
}

#[test]
fn a_target_kind_present_in_one_set_only_is_reported_when_it_breaches() {
    let mut with_response = vec![resolution("resolution-4h", 4, None)];
    let mut response = resolution("response-1h", 1, None);
    response.kind = Target::Response;
    response.start = Condition::Always;
    response.stop = Condition::Not(Box::new(Condition::CategoryIn(vec![New])));
    with_response.push(response);
    let b = Definitions::new(with_response, Selection::All).unwrap();
    let tickets = vec![
        // Taken at 09:30: the response is met.
        (
            "taken".to_owned(),
            vec![(at(MON, 9, 0), view(New)), (at(MON, 9, 30), view(Open))],
        ),
        // Still new at 16:00: the response breached at 10:00.
        ("ignored".to_owned(), vec![(at(MON, 9, 0), view(New))]),
    ];
    let changes =
        counterfactual(&set(4, None), &b, &calendars(), &tickets, at(MON, 12, 0)).unwrap();
    assert_eq!(
        plain_all(&changes),
        [(
            "ignored".into(),
            Target::Response,
            None,
            outcome("response-1h", true, -2),
        )]
    );
}
