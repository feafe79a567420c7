//! Conformance with ServiceNow's Cost Management documentation, one test per documented rule,
//! each naming its page (`it-business-management/cost-management/` in ServiceNow's docs).
// Amounts are written as units_cents (2_500_00 is 2,500.00).
#![allow(
    clippy::inconsistent_digit_grouping,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use itsm_cost::{
    Allocate, AllocationUnits, Budget, CostSpec, Costing, Distribution, Error, Expense, PathRule,
    Policy, RateCard, Selector, Source, UnitMethod,
};
use itsm_graph::{EdgeSpec, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec};

fn ci(id: &str, class: &str, location: &str) -> NodeSpec {
    let mut n = NodeSpec::new(id, NodeKind::ConfigurationItem, class);
    n.location = Some(location.to_owned());
    n
}

fn service(id: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::BusinessService, "business_service")
}

/// ServiceNow's demo: the dbaix901nyc server under Retail Adding Points, Retail POS and Retail
/// (`t_CIRelationships.md`), a second Unix server, a Windows server, all in New York.
fn demo() -> GraphSpec {
    GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            service("Retail"),
            service("Retail POS"),
            service("Retail Adding Points"),
            ci("dbaix901nyc", "unix_server", "ny"),
            ci("dbaix902nyc", "unix_server", "ny"),
            ci("win01nyc", "windows_server", "ny"),
            ci("mad01", "unix_server", "madrid"),
        ],
        vec![],
        vec![
            EdgeSpec::new("Retail", "dbaix901nyc", "depends_on"),
            EdgeSpec::new("Retail POS", "dbaix901nyc", "depends_on"),
            EdgeSpec::new("Retail Adding Points", "dbaix901nyc", "depends_on"),
            EdgeSpec::new("Retail", "dbaix902nyc", "depends_on"),
            EdgeSpec::new("Retail", "win01nyc", "depends_on"),
        ],
    )
}

fn costing(graph: &GraphSpec, spec: &CostSpec) -> Costing {
    match Costing::new(graph, spec, &Policy::default()) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

/// `c_CIRateCardCosts.md`: "Each cost is applied to every configuration item associated with
/// the rate card when the costs are processed."
#[test]
fn rate_card_costs_apply_to_every_item_of_the_card() {
    let card = RateCard::new(
        "Sun E20K Servers NY",
        Selector::nodes(&["dbaix901nyc", "dbaix902nyc"]),
        &[("Server backup services", 150_00), ("Maintenance", 350_00)],
    );
    let c = costing(&demo(), &CostSpec::new(vec![card], vec![], vec![]));
    for id in ["dbaix901nyc", "dbaix902nyc"] {
        assert_eq!(c.cost(id).unwrap().direct, 500_00, "{id}");
        let lines = c.lines(id).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0].source,
            Source::RateCard {
                card: "Sun E20K Servers NY".into(),
                cost: "Server backup services".into()
            }
        );
    }
    assert_eq!(c.cost("win01nyc").unwrap().direct, 0);
}

/// `c_CostSources.md` and `t_AddAConditionToACIRateCard.md`: the card's condition is a table
/// (Unix Server); its items are those matching it, and "Merge" keeps the items listed by hand
/// and adds the condition's results.
#[test]
fn a_card_condition_selects_by_class_and_merges_with_listed_items() {
    let mut selector = Selector::classes(&["unix_server"]);
    selector.locations = vec!["ny".into()];
    selector.nodes = vec!["win01nyc".into(), "dbaix901nyc".into()];
    let card = RateCard::new("Sun E20K Servers NY", selector, &[("Support", 100_00)]);
    let c = costing(&demo(), &CostSpec::new(vec![card], vec![], vec![]));
    // Both New York Unix servers by the condition, the Windows server by hand, each once.
    assert_eq!(c.cost("dbaix901nyc").unwrap().direct, 100_00);
    assert_eq!(c.cost("dbaix902nyc").unwrap().direct, 100_00);
    assert_eq!(c.cost("win01nyc").unwrap().direct, 100_00);
    // The Madrid server is another rate card's ("a Madrid datacenter ... a separate rate card").
    assert_eq!(c.cost("mad01").unwrap().direct, 0);
}

/// `c_CostSources.md`: "This rule takes the $5,500 and distributes it to each of the servers
/// that match the rule condition"; `r_DefiningDistributionRules.md`: "Cost amount will be
/// distributed evenly across the records identified by the table and condition values."
#[test]
fn a_distribution_cost_is_divided_evenly_among_the_selected_records() {
    let power = Distribution::new(
        "Datacenter Facilities (amort)",
        5_500_00,
        Selector::locations(&["ny"]),
    );
    let c = costing(&demo(), &CostSpec::new(vec![], vec![], vec![power]));
    // Three servers in New York: 5,500.00 / 3 = 1,833.33 and a cent left, to the first.
    let shares: Vec<i64> = ["dbaix901nyc", "dbaix902nyc", "win01nyc"]
        .iter()
        .map(|id| c.cost(id).unwrap().direct)
        .collect();
    assert_eq!(shares, [1_833_34, 1_833_33, 1_833_33]);
    assert_eq!(shares.iter().sum::<i64>(), 5_500_00);
    assert_eq!(c.cost("mad01").unwrap().direct, 0);
}

/// `t_EnableRelationshipAggregation.md`: "If there is a match, an expense line is generated for
/// the parent configuration item. The process repeats for all parents until there are either no
/// parent relationships or the relationships in place do not meet the criteria."
#[test]
fn expenses_repeat_up_every_matching_path_until_none_matches() {
    let graph = GraphSpec::new(
        vec![
            RelationSpec::new("runs_on", Propagation::ToFrom),
            RelationSpec::new("connects_to", Propagation::ToFrom),
        ],
        vec![
            service("Retail"),
            ci("app", "application", "ny"),
            ci("server", "unix_server", "ny"),
            ci("switch", "switch", "ny"),
        ],
        vec![],
        vec![
            EdgeSpec::new("Retail", "app", "runs_on"),
            EdgeSpec::new("app", "server", "runs_on"),
            EdgeSpec::new("server", "switch", "connects_to"),
        ],
    );
    let mut spec = CostSpec::new(
        vec![],
        vec![
            Expense::new("server", 900_00, "lease"),
            Expense::new("switch", 50_00, "support"),
        ],
        vec![],
    );
    spec.paths = Some(vec![
        PathRule::new("unix_server", "runs_on"),
        PathRule::new("application", "runs_on"),
    ]);
    let c = costing(&graph, &spec);
    // The server's cost goes to the application, then to Retail.
    assert_eq!(c.cost("app").unwrap().inherited, 900_00);
    assert_eq!(c.cost("Retail").unwrap().total, 900_00);
    // No path is defined for switches: its cost stays with it.
    assert_eq!(c.cost("server").unwrap().inherited, 0);
    assert_eq!(c.cost("switch").unwrap().passed_on, 0);
    let stranded: Vec<_> = c.holders().into_iter().filter(|h| !h.service).collect();
    assert_eq!(stranded.len(), 1);
    assert_eq!(
        (stranded[0].id.as_str(), stranded[0].amount),
        ("switch", 50_00)
    );
}

/// `t_EnableRelationshipAggregation.md`: a path names the child class, a parent class or "All
/// parent classes", a relationship type or "All relationships".
#[test]
fn a_path_rule_matches_child_class_parent_class_and_relationship_type() {
    let graph = GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            service("Retail"),
            ci("app", "application", "ny"),
            ci("server", "unix_server", "ny"),
        ],
        vec![],
        vec![
            EdgeSpec::new("Retail", "server", "depends_on"),
            EdgeSpec::new("app", "server", "depends_on"),
        ],
    );
    let mut spec = CostSpec::new(vec![], vec![Expense::new("server", 100_00, "")], vec![]);
    spec.paths = Some(vec![PathRule {
        child_class: Some("unix_server".into()),
        parent_class: Some("business_service".into()),
        relation: None,
    }]);
    let c = costing(&graph, &spec);
    // Only the path to the business service matches: it gets all of it.
    assert_eq!(c.cost("Retail").unwrap().inherited, 100_00);
    assert_eq!(c.cost("app").unwrap().inherited, 0);
    assert_eq!(c.cost("server").unwrap().paths, 1);
}

/// `t_EnableRelationshipAggregation.md`: "The expense line amount from the child configuration
/// item is evenly divided among the number valid paths."
#[test]
fn a_child_divides_its_cost_evenly_among_its_valid_paths() {
    let c = costing(
        &demo(),
        &CostSpec::new(
            vec![],
            vec![Expense::new("dbaix901nyc", 2_500_00, "")],
            vec![],
        ),
    );
    // Three services depend on the server: 833.34, 833.33, 833.33 (the first in the graph's
    // order takes the cent), never the full 2,500.00 three times.
    let received: Vec<i64> = ["Retail", "Retail POS", "Retail Adding Points"]
        .iter()
        .map(|id| c.cost(id).unwrap().inherited)
        .collect();
    assert_eq!(received, [833_34, 833_33, 833_33]);
    assert_eq!(c.totals().kept_by_services, 2_500_00);
}

/// `t_CIRelationships.md`: the server's cost is "represented at each of the business
/// services", as inherited expense lines (one direct, three inherited), "which allow for
/// reporting at any business service level".
#[test]
fn inherited_lines_show_the_cost_at_every_service_level() {
    let c = costing(
        &demo(),
        &CostSpec::new(
            vec![],
            vec![Expense::new("dbaix901nyc", 300_00, "")],
            vec![],
        ),
    );
    let passed = c.passed("dbaix901nyc").unwrap();
    assert_eq!(passed.len(), 3);
    assert!(passed.iter().all(|s| s.amount == 100_00));
    assert_eq!(passed[0].relation.as_deref(), Some("depends_on"));
    for service in ["Retail", "Retail POS", "Retail Adding Points"] {
        // Every path into the service is listed; only the server's carries money.
        let received = c.received(service).unwrap();
        let paid: Vec<_> = received.iter().filter(|s| s.amount != 0).collect();
        assert_eq!(paid.len(), 1, "{service}");
        assert_eq!(
            (paid[0].node.as_str(), paid[0].amount),
            ("dbaix901nyc", 100_00)
        );
    }
}

fn retail(units: AllocationUnits, method: UnitMethod, allocate: Allocate) -> Costing {
    let mut spec = CostSpec::new(vec![], vec![Expense::new("Retail", 100_00, "")], vec![]);
    spec.units = vec![units];
    let mut policy = Policy::default();
    policy.unit_method = method;
    policy.allocate = allocate;
    match Costing::new(&demo(), &spec, &policy) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

/// `r_DefaultAllocationRule.md`, "all_units": "Service supports 100 units but only has 50 units
/// allocated, and cost center ABC is allocated 25 units ... 25% of the total cost of the
/// service. 50% of the expenses ... will not be allocated."
#[test]
fn all_units_allocates_units_over_total_and_leaves_the_rest() {
    let units = AllocationUnits::new("Retail", 100, &[("ABC", 25), ("XYZ", 25)]);
    let c = retail(units, UnitMethod::AllUnits, Allocate::Total);
    assert_eq!(c.allocations()[0].amount, 25_00);
    assert_eq!(c.allocations()[1].amount, 25_00);
    assert_eq!(c.unallocated()[0].amount, 50_00);
    assert_eq!(c.unallocated()[0].units, 50);
}

/// `r_DefaultAllocationRule.md`, "allocated_units": the same service and cost centre: "25/50,
/// or 50% of the total cost of the service. 100% of the expenses will be allocated."
#[test]
fn allocated_units_allocates_units_over_allocated_units() {
    let units = AllocationUnits::new("Retail", 100, &[("ABC", 25), ("XYZ", 25)]);
    let c = retail(units, UnitMethod::AllocatedUnits, Allocate::Total);
    assert_eq!(c.allocations()[0].amount, 50_00);
    assert_eq!(c.totals().allocated, 100_00);
    // The unused units remain, but no money with them.
    assert_eq!(c.unallocated()[0].amount, 0);
}

/// `c_AllocatingExpenses.md`: "the Trading department is using 10 of the 50 allocated units,
/// so they will be allocated 20% of all Retail expenses"; "an expense from the dbaix901nyc
/// server for $2,500 ... The Trading cost center was allocated $500 (20%)".
#[test]
fn trading_is_allocated_twenty_percent_of_retail() {
    let graph = GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![service("Retail"), ci("dbaix901nyc", "unix_server", "ny")],
        vec![],
        vec![EdgeSpec::new("Retail", "dbaix901nyc", "depends_on")],
    );
    let mut spec = CostSpec::new(
        vec![],
        vec![Expense::new("dbaix901nyc", 2_500_00, "")],
        vec![],
    );
    // 50 locations supported, 45 allocated; Trading uses 10.
    spec.units = vec![AllocationUnits::new(
        "Retail",
        50,
        &[("Trading", 10), ("Sales", 20), ("Marketing", 15)],
    )];
    let c = costing(&graph, &spec);
    let trading = &c.allocations()[0];
    assert_eq!(
        (trading.cost_centre.as_str(), trading.amount),
        ("Trading", 500_00)
    );
    // "There's also an option to allocate based on the total (10 or 45)": 10 of 45.
    let mut policy = Policy::default();
    policy.unit_method = UnitMethod::AllocatedUnits;
    let c = Costing::new(&graph, &spec, &policy).unwrap();
    assert_eq!(c.allocations()[0].amount, 555_56);
    assert_eq!(c.totals().allocated, 2_500_00);
}

/// `r_DefaultAllocationRule.md`: "For every expense line generated for a business service"
/// (inherited lines are generated for the service, `t_EnableRelationshipAggregation.md`): a
/// service's inherited cost is allocated with its own.
#[test]
fn inherited_expenses_are_allocated_with_the_service() {
    let mut spec = CostSpec::new(
        vec![],
        vec![
            Expense::new("Retail", 100_00, "own"),
            Expense::new("dbaix902nyc", 400_00, "server"),
        ],
        vec![],
    );
    spec.units = vec![AllocationUnits::new("Retail", 10, &[("Trading", 10)])];
    let c = costing(&demo(), &spec);
    assert_eq!(c.allocations()[0].amount, 500_00);
}

/// `t_ManageABudget.md`: actual from the cost centres' allocations, remaining = planned minus
/// actual, projected = the average daily expense applied to the rest of the period;
/// `c_BudgetsAndCostCentersExample.md`: Trading is a member of the Investments budget.
#[test]
fn a_budget_has_actual_remaining_and_projected() {
    let graph = GraphSpec::new(vec![], vec![service("Retail")], vec![], vec![]);
    let mut spec = CostSpec::new(vec![], vec![Expense::new("Retail", 3_000_00, "")], vec![]);
    spec.units = vec![AllocationUnits::new(
        "Retail",
        50,
        &[("Trading", 10), ("Sales", 40)],
    )];
    let c = costing(&graph, &spec);
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let budget = Budget::new("Investments", d(4, 1), d(4, 30), 1_000_00, &["Trading"]);
    let actual = c.allocated_to(&budget.cost_centres);
    assert_eq!(actual, 600_00);
    // 10 of 30 days gone: 60.00 a day, 1,800.00 by the end of April.
    let status = budget.status(actual, d(4, 10)).unwrap();
    assert_eq!(status.remaining, 400_00);
    assert_eq!(status.projected, 1_800_00);
    assert_eq!((status.elapsed_days, status.period_days), (10, 30));
}

/// `t_CIRelationships.md`'s premise: costs follow CI relationships only; a cycle of them would
/// repeat forever, so it is refused naming the cycle (our choice, docs/cost.md).
#[test]
fn a_cycle_of_paths_is_refused() {
    let mut graph = demo();
    graph
        .edges
        .push(EdgeSpec::new("dbaix901nyc", "Retail", "depends_on"));
    let err = Costing::new(&graph, &CostSpec::default(), &Policy::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Cycle {
            nodes: vec!["Retail".into(), "dbaix901nyc".into()],
            length: 2
        }
    );
}

mod tasks {
    //! Task and labour rate cards: `c_CostSources.md`, `r_ProcessTaskRateCards.md`,
    //! `t_ManageATaskRateCard.md`, `t_ManageALaborRateCard.md`, `RateType.md`.

    use chrono::Duration;
    use itsm_cost::{
        Condition, LabourRateCard, Task, TaskRate, TaskRateCard, TaskRates, TimeLines, Worker,
        cost_tasks,
    };

    fn p1() -> TaskRateCard {
        TaskRateCard::new(
            "Incident P1",
            "incident",
            Condition::any().with("priority", &["1"]),
            TaskRate::Flat(150_00),
        )
    }

    fn emergency() -> TaskRateCard {
        TaskRateCard::new(
            "Change Request (emergency)",
            "change_request",
            Condition::any().with("type", &["emergency"]),
            TaskRate::TimeWorked {
                default_hourly: 250_00,
            },
        )
    }

    fn development() -> LabourRateCard {
        LabourRateCard::new(
            "Development",
            100_00,
            Condition::any().with("department", &["Development"]),
        )
    }

    fn rates() -> TaskRates {
        TaskRates::new(
            vec![p1(), emergency()],
            vec![development()],
            vec![
                Worker::new("ann", "department", "Development"),
                Worker::new("bob", "department", "Operations"),
            ],
        )
    }

    /// `c_CostSources.md`: "When an incident with priority 1 - Critical is closed, it
    /// generates an expense line for $150. This is a flat rate defined for each P1 incident."
    #[test]
    fn a_flat_task_rate_card_prices_each_matching_task() {
        let tasks = [
            Task::new("INC1", "incident", Some("db")).field("priority", "1"),
            Task::new("INC2", "incident", Some("db")).field("priority", "2"),
            Task::new("CHG1", "change_request", None).field("priority", "1"),
        ];
        let c = cost_tasks(&rates(), &tasks).unwrap();
        assert_eq!(c.lines.len(), 1);
        assert_eq!(
            (c.lines[0].task.as_str(), c.lines[0].amount),
            ("INC1", 150_00)
        );
        // The P2 incident and the change (another table) are priced by no card.
        assert_eq!(c.unpriced, ["INC2", "CHG1"]);
        let e = c.expenses();
        assert_eq!((e[0].node.as_str(), e[0].amount), ("db", 150_00));
    }

    /// `c_CostSources.md`: the emergency change rate card uses time worked, resolving "an
    /// hourly rate for the user in the task time worked record, or use the default rate of
    /// $250/hr defined in the rate card"; "for users in the Development department, time
    /// worked costs will use $100 as the hourly rate".
    #[test]
    fn time_worked_is_priced_at_the_workers_labour_rate_or_the_default() {
        let change = Task::new("CHG1", "change_request", Some("db"))
            .field("type", "emergency")
            .worked("ann", Duration::minutes(45), None)
            .worked("bob", Duration::hours(2), None);
        let c = cost_tasks(&rates(), &[change]).unwrap();
        let ann = c.lines[0].labour.as_ref().unwrap();
        assert_eq!(
            (ann.hourly, ann.card.as_deref()),
            (100_00, Some("Development"))
        );
        assert_eq!(c.lines[0].amount, 75_00);
        let bob = c.lines[1].labour.as_ref().unwrap();
        assert_eq!((bob.hourly, bob.card.as_deref()), (250_00, None));
        assert_eq!(c.lines[1].amount, 500_00);
    }

    /// `r_ProcessTaskRateCards.md`: "Get task time worked entries for the task grouped by user
    /// (worker)", one expense line per user; `c_CostSources.md` says "for each time worked
    /// entry": a policy option.
    #[test]
    fn time_worked_is_grouped_by_worker_or_kept_per_entry() {
        let change = Task::new("CHG1", "change_request", Some("db"))
            .field("type", "emergency")
            .worked("ann", Duration::minutes(20), None)
            .worked("bob", Duration::minutes(10), None)
            .worked("ann", Duration::minutes(20), None);
        let c = cost_tasks(&rates(), std::slice::from_ref(&change)).unwrap();
        assert_eq!(c.lines.len(), 2);
        // 40 minutes at 100.00 an hour: 66.67.
        assert_eq!(c.lines[0].labour.as_ref().unwrap().seconds, 2_400);
        assert_eq!(c.lines[0].amount, 66_67);
        let mut per_entry = rates();
        per_entry.time_lines = TimeLines::PerEntry;
        let c = cost_tasks(&per_entry, &[change]).unwrap();
        let amounts: Vec<i64> = c.lines.iter().map(|l| l.amount).collect();
        // 20 minutes: 33.33 each, rounded on their own.
        assert_eq!(amounts, [33_33, 41_67, 33_33]);
    }

    /// `t_ManageATaskRateCard.md`: "If more than one task rate card apply to the same task, the
    /// one with the lowest order is used."
    #[test]
    fn the_task_rate_card_of_lowest_order_prices_the_task() {
        let mut any_incident = TaskRateCard::new(
            "Any incident",
            "incident",
            Condition::any(),
            TaskRate::Flat(20_00),
        );
        any_incident.order = 200;
        let mut p1 = p1();
        p1.order = 100;
        let rates = TaskRates::new(vec![any_incident, p1], vec![], vec![]);
        let tasks = [
            Task::new("INC1", "incident", None).field("priority", "1"),
            Task::new("INC2", "incident", None).field("priority", "3"),
        ];
        let c = cost_tasks(&rates, &tasks).unwrap();
        assert_eq!(c.lines[0].card, "Incident P1");
        assert_eq!(c.lines[1].card, "Any incident");
    }

    /// `RateType.md`: the line is priced by "matching the user and rate type on the time card
    /// to a labor rate card assigned to that user, and that has the same rate type"; of several
    /// with the same rate type, "the labor rate card that has the lowest value in the Order
    /// field".
    #[test]
    fn the_labour_rate_card_matches_the_rate_type_and_the_lowest_order_wins() {
        let mut overtime = development();
        overtime.name = "Development overtime".into();
        overtime.hourly = 150_00;
        overtime.rate_type = Some("Overtime".into());
        let mut standard = development();
        standard.name = "Development standard".into();
        standard.rate_type = Some("Standard".into());
        standard.order = 20;
        let mut senior = development();
        senior.name = "Development standard (first)".into();
        senior.hourly = 120_00;
        senior.rate_type = Some("Standard".into());
        senior.order = 10;
        let rates = TaskRates::new(
            vec![emergency()],
            vec![overtime, standard, senior],
            vec![Worker::new("ann", "department", "Development")],
        );
        let change = Task::new("CHG1", "change_request", Some("db"))
            .field("type", "emergency")
            .worked("ann", Duration::hours(1), Some("Standard"))
            .worked("ann", Duration::hours(1), Some("Overtime"))
            .worked("ann", Duration::hours(1), Some("Holiday"));
        let c = cost_tasks(&rates, &[change]).unwrap();
        let priced: Vec<(Option<&str>, i64)> = c
            .lines
            .iter()
            .map(|l| (l.labour.as_ref().unwrap().card.as_deref(), l.amount))
            .collect();
        assert_eq!(
            priced,
            [
                (Some("Development standard (first)"), 120_00),
                (Some("Development overtime"), 150_00),
                // No card for that rate type: the task rate card's default.
                (None, 250_00),
            ]
        );
    }
}
