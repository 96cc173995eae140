//! Why transfers failed or were canceled: the top reasons per category and status with counts,
//! each list expandable to the whole of it.

use leptos::prelude::*;

use super::n;
use model::log_report::{LogReport, ReasonCount};

const TOP: usize = 5;

fn list(cat: &'static str, status: &'static str, items: Vec<ReasonCount>) -> impl IntoView {
    let total: u64 = items.iter().map(|r| r.count).sum();
    let row = |r: ReasonCount| view! { <li><span class="count">{n(r.count)}</span> <span class="reason">{r.reason}</span></li> };
    let rest: Vec<ReasonCount> = items.iter().skip(TOP).cloned().collect();
    let more = rest.len();
    view! {
        <div class="reasons" data-category=cat data-status=status>
            <h4>{format!("{status} ({})", n(total))}</h4>
            <ol>{items.into_iter().take(TOP).map(row).collect_view()}</ol>
            {(more > 0).then(|| view! {
                <details>
                    <summary>{format!("{more} more")}</summary>
                    <ol start=(TOP + 1).to_string()>{rest.into_iter().map(row).collect_view()}</ol>
                </details>
            })}
        </div>
    }
}

#[component]
pub fn Failures(report: LogReport) -> impl IntoView {
    let f = report.failure_reasons;
    let cats = [
        ("audit", "Audits", f.audit),
        ("download", "Downloads", f.download),
        ("upload", "Uploads", f.upload),
        ("repair_download", "Repair downloads", f.repair_download),
        ("repair_upload", "Repair uploads", f.repair_upload),
    ];
    let any = cats.iter().any(|(_, _, l)| !l.failed.is_empty() || !l.canceled.is_empty());
    view! {
        <section class="card" data-testid="log-failures">
            <h2>"Failures and cancels"</h2>
            {(!any).then(|| view! { <p class="muted">"No transfer failed or was canceled."</p> })}
            <div class="reason-grid">
                {cats.into_iter().filter(|(_, _, l)| !l.failed.is_empty() || !l.canceled.is_empty()).map(|(key, label, l)| view! {
                    <div class="reason-cat" data-category=key>
                        <h3>{label}</h3>
                        {(!l.failed.is_empty()).then(|| list(key, "failed", l.failed.clone()))}
                        {(!l.canceled.is_empty()).then(|| list(key, "canceled", l.canceled.clone()))}
                    </div>
                }).collect_view()}
            </div>
            <p class="footnote">"Addresses show as ADDR and other numbers as N, so that the same reason counts once."</p>
        </section>
    }
}
