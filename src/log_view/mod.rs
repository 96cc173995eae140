//! The node log's view (LOGS.md §5): the report of `model::log_report` as it is, one file per
//! panel. The page computes nothing but presentation (formatting, the chart's geometry, the
//! chosen category and time zone of the hourly chart).

mod categories;
mod compat;
mod diagnostics;
mod failures;
mod hourly_chart;
mod satellites;
mod summary;

use leptos::prelude::*;

use model::log_report::LogReport;

/// A rate for people: "97.25 %", or "—" when there is nothing to divide by.
pub fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{r:.2} %"))
}

/// A count with thousands separators.
pub fn n(v: u64) -> String {
    model::format::group_thousands(v)
}

/// The whole log view.
#[component]
pub fn LogView(report: LogReport) -> impl IntoView {
    view! {
        <div class="log-view">
            <summary::Summary report=report.clone() />
            <categories::Categories report=report.clone() />
            <satellites::Satellites report=report.clone() />
            <hourly_chart::HourlyChart report=report.clone() />
            <failures::Failures report=report.clone() />
            <compat::Compat report=report.clone() />
            <diagnostics::LogDiagnostics report=report />
        </div>
    }
}
