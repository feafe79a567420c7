//! The staffing sweep's chart: attainment (%) against agents, through the shared
//! [`itsm_examples::svg::LineChart`].

use itsm_examples::svg::{LineChart, XAxis};

/// One line: its label and (agents, attainment %) points.
pub type Line = itsm_examples::svg::Series;

/// The chart as SVG text; the x axis runs over the agents swept, the y axis from 0 to 100%.
pub fn chart(title: &str, lines: &[Line]) -> String {
    LineChart {
        title,
        x_label: "agents on duty (around the clock)",
        y_label: "SLA attainment",
        x_axis: XAxis::Whole,
        y_ticks: &[0.0, 25.0, 50.0, 75.0, 90.0, 100.0],
    }
    .render(lines)
}
