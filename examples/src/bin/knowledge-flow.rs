//! From incident history to a knowledge article, through the problem and knowledge crates:
//! the detector (`itsm_problem::detect`) finds a recurring cluster in two weeks of
//! incidents; the cluster becomes a problem (logged with its incidents, assessed, confirmed,
//! its root cause found by five whys); the problem's known error gets a workaround and is
//! published, so it is offered to the next matching incident; a knowledge article carrying
//! the workaround, linked to the problem and the known error, is published through
//! ServiceNow's "Approval Publish" (an `itsm-approval` approval inside the article); the fix
//! resolves the problem. Every step goes through the crates' `decide`; the host makes the
//! ids and the clock.
//!
//! Run: `cargo run -p itsm-examples --bin knowledge-flow`
#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::error::Error as StdError;
use std::process::ExitCode;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_knowledge::{ApprovalId, ApprovalRequest, ArticleId, Content};
use itsm_problem::{
    Actor, CauseCategory, ConfigItemId, DetectionSpec, Field, IncidentFacts, IncidentId,
    IncidentRecord, Key, KnownError, KnownErrorCommand, KnownErrorId, KnownErrorRecord, Method,
    ProblemId, Role, RootCause, Statement, UserId, decide_known_error, detect, evolve_known_error,
    offer_workarounds,
};

type Res<T> = Result<T, Box<dyn StdError>>;

const SYMPTOM: &str = "vpn drops";
const GATEWAY: &str = "vpn-gw-01";
const PROBLEM: ProblemId = ProblemId::from_u128(0x5001);
const KNOWN_ERROR: KnownErrorId = KnownErrorId::from_u128(0x6001);
const ARTICLE: ArticleId = ArticleId::from_u128(0x7001);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("knowledge-flow: {e}");
            ExitCode::FAILURE
        }
    }
}

fn start() -> Res<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .ok_or_else(|| "the start is not a valid instant".into())
}

/// The host's mapping of its configuration item names to ids.
fn item(name: &str) -> ConfigItemId {
    ConfigItemId(uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_OID,
        name.as_bytes(),
    ))
}

/// Two weeks of incidents: background noise, and four VPN drops on one gateway in three
/// days. (hours after the start, item, category, symptom)
const HISTORY: [(i64, &str, &str, &str); 10] = [
    (1, "mail-01", "email", "mailbox full"),
    (20, GATEWAY, "network", SYMPTOM),
    (30, "print-02", "hardware", "paper jam"),
    (44, GATEWAY, "network", SYMPTOM),
    (50, "mail-01", "email", "cannot send"),
    (61, "laptop-17", "hardware", "battery"),
    (70, GATEWAY, "network", SYMPTOM),
    (90, GATEWAY, "network", SYMPTOM),
    (200, "print-02", "hardware", "toner"),
    (310, "mail-01", "email", "mailbox full"),
];

fn run() -> Res<()> {
    let t0 = start()?;
    let at = |hours: i64| t0 + Duration::hours(hours);
    let role = |name: &str| Role::new(name);
    let analyst = Actor::new(UserId::from_u128(1), [role("problem_manager")?]);
    let author = Actor::new(UserId::from_u128(2), [role("knowledge")?]);
    let manager = Actor::new(UserId::from_u128(3), [role("knowledge_manager")?]);

    // 1. The detector over the history: three incidents with one symptom within 7 days.
    let records: Vec<IncidentRecord> = HISTORY
        .iter()
        .map(|&(hours, ci, category, symptom)| {
            IncidentRecord::new(at(hours))
                .with(Field::Item, ci)
                .with(Field::Category, category)
                .with(Field::Symptom, symptom)
        })
        .collect();
    let spec = DetectionSpec::new([Key::new([Field::Symptom])], 3, Duration::days(7));
    let clusters = detect(&records, &spec);
    let cluster = clusters.first().ok_or("no cluster found")?;
    println!(
        "cluster: {} = {}: {} incidents, detectable at {}",
        cluster
            .fields
            .first()
            .map(ToString::to_string)
            .unwrap_or_default(),
        cluster.values.join(", "),
        cluster.incidents.len(),
        cluster.detectable_at.format("%Y-%m-%d %H:%M")
    );
    // The host's incident ids: position + 1.
    let incident = |pos: usize| IncidentId::from_u128(pos as u128 + 1);
    let now = cluster.detectable_at;

    // 2. The cluster becomes a problem: logged with its incidents, assessed, confirmed, the
    //    gateway linked, the root cause recorded.
    let policy = itsm_problem::Policy::servicenow();
    let mut problem = itsm_problem::State::new();
    let step = |problem: &mut itsm_problem::State,
                hours: i64,
                command: itsm_problem::Command|
     -> Res<()> {
        let ctx = itsm_problem::Context::new(now + Duration::hours(hours), &analyst, &policy);
        let events = itsm_problem::decide(problem, &command, &ctx)?;
        problem.apply(&events);
        Ok(())
    };
    let mut statement = Statement::new(PROBLEM, "VPN sessions drop on vpn-gw-01");
    statement.category = Some("network".into());
    statement.incidents = cluster.incidents.iter().map(|&p| incident(p)).collect();
    step(&mut problem, 0, statement.into())?;
    step(&mut problem, 1, itsm_problem::Command::Assess)?;
    step(&mut problem, 2, itsm_problem::Command::Confirm)?;
    step(
        &mut problem,
        3,
        itsm_problem::Command::Link {
            link: itsm_problem::Link::Item(item(GATEWAY)),
        },
    )?;
    let cause = RootCause {
        description: "the gateway's idle timeout is shorter than the client's keep-alive".into(),
        category: CauseCategory::Configuration,
        method: Method::FiveWhys {
            whys: vec![
                "sessions end after ten idle minutes".into(),
                "the gateway closes idle tunnels".into(),
                "its idle timeout is 600 s, the client's keep-alive 900 s".into(),
            ],
        },
        confirmed: true,
    };
    step(
        &mut problem,
        4,
        itsm_problem::Command::RecordRootCause(Box::new(cause)),
    )?;
    let p = problem.problem().ok_or("no problem")?;
    println!(
        "problem: {}, {} incidents linked, root cause confirmed: {}",
        p.status(),
        p.incidents().len(),
        p.root_cause().is_some_and(|c| c.confirmed)
    );

    // 3. Its known error, with a workaround, published.
    let record = KnownErrorRecord {
        id: KNOWN_ERROR,
        problem: Some(PROBLEM),
        symptom: SYMPTOM.into(),
        root_cause: "the gateway's idle timeout is shorter than the client's keep-alive".into(),
        workaround: "set the VPN client's keep-alive to 300 s".into(),
        category: Some("network".into()),
        items: vec![item(GATEWAY)],
        services: Vec::new(),
    };
    let mut known: Option<KnownError> = None;
    for (hours, command) in [
        (5, KnownErrorCommand::Record(Box::new(record))),
        (6, KnownErrorCommand::Publish),
    ] {
        let events = decide_known_error(
            known.as_ref(),
            &command,
            now + Duration::hours(hours),
            &analyst,
        )?;
        for event in &events {
            known = evolve_known_error(known, event);
        }
    }
    let known = known.ok_or("no known error")?;
    println!(
        "known error: {}, workaround: {}",
        format!("{:?}", known.status()).to_lowercase(),
        known.record().workaround
    );
    // The next VPN drop is offered the workaround.
    let next = IncidentFacts {
        item: None,
        service: None,
        category: Some("network".into()),
        symptom: Some(SYMPTOM.into()),
    };
    let known_errors = [known];
    let offers = offer_workarounds(&known_errors, &next);
    let offer = offers.first().ok_or("no workaround offered")?;
    println!(
        "next incident: workaround offered ({:?} match)",
        offer.reason
    );

    // 4. The article: written by a contributor, linked, approved by a knowledge manager
    //    through the approval ServiceNow's preset runs, published.
    let kpolicy = itsm_knowledge::Policy::servicenow();
    let mut article = itsm_knowledge::State::new();
    let mut write = |hours: i64, who: &Actor, command: itsm_knowledge::Command| -> Res<()> {
        let ctx = itsm_knowledge::Context::new(now + Duration::hours(hours), who, &kpolicy);
        let events = itsm_knowledge::decide(&article, &command, &ctx)?;
        article.apply(&events);
        Ok(())
    };
    let content = Content::new(
        "VPN drops after ten idle minutes",
        "Symptom: the VPN session ends after ten minutes without traffic.\n\
         Workaround: set the VPN client's keep-alive to 300 s.",
    );
    write(
        7,
        &author,
        itsm_knowledge::Command::create(ARTICLE, content),
    )?;
    for link in [
        itsm_knowledge::Link::Problem(PROBLEM),
        itsm_knowledge::Link::KnownError(KNOWN_ERROR),
    ] {
        write(8, &author, itsm_knowledge::Command::Link { link })?;
    }
    write(
        9,
        &author,
        itsm_knowledge::Command::Submit {
            approval: Some(ApprovalRequest::new(ApprovalId::from_u128(0x8001))),
        },
    )?;
    write(
        10,
        &manager,
        itsm_knowledge::Command::Approval {
            answer: itsm_knowledge::itsm_approval::Command::Approve { comment: None },
        },
    )?;
    let a = article.article().ok_or("no article")?;
    println!(
        "article: {}, version {}, links: {}",
        a.status(),
        a.published()
            .map_or(0, itsm_knowledge::PublishedVersion::number),
        a.links()
            .iter()
            .map(|l| match l {
                itsm_knowledge::Link::Problem(_) => "problem",
                itsm_knowledge::Link::KnownError(_) => "known error",
                _ => "other",
            })
            .collect::<Vec<_>>()
            .join(", ")
    );

    // 5. The fix: the gateway's timeout raised through a change; the problem resolved.
    step(
        &mut problem,
        24,
        itsm_problem::Command::StartFix { change: None },
    )?;
    step(
        &mut problem,
        48,
        itsm_problem::Command::Resolve {
            notes: "idle timeout raised to 1800 s".into(),
        },
    )?;
    let p = problem.problem().ok_or("no problem")?;
    println!("problem: {}", p.status());
    Ok(())
}
