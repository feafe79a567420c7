//! Rows of `docs/bad-inputs.md`: itsm-licence, itsm-continuity, itsm-cost, itsm-contract and
//! itsm-vuln.

use super::*;

pub(super) fn rows(row: &mut impl FnMut(&'static str, &str, String)) {
    // itsm-licence
    {
        use itsm_licence::{
            Device, Entitlement, Install, Metric, Policy, Rights, Snapshot, reconcile,
        };
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let policy = Policy::servicenow();
        let mut s = Snapshot::new(as_of);
        s.installs = vec![Install::new("i1", "Office", "lap-9")];
        row(
            "`itsm_licence::reconcile`",
            "an install on a device the snapshot does not list",
            err(reconcile(&s, &policy)),
        );
        let mut s = Snapshot::new(as_of);
        s.devices = vec![Device::new("lap-1")];
        s.entitlements = vec![
            Entitlement::new("E1", "Office", Metric::PER_DEVICE, Rights::Count(1))
                .allocate("lap-1", 2),
        ];
        row(
            "`itsm_licence::reconcile`",
            "an entitlement of 1 right allocating 2",
            err(reconcile(&s, &policy)),
        );
        s.entitlements = vec![
            Entitlement::new("E1", "Office", Metric::PER_DEVICE, Rights::Count(u64::MAX))
                .costing(u64::MAX),
        ];
        row(
            "`itsm_licence::reconcile`",
            "`u64::MAX` unused rights at `u64::MAX` each",
            err(reconcile(&s, &policy)),
        );
        row(
            "`itsm_licence::Snapshot` (JSON)",
            "an entitlement with `\"rights\": -1`",
            json_err::<Snapshot>(json!({"as_of": "2026-06-30", "entitlements": [
                {"id": "E1", "model": "Office", "metric": {"kind": "per_device"}, "rights": {"count": -1}}]})),
        );
        row(
            "`itsm_licence::Snapshot` (JSON)",
            "a metric `{\"kind\": \"per_seat\"}`",
            json_err::<Snapshot>(json!({"as_of": "2026-06-30", "entitlements": [
                {"id": "E1", "model": "Office", "metric": {"kind": "per_seat"}, "rights": "unlimited"}]})),
        );
    }

    // itsm-continuity
    {
        use chrono::Duration;
        use itsm_continuity::{
            Answers, Capability, Category, ContinuitySpec, Disruption, Objective, Plan, Policy,
            Rating, Template, assess,
        };
        let graph = itsm_graph::Graph::from_spec(
            &serde_json::from_value(data("shop-topology.json")).unwrap(),
        )
        .unwrap();
        let plan = |o: Vec<Objective>, c: Vec<Capability>| {
            Plan::new(&graph, &ContinuitySpec::new(o, c)).map(|_| ())
        };
        row(
            "`itsm_continuity::Plan::new`",
            "an objective for a node the graph does not have",
            err(plan(
                vec![Objective::new("web-shpo", Duration::hours(4))],
                vec![],
            )),
        );
        row(
            "`itsm_continuity::Plan::new`",
            "a recovery time for a redundancy group",
            err(plan(
                vec![],
                vec![Capability::new("web-farm", Duration::hours(1))],
            )),
        );
        row(
            "`itsm_continuity::Plan::new`",
            "an MTPD shorter than the RTO",
            err(plan(
                vec![Objective::new("web-shop", Duration::hours(8)).with_mtpd(Duration::hours(4))],
                vec![],
            )),
        );
        let p = Plan::new(&graph, &ContinuitySpec::default()).unwrap();
        row(
            "`itsm_continuity::Plan::recover`",
            "a site the graph does not have",
            err(p.recover(
                &Disruption::Locations(vec!["eu-west-9".into()]),
                &Policy::default(),
            )),
        );
        row(
            "`itsm_continuity::Plan::recover`",
            "RTAs of half the longest duration, three along a path",
            err(Plan::new(
                &graph,
                &ContinuitySpec::new(
                    vec![],
                    vec![
                        Capability::new("eu-west-1", Duration::MAX / 2),
                        Capability::new("eu-west-1a", Duration::MAX / 2),
                        Capability::new("lb-1", Duration::MAX / 2),
                    ],
                ),
            )
            .unwrap()
            .recover(&Disruption::Everything, &Policy::default())),
        );
        let t = Template::servicenow().with_category(Category::rto(
            "Revenue",
            vec![Rating::new("Low", 1, true), Rating::new("High", 2, false)],
            "1 Month",
        ));
        row(
            "`itsm_continuity::assess`",
            "an answer in a timeframe the template does not define",
            err(assess(
                &t,
                &Answers::default().at("Revenue", "High", "3 Days"),
            )),
        );
        let mut no_tier = t.clone();
        no_tier.tiers.clear();
        row(
            "`itsm_continuity::assess`",
            "an RTO whose timeframe is in no tier",
            err(assess(
                &no_tier,
                &Answers::default().at("Revenue", "High", "8 Hours"),
            )),
        );
        row(
            "`itsm_continuity::ContinuitySpec` (JSON)",
            "an RTO of `\"P1M\"`",
            json_err::<ContinuitySpec>(json!({"objectives": [{"id": "web-shop", "rto": "P1M"}]})),
        );
    }

    // itsm-cost
    {
        use itsm_cost::{
            AllocationUnits, CostSpec, Costing, Expense, PathRule, Policy, RateCard, Selector,
        };
        let graph: itsm_graph::GraphSpec =
            serde_json::from_value(data("shop-topology.json")).unwrap();
        let cost = |spec: &CostSpec| Costing::new(&graph, spec, &Policy::default()).map(|_| ());
        let mut narrow = CostSpec::default();
        narrow.paths = Some(vec![PathRule::new("vm", "hosted_in")]);
        row(
            "`itsm_cost::Costing::new`",
            "the shop's graph with every relation carrying cost (checkout and payments call each other)",
            err(cost(&CostSpec::default())),
        );
        row(
            "`itsm_cost::Costing::new`",
            "an expense for a node the graph does not have",
            err(cost(&CostSpec::new(
                vec![],
                vec![Expense::new("web-shpo", 100, "")],
                vec![],
            ))),
        );
        row(
            "`itsm_cost::Costing::new`",
            "a rate card for a redundancy group",
            err(cost(&CostSpec::new(
                vec![RateCard::new(
                    "farm",
                    Selector::nodes(&["web-farm"]),
                    &[("x", 1)],
                )],
                vec![],
                vec![],
            ))),
        );
        let mut units = narrow.clone();
        units.units = vec![AllocationUnits::new(
            "web-shop",
            10,
            &[("Retail", 8), ("UK", 5)],
        )];
        row(
            "`itsm_cost::Costing::new`",
            "cost centres using 13 of a service's 10 units",
            err(cost(&units)),
        );
        let mut big = narrow.clone();
        big.expenses = vec![
            Expense::new("eu-west-1a", i64::MAX, ""),
            Expense::new("eu-west-1b", i64::MAX, ""),
        ];
        big.paths = Some(vec![PathRule::default()]);
        big.units.clear();
        row(
            "`itsm_cost::Costing::new`",
            "two expenses of 2^63 - 1 minor units reaching one node",
            err(Costing::new(&graph, &big, &{
                let mut p = Policy::default();
                p.cycles = itsm_cost::Cycles::Pool;
                p
            })
            .map(|_| ())),
        );
        {
            use itsm_cost::{Condition, Task, TaskRate, TaskRateCard, TaskRates, cost_tasks};
            let rates = TaskRates::new(
                vec![TaskRateCard::new(
                    "Emergency change",
                    "change_request",
                    Condition::any(),
                    TaskRate::TimeWorked {
                        default_hourly: 25_000,
                    },
                )],
                vec![],
                vec![],
            );
            row(
                "`itsm_cost::cost_tasks`",
                "time worked of minus one minute",
                err(cost_tasks(
                    &rates,
                    &[Task::new("CHG1", "change_request", Some("lb-1")).worked(
                        "ann",
                        chrono::Duration::minutes(-1),
                        None,
                    )],
                )
                .map(|_| ())),
            );
        }
        row(
            "`itsm_cost::CostSpec` (JSON)",
            "an amount of `12.5`",
            json_err::<CostSpec>(json!({"expenses": [{"node": "cdn", "amount": 12.5}]})),
        );
    }

    // itsm-contract
    {
        use itsm_contract::{
            Actor, Command, ContractId, ContractSpec, Interval, Model, Policy, RateCardSpec,
            Renewal, Role, State, UserId,
        };
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2027, m, d).unwrap();
        let manager = Actor::new(
            UserId::from_u128(1),
            [Role::new("contract_manager").unwrap()],
        );
        let policy = Policy::servicenow();
        let ctx = itsm_contract::Context::new(day(1, 1), &manager, &policy);
        let create = |spec: ContractSpec| {
            err(itsm_contract::decide(
                &State::new(),
                &Command::create(ContractId::from_u128(1), spec),
                &ctx,
            )
            .map(|_| ()))
        };
        let year = || {
            ContractSpec::new(
                "MNT-1",
                Model::Maintenance,
                Some(day(1, 1)),
                Some(day(12, 31)),
            )
        };
        row(
            "`itsm_contract::decide` (create)",
            "a purchase agreement without a vendor",
            create(ContractSpec::new(
                "PA-1",
                Model::PurchaseAgreement,
                Some(day(1, 1)),
                Some(day(12, 31)),
            )),
        );
        row(
            "`itsm_contract::decide` (create)",
            "a rate card starting before the contract",
            create(year().rate_card(RateCardSpec::new(
                "support",
                chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                Interval::Monthly,
                100,
            ))),
        );
        let mut state = State::new();
        state.apply(
            &itsm_contract::decide(
                &state,
                &Command::create(ContractId::from_u128(1), year()),
                &ctx,
            )
            .unwrap(),
        );
        row(
            "`itsm_contract::decide`",
            "a renewal of a draft",
            err(itsm_contract::decide(
                &state,
                &Command::Renew {
                    renewal: Renewal::new(day(6, 1), day(12, 31)),
                },
                &ctx,
            )
            .map(|_| ())),
        );
        row(
            "`itsm_contract::decide`",
            "a draft submitted without an approver",
            err(
                itsm_contract::decide(&state, &Command::Submit { approver: None }, &ctx)
                    .map(|_| ()),
            ),
        );
        row(
            "`itsm_contract::Policy` (JSON)",
            "an expiry `at_midnight`",
            json_err::<Policy>(json!({"expiry": "at_midnight"})),
        );
    }

    // itsm-vuln
    {
        use itsm_vuln::{
            Actor, Board, Command, ConfigItemId, Facts, ItemId, Policy, Reason, Role, Severity,
            Subject, TaskId, UserId,
        };
        let now = chrono::DateTime::parse_from_rfc3339("2027-03-01T09:00:00Z")
            .unwrap()
            .to_utc();
        let scanner = Actor::new(
            UserId::from_u128(1),
            [Role::new("sn_vul.integration").unwrap()],
        );
        let owner = Actor::new(
            UserId::from_u128(2),
            [Role::new("sn_vul.remediation_owner").unwrap()],
        );
        let policy = Policy::servicenow();
        let mut board = Board::new();
        let found = Command::Found {
            item: ItemId::from_u128(1),
            ci: ConfigItemId::from_u128(1),
            vulnerability: "CVE-2024-3094".into(),
            facts: Facts::new(Severity::High),
            task: None,
        };
        board.apply(
            &itsm_vuln::decide(
                &board,
                &found,
                &itsm_vuln::Context::new(now, &scanner, &policy),
            )
            .unwrap(),
        );
        let decide = |actor: &Actor, command: Command| {
            err(itsm_vuln::decide(
                &board,
                &command,
                &itsm_vuln::Context::new(now, actor, &policy),
            )
            .map(|_| ()))
        };
        row(
            "`itsm_vuln::decide`",
            "an item reported on another configuration item",
            decide(
                &scanner,
                Command::Found {
                    item: ItemId::from_u128(1),
                    ci: ConfigItemId::from_u128(2),
                    vulnerability: "CVE-2024-3094".into(),
                    facts: Facts::new(Severity::High),
                    task: None,
                },
            ),
        );
        row(
            "`itsm_vuln::decide`",
            "an exception until a time already past",
            decide(
                &owner,
                Command::RequestException {
                    subject: Subject::Item(ItemId::from_u128(1)),
                    until: now,
                    reason: Reason::RiskAccepted,
                    information: String::new(),
                },
            ),
        );
        row(
            "`itsm_vuln::decide`",
            "a task with no items",
            decide(
                &owner,
                Command::CreateTask {
                    task: TaskId::from_u128(1),
                    items: vec![],
                    assigned_to: None,
                    group: None,
                },
            ),
        );
        row(
            "`itsm_vuln::Policy::check`",
            "a risk rule whose weights add up to 120 %",
            {
                let mut p = Policy::servicenow();
                p.calculators = vec![itsm_vuln::CalculatorRule::new(
                    "heavy",
                    itsm_vuln::Condition::any(),
                    itsm_vuln::Score::Weighted(
                        itsm_vuln::Weights::new(100, itsm_vuln::Levels::new(100, 75, 50, 25, 0))
                            .exploit(20),
                    ),
                )];
                err(p.check())
            },
        );
        row(
            "`itsm_vuln::Policy` (JSON)",
            "a recalculation `sometimes`",
            json_err::<Policy>(json!({"recalculation": "sometimes"})),
        );
    }
}
