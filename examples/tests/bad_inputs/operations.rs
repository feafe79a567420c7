//! Rows of `docs/bad-inputs.md`: itsm-mining's readers, itsm-sim, itsm-alert and itsm-asset.

use super::*;

pub(super) fn rows(row: &mut impl FnMut(&'static str, &str, String)) {
    // itsm-mining's readers
    {
        use itsm_mining::{ObjectType, ocel, xes};
        let trace = |event: &str| {
            format!(
                "<log><trace><string key=\"concept:name\" value=\"INC1\"/>{event}</trace></log>"
            )
        };
        row(
            "`itsm_mining::xes::from_xes`",
            "a 1 MB binary header in place of XES",
            err(xes::from_xes(
                &format!("<\u{1b}[31m{}", "\u{7}".repeat(1_000_000)),
                &ObjectType::Incident,
            )),
        );
        row(
            "`itsm_mining::xes::from_xes`",
            "an event without `time:timestamp`",
            err(xes::from_xes(
                &trace("<event><string key=\"concept:name\" value=\"open\"/></event>"),
                &ObjectType::Incident,
            )),
        );
        row(
            "`itsm_mining::xes::from_xes`",
            "a 100,000-digit `int`",
            err(xes::from_xes(
                &trace(&format!(
                    "<event><string key=\"concept:name\" value=\"open\"/><date key=\"time:timestamp\" value=\"2026-03-02T09:00:00Z\"/><int key=\"n\" value=\"{}\"/></event>",
                    "9".repeat(100_000)
                )),
                &ObjectType::Incident,
            )),
        );
        row(
            "`itsm_mining::xes::from_xes`",
            "an entity declared in an internal DTD subset",
            err(xes::from_xes(
                "<!DOCTYPE log [<!ENTITY x \"expanded\">]><log/>",
                &ObjectType::Incident,
            )),
        );
        let document: ocel::Document = serde_json::from_value(json!({
            "objectTypes": [{"name": "incident", "attributes": [{"name": "priority", "type": "integer"}]}],
            "objects": [{"id": "INC1", "type": "incident",
                         "attributes": [{"name": "priority", "time": "1970-01-01T00:00:00Z", "value": "high"}]}]
        }))
        .unwrap();
        row(
            "`itsm_mining::ocel::from_document`",
            "an `integer` attribute whose value is `\"high\"`",
            err(ocel::from_document(document)),
        );
    }

    // itsm-sim
    {
        use itsm_sim::chrono::Duration;
        use itsm_sim::{Config, GroupSpec, Hop, Model, Reassign, ServiceTime, Staffing};
        let base = || {
            let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
            config.groups = vec![GroupSpec::new("network", Staffing::Constant { agents: 2 })];
            config
        };
        let mut help = base();
        help.helps = [("x".repeat(100_000), vec!["desk".to_owned()])].into();
        row(
            "`itsm_sim::Model::new`",
            "help given by a group whose name is 100,000 `x`",
            err(Model::new(help)),
        );
        let mut preempt = base();
        preempt.helps = [("network".to_owned(), vec!["desk".to_owned()])].into();
        preempt.discipline = itsm_sim::Discipline::PreemptiveResume;
        row(
            "`itsm_sim::Model::new`",
            "help between groups under pre-emptive priority",
            err(Model::new(preempt)),
        );
        let five = ServiceTime::Deterministic {
            value: Duration::minutes(5),
        };
        let mut passes = base();
        let mut reassign = Reassign::new(0.5, "network", five.clone());
        for pass in 0..itsm_sim::MAX_PASSES {
            let to = if pass % 2 == 0 { "desk" } else { "network" };
            reassign = reassign.with_hop(Hop::new(0.5, to, five.clone()));
        }
        passes.classes[0].reassign = Some(reassign);
        row(
            "`itsm_sim::Model::new`",
            "a ticket passed on 17 times",
            err(Model::new(passes)),
        );
    }

    // itsm-alert
    {
        use itsm_alert::{
            Actor, AlertId, Command, Context, Policy, Severity, Signal, State, UserId, decide,
        };
        let system = Actor::new(UserId::from_u128(0), []);
        let policy = Policy::servicenow();
        let ingest = |state: &State, hour: u32, signal: Signal, id: u128| {
            decide(
                state,
                &Command::ingest(signal, AlertId::from_u128(id)),
                &Context::new(t(hour), &system, &policy),
            )
        };
        row(
            "`itsm_alert::decide`",
            "a signal with no message key and every field it is made of empty",
            err(ingest(
                &State::new(),
                9,
                Signal::new("", "", Severity::Major),
                1,
            )),
        );
        let mut state = State::new();
        state.apply(&ingest(&state, 9, Signal::new("nagios", "db-1", Severity::Major), 1).unwrap());
        row(
            "`itsm_alert::decide`",
            "a signal an hour before the board's last event",
            err(ingest(
                &state,
                8,
                Signal::new("nagios", "db-2", Severity::Major),
                2,
            )),
        );
        row(
            "`itsm_alert::decide`",
            "a new signal given the id of an existing alert",
            err(ingest(
                &state,
                10,
                Signal::new("nagios", "db-2", Severity::Major),
                1,
            )),
        );
        row(
            "`itsm_alert::decide`",
            "`close` by an actor without an operator role",
            err(decide(
                &state,
                &Command::Close {
                    alert: AlertId::from_u128(1),
                },
                &Context::new(t(10), &system, &policy),
            )),
        );
        let mut bad = Policy::servicenow();
        bad.repeat_window = -Duration::hours(1);
        row(
            "`itsm_alert::decide`",
            "a policy whose repeat window is minus an hour",
            err(decide(
                &state,
                &Command::ingest(
                    Signal::new("nagios", "db-2", Severity::Major),
                    AlertId::from_u128(2),
                ),
                &Context::new(t(10), &system, &bad),
            )),
        );
        row(
            "`itsm_alert::Signal` (JSON)",
            "`{\"source\": \"nagios\", \"severity\": \"fatal\"}`",
            json_err::<Signal>(json!({"source": "nagios", "severity": "fatal"})),
        );
    }

    // itsm-asset
    {
        use itsm_asset::{
            Actor, AssetClass, AssetId, Command, Context, Inventory, Method, NewAsset, Part,
            Policy, Role, Schedule, Substate, UserId, decide, value,
        };
        let clerk = Actor::new(UserId::from_u128(7), [Role::new("asset").unwrap()]);
        let policy = Policy::servicenow();
        let run = |inv: &Inventory, command: Command| {
            decide(inv, &command, &Context::new(t(9), &clerk, &policy))
        };
        let mut inv = Inventory::new();
        let keyboards = NewAsset::new(AssetId::from_u128(1), AssetClass::Consumable, "keyboard")
            .in_stock("Dublin", Substate::AVAILABLE)
            .quantity(5);
        inv.apply(&run(&inv, Command::Register { asset: keyboards }).unwrap());
        let laptop = NewAsset::new(AssetId::from_u128(4), AssetClass::Hardware, "laptop")
            .in_stock("Dublin", Substate::AVAILABLE);
        inv.apply(&run(&inv, Command::Register { asset: laptop }).unwrap());
        row(
            "`itsm_asset::decide`",
            "a laptop registered in stock with no stockroom",
            err(run(
                &inv,
                Command::Register {
                    asset: NewAsset::new(AssetId::from_u128(2), AssetClass::Hardware, "laptop")
                        .in_stock("", Substate::AVAILABLE),
                },
            )),
        );
        row(
            "`itsm_asset::decide`",
            "six keyboards consumed from a record of five",
            err(run(
                &inv,
                Command::Consume {
                    asset: AssetId::from_u128(1),
                    part: Part {
                        quantity: 6,
                        new_asset: AssetId::from_u128(3),
                    },
                    consumed_by: None,
                    user: None,
                },
            )),
        );
        row(
            "`itsm_asset::decide`",
            "keyboards set in use",
            err(run(
                &inv,
                Command::SetState {
                    asset: AssetId::from_u128(1),
                    status: itsm_asset::Status::InUse,
                    substate: None,
                    stockroom: None,
                },
            )),
        );
        row(
            "`itsm_asset::decide`",
            "a laptop made its own parent",
            err(run(
                &inv,
                Command::SetParent {
                    asset: AssetId::from_u128(4),
                    parent: Some(AssetId::from_u128(4)),
                },
            )),
        );
        let schedule = Schedule {
            method: Method::StraightLine,
            life_years: 4,
        };
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        row(
            "`itsm_asset::value`",
            "a salvage value above the cost",
            err(value(
                &schedule,
                1_000,
                2_000,
                day(2026, 1, 1),
                day(2027, 1, 1),
            )),
        );
        row(
            "`itsm_asset::value`",
            "a life of 4 years from chrono's last year",
            err(value(
                &schedule,
                1_000,
                0,
                chrono::NaiveDate::MAX,
                chrono::NaiveDate::MAX,
            )),
        );
        row(
            "`itsm_asset::Inventory` (JSON)",
            "a consumable record of 0 items",
            json_err::<Inventory>(json!({"assets": [{
                "id": "00000000-0000-0000-0000-000000000001", "class": "consumable",
                "model": "keyboard", "quantity": 0, "cost": 0, "ci": null, "parent": null,
                "placement": {"status": "on_order", "substate": null, "stockroom": null,
                    "assigned_to": null, "reserved_for": null, "consumed_by": null,
                    "transfer": null},
                "in_use_since": null, "updated_at": "2026-03-02T09:00:00Z"}]})),
        );
    }
}
