//! The summary cards: the success rates of audits, downloads, uploads and repair with their
//! counts; the time range, the versions seen, the lines not understood.

use leptos::prelude::*;

use super::{n, rate_text};
use model::log_report::LogReport;

/// Whole hours from `last` to `now` (both UTC `…Z`), when both parse.
fn hours_before(last: Option<&str>, now: Option<&str>) -> Option<i64> {
    let ms = |s: &str| model::view::parse_now(s).map(|us| us / 1_000_000);
    let (l, n) = (ms(last?)?, ms(now?)?);
    Some((n - l) / 3600)
}

fn when(iso: &Option<String>) -> String {
    iso.as_deref().map_or_else(|| "—".to_string(), |s| s.replacen('T', " ", 1).replace('Z', " UTC"))
}

#[component]
pub fn Summary(report: LogReport) -> impl IntoView {
    let c = &report.categories;
    let s = &report.summary;
    let repair_ok = c.repair_download.success + c.repair_upload.success;
    let repair_total = c.repair_download.total + c.repair_upload.total;
    let card = |testid: &'static str, label: &'static str, rate: Option<f64>, ok: u64, total: u64| {
        view! {
            <div class="summary-card log-card" data-testid=testid data-value=rate.map(|r| r.to_string()).unwrap_or_default()>
                <span class="label">{label}</span>
                <span class="value">{rate_text(rate)}</span>
                <span class="note">{format!("{} of {} succeeded", n(ok), n(total))}</span>
            </div>
        }
    };
    let ago = hours_before(report.time_range.last.as_deref(), report.now.as_deref()).filter(|h| *h >= 1);
    let versions = report.versions.iter().map(|v| v.version.clone()).collect::<Vec<_>>().join(", ");
    let skipped = report.lines.not_understood;
    view! {
        <section class="card log-summary" data-testid="log-summary" aria-label="Log summary">
            <h2>"What the node did"</h2>
            <div class="summary">
                {card("log-card-audit", "Audits", s.audit_success_rate, c.audit.success, c.audit.total)}
                {card("log-card-download", "Downloads", s.download_success_rate, c.download.success, c.download.total)}
                {card("log-card-upload", "Uploads", s.upload_success_rate, c.upload.success, c.upload.total)}
                {card("log-card-repair", "Repair", s.repair_success_rate, repair_ok, repair_total)}
            </div>
            <p class="log-range" data-testid="log-range">
                {format!("{} → {}", when(&report.time_range.first), when(&report.time_range.last))}
                {ago.map(|h| view! { <span class="tag" data-testid="log-old">{format!("ends {h} h before now")}</span> })}
                {format!(" · {} lines", n(report.lines.read))}
            </p>
            {(!versions.is_empty()).then(|| view! { <p class="muted" data-testid="log-versions">{format!("Node versions seen: {versions}")}</p> })}
            {(skipped > 0).then(|| view! {
                <p class="muted"><a href="#log-diagnostics" data-testid="log-not-understood">{format!("{} lines not understood", n(skipped))}</a></p>
            })}
        </section>
    }
}
