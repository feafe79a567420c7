//! The event loop: a binary heap of timed events (one pending arrival per class, one
//! departure per busy agent, one release per ticket on hold, one reopen per resolved ticket
//! its caller will reopen), the staffing steps and backlog samples merged in order, a FIFO
//! queue per priority served most urgent first. The full path observes it through
//! [`Observer`]; the fast path's observer does nothing and compiles away.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeSet, BinaryHeap, VecDeque};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::arrivals::next_arrival;
use crate::error::Error;
use crate::model::Model;
use crate::observer::Observer;
use crate::report::{Attainment, BacklogPoint, ClassReport, Engine, GroupReport, RunReport, waits};
use crate::streams::{Stream, mix, stream};
use crate::time::instant;
use itsm_sla::ReopenMode;

#[derive(Clone, Copy)]
enum What {
    Arrival(usize),
    /// The agent's work ends: the ticket is resolved, or put on hold when its hold is due.
    Departure(u32),
    /// The caller answers the ticket in this slot of the held list.
    Release(usize),
    /// The caller reopens the resolved ticket in this slot of the held list.
    Reopen(usize),
}

/// A timed event; ties in time go in the order they were scheduled.
#[derive(Clone, Copy)]
struct Ev {
    t: f64,
    seq: u64,
    what: What,
}

impl PartialEq for Ev {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ev {}
impl PartialOrd for Ev {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ev {
    fn cmp(&self, other: &Self) -> Ordering {
        self.t.total_cmp(&other.t).then(self.seq.cmp(&other.seq))
    }
}

/// A hold still to come: after `after` more hours of work, for `lasts` hours.
#[derive(Clone, Copy)]
struct Pending {
    after: f64,
    lasts: f64,
}

/// A reassignment still to come: after `triage` more hours of work, to group `to`.
#[derive(Clone, Copy)]
struct PendingReassign {
    triage: f64,
    to: u32,
}

/// A reopen still to come: `after` hours after the resolution, taking `work` more hours.
#[derive(Clone, Copy)]
struct PendingReopen {
    after: f64,
    work: f64,
}

/// What a ticket carries through the queues, the agents and holds.
#[derive(Clone, Copy)]
struct Ticket {
    ticket: u64,
    arrival: f64,
    /// When its resolution clock's cycle started, in hours: the arrival, or the reopen in
    /// a new cycle.
    clock: f64,
    /// The work left, in hours.
    service: f64,
    /// Whether its work started before (it was pre-empted, held or reopened): its wait and
    /// response
    /// are measured already.
    resumed: bool,
    /// Its hold, while still to come.
    hold: Option<Pending>,
    /// Its reopen, while still to come.
    reopen: Option<PendingReopen>,
    /// Business time its resolution clock spent paused, in nanoseconds.
    paused: i64,
    /// Whether its resolution clock was found past its deadline when it paused (a breach
    /// stays).
    late: bool,
    /// The group it is with.
    pool: u32,
    /// Its reassignment, while still to come.
    reassign: Option<PendingReassign>,
    /// When it came to its group (its arrival, or its reassignment), in hours.
    entered: f64,
    /// Whether no agent of its group has started on it yet (its group wait is measured).
    fresh: bool,
    /// How many times it was passed on.
    passed: u8,
}

#[derive(Clone, Copy)]
struct Busy {
    class: usize,
    /// The ticket; its `service` is the work left after `ends`, none unless a hold is due
    /// then.
    t: Ticket,
    /// When the work in hand ends (the ticket is done, or its hold is due), in hours.
    ends: f64,
    /// The sequence number of its departure event: a departure whose number differs is
    /// stale (the ticket was pre-empted meanwhile).
    departure: u64,
}

/// A ticket on hold, or resolved and to be reopened: its class, the ticket, and when the
/// hold began or the ticket was resolved (hours).
type Held = (usize, Ticket, f64);

/// Keeps `entry` in a free slot of `held` (or a new one) and says which.
fn keep(held: &mut Vec<Option<Held>>, free: &mut Vec<usize>, entry: Held) -> usize {
    match free.pop() {
        Some(slot) => {
            if let Some(place) = held.get_mut(slot) {
                *place = Some(entry);
            }
            slot
        }
        None => {
            held.push(Some(entry));
            held.len() - 1
        }
    }
}

/// Puts a ticket whose work started before (interrupted, back from hold, or reopened) back
/// in its
/// class's queue in arrival order: near the front, since the queue is served oldest first.
fn requeue(queue: &mut VecDeque<Ticket>, t: Ticket) {
    let at = queue.partition_point(|w| w.arrival <= t.arrival);
    queue.insert(at, t);
}

/// Per class figures gathered during the run.
#[derive(Default)]
struct Tally {
    arrivals: u64,
    waits: Vec<f64>,
    response: Attainment,
    resolution: Attainment,
}

/// Runs the model. Each class draws its arrivals and its service times from two streams of
/// its own (service times are drawn at arrival), so runs that differ only in staffing see
/// the same tickets (common random numbers).
pub(crate) fn run<O: Observer>(
    model: &Model,
    seed: u64,
    engine: Engine,
    observer: &mut O,
) -> Result<RunReport, Error> {
    let k = model.classes.len();
    let mut arrival_rng: Vec<SmallRng> = (0..k)
        .map(|i| SmallRng::seed_from_u64(mix(seed, stream(Stream::Arrivals, i))))
        .collect();
    let mut service_rng: Vec<SmallRng> = (0..k)
        .map(|i| SmallRng::seed_from_u64(mix(seed, stream(Stream::Service, i))))
        .collect();
    // Holds draw from streams of their own, so a class without one draws exactly as before.
    let mut hold_rng: Vec<SmallRng> = (0..k)
        .map(|i| SmallRng::seed_from_u64(mix(seed, stream(Stream::Holds, i))))
        .collect();
    // And reopens, and reassignments.
    let mut reopen_rng: Vec<SmallRng> = (0..k)
        .map(|i| SmallRng::seed_from_u64(mix(seed, stream(Stream::Reopens, i))))
        .collect();
    let mut reassign_rng: Vec<SmallRng> = (0..k)
        .map(|i| SmallRng::seed_from_u64(mix(seed, stream(Stream::Reassignments, i))))
        .collect();
    let mut tallies: Vec<Tally> = (0..k).map(|_| Tally::default()).collect();
    let seats = model.seats as usize;
    let mut agents: Vec<Option<Busy>> = vec![None; seats];
    // Only the desk: its group figures are the run's own.
    let alone = model.pools.len() == 1;
    // Whether any group's agents take another's tickets.
    let helping = model.pools.iter().any(|p| !p.helps.is_empty());
    let mut pools: Vec<PoolState> = model
        .pools
        .iter()
        .map(|p| PoolState::new(k, p.first, p.seats, !alone))
        .collect();
    // Departures of interrupted work still in the heap: swept once they are half of it, so
    // the heap stays within classes + agents + tickets on hold or to be reopened, twice over.
    let mut stale = 0usize;
    // Tickets on hold, and resolved tickets to be reopened, in slots reused through `free`.
    let mut held: Vec<Option<Held>> = Vec::new();
    let mut free: Vec<usize> = Vec::new();
    let mut heap: BinaryHeap<Reverse<Ev>> = BinaryHeap::with_capacity(k + seats + 1);
    let mut seq = 0u64;
    let mut schedule = |heap: &mut BinaryHeap<Reverse<Ev>>, t: f64, what: What| {
        heap.push(Reverse(Ev { t, seq, what }));
        seq += 1;
        seq - 1
    };
    let horizon = model.horizon;
    let start = model.config().start;
    for (i, class) in model.classes.iter().enumerate() {
        if let Some(rng) = arrival_rng.get_mut(i) {
            let t = next_arrival(class, rng, 0.0, horizon);
            schedule(&mut heap, t, What::Arrival(i));
        }
    }

    let (warmup, every) = (model.warmup, model.sample_every);
    let mut samples: Vec<BacklogPoint> = Vec::new();
    let mut next_sample = warmup;
    let mut staff_at = 0usize;
    // Every group's together: agents on duty, at work, and counted as on duty (each group's
    // larger of the two: an agent finishing past a shift's end is on duty).
    let mut capacity = 0u32;
    let mut busy = 0u32;
    let mut duty = 0u32;
    let (mut busy_time, mut duty_time) = (0.0f64, 0.0f64);
    // The groups to dispatch and rebalance after the event (each once, in order): those it
    // touched, and those whose rebalancing waited for a departure due at the same instant.
    let mut touched: Vec<usize> = Vec::new();
    let mut deferred: Vec<usize> = Vec::new();
    let mut queued = 0u64;
    let mut on_hold = 0u64;
    let (mut arrivals, mut completed, mut reopened, mut reassigned) = (0u64, 0u64, 0u64, 0u64);
    let mut now = 0.0f64;

    // Advances the clock to `t`: integrates busy and on-duty agent time after the warm-up
    // (each group's is integrated when it changes, [`PoolState::set`]) and takes the backlog
    // samples due before `t` (the state is constant in between).
    macro_rules! advance {
        ($t:expr) => {{
            let t: f64 = $t;
            if t > warmup {
                let from = now.max(warmup);
                let dt = t - from;
                if dt > 0.0 {
                    busy_time += f64::from(busy) * dt;
                    duty_time += f64::from(duty) * dt;
                }
            }
            while next_sample < t && next_sample < horizon {
                let at = instant(model.config().start, next_sample).ok_or(Error::DateOverflow)?;
                samples.push(BacklogPoint {
                    at,
                    queued,
                    in_service: u64::from(busy),
                    on_hold,
                    agents: capacity,
                });
                next_sample += every;
            }
            now = t;
        }};
    }

    // Starts the most urgent waiting ticket of group `from` (the oldest of its class) on
    // `agent`, one of group `pool`'s (`from` itself, or a group that helps it), if any
    // waits; says whether one did.
    macro_rules! start {
        ($from:expr, $pool:expr, $agent:expr) => {{
            let (from, pool, agent): (usize, usize, u32) = ($from, $pool, $agent);
            let next = pools.get_mut(from).and_then(|ps| {
                let (class, queue) = ps
                    .queues
                    .iter_mut()
                    .enumerate()
                    .find(|(_, q)| !q.is_empty())?;
                Some((class, queue.pop_front()?))
            });
            match next {
                None => false,
                Some((class, mut w)) => {
                    queued -= 1;
                    busy += 1;
                    let counted = w.arrival >= warmup;
                    if let Some(ps) = pools.get_mut(pool) {
                        ps.set(ps.busy + 1, ps.capacity, now, warmup, &mut duty);
                    }
                    // With one group, its waits are the desk's: taken from those.
                    if counted && w.fresh && !alone {
                        if let Some(ps) = pools.get_mut(from) {
                            ps.waits.push(now - w.entered);
                        }
                    }
                    w.fresh = false;
                    if counted && !w.resumed {
                        if let (Some(tally), Some(spec)) =
                            (tallies.get_mut(class), model.classes.get(class))
                        {
                            let wait = now - w.arrival;
                            tally.waits.push(wait);
                            if spec.due(start, w.arrival, now, spec.response, 0)? {
                                tally.response.breached += 1;
                            } else {
                                tally.response.met += 1;
                            }
                        }
                    }
                    if w.resumed {
                        observer.resumed(w.ticket, class, agent, w.pool, now)?;
                    } else {
                        observer.started(w.ticket, class, agent, w.pool, now)?;
                    }
                    // Triage up to the reassignment when one is to come (the work is the
                    // next group's); else work up to the hold when one is to come, else to
                    // the end.
                    let in_hand = match w.reassign {
                        Some(r) => r.triage,
                        None => {
                            let in_hand = w.hold.map_or(w.service, |h| h.after.min(w.service));
                            w.service -= in_hand;
                            in_hand
                        }
                    };
                    let ends = now + in_hand;
                    let departure = schedule(&mut heap, ends, What::Departure(agent));
                    if model.preemptive {
                        if let Some(ps) = pools.get_mut(pool) {
                            // Arrival instants are not negative, so their bits order as
                            // they do.
                            ps.order.insert((class, w.arrival.to_bits(), agent));
                            if let Some(n) = ps.serving.get_mut(class) {
                                *n += 1;
                            }
                        }
                    }
                    if let Some(seat) = agents.get_mut(agent as usize) {
                        *seat = Some(Busy {
                            class,
                            t: w,
                            ends,
                            departure,
                        });
                    }
                    true
                }
            }
        }};
    }

    // Starts group `from`'s waiting tickets on group `pool`'s free agents on duty while
    // both last; says whether `pool` still has a free agent on duty.
    macro_rules! serve {
        ($from:expr, $pool:expr) => {{
            let (from, pool): (usize, usize) = ($from, $pool);
            loop {
                let Some(agent) = pools
                    .get_mut(pool)
                    .filter(|ps| ps.busy < ps.capacity)
                    .and_then(|ps| ps.idle.pop())
                else {
                    break false;
                };
                if !start!(from, pool, agent) {
                    if let Some(ps) = pools.get_mut(pool) {
                        ps.idle.push(agent);
                    }
                    break true;
                }
            }
        }};
    }

    // Starts work on group `pool`'s waiting tickets while one of its agents on duty is free.
    macro_rules! dispatch {
        ($pool:expr) => {{
            let pool: usize = $pool;
            serve!(pool, pool);
        }};
    }

    // Help between groups, after the groups of `round` took their own tickets: the groups
    // that can give help (those of `round` and those that help them, in group order), if
    // none of their own tickets waits, take the tickets of the groups they help, in their
    // order of preference.
    macro_rules! help {
        ($round:expr) => {{
            let round: &[usize] = $round;
            let mut givers = round.to_vec();
            for p in round.iter().filter_map(|&pool| model.pools.get(pool)) {
                givers.extend(p.helpers.iter().map(|&h| h as usize));
            }
            givers.sort_unstable();
            givers.dedup();
            for &giver in &givers {
                let own_empty = pools
                    .get(giver)
                    .is_some_and(|h| h.queues.iter().all(VecDeque::is_empty));
                if let (true, Some(p)) = (own_empty, model.pools.get(giver)) {
                    for &other in &p.helps {
                        if !serve!(other as usize, giver) {
                            break;
                        }
                    }
                }
            }
        }};
    }

    // Pre-emptive priority, within group `pool`: while fewer of its agents than are on duty
    // work on tickets at least as urgent as its most urgent waiting one, that ticket
    // interrupts the least urgent ticket in service (the youngest of them: the last of
    // `order`), which goes back to its queue in arrival order with the work it has left,
    // and its agent takes the urgent ticket. So the most urgent class always has as many
    // agents as it would alone (its tickets, up to the agents on duty), also while agents
    // finish tickets past a shift's end (the number at work is unchanged by a hand-over).
    // Not while a departure is due at this very instant: an agent frees up anyway. Run
    // after every change.
    macro_rules! rebalance {
        ($pool:expr) => {{
            let pool: usize = $pool;
            while model.preemptive {
                let departing = heap
                    .peek()
                    .is_some_and(|e| e.0.t <= now && matches!(e.0.what, What::Departure(_)));
                let Some(ps) = pools.get_mut(pool) else {
                    break;
                };
                if ps.capacity == 0 {
                    break;
                }
                let Some(urgent) = ps.queues.iter().position(|q| !q.is_empty()) else {
                    break;
                };
                let working: u64 = ps
                    .serving
                    .iter()
                    .take(urgent + 1)
                    .map(|n| u64::from(*n))
                    .sum();
                if working >= u64::from(ps.capacity) {
                    break;
                }
                let Some(&(class, _, seat)) = ps.order.last() else {
                    break;
                };
                if class <= urgent {
                    break;
                }
                if departing {
                    // Again after that departure.
                    deferred.push(pool);
                    break;
                }
                let Some(slot) = agents.get_mut(seat as usize) else {
                    break;
                };
                // A ticket whose work ends at this very instant is not interrupted: its
                // departure frees the agent anyway.
                if slot.as_ref().is_none_or(|b| b.ends <= now) {
                    break;
                }
                let Some(b) = slot.take() else {
                    break;
                };
                ps.order.pop_last();
                // Its departure stays in the heap, stale, until popped or swept.
                stale += 1;
                if let Some(n) = ps.serving.get_mut(class) {
                    *n = n.saturating_sub(1);
                }
                ps.set(ps.busy - 1, ps.capacity, now, warmup, &mut duty);
                busy -= 1;
                // The work in hand left: triage still to do, or the work and what was to
                // follow a hold.
                let left = (b.ends - now).max(0.0);
                let mut t = b.t;
                match t.reassign.as_mut() {
                    Some(r) => r.triage = left,
                    None => {
                        t.service += left;
                        t.hold = t.hold.map(|h| Pending { after: left, ..h });
                    }
                }
                t.resumed = true;
                if let Some(queue) = ps.queues.get_mut(class) {
                    requeue(queue, t);
                    queued += 1;
                }
                // The agent takes the urgent ticket at once.
                if !start!(pool, pool, seat) {
                    if let Some(ps) = pools.get_mut(pool) {
                        ps.idle.push(seat);
                    }
                    break;
                }
            }
        }};
    }

    loop {
        // Staffing steps at or before the next event come first. The next event is looked
        // up again after each step: the step's dispatch may have scheduled an earlier one
        // (a departure before the following step), which must not be jumped over.
        while let Some(&(at, pool, agents_on)) = model.staffing.get(staff_at) {
            let next = heap.peek().map_or(f64::INFINITY, |e| e.0.t).min(horizon);
            if at > next {
                break;
            }
            advance!(at.max(now));
            if let Some(ps) = pools.get_mut(pool as usize) {
                capacity = capacity - ps.capacity + agents_on;
                ps.set(ps.busy, agents_on, now, warmup, &mut duty);
            }
            staff_at += 1;
            dispatch!(pool as usize);
            rebalance!(pool as usize);
            if helping {
                help!(&[pool as usize]);
            }
        }
        let Some(Reverse(ev)) = heap.pop() else {
            break;
        };
        if ev.t >= horizon {
            break;
        }
        advance!(ev.t);
        match ev.what {
            What::Arrival(class) => {
                let (
                    Some(spec),
                    Some(rng),
                    Some(srng),
                    Some(hrng),
                    Some(rrng),
                    Some(arng),
                    Some(ps),
                ) = (
                    model.classes.get(class),
                    arrival_rng.get_mut(class),
                    service_rng.get_mut(class),
                    hold_rng.get_mut(class),
                    reopen_rng.get_mut(class),
                    reassign_rng.get_mut(class),
                    pools.get_mut(spec_pool(model, class)),
                )
                else {
                    continue;
                };
                let Some(queue) = ps.queues.get_mut(class) else {
                    continue;
                };
                let ticket = arrivals;
                arrivals += 1;
                let counted = now >= warmup;
                if counted {
                    if let Some(tally) = tallies.get_mut(class) {
                        tally.arrivals += 1;
                    }
                }
                let service = spec.service.sample(srng);
                // The same draws per ticket whatever they decide (whether, where, how long),
                // so the stream stays in step.
                let hold = spec.hold.as_ref().and_then(|(probability, duration)| {
                    let (whether, when) = (hrng.random::<f64>(), hrng.random::<f64>());
                    let lasts = duration.sample(hrng);
                    (whether < *probability).then_some(Pending {
                        after: service * when,
                        lasts,
                    })
                });
                // Likewise for a reopen (whether, after how long, how much work).
                let reopen = spec.reopen.as_ref().and_then(|r| {
                    let whether = rrng.random::<f64>();
                    let (after, work) = (r.after.sample(rrng), r.work.sample(rrng));
                    (whether < r.probability).then_some(PendingReopen { after, work })
                });
                // And a reassignment (whether, how long the triage).
                let reassign = spec.reassign.as_ref().and_then(|r| {
                    let whether = arng.random::<f64>();
                    let triage = r.triage.sample(arng);
                    (whether < r.probability).then_some(PendingReassign { triage, to: r.to })
                });
                observer.arrived(ticket, class, counted, now)?;
                queue.push_back(Ticket {
                    ticket,
                    arrival: now,
                    clock: now,
                    service,
                    resumed: false,
                    hold,
                    reopen,
                    paused: 0,
                    late: false,
                    pool: spec.pool,
                    reassign,
                    entered: now,
                    fresh: true,
                    passed: 0,
                });
                queued += 1;
                touched.push(spec.pool as usize);
                let next = next_arrival(spec, rng, now, horizon);
                schedule(&mut heap, next, What::Arrival(class));
            }
            What::Departure(agent) => 'departure: {
                let current = agents
                    .get(agent as usize)
                    .and_then(|b| b.map(|b| b.departure));
                if current != Some(ev.seq) {
                    // Stale: the ticket was pre-empted after this departure was scheduled.
                    stale = stale.saturating_sub(1);
                    break 'departure;
                }
                let Some(b) = agents.get_mut(agent as usize).and_then(Option::take) else {
                    break 'departure;
                };
                let pool = model.seat_pool.get(agent as usize).copied().unwrap_or(0);
                if let Some(ps) = pools.get_mut(pool as usize) {
                    if model.preemptive {
                        ps.order.remove(&(b.class, b.t.arrival.to_bits(), agent));
                        if let Some(n) = ps.serving.get_mut(b.class) {
                            *n = n.saturating_sub(1);
                        }
                    }
                    ps.set(ps.busy - 1, ps.capacity, now, warmup, &mut duty);
                    ps.idle.push(agent);
                }
                touched.push(pool as usize);
                busy -= 1;
                let spec = model.classes.get(b.class);
                let counted = b.t.arrival >= warmup;
                let mut t = b.t;
                if let Some(r) = t.reassign.take() {
                    // Triage done: the ticket goes to the other group's queue, its whole
                    // work still to do.
                    reassigned += 1;
                    t.pool = r.to;
                    t.resumed = true;
                    t.entered = now;
                    t.fresh = true;
                    // Passed on again? Drawn from the ticket's own generator for this pass
                    // (whether, how long the triage), whatever it decides: seeded by the
                    // class, the ticket's arrival instant (drawn from the class's own
                    // stream) and the pass, so that the same ticket passes on alike
                    // whatever the staffing or the other classes.
                    let onward = spec
                        .and_then(|c| c.reassign.as_ref())
                        .and_then(|r| r.then.get(usize::from(t.passed)));
                    t.passed = t.passed.saturating_add(1);
                    t.reassign = onward.and_then(|o| {
                        let base = mix(seed, stream(Stream::Onward, b.class));
                        let ticket = mix(base, t.arrival.to_bits());
                        let mut rng = SmallRng::seed_from_u64(mix(ticket, u64::from(t.passed)));
                        let whether = rng.random::<f64>();
                        let triage = o.triage.sample(&mut rng);
                        (whether < o.probability).then_some(PendingReassign { triage, to: o.to })
                    });
                    observer.reassigned(t.ticket, b.class, r.to, now)?;
                    touched.push(r.to as usize);
                    if let Some(ps) = pools.get_mut(r.to as usize) {
                        ps.reassigned_in += 1;
                        if let Some(queue) = ps.queues.get_mut(b.class) {
                            requeue(queue, t);
                            queued += 1;
                        }
                    }
                } else if let Some(hold) = t.hold.take() {
                    // On hold awaiting the caller: the resolution clock pauses, and a
                    // deadline already passed is a breach that stays.
                    if let (true, Some(spec)) = (counted, spec) {
                        t.late =
                            t.late || spec.due(start, t.clock, now, spec.resolution, t.paused)?;
                    }
                    observer.held(t.ticket, b.class, now)?;
                    t.resumed = true;
                    let slot = keep(&mut held, &mut free, (b.class, t, now));
                    on_hold += 1;
                    schedule(&mut heap, now + hold.lasts, What::Release(slot));
                } else {
                    completed += 1;
                    // A reopen due at or after the horizon is never seen.
                    let reopen = t.reopen.take().filter(|r| now + r.after < horizon);
                    // Whether the same resolution clock goes on after the reopen (not a new
                    // cycle): then this resolution is not measured.
                    let goes_on = reopen.is_some()
                        && spec
                            .and_then(|s| s.reopen.as_ref())
                            .is_some_and(|r| r.clock != ReopenMode::NewCycle);
                    if let (true, Some(tally), Some(spec)) =
                        (counted, tallies.get_mut(b.class), spec)
                    {
                        let due =
                            t.late || spec.due(start, t.clock, now, spec.resolution, t.paused)?;
                        if !goes_on {
                            // The cycle is over: counted now.
                            if due {
                                tally.resolution.breached += 1;
                            } else {
                                tally.resolution.met += 1;
                            }
                        } else {
                            // The same clock goes on after the reopen; a breach stays.
                            t.late = due;
                        }
                    }
                    observer.finished(t.ticket, b.class, now, reopen.is_some())?;
                    if let Some(r) = reopen {
                        t.service = r.work;
                        t.resumed = true;
                        let slot = keep(&mut held, &mut free, (b.class, t, now));
                        schedule(&mut heap, now + r.after, What::Reopen(slot));
                    }
                }
            }
            What::Release(slot) => {
                let Some((class, mut t, since)) = held.get_mut(slot).and_then(Option::take) else {
                    continue;
                };
                free.push(slot);
                on_hold -= 1;
                if let Some(spec) = model.classes.get(class) {
                    let paused = spec.business(start, since, now)?;
                    t.paused = t.paused.checked_add(paused).ok_or(Error::DateOverflow)?;
                }
                observer.released(t.ticket, class, now)?;
                touched.push(t.pool as usize);
                if let Some(queue) = queue_of(&mut pools, &t, class) {
                    requeue(queue, t);
                    queued += 1;
                }
            }
            What::Reopen(slot) => {
                let Some((class, mut t, resolved)) = held.get_mut(slot).and_then(Option::take)
                else {
                    continue;
                };
                free.push(slot);
                reopened += 1;
                if let Some(spec) = model.classes.get(class) {
                    match spec.reopen.as_ref().map(|r| r.clock) {
                        // A new cycle with the full target from now.
                        Some(ReopenMode::NewCycle) => {
                            t.clock = now;
                            t.paused = 0;
                            t.late = false;
                        }
                        // The time resolved is a pause: the deadline moves out by it.
                        Some(ReopenMode::PauseWhileResolved) => {
                            let paused = spec.business(start, resolved, now)?;
                            t.paused = t.paused.checked_add(paused).ok_or(Error::DateOverflow)?;
                        }
                        // The time resolved counts as elapsed.
                        _ => {}
                    }
                }
                observer.reopened(t.ticket, class, now)?;
                touched.push(t.pool as usize);
                // Back to the group that resolved it.
                if let Some(queue) = queue_of(&mut pools, &t, class) {
                    requeue(queue, t);
                    queued += 1;
                }
            }
        }
        // Only these can have work to start or to interrupt: the others' queues, agents and
        // staffing are as they were after their last turn.
        touched.append(&mut deferred);
        if touched.len() > 1 {
            touched.sort_unstable();
            touched.dedup();
        }
        let mut round = std::mem::take(&mut touched);
        // Every touched group's own agents first (pre-emption, which help excludes, within
        // each group); then help between groups.
        for &pool in &round {
            dispatch!(pool);
            rebalance!(pool);
        }
        if helping {
            help!(&round);
        }
        round.clear();
        touched = round;
        // Not while a group waits for a departure due now: that departure may be stale, and
        // sweeping it would move the group's turn to a later instant.
        if stale > 64 && 2 * stale > heap.len() && deferred.is_empty() {
            heap.retain(|e| match e.0.what {
                What::Departure(agent) => agents
                    .get(agent as usize)
                    .is_some_and(|b| b.is_some_and(|b| b.departure == e.0.seq)),
                _ => true,
            });
            stale = 0;
        }
    }
    advance!(horizon);
    debug_assert!(now == horizon, "the loop ends at the horizon");

    // Tickets open at the horizon past a deadline are breached; the others are unmeasured.
    // A ticket on hold has a paused clock: breached only if it was late when it paused.
    for ps in &pools {
        for (class, queue) in ps.queues.iter().enumerate() {
            let (Some(tally), Some(spec)) = (tallies.get_mut(class), model.classes.get(class))
            else {
                continue;
            };
            for w in queue.iter().filter(|w| w.arrival >= warmup) {
                if !w.resumed && spec.due(start, w.arrival, horizon, spec.response, 0)? {
                    tally.response.breached += 1;
                }
                if w.late || spec.due(start, w.clock, horizon, spec.resolution, w.paused)? {
                    tally.resolution.breached += 1;
                }
            }
        }
    }
    for b in agents.iter().flatten().filter(|b| b.t.arrival >= warmup) {
        if let (Some(tally), Some(spec)) = (tallies.get_mut(b.class), model.classes.get(b.class)) {
            if b.t.late || spec.due(start, b.t.clock, horizon, spec.resolution, b.t.paused)? {
                tally.resolution.breached += 1;
            }
        }
    }
    for (class, t, _) in held
        .iter()
        .flatten()
        .filter(|(_, t, _)| t.arrival >= warmup)
    {
        if let (true, Some(tally)) = (t.late, tallies.get_mut(*class)) {
            tally.resolution.breached += 1;
        }
    }
    let observed = observer.end(horizon)?;

    let mut all: Vec<f64> = Vec::new();
    let mut classes = Vec::with_capacity(k);
    for (i, (tally, spec)) in tallies.iter_mut().zip(&model.classes).enumerate() {
        if k > 1 {
            all.extend_from_slice(&tally.waits);
        }
        let (response, resolution) = match observed.as_ref().and_then(|o| o.get(i)) {
            Some(&(r, s)) => (r, s),
            None => (tally.response, tally.resolution),
        };
        classes.push(ClassReport {
            priority: spec.priority,
            arrivals: tally.arrivals,
            waits: waits(&mut tally.waits),
            response,
            resolution,
        });
    }
    // One class: its figures are the whole desk's.
    let all_waits = match (k, classes.first()) {
        (1, Some(only)) => only.waits,
        _ => waits(&mut all),
    };
    let ratio = |busy: f64, duty: f64| if duty > 0.0 { busy / duty } else { 0.0 };
    for ps in &mut pools {
        if ps.apart {
            ps.account(horizon, warmup);
        } else {
            (ps.busy_time, ps.duty_time) = (busy_time, duty_time);
        }
    }
    let groups = pools
        .iter_mut()
        .zip(&model.pools)
        .map(|(ps, pool)| GroupReport {
            name: pool.name.clone(),
            waits: if alone {
                all_waits
            } else {
                waits(&mut ps.waits)
            },
            utilisation: ratio(ps.busy_time, ps.duty_time),
            reassigned_in: ps.reassigned_in,
        })
        .collect();
    Ok(RunReport {
        engine,
        seed,
        classes,
        waits: all_waits,
        utilisation: ratio(busy_time, duty_time),
        backlog: samples,
        arrivals,
        completed,
        in_service: u64::from(busy),
        queued,
        on_hold,
        reopened,
        reassigned,
        groups,
    })
}

/// The first group of class `class`'s tickets.
#[inline]
fn spec_pool(model: &Model, class: usize) -> usize {
    model.classes.get(class).map_or(0, |c| c.pool as usize)
}

/// The queue of class `class` in the group ticket `t` is with.
#[inline]
fn queue_of<'p>(
    pools: &'p mut [PoolState],
    t: &Ticket,
    class: usize,
) -> Option<&'p mut VecDeque<Ticket>> {
    pools
        .get_mut(t.pool as usize)
        .and_then(|ps| ps.queues.get_mut(class))
}

/// One group's state during a run.
struct PoolState {
    /// A FIFO queue per class, most urgent first.
    queues: Vec<VecDeque<Ticket>>,
    /// Its free seats; the lowest is taken first.
    idle: Vec<u32>,
    /// Its agents on duty now.
    capacity: u32,
    /// Its agents at work now.
    busy: u32,
    /// Its tickets in service by (class, arrival, seat), kept under pre-emptive priority
    /// only: the last is the one to interrupt.
    order: BTreeSet<(usize, u64, u32)>,
    /// How many tickets of each class are in service (kept under pre-emptive priority).
    serving: Vec<u32>,
    /// Whether there are other groups (else its time is the desk's, not integrated apart).
    apart: bool,
    /// Its busy and on-duty agent time after the warm-up, up to `last`.
    busy_time: f64,
    duty_time: f64,
    last: f64,
    /// Its waits (from coming to the group to its first start there).
    waits: Vec<f64>,
    reassigned_in: u64,
}

impl PoolState {
    /// Integrates its busy and on-duty time from its last change to `now` (after the
    /// warm-up): its state is constant in between.
    #[inline]
    fn account(&mut self, now: f64, warmup: f64) {
        if now > warmup {
            let dt = now - self.last.max(warmup);
            if dt > 0.0 {
                self.busy_time += f64::from(self.busy) * dt;
                self.duty_time += f64::from(self.capacity.max(self.busy)) * dt;
            }
        }
        self.last = now;
    }

    /// Sets its agents at work and on duty at `now`, keeping `duty` (every group's agents
    /// counted as on duty) in step. Its own time is integrated only when there are other
    /// groups (`apart`): alone, its figures are the desk's.
    #[inline]
    fn set(&mut self, busy: u32, capacity: u32, now: f64, warmup: f64, duty: &mut u32) {
        if self.apart {
            self.account(now, warmup);
        }
        *duty = *duty - self.capacity.max(self.busy) + capacity.max(busy);
        self.busy = busy;
        self.capacity = capacity;
    }

    fn new(classes: usize, first: u32, seats: u32, apart: bool) -> Self {
        PoolState {
            queues: (0..classes).map(|_| VecDeque::new()).collect(),
            idle: (first..first.saturating_add(seats)).rev().collect(),
            capacity: 0,
            busy: 0,
            order: BTreeSet::new(),
            serving: vec![0; classes],
            apart,
            busy_time: 0.0,
            duty_time: 0.0,
            last: 0.0,
            waits: Vec::new(),
            reassigned_in: 0,
        }
    }
}
