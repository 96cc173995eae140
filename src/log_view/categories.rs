//! The categories table: success, canceled, failed (audits: critical and recoverable), total,
//! rates and logged bytes per category; uploads add rejected and the acceptance rate.

use leptos::prelude::*;

use super::{n, rate_text};
use model::format::human_bytes;
use model::log_report::{LogReport, StatusBytes};

struct Row {
    key: &'static str,
    label: &'static str,
    success: u64,
    canceled: Option<u64>,
    failed: String,
    total: u64,
    rates: [Option<f64>; 3],
    bytes: Option<StatusBytes>,
    extra: Option<String>,
}

fn bytes_text(b: &Option<StatusBytes>) -> (String, String) {
    match b {
        Some(b) => (
            human_bytes(b.success + b.canceled + b.failed),
            format!("success {} · canceled {} · failed {}", human_bytes(b.success), human_bytes(b.canceled), human_bytes(b.failed)),
        ),
        None => ("—".to_string(), String::new()),
    }
}

#[component]
pub fn Categories(report: LogReport) -> impl IntoView {
    let c = report.categories;
    let transfer = |key, label, t: &model::log_report::TransferCategory| Row {
        key,
        label,
        success: t.success,
        canceled: Some(t.canceled),
        failed: n(t.failed),
        total: t.total,
        rates: [t.success_rate, t.cancel_rate, t.fail_rate],
        bytes: Some(t.bytes.clone()),
        extra: None,
    };
    let rows = vec![
        Row {
            key: "audit",
            label: "Audits",
            success: c.audit.success,
            canceled: Some(c.audit.canceled),
            failed: format!(
                "{} ({} critical, {} recoverable)",
                n(c.audit.failed),
                n(c.audit.failed_critical),
                n(c.audit.failed_recoverable)
            ),
            total: c.audit.total,
            rates: [c.audit.success_rate, c.audit.cancel_rate, c.audit.fail_rate],
            bytes: Some(c.audit.bytes.clone()),
            extra: Some(format!(
                "critical {} · recoverable {}",
                rate_text(c.audit.critical_fail_rate),
                rate_text(c.audit.recoverable_fail_rate)
            )),
        },
        transfer("download", "Downloads", &c.download),
        Row {
            key: "upload",
            label: "Uploads",
            success: c.upload.success,
            canceled: Some(c.upload.canceled),
            failed: n(c.upload.failed),
            total: c.upload.total,
            rates: [c.upload.success_rate, c.upload.cancel_rate, c.upload.fail_rate],
            bytes: Some(c.upload.bytes.clone()),
            extra: Some(format!("{} rejected · acceptance {}", n(c.upload.rejected), rate_text(c.upload.acceptance_rate))),
        },
        transfer("repair_download", "Repair downloads", &c.repair_download),
        transfer("repair_upload", "Repair uploads", &c.repair_upload),
        Row {
            key: "delete",
            label: "Deletes",
            success: c.delete.success,
            canceled: None,
            failed: n(c.delete.failed),
            total: c.delete.total,
            rates: [c.delete.success_rate, None, c.delete.fail_rate],
            bytes: None,
            extra: (c.delete.total == 0).then(|| "nodes after v1.116 log no delete".to_string()),
        },
    ];
    view! {
        <section class="card" data-testid="log-categories">
            <h2>"Categories"</h2>
            <div class="scroll" tabindex="0" role="region" aria-label="Categories (scrolls sideways)">
                <table class="log-table cards">
                    <thead><tr>
                        <th scope="col">"Category"</th>
                        <th scope="col" class="num">"Success"</th>
                        <th scope="col" class="num">"Canceled"</th>
                        <th scope="col" class="num">"Failed"</th>
                        <th scope="col" class="num">"Total"</th>
                        <th scope="col" class="num">"Success rate"</th>
                        <th scope="col" class="num">"Cancel rate"</th>
                        <th scope="col" class="num">"Fail rate"</th>
                        <th scope="col" class="num" title="The sizes the node logged, not paid bytes: payment follows signed orders">"Logged bytes"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let (bytes, bytes_title) = bytes_text(&r.bytes);
                            view! {
                                <tr data-category=r.key>
                                    <th scope="row">{r.label}{r.extra.map(|e| view! { <small class="muted sub">{e}</small> })}</th>
                                    <td class="num" data-col="success" data-label="Success">{n(r.success)}</td>
                                    <td class="num" data-col="canceled" data-label="Canceled">{r.canceled.map_or("—".to_string(), n)}</td>
                                    <td class="num" data-col="failed" data-label="Failed">{r.failed}</td>
                                    <td class="num" data-col="total" data-label="Total">{n(r.total)}</td>
                                    <td class="num" data-col="success_rate" data-label="Success rate" data-value=r.rates[0].map(|v| v.to_string()).unwrap_or_default()>{rate_text(r.rates[0])}</td>
                                    <td class="num" data-col="cancel_rate" data-label="Cancel rate">{if r.canceled.is_some() { rate_text(r.rates[1]) } else { "—".to_string() }}</td>
                                    <td class="num" data-col="fail_rate" data-label="Fail rate">{rate_text(r.rates[2])}</td>
                                    <td class="num" data-col="bytes" data-label="Logged bytes" title=bytes_title>{bytes}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="footnote">"Logged bytes are the sizes in the node's own lines (downloads: bytes sent up to v1.98, requested since), not paid bytes: payment follows signed orders."</p>
        </section>
    }
}
