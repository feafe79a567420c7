//! A hand-written SVG line chart of percentages, shared by the examples that draw one
//! (`sla-uci`: attainment against target length; `staffing`: attainment against agents).

use std::fmt::Write as _;

/// One line of a chart: its label and its (x, percentage) points.
pub type Series = (String, Vec<(f64, f64)>);

/// How the x axis is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XAxis {
    /// Log scale, ticks at 1, 2 and 5 times each power of ten.
    Log10,
    /// Linear, a tick at every whole number.
    Whole,
}

/// A line chart of percentages (the y axis runs from 0 to 100%).
#[derive(Debug, Clone)]
pub struct LineChart<'a> {
    /// The title above the chart.
    pub title: &'a str,
    /// The x axis's label.
    pub x_label: &'a str,
    /// The y axis's label.
    pub y_label: &'a str,
    /// How the x axis is laid out.
    pub x_axis: XAxis,
    /// The percentages with a grid line.
    pub y_ticks: &'a [f64],
}

const W: f64 = 720.0;
const H: f64 = 420.0;
const L: f64 = 70.0;
const R: f64 = 190.0;
const T: f64 = 40.0;
const B: f64 = 60.0;
const COLORS: [&str; 6] = [
    "#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#555555",
];

/// Text as XML character data (`&`, `<` and `>` as entities), for SVG titles and labels.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl LineChart<'_> {
    /// The chart of `series` as SVG text.
    pub fn render(&self, series: &[Series]) -> String {
        let scale = |x: f64| match self.x_axis {
            XAxis::Log10 => x.max(1e-3).log10(),
            XAxis::Whole => x,
        };
        let (x0, x1) = series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|(x, _)| scale(*x)))
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
        let (x0, x1) = match (x0 < x1, self.x_axis) {
            (true, _) => (x0, x1),
            (false, XAxis::Log10) => (0.0, 1.0),
            // One point, or none: a unit either side (none: around 0).
            (false, XAxis::Whole) if x0 <= x1 => (x0 - 1.0, x0 + 1.0),
            (false, XAxis::Whole) => (-1.0, 1.0),
        };
        let px = |x: f64| L + (scale(x) - x0) / (x1 - x0) * (W - L - R);
        let py = |y: f64| T + (100.0 - y.clamp(0.0, 100.0)) / 100.0 * (H - T - B);
        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="22" text-anchor="middle" font-size="15">{}</text>"#,
            (W - R + L) / 2.0,
            escape(self.title)
        );
        for y in self.y_ticks {
            let _ = writeln!(
                s,
                r##"<line x1="{L}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{y}%</text>"##,
                W - R,
                py(*y),
                py(*y),
                L - 6.0,
                py(*y) + 4.0
            );
        }
        let mut x_tick = |v: f64| {
            let _ = writeln!(
                s,
                r##"<line x1="{:.1}" x2="{:.1}" y1="{T}" y2="{}" stroke="#eee"/><text x="{:.1}" y="{}" text-anchor="middle">{v}</text>"##,
                px(v),
                px(v),
                H - B,
                px(v),
                H - B + 16.0
            );
        };
        match self.x_axis {
            XAxis::Log10 => {
                let mut decade = 10f64.powf(x0.floor());
                while decade.log10() <= x1 + 1e-9 {
                    for m in [1.0, 2.0, 5.0] {
                        let v = decade * m;
                        if v.log10() >= x0 - 1e-9 && v.log10() <= x1 + 1e-9 {
                            x_tick(v);
                        }
                    }
                    decade *= 10.0;
                }
            }
            XAxis::Whole => {
                let mut v = x0.ceil();
                while v <= x1 + 1e-9 {
                    x_tick(v);
                    v += 1.0;
                }
            }
        }
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            (W - R + L) / 2.0,
            H - 18.0,
            escape(self.x_label)
        );
        let _ = writeln!(
            s,
            r#"<text x="18" y="{}" text-anchor="middle" transform="rotate(-90 18 {})">{}</text>"#,
            (H - B + T) / 2.0,
            (H - B + T) / 2.0,
            escape(self.y_label)
        );
        let _ = writeln!(
            s,
            r#"<rect x="{L}" y="{T}" width="{}" height="{}" fill="none" stroke="black"/>"#,
            W - L - R,
            H - T - B
        );
        for (k, (label, points)) in series.iter().enumerate() {
            let color = COLORS.get(k % COLORS.len()).copied().unwrap_or("black");
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
            let ly = T + 20.0 + 20.0 * k as f64;
            let _ = writeln!(
                s,
                r#"<line x1="{}" x2="{}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="3"/><text x="{}" y="{}">{}</text>"#,
                W - R + 12.0,
                W - R + 36.0,
                W - R + 42.0,
                ly + 4.0,
                escape(label)
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_a_line_a_legend_and_escaped_text_per_series() {
        let chart = LineChart {
            title: "A & B",
            x_label: "agents",
            y_label: "attainment",
            x_axis: XAxis::Whole,
            y_ticks: &[0.0, 50.0, 100.0],
        };
        let svg = chart.render(&[
            ("p1 <fast>".into(), vec![(1.0, 20.0), (2.0, 80.0)]),
            ("p2".into(), vec![(1.0, 10.0), (3.0, 100.0)]),
        ]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.contains(">A &amp; B</text>"));
        assert!(svg.contains(">p1 &lt;fast&gt;</text>"));
        // Whole ticks 1, 2 and 3; grid lines at 0, 50 and 100%.
        assert_eq!(svg.matches(r#"text-anchor="middle">2</text>"#).count(), 1);
        assert!(svg.contains(">50%</text>"));
    }

    #[test]
    fn a_log_axis_ticks_one_two_five_and_no_points_still_draws() {
        let chart = LineChart {
            title: "t",
            x_label: "hours",
            y_label: "%",
            x_axis: XAxis::Log10,
            y_ticks: &[0.0, 100.0],
        };
        let svg = chart.render(&[("s".into(), vec![(1.0, 50.0), (100.0, 60.0)])]);
        for v in ["1", "2", "5", "10", "20", "50", "100"] {
            let tick = format!(r#"text-anchor="middle">{v}</text>"#);
            assert!(svg.contains(&tick), "tick {v}");
        }
        let empty = chart.render(&[]);
        assert!(empty.ends_with("</svg>\n") && !empty.contains("NaN"));
    }
}
