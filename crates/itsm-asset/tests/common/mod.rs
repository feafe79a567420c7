//! An inventory driven by minutes after a fixed start, for the tests.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_asset::{
    Actor, Asset, AssetClass, AssetId, Command, Context, Error, Event, Inventory, NewAsset, Policy,
    Role, Substate, UserId, decide,
};

pub fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

pub fn id(n: u128) -> AssetId {
    AssetId::from_u128(n)
}

pub fn user(n: u128) -> UserId {
    UserId::from_u128(n)
}

pub struct Inv {
    pub inventory: Inventory,
    pub policy: Policy,
    pub clerk: Actor,
    pub minute: i64,
}

impl Inv {
    pub fn new(policy: Policy) -> Self {
        Inv {
            inventory: Inventory::new(),
            policy,
            clerk: Actor::new(user(7), [Role::new("asset").unwrap()]),
            minute: 0,
        }
    }

    /// Runs a command a minute after the last, folding the events in.
    pub fn try_run(&mut self, command: Command) -> Result<Vec<Event>, Error> {
        self.minute += 1;
        let ctx = Context::new(t(self.minute), &self.clerk, &self.policy);
        let events = decide(&self.inventory, &command, &ctx)?;
        self.inventory.apply(&events);
        Ok(events)
    }

    /// Runs a command that must be accepted.
    pub fn run(&mut self, command: Command) -> Vec<Event> {
        let name = command.name();
        self.try_run(command)
            .unwrap_or_else(|e| panic!("{name} refused: {e}"))
    }

    /// Runs a command that must be refused, and checks it changed nothing.
    pub fn refuse(&mut self, command: Command) -> Error {
        let before = self.inventory.clone();
        let e = self.try_run(command).unwrap_err();
        assert_eq!(self.inventory, before);
        e
    }

    pub fn register(&mut self, asset: NewAsset) -> Vec<Event> {
        self.run(Command::Register { asset })
    }

    /// One laptop in stock, available, in `room`.
    pub fn laptop(&mut self, n: u128, room: &str) -> AssetId {
        self.register(
            NewAsset::new(id(n), AssetClass::Hardware, "Latitude 5520")
                .in_stock(room, Substate::AVAILABLE),
        );
        id(n)
    }

    /// `quantity` keyboards in stock, available, in `room`.
    pub fn keyboards(&mut self, n: u128, room: &str, quantity: u32) -> AssetId {
        self.register(
            NewAsset::new(id(n), AssetClass::Consumable, "USB keyboard")
                .in_stock(room, Substate::AVAILABLE)
                .quantity(quantity),
        );
        id(n)
    }

    pub fn get(&self, n: u128) -> &Asset {
        self.inventory.asset(id(n)).unwrap()
    }
}
