//! The scanner's detections and the users' scripts over a simulated year, generated from a
//! seed and blind to how the rules answer: what the world does (vulnerabilities appear on
//! configuration items, get patched, some come back) and what people plan to do about it.

use super::*;

/// One command of the workload: when (seconds since the epoch), who, what.
#[derive(Clone)]
pub(super) struct Op {
    pub(super) at: i64,
    pub(super) actor: u8,
    pub(super) command: Command,
}

const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;

const SEVERITIES: [Severity; 6] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::None,
    Severity::Unknown,
];
const CRITICALITIES: [Criticality; 5] = [
    Criticality::Critical,
    Criticality::High,
    Criticality::Medium,
    Criticality::Low,
    Criticality::None,
];
const REASONS: [Reason; 5] = [
    Reason::AwaitingMaintenanceWindow,
    Reason::FixUnavailable,
    Reason::RiskAccepted,
    Reason::MitigatingControl,
    Reason::Other,
];

fn pick<T: Copy>(rng: &mut Rng, items: &[T], fallback: T) -> T {
    items
        .get(rng.index(items.len()))
        .copied()
        .unwrap_or(fallback)
}

/// A configuration item as the CMDB and the scanner see it.
struct Ci {
    criticality: Criticality,
    /// The criticality from a week on (a CMDB update), if it changes.
    recriticised: Option<(i64, Criticality)>,
    internet_facing: bool,
    /// The scanner stops seeing it from this week (the items go stale).
    lost: Option<i64>,
    /// Retired this week.
    retired: Option<i64>,
}

impl Ci {
    fn scanned_until(&self, weeks: i64) -> i64 {
        self.lost
            .unwrap_or(weeks)
            .min(self.retired.unwrap_or(weeks))
    }
}

/// A vulnerability: its severity, when it is listed as exploited, its EPSS drift.
struct Vuln {
    name: String,
    severity: Severity,
    kev: Option<i64>,
    epss: Option<(i64, i64)>,
}

fn facts(v: &Vuln, ci: &Ci, week: i64) -> Facts {
    let criticality = match ci.recriticised {
        Some((w, c)) if week >= w => c,
        _ => ci.criticality,
    };
    let mut f = Facts::new(v.severity).criticality(criticality);
    if v.kev.is_some_and(|k| week >= k) {
        f = f.exploited();
    }
    if ci.internet_facing {
        f = f.internet_facing();
    }
    if let Some((base, drift)) = v.epss {
        let e = (base + drift * week).clamp(0, 1000);
        f = f.epss(u16::try_from(e).unwrap_or(0));
    }
    f
}

/// The generator's state: ids handed out and the commands so far.
struct Gen<'a> {
    rng: Rng,
    base: i64,
    weeks: i64,
    ops: Vec<Op>,
    cis: Vec<Ci>,
    vulns: Vec<Vuln>,
    next_item: u128,
    next_task: u128,
    /// Items created (id, week) for the cross-cutting tasks.
    recent: Vec<(u128, i64)>,
    actors: &'a [Actor],
}

impl Gen<'_> {
    fn push(&mut self, at: i64, actor: u8, command: Command) {
        self.ops.push(Op { at, actor, command });
    }

    /// A working-hours time `days` after the start of `week`.
    fn office(&mut self, week: i64, days: i64) -> i64 {
        self.base + week * WEEK + days * DAY + 9 * 3600 + self.rng.between(0, 8 * 3600)
    }

    /// A working-hours time some `lo..=hi` days after the start of `week`.
    fn office_in(&mut self, week: i64, lo: i64, hi: i64) -> i64 {
        let days = self.rng.between(lo, hi);
        self.office(week, days)
    }

    /// A midnight `days` after `at`.
    fn midnight(at: i64, days: i64) -> DateTime<Utc> {
        let d = (at + days * DAY).div_euclid(DAY) * DAY;
        DateTime::from_timestamp(d, 0).unwrap_or_default()
    }

    fn owner(&mut self) -> u8 {
        OWNERS + u8::try_from(self.rng.below(u64::from(N_OWNERS))).unwrap_or(0)
    }

    fn approver(&mut self) -> u8 {
        if self.rng.percent(50) {
            APPROVER
        } else {
            APPROVER + 1
        }
    }

    fn user(&self, actor: u8) -> Option<UserId> {
        self.actors.get(usize::from(actor)).map(|a| a.user)
    }

    fn reason(&mut self) -> Reason {
        pick(&mut self.rng, &REASONS, Reason::Other)
    }

    /// The scanner's view of one item: found every week it is there, fixed the week it is
    /// gone, found again when it comes back.
    #[allow(clippy::too_many_arguments)]
    fn detections(&mut self, item: u128, ci: usize, vuln: usize, first: i64, gone: &[(i64, i64)]) {
        let Some(c) = self.cis.get(ci) else { return };
        let end = c.scanned_until(self.weeks);
        let mut was = false;
        for w in first..end {
            let here = !gone.iter().any(|&(a, b)| w >= a && w < b);
            let at = self.base + w * WEEK + 2 * 3600;
            let (Some(c), Some(v)) = (self.cis.get(ci), self.vulns.get(vuln)) else {
                return;
            };
            let command = if here {
                Command::Found {
                    item: ItemId::from_u128(item),
                    ci: ConfigItemId::from_u128(ci as u128 + 1),
                    vulnerability: v.name.clone(),
                    facts: facts(v, c, w),
                    task: None,
                }
            } else if was {
                Command::Fixed {
                    item: ItemId::from_u128(item),
                }
            } else {
                continue;
            };
            was = here;
            self.ops.push(Op {
                at,
                actor: SCANNER,
                command,
            });
        }
    }

    /// When an item is gone: from its patch week (none: never), back for a while after a
    /// regression.
    fn gone(&mut self, patch: Option<i64>) -> Vec<(i64, i64)> {
        let Some(p) = patch else { return vec![] };
        if self.rng.percent(5) {
            let back = p + self.rng.between(2, 8);
            let again = back + self.rng.between(1, 4);
            vec![(p, back), (again, i64::MAX)]
        } else {
            vec![(p, i64::MAX)]
        }
    }

    /// One batch: a vulnerability found on `cis` in `week`, its items, its task and the
    /// users' script.
    #[allow(clippy::too_many_lines)] // one script, read top to bottom
    fn batch(&mut self, week: i64, vuln: usize, cis: &[usize]) {
        let task_plan = !self.rng.percent(8);
        // The patch week the owners aim for (none: never in the year).
        let mut patch = (!self.rng.percent(15)).then(|| week + self.rng.between(1, 12));
        let mut items = Vec::new();
        let mut deferred_until: Option<i64> = None;
        // Exceptions and deferrals decided first: the world waits for them.
        let path = self.rng.below(1000);
        let (exception, admin_defer, fp_task) = (
            path < 80,
            (80..100).contains(&path),
            (100..107).contains(&path),
        );
        if exception || admin_defer {
            let days = self.rng.between(30, 200);
            deferred_until = Some(days);
            patch = patch.map(|p| p.max(week + days / 7 + 2));
        }
        for &ci in cis {
            let id = self.next_item;
            self.next_item += 1;
            // Only what the scanner reported is grouped.
            if self
                .cis
                .get(ci)
                .is_some_and(|c| c.scanned_until(self.weeks) > week)
            {
                items.push(id);
                self.recent.push((id, week));
            }
            let fp = self.rng.per_mille(15);
            let mine = if fp {
                None
            } else if self.rng.percent(10) {
                // A straggler: patched later, or never.
                patch.and_then(|p| (!self.rng.percent(30)).then(|| p + self.rng.between(1, 6)))
            } else {
                patch
            };
            let gone = self.gone(mine);
            self.detections(id, ci, vuln, week, &gone);
            // Item-level scripts.
            let owner = self.owner();
            if fp {
                let at = self.office_in(week, 1, 5);
                self.push(
                    at,
                    owner,
                    Command::MarkFalsePositive {
                        subject: Subject::Item(ItemId::from_u128(id)),
                        information: "the package is not installed".into(),
                    },
                );
                self.decision(at, None);
            } else if self.rng.per_mille(20) {
                let at = self.office_in(week, 1, 20);
                let until = Self::midnight(at, self.rng.between(10, 200));
                let reason = self.reason();
                self.push(
                    at,
                    owner,
                    Command::RequestException {
                        subject: Subject::Item(ItemId::from_u128(id)),
                        until,
                        reason,
                        information: String::new(),
                    },
                );
                self.decision(at, None);
            } else if self.rng.per_mille(10) {
                let at = self.office_in(week, 1, 30);
                self.push(
                    at,
                    owner,
                    Command::Resolve {
                        subject: Subject::Item(ItemId::from_u128(id)),
                        notes: "patched by hand".into(),
                    },
                );
                if self.rng.percent(50) {
                    let later = at + self.rng.between(1, 20) * DAY;
                    self.push(
                        later,
                        owner,
                        Command::Reopen {
                            subject: Subject::Item(ItemId::from_u128(id)),
                        },
                    );
                }
            } else if self.rng.per_mille(5) {
                let at = self.office_in(week, 1, 20);
                let until = Self::midnight(at, self.rng.between(5, 90));
                let reason = self.reason();
                self.push(
                    at,
                    ADMIN,
                    Command::Defer {
                        subject: Subject::Item(ItemId::from_u128(id)),
                        until,
                        reason,
                    },
                );
            }
        }
        if !task_plan || items.is_empty() {
            return;
        }
        // The task, the day after the scan.
        let task = self.next_task;
        self.next_task += 1;
        let tid = TaskId::from_u128(task);
        let created = self.office(week, 1);
        let owner = self.owner();
        let assigned = self.rng.percent(80);
        let group = self
            .rng
            .percent(30)
            .then(|| GroupId::from_u128(500 + u128::from(self.rng.below(5))));
        self.push(
            created,
            owner,
            Command::CreateTask {
                task: tid,
                items: items.iter().map(|&i| ItemId::from_u128(i)).collect(),
                assigned_to: if assigned { self.user(owner) } else { None },
                group,
            },
        );
        let mut t = created;
        if !assigned && self.rng.percent(70) {
            t += self.rng.between(1, 3) * DAY;
            let to = self.user(owner);
            self.push(
                t,
                owner,
                Command::Assign {
                    task: tid,
                    to,
                    group: None,
                },
            );
        }
        if self.rng.percent(85) {
            t += self.rng.between(1, 4) * DAY;
            self.push(t, owner, Command::StartInvestigation { task: tid });
            if self.rng.percent(40) {
                t += self.rng.between(2, 5) * DAY;
                self.push(t, owner, Command::AwaitImplementation { task: tid });
            }
        }
        if items.len() >= 4 && self.rng.percent(3) {
            let into = self.next_task;
            self.next_task += 1;
            let half: Vec<ItemId> = items
                .iter()
                .take(items.len() / 2)
                .map(|&i| ItemId::from_u128(i))
                .collect();
            let at = t + self.rng.between(1, 6) * DAY;
            self.push(
                at,
                owner,
                Command::Split {
                    task: tid,
                    into: TaskId::from_u128(into),
                    items: half,
                },
            );
        }
        let subject = Subject::Task(tid);
        if let Some(days) = deferred_until {
            let at = t + self.rng.between(1, 7) * DAY;
            let until = Self::midnight(at, days);
            let reason = self.reason();
            if exception {
                // One in ten asked by the owner who also approves, who then tries to
                // approve it.
                let asker = if self.rng.percent(10) {
                    OWNER_APPROVER
                } else {
                    owner
                };
                self.push(
                    at,
                    asker,
                    Command::RequestException {
                        subject,
                        until,
                        reason,
                        information: "vendor patch pending".into(),
                    },
                );
                if asker == OWNER_APPROVER {
                    self.push(at + 3600, OWNER_APPROVER, Command::Approve { subject });
                }
                let approved = self.decision(at, Some(subject));
                if approved && self.rng.percent(30) {
                    let ask = until.timestamp() - self.rng.between(1, 10) * DAY;
                    let later = Self::midnight(until.timestamp(), self.rng.between(30, 90));
                    let reason = self.reason();
                    self.push(
                        ask.max(at + 4 * DAY),
                        owner,
                        Command::RequestExtension {
                            subject,
                            until: later,
                            reason,
                        },
                    );
                    self.decision(ask.max(at + 4 * DAY), Some(subject));
                }
            } else {
                // One in twenty tried by an owner, who may not.
                let who = if self.rng.percent(5) { owner } else { ADMIN };
                self.push(
                    at,
                    who,
                    Command::Defer {
                        subject,
                        until,
                        reason,
                    },
                );
            }
        } else if fp_task {
            let at = t + self.rng.between(1, 3) * DAY;
            self.push(
                at,
                owner,
                Command::MarkFalsePositive {
                    subject,
                    information: "compensating configuration".into(),
                },
            );
            self.decision(at, Some(subject));
        }
        // Resolved the day before the patch is to be confirmed.
        if let Some(p) = patch {
            if self.rng.percent(70) {
                let at = self.base + p * WEEK - self.rng.between(1, 3) * DAY + 10 * 3600;
                self.push(
                    at.max(t + 3600),
                    owner,
                    Command::Resolve {
                        subject,
                        notes: "patch deployed".into(),
                    },
                );
                if self.rng.percent(2) {
                    let later = at.max(t + 3600) + self.rng.between(1, 5) * DAY;
                    self.push(later, owner, Command::Reopen { subject });
                }
            }
        }
        if self.rng.percent(2) {
            let at = created + self.rng.between(10, 60) * DAY;
            let closure = match self.rng.below(3) {
                0 => Closure::Canceled,
                1 => Closure::FixedWithException,
                _ => Closure::Fixed,
            };
            self.push(at, ADMIN, Command::CloseTask { task: tid, closure });
        }
    }

    /// An approver decides on the request made at `at`: approved three times in four.
    /// Returns whether it was approved.
    fn decision(&mut self, at: i64, subject: Option<Subject>) -> bool {
        let approver = self.approver();
        let when = at + self.rng.between(1, 3) * DAY;
        let Some(subject) = subject.or_else(|| {
            self.ops.last().and_then(|o| match &o.command {
                Command::MarkFalsePositive { subject, .. }
                | Command::RequestException { subject, .. } => Some(*subject),
                _ => None,
            })
        }) else {
            return false;
        };
        if self.rng.percent(75) {
            self.push(when, approver, Command::Approve { subject });
            true
        } else {
            self.push(
                when,
                approver,
                Command::Reject {
                    subject,
                    comments: "not justified".into(),
                },
            );
            false
        }
    }

    /// A cross-cutting task: some recent items, most already in a task, grouped again.
    fn sweep(&mut self, week: i64) {
        let pool: Vec<u128> = self
            .recent
            .iter()
            .filter(|(_, w)| *w + 4 >= week && *w < week)
            .map(|(i, _)| *i)
            .collect();
        if pool.is_empty() {
            return;
        }
        let n = self.rng.between(20, 200);
        let mut chosen = std::collections::BTreeSet::new();
        for _ in 0..n {
            if let Some(&i) = pool.get(self.rng.index(pool.len())) {
                chosen.insert(i);
            }
        }
        let task = self.next_task;
        self.next_task += 1;
        let owner = self.owner();
        let at = self.office(week, 2);
        let to = self.user(owner);
        self.push(
            at,
            owner,
            Command::CreateTask {
                task: TaskId::from_u128(task),
                items: chosen.into_iter().map(ItemId::from_u128).collect(),
                assigned_to: to,
                group: None,
            },
        );
        let later = at + self.rng.between(1, 3) * DAY;
        self.push(
            later,
            owner,
            Command::StartInvestigation {
                task: TaskId::from_u128(task),
            },
        );
    }
}

pub(super) fn workload(seed: u64, sizes: &Sizes, base: i64, actors: &[Actor]) -> Vec<Op> {
    let mut rng = Rng::new(seed);
    let weeks = i64::from(sizes.weeks);
    let n_cis = (sizes.items / 5).max(100);
    let cis: Vec<Ci> = (0..n_cis)
        .map(|_| {
            let criticality = pick(&mut rng, &CRITICALITIES, Criticality::None);
            let recriticised = rng.percent(3).then(|| {
                (
                    rng.between(1, weeks),
                    pick(&mut rng, &CRITICALITIES, Criticality::None),
                )
            });
            Ci {
                criticality,
                recriticised,
                internet_facing: rng.percent(20),
                lost: rng.percent(2).then(|| rng.between(4, weeks)),
                retired: rng.percent(2).then(|| rng.between(4, weeks)),
            }
        })
        .collect();
    let mut g = Gen {
        rng,
        base,
        weeks,
        ops: Vec::new(),
        cis,
        vulns: Vec::new(),
        next_item: 1,
        next_task: 1,
        recent: Vec::new(),
        actors,
    };
    let per_week = sizes.items / sizes.weeks_u64();
    for week in 0..weeks {
        let mut left = per_week;
        // A widespread vulnerability every other week: one large task.
        if week % 2 == 0 {
            let big = u64::try_from(g.rng.log_uniform(100, 3_000))
                .unwrap_or(100)
                .min(left);
            left -= big;
            let v = new_vuln(&mut g, week);
            let cis: Vec<usize> = (0..big).map(|_| g.rng.index(n_cis as usize)).collect();
            g.batch(week, v, &cis);
        }
        while left > 0 {
            let s = u64::try_from(g.rng.log_uniform(1, 40))
                .unwrap_or(1)
                .min(left);
            left -= s;
            let v = new_vuln(&mut g, week);
            let cis: Vec<usize> = (0..s).map(|_| g.rng.index(n_cis as usize)).collect();
            g.batch(week, v, &cis);
        }
        if week > 0 {
            g.sweep(week);
        }
    }
    // Retirements and a few reopenings asked of decommissioned items' tasks.
    for (k, ci) in g.cis.iter().enumerate() {
        if let Some(r) = ci.retired {
            g.ops.push(Op {
                at: base + r * WEEK + 3 * 3600,
                actor: SCANNER,
                command: Command::Retired {
                    ci: ConfigItemId::from_u128(k as u128 + 1),
                },
            });
        }
    }
    let end = base + weeks * WEEK;
    let mut ops = g.ops;
    ops.retain(|o| o.at >= base && o.at < end);
    // Stable: a script's commands at one time keep their order.
    ops.sort_by_key(|o| o.at);
    ops
}

fn new_vuln(g: &mut Gen<'_>, week: i64) -> usize {
    let k = g.vulns.len();
    let severity = match g.rng.below(100) {
        0..10 => Severity::Critical,
        10..35 => Severity::High,
        35..75 => Severity::Medium,
        75..93 => Severity::Low,
        93..98 => Severity::None,
        _ => pick(&mut g.rng, &SEVERITIES, Severity::Unknown),
    };
    let kev = g.rng.percent(15).then(|| week + g.rng.between(0, 20));
    let epss = g
        .rng
        .percent(60)
        .then(|| (g.rng.between(0, 900), g.rng.between(-10, 30)));
    g.vulns.push(Vuln {
        name: format!("CVE-2027-{:05}", k + 1),
        severity,
        kev,
        epss,
    });
    k
}
