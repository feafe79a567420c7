//! Rows of `docs/bad-inputs.md`: itsm-graph, itsm-schedule, itsm-change, itsm-problem, itsm-knowledge and itsm-catalogue.

use super::*;

pub(super) fn rows(row: &mut impl FnMut(&'static str, &str, String)) {
    // itsm-graph
    let mut shop = data("shop-topology.json");
    shop["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "web-shop", "to": "mainframe", "relation": "depends_on" }));
    row(
        "`itsm_graph::Graph::from_spec`",
        "the shop topology plus an edge to a node `mainframe` it does not have",
        err(serde_json::from_value::<itsm_graph::GraphSpec>(shop)
            .map_err(|e| e.to_string())
            .and_then(|spec| itsm_graph::Graph::from_spec(&spec).map_err(|e| e.to_string()))),
    );
    let mut shop = data("shop-topology.json");
    let long = "x".repeat(100_000);
    shop["edges"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "web-shop", "to": long, "relation": "depends_on" }));
    row(
        "`itsm_graph::Graph::from_spec`",
        "an edge to a node whose id is 100,000 `x`",
        err(serde_json::from_value::<itsm_graph::GraphSpec>(shop)
            .map_err(|e| e.to_string())
            .and_then(|spec| itsm_graph::Graph::from_spec(&spec).map_err(|e| e.to_string()))),
    );
    let mut shop = data("shop-topology.json");
    shop["edges"].as_array_mut().unwrap().push(
        json!({ "from": "web-shop", "to": "\u{1b}[2J\u{0}\u{7f}PNG\r\n", "relation": "depends_on" }),
    );
    row(
        "`itsm_graph::Graph::from_spec`",
        "an edge to a node whose id is binary (an escape sequence, NUL, DEL, CR LF)",
        err(serde_json::from_value::<itsm_graph::GraphSpec>(shop)
            .map_err(|e| e.to_string())
            .and_then(|spec| itsm_graph::Graph::from_spec(&spec).map_err(|e| e.to_string()))),
    );

    // itsm-schedule
    row(
        "`itsm_schedule::Window::new`",
        "an end an hour before the start",
        err(itsm_schedule::Window::new(t(10), t(9))),
    );
    row(
        "`itsm_schedule::Window` (JSON)",
        r#"`{"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T10:00:00Z"}`"#,
        json_err::<itsm_schedule::Window>(
            json!({ "start": "2026-03-02T10:00:00Z", "end": "2026-03-02T10:00:00Z" }),
        ),
    );

    // itsm-change
    {
        use itsm_change::{ChangeModel, Models, Phase};
        let twice = ChangeModel::new("normal", vec![Phase::Assess, Phase::Assess]);
        row(
            "`itsm_change::Models::new`",
            "a model whose path names `assess` twice",
            err(Models::new(vec![twice])),
        );
    }

    // itsm-problem
    let mut policy = serde_json::to_value(itsm_problem::Policy::servicenow()).unwrap();
    policy["workflow"]["states"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "name": "limbo", "kind": "assess" }));
    row(
        "`itsm_problem::Policy` (JSON)",
        "ServiceNow's policy plus a state `limbo` no transition reaches or leaves",
        json_err::<itsm_problem::Policy>(policy),
    );

    // itsm-knowledge
    {
        use itsm_knowledge::{Actor, ArticleId, Command, Content, Context, Policy, Role, State};
        use itsm_knowledge::{Feedback, UserId};
        let author = Actor::new(UserId::from_u128(1), [Role::new("knowledge").unwrap()]);
        let mut week = Policy::servicenow_instant();
        week.review_interval = Some(Duration::days(7));
        let late = DateTime::<Utc>::MAX_UTC - Duration::days(30);
        let ctx = Context::new(late, &author, &week);
        let mut state = State::new();
        let create = Command::create(
            ArticleId::from_u128(1),
            Content::new("Reset a token", "..."),
        );
        for command in [create, Command::Publish] {
            let events = itsm_knowledge::decide(&state, &command, &ctx).unwrap();
            state.apply(&events);
        }
        let mut year = week.clone();
        year.review_interval = Some(Duration::days(365));
        let reader = Actor::new(UserId::from_u128(2), []);
        row(
            "`itsm_knowledge::decide`",
            "feedback on an article published a month before the end of chrono's range, under a \
             policy whose review interval has grown from a week to a year",
            err(itsm_knowledge::decide(
                &state,
                &Command::Feedback {
                    feedback: Feedback::Helpful,
                },
                &Context::new(late + Duration::days(1), &reader, &year),
            )),
        );
    }

    // itsm-catalogue
    row(
        "`itsm_catalogue::Decimal` (parse)",
        "a 20-digit amount",
        err("12345678901234567890.5".parse::<itsm_catalogue::Decimal>()),
    );
    row(
        "`itsm_catalogue::Decimal` (parse)",
        "`12,50` (a decimal comma)",
        err("12,50".parse::<itsm_catalogue::Decimal>()),
    );
}
