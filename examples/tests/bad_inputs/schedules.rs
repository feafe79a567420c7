//! Rows of `docs/bad-inputs.md`: itsm-oncall, itsm-release, itsm-crisis and itsm-metrics.

use super::*;

pub(super) fn rows(row: &mut impl FnMut(&'static str, &str, String)) {
    // itsm-oncall
    {
        use itsm_oncall::{
            Actor, Command, Context, Policy, Rotation, Schedule, ScheduleSpec, Schedules, State,
            Step, Target, Turn, UserId,
        };
        let layer = |turn| {
            itsm_oncall::Layer::new(
                "primary",
                vec![UserId::from_u128(1)],
                Rotation {
                    handover: chrono::NaiveDate::from_ymd_opt(2027, 1, 4)
                        .unwrap()
                        .and_hms_opt(9, 0, 0)
                        .unwrap(),
                    turn,
                },
            )
        };
        let mut zoned = ScheduleSpec::new("ops", vec![layer(Turn::Days(1))]);
        zoned.zone = Some("Europe/Berlim".into());
        row(
            "`itsm_oncall::Schedule::new`",
            "a zone misspelt `Europe/Berlim`",
            err(Schedule::new(&zoned).map(|_| ())),
        );
        row(
            "`itsm_oncall::Schedule::new`",
            "a daily rotation of zero days",
            err(Schedule::new(&ScheduleSpec::new("ops", vec![layer(Turn::Days(0))])).map(|_| ())),
        );
        let hourly = Schedule::new(&ScheduleSpec::new("ops", vec![layer(Turn::Hours(1))])).unwrap();
        row(
            "`itsm_oncall::Schedule::shifts`",
            "hourly turns over 700 years",
            err(hourly
                .shifts(t(0), t(0) + Duration::days(365 * 700))
                .map(|_| ())),
        );
        let schedules: Schedules = [hourly].into_iter().collect();
        let policy = Policy::new(
            "ops",
            vec![Step::after(
                vec![Target::Schedule("opps".into())],
                Duration::minutes(15),
            )],
        );
        let system = Actor::new(UserId::from_u128(0), []);
        row(
            "`itsm_oncall::decide`",
            "a policy paging a schedule named `opps`",
            err(itsm_oncall::decide(
                &State::new(),
                &Command::Trigger,
                &Context::new(t(0), &system, &policy, &schedules),
            )
            .map(|_| ())),
        );
        row(
            "`itsm_oncall::ScheduleSpec` (JSON)",
            "a turn of `{\"months\": 1}`",
            json_err::<ScheduleSpec>(
                json!({"name": "ops", "layers": [{"name": "a", "members": [],
                "rotation": {"handover": "2027-01-04T09:00:00", "turn": {"months": 1}}}]}),
            ),
        );
        let profile = |steps: serde_json::Value| {
            json!({"user": "00000000-0000-0000-0000-000000000001",
                "methods": [{"name": "app", "channel": "push"}, {"name": "mobile", "channel": "voice"}],
                "rules": [{"name": "paged", "steps": steps}]})
        };
        let read = |v: serde_json::Value| {
            err(itsm_oncall::Profiles::new(&[serde_json::from_value(v).unwrap()]).map(|_| ()))
        };
        row(
            "`itsm_oncall::Profiles::new`",
            "a contact rule step naming the method `pager` the person does not have",
            read(profile(json!([{"method": "pager"}]))),
        );
        row(
            "`itsm_oncall::Profiles::new`",
            "a contact rule step 30 days after the notice",
            read(profile(json!([{"after": "P30D", "method": "app"}]))),
        );
        row(
            "`itsm_oncall::ProfileSpec` (JSON)",
            "a contact method on the channel `pigeon`",
            json_err::<itsm_oncall::ProfileSpec>(
                json!({"user": "00000000-0000-0000-0000-000000000001",
                "methods": [{"name": "loft", "channel": "pigeon"}], "rules": []}),
            ),
        );
    }

    // itsm-release
    {
        use itsm_release::{
            Actor, Command, PhaseSpec, Plan, Policy, Process, ReleaseId, Role, State, UserId,
        };
        let admin = Actor::new(UserId::from_u128(1), [Role::new("release_admin").unwrap()]);
        let policy = Policy::servicenow();
        let ctx = itsm_release::Context::new(t(0), &admin, &policy);
        let create = |plan: Plan| {
            err(itsm_release::decide(
                &State::new(),
                &Command::create(ReleaseId::from_u128(1), plan),
                &ctx,
            )
            .map(|_| ()))
        };
        row(
            "`itsm_release::decide` (create)",
            "a timeline phase without dates",
            create(Plan::new(
                "4.2",
                Process::Timeline,
                vec![PhaseSpec::new("build")],
            )),
        );
        row(
            "`itsm_release::decide` (create)",
            "a task due on chrono's last date",
            create(Plan::new(
                "4.2",
                Process::Stage,
                vec![
                    PhaseSpec::new("build")
                        .task(itsm_release::TaskSpec::new("x").due(chrono::NaiveDate::MAX)),
                ],
            )),
        );
        let mut state = State::new();
        state.apply(
            &itsm_release::decide(
                &state,
                &Command::create(
                    ReleaseId::from_u128(1),
                    Plan::new("4.2", Process::Stage, vec![PhaseSpec::new("build")]),
                ),
                &ctx,
            )
            .unwrap(),
        );
        row(
            "`itsm_release::decide`",
            "a phase completed before the release started",
            err(itsm_release::decide(&state, &Command::CompletePhase, &ctx).map(|_| ())),
        );
        row(
            "`itsm_release::Plan` (JSON)",
            "a process `waterfall`",
            json_err::<Plan>(json!({"name": "4.2", "process": "waterfall", "phases": []})),
        );
    }

    // itsm-crisis
    {
        use itsm_crisis::{
            Actor, Command, CrisisId, CrisisSpec, Kind, PlanSpec, Policy, Role, State, TaskRef,
            TaskSpec, UserId,
        };
        let manager = Actor::new(
            UserId::from_u128(1),
            [Role::new("sn_bcm.program_manager").unwrap()],
        );
        let policy = Policy::servicenow();
        let ctx = itsm_crisis::Context::new(t(0), &manager, &policy);
        let create = |spec: CrisisSpec| {
            err(itsm_crisis::decide(
                &State::new(),
                &Command::create(CrisisId::from_u128(1), spec),
                &ctx,
            )
            .map(|_| ()))
        };
        let plans = || {
            vec![PlanSpec::new(
                "failover",
                vec![
                    TaskSpec::new(1, "declare"),
                    TaskSpec::new(2, "switch").after([1]),
                ],
            )]
        };
        row(
            "`itsm_crisis::decide` (create)",
            "a task depending on Task ID 3 its plan does not have",
            create(CrisisSpec::new(
                "flood",
                Kind::Actual,
                vec![PlanSpec::new(
                    "failover",
                    vec![TaskSpec::new(1, "declare").after([3])],
                )],
                ["failover"],
            )),
        );
        row(
            "`itsm_crisis::decide` (create)",
            "a task referring to a plan `db` the spec does not have",
            create(CrisisSpec::new(
                "flood",
                Kind::Actual,
                vec![PlanSpec::new(
                    "failover",
                    vec![TaskSpec::new(1, "x").refers("db")],
                )],
                ["failover"],
            )),
        );
        let mut state = State::new();
        state.apply(
            &itsm_crisis::decide(
                &state,
                &Command::create(
                    CrisisId::from_u128(1),
                    CrisisSpec::new("flood", Kind::Actual, plans(), ["failover"]),
                ),
                &ctx,
            )
            .unwrap(),
        );
        state.apply(&itsm_crisis::decide(&state, &Command::Start, &ctx).unwrap());
        row(
            "`itsm_crisis::decide`",
            "work on a task still waiting for the one before it",
            err(itsm_crisis::decide(
                &state,
                &Command::Work {
                    task: TaskRef::new(0, 2),
                    started: None,
                },
                &ctx,
            )
            .map(|_| ())),
        );
        row(
            "`itsm_crisis::decide`",
            "a submission with a plan still open",
            err(itsm_crisis::decide(&state, &Command::Submit { ended: None }, &ctx).map(|_| ())),
        );
        row(
            "`itsm_crisis::Policy` (JSON)",
            "an order `by_priority`",
            json_err::<Policy>(json!({"order": "by_priority"})),
        );
    }

    // itsm-metrics: availability
    {
        use itsm_metrics::{Commitment, Interval, Outage, OutageKind, Period, periods};
        let day = Period {
            start: t(0),
            end: t(0) + Duration::days(1),
        };
        row(
            "`itsm_metrics::Commitment::measure`",
            "a target of 100.5%",
            err(Commitment::new(100.5).measure(&[], &[day], None)),
        );
        row(
            "`itsm_metrics::Commitment::measure`",
            "an outage that ends an hour before it begins",
            err(Commitment::new(99.9).measure(
                &[Outage::new(t(10), Some(t(9)), OutageKind::Outage)],
                &[day],
                None,
            )),
        );
        row(
            "`itsm_metrics::Commitment::measure`",
            "a period that ends where it starts (the second of two)",
            err(Commitment::new(99.9).measure(
                &[],
                &[
                    day,
                    Period {
                        start: t(5),
                        end: t(5),
                    },
                ],
                None,
            )),
        );
        row(
            "`itsm_metrics::periods`",
            "yearly periods up to `DateTime::<Utc>::MAX_UTC`",
            err(periods(
                Interval::Annually,
                &Utc,
                DateTime::<Utc>::MAX_UTC - Duration::days(2),
                DateTime::<Utc>::MAX_UTC,
            )),
        );
        row(
            "`itsm_metrics::Commitment` (JSON)",
            "`{\"target\": 99.9, \"planned\": \"ignored\"}`",
            json_err::<Commitment>(json!({"target": 99.9, "planned": "ignored"})),
        );
    }

    // The importer (examples/src/import)
    {
        let mut mapping = data("uci-mapping.json");
        mapping["case"] = json!("ticket_number");
        let mapping: itsm_examples::import::Mapping = serde_json::from_value(mapping)
            .unwrap_or_else(|e| panic!("the mapping no longer decodes: {e}"));
        let header = [
            "number",
            "sys_updated_at",
            "sys_mod_count",
            "incident_state",
            "sys_updated_by",
            "opened_at",
            "caller_id",
            "contact_type",
            "category",
            "cmdb_ci",
            "assignment_group",
            "assigned_to",
            "closed_code",
            "impact",
            "urgency",
            "priority",
            "reopen_count",
            "reassignment_count",
        ]
        .map(String::from);
        row(
            "`itsm_examples::import::Mapping::compile`",
            "the UCI mapping naming a column `ticket_number` the file does not have",
            err(mapping.compile(&header, &itsm_incident::Policy::servicenow())),
        );
    }
}
