//! The four dimensions of a sample organisation (`examples/data/dimensions/`), assessed with
//! `itsm-dimensions`: per service, each dimension's coverage, findings and score, the
//! suppliers it depends on with no alternative, a summary table, what a round of planned
//! improvements would change (a comparison of two assessments), and an SVG of the four
//! scores per service.
//!
//! Run it with `cargo run -p itsm-examples --bin dimensions [-- [--today YYYY-MM-DD]
//! [organisation.json [picture.svg]]]`. The day of the assessment is today's date (the host
//! reads the clock; the library does not) unless `--today` is given. Dependency edges are read
//! from `dependencies.json` beside the organisation file when there is one. The picture goes
//! to `dimensions.svg` in the workspace's `target/` folder unless a path is given (its folder
//! must exist).
#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::error::Error as StdError;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use itsm_dimensions::{
    Assessment, Comparison, Dependencies, Dependency, Dimension, Organisation, ServiceAssessment,
    Settings, assess, compare,
};

const DEFAULT_ORGANISATION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/dimensions/organisation.json"
);
const DEFAULT_TARGET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../target");

type Res<T> = Result<T, Box<dyn StdError>>;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dimensions: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Args {
    today: NaiveDate,
    organisation: PathBuf,
    svg: Option<PathBuf>,
}

fn args() -> Res<Args> {
    let mut today = None;
    let mut positional = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--today" {
            let value = args.next().ok_or("--today needs a date, YYYY-MM-DD")?;
            let text = value.to_str().ok_or("--today needs a date, YYYY-MM-DD")?;
            today = Some(
                NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|e| format!("--today {text:?} is not a date YYYY-MM-DD: {e}"))?,
            );
        } else {
            positional.push(PathBuf::from(arg));
        }
    }
    if positional.len() > 2 {
        return Err(
            "usage: dimensions [--today YYYY-MM-DD] [organisation.json [picture.svg]]".into(),
        );
    }
    let mut positional = positional.into_iter();
    Ok(Args {
        // The host's clock: the library takes the day as an input.
        #[allow(clippy::disallowed_methods, reason = "the host reads the clock")]
        today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        organisation: positional
            .next()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_ORGANISATION)),
        svg: positional.next(),
    })
}

fn run() -> Res<()> {
    let args = args()?;
    let text = std::fs::read_to_string(&args.organisation)
        .map_err(|e| format!("cannot read {}: {e}", args.organisation.display()))?;
    let org: Organisation = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not an organisation: {e}",
            args.organisation.display()
        )
    })?;
    let deps_path = args.organisation.with_file_name("dependencies.json");
    let deps = if deps_path.is_file() {
        let text = std::fs::read_to_string(&deps_path)
            .map_err(|e| format!("cannot read {}: {e}", deps_path.display()))?;
        serde_json::from_str::<Dependencies>(&text)
            .map_err(|e| format!("{} is not a list of dependencies: {e}", deps_path.display()))?
    } else {
        Dependencies::none()
    };
    let settings = Settings::new(args.today);
    let report = assess(&org, &deps, &settings)?;

    overview(&args.organisation, &org, &deps, &settings);
    for (service, assessed) in org.services().iter().zip(&report.services) {
        print_service(&service.name, assessed);
    }
    summary(&report);
    improvements(&org, &deps, &settings, &report)?;

    println!("\n== Picture ==");
    let svg_path = match args.svg {
        Some(path) => path,
        None => {
            // The default's own folder is the only one this example creates.
            std::fs::create_dir_all(DEFAULT_TARGET)
                .map_err(|e| format!("cannot create {DEFAULT_TARGET}: {e}"))?;
            Path::new(DEFAULT_TARGET).join("dimensions.svg")
        }
    };
    std::fs::write(&svg_path, render_svg(&org, &report))
        .map_err(|e| format!("cannot write {}: {e}", svg_path.display()))?;
    println!("  svg: {}", svg_path.canonicalize()?.display());
    Ok(())
}

fn overview(path: &Path, org: &Organisation, deps: &Dependencies, settings: &Settings) {
    let spec = org.spec();
    println!(
        "Four-dimension assessment of {} on {}",
        path.display(),
        settings.today
    );
    println!(
        "  {} services, {} people, {} teams, {} practices, {} suppliers, {} contracts, {} configuration items, {} data assets",
        spec.services.len(),
        spec.people.len(),
        spec.teams.len(),
        spec.practices.len(),
        spec.suppliers.len(),
        spec.contracts.len(),
        spec.configuration_items.len(),
        spec.data_assets.len()
    );
    println!(
        "  {} dependency edges over {} nodes; contracts ending within {} are findings; equal weights",
        deps.edges().len(),
        deps.node_count(),
        itsm_core::duration::format(settings.notice)
    );
}

fn print_service(name: &str, s: &ServiceAssessment) {
    println!("\n== {} ({name}): balanced score {} ==", s.service, s.score);
    for d in &s.dimensions {
        println!(
            "  {:<28} score {:>3}  coverage {}/{} ({}%)",
            d.dimension.name(),
            d.score,
            d.coverage.covered,
            d.coverage.total,
            d.coverage.percent()
        );
        for f in &d.findings {
            println!("    {f}");
        }
    }
    if s.concentration.is_empty() {
        println!("  supplier concentration: none");
    } else {
        let parts: Vec<String> = s
            .concentration
            .iter()
            .map(|c| format!("{} (via {})", c.supplier, c.via.join(", ")))
            .collect();
        println!("  supplier concentration: {}", parts.join("; "));
    }
}

fn summary(report: &Assessment) {
    println!("\n== Summary (scores out of 100) ==");
    println!(
        "  {:<12} {:>5} {:>5} {:>5} {:>5} {:>9} {:>9}",
        "service", "O&P", "I&T", "P&S", "VS&P", "balanced", "findings"
    );
    for s in &report.services {
        let score = |d| s.dimension(d).map_or(0, |r| r.score);
        println!(
            "  {:<12} {:>5} {:>5} {:>5} {:>5} {:>9} {:>9}",
            s.service,
            score(Dimension::OrganizationsAndPeople),
            score(Dimension::InformationAndTechnology),
            score(Dimension::PartnersAndSuppliers),
            score(Dimension::ValueStreamsAndProcesses),
            s.score,
            s.findings().count()
        );
    }
}

/// A round of planned actions, applied to a copy of the data, assessed again and compared:
/// email gets an owner, a renewed mail contract and a fallback relay, the web shop's fix step
/// a team, and the warehouse loses its second shift lead (so something gets worse too).
fn improvements(
    org: &Organisation,
    deps: &Dependencies,
    settings: &Settings,
    before: &Assessment,
) -> Res<()> {
    let mut spec = org.spec().clone();
    for service in &mut spec.services {
        match service.id.as_str() {
            "email" => service.owner = Some("kim".into()),
            "web-shop" => {
                for step in service
                    .value_streams
                    .iter_mut()
                    .flat_map(|v| v.steps.iter_mut())
                {
                    if step.teams.is_empty() {
                        step.teams.push("platform".into());
                    }
                }
            }
            "warehouse" => {
                for role in &mut service.roles {
                    role.people.retain(|p| p != "eli");
                }
            }
            _ => {}
        }
    }
    for contract in &mut spec.contracts {
        if contract.supplier == "postbox" {
            contract.end = settings
                .today
                .checked_add_signed(chrono::Duration::days(365));
        }
    }
    let mut edges: Vec<Dependency> = deps.edges().to_vec();
    for edge in &mut edges {
        if edge.from == "email" && edge.on == ["mail-relay"] {
            edge.on.push("smtp-fallback".into());
        }
    }
    let after = assess(
        &Organisation::new(spec)?,
        &Dependencies::new(edges)?,
        settings,
    )?;
    print_comparison(&compare(before, &after));
    Ok(())
}

fn print_comparison(diff: &Comparison) {
    println!("\n== Continual improvement: after the planned actions ==");
    println!(
        "  (email gets an owner, a renewed mail contract and a fallback relay; the web shop's fix step a team; the warehouse loses a shift lead)"
    );
    for s in &diff.services {
        if s.is_unchanged() {
            println!("  {}: unchanged ({})", s.service, s.after);
            continue;
        }
        let moves: Vec<String> = s
            .dimensions
            .iter()
            .filter(|d| d.before != d.after)
            .map(|d| format!("{} {} -> {}", d.dimension.name(), d.before, d.after))
            .collect();
        println!(
            "  {}: {} -> {} ({})",
            s.service,
            s.before,
            s.after,
            moves.join(", ")
        );
        for f in &s.resolved {
            println!("    improved: {} {} resolved", f.rule, f.subject);
        }
        for f in &s.new {
            println!("    worse: {}", f);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The picture: a hand-written SVG bar chart, four bars per service and its balanced score
// ---------------------------------------------------------------------------------------

const COLOURS: [&str; 4] = ["#1b9e77", "#7570b3", "#d95f02", "#e7298a"];

fn render_svg(org: &Organisation, report: &Assessment) -> String {
    let (left, top, plot_h, bar, gap, group_gap) = (60.0, 70.0, 300.0, 22.0, 4.0, 40.0);
    let group_w = 4.0 * bar + 3.0 * gap;
    let n = report.services.len() as f64;
    let width = left + n * (group_w + group_gap) + 220.0;
    let height = top + plot_h + 90.0;
    let y = |score: u32| top + plot_h * (1.0 - f64::from(score.min(100)) / 100.0);
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{left}" y="28" font-size="16" font-weight="bold">Four dimensions per service, {}</text>"#,
        report.today
    );
    let _ = writeln!(
        s,
        r##"<text x="{left}" y="48" fill="#555">scores out of 100; the black line is the balanced score</text>"##
    );
    for tick in (0..=100).step_by(20) {
        let ty = y(tick);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{tick}</text>"##,
            width - 200.0,
            left - 6.0,
            ty + 4.0
        );
    }
    for (i, assessed) in report.services.iter().enumerate() {
        let x0 = left + group_gap / 2.0 + i as f64 * (group_w + group_gap);
        let name = org
            .service(&assessed.service)
            .map_or(assessed.service.as_str(), |s| s.name.as_str());
        let _ = writeln!(
            s,
            "<g><title>{}: balanced {}</title>",
            xml(name),
            assessed.score
        );
        for (k, d) in assessed.dimensions.iter().enumerate() {
            let x = x0 + k as f64 * (bar + gap);
            let by = y(d.score);
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{by:.1}" width="{bar}" height="{:.1}" fill="{}"><title>{}: {}</title></rect>"#,
                top + plot_h - by,
                COLOURS.get(k).copied().unwrap_or("#999"),
                xml(d.dimension.name()),
                d.score
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"#,
                x + bar / 2.0,
                by - 3.0,
                d.score
            );
        }
        let _ = writeln!(
            s,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="black" stroke-width="2"/>"#,
            x0 - 4.0,
            y(assessed.score),
            x0 + group_w + 4.0,
            y(assessed.score)
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{} findings</text></g>"##,
            x0 + group_w / 2.0,
            top + plot_h + 20.0,
            xml(name),
            x0 + group_w / 2.0,
            top + plot_h + 36.0,
            assessed.findings().count()
        );
    }
    let lx = width - 190.0;
    for (k, d) in Dimension::ALL.iter().enumerate() {
        let ly = top + 10.0 + k as f64 * 22.0;
        let _ = writeln!(
            s,
            r#"<rect x="{lx:.1}" y="{:.1}" width="14" height="14" fill="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            ly - 11.0,
            COLOURS.get(k).copied().unwrap_or("#999"),
            lx + 20.0,
            ly,
            xml(d.name())
        );
    }
    s.push_str("</svg>\n");
    s
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
