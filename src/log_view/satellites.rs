//! The satellites table: per satellite, its name and the four success rates with their totals;
//! race-lost cancels that could not be attributed in a footer.

use leptos::prelude::*;

use super::{n, rate_text};
use model::log_report::LogReport;

fn cell(col: &'static str, label: &'static str, rate: Option<f64>, ok: u64, total: u64) -> impl IntoView {
    view! {
        <td class="num" data-col=col data-label=label data-value=rate.map(|v| v.to_string()).unwrap_or_default() title=format!("{} of {} succeeded", n(ok), n(total))>
            {rate_text(rate)} <small class="muted">{format!(" of {}", n(total))}</small>
        </td>
    }
}

#[component]
pub fn Satellites(report: LogReport) -> impl IntoView {
    let u = report.unattributed;
    let unattributed = u.download_canceled + u.upload_canceled;
    view! {
        <section class="card" data-testid="log-satellites">
            <h2>"Per satellite"</h2>
            <div class="scroll" tabindex="0" role="region" aria-label="Per satellite (scrolls sideways)">
                <table class="log-table cards">
                    <thead><tr>
                        <th scope="col">"Satellite"</th>
                        <th scope="col" class="num">"Audits"</th>
                        <th scope="col" class="num">"Downloads"</th>
                        <th scope="col" class="num">"Uploads"</th>
                        <th scope="col" class="num">"Repair"</th>
                    </tr></thead>
                    <tbody>
                        {report.satellites.into_iter().map(|s| {
                            let c = s.categories;
                            let r_ok = c.repair_download.success + c.repair_upload.success;
                            let r_total = c.repair_download.total + c.repair_upload.total;
                            let r_rate = (r_total > 0).then(|| 100.0 * r_ok as f64 / r_total as f64);
                            view! {
                                <tr data-satellite=s.id.clone()>
                                    <th scope="row" class="sat">
                                        <span class="sat-name">{s.name.clone()}</span>
                                        {(s.name != s.id).then(|| view! { <span class="sat-id" title=s.id.clone()>{s.id.clone()}</span> })}
                                    </th>
                                    {cell("audit", "Audits", c.audit.success_rate, c.audit.success, c.audit.total)}
                                    {cell("download", "Downloads", c.download.success_rate, c.download.success, c.download.total)}
                                    {cell("upload", "Uploads", c.upload.success_rate, c.upload.success, c.upload.total)}
                                    {cell("repair", "Repair", r_rate, r_ok, r_total)}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {(unattributed > 0).then(|| view! {
                <p class="footnote" data-testid="log-unattributed">
                    {format!("{} race-lost cancels (\"canceled (race lost or node shutdown)\", {} downloads, {} uploads) name no transfer the log opened: counted under no satellite.",
                        n(unattributed), n(u.download_canceled), n(u.upload_canceled))}
                </p>
            })}
        </section>
    }
}
