//! The trend panels (TRENDS.md section 7): reputation, storage, hourly statistics and payout
//! history of the chosen view, one node or all nodes, one file each (`reputation.rs`,
//! `storage.rs`, `hourly.rs`, `payouts.rs`; their SVG charts in `trend_charts.rs`). Every figure
//! comes ready-made in [`model::view::Analysis::trends`]; this file lays the panels out and holds
//! what they share: the empty states and the times shown in the viewer's local time.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::app::AppState;
use crate::hourly::HourlyPanel;
use crate::payouts::PayoutPanel;
use crate::reputation::ReputationPanel;
use crate::storage::StoragePanel;
use model::trends_view::StorageWindow;

/// The four panels, in the dashboard after the earnings. The storage window is the page's own
/// choice (no request): it lives here so that it outlasts each new analysis.
#[component]
pub fn TrendsSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let window = RwSignal::new(StorageWindow::Day7);
    // Drawn again only when the trends change (another node or now), not on every click.
    let trends = state.slice(|a| (a.trends.clone(), a.now_iso.clone()));
    view! {
        {move || trends.with(|t| t.as_ref().map(|(t, now)| {
            view! { <ReputationPanel t=t.clone() now_ms=iso_ms(now) /> }
        }))}
        {move || trends.with(|t| t.as_ref().map(|(t, now)| {
            view! { <StoragePanel t=t.clone() window=window now_ms=iso_ms(now) /> }
        }))}
        {move || trends.with(|t| t.as_ref().map(|(t, _)| view! { <HourlyPanel t=t.clone() /> }))}
        {move || trends.with(|t| t.as_ref().map(|(t, _)| view! { <PayoutPanel t=t.clone() /> }))}
    }
}

/// Why a panel has nothing to show: the file has no such table (the monitor did not record it),
/// or the table has no rows for this view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Table,
    Rows,
}

impl Missing {
    pub fn of(table_present: bool) -> Missing {
        if table_present {
            Missing::Rows
        } else {
            Missing::Table
        }
    }

    fn reason(self) -> &'static str {
        match self {
            Missing::Table => "missing-table",
            Missing::Rows => "no-rows",
        }
    }
}

/// A panel's empty state (`data-testid="trend-empty"`, `data-panel`, `data-reason`).
#[component]
pub fn TrendEmpty(panel: &'static str, missing: Missing, message: String, #[prop(optional)] hint: Option<String>) -> impl IntoView {
    view! {
        <div class="trend-empty" data-testid="trend-empty" data-panel=panel data-reason=missing.reason()>
            <p>{message}</p>
            {hint.map(|h| view! { <p class="hint muted">{h}</p> })}
        </div>
    }
}

/// The view in words for the empty states: the node's name, or "any node".
pub fn scope(node: &Option<String>) -> String {
    node.clone().unwrap_or_else(|| "any node".to_string())
}

// ----- times --------------------------------------------------------------------------------

/// Milliseconds since the Unix epoch of a stored RFC 3339 timestamp (`…+00:00`, `….000Z`).
pub fn iso_ms(iso: &str) -> Option<f64> {
    model::view::parse_now(iso).map(|us| us as f64 / 1000.0)
}

fn date(ms: f64) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(ms))
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// "14:07" in the viewer's local time.
pub fn local_clock(ms: f64) -> String {
    let d = date(ms);
    format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
}

/// "Oct 4" in the viewer's local time.
pub fn local_day(ms: f64) -> String {
    let d = date(ms);
    format!("{} {}", MONTHS[(d.get_month() as usize).min(11)], d.get_date())
}

/// "Oct 4, 14:07" in the viewer's local time.
pub fn local_moment(ms: f64) -> String {
    format!("{}, {}", local_day(ms), local_clock(ms))
}

/// A stored timestamp in the viewer's local time ("Oct 4, 14:07"), or as stored when it does
/// not parse.
pub fn local_text(iso: &str) -> String {
    iso_ms(iso).map_or_else(|| iso.to_string(), local_moment)
}

/// The viewer's offset from UTC at `ms`, in milliseconds (local = UTC + offset).
pub fn local_offset_ms(ms: f64) -> f64 {
    -date(ms).get_timezone_offset() * 60_000.0
}

/// The viewer's time zone as "UTC", "UTC+2" or "UTC−5:30" (at `ms`).
pub fn zone_label(ms: f64) -> String {
    let minutes = (local_offset_ms(ms) / 60_000.0).round() as i64;
    if minutes == 0 {
        return "UTC".into();
    }
    let sign = if minutes > 0 { "+" } else { "−" };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    if m == 0 {
        format!("UTC{sign}{h}")
    } else {
        format!("UTC{sign}{h}:{m:02}")
    }
}
