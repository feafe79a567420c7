//! The `contract` harness's model of the daily job (`Command::Tick`) and of `next_deadline`,
//! from docs/contract.md: activation on the start date, a renewal on its own (after the
//! charges dated before it, at the old prices), reminders (the latest due, once per end
//! date, none past the end), expiry, and each active card's charges from its next date to
//! today and its end, split into exact lines over what was covered that day.
//!
//! The page does not say in which order the job takes the cards' charge dates, so with
//! `max_lines_per_tick` binding the model does not pick them: each card's charges must come
//! in its own date order, each as the model computes it; no charge starts once the tick has
//! made that many lines (a charge's lines are never split, so the last may pass it), and
//! charges wait for the next tick only then. A renewal waits for the charges before its
//! start, and so does the rest of that tick (reminders, expiry, later charges): the model's
//! reading of "the rest wait".
//!
//! The job's own steps run in the order: activation, renewal (then an expired contract
//! renewed into today is active again), the reminder, expiry; the reminder goes out before
//! the expiry (the page). Charges after the renewal may come anywhere after it.

use super::model::*;
use super::*;

/// The `n`-th charge date of a card (counted from its start; months clamp to their last
/// day); none past chrono's range.
pub fn nth(c: &RateCardSpec, n: u32) -> Option<D> {
    let n = u64::from(n);
    let months = |per: u64| add_months(c.start, n * per);
    match c.interval {
        Interval::Daily => c.start.checked_add_days(Days::new(n)),
        Interval::Weekly => c.start.checked_add_days(Days::new(n * 7)),
        Interval::Monthly => months(1),
        Interval::Quarterly => months(3),
        Interval::SemiAnnually => months(6),
        Interval::Annually => months(12),
        _ => None,
    }
}

fn leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn add_months(d: D, k: u64) -> Option<D> {
    let total = i64::from(d.year()) * 12 + i64::from(d.month0()) + i64::try_from(k).ok()?;
    let y = total.div_euclid(12);
    let m = total.rem_euclid(12) as u32 + 1;
    let last = match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    D::from_ymd_opt(i32::try_from(y).ok()?, m, d.day().min(last))
}

/// The last day card `c` charges: its end or the contract's, whichever is first.
fn last_day(c: &RateCardSpec, end: Option<D>) -> Option<D> {
    match (c.end, end) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Card `k`'s next charge date if it is due by `up_to` (active card, active or expired
/// contract, not after the card's last day).
pub fn next_due(m: &M, k: usize, up_to: D) -> Option<D> {
    if !matches!(m.status, Status::Active | Status::Expired) {
        return None;
    }
    let c = m.cards.get(k).filter(|c| c.active)?;
    let date = nth(&c.spec, c.done)?;
    let last = last_day(&c.spec, m.end);
    (date <= up_to && last.is_none_or(|l| date <= l)).then_some(date)
}

/// Whether any charge date up to `up_to` waits.
pub fn pending(m: &M, up_to: D) -> bool {
    (0..m.cards.len()).any(|k| next_due(m, k, up_to).is_some())
}

/// The lines of card `k`'s charge on `date` with this charge total (exact).
pub fn lines_with(
    m: &M,
    c: &RateCardSpec,
    date: D,
    total: i128,
) -> Vec<(Option<String>, Option<UserId>, i128)> {
    let contract = vec![(None, None, total)];
    match c.distribute {
        Distribute::PerUser => {
            let users: Vec<UserId> = c
                .users
                .iter()
                .copied()
                .filter(|&u| m.user_on(u, date))
                .collect();
            if users.is_empty() {
                return contract;
            }
            let amounts = even(total, users.len());
            users
                .into_iter()
                .zip(amounts)
                .map(|(u, a)| (None, Some(u), a))
                .collect()
        }
        Distribute::PerAsset | Distribute::AssetCost | Distribute::AssetResidual => {
            let assets: Vec<&MAsset> = c
                .assets
                .iter()
                .filter_map(|id| m.asset_on(id, date))
                .collect();
            if assets.is_empty() {
                return contract;
            }
            let amounts = match c.distribute {
                Distribute::AssetCost => {
                    by_value(total, &assets.iter().map(|a| a.cost).collect::<Vec<_>>())
                }
                Distribute::AssetResidual => by_value(
                    total,
                    &assets.iter().map(|a| a.residual).collect::<Vec<_>>(),
                ),
                _ => even(total, assets.len()),
            };
            assets
                .into_iter()
                .zip(amounts)
                .map(|(a, x)| (Some(a.id.clone()), None, x))
                .collect()
        }
        _ => contract,
    }
}

/// Lines in `i64` (a charge with tax is at most twice `MAX_AMOUNT`: exact).
fn to_lines(v: Vec<(Option<String>, Option<UserId>, i128)>) -> Vec<L> {
    v.into_iter()
        .map(|(a, u, x)| (a, u, i64::try_from(x).unwrap_or(i64::MAX)))
        .collect()
}

/// How far a tick got through its budget.
pub struct Budget {
    pub used: u64,
    pub max: u64,
}

/// The charge events `evs` (in the crate's order) against the charges due up to `up_to`:
/// each card's in date order and as computed; applied to `m`. Returns whether none is left.
fn charges(
    m: &mut M,
    evs: &[Ev],
    up_to: D,
    today: D,
    budget: &mut Budget,
    notes: &mut Vec<&'static str>,
) -> Result<bool, String> {
    for ev in evs {
        let (Ev::Charged(k, date, _) | Ev::Passed(k, date)) = ev else {
            return Err(format!("{ev:?} among the charges"));
        };
        let i = *k as usize;
        let Some(due) = next_due(m, i, up_to) else {
            return Err(format!("{ev:?}: card {k} has no charge due by {up_to}"));
        };
        if due != *date {
            return Err(format!("{ev:?}: card {k}'s next charge date is {due}"));
        }
        let spec = m.cards.get(i).map(|c| c.spec.clone()).ok_or("no card")?;
        let want = if m.start.is_some_and(|s| due < s) {
            Ev::Passed(*k, due)
        } else {
            let total = with_tax(spec.base_cost, spec.sales_tax);
            Ev::Charged(*k, due, to_lines(lines_with(m, &spec, due, total)))
        };
        if *ev != want {
            return Err(format!("got {ev:?}, model {want:?}"));
        }
        if let Ev::Charged(_, _, lines) = ev {
            let sum: i128 = lines.iter().map(|l| i128::from(l.2)).sum();
            let total = with_tax(spec.base_cost, spec.sales_tax);
            if sum != total {
                return Err(format!("lines of {ev:?} add up to {sum}, not {total}"));
            }
        }
        let cost = match ev {
            Ev::Charged(_, _, lines) => (lines.len() as u64).max(1),
            _ => 1,
        };
        if budget.used >= budget.max {
            return Err(format!(
                "{ev:?} after the tick's {} lines were spent",
                budget.max
            ));
        }
        if budget.used + cost > budget.max {
            notes.push("budget:last_charge_past_the_bound");
        }
        budget.used += cost;
        apply(m, ev, today);
    }
    let left: Vec<usize> = (0..m.cards.len())
        .filter(|&k| next_due(m, k, up_to).is_some())
        .collect();
    if left.is_empty() {
        return Ok(true);
    }
    if budget.used < budget.max {
        return Err(format!(
            "charges up to {up_to} of cards {left:?} wait with {} of {} lines used",
            budget.used, budget.max
        ));
    }
    Ok(false)
}

/// Checks the crate's tick events against the model and moves the model on.
pub fn tick(
    s: &mut Sim,
    got: &[Event],
    today: D,
    p: &Policy,
    notes: &mut Vec<&'static str>,
) -> Result<(), String> {
    let evs: Vec<Ev> = got.iter().filter_map(ev_of).collect();
    if evs.len() != got.len() {
        return Err(format!("an event unknown to the harness in {got:?}"));
    }
    let Some(m) = s.c.as_mut() else {
        return Err("a tick accepted without a contract".into());
    };
    let mut budget = Budget {
        used: 0,
        max: u64::from(p.max_lines_per_tick),
    };
    let mut i = 0usize;
    let expect = |i: &mut usize, want: &Ev| -> Result<(), String> {
        match evs.get(*i) {
            Some(e) if e == want => {
                *i += 1;
                Ok(())
            }
            e => Err(format!("event {i}: got {e:?}, model {want:?}")),
        }
    };
    if activation_due(m, today) {
        expect(&mut i, &Ev::Activated)?;
        apply(m, &Ev::Activated, today);
    }
    if let Some(r) = renewal_due(m, today) {
        let run: Vec<Ev> = evs
            .iter()
            .skip(i)
            .take_while(|e| matches!(e, Ev::Charged(..) | Ev::Passed(..)))
            .cloned()
            .collect();
        i += run.len();
        let complete = match r.start.and_then(|s| s.pred_opt()) {
            Some(before) => charges(m, &run, before, today, &mut budget, notes)?,
            None if run.is_empty() => true,
            None => return Err("charges before a renewal starting on chrono's first day".into()),
        };
        if !complete {
            notes.push("budget:renewal_waits");
            if i != evs.len() {
                return Err(format!(
                    "events after a renewal waiting for charges: {:?}",
                    &evs[i..]
                ));
            }
            return Ok(());
        }
        let mut want = Vec::new();
        renew(m, &r, today, p, &mut want);
        for ev in &want {
            expect(&mut i, ev)?;
        }
        notes.push("renewed:tick");
        if want.first() == Some(&Ev::Expired) {
            notes.push("expired:before_renewal");
        }
        if want.last() == Some(&Ev::Activated) {
            notes.push("reactivated:renewal");
        }
    }
    // The reminder and the expiry in this order; the charges anywhere among them.
    let rest = evs.get(i..).unwrap_or_default();
    let (charged, status): (Vec<Ev>, Vec<Ev>) = rest
        .iter()
        .cloned()
        .partition(|e| matches!(e, Ev::Charged(..) | Ev::Passed(..)));
    let mut want = Vec::new();
    if let Some(days) = reminder_due(m, today, p) {
        let end = m.end.unwrap_or(today);
        push(
            m,
            Ev::Reminded(days, end, m.administrator),
            today,
            &mut want,
        );
    }
    if expiry_due(m, today, p) {
        push(m, Ev::Expired, today, &mut want);
    }
    if status != want {
        return Err(format!("the job's steps: got {status:?}, model {want:?}"));
    }
    let complete = charges(m, &charged, today, today, &mut budget, notes)?;
    if !complete {
        notes.push("budget:charges_wait");
    }
    Ok(())
}

/// The reminder due today: the smallest threshold reached, unless one as small was sent
/// for this end date; none unless active and not past the end.
pub fn reminder_due(m: &M, today: D, p: &Policy) -> Option<u32> {
    let end = m.end?;
    if m.status != Status::Active || today > end {
        return None;
    }
    let due = p
        .reminders
        .iter()
        .copied()
        .filter(|&d| reached(end, d, today))
        .min()?;
    m.reminded.is_none_or(|r| due < r).then_some(due)
}

/// Whether `today` is `days` or fewer before `end` (a day before chrono's first counts).
pub fn reached(end: D, days: u32, today: D) -> bool {
    end.checked_sub_days(Days::new(u64::from(days)))
        .is_none_or(|d| d <= today)
}

/// The expiration level the page describes: the smallest threshold reached, for an active
/// contract with an end date.
pub fn level(m: &M, today: D, p: &Policy) -> Option<u32> {
    let end = m.end?;
    if m.status != Status::Active {
        return None;
    }
    p.reminders
        .iter()
        .copied()
        .filter(|&d| reached(end, d, today))
        .min()
}

/// The first day the job has something to do: the earliest of an approved draft's start,
/// an approved renewal's start, an active contract's expiry and unsent reminders, each
/// active card's next charge date within its last day.
pub fn deadline(m: &M, p: &Policy) -> Option<D> {
    let mut days: Vec<D> = Vec::new();
    match m.status {
        Status::Draft if m.sub == Substate::Approved => days.push(m.start.unwrap_or(D::MIN)),
        Status::Active | Status::Expired => {
            if let Some(r) = &m.req {
                if r.review == Review::Renewal && r.stage == Stage::Approved {
                    days.extend(r.start);
                }
            }
            if let (Some(end), Status::Active) = (m.end, m.status) {
                days.extend(expiry_day(end, p));
                for &d in &p.reminders {
                    if m.reminded.is_none_or(|r| d < r) {
                        let day = end.checked_sub_days(Days::new(u64::from(d)));
                        days.push(day.unwrap_or(D::MIN));
                    }
                }
            }
            for k in 0..m.cards.len() {
                days.extend(next_due(m, k, D::MAX));
            }
        }
        _ => {}
    }
    days.into_iter().min()
}
