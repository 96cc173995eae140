//! The node view (NODE_DATA.md §5.1): what the node's own databases say about a month, laid out
//! like the monitor dashboard, one file per panel. It renders a `NodeReport` as it is: every
//! figure was computed by the worker (crates/node); the month select asks for another month.

mod cards;
mod charts;
mod earnings;
mod files;
mod history;
mod reputation;

use leptos::prelude::*;
use model::node_report::{NodeFile, NodeReport};

/// `$` with `decimals` decimals as earnings.py prints it ("$0.2117", "-$0.50").
pub(crate) fn usd(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let text = format!("{:.decimals$}", x.abs());
    let zero = text.trim_start_matches(['0', '.']).is_empty();
    if x < 0.0 && !zero {
        format!("-${text}")
    } else {
        format!("${text}")
    }
}

/// A percentage with 2 decimals ("0.43%").
pub(crate) fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}%")
    } else {
        "—".into()
    }
}

/// Sizes as earnings.py writes them (powers of 1000, 2 decimals).
pub(crate) fn size(bytes: f64) -> String {
    model::node_report::format_size(bytes)
}

/// The report's `now` for people: "2025-04-14 09:30:00 UTC".
fn as_of(now: &str) -> String {
    let base = now.trim_end_matches('Z').replacen('T', " ", 1);
    format!("{} UTC", base.split('.').next().unwrap_or(&base))
}

#[component]
pub fn NodeView(report: NodeReport, on_month: Callback<String>) -> impl IntoView {
    let current = report.mode == "current";
    let mut months = report.months.clone();
    if !months.contains(&report.month) {
        months.insert(0, report.month.clone());
    }
    let month = report.month.clone();
    let on_change = move |ev: leptos::ev::Event| on_month.run(event_target_value(&ev));
    let source = match report.now_source.as_str() {
        "given" => "as given",
        "newest-record" => "the newest record in the files",
        _ => "the clock (the files hold no record)",
    };
    let empty = report.satellites.is_empty();
    let notes = report.notes.iter().map(|n| match (n.kind.as_str(), n.percent) {
        ("first-days", _) => "Stats reported by the satellites may be inaccurate during the first few days of the month.".to_string(),
        ("deviation", Some(p)) => format!(
            "Disk Last Report deviates {p:.2}% from Disk Average So Far: the satellites' last report may temporarily be inaccurate (it affects Disk Last Report, Uncollected Garbage and Total Unpaid Data)."
        ),
        (kind, _) => kind.to_string(),
    });
    let notes: Vec<String> = notes.collect();
    let warnings = report.warnings.clone();
    let mode = report.mode.clone();
    view! {
        <div class="dashboard node-view" data-testid="node-view" data-month=month.clone() data-mode=mode>
            <section class="card node-head">
                <div class="file-head">
                    <files::FilesPanel files=report.files.clone() />
                    <div class="as-of">
                        <p>"As of " <strong data-testid="as-of" data-now=report.now.clone()>{as_of(&report.now)}</strong></p>
                        <p class="muted">{format!("“Now” is {source}.")}</p>
                        <label>
                            <span class="label">"Month"</span>
                            <select data-testid="period-select" on:change=on_change>
                                {months.into_iter().map(|m| {
                                    let selected = m == month;
                                    view! { <option value=m.clone() selected=selected>{m.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <p class="muted">{if current { "Current month: figures so far and the end-of-month estimate." } else { "Closed month: with the satellites' paystubs." }}</p>
                    </div>
                </div>
            </section>
            {(!notes.is_empty()).then(|| view! {
                <section class="card node-notes" data-testid="node-notes">
                    {notes.into_iter().map(|n| view! { <p class="note">{format!("Note: {n}")}</p> }).collect_view()}
                </section>
            })}
            {(!warnings.is_empty()).then(|| view! {
                <details class="card warnings" data-testid="node-warnings">
                    <summary>{format!("{} warning{}", warnings.len(), if warnings.len() == 1 { "" } else { "s" })}</summary>
                    <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                </details>
            })}
            {if empty {
                view! {
                    <section class="card node-empty" data-testid="node-empty">
                        <h2>"No data for " {report.month.clone()}</h2>
                        <p class="muted">"The node's databases hold no bandwidth, storage tally or disk usage for this month: the node may not have existed yet. Pick another month."</p>
                    </section>
                }.into_any()
            } else {
                view! {
                    <cards::NodeCards report=report.clone() />
                    <earnings::NodeEarnings report=report.clone() />
                    <charts::BandwidthChart report=report.clone() />
                    <charts::StorageChart report=report.clone() />
                }.into_any()
            }}
            <history::PayoutHistory report=report.clone() />
            <reputation::ReputationTable report=report />
        </div>
    }
}

/// The files so far while the set is incomplete (the page waits for more).
#[component]
pub fn NodeFilesPanel(files: Vec<NodeFile>) -> impl IntoView {
    view! { <section class="card node-head"><files::FilesPanel files=files /></section> }
}
