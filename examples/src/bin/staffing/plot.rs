//! A hand-written SVG line chart: attainment (%) against agents.

use std::fmt::Write as _;

/// One line: its label and (agents, attainment %) points.
pub type Line = (String, Vec<(f64, f64)>);

/// The chart as SVG text; the x axis runs over the agents swept, the y axis from 0 to 100%.
pub fn chart(title: &str, lines: &[Line]) -> String {
    const W: f64 = 720.0;
    const H: f64 = 420.0;
    const L: f64 = 70.0;
    const R: f64 = 190.0;
    const T: f64 = 40.0;
    const B: f64 = 60.0;
    let xs = lines.iter().flat_map(|(_, p)| p.iter().map(|(x, _)| *x));
    let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let (x0, x1) = if x0 < x1 {
        (x0, x1)
    } else {
        (x0 - 1.0, x0 + 1.0)
    };
    let px = |x: f64| L + (x - x0) / (x1 - x0) * (W - L - R);
    let py = |y: f64| T + (100.0 - y.clamp(0.0, 100.0)) / 100.0 * (H - T - B);
    let colors = [
        "#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#555555",
    ];
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{title}</text>"#,
        (W - R + L) / 2.0
    );
    for y in [0.0, 25.0, 50.0, 75.0, 90.0, 100.0] {
        let _ = writeln!(
            s,
            r##"<line x1="{L}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{y}%</text>"##,
            W - R,
            py(y),
            py(y),
            L - 6.0,
            py(y) + 4.0
        );
    }
    let mut x = x0.ceil();
    while x <= x1 + 1e-9 {
        let _ = writeln!(
            s,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{T}" y2="{}" stroke="#eee"/><text x="{:.1}" y="{}" text-anchor="middle">{x}</text>"##,
            px(x),
            px(x),
            H - B,
            px(x),
            H - B + 16.0
        );
        x += 1.0;
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">agents on duty (around the clock)</text>"#,
        (W - R + L) / 2.0,
        H - 18.0
    );
    let _ = writeln!(
        s,
        r#"<text x="18" y="{}" text-anchor="middle" transform="rotate(-90 18 {})">SLA attainment</text>"#,
        (H - B + T) / 2.0,
        (H - B + T) / 2.0
    );
    for (i, (label, points)) in lines.iter().enumerate() {
        let color = colors.get(i % colors.len()).copied().unwrap_or("#000");
        let path: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(*y)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"#,
            path.join(" ")
        );
        for (x, y) in points {
            let _ = writeln!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{color}"/>"#,
                px(*x),
                py(*y)
            );
        }
        let ly = T + 10.0 + 20.0 * i as f64;
        let _ = writeln!(
            s,
            r#"<line x1="{}" x2="{}" y1="{ly:.1}" y2="{ly:.1}" stroke="{color}" stroke-width="2"/><text x="{}" y="{:.1}">{label}</text>"#,
            W - R + 12.0,
            W - R + 32.0,
            W - R + 38.0,
            ly + 4.0
        );
    }
    s.push_str("</svg>\n");
    s
}
