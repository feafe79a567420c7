//! Conformance with ServiceNow Business Continuity Management's documentation: one test per
//! documented rule, each naming its page (ServiceNow product documentation, Australia
//! release, `governance-risk-compliance/`).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::Duration;
use itsm_continuity::{
    Answers, Capability, Category, ContinuitySpec, Error, Objective, Plan, Rating, RatingRule,
    ScoreBand, Source, Template, assess,
};
use itsm_graph::{EdgeSpec, Graph, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec};

/// The regulatory category of `rto-rpo-calculation.md`'s scenarios: Low, Moderate, High,
/// the given ones intolerable; a month when all are tolerable.
fn regulatory(intolerable: &[&str]) -> Category {
    let r = |name: &str, value| Rating::new(name, value, !intolerable.contains(&name));
    Category::rto(
        "Regulatory",
        vec![r("01 - Low", 1), r("02 - Moderate", 2), r("03 - High", 3)],
        "1 Month",
    )
}

/// The scenarios' answers: Low at 4 hours, Moderate at 24, High at 72.
fn durations(category: &str) -> Answers {
    Answers::default()
        .at(category, "01 - Low", "4 Hours")
        .at(category, "02 - Moderate", "24 Hours")
        .at(category, "03 - High", "72 Hours")
}

fn rto_of(intolerable: &[&str], answers: &Answers) -> Option<String> {
    let t = Template::servicenow().with_category(regulatory(intolerable));
    assess(&t, answers).unwrap().rto
}

/// `rto-rpo-calculation.md`, scenario 1: Low intolerable, its disruption duration (4 hours)
/// is the RTO.
#[test]
fn scenario_1_low_intolerable_gives_its_duration() {
    assert_eq!(
        rto_of(&["01 - Low"], &durations("Regulatory")).as_deref(),
        Some("4 Hours")
    );
}

/// `rto-rpo-calculation.md`, scenario 1: "Even if the moderate impact disruption duration is
/// shorter, the calculation selects the value from the first alphanumerically sorted impact
/// rating that has the Tolerable field set to false."
#[test]
fn scenario_1_the_first_intolerable_by_name_wins_over_a_shorter_one() {
    let answers = Answers::default()
        .at("Regulatory", "01 - Low", "8 Hours")
        .at("Regulatory", "02 - Moderate", "1 Hour")
        .at("Regulatory", "03 - High", "72 Hours");
    assert_eq!(
        rto_of(&["01 - Low", "02 - Moderate"], &answers).as_deref(),
        Some("8 Hours")
    );
}

/// `rto-rpo-calculation.md`, scenario 2: Moderate intolerable: 24 hours.
#[test]
fn scenario_2_moderate_intolerable() {
    assert_eq!(
        rto_of(&["02 - Moderate", "03 - High"], &durations("Regulatory")).as_deref(),
        Some("24 Hours")
    );
}

/// `rto-rpo-calculation.md`, scenario 3: High intolerable: 72 hours.
#[test]
fn scenario_3_high_intolerable() {
    assert_eq!(
        rto_of(&["03 - High"], &durations("Regulatory")).as_deref(),
        Some("72 Hours")
    );
}

/// `rto-rpo-calculation.md`, scenario 4: every rating tolerable: the maximum RTO value (one
/// month).
#[test]
fn scenario_4_all_tolerable_gives_the_maximum_rto() {
    let t = Template::servicenow().with_category(regulatory(&[]));
    let a = assess(&t, &durations("Regulatory")).unwrap();
    assert_eq!(a.rto.as_deref(), Some("1 Month"));
    assert_eq!(a.categories[0].source, Some(Source::MaximumRto));
    assert_eq!(a.rto_duration, Some(Duration::days(30)));
}

/// `rto-rpo-calculation.md`, "Calculation of RTO score": "the Impact rating with a value
/// higher than the highest tolerable value. If no value exists, the application uses the
/// maximum RTO value".
#[test]
fn the_rating_above_the_highest_tolerable_value() {
    // Moderate tolerable, Low and High not: above the highest tolerable (2) is High.
    let t = Template::servicenow()
        .with_category(regulatory(&["01 - Low", "03 - High"]))
        .with_rating_rule(RatingRule::AboveHighestTolerable);
    let a = assess(&t, &durations("Regulatory")).unwrap();
    assert_eq!(a.rto.as_deref(), Some("72 Hours"));
    // High tolerable: nothing above it, the maximum RTO.
    let t = Template::servicenow()
        .with_category(regulatory(&["01 - Low"]))
        .with_rating_rule(RatingRule::AboveHighestTolerable);
    assert_eq!(
        assess(&t, &durations("Regulatory")).unwrap().rto.as_deref(),
        Some("1 Month")
    );
}

/// `rto-rpo-calculation.md` and `structured-workflows-bia.md`: "The RTO of the BIA is set as
/// the lowest tolerable downtime from each impact category" (Legal, Reputation, Workforce,
/// Regulatory), recalculated when a disruption duration changes.
#[test]
fn the_bia_rto_is_the_lowest_tolerable_downtime_of_the_categories() {
    let cat = |name: &str| {
        Category::rto(
            name,
            vec![
                Rating::new("01 - Low", 1, true),
                Rating::new("02 - Moderate", 2, false),
                Rating::new("03 - High", 3, false),
            ],
            "1 Month",
        )
    };
    let t = Template::servicenow()
        .with_category(cat("Legal"))
        .with_category(cat("Reputation"))
        .with_category(cat("Workforce"))
        .with_category(cat("Regulatory"));
    let answers = |legal: &str| {
        let mut a = Answers::default();
        for (c, moderate) in [
            ("Legal", legal),
            ("Reputation", "72 Hours"),
            ("Workforce", "1 Week"),
            ("Regulatory", "24 Hours"),
        ] {
            a = a
                .at(c, "01 - Low", "4 Hours")
                .at(c, "02 - Moderate", moderate)
                .at(c, "03 - High", "1 Month");
        }
        a
    };
    assert_eq!(
        assess(&t, &answers("72 Hours")).unwrap().rto.as_deref(),
        Some("24 Hours")
    );
    // The legal category's duration updated: the RTO follows.
    let a = assess(&t, &answers("8 Hours")).unwrap();
    assert_eq!(a.rto.as_deref(), Some("8 Hours"));
    assert_eq!(a.tier.as_deref(), Some("Business Critical"));
}

/// `rto-rpo-calculation.md`, the table of RTO values and recovery tiers.
#[test]
fn the_documented_rto_to_tier_table() {
    let t = Template::servicenow();
    for (rto, tier) in [
        ("Immediately", "Mission Critical"),
        ("1 Hour", "Mission Critical"),
        ("4 Hours", "Mission Critical"),
        ("8 Hours", "Business Critical"),
        ("24 Hours", "Business Critical"),
        ("72 Hours", "Essential"),
        ("1 Week", "Essential"),
        ("2 Weeks", "Non-Essential"),
        ("1 Month", "Non-Essential"),
    ] {
        let a = assess(
            &t.clone().with_category(regulatory(&["01 - Low"])),
            &Answers::default()
                .at("Regulatory", "01 - Low", rto)
                .at("Regulatory", "02 - Moderate", rto)
                .at("Regulatory", "03 - High", rto),
        )
        .unwrap();
        assert_eq!(a.tier.as_deref(), Some(tier), "{rto}");
    }
}

/// `rto-rpo-calculation.md`: "RTO cannot be calculated when the recovery tier doesn't exist
/// for the 'Tolerable downtime' value."
#[test]
fn no_tier_for_the_rto_is_an_error() {
    let mut t = Template::servicenow().with_category(regulatory(&["01 - Low"]));
    t.tiers.retain(|tier| tier.name != "Mission Critical");
    assert_eq!(
        assess(&t, &durations("Regulatory")),
        Err(Error::NoTier {
            timeframe: "4 Hours".into()
        })
    );
}

/// `rto-rpo-recovery-tiers.md`: "Recovery tiers are automatically calculated on BIAs and
/// element RTO by selecting the nearest recovery tier maximum time" (read as the strictest
/// tier whose longest timeframe still allows the RTO).
#[test]
fn an_element_rto_takes_the_nearest_tier_maximum() {
    let t = Template::servicenow();
    let tier = |h| t.tier_for(Duration::hours(h)).map(|t| t.name.as_str());
    assert_eq!(tier(2), Some("Mission Critical"));
    assert_eq!(tier(4), Some("Mission Critical"));
    assert_eq!(tier(6), Some("Business Critical"));
    assert_eq!(tier(100), Some("Essential"));
    assert_eq!(tier(24 * 31), None);
}

/// The RPO template of `rto-rpo-calculation.md` ("Calculation of RPO score"): two RPO
/// categories, bands mapping scores to timeframes.
fn rpo_template() -> Template {
    Template::servicenow()
        .with_category(Category::rpo("Data change frequency"))
        .with_category(Category::rpo("Data value"))
        .with_band(ScoreBand::new(0, 9, "24 Hours"))
        .with_band(ScoreBand::new(10, 29, "4 Hours"))
        .with_band(ScoreBand::new(30, 50, "Immediately"))
}

/// `rto-rpo-calculation.md` and `RPO-asset-impact-assessment.md`: a category's score is its
/// highest answer ("the response whose value is maximum"), the BIA's the highest category
/// score, and "the category score is 40, which falls between the lower and upper threshold
/// scores. The timeframe mapped to this score is 'Immediately'".
#[test]
fn the_rpo_is_the_band_of_the_highest_category_score() {
    let answers = Answers::default()
        .score("Data change frequency", 10)
        .score("Data change frequency", 20)
        .score("Data value", 40)
        .score("Data value", 5);
    let a = assess(&rpo_template(), &answers).unwrap();
    assert_eq!(a.categories[0].source, Some(Source::Score(20)));
    assert_eq!(a.categories[1].source, Some(Source::Score(40)));
    assert_eq!(a.rpo_score, Some(40));
    assert_eq!(a.rpo.as_deref(), Some("Immediately"));
    assert_eq!(a.rpo_duration, Some(Duration::zero()));
}

/// `create-new-impact-analysis-reference-form-bcm-uib-ws.md`: "If only Recovery Time
/// Objective (RTO) is set, the value ... is set to the RTO itself. If adjusted RTO is set ...
/// adjusted RTO." (and RPO likewise).
#[test]
fn the_finalized_objective_is_the_adjusted_one_if_set() {
    let t = rpo_template().with_category(regulatory(&["01 - Low"]));
    let base = durations("Regulatory").score("Data value", 40);
    let a = assess(&t, &base).unwrap();
    assert_eq!(
        (a.rto.as_deref(), a.rpo.as_deref()),
        (Some("4 Hours"), Some("Immediately"))
    );
    let a = assess(
        &t,
        &base
            .adjust_rto("24 Hours", "manual workaround for a day")
            .adjust_rpo("1 Hour", "hourly log shipping is enough"),
    )
    .unwrap();
    assert_eq!(a.calculated_rto.as_deref(), Some("4 Hours"));
    assert_eq!(a.rto.as_deref(), Some("24 Hours"));
    assert_eq!(a.tier.as_deref(), Some("Business Critical"));
    assert_eq!(a.calculated_rpo.as_deref(), Some("Immediately"));
    assert_eq!(a.rpo.as_deref(), Some("1 Hour"));
}

/// `review-impact-category-bia.md`: the disruption duration "displays only those durations
/// that are configured as applicable timeframes" of the category.
#[test]
fn an_answer_outside_the_categorys_timeframes_is_refused() {
    let t = Template::servicenow().with_category(
        regulatory(&["01 - Low"]).with_timeframes(&["4 Hours", "24 Hours", "72 Hours", "1 Month"]),
    );
    let e = assess(
        &t,
        &Answers::default().at("Regulatory", "01 - Low", "1 Hour"),
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::TimeframeNotAllowed { ref timeframe, .. } if timeframe == "1 Hour"),
        "{e}"
    );
}

/// `review-impact-category-bia.md`: a category is complete when every rating has a
/// disruption duration (pending before); the RTO needs every RTO category's downtime.
#[test]
fn a_category_is_complete_once_every_rating_has_a_duration() {
    let t = Template::servicenow().with_category(regulatory(&["02 - Moderate"]));
    let partial = Answers::default().at("Regulatory", "01 - Low", "4 Hours");
    let a = assess(&t, &partial).unwrap();
    assert!(!a.categories[0].complete);
    assert_eq!(a.rto, None); // Moderate, the rating that sets it, has no duration yet
    let a = assess(&t, &durations("Regulatory")).unwrap();
    assert!(a.categories[0].complete);
    assert_eq!(a.rto.as_deref(), Some("24 Hours"));
}

/// A graph for the dependency rules: a business process on an application on a database.
fn process_graph() -> Graph {
    Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("claims", NodeKind::BusinessService, "business_process"),
            NodeSpec::new("claims-app", NodeKind::ConfigurationItem, "application"),
            NodeSpec::new("claims-db", NodeKind::ConfigurationItem, "database"),
            NodeSpec::new("portal", NodeKind::BusinessService, "business_process"),
        ],
        vec![],
        vec![
            EdgeSpec::new("claims", "claims-app", "depends_on"),
            EdgeSpec::new("claims-app", "claims-db", "depends_on"),
            EdgeSpec::new("portal", "claims-db", "depends_on"),
        ],
    ))
    .unwrap()
}

/// `plan-overview-scorecards.md`: "Out of all the RPO and RTO that a primary element
/// supports, the minimum value of RPO and RTO is displayed."
#[test]
fn an_element_supports_the_minimum_of_the_objectives_depending_on_it() {
    let g = process_graph();
    let spec = ContinuitySpec::new(
        vec![
            Objective::new("claims", Duration::hours(24)).with_rpo(Duration::hours(4)),
            Objective::new("portal", Duration::hours(8)).with_rpo(Duration::hours(12)),
        ],
        vec![],
    );
    let plan = Plan::new(&g, &spec).unwrap();
    let rto = plan.required_rto("claims-db").unwrap().unwrap();
    assert_eq!(
        (rto.value, rto.set_by.as_str()),
        (Duration::hours(8), "portal")
    );
    let rpo = plan.required_rpo("claims-db").unwrap().unwrap();
    assert_eq!(
        (rpo.value, rpo.set_by.as_str()),
        (Duration::hours(4), "claims")
    );
    assert_eq!(
        plan.required_rto("claims-app").unwrap().unwrap().value,
        Duration::hours(24)
    );
}

/// `add-asset-plan-scope-for-bcp-uib-ws.md`: in a plan's hierarchy, related assets whose "RTO
/// or RPO value for the primary asset is lower than that of the related asset are marked in
/// Red" (greater green, equal yellow); `create-bia-in-uib-ws.md`'s example: the business needs
/// 72 hours, the IT team committed a month.
#[test]
fn a_dependency_with_a_longer_objective_than_its_dependent_is_a_gap() {
    let g = process_graph();
    let spec = ContinuitySpec::new(
        vec![
            Objective::new("claims", Duration::hours(72)),
            Objective::new("claims-app", Duration::days(30)), // red
            Objective::new("claims-db", Duration::hours(72)), // yellow: equal
            Objective::new("portal", Duration::days(30)),     // depends on nothing red
        ],
        vec![],
    );
    let gaps = Plan::new(&g, &spec).unwrap().gaps();
    assert_eq!(gaps.objective_rto.len(), 1);
    let red = &gaps.objective_rto[0];
    assert_eq!(red.id, "claims-app");
    assert_eq!(red.achieves, Duration::days(30));
    assert_eq!(
        (red.required.value, red.required.set_by.as_str()),
        (Duration::hours(72), "claims")
    );
}

/// `configure-impact-category-bcm.md`: "Assets are recovered in time to support any parent
/// dependencies. Identify gaps in asset recovery capabilities."
#[test]
fn an_asset_that_cannot_recover_in_time_for_its_parents_is_a_gap() {
    let g = process_graph();
    let spec = ContinuitySpec::new(
        vec![Objective::new("claims", Duration::hours(4))],
        vec![
            Capability::new("claims-app", Duration::hours(2)),
            Capability::new("claims-db", Duration::hours(6)),
        ],
    );
    let gaps = Plan::new(&g, &spec).unwrap().gaps();
    assert_eq!(gaps.rto.len(), 1);
    assert_eq!(gaps.rto[0].id, "claims-db");
    assert_eq!(gaps.rto[0].achieves, Duration::hours(6));
    assert_eq!(gaps.rto[0].required.value, Duration::hours(4));
}

/// `add-event-task-to-crisis-event.md`: "If the event task has a circular dependency, you
/// have to trigger the tasks manually for this event": no order applies to nodes that wait
/// on each other; they are recovered side by side, each after what it waits for outside.
#[test]
fn a_circular_dependency_is_recovered_side_by_side() {
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("claims", NodeKind::BusinessService, "business_process"),
            NodeSpec::new("claims-app", NodeKind::ConfigurationItem, "application"),
            NodeSpec::new("directory", NodeKind::ConfigurationItem, "directory"),
            NodeSpec::new("claims-db", NodeKind::ConfigurationItem, "database"),
        ],
        vec![],
        vec![
            EdgeSpec::new("claims", "claims-app", "depends_on"),
            EdgeSpec::new("claims-app", "directory", "depends_on"),
            EdgeSpec::new("directory", "claims-app", "depends_on"), // the circle
            EdgeSpec::new("claims-app", "claims-db", "depends_on"),
        ],
    ))
    .unwrap();
    let spec = ContinuitySpec::new(
        vec![Objective::new("claims", Duration::hours(8))],
        vec![
            Capability::new("claims-app", Duration::hours(2)),
            Capability::new("directory", Duration::hours(3)),
            Capability::new("claims-db", Duration::hours(4)),
        ],
    );
    let r = Plan::new(&g, &spec)
        .unwrap()
        .recover(
            &itsm_continuity::Disruption::Everything,
            &itsm_continuity::Policy::default(),
        )
        .unwrap();
    let o = r.outcome("claims").unwrap();
    // The application after its database (4 + 2 = 6 h), the directory at once (3 h): 6 h.
    assert_eq!(o.back_after, Some(Duration::hours(6)));
    assert_eq!(o.critical_path, ["claims-db", "claims-app", "claims"]);
}
