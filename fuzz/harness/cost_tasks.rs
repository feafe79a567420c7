//! The fuzz harness of task costs (`itsm_cost::cost_tasks`), as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/cost_tasks.rs` calls [`tasks`], and so does the
//! stable test `crates/itsm-cost/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/cost_tasks/`.
//!
//! The bytes become task rate cards, labour rate cards, workers and tasks (with duplicate
//! names, negative and huge times and rates sometimes); the answer is compared with this
//! harness's own reading of docs/cost.md's task rules: the task rate card of lowest order
//! (first listed on ties) whose table and condition hold prices a task, else it is unpriced;
//! a flat card gives one line of its rate; a time-worked card one line per worker and rate
//! type in order of first entry (or per entry), the seconds added up and priced at the
//! labour rate card of lowest order matching the worker's fields and the rate type, else the
//! default, `hourly x seconds / 3600` to the nearest minor unit, halves away from zero; the
//! documented errors exactly when their defect is there, checked in order (task cards'
//! names, labour cards' names, workers' ids, then per task a negative time, an overflow).

use std::collections::BTreeMap;

use chrono::Duration;
use itsm_cost::{
    Condition, Error, LabourRateCard, Task, TaskRate, TaskRateCard, TaskRates, TimeLines, Worker,
    cost_tasks,
};

struct Bytes<'a>(&'a [u8], usize);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.0.get(self.1).copied().unwrap_or(0);
        self.1 += 1;
        b
    }
    fn pick(&mut self, n: u8) -> u8 {
        if n == 0 { 0 } else { self.byte() % n }
    }
    fn amount(&mut self) -> i64 {
        match self.pick(8) {
            0 => i64::MAX - i64::from(self.byte()),
            1 => -i64::from(self.byte()) * 100,
            _ => i64::from(self.byte()) * 1_000 + i64::from(self.byte()),
        }
    }
    fn time(&mut self) -> Duration {
        match self.pick(16) {
            0 => Duration::MAX,
            1 => -Duration::seconds(i64::from(self.byte()) + 1),
            _ => Duration::seconds(i64::from(self.byte()) * 60 + i64::from(self.byte())),
        }
    }
}

const TABLES: [&str; 2] = ["incident", "change_request"];
const VALUES: [&str; 3] = ["1", "2", "3"];
const DEPTS: [&str; 2] = ["dev", "ops"];
const USERS: [&str; 3] = ["u0", "u1", "u2"];
const TYPES: [Option<&str>; 2] = [None, Some("OT")];

/// The input decoded.
pub struct Input {
    pub rates: TaskRates,
    pub tasks: Vec<Task>,
}

/// Bytes to task rates and tasks.
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes(data, 0);
    let flags = b.byte();
    let mut task_cards = Vec::new();
    for k in 0..b.pick(5) {
        let name = if flags & 1 != 0 && k == 1 {
            "t0".to_owned()
        } else {
            format!("t{k}")
        };
        let mut cond = Condition::any();
        if b.pick(2) == 0 {
            cond = cond.with("priority", &[VALUES[usize::from(b.pick(3))]]);
        }
        let rate = if b.pick(2) == 0 {
            TaskRate::Flat(b.amount())
        } else {
            TaskRate::TimeWorked {
                default_hourly: b.amount(),
            }
        };
        let mut c = TaskRateCard::new(&name, TABLES[usize::from(b.pick(2))], cond, rate);
        c.order = i64::from(b.pick(4)) - 1;
        task_cards.push(c);
    }
    let mut labour_cards = Vec::new();
    for k in 0..b.pick(5) {
        let name = if flags & 2 != 0 && k == 1 {
            "l0".to_owned()
        } else {
            format!("l{k}")
        };
        let cond = if b.pick(2) == 0 {
            Condition::any().with("dept", &[DEPTS[usize::from(b.pick(2))]])
        } else {
            Condition::any()
        };
        let mut c = LabourRateCard::new(&name, b.amount(), cond);
        c.order = i64::from(b.pick(4)) - 1;
        c.rate_type = TYPES[usize::from(b.pick(2))].map(str::to_owned);
        labour_cards.push(c);
    }
    let mut workers = vec![
        Worker::new("u0", "dept", "dev"),
        Worker::new("u1", "dept", "ops"),
    ];
    if flags & 4 != 0 {
        workers.push(Worker::new("u0", "dept", "ops"));
    }
    let mut rates = TaskRates::new(task_cards, labour_cards, workers);
    if flags & 8 != 0 {
        rates.time_lines = TimeLines::PerEntry;
    }
    let mut tasks = Vec::new();
    for k in 0..1 + b.pick(5) {
        let mut t = Task::new(
            &format!("T{k}"),
            TABLES[usize::from(b.pick(2))],
            (b.pick(3) > 0).then_some("n"),
        )
        .field("priority", VALUES[usize::from(b.pick(3))]);
        for _ in 0..b.pick(6) {
            let user = USERS[usize::from(b.pick(3))];
            let time = b.time();
            t = t.worked(user, time, TYPES[usize::from(b.pick(2))]);
        }
        tasks.push(t);
    }
    Input { rates, tasks }
}

fn fields_of(user: &str) -> BTreeMap<String, String> {
    match user {
        "u0" => BTreeMap::from([("dept".to_owned(), "dev".to_owned())]),
        "u1" => BTreeMap::from([("dept".to_owned(), "ops".to_owned())]),
        _ => BTreeMap::new(),
    }
}

fn holds(cond: &Condition, fields: &BTreeMap<String, String>) -> bool {
    cond.0
        .iter()
        .all(|(f, vals)| fields.get(f).is_some_and(|v| vals.contains(v)))
}

fn duplicate<'a>(names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::BTreeSet::new();
    names.into_iter().find(|n| !seen.insert(*n))
}

/// One task line as the model computes it: (card, user and rate type if timed, amount).
type ModelLine = (String, Option<(String, Option<String>, i64, i64)>, i128);

/// The model's answer: (task, line) in order, and the unpriced tasks.
type Model = (Vec<(String, ModelLine)>, Vec<String>);

/// The model's answer, or the error expected.
fn model(input: &Input) -> Result<Model, Error> {
    let r = &input.rates;
    if let Some(n) = duplicate(r.task_cards.iter().map(|c| c.name.as_str())) {
        return Err(Error::DuplicateName {
            kind: "task rate card",
            name: n.to_owned(),
        });
    }
    if let Some(n) = duplicate(r.labour_cards.iter().map(|c| c.name.as_str())) {
        return Err(Error::DuplicateName {
            kind: "labour rate card",
            name: n.to_owned(),
        });
    }
    if let Some(n) = duplicate(r.workers.iter().map(|w| w.id.as_str())) {
        return Err(Error::DuplicateWorker { id: n.to_owned() });
    }
    let mut lines = Vec::new();
    let mut unpriced = Vec::new();
    for t in &input.tasks {
        if let Some(e) = t.worked.iter().find(|e| e.time < Duration::zero()) {
            return Err(Error::NegativeTime {
                task: t.id.clone(),
                user: e.user.clone(),
            });
        }
        let mut best: Option<&TaskRateCard> = None;
        for c in &r.task_cards {
            if c.table == t.table
                && holds(&c.condition, &t.fields)
                && best.is_none_or(|b| c.order < b.order)
            {
                best = Some(c);
            }
        }
        let Some(card) = best else {
            unpriced.push(t.id.clone());
            continue;
        };
        match card.rate {
            TaskRate::Flat(a) => {
                lines.push((t.id.clone(), (card.name.clone(), None, i128::from(a))))
            }
            TaskRate::TimeWorked { default_hourly } => {
                let mut groups: Vec<(String, Option<String>, i128)> = Vec::new();
                for e in &t.worked {
                    let s = i128::from(e.time.num_seconds());
                    let same = if r.time_lines == TimeLines::PerWorker {
                        groups
                            .iter_mut()
                            .find(|g| g.0 == e.user && g.1 == e.rate_type)
                    } else {
                        None
                    };
                    match same {
                        Some(g) => g.2 += s,
                        None => groups.push((e.user.clone(), e.rate_type.clone(), s)),
                    }
                }
                for (user, rt, secs) in groups {
                    let Ok(secs64) = i64::try_from(secs) else {
                        return Err(Error::TaskOverflow { task: t.id.clone() });
                    };
                    let fields = fields_of(&user);
                    let mut lab: Option<&LabourRateCard> = None;
                    for c in &r.labour_cards {
                        if c.rate_type == rt
                            && holds(&c.condition, &fields)
                            && lab.is_none_or(|b| c.order < b.order)
                        {
                            lab = Some(c);
                        }
                    }
                    let hourly = lab.map_or(default_hourly, |c| c.hourly);
                    let p = i128::from(hourly) * secs;
                    let amount = if p >= 0 {
                        (p + 1800) / 3600
                    } else {
                        (p - 1800) / 3600
                    };
                    if i64::try_from(amount).is_err() {
                        return Err(Error::TaskOverflow { task: t.id.clone() });
                    }
                    lines.push((
                        t.id.clone(),
                        (card.name.clone(), Some((user, rt, secs64, hourly)), amount),
                    ));
                }
            }
        }
    }
    Ok((lines, unpriced))
}

/// Decodes, prices, and checks the answer against the model.
pub fn tasks(data: &[u8]) {
    let input = decode(data);
    let got = cost_tasks(&input.rates, &input.tasks);
    match (model(&input), got) {
        (Err(want), Err(got)) => assert_eq!(got, want, "the error"),
        (Err(want), Ok(_)) => panic!("expected {want}, got an answer"),
        (Ok(_), Err(got)) => panic!("unexpected error: {got}"),
        (Ok((lines, unpriced)), Ok(got)) => {
            assert_eq!(got.unpriced, unpriced, "unpriced");
            assert_eq!(got.lines.len(), lines.len(), "line count");
            for (line, (task, (card, labour, amount))) in got.lines.iter().zip(&lines) {
                assert_eq!(&line.task, task);
                assert_eq!(&line.card, card);
                assert_eq!(i128::from(line.amount), *amount, "amount of {task}");
                match (&line.labour, labour) {
                    (None, None) => {}
                    (Some(l), Some((user, rt, secs, hourly))) => {
                        assert_eq!(
                            (&l.user, &l.rate_type, l.seconds, l.hourly),
                            (user, rt, *secs, *hourly)
                        );
                    }
                    _ => panic!("labour of {task}"),
                }
            }
            let with_node: usize = got.lines.iter().filter(|l| l.node.is_some()).count();
            assert_eq!(got.expenses().len(), with_node);
            assert_eq!(got.total(), lines.iter().map(|l| l.1.2).sum::<i128>());
        }
    }
}
