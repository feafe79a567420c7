//! Two SVG charts written by hand (no plotting dependency): a histogram of resolution times
//! and the backlog over time.

use std::fmt::Write;

use chrono::{DateTime, Duration, Utc};
use itsm_examples::svg::escape;

const W: f64 = 760.0;
const H: f64 = 420.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 70.0;

fn frame(out: &mut String, title: &str, y_label: &str, y_max: f64) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="{}" y="22" text-anchor="middle" font-size="15">{}</text>
<text x="16" y="{}" transform="rotate(-90 16 {})" text-anchor="middle">{}</text>
"#,
        W / 2.0,
        escape(title),
        TOP + (H - TOP - BOTTOM) / 2.0,
        TOP + (H - TOP - BOTTOM) / 2.0,
        escape(y_label)
    );
    for i in 0..=4 {
        let v = y_max * f64::from(i) / 4.0;
        let y = H - BOTTOM - (H - TOP - BOTTOM) * f64::from(i) / 4.0;
        let _ = writeln!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{v:.0}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
    let _ = writeln!(
        out,
        r#"<line x1="{LEFT}" y1="{}" x2="{}" y2="{}" stroke="black"/>"#,
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM
    );
}

/// The histogram's bins: upper bounds in hours (the last bin is open).
pub const BINS: [(f64, &str); 10] = [
    (1.0, "<1h"),
    (4.0, "1-4h"),
    (8.0, "4-8h"),
    (24.0, "8-24h"),
    (48.0, "1-2d"),
    (120.0, "2-5d"),
    (240.0, "5-10d"),
    (720.0, "10-30d"),
    (2160.0, "30-90d"),
    (f64::INFINITY, ">90d"),
];

/// How many of `durations` fall in each of [`BINS`].
pub fn bin(durations: &[Duration]) -> [u64; 10] {
    let mut counts = [0u64; 10];
    for d in durations {
        let hours = d.num_seconds() as f64 / 3600.0;
        let i = BINS
            .iter()
            .position(|(upper, _)| hours < *upper)
            .unwrap_or(BINS.len() - 1);
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    counts
}

/// A bar chart of `counts` over [`BINS`].
pub fn histogram(title: &str, counts: &[u64; 10]) -> String {
    let mut out = String::new();
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    frame(&mut out, title, "tickets", max);
    let width = (W - LEFT - RIGHT) / BINS.len() as f64;
    for (i, ((_, label), count)) in BINS.iter().zip(counts).enumerate() {
        let h = (H - TOP - BOTTOM) * (*count as f64) / max;
        let x = LEFT + width * i as f64;
        let label = escape(label);
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="#4477aa"><title>{label}: {count}</title></rect><text x="{:.1}" y="{}" text-anchor="middle">{label}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{count}</text>"##,
            x + 4.0,
            H - BOTTOM - h,
            width - 8.0,
            x + width / 2.0,
            H - BOTTOM + 16.0,
            x + width / 2.0,
            H - BOTTOM - h - 4.0
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle">time to resolve (first resolution, paused time counted)</text></svg>"#,
        W / 2.0,
        H - 30.0
    );
    out
}

/// A line of the open count at each sample, with the first and last dates under the axis.
pub fn backlog(title: &str, points: &[(DateTime<Utc>, u64)]) -> String {
    let mut out = String::new();
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    frame(&mut out, title, "open tickets", max);
    let n = points.len().max(2) - 1;
    let mut path = String::new();
    for (i, (_, open)) in points.iter().enumerate() {
        let x = LEFT + (W - LEFT - RIGHT) * i as f64 / n as f64;
        let y = H - BOTTOM - (H - TOP - BOTTOM) * (*open as f64) / max;
        let _ = write!(path, "{}{x:.1},{y:.1} ", if i == 0 { "M" } else { "L" });
    }
    let _ = writeln!(
        out,
        r##"<path d="{}" fill="none" stroke="#aa3377" stroke-width="1.5"/>"##,
        path.trim_end()
    );
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let _ = writeln!(
            out,
            r#"<text x="{LEFT}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text>"#,
            H - BOTTOM + 16.0,
            first.0.format("%Y-%m-%d"),
            W - RIGHT,
            H - BOTTOM + 16.0,
            last.0.format("%Y-%m-%d")
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle">daily samples at 00:00 UTC (new, open or pending)</text></svg>"#,
        W / 2.0,
        H - 30.0
    );
    out
}
