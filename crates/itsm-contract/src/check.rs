//! The checks of a contract's data: its spec at create, a rate card, a covered asset.

use std::collections::HashSet;

use chrono::NaiveDate;
use itsm_core::UserId;

use crate::error::Error;
use crate::spec::{
    ContractSpec, CoveredAsset, Distribute, MAX_AMOUNT, MAX_COVERED, MAX_RATE_CARDS, Rate,
    RateCardSpec,
};

pub(crate) fn amount(what: impl FnOnce() -> String, amount: i64) -> Result<(), Error> {
    if amount.unsigned_abs() > MAX_AMOUNT.unsigned_abs() {
        return Err(Error::AmountOutOfRange {
            what: what(),
            amount,
            max: MAX_AMOUNT,
        });
    }
    Ok(())
}

pub(crate) fn tax_rate(what: impl FnOnce() -> String, rate: Option<Rate>) -> Result<(), Error> {
    match rate {
        Some(r) if r > Rate::MAX => Err(Error::TaxRateOutOfRange {
            what: what(),
            rate: r.0,
            max: Rate::MAX.0,
        }),
        _ => Ok(()),
    }
}

pub(crate) fn dates(
    what: impl FnOnce() -> String,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<(), Error> {
    if let (Some(start), Some(end)) = (start, end) {
        if end < start {
            return Err(Error::EndBeforeStart {
                what: what(),
                start,
                end,
            });
        }
    }
    Ok(())
}

pub(crate) fn asset(asset: &CoveredAsset) -> Result<(), Error> {
    if asset.id.trim().is_empty() {
        return Err(Error::EmptyName {
            what: "covered asset's id",
        });
    }
    for (what, value) in [("cost", asset.cost), ("residual cost", asset.residual)] {
        if value < 0 {
            return Err(Error::NegativeValue {
                asset: asset.id.clone(),
                what,
                value,
            });
        }
        amount(
            || format!("cost of asset `{}`", itsm_core::Quoted(&asset.id)),
            value,
        )?;
    }
    Ok(())
}

/// What a rate card is checked against: the contract's term and what it covers now.
pub(crate) struct Bounds<'a> {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Whether an asset is covered.
    pub asset: &'a dyn Fn(&str) -> bool,
    /// Whether a user is covered.
    pub user: &'a dyn Fn(UserId) -> bool,
}

/// A card within a contract's dates: not starting before its start, nor starting or ending
/// after its end.
pub(crate) fn within(
    card: &RateCardSpec,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<(), Error> {
    if let Some(contract_start) = start {
        if card.start < contract_start {
            return Err(Error::CardBeforeContract {
                card: card.name.clone(),
                start: card.start,
                contract_start,
            });
        }
    }
    if let Some(contract_end) = end {
        if card.start > contract_end {
            return Err(Error::CardAfterContract {
                card: card.name.clone(),
                end: card.start,
                contract_end,
            });
        }
        if let Some(card_end) = card.end.filter(|&e| e > contract_end) {
            return Err(Error::CardAfterContract {
                card: card.name.clone(),
                end: card_end,
                contract_end,
            });
        }
    }
    Ok(())
}

pub(crate) fn card(card: &RateCardSpec, bounds: &Bounds<'_>) -> Result<(), Error> {
    let quoted = || format!("rate card `{}`", itsm_core::Quoted(&card.name));
    if card.name.trim().is_empty() {
        return Err(Error::EmptyName {
            what: "rate card's name",
        });
    }
    dates(quoted, Some(card.start), card.end)?;
    within(card, bounds.start, bounds.end)?;
    amount(|| format!("base cost of {}", quoted()), card.base_cost)?;
    tax_rate(quoted, card.sales_tax)?;
    let needs = |whom: &'static str| Error::NothingToDistribute {
        card: card.name.clone(),
        distribute: card.distribute,
        whom,
    };
    let unused = |whom: &'static str| Error::UnusedCoverage {
        card: card.name.clone(),
        distribute: card.distribute,
        whom,
    };
    match card.distribute {
        d if d.by_asset() => {
            if card.assets.is_empty() {
                return Err(needs("assets"));
            }
            if !card.users.is_empty() {
                return Err(unused("users"));
            }
        }
        Distribute::PerUser => {
            if card.users.is_empty() {
                return Err(needs("users"));
            }
            if !card.assets.is_empty() {
                return Err(unused("assets"));
            }
        }
        _ => {
            if !card.assets.is_empty() {
                return Err(unused("assets"));
            }
            if !card.users.is_empty() {
                return Err(unused("users"));
            }
        }
    }
    let mut seen = HashSet::with_capacity(card.assets.len());
    for asset in &card.assets {
        if !(bounds.asset)(asset) {
            return Err(Error::CardAssetNotCovered {
                card: card.name.clone(),
                asset: asset.clone(),
            });
        }
        if !seen.insert(asset.as_str()) {
            return Err(Error::DuplicateAsset {
                asset: asset.clone(),
            });
        }
    }
    let mut seen = HashSet::with_capacity(card.users.len());
    for &user in &card.users {
        if !(bounds.user)(user) {
            return Err(Error::CardUserNotCovered {
                card: card.name.clone(),
                user,
            });
        }
        if !seen.insert(user) {
            return Err(Error::DuplicateUser { user });
        }
    }
    Ok(())
}

pub(crate) fn too_many(what: &'static str, count: usize, max: usize) -> Result<(), Error> {
    if count > max {
        return Err(Error::TooMany { what, count, max });
    }
    Ok(())
}

/// Every check of a spec, the first problem reported.
pub(crate) fn spec(spec: &ContractSpec) -> Result<(), Error> {
    if spec.number.trim().is_empty() {
        return Err(Error::EmptyNumber);
    }
    dates(|| "contract".to_owned(), spec.start, spec.end)?;
    if spec.model.needs_vendor_and_dates() {
        if spec.vendor.as_deref().is_none_or(|v| v.trim().is_empty()) {
            return Err(Error::MissingForModel {
                model: spec.model,
                field: "vendor",
            });
        }
        if spec.start.is_none() {
            return Err(Error::MissingForModel {
                model: spec.model,
                field: "start date",
            });
        }
        if spec.end.is_none() {
            return Err(Error::MissingForModel {
                model: spec.model,
                field: "end date",
            });
        }
    }
    if let Some(discount) = spec.discount {
        if spec.model != crate::spec::Model::PurchaseAgreement {
            return Err(Error::DiscountNotPurchaseAgreement { model: spec.model });
        }
        if discount > 99 {
            return Err(Error::DiscountOutOfRange { discount });
        }
    }
    amount(|| "payment amount".to_owned(), spec.payment_amount)?;
    tax_rate(|| "contract".to_owned(), spec.sales_tax)?;
    too_many("covered assets", spec.assets.len(), MAX_COVERED)?;
    too_many("covered users", spec.users.len(), MAX_COVERED)?;
    too_many("rate cards", spec.rate_cards.len(), MAX_RATE_CARDS)?;
    let mut assets = HashSet::with_capacity(spec.assets.len());
    for a in &spec.assets {
        asset(a)?;
        if !assets.insert(a.id.as_str()) {
            return Err(Error::DuplicateAsset {
                asset: a.id.clone(),
            });
        }
    }
    let mut users = HashSet::with_capacity(spec.users.len());
    for &user in &spec.users {
        if !users.insert(user) {
            return Err(Error::DuplicateUser { user });
        }
    }
    let bounds = Bounds {
        start: spec.start,
        end: spec.end,
        asset: &|id| assets.contains(id),
        user: &|user| users.contains(&user),
    };
    let mut names = HashSet::with_capacity(spec.rate_cards.len());
    for c in &spec.rate_cards {
        card(c, &bounds)?;
        if !names.insert(c.name.as_str()) {
            return Err(Error::DuplicateCard {
                card: c.name.clone(),
            });
        }
    }
    Ok(())
}
