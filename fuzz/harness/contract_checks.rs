//! The `contract` harness's comparisons: the crate's record against the model's, field by
//! field, its figures (costs, projections, expiration level), `next_deadline`, and JSON.

use super::model::*;
use super::*;

pub(super) fn kind_of(debug: &str) -> String {
    debug.split([' ', '{', '(']).next().unwrap_or("").to_owned()
}

pub(super) fn json<S: serde::Serialize>(v: &S) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `v` survives a JSON round trip.
#[track_caller]
pub(super) fn round_trip<S>(v: &S, what: &str)
where
    S: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = json(v);
    let back: Option<S> = serde_json::from_str(&text).ok();
    assert!(back.as_ref() == Some(v), "{what} JSON round trip: {text}");
}

/// Fails naming what differs, and the input, unless `got` is `want`.
#[track_caller]
pub(super) fn same<A: PartialEq + std::fmt::Debug>(
    got: A,
    want: A,
    what: &str,
    why: &dyn Fn() -> String,
) {
    assert!(
        got == want,
        "{what}: got {got:?}, model {want:?}; {}",
        why()
    );
}

/// The crate's record in the model's terms (`x`, the model's own notes, copied).
pub(super) fn view(c: &Contract, x: &Extra) -> M {
    M {
        id: c.id,
        number: c.number.clone(),
        name: c.name.clone(),
        model: c.model,
        vendor: c.vendor.clone(),
        start: c.start,
        end: c.end,
        administrator: c.administrator,
        approver: c.approver,
        payment: c.payment_amount,
        schedule: c.payment_schedule,
        tax: c.sales_tax,
        discount: c.discount,
        status: c.status,
        sub: c.substate,
        req: c.request.as_ref().map(|r| MReq {
            review: r.review,
            approver: r.approver,
            start: r.start,
            end: r.end,
            percent: r.percent,
            amount: r.amount,
            stage: r.stage,
        }),
        assets: c
            .assets
            .iter()
            .map(|a| MAsset {
                id: a.item.id.clone(),
                cost: a.item.cost,
                residual: a.item.residual,
                added: a.added,
                removed: a.removed,
            })
            .collect(),
        users: c
            .users
            .iter()
            .map(|u| MUser {
                user: u.item,
                added: u.added,
                removed: u.removed,
            })
            .collect(),
        cards: c
            .rate_cards
            .iter()
            .map(|r| MCard {
                spec: r.spec.clone(),
                active: r.active,
                done: r.processed,
                last: r.last_processed,
            })
            .collect(),
        history: c
            .history
            .iter()
            .map(|h| MHist {
                change: h.change,
                on: h.on,
                before: (h.start_before, h.end_before),
                after: (h.start_after, h.end_after),
            })
            .collect(),
        reminded: c.reminded,
        lifetime: i128::from(c.lifetime_cost),
        lines: c.lines,
        created: c.created,
        x: x.clone(),
    }
}

/// The record against the model, field by field.
pub(super) fn compare(
    c: &Contract,
    m: &mut M,
    notes: &mut Vec<&'static str>,
    why: &dyn Fn() -> String,
) {
    let mut got = view(c, &m.x);
    // The lifetime cost is exact within `i64` and saturates beyond it (the page): not
    // compared once the sum of the lines left `i64`.
    if m.x.lifetime_overflowed {
        notes.push("lifetime:saturated");
        got.lifetime = m.lifetime;
    }
    if got == *m {
        return;
    }
    same(got.status, m.status, "status", why);
    same(got.sub, m.sub, "substate", why);
    same(&got.req, &m.req, "request", why);
    same((got.start, got.end), (m.start, m.end), "dates", why);
    same(got.payment, m.payment, "payment amount", why);
    same(
        (got.approver, got.administrator),
        (m.approver, m.administrator),
        "approver, administrator",
        why,
    );
    same(&got.assets, &m.assets, "assets", why);
    same(&got.users, &m.users, "users", why);
    same(&got.cards, &m.cards, "rate cards", why);
    same(&got.history, &m.history, "history", why);
    same(got.reminded, m.reminded, "reminded", why);
    same(
        (got.lifetime, got.lines),
        (m.lifetime, m.lines),
        "lifetime cost, lines",
        why,
    );
    same(&got, m, "contract", why);
}

/// Costs, projections and the expiration level against the page's formulas.
pub(super) fn figures(c: &Contract, m: &M, today: D, p: &Policy, why: &dyn Fn() -> String) {
    same(
        c.expiration_level(today, &p.reminders),
        job::level(m, today, p),
        "expiration level",
        why,
    );
    // What is covered now and on today, and each card's next process date.
    let ids: Vec<&str> = c.covered_assets().map(|a| a.id.as_str()).collect();
    same(ids, m.covered_assets(), "covered assets", why);
    let users: Vec<UserId> = c.covered_users().collect();
    same(users, m.covered_users(), "covered users", why);
    let on: Vec<&str> = c.assets_on(today).map(|a| a.id.as_str()).collect();
    let want: Vec<&str> = m
        .assets
        .iter()
        .filter(|a| {
            m.asset_on(&a.id, today)
                .is_some_and(|x| std::ptr::eq(x, *a))
        })
        .map(|a| a.id.as_str())
        .collect();
    same(on, want, "assets covered today", why);
    for (card, k) in c.rate_cards.iter().zip(&m.cards) {
        same(
            card.next_process(),
            job::nth(&k.spec, k.done),
            "next process date",
            why,
        );
    }
    // Costs count the active rate cards (with rate cards: none active, nothing).
    let active: Vec<&MCard> = m.cards.iter().filter(|k| k.active).collect();
    let (tax_cost, total, shown): (i128, i128, i128) = if m.cards.is_empty() {
        (
            tax(m.payment, m.tax),
            with_tax(m.payment, m.tax),
            i128::from(m.payment),
        )
    } else {
        (
            active
                .iter()
                .map(|k| tax(k.spec.base_cost, k.spec.sales_tax))
                .sum(),
            active
                .iter()
                .map(|k| with_tax(k.spec.base_cost, k.spec.sales_tax))
                .sum(),
            active.iter().map(|k| i128::from(k.spec.base_cost)).sum(),
        )
    };
    same(c.tax_cost(), saturate(tax_cost), "tax cost", why);
    same(c.total_cost(), saturate(total), "total cost", why);
    same(
        c.shown_payment_amount(),
        saturate(shown),
        "payment amount shown",
        why,
    );
    let n = m.covered_assets().len() as i128;
    let per_asset = (n > 0).then(|| saturate(half(i128::from(saturate(total)), n)));
    same(c.cost_per_asset(), per_asset, "cost per asset", why);
    // Projections: from the active cards of a draft or active contract.
    let running = matches!(m.status, Status::Draft | Status::Active);
    let annual: i128 = active
        .iter()
        .filter(|_| running)
        .map(|k| {
            let per_year: i128 = match k.spec.interval {
                Interval::Daily => 365,
                Interval::Weekly => 52,
                Interval::Monthly => 12,
                Interval::Quarterly => 4,
                Interval::SemiAnnually => 2,
                _ => 1,
            };
            with_tax(k.spec.base_cost, k.spec.sales_tax) * per_year
        })
        .sum();
    let projected = c.projected();
    same(
        (projected.annual, projected.monthly),
        (saturate(annual), saturate(half(annual, 12))),
        "projected annual and monthly",
        why,
    );
}

/// `next_deadline` after a command on `today`: on or before today when the job has work
/// now, else the first day it has.
pub(super) fn deadline(state: &State, m: &M, today: D, p: &Policy, why: &dyn Fn() -> String) {
    let got = next_deadline(state, p);
    let want = job::deadline(m, p);
    match want {
        Some(d) if d <= today => {
            assert!(
                got.is_some_and(|g| g <= today),
                "next_deadline {got:?}: the job has work on {today} (model: since {d}); {}",
                why()
            );
        }
        _ => same(got, want, "next_deadline", why),
    }
}
