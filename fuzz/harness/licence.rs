//! The fuzz harness of software licence reconciliation, as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/licence_reconcile.rs` calls [`reconciliation`],
//! and so does the stable test `crates/itsm-licence/tests/fuzz_corpus.rs`, which replays
//! every saved input of `fuzz/corpus/licence_reconcile/`.
//!
//! How the bytes are read (each choice is a byte modulo the number of options; a missing
//! byte reads as 0, so zeros give a small valid snapshot under ServiceNow's policy), for
//! writing seeds by hand:
//! - byte 0, the policy: bit 0 turns downgrade rights off, bit 1 enterprise agreements'
//!   compliance off, bits 2-5 the default metric ([`DEFAULT_METRICS`]);
//! - byte 1, `as_of` (mod 8): 30 June 2026 (0-3), 29 February 2024, `NaiveDate::MIN`,
//!   `NaiveDate::MAX`, 1 July 2026;
//! - byte 2, a large shape (mod 16: 0-9 none; 10 a long downgrade list, 11 thousands of
//!   installs on one device, 12 a wide fan of entitlements on one model, 13 thousands of
//!   devices, 14 thousands of subscriptions, 15 all three of the first kinds, smaller);
//!   byte 3 its size (see [`shape`]);
//! - devices: a count (mod 6, plus 1), then a byte each: the hardware (mod 16, see
//!   [`HARDWARE`]); ids `d0` to `d5`;
//! - models: a count (mod 7) and a first model (mod 8), then 2 bytes each: a mask of the
//!   other models of [`MODELS`] it downgrades to (bit j: `MODELS[j]`), and `c`: the licence
//!   cost in bits 0-3 (see [`LICENCE_COSTS`]), the downgrade list reversed when bit 4; the
//!   models are consecutive in [`MODELS`] from the first (so their ids never collide);
//! - installs: a count (mod 25), then 2 bytes each: `x` (model `MODELS[x & 7]`, device
//!   `(x >> 3) & 7` modulo the devices) and `y` (user `USERS[y % 8 % 4]` for `y % 8` below
//!   6, else none); ids `i00`, `i01`...;
//! - subscriptions: a count (mod 9), then a byte each: model in bits 0-2, user in bits
//!   3-4; ids `s00`...;
//! - entitlements: a count (mod 12), then per entitlement `a c r k n` and `n % 4`
//!   allocation bytes: `a`: model in bits 0-2, metric in bits 3-6 (mod 16: the 9 variants
//!   in declaration order, then per device, per user, per core, device CAL, user CAL, user
//!   subscription, per processor), unlimited when bit 7; `c`: the metric's attributes (see
//!   [`metric`]); `r`: rights in bits 0-3 (see [`RIGHTS`]), the lifecycle in bits 4-7 (see
//!   [`lifecycle`]); `k`: unit cost in bits 0-3 (see [`UNIT_COSTS`]), retired when bits 4-5
//!   are both set, enterprise when bits 6-7 are; an allocation byte: the device or user in
//!   bits 0-2 (devices cycled; users `u0`-`u3`, then `u9`, who has nothing, `u0`, `u1`,
//!   `u9`), the quantity in bits 3-6 (see [`QUANTITIES`]). An allocation to a licensee
//!   already allocated is dropped, and so is one that would exceed counted rights, unless
//!   its quantity is 0 or beyond 2^32 (the edges the crate must refuse or sum);
//! - then a count of defects (mod 4) and 2 bytes each (kind mod 16, target): empty or
//!   duplicate ids of every kind, unknown devices, empty users, bad allocations, bad
//!   downgrades, hostile ids (long, with controls), no devices at all (see [`defect`]).
//!
//! Ids come from small pools, so records collide on models, devices and users.
//!
//! What must hold: nothing panics; `reconcile` answers `Err` exactly when the snapshot or
//! the policy breaks a documented rule (checked by an independent reading of the rules,
//! [`expected`]: inactive entitlements' allocations are not checked, the default metric
//! must price installs), or, without such a defect, only for an overflow (and only when
//! some number is beyond what the sums of realistic inputs reach) or for a perpetual
//! entitlement whose dates are reversed (the docs say those dates are ignored; the crate
//! refuses them, which this harness lets pass); an error's text is not empty and under 1000
//! bytes. When it answers `Ok`, [`check`] recomputes the position from the snapshot and the
//! coverage: every install and subscription once, sorted by id; a covered record's
//! entitlement exists, is active, covers its model (itself, or through its model's
//! `downgrades_to` when the policy allows downgrades and the metric is not user
//! subscription), and counts subscriptions exactly when the record is one; the
//! per-entitlement rights used (from the metric formulas of `docs/licence.md`) never exceed
//! a counted entitlement's rights, nor its unallocated use its unallocated rights; each
//! metric position's sums (owned, used = allocated in use + not allocated in use, available
//! <= owned, allocated not in use, not allocated, over-licensed amount, downgrade uses,
//! allocations needed, remediations; unlimited licences in results of their own that own
//! nothing and suggest nothing); each model's counts, status (compliant when nothing is
//! unlicensed), enterprise flag, `needs_user`, `needs_hardware`, purchase options (which
//! metrics, at most `MAX_PURCHASE_OPTIONS` of those that could license what is unlicensed
//! and the rest counted; rights needed, unlicensable, unit price without unlimited
//! licences, and cost) and true-up cost; an unlimited entitlement leaves no record it could
//! license unlicensed, nor a counted one with rights left whose need does not depend on the
//! number of records. The snapshot with every list reversed gives the same position; the
//! snapshot, the policy and the position survive JSON, and the snapshot read back gives the
//! same answer.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use itsm_licence::chrono::{Days, NaiveDate};
use itsm_licence::{
    Agreement, Allocation, Device, Entitlement, Error, Install, LicenceType, MAX_PURCHASE_OPTIONS,
    Metric, Policy, Position, Remediation, Rights, Snapshot, SoftwareModel, Status, Subscription,
    reconcile,
};

#[path = "bytes.rs"]
pub mod bytes;
use bytes::Bytes;

/// The model pool: installs, subscriptions and entitlements all draw from it.
pub const MODELS: [&str; 8] = ["A1", "A2", "A3", "B1", "B2", "C", "D", "E"];
/// The user pool.
pub const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];

/// Processors and cores per processor, by the device byte mod 16.
pub const HARDWARE: [(Option<u32>, Option<u32>); 16] = [
    (None, None),
    (None, None),
    (Some(1), Some(4)),
    (Some(2), Some(6)),
    (Some(2), Some(16)),
    (Some(4), Some(8)),
    (Some(1), Some(1)),
    (Some(2), None),
    (None, Some(8)),
    (Some(0), Some(8)),
    (Some(2), Some(0)),
    (Some(0), Some(0)),
    (Some(u32::MAX), Some(u32::MAX)),
    (Some(1), Some(u32::MAX)),
    (Some(u32::MAX), Some(1)),
    (Some(65_536), Some(65_536)),
];

/// Licence costs of models, by bits 0-3.
pub const LICENCE_COSTS: [Option<u64>; 16] = [
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    Some(0),
    Some(1),
    Some(90),
    Some(250),
    Some(1_000),
    Some(u64::MAX),
    Some(u64::MAX - 1),
    Some(1 << 63),
];

/// Counted rights, by bits 0-3.
pub const RIGHTS: [u64; 16] = [
    0,
    1,
    1,
    2,
    2,
    3,
    4,
    5,
    8,
    10,
    20,
    100,
    1_000,
    u64::MAX,
    u64::MAX - 1,
    1 << 40,
];

/// Unit costs, by bits 0-3.
pub const UNIT_COSTS: [u64; 16] = [
    0,
    100,
    250,
    1,
    9_999,
    100,
    250,
    50,
    0,
    400,
    3,
    120,
    u64::MAX,
    1 << 62,
    u64::MAX - 1,
    7,
];

/// Allocation quantities, by bits 3-6 of the allocation byte.
pub const QUANTITIES: [u64; 16] = [
    1,
    1,
    1,
    2,
    2,
    3,
    1,
    4,
    5,
    10,
    1,
    2,
    100,
    0,
    u64::MAX,
    1 << 40,
];

/// The policy's default metric, by bits 2-5 of byte 0 (two of them refused: an attribute of
/// 0, user subscriptions).
pub const DEFAULT_METRICS: [Metric; 16] = [
    Metric::PER_DEVICE,
    Metric::PER_DEVICE,
    Metric::PER_DEVICE,
    Metric::PER_DEVICE,
    Metric::PER_DEVICE,
    Metric::PerProcessor {
        max_cores_per_processor: Some(0),
    },
    Metric::PER_USER,
    Metric::PerDevice {
        max_installs_per_right: Some(2),
    },
    Metric::PER_CORE,
    Metric::PerCore {
        min_cores_per_processor: 4,
        min_cores_per_server: 16,
    },
    Metric::PER_PROCESSOR,
    Metric::DeviceCal,
    Metric::UserCal,
    Metric::PerNamedDevice {
        max_installs_per_right: None,
    },
    Metric::PerNamedUser {
        max_installs_per_right: Some(3),
    },
    Metric::UserSubscription,
];

/// The names of the metric variants, in declaration order.
pub const METRIC_NAMES: [&str; 9] = [
    "per_device",
    "per_user",
    "per_named_device",
    "per_named_user",
    "per_core",
    "per_processor",
    "device_cal",
    "user_cal",
    "user_subscription",
];

/// The names of the large shapes (byte 2, 10 to 15).
pub const SHAPES: [&str; 6] = [
    "long_downgrade_list",
    "many_installs_on_one_device",
    "wide_fan_of_entitlements",
    "many_devices",
    "many_subscriptions",
    "mixed",
];

/// A metric's variant name.
pub fn metric_name(m: &Metric) -> &'static str {
    match m {
        Metric::PerDevice { .. } => "per_device",
        Metric::PerUser { .. } => "per_user",
        Metric::PerNamedDevice { .. } => "per_named_device",
        Metric::PerNamedUser { .. } => "per_named_user",
        Metric::PerCore { .. } => "per_core",
        Metric::PerProcessor { .. } => "per_processor",
        Metric::DeviceCal => "device_cal",
        Metric::UserCal => "user_cal",
        Metric::UserSubscription => "user_subscription",
    }
}

/// What one input gave (for the corpus test's coverage check).
pub struct Outcome {
    /// The snapshot the bytes decode to.
    pub snapshot: Snapshot,
    /// The policy.
    pub policy: Policy,
    /// The large shape asked for, if any.
    pub shape: Option<&'static str>,
    /// What `reconcile` answered.
    pub answer: Result<Position, Error>,
}

fn at<T: Copy, const N: usize>(table: &[T; N], i: u8) -> T {
    table[usize::from(i) % N]
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// A metric from its kind (0 to 15) and its attribute byte `c`: the per-install metrics
/// take a maximum of installs a right from bits 0-3 (none for 0-7, then 1, 2, 3, 1, 2,
/// `u32::MAX`, 0, 5); per core the minimum cores a processor from bits 0-3 (1, 1, 1, 1, 2, 2,
/// 4, 4, 8, 8, 16, 1, 2, 4, `u32::MAX`, 0) and a server from bits 4-7 (0, 0, 0, 0, 4, 8, 16,
/// 32, 0, 1, 2, 64, 0, `u32::MAX`, `u32::MAX - 1`, 2^16); per processor the maximum cores
/// a processor from bits 0-3 (none for 0-5, then 1, 2, 4, 8, 3, 16, 1, `u32::MAX`, 0, 6).
pub fn metric(kind: u8, c: u8) -> Metric {
    let installs = at(
        &[
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            Some(1),
            Some(2),
            Some(3),
            Some(1),
            Some(2),
            Some(u32::MAX),
            Some(0),
            Some(5),
        ],
        c,
    );
    let per_core = || Metric::PerCore {
        min_cores_per_processor: at(&[1, 1, 1, 1, 2, 2, 4, 4, 8, 8, 16, 1, 2, 4, u32::MAX, 0], c),
        min_cores_per_server: at(
            &[
                0,
                0,
                0,
                0,
                4,
                8,
                16,
                32,
                0,
                1,
                2,
                64,
                0,
                u32::MAX,
                u32::MAX - 1,
                1 << 16,
            ],
            c >> 4,
        ),
    };
    let per_processor = || Metric::PerProcessor {
        max_cores_per_processor: at(
            &[
                None,
                None,
                None,
                None,
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(8),
                Some(3),
                Some(16),
                Some(1),
                Some(u32::MAX),
                Some(0),
                Some(6),
            ],
            c,
        ),
    };
    match kind % 16 {
        0 | 9 => Metric::PerDevice {
            max_installs_per_right: installs,
        },
        1 | 10 => Metric::PerUser {
            max_installs_per_right: installs,
        },
        2 => Metric::PerNamedDevice {
            max_installs_per_right: installs,
        },
        3 => Metric::PerNamedUser {
            max_installs_per_right: installs,
        },
        4 | 11 => per_core(),
        5 | 15 => per_processor(),
        6 | 12 => Metric::DeviceCal,
        7 | 13 => Metric::UserCal,
        _ => Metric::UserSubscription,
    }
}

/// The entitlement's dates by the lifecycle code (bits 4-7 of `r`), around `day`: 0-7
/// perpetual without dates; 8 perpetual with past maintenance dates; 9 perpetual with
/// reversed dates; subscriptions: 10 just `day`, 11 expired the day before, 12 starting the
/// day after, 13 `NaiveDate::MIN` to `MAX`, 14 reversed (the day after to the day before),
/// 15 from `NaiveDate::MIN` without an end. Near chrono's limits a day that does not exist
/// is `day` itself.
pub fn lifecycle(e: &mut Entitlement, code: u8, day: NaiveDate) {
    let back = |n| day.checked_sub_days(Days::new(n)).unwrap_or(day);
    let ahead = |n| day.checked_add_days(Days::new(n)).unwrap_or(day);
    let mut subscription = |start: Option<NaiveDate>, end: Option<NaiveDate>| {
        e.licence_type = LicenceType::Subscription;
        e.start = start;
        e.end = end;
    };
    match code % 16 {
        10 => subscription(Some(day), Some(day)),
        11 => subscription(Some(back(30)), Some(back(1))),
        12 => subscription(Some(ahead(1)), Some(ahead(30))),
        13 => subscription(Some(NaiveDate::MIN), Some(NaiveDate::MAX)),
        14 => subscription(Some(ahead(1)), Some(back(1))),
        15 => subscription(Some(NaiveDate::MIN), None),
        8 => {
            e.start = Some(back(365));
            e.end = Some(back(1));
        }
        9 => {
            e.start = Some(ahead(1));
            e.end = Some(back(1));
        }
        _ => {}
    }
}

/// Which records a metric counts, and whose they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Pool {
    /// Installs, by device.
    Device,
    /// Installs, by user.
    User,
    /// Subscriptions, by user.
    Subscription,
}

/// The pool of a metric, read off the docs' table (not the crate's `licensee`).
fn pool(m: &Metric) -> Pool {
    match m {
        Metric::PerDevice { .. }
        | Metric::PerNamedDevice { .. }
        | Metric::PerCore { .. }
        | Metric::PerProcessor { .. }
        | Metric::DeviceCal => Pool::Device,
        Metric::PerUser { .. } | Metric::PerNamedUser { .. } | Metric::UserCal => Pool::User,
        Metric::UserSubscription => Pool::Subscription,
    }
}

fn named(m: &Metric) -> bool {
    matches!(
        m,
        Metric::PerNamedDevice { .. } | Metric::PerNamedUser { .. }
    )
}

fn is_cal(m: &Metric) -> bool {
    matches!(m, Metric::DeviceCal | Metric::UserCal)
}

/// The rights a licensee with `n` records needs, from the table of `docs/licence.md`
/// (written again here, not the crate's `rights_required`).
fn need(m: &Metric, device: Option<&Device>, n: u64) -> Option<u128> {
    if n == 0 {
        return None;
    }
    let n = u128::from(n);
    let per_install = |max: Option<u32>| match max {
        Some(k) if k > 0 => Some(n.div_ceil(u128::from(k)).max(1)),
        _ => Some(1),
    };
    let hardware = || {
        let d = device?;
        match (d.processors, d.cores_per_processor) {
            (Some(p), Some(c)) if p > 0 && c > 0 => Some((u128::from(p), u128::from(c))),
            _ => None,
        }
    };
    match *m {
        Metric::PerDevice {
            max_installs_per_right: k,
        }
        | Metric::PerUser {
            max_installs_per_right: k,
        }
        | Metric::PerNamedDevice {
            max_installs_per_right: k,
        }
        | Metric::PerNamedUser {
            max_installs_per_right: k,
        } => per_install(k),
        Metric::PerCore {
            min_cores_per_processor: a,
            min_cores_per_server: b,
        } => {
            let (p, c) = hardware()?;
            Some((p * c.max(u128::from(a))).max(u128::from(b)))
        }
        Metric::PerProcessor {
            max_cores_per_processor: max,
        } => {
            let (p, c) = hardware()?;
            Some(match max {
                Some(k) if k > 0 => p * c.div_ceil(u128::from(k)),
                _ => p,
            })
        }
        Metric::DeviceCal | Metric::UserCal => Some(1),
        Metric::UserSubscription => Some(n),
    }
}

/// Whether a metric has an attribute of 0 where it must be at least 1.
fn zero_attribute(m: &Metric) -> bool {
    match *m {
        Metric::PerDevice {
            max_installs_per_right: k,
        }
        | Metric::PerUser {
            max_installs_per_right: k,
        }
        | Metric::PerNamedDevice {
            max_installs_per_right: k,
        }
        | Metric::PerNamedUser {
            max_installs_per_right: k,
        } => k == Some(0),
        Metric::PerCore {
            min_cores_per_processor: a,
            ..
        } => a == 0,
        Metric::PerProcessor {
            max_cores_per_processor: k,
        } => k == Some(0),
        Metric::DeviceCal | Metric::UserCal | Metric::UserSubscription => false,
    }
}

/// Whether a metric's need for a licensee does not depend on how many records it has.
fn need_is_flat(m: &Metric) -> bool {
    match m {
        Metric::PerDevice {
            max_installs_per_right,
        }
        | Metric::PerUser {
            max_installs_per_right,
        } => max_installs_per_right.is_none(),
        Metric::PerCore { .. }
        | Metric::PerProcessor { .. }
        | Metric::DeviceCal
        | Metric::UserCal => true,
        Metric::PerNamedDevice { .. } | Metric::PerNamedUser { .. } | Metric::UserSubscription => {
            false
        }
    }
}

/// Whether an entitlement's rights count on `day`, by the docs (not the crate's
/// `is_active`).
fn active(e: &Entitlement, day: NaiveDate) -> bool {
    !e.retired
        && (e.licence_type == LicenceType::Perpetual
            || (e.start.is_none_or(|s| s <= day) && e.end.is_none_or(|x| day <= x)))
}

/// The policy from byte 0.
fn policy(b: &mut Bytes<'_>) -> Policy {
    let x = b.byte();
    Policy {
        downgrade_rights: x & 1 == 0,
        enterprise_agreement_compliant: x & 2 == 0,
        default_metric: at(&DEFAULT_METRICS, x >> 2),
    }
}

/// Decodes the whole input (see the module's docs).
pub fn decode(data: &[u8]) -> (Snapshot, Policy, Option<&'static str>) {
    let mut b = Bytes::new(data);
    let policy = policy(&mut b);
    let day = at(
        &[
            date(2026, 6, 30),
            date(2026, 6, 30),
            date(2026, 6, 30),
            date(2026, 6, 30),
            date(2024, 2, 29),
            NaiveDate::MIN,
            NaiveDate::MAX,
            date(2026, 7, 1),
        ],
        b.byte(),
    );
    let (shape_byte, size) = (b.byte(), b.byte());
    let mut s = Snapshot::new(day);

    let n = 1 + b.pick(6);
    for i in 0..n {
        let (processors, cores) = at(&HARDWARE, b.byte());
        s.devices.push(Device {
            id: format!("d{i}"),
            processors,
            cores_per_processor: cores,
        });
    }

    let (n, first) = (b.pick(7), b.pick(8));
    for i in 0..n {
        let me = (first + i) % MODELS.len();
        let (mask, c) = (b.byte(), b.byte());
        let mut model = SoftwareModel::new(MODELS[me]);
        model.downgrades_to = MODELS
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != me && mask & (1 << j) != 0)
            .map(|(_, m)| (*m).to_owned())
            .collect();
        if c & 16 != 0 {
            model.downgrades_to.reverse();
        }
        model.licence_cost = at(&LICENCE_COSTS, c);
        s.models.push(model);
    }

    let n = b.pick(25);
    for i in 0..n {
        let (x, y) = (b.byte(), b.byte());
        let device = usize::from((x >> 3) & 7) % s.devices.len().max(1);
        let mut install = Install::new(
            format!("i{i:02}"),
            MODELS[usize::from(x & 7)],
            s.devices.get(device).map_or("d0", |d| d.id.as_str()),
        );
        if y % 8 < 6 {
            install.user = Some(USERS[usize::from(y % 8) % 4].to_owned());
        }
        s.installs.push(install);
    }

    let n = b.pick(9);
    for i in 0..n {
        let x = b.byte();
        s.subscriptions.push(Subscription::new(
            format!("s{i:02}"),
            MODELS[usize::from(x & 7)],
            USERS[usize::from((x >> 3) & 3)],
        ));
    }

    let n = b.pick(12);
    for i in 0..n {
        let (a, c, r, k, al) = (b.byte(), b.byte(), b.byte(), b.byte(), b.byte());
        let metric = metric((a >> 3) & 15, c);
        let rights = if a & 128 != 0 {
            Rights::Unlimited
        } else {
            Rights::Count(at(&RIGHTS, r))
        };
        let mut e = Entitlement::new(format!("E{i}"), MODELS[usize::from(a & 7)], metric, rights)
            .costing(at(&UNIT_COSTS, k));
        lifecycle(&mut e, r >> 4, day);
        e.retired = k & 0x30 == 0x30;
        if k & 0xC0 == 0xC0 {
            e.agreement = Agreement::Enterprise;
        }
        for _ in 0..al % 4 {
            let x = b.byte();
            let to = target(&s, &metric, x & 7);
            let quantity = at(&QUANTITIES, x >> 3);
            allocate(&mut e, to, quantity);
        }
        s.entitlements.push(e);
    }

    let shape = match shape_byte % 16 {
        k @ 10..=15 => {
            let name = SHAPES[usize::from(k - 10)];
            self::shape(&mut s, name, size);
            Some(name)
        }
        _ => None,
    };

    for _ in 0..b.pick(4) {
        let (kind, t) = (b.byte(), b.byte());
        defect(&mut s, kind, t);
    }
    (s, policy, shape)
}

/// The licensee an allocation byte names for `metric`.
fn target(s: &Snapshot, metric: &Metric, x: u8) -> String {
    if pool(metric) == Pool::Device {
        let n = s.devices.len().max(1);
        let i = match x % 8 {
            6 => n - 1,
            7 => 0,
            i => usize::from(i) % n,
        };
        s.devices
            .get(i)
            .map_or_else(|| "d0".to_owned(), |d| d.id.clone())
    } else {
        at(&["u0", "u1", "u2", "u3", "u9", "u0", "u1", "u9"], x).to_owned()
    }
}

/// Adds an allocation unless `to` has one, or it would exceed counted rights with an
/// ordinary quantity (0 and quantities beyond 2^32 are kept: the crate must refuse or sum
/// them).
fn allocate(e: &mut Entitlement, to: String, quantity: u64) {
    if e.allocations.iter().any(|a| a.to == to) {
        return;
    }
    let edge = quantity == 0 || quantity >= 1 << 32;
    if let Rights::Count(n) = e.rights {
        let sum: u128 = e.allocations.iter().map(|a| u128::from(a.quantity)).sum();
        if !edge && sum + u128::from(quantity) > u128::from(n) {
            return;
        }
    }
    e.allocations.push(Allocation { to, quantity });
}

fn ensure_device(s: &mut Snapshot, id: &str, processors: u32, cores: u32) {
    if !s.devices.iter().any(|d| d.id == id) {
        s.devices
            .push(Device::new(id).with_hardware(processors, cores));
    }
}

fn counted(rights: usize) -> Rights {
    Rights::Count(u64::try_from(rights).unwrap_or(u64::MAX))
}

/// Adds a large shape, sized by `size` (most sizes a mutation picks stay small: the counts
/// grow with its square; the largest take some 30 ms a run without a sanitizer, 250 ms with
/// AddressSanitizer):
/// - `long_downgrade_list`: model `Z` downgrading to `old-0` .. `old-(L-1)` (`L` = 8 +
///   size²/170, up to 390) and `Y` to their second half, one install of each on the
///   devices (users cycled, every fifth without), per-device rights for `Z`, per-core for
///   `Y`, a user CAL under an enterprise agreement, and unlimited per-user rights for `Z`
///   when size is odd;
/// - `many_installs_on_one_device`: 256 + size²/22 installs (up to 3211) on device `big`,
///   models `A1` to `A3` in turn, users `w0` .. (1 + size % 64 of them, every seventh
///   install without), per-user rights for `A1`, per-device (100 installs a right) for
///   `A2`, named per-user for `A3` with allocations;
/// - `wide_fan_of_entitlements`: 32 + size entitlements (up to 287) on `A1`, every metric in
///   turn with varied attributes ([`fan_metric`]), rights 0 to 3 (unlimited every 37th),
///   costs varied, some retired or expired (all when size is odd), some allocated; and 64
///   installs of `A1` over the devices and users;
/// - `many_devices`: 128 + size²/32 devices (up to 2160) of varied hardware, one install of
///   `C` on each, per-core, per-processor and device CAL rights for `C`;
/// - `many_subscriptions`: 256 + size²/32 subscriptions (up to 2288) of `A1`, `B1`, `C`
///   held by 1 + size % 32 users, user subscription rights for `B1` (with an allocation)
///   and `C` (unlimited when size is odd);
/// - `mixed`: a 24-model downgrade list for `Z`, 24 entitlements on `Z` of every metric and
///   200 installs of its downgrades.
pub fn shape(s: &mut Snapshot, name: &str, size: u8) {
    let size = usize::from(size);
    let devices: Vec<String> = s.devices.iter().map(|d| d.id.clone()).collect();
    let device = |j: usize| {
        devices
            .get(j % devices.len().max(1))
            .cloned()
            .unwrap_or_else(|| "d0".to_owned())
    };
    let user = |j: usize| (j % 5 != 0).then(|| format!("u{}", j % 4));
    match name {
        "long_downgrade_list" => {
            let l = 8 + size * size / 170;
            let old: Vec<String> = (0..l).map(|j| format!("old-{j}")).collect();
            let mut z = SoftwareModel::new("Z");
            z.downgrades_to.clone_from(&old);
            let mut y = SoftwareModel::new("Y");
            y.downgrades_to = old.iter().skip(l / 2).cloned().collect();
            y.licence_cost = Some(75);
            s.models.push(z);
            s.models.push(y);
            ensure_device(s, "dz", 2, 8);
            for (j, m) in old.iter().enumerate() {
                let mut i = Install::new(format!("z{j:04}"), m.as_str(), device(j));
                i.user = user(j);
                s.installs.push(i);
            }
            s.entitlements.push(
                Entitlement::new("ZE1", "Z", Metric::PER_DEVICE, counted(l / 8)).costing(100),
            );
            s.entitlements
                .push(Entitlement::new("ZE2", "Y", Metric::PER_CORE, counted(16 * l)).costing(20));
            let mut cal = Entitlement::new("ZE3", "Z", Metric::UserCal, Rights::Count(2));
            cal.agreement = Agreement::Enterprise;
            s.entitlements.push(cal);
            if size % 2 == 1 {
                s.entitlements.push(Entitlement::new(
                    "ZE4",
                    "Z",
                    Metric::PER_USER,
                    Rights::Unlimited,
                ));
            }
        }
        "many_installs_on_one_device" => {
            let n = 256 + size * size / 22;
            let users = 1 + size % 64;
            ensure_device(s, "big", 2, 8);
            for j in 0..n {
                let mut i = Install::new(format!("b{j:04}"), MODELS[j % 3], "big");
                if j % 7 != 0 {
                    i.user = Some(format!("w{}", j % users));
                }
                s.installs.push(i);
            }
            s.entitlements.push(
                Entitlement::new("BE1", "A1", Metric::PER_USER, counted(users / 2 + 1)).costing(50),
            );
            s.entitlements.push(Entitlement::new(
                "BE2",
                "A2",
                Metric::PerDevice {
                    max_installs_per_right: Some(100),
                },
                counted(n / 150 + 1),
            ));
            let mut named = Entitlement::new(
                "BE3",
                "A3",
                Metric::PerNamedUser {
                    max_installs_per_right: Some(2),
                },
                Rights::Count(12),
            );
            for w in 0..3 {
                named = named.allocate(format!("w{w}"), 3);
            }
            s.entitlements.push(named);
        }
        "wide_fan_of_entitlements" => {
            let n = 32 + size;
            for k in 0..n {
                let metric = fan_metric(k);
                let rights = if k % 37 == 36 {
                    Rights::Unlimited
                } else {
                    counted(k % 4)
                };
                let cost = u64::try_from(k * 37 % 500).unwrap_or(0);
                let mut e =
                    Entitlement::new(format!("F{k:03}"), "A1", metric, rights).costing(cost);
                // An odd size retires the whole fan: every install is unlicensed, and every
                // metric variant a purchase option (more than MAX_PURCHASE_OPTIONS).
                if k % 11 == 10 || size % 2 == 1 {
                    e.retired = true;
                }
                if k % 13 == 12 {
                    lifecycle(&mut e, 11, s.as_of);
                }
                if k % 5 == 4 && rights != Rights::Count(0) {
                    let to = target(s, &metric, u8::try_from(k % 8).unwrap_or(0));
                    allocate(&mut e, to, 1);
                }
                s.entitlements.push(e);
            }
            for j in 0..64 {
                let mut i = Install::new(format!("f{j:02}"), "A1", device(j / 3));
                i.user = user(j);
                s.installs.push(i);
            }
        }
        "many_devices" => {
            let n = 128 + size * size / 32;
            let hardware = [
                (Some(1), Some(4)),
                (Some(2), Some(8)),
                (Some(2), Some(16)),
                (None, None),
                (Some(4), Some(6)),
                (Some(1), Some(1)),
                (Some(0), Some(8)),
            ];
            for j in 0..n {
                let (processors, cores) = hardware[j % hardware.len()];
                s.devices.push(Device {
                    id: format!("h{j:04}"),
                    processors,
                    cores_per_processor: cores,
                });
                let mut i = Install::new(format!("h-i{j:04}"), "C", format!("h{j:04}"));
                i.user = Some(format!("hu{}", j % 50));
                s.installs.push(i);
            }
            s.entitlements.push(
                Entitlement::new(
                    "HE1",
                    "C",
                    Metric::PerCore {
                        min_cores_per_processor: 4,
                        min_cores_per_server: 8,
                    },
                    counted(n * 6),
                )
                .costing(30),
            );
            s.entitlements.push(Entitlement::new(
                "HE2",
                "C",
                Metric::PerProcessor {
                    max_cores_per_processor: Some(8),
                },
                counted(n / 2),
            ));
            s.entitlements
                .push(Entitlement::new("HE3", "C", Metric::DeviceCal, counted(n / 4)).costing(10));
        }
        "many_subscriptions" => {
            let n = 256 + size * size / 32;
            let users = 1 + size % 32;
            for j in 0..n {
                s.subscriptions.push(Subscription::new(
                    format!("ms{j:04}"),
                    ["A1", "B1", "C"][j % 3],
                    format!("su{}", j % users),
                ));
            }
            s.entitlements.push(
                Entitlement::new("SE1", "B1", Metric::UserSubscription, counted(n / 4))
                    .costing(15)
                    .allocate("su0", u64::try_from(n / 12 + 1).unwrap_or(1)),
            );
            let rights = if size % 2 == 1 {
                Rights::Unlimited
            } else {
                counted(n / 3)
            };
            s.entitlements
                .push(Entitlement::new("SE2", "C", Metric::UserSubscription, rights).costing(12));
        }
        _ => {
            let old: Vec<String> = (0..24).map(|j| format!("old-{j}")).collect();
            let mut z = SoftwareModel::new("Z");
            z.downgrades_to.clone_from(&old);
            s.models.push(z);
            for k in 0..24 {
                let kind = u8::try_from(k % 9).unwrap_or(0);
                let metric = metric(kind, u8::try_from(k * 5).unwrap_or(0) & 0x3D);
                let rights = if k == 23 {
                    Rights::Unlimited
                } else {
                    counted(k % 5 * 3)
                };
                let cost = u64::try_from(10 + k * 13).unwrap_or(0);
                let mut e = Entitlement::new(format!("M{k:02}"), "Z", metric, rights).costing(cost);
                if k % 6 == 5 && rights != Rights::Count(0) {
                    let to = target(s, &metric, u8::try_from(k % 8).unwrap_or(0));
                    allocate(&mut e, to, 2);
                }
                s.entitlements.push(e);
            }
            for j in 0..200 {
                let mut i = Install::new(format!("x{j:03}"), old[j % 24].as_str(), device(j));
                i.user = user(j);
                s.installs.push(i);
            }
        }
    }
}

/// The `k`th metric of the wide fan: the variants in declaration order, each with an
/// attribute from `k / 9` (so 9 * 32 entitlements have some 190 distinct metrics).
fn fan_metric(k: usize) -> Metric {
    let a = u32::try_from(k / 9 % 32).unwrap_or(0);
    let max = (a > 0).then_some(a);
    match k % 9 {
        0 => Metric::PerDevice {
            max_installs_per_right: max,
        },
        1 => Metric::PerUser {
            max_installs_per_right: max,
        },
        2 => Metric::PerNamedDevice {
            max_installs_per_right: max,
        },
        3 => Metric::PerNamedUser {
            max_installs_per_right: max,
        },
        4 => Metric::PerCore {
            min_cores_per_processor: 1 + a % 8,
            min_cores_per_server: a / 8 * 8,
        },
        5 => Metric::PerProcessor {
            max_cores_per_processor: max,
        },
        6 => Metric::DeviceCal,
        7 => Metric::UserCal,
        _ => Metric::UserSubscription,
    }
}

/// A long id with characters an error message must escape.
fn hostile() -> String {
    let mut id = "x".repeat(3_000);
    id.push_str("\u{202e}\n`\"\u{0}é");
    id
}

fn second<T>(list: &mut [T], t: u8) -> Option<(&mut T, &T)> {
    let n = list.len();
    if n < 2 {
        return None;
    }
    let i = usize::from(t) % n;
    let j = (i + 1) % n;
    // Split so one element can be read while another is written.
    let (lo, hi) = list.split_at_mut(i.max(j));
    if i < j {
        Some((lo.get_mut(i)?, hi.first()?))
    } else {
        Some((hi.first_mut()?, lo.get(j)?))
    }
}

fn nth<T>(list: &mut [T], t: u8) -> Option<&mut T> {
    let n = list.len().max(1);
    list.get_mut(usize::from(t) % n)
}

/// One defect, by kind (mod 16) on target `t` (an index, modulo the list): 0 an empty model
/// id, 1 a model id duplicated, 2 an empty device id, 3 a device id duplicated, 4 an empty
/// install id, 5 an install id duplicated, 6 an install of the empty model, 7 an install on
/// an unknown device (bit 7 of `t`: on the empty device), 8 an install by the empty user, 9
/// a subscription id duplicated (bits 6-7 of `t`: 1 its id empty, 2 its model, 3 its user
/// instead), 10 an entitlement id duplicated (bit 7: empty), 11 an
/// entitlement of the empty model, 12 a bad allocation (bits 5-6 of `t`: to the empty
/// licensee, twice to one licensee, to an unknown device or user, of `u64::MAX`), 13 a
/// hostile install id (valid) and, when bit 7, a hostile device (unknown), 14 a bad
/// downgrade (bits 5-6: itself, one listed twice, the empty model, all other models, which
/// is valid), 15 no devices at all.
pub fn defect(s: &mut Snapshot, kind: u8, t: u8) {
    match kind % 16 {
        0 => {
            if let Some(m) = nth(&mut s.models, t) {
                m.id.clear();
            }
        }
        1 => {
            if let Some((a, b)) = second(&mut s.models, t) {
                a.id.clone_from(&b.id);
            }
        }
        2 => {
            if let Some(d) = nth(&mut s.devices, t) {
                d.id.clear();
            }
        }
        3 => {
            if let Some((a, b)) = second(&mut s.devices, t) {
                a.id.clone_from(&b.id);
            }
        }
        4 => {
            if let Some(i) = nth(&mut s.installs, t) {
                i.id.clear();
            }
        }
        5 => {
            if let Some((a, b)) = second(&mut s.installs, t) {
                a.id.clone_from(&b.id);
            }
        }
        6 => {
            if let Some(i) = nth(&mut s.installs, t) {
                i.model.clear();
            }
        }
        7 => {
            if let Some(i) = nth(&mut s.installs, t) {
                i.device = if t & 128 != 0 {
                    String::new()
                } else {
                    "ghost".to_owned()
                };
            }
        }
        8 => {
            if let Some(i) = nth(&mut s.installs, t) {
                i.user = Some(String::new());
            }
        }
        9 => match t >> 6 {
            0 => {
                if let Some((a, b)) = second(&mut s.subscriptions, t) {
                    a.id.clone_from(&b.id);
                }
            }
            1 => {
                if let Some(x) = nth(&mut s.subscriptions, t) {
                    x.id.clear();
                }
            }
            2 => {
                if let Some(x) = nth(&mut s.subscriptions, t) {
                    x.model.clear();
                }
            }
            _ => {
                if let Some(x) = nth(&mut s.subscriptions, t) {
                    x.user.clear();
                }
            }
        },
        10 => {
            if t & 128 != 0 {
                if let Some(e) = nth(&mut s.entitlements, t) {
                    e.id.clear();
                }
            } else if let Some((a, b)) = second(&mut s.entitlements, t) {
                a.id.clone_from(&b.id);
            }
        }
        11 => {
            if let Some(e) = nth(&mut s.entitlements, t) {
                e.model.clear();
            }
        }
        12 => {
            if let Some(e) = nth(&mut s.entitlements, t) {
                let first = e.allocations.first().map(|a| a.to.clone());
                let (to, quantity) = match (t >> 5) % 4 {
                    0 => (String::new(), 1),
                    1 => (first.unwrap_or_else(|| "u0".to_owned()), 1),
                    2 => ("ghost".to_owned(), 1),
                    _ => ("u3".to_owned(), u64::MAX),
                };
                e.allocations.push(Allocation { to, quantity });
            }
        }
        13 => {
            if let Some(i) = nth(&mut s.installs, t) {
                i.id = hostile();
                if t & 128 != 0 {
                    i.device = hostile();
                }
            }
        }
        14 => {
            if let Some(m) = nth(&mut s.models, t) {
                match (t >> 5) % 4 {
                    0 => m.downgrades_to.push(m.id.clone()),
                    1 => {
                        let first = m.downgrades_to.first().cloned();
                        m.downgrades_to
                            .push(first.unwrap_or_else(|| "E".to_owned()));
                        if m.downgrades_to.len() == 1 {
                            m.downgrades_to.push("E".to_owned());
                        }
                    }
                    2 => m.downgrades_to.push(String::new()),
                    _ => {
                        m.downgrades_to = MODELS
                            .iter()
                            .filter(|x| **x != m.id)
                            .map(|x| (*x).to_owned())
                            .collect();
                    }
                }
            }
        }
        _ => s.devices.clear(),
    }
}

/// What the rules say `reconcile` must answer, read independently of the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// The snapshot breaks a documented rule: `Err`, and not an overflow.
    pub defect: bool,
    /// A perpetual entitlement has reversed dates (documented as ignored, refused by the
    /// crate): either answer.
    pub perpetual_reversed: bool,
    /// Some number is beyond what realistic sums reach, so an overflow may be reported.
    pub big: bool,
}

fn duplicated<'a>(ids: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = HashSet::new();
    ids.into_iter().any(|id| !seen.insert(id))
}

/// The documented rules (`reconcile`'s errors and `docs/licence.md`, "Our choices"), checked
/// directly on the snapshot.
pub fn expected(s: &Snapshot, policy: &Policy) -> Expected {
    let devices: HashSet<&str> = s.devices.iter().map(|d| d.id.as_str()).collect();
    // The policy's default metric must price installs.
    let mut defect = pool(&policy.default_metric) == Pool::Subscription
        || zero_attribute(&policy.default_metric);
    let mut perpetual_reversed = false;
    let mut big = false;
    for m in &s.models {
        defect |= m.id.is_empty() || m.downgrades_to.iter().any(String::is_empty);
        defect |= m.downgrades_to.contains(&m.id);
        defect |= duplicated(m.downgrades_to.iter().map(String::as_str));
        big |= m.licence_cost.is_some_and(|c| c >= 1 << 20);
    }
    for d in &s.devices {
        defect |= d.id.is_empty();
        big |= d.processors.is_some_and(|p| p >= 1 << 10);
        big |= d.cores_per_processor.is_some_and(|c| c >= 1 << 10);
    }
    for i in &s.installs {
        defect |= i.id.is_empty() || i.model.is_empty() || i.device.is_empty();
        defect |= i.user.as_deref() == Some("");
        defect |= !devices.contains(i.device.as_str());
    }
    for x in &s.subscriptions {
        defect |= x.id.is_empty() || x.model.is_empty() || x.user.is_empty();
    }
    defect |= duplicated(s.models.iter().map(|m| m.id.as_str()));
    defect |= duplicated(s.devices.iter().map(|d| d.id.as_str()));
    defect |= duplicated(s.installs.iter().map(|i| i.id.as_str()));
    defect |= duplicated(s.subscriptions.iter().map(|x| x.id.as_str()));
    defect |= duplicated(s.entitlements.iter().map(|e| e.id.as_str()));
    for e in &s.entitlements {
        defect |= e.id.is_empty() || e.model.is_empty();
        defect |= zero_attribute(&e.metric);
        if let Metric::PerCore {
            min_cores_per_processor: a,
            min_cores_per_server: b,
        } = e.metric
        {
            big |= a >= 1 << 16 || b >= 1 << 26;
        }
        if let (Some(start), Some(end)) = (e.start, e.end)
            && end < start
        {
            match e.licence_type {
                LicenceType::Subscription => defect = true,
                LicenceType::Perpetual => perpetual_reversed = true,
            }
        }
        big |= e.unit_cost >= 1 << 20;
        if let Rights::Count(n) = e.rights {
            big |= n >= 1 << 32;
        }
        // An inactive entitlement's allocations are ignored, not checked (empty ids too).
        if active(e, s.as_of) {
            defect |= e.allocations.iter().any(|a| a.to.is_empty());
        }
        if active(e, s.as_of) {
            let mut total: u128 = 0;
            for a in &e.allocations {
                defect |= a.quantity == 0;
                defect |= pool(&e.metric) == Pool::Device && !devices.contains(a.to.as_str());
                big |= a.quantity >= 1 << 32;
                total += u128::from(a.quantity);
            }
            defect |= duplicated(e.allocations.iter().map(|a| a.to.as_str()));
            if let Rights::Count(n) = e.rights {
                defect |= total > u128::from(n);
            }
        }
    }
    Expected {
        defect,
        perpetual_reversed,
        big,
    }
}

/// Every list of the snapshot reversed, the nested ones too.
pub fn reversed(s: &Snapshot) -> Snapshot {
    let mut r = s.clone();
    r.models.reverse();
    for m in &mut r.models {
        m.downgrades_to.reverse();
    }
    r.devices.reverse();
    r.installs.reverse();
    r.subscriptions.reverse();
    r.entitlements.reverse();
    for e in &mut r.entitlements {
        e.allocations.reverse();
    }
    r
}

/// Two positions that must be equal, compared part by part so a failure names the part.
fn same(a: &Position, b: &Position, what: &str) {
    if a == b {
        return;
    }
    assert_eq!(a.as_of, b.as_of, "{what}: as_of");
    assert_eq!(
        a.models.len(),
        b.models.len(),
        "{what}: the number of models"
    );
    for (x, y) in a.models.iter().zip(&b.models) {
        assert_eq!(x, y, "{what}: model {}", x.model);
    }
    for (x, y) in a.installs.iter().zip(&b.installs) {
        assert_eq!(x, y, "{what}: install {}", x.id);
    }
    for (x, y) in a.subscriptions.iter().zip(&b.subscriptions) {
        assert_eq!(x, y, "{what}: subscription {}", x.id);
    }
    panic!("{what}: the positions differ");
}

/// Bytes to a snapshot and a policy, reconciled: never a panic, every invariant holds.
pub fn reconciliation(data: &[u8]) {
    run(data);
}

/// [`reconciliation`], returning what it decoded and what `reconcile` answered.
pub fn run(data: &[u8]) -> Outcome {
    let (snapshot, policy, shape) = decode(data);
    let answer = reconcile(&snapshot, &policy);
    let expect = expected(&snapshot, &policy);
    match &answer {
        Ok(position) => {
            assert!(
                !expect.defect,
                "reconcile accepted a snapshot that breaks a documented rule"
            );
            check(&snapshot, &policy, position);
        }
        Err(e) => {
            let text = e.to_string();
            assert!(!text.is_empty(), "an error with no text: {e:?}");
            assert!(
                text.len() < 1_000,
                "an error of {} bytes: {}",
                text.len(),
                text.get(..300).unwrap_or("")
            );
            let excused = match e {
                Error::Overflow { .. } => expect.big && !expect.defect,
                Error::EndBeforeStart { .. } => expect.perpetual_reversed || expect.defect,
                _ => expect.defect,
            };
            assert!(
                excused,
                "reconcile refused with `{text}`, yet {expect:?} (no documented rule broken, or an overflow from small numbers)"
            );
        }
    }

    // The order of the lists does not matter.
    match (&answer, &reconcile(&reversed(&snapshot), &policy)) {
        (Ok(a), Ok(b)) => same(a, b, "the snapshot with its lists reversed"),
        (Err(_), Err(_)) => {}
        (a, b) => panic!(
            "the snapshot with its lists reversed: {:?} then {:?}",
            a.as_ref().err(),
            b.as_ref().err()
        ),
    }

    // JSON: the snapshot, the policy and the position round-trip; the snapshot read back
    // reconciles to the same answer.
    let text = serde_json::to_string(&snapshot)
        .unwrap_or_else(|e| panic!("a snapshot always serializes: {e}"));
    let back: Snapshot = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "the snapshot does not read back: {e}\n{}",
            text.get(..2_000).unwrap_or(&text)
        )
    });
    assert!(
        back == snapshot,
        "the snapshot's JSON round trip changed it"
    );
    match (&answer, &reconcile(&back, &policy)) {
        (Ok(a), Ok(b)) => same(a, b, "the snapshot read back from JSON"),
        (a, b) => assert_eq!(
            a.as_ref().err(),
            b.as_ref().err(),
            "the snapshot read back from JSON"
        ),
    }
    let text =
        serde_json::to_string(&policy).unwrap_or_else(|e| panic!("a policy serializes: {e}"));
    let back: Policy = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the policy does not read back: {e}\n{text}"));
    assert_eq!(back, policy, "the policy's JSON round trip");
    if let Ok(position) = &answer {
        let text = serde_json::to_string(position)
            .unwrap_or_else(|e| panic!("a position always serializes: {e}"));
        let back: Position = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("the position does not read back: {e}"));
        same(&back, position, "the position's JSON round trip");
    }
    Outcome {
        snapshot,
        policy,
        shape,
        answer,
    }
}

/// An install or a subscription.
struct Rec<'a> {
    id: &'a str,
    model: &'a str,
    device: Option<&'a str>,
    user: Option<&'a str>,
    subscription: bool,
}

impl<'a> Rec<'a> {
    fn fits(&self, p: Pool) -> bool {
        self.subscription == (p == Pool::Subscription)
    }

    fn licensee(&self, p: Pool) -> Option<&'a str> {
        match p {
            Pool::Device => self.device,
            Pool::User | Pool::Subscription => self.user,
        }
    }
}

/// What one entitlement's rights did, recomputed from the coverage.
#[derive(Default, Clone)]
struct Use {
    used: u128,
    allocated_in_use: u128,
    allocated: u128,
}

fn u(x: u64) -> u128 {
    u128::from(x)
}

/// The position against the snapshot (see the module's docs for the list).
pub fn check(s: &Snapshot, policy: &Policy, p: &Position) {
    let day = s.as_of;
    assert_eq!(p.as_of, day, "the position's day");
    let devices: HashMap<&str, &Device> = s.devices.iter().map(|d| (d.id.as_str(), d)).collect();
    let device_of = |pool: Pool, licensee: &str| match pool {
        Pool::Device => devices.get(licensee).copied(),
        Pool::User | Pool::Subscription => None,
    };
    let downgrades: HashMap<&str, &[String]> = s
        .models
        .iter()
        .map(|m| (m.id.as_str(), m.downgrades_to.as_slice()))
        .collect();
    let licence_cost: HashMap<&str, Option<u64>> = s
        .models
        .iter()
        .map(|m| (m.id.as_str(), m.licence_cost))
        .collect();
    let ents: HashMap<&str, usize> = s
        .entitlements
        .iter()
        .enumerate()
        .map(|(k, e)| (e.id.as_str(), k))
        .collect();
    // The models each entitlement covers, and per model the entitlements covering it.
    let covers: Vec<HashSet<&str>> = s
        .entitlements
        .iter()
        .map(|e| {
            let mut set = HashSet::from([e.model.as_str()]);
            if policy.downgrade_rights && e.metric != Metric::UserSubscription {
                let list = downgrades.get(e.model.as_str()).copied().unwrap_or(&[]);
                set.extend(list.iter().map(String::as_str));
            }
            set
        })
        .collect();
    let mut covering: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, set) in covers.iter().enumerate() {
        for m in set {
            covering.entry(m).or_default().push(k);
        }
    }
    let is_active: Vec<bool> = s.entitlements.iter().map(|e| active(e, day)).collect();
    let ent = |k: usize| s.entitlements.get(k);
    let live = |k: usize| is_active.get(k).copied().unwrap_or(false);

    let mut recs: Vec<Rec<'_>> = s
        .installs
        .iter()
        .map(|i| Rec {
            id: &i.id,
            model: &i.model,
            device: Some(&i.device),
            user: i.user.as_deref(),
            subscription: false,
        })
        .collect();
    recs.extend(s.subscriptions.iter().map(|x| Rec {
        id: &x.id,
        model: &x.model,
        device: None,
        user: Some(&x.user),
        subscription: true,
    }));

    // Each record once, sorted by id, with its model.
    for (list, subscription, what) in [
        (&p.installs, false, "installs"),
        (&p.subscriptions, true, "subscriptions"),
    ] {
        let n = recs
            .iter()
            .filter(|r| r.subscription == subscription)
            .count();
        assert_eq!(list.len(), n, "position.{what} has {} for {n}", list.len());
        for w in list.windows(2) {
            if let [a, b] = w {
                assert!(
                    a.id < b.id,
                    "position.{what} not sorted by id: {} then {}",
                    a.id,
                    b.id
                );
            }
        }
    }
    let mut coverage: Vec<Option<(usize, bool)>> = Vec::with_capacity(recs.len());
    for r in &recs {
        let list = if r.subscription {
            &p.subscriptions
        } else {
            &p.installs
        };
        let c = list
            .binary_search_by(|c| c.id.as_str().cmp(r.id))
            .ok()
            .and_then(|i| list.get(i));
        let Some(c) = c else {
            panic!("record {} is missing from the position", r.id);
        };
        let found = if r.subscription {
            p.subscription(r.id)
        } else {
            p.install(r.id)
        };
        assert!(found == Some(c), "Position's lookup of {} fails", r.id);
        assert_eq!(&*c.model, r.model, "the model of {}", r.id);
        let Some(id) = c.entitlement.as_deref() else {
            assert!(
                !c.downgrade && !c.allocated,
                "unlicensed {} flagged {c:?}",
                r.id
            );
            coverage.push(None);
            continue;
        };
        let Some(&k) = ents.get(id) else {
            panic!("{} is licensed by {id}, which does not exist", r.id);
        };
        let Some(e) = ent(k) else {
            panic!("entitlement {k}");
        };
        assert!(live(k), "{} is licensed by {id}, not active on {day}", r.id);
        assert!(
            covers.get(k).is_some_and(|set| set.contains(r.model)),
            "{} ({}) is licensed by {id} for {}, which does not cover it",
            r.id,
            r.model,
            e.model
        );
        assert!(
            r.fits(pool(&e.metric)),
            "{} (subscription: {}) is licensed by {id} under {}",
            r.id,
            r.subscription,
            e.metric
        );
        assert_eq!(
            c.downgrade,
            e.model != r.model,
            "the downgrade flag of {}",
            r.id
        );
        let Some(licensee) = r.licensee(pool(&e.metric)) else {
            panic!("{} has no user, yet {id} ({}) licenses it", r.id, e.metric);
        };
        if named(&e.metric) {
            assert!(
                c.allocated,
                "{} is licensed by named {id} without an allocation",
                r.id
            );
        }
        if c.allocated {
            assert!(
                e.allocations.iter().any(|a| a.to == licensee),
                "{} is licensed by an allocation of {id}, which has none for {licensee}",
                r.id
            );
        }
        coverage.push(Some((k, c.allocated)));
    }

    // Per entitlement and licensee: the records licensed, by allocation or not.
    let mut decisions: HashMap<(usize, &str), (u64, bool)> = HashMap::new();
    for (r, c) in recs.iter().zip(&coverage) {
        let Some((k, allocated)) = *c else { continue };
        let Some(e) = ent(k) else { continue };
        let Some(licensee) = r.licensee(pool(&e.metric)) else {
            continue;
        };
        let slot = decisions.entry((k, licensee)).or_insert((0, allocated));
        assert_eq!(
            slot.1, allocated,
            "{}'s records licensed by {} both by allocation and not",
            licensee, e.id
        );
        slot.0 += 1;
    }
    let mut uses: Vec<Use> = vec![Use::default(); s.entitlements.len()];
    for (k, e) in s.entitlements.iter().enumerate() {
        if live(k)
            && let Some(x) = uses.get_mut(k)
        {
            x.allocated = e.allocations.iter().map(|a| u(a.quantity)).sum();
        }
    }
    for (&(k, licensee), &(n, allocated)) in &decisions {
        let (Some(e), Some(x)) = (ent(k), uses.get_mut(k)) else {
            continue;
        };
        let pool = pool(&e.metric);
        let Some(required) = need(&e.metric, device_of(pool, licensee), n) else {
            panic!(
                "{} licenses {n} records of {licensee} under {}, which cannot license it",
                e.id, e.metric
            );
        };
        x.used += required;
        if allocated {
            let quantity = e
                .allocations
                .iter()
                .find(|a| a.to == licensee)
                .map_or(0, |a| u(a.quantity));
            x.allocated_in_use += quantity.min(required);
        }
    }
    for (k, e) in s.entitlements.iter().enumerate() {
        let (Some(x), Rights::Count(n)) = (uses.get(k), e.rights) else {
            continue;
        };
        assert!(
            x.used <= u(n),
            "{} uses {} rights but has {n}",
            e.id,
            x.used
        );
        assert!(
            x.used - x.allocated_in_use <= u(n).saturating_sub(x.allocated),
            "{} uses {} rights without allocations but has {} not allocated",
            e.id,
            x.used - x.allocated_in_use,
            u(n).saturating_sub(x.allocated)
        );
    }

    // Per model: what is unlicensed.
    let mut counts: HashMap<&str, [u64; 4]> = HashMap::new();
    for (r, c) in recs.iter().zip(&coverage) {
        let slot = counts.entry(r.model).or_default();
        let i = if r.subscription { 2 } else { 0 };
        if let Some(total) = slot.get_mut(i) {
            *total += 1;
        }
        if c.is_none()
            && let Some(gap) = slot.get_mut(i + 1)
        {
            *gap += 1;
        }
    }

    // No unlicensed record an unlimited right (or counted rights left, for the metrics whose
    // need does not grow with the records) could have licensed.
    let mut needs_user: HashMap<&str, u64> = HashMap::new();
    let mut needs_hardware: HashMap<&str, u64> = HashMap::new();
    for (r, c) in recs.iter().zip(&coverage) {
        if c.is_some() {
            continue;
        }
        let (mut no_user, mut no_hardware) = (false, false);
        for &k in covering.get(r.model).map_or(&[][..], Vec::as_slice) {
            let (Some(e), Some(x)) = (ent(k), uses.get(k)) else {
                continue;
            };
            let pool = pool(&e.metric);
            if !live(k) || !r.fits(pool) || named(&e.metric) {
                continue;
            }
            let Some(licensee) = r.licensee(pool) else {
                no_user = true;
                continue;
            };
            let Some(required) = need(&e.metric, device_of(pool, licensee), 1) else {
                no_hardware |= pool == Pool::Device;
                continue;
            };
            match e.rights {
                Rights::Unlimited => panic!(
                    "{} ({}) is unlicensed though unlimited {} ({}) covers it",
                    r.id, r.model, e.id, e.metric
                ),
                Rights::Count(n) if need_is_flat(&e.metric) => {
                    let left = u(n)
                        .saturating_sub(x.allocated)
                        .saturating_sub(x.used - x.allocated_in_use);
                    assert!(
                        left < required,
                        "{} ({}) is unlicensed though {} ({}) has {left} rights left and it needs {required}",
                        r.id,
                        r.model,
                        e.id,
                        e.metric
                    );
                }
                Rights::Count(_) => {}
            }
        }
        if no_user {
            *needs_user.entry(r.model).or_default() += 1;
        }
        if no_hardware {
            *needs_hardware.entry(r.model).or_default() += 1;
        }
    }

    let mut unlicensed: HashMap<&str, Vec<&Rec<'_>>> = HashMap::new();
    for (r, c) in recs.iter().zip(&coverage) {
        if c.is_none() {
            unlicensed.entry(r.model).or_default().push(r);
        }
    }

    // Every model named anywhere, once, sorted.
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for m in &s.models {
        names.insert(&m.id);
        names.extend(m.downgrades_to.iter().map(String::as_str));
    }
    names.extend(recs.iter().map(|r| r.model));
    names.extend(s.entitlements.iter().map(|e| e.model.as_str()));
    let listed: Vec<&str> = p.models.iter().map(|m| m.model.as_str()).collect();
    let names: Vec<&str> = names.into_iter().collect();
    assert!(
        listed == names,
        "the position's models are not every model named, sorted"
    );

    // Metric results: per model and metric, the counted licences' and (apart, after them)
    // the unlimited ones'.
    let mut by_metric: BTreeMap<(&str, Metric, bool), Vec<usize>> = BTreeMap::new();
    for (k, e) in s.entitlements.iter().enumerate() {
        by_metric
            .entry((e.model.as_str(), e.metric, e.rights == Rights::Unlimited))
            .or_default()
            .push(k);
    }
    let mut true_up_sum: Option<u128> = Some(0);
    for m in &p.models {
        let name = m.model.as_str();
        let [installs, gap_i, subscriptions, gap_s] = counts.get(name).copied().unwrap_or_default();
        assert_eq!(
            (
                m.installs,
                m.unlicensed_installs,
                m.subscriptions,
                m.unlicensed_subscriptions
            ),
            (installs, gap_i, subscriptions, gap_s),
            "model {name}: installs, unlicensed, subscriptions, unlicensed"
        );
        let covering_m = covering.get(name).map_or(&[][..], Vec::as_slice);
        let enterprise = covering_m
            .iter()
            .any(|&k| live(k) && ent(k).is_some_and(|e| e.agreement == Agreement::Enterprise));
        assert_eq!(
            m.enterprise_agreement, enterprise,
            "model {name}: enterprise agreement"
        );
        let compliant = gap_i + gap_s == 0 || (enterprise && policy.enterprise_agreement_compliant);
        let status = if compliant {
            Status::Compliant
        } else {
            Status::NotCompliant
        };
        assert_eq!(
            m.status, status,
            "model {name}: status ({gap_i} installs and {gap_s} subscriptions unlicensed)"
        );
        assert_eq!(
            (m.needs_user, m.needs_hardware),
            (
                needs_user.get(name).copied().unwrap_or(0),
                needs_hardware.get(name).copied().unwrap_or(0)
            ),
            "model {name}: needs_user, needs_hardware"
        );

        // Metric positions.
        let mine: Vec<((&Metric, bool), &Vec<usize>)> = by_metric
            .iter()
            .filter(|((x, _, _), _)| *x == name)
            .map(|((_, metric, unlimited), list)| ((metric, *unlimited), list))
            .collect();
        let metrics: Vec<(&Metric, bool)> =
            m.metrics.iter().map(|x| (&x.metric, x.unlimited)).collect();
        let want: Vec<(&Metric, bool)> = mine.iter().map(|(x, _)| *x).collect();
        assert!(
            metrics == want,
            "model {name}: metrics {metrics:?}, expected {want:?}"
        );
        let mut over: u128 = 0;
        for (mp, ((metric, unlimited), list)) in m.metrics.iter().zip(&mine) {
            let (metric, unlimited) = (*metric, *unlimited);
            let what = format!(
                "model {name}, {metric}{}",
                if unlimited { " (unlimited)" } else { "" }
            );
            let mut active_ids: Vec<&str> = Vec::new();
            let mut inactive_ids: Vec<&str> = Vec::new();
            let (mut used, mut in_use, mut allocated) = (0u128, 0u128, 0u128);
            let (mut owned, mut available, mut not_allocated, mut amount) =
                (0u128, 0u128, 0u128, 0u128);
            let mut downgrade_uses: BTreeMap<&str, u64> = BTreeMap::new();
            for &k in list.iter() {
                let (Some(e), Some(x)) = (ent(k), uses.get(k)) else {
                    continue;
                };
                if !live(k) {
                    inactive_ids.push(&e.id);
                    continue;
                }
                active_ids.push(&e.id);
                used += x.used;
                in_use += x.allocated_in_use;
                allocated += x.allocated;
                // An unlimited result owns nothing countable (0 owned, available, not
                // allocated and over-licensed).
                match e.rights {
                    Rights::Unlimited => {}
                    Rights::Count(n) => {
                        owned += u(n);
                        let unused = u(n).saturating_sub(x.used);
                        available += unused;
                        not_allocated += u(n).saturating_sub(x.allocated);
                        amount += unused * u(e.unit_cost);
                    }
                }
            }
            for (r, c) in recs.iter().zip(&coverage) {
                if let Some((k, _)) = c
                    && list.contains(k)
                    && r.model != name
                {
                    *downgrade_uses.entry(r.model).or_default() += 1;
                }
            }
            active_ids.sort_unstable();
            inactive_ids.sort_unstable();
            assert!(
                mp.entitlements == active_ids,
                "{what}: active entitlements {:?}",
                mp.entitlements
            );
            assert!(
                mp.inactive == inactive_ids,
                "{what}: inactive entitlements {:?}",
                mp.inactive
            );
            assert_eq!(mp.unlimited, unlimited, "{what}: unlimited");
            assert_eq!(u(mp.rights_owned), owned, "{what}: rights owned");
            assert_eq!(u(mp.rights_used), used, "{what}: rights used");
            assert_eq!(
                mp.rights_used,
                mp.allocated_in_use + mp.not_allocated_in_use,
                "{what}: rights used = allocated in use + not allocated in use"
            );
            assert!(
                mp.rights_available <= mp.rights_owned,
                "{what}: available > owned"
            );
            if !unlimited {
                assert!(
                    mp.rights_used <= mp.rights_owned,
                    "{what}: counted rights used {} > owned {}",
                    mp.rights_used,
                    mp.rights_owned
                );
            }
            assert_eq!(u(mp.allocated_in_use), in_use, "{what}: allocated in use");
            assert_eq!(
                u(mp.not_allocated_in_use),
                used - in_use,
                "{what}: not allocated in use"
            );
            assert_eq!(
                u(mp.allocated_not_in_use),
                allocated - in_use,
                "{what}: allocated not in use"
            );
            assert_eq!(
                u(mp.rights_available),
                available,
                "{what}: rights available"
            );
            assert_eq!(u(mp.not_allocated), not_allocated, "{what}: not allocated");
            assert_eq!(
                u(mp.over_licensed_amount),
                amount,
                "{what}: over-licensed amount"
            );
            over += amount;
            let uses_listed: Vec<(&str, u64)> = mp
                .downgrades
                .iter()
                .map(|d| (d.model.as_str(), d.installs))
                .collect();
            let uses_expected: Vec<(&str, u64)> = downgrade_uses.into_iter().collect();
            assert!(
                uses_listed == uses_expected,
                "{what}: downgrades {uses_listed:?}, expected {uses_expected:?}"
            );
            let mut remediations = Vec::new();
            // Nothing is suggested on an unlimited licence.
            if mp.not_allocated_in_use > 0 && !is_cal(metric) && !unlimited {
                remediations.push(Remediation::CreateAllocations);
                remediations.push(Remediation::RemoveUnallocatedInstalls);
            }
            if mp.allocated_not_in_use > 0 && !unlimited {
                remediations.push(Remediation::RemoveAllocations);
            }
            assert_eq!(mp.remediations, remediations, "{what}: remediations");
            // Named metrics: the unlicensed licensees an allocation of the model and metric
            // (counted or unlimited) would license; those with an allocation already need
            // rights, not an allocation. Both results of the metric report it.
            let class: Vec<usize> = [false, true]
                .iter()
                .filter_map(|&x| by_metric.get(&(name, *metric, x)))
                .flatten()
                .copied()
                .filter(|&k| live(k))
                .collect();
            let allocated_to = |l: &str| {
                class
                    .iter()
                    .any(|&k| ent(k).is_some_and(|e| e.allocations.iter().any(|a| a.to == l)))
            };
            let mut wanted: HashSet<&str> = HashSet::new();
            let covers_m = class.first().and_then(|&k| covers.get(k));
            if named(metric)
                && let Some(set) = covers_m
            {
                for (r, c) in recs.iter().zip(&coverage) {
                    if c.is_none()
                        && r.fits(pool(metric))
                        && set.contains(r.model)
                        && let Some(l) = r.licensee(pool(metric))
                        && !allocated_to(l)
                    {
                        wanted.insert(l);
                    }
                }
            }
            // Counted once per metric: in the counted result when there is one.
            let expected = if mp.unlimited && by_metric.contains_key(&(name, *metric, false)) {
                0
            } else {
                wanted.len() as u128
            };
            assert_eq!(
                u(mp.allocations_needed),
                expected,
                "{what}: allocations needed"
            );
        }
        assert_eq!(
            u(m.over_licensed_amount),
            over,
            "model {name}: over-licensed amount"
        );

        // Purchase options and the true-up.
        if gap_i + gap_s == 0 {
            assert!(
                m.purchase_options.is_empty() && m.purchase_options_omitted == 0,
                "model {name}: options with nothing unlicensed"
            );
            assert_eq!(
                m.true_up_cost,
                Some(0),
                "model {name}: true-up with nothing unlicensed"
            );
            continue;
        }
        let mut option_metrics: BTreeMap<Metric, Vec<usize>> = BTreeMap::new();
        for &k in covering_m {
            if let Some(e) = ent(k) {
                option_metrics.entry(e.metric).or_default().push(k);
            }
        }
        if gap_i > 0 && !option_metrics.keys().any(|x| pool(x) != Pool::Subscription) {
            option_metrics.entry(policy.default_metric).or_default();
        }
        if gap_s > 0 && !option_metrics.keys().any(|x| pool(x) == Pool::Subscription) {
            option_metrics.entry(Metric::UserSubscription).or_default();
        }
        // At most MAX_PURCHASE_OPTIONS options, by metric order; the rest counted.
        let relevant: Vec<(Metric, Vec<usize>)> = option_metrics
            .into_iter()
            .filter(|(x, _)| {
                if pool(x) == Pool::Subscription {
                    gap_s > 0
                } else {
                    gap_i > 0
                }
            })
            .collect();
        // The install metrics are bounded; the subscription metric is always listed.
        let install_options = relevant
            .iter()
            .filter(|(x, _)| pool(x) != Pool::Subscription)
            .count();
        let omitted = install_options.saturating_sub(MAX_PURCHASE_OPTIONS);
        assert_eq!(
            m.purchase_options_omitted,
            omitted as u64,
            "model {name}: purchase options omitted ({} could license its {gap_i} installs and {gap_s} subscriptions)",
            relevant.len()
        );
        let mut kept = 0;
        let wanted: Vec<(Metric, Vec<usize>)> = relevant
            .into_iter()
            .filter(|(x, _)| {
                kept += usize::from(pool(x) != Pool::Subscription);
                pool(x) == Pool::Subscription || kept <= MAX_PURCHASE_OPTIONS
            })
            .collect();
        let listed: Vec<&Metric> = m.purchase_options.iter().map(|o| &o.metric).collect();
        let want: Vec<&Metric> = wanted.iter().map(|(x, _)| x).collect();
        assert!(
            listed == want,
            "model {name}: purchase options for {listed:?}, expected {want:?}"
        );
        let (mut best_i, mut best_s): (Option<u128>, Option<u128>) = (None, None);
        for (o, (metric, list)) in m.purchase_options.iter().zip(&wanted) {
            let what = format!("model {name}, purchase option {metric}");
            let pool = pool(metric);
            let mut per: HashMap<&str, u64> = HashMap::new();
            for r in unlicensed.get(name).map_or(&[][..], Vec::as_slice) {
                if r.fits(pool)
                    && let Some(l) = r.licensee(pool)
                {
                    *per.entry(l).or_default() += 1;
                }
            }
            let (mut rights, mut licensable) = (0u128, 0u64);
            for (l, n) in per {
                if let Some(x) = need(metric, device_of(pool, l), n) {
                    rights += x;
                    licensable += n;
                }
            }
            let gap = if pool == Pool::Subscription {
                gap_s
            } else {
                gap_i
            };
            assert_eq!(u(o.rights_needed), rights, "{what}: rights needed");
            assert_eq!(o.unlicensable, gap - licensable, "{what}: unlicensable");
            let price = match licence_cost.get(name).copied().flatten() {
                Some(c) => Some(u(c)),
                None => average_price(s, name, list, &is_active),
            };
            assert_eq!(o.unit_price.map(u), price, "{what}: unit price");
            let cost = price.map(|x| x * rights);
            assert_eq!(o.cost.map(u), cost, "{what}: cost");
            if o.unlicensable == 0
                && let Some(c) = cost
            {
                let best = if pool == Pool::Subscription {
                    &mut best_s
                } else {
                    &mut best_i
                };
                *best = Some(best.map_or(c, |b| b.min(c)));
            }
        }
        let part = |gap: u64, best: Option<u128>| if gap == 0 { Some(0) } else { best };
        let true_up = part(gap_i, best_i)
            .zip(part(gap_s, best_s))
            .map(|(a, b)| a + b);
        assert_eq!(m.true_up_cost.map(u), true_up, "model {name}: true-up cost");
        true_up_sum = true_up_sum.zip(true_up).map(|(a, b)| a + b);
    }
    let total = true_up_sum.and_then(|t| u64::try_from(t).ok());
    assert_eq!(p.true_up_cost(), total, "Position::true_up_cost");
    let over: u64 = p
        .models
        .iter()
        .fold(0u64, |a, m| a.saturating_add(m.over_licensed_amount));
    assert_eq!(
        p.over_licensed_amount(),
        over,
        "Position::over_licensed_amount"
    );
    assert_eq!(
        p.is_compliant(),
        p.models.iter().all(|m| m.status == Status::Compliant),
        "Position::is_compliant"
    );
    for m in &p.models {
        assert!(p.model(&m.model) == Some(m), "Position::model({})", m.model);
    }
}

/// The price of a right under one metric, by `docs/licence.md`: the average unit cost
/// weighted by counted rights, half up (a plain mean when no counted rights), over the
/// model's own active entitlements with the metric, else its own, else the active ones
/// covering it by downgrade, else all of them (`list`: those covering the model); unlimited
/// licences never price a right (their unit cost is their total).
fn average_price(s: &Snapshot, model: &str, list: &[usize], active: &[bool]) -> Option<u128> {
    let live = |k: usize| active.get(k).copied().unwrap_or(false);
    let own = |k: usize| s.entitlements.get(k).is_some_and(|e| e.model == model);
    let counted: Vec<usize> = list
        .iter()
        .copied()
        .filter(|&k| {
            s.entitlements
                .get(k)
                .is_some_and(|e| e.rights != Rights::Unlimited)
        })
        .collect();
    let tiers: [Vec<usize>; 3] = [
        counted
            .iter()
            .copied()
            .filter(|&k| own(k) && live(k))
            .collect(),
        counted.iter().copied().filter(|&k| own(k)).collect(),
        counted.iter().copied().filter(|&k| live(k)).collect(),
    ];
    let basis = tiers.into_iter().find(|t| !t.is_empty()).unwrap_or(counted);
    if basis.is_empty() {
        return None;
    }
    let (mut cost, mut rights) = (0u128, 0u128);
    for &k in &basis {
        if let Some(e) = s.entitlements.get(k)
            && let Rights::Count(n) = e.rights
        {
            cost = cost.checked_add(u(n) * u(e.unit_cost))?;
            rights += u(n);
        }
    }
    if rights == 0 {
        cost = basis
            .iter()
            .filter_map(|&k| s.entitlements.get(k))
            .map(|e| u(e.unit_cost))
            .sum();
        rights = basis.len() as u128;
    }
    Some(cost / rights + u128::from(2 * (cost % rights) >= rights))
}
