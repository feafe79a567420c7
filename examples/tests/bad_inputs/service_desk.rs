//! Rows of `docs/bad-inputs.md`: itsm-core, itsm-calendar, itsm-incident and itsm-sla.

use super::*;

pub(super) fn rows(row: &mut impl FnMut(&'static str, &str, String)) {
    // itsm-core
    row(
        "`itsm_core::duration::parse`",
        "`3 fortnights`",
        err(itsm_core::duration::parse("3 fortnights")),
    );
    row(
        "`itsm_core::Role::new`",
        "an empty name",
        err(itsm_core::Role::new("")),
    );
    let mut matrix = data("uci-priority-matrix.json");
    matrix["rule"]["cells"].as_array_mut().unwrap().pop();
    row(
        "`itsm_core::PriorityMatrix` (JSON)",
        "`uci-priority-matrix.json` without its last cell",
        json_err::<itsm_core::PriorityMatrix>(matrix),
    );

    // itsm-calendar
    row(
        "`itsm_calendar::Segment::parse`",
        "`09:00` to `25:00`",
        err(itsm_calendar::Segment::parse("09:00", "25:00")),
    );
    row(
        "`itsm_calendar::Segment::parse`",
        "`9am` to `5pm`",
        err(itsm_calendar::Segment::parse("9am", "5pm")),
    );

    row(
        "`itsm_calendar::ics::read`",
        "a feed that opens with `BEGIN:VEVENT`",
        err(itsm_calendar::ics::read(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nEND:VEVENT\r\n",
        )),
    );
    row(
        "`itsm_calendar::ics::read`",
        "a 100,000-digit `DTSTART`",
        err(itsm_calendar::ics::read(&format!(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "9".repeat(100_000)
        ))),
    );

    // itsm-incident
    let mut policy = serde_json::to_value(itsm_incident::Policy::itop()).unwrap();
    policy["workflow"]["states"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "limbo", "kind": "in_progress" }));
    row(
        "`itsm_incident::Policy` (JSON)",
        "iTop's policy plus a state `limbo` no transition reaches or leaves",
        json_err::<itsm_incident::Policy>(policy),
    );
    row(
        "`itsm_incident::Command` (JSON)",
        r#"`{"command": "teleport"}`"#,
        json_err::<itsm_incident::Command>(json!({ "command": "teleport" })),
    );
    {
        use itsm_core::{Actor, Impact, Role, Urgency, UserId};
        use itsm_incident::{Command, Context, IncidentId, Policy, Report, State};
        let agent = Actor::new(UserId::from_u128(1), [Role::new("agent").unwrap()]);
        let policy = Policy::servicenow();
        let report = Report::new(
            IncidentId::from_u128(1),
            UserId::from_u128(2),
            Impact(2),
            Urgency(2),
            "mail is down",
        );
        let events = itsm_incident::decide(
            &State::new(),
            &Command::Report(Box::new(report)),
            &Context::new(t(10), &agent, &policy),
        )
        .unwrap();
        let state = events.iter().fold(State::new(), itsm_incident::evolve);
        row(
            "`itsm_incident::decide`",
            "a command an hour before the incident's last event",
            err(itsm_incident::decide(
                &state,
                &Command::StartWork,
                &Context::new(t(9), &agent, &policy),
            )),
        );
        let end = DateTime::<Utc>::MAX_UTC;
        row(
            "`itsm_incident::decide`",
            "`resolve` three days before the end of chrono's range (the auto-close deadline \
             a week later would be past it)",
            err(itsm_incident::decide(
                &state,
                &Command::Resolve {
                    code: "solved".into(),
                    notes: "replaced the cable".into(),
                },
                &Context::new(end - Duration::days(3), &agent, &policy),
            )),
        );
        let mut request = Report::new(
            IncidentId::from_u128(3),
            UserId::from_u128(2),
            Impact(3),
            Urgency(3),
            "please reopen",
        );
        row(
            "`itsm_incident::follow_up`",
            "a request to reopen an incident that is still new",
            err(itsm_incident::follow_up(&state, request.clone(), &policy)),
        );
        request.id = IncidentId::from_u128(1);
        let closed = [
            Command::Resolve {
                code: "solved".into(),
                notes: "replaced the cable".into(),
            },
            Command::Close { resolution: None },
        ]
        .iter()
        .fold(state.clone(), |state, command| {
            let events =
                itsm_incident::decide(&state, command, &Context::new(t(11), &agent, &policy))
                    .unwrap();
            events.iter().fold(state, itsm_incident::evolve)
        });
        row(
            "`itsm_incident::follow_up`",
            "a follow-up of a closed incident under the closed incident's own id",
            err(itsm_incident::follow_up(&closed, request, &policy)),
        );
    }

    // itsm-sla
    {
        use itsm_sla::{Definition, Definitions, Selection, Target};
        let p1 = || Definition::new("p1", Target::Resolution, Duration::hours(4));
        row(
            "`itsm_sla::Definitions::new`",
            "two definitions with the id `p1`",
            err(Definitions::new(vec![p1(), p1()], Selection::All)),
        );
        row(
            "`itsm_sla::Definitions::new`",
            "a target of zero",
            err(Definitions::new(
                vec![Definition::new("p1", Target::Resolution, Duration::zero())],
                Selection::All,
            )),
        );
        let mut deep = p1();
        deep.start = (0..100_000).fold(itsm_sla::Condition::Always, |c, _| {
            itsm_sla::Condition::Not(Box::new(c))
        });
        row(
            "`itsm_sla::Definitions::new`",
            "a start condition of 100,000 nested `not`s, built in code",
            err(Definitions::new(vec![deep], Selection::All)),
        );
        let tiny = Definition::new("p1", Target::Resolution, Duration::nanoseconds(1));
        let definitions = Definitions::new(vec![tiny], Selection::All).unwrap();
        let calendars = itsm_sla::Calendars::new();
        let timeline = vec![(
            t(9),
            itsm_sla::TicketView::new("new", itsm_sla::Category::New),
        )];
        let replayed = itsm_sla::replay(&timeline, &definitions, &calendars, None).unwrap();
        let clock = &replayed.clocks.clocks()[0];
        row(
            "`itsm_sla::measure`",
            "a clock whose target is one nanosecond, 11 days after it started (the \
             percentage in hundredths passes `i64`)",
            err(itsm_sla::measure(
                clock,
                t(9) + Duration::days(11),
                &definitions,
                &calendars,
            )),
        );
    }
}
