//! earnings.py's report as a page (NODE_DATA.md §5.1): the upper block (traffic, disk, totals)
//! and the table, a block per satellite (`data-satellite` = its id) with its extra lines, the
//! TOTAL row (`"total"`), in the current month the estimate (`"estimate"`), then the payout lines.
//! Value cells carry `data-field` = the report's key.

use leptos::prelude::*;
use model::node_report::{NodeReport, Satellite};

use super::{pct, size, usd};

/// A value cell: `$` with `decimals`, its exact value in `data-value`.
fn money_td(field: &'static str, x: f64, decimals: usize) -> impl IntoView {
    view! { <td class="num" data-field=field data-value=x.to_string() title=format!("${x}")>{usd(x, decimals)}</td> }
}

/// The five amounts of a row: storage, egress, repair+audit, held, payout.
fn five(storage: f64, egress: f64, repair_audit: f64, held: f64, payout: f64) -> impl IntoView {
    view! {
        {money_td("storage", storage, 4)}
        {money_td("egress", egress, 4)}
        {money_td("repair_audit", repair_audit, 4)}
        {money_td("held", held, 4)}
        {money_td("payout", payout, 4)}
    }
}

/// An extra line under a row: label, then a value in the last column.
fn line(field: &'static str, label: String, x: f64) -> impl IntoView {
    view! {
        <tr class="extra" data-line=field>
            <td colspan="9" class="extra-label">{label}</td>
            <td class="num" data-field=field data-value=x.to_string() title=format!("${x}")>{usd(x, 4)}</td>
        </tr>
    }
}

/// The held-amount-returned pair of lines (a satellite's or the TOTAL's).
fn returned(held_returned: Option<f64>, after: Option<f64>, payout_after: Option<f64>) -> impl IntoView {
    held_returned.map(|r| {
        view! {
            <tr class="extra" data-line="held_returned">
                <td colspan="3" class="extra-label">"Held amount returned"</td>
                <td class="num" data-field="held_returned" data-value=r.to_string()>{usd(-r, 2)}</td>
                <td colspan="6" class="num">{format!("+{}", usd(r, 4))}</td>
            </tr>
            <tr class="extra" data-line="after_return">
                <td colspan="3" class="extra-label">"After return"</td>
                <td class="num" data-field="held_total_after_return" data-value=after.unwrap_or(0.0).to_string()>{usd(after.unwrap_or(0.0), 2)}</td>
                <td colspan="5"></td>
                <td class="num" data-field="payout_after_return" data-value=payout_after.unwrap_or(0.0).to_string()>{usd(payout_after.unwrap_or(0.0), 4)}</td>
            </tr>
        }
    })
}

fn satellite_rows(s: Satellite, current: bool) -> impl IntoView {
    let id = s.id.clone();
    let rep = s.reputation.clone();
    let status = s.status.clone().filter(|t| !t.is_empty());
    let joined = s.joined.clone().unwrap_or_else(|| "—".to_string());
    let month_nr = s.month_nr.map(|m| m.to_string()).unwrap_or_else(|| "—".to_string());
    let lines = [
        ("difference", "Difference (paystub − estimate)", s.difference),
        ("paid", "Paid", s.paid),
        ("paid_previous_months", "Paid previous months", s.paid_previous_months),
        ("paid_total", "Paid total", s.paid_total),
        ("paid_total_zksync_bonus", "Paid total + zkSync bonus", s.paid_total_zksync_bonus),
        ("payout_postponed", "Payout postponed", s.payout_postponed),
    ];
    let paystub = (!current).then_some(s.paystub.clone()).flatten();
    view! {
        <tbody class="sat-block" data-satellite=id.clone()>
            <tr class="sat-prices">
                <th scope="rowgroup" rowspan="2" class="sat">
                    <span class="sat-name">{s.name.clone()}</span>
                    {status.map(|t| view! { <span class="sat-status" data-field="status">{t}</span> })}
                    <span class="sat-id" title=format!("{} ({})", id, s.id_hex)>{id.clone()}</span>
                </th>
                <td class="muted" colspan="2">
                    <span data-field="joined">{joined}</span> " · month " <span data-field="month_nr">{month_nr}</span>
                </td>
                <td colspan="3"></td>
                <td class="num muted" colspan="2">
                    <span data-field="price_disk_tbm" data-value=s.price_disk_tbm.to_string()>{format!("{}/TBm", usd(s.price_disk_tbm, 2))}</span>
                    " · "
                    <span data-field="price_egress_tb" data-value=s.price_egress_tb.to_string()>{format!("{}/TB", usd(s.price_egress_tb, 2))}</span>
                    " · "
                    <span data-field="price_repair_tb" data-value=s.price_repair_tb.to_string()>{format!("{}/TB", usd(s.price_repair_tb, 2))}</span>
                </td>
                <td class="num muted"><span data-field="held_percent">{format!("{}%", s.held_percent)}</span></td>
                <td class="num muted"><span data-field="paid_percent">{format!("{}%", s.paid_percent)}</span></td>
            </tr>
            <tr class="sat-main" data-satellite=id.clone()>
                <td class="num" data-field="held_total" data-value=s.held_total.to_string()>{usd(s.held_total, 2)}</td>
                {match rep {
                    Some(r) => view! {
                        <td class="num" data-field="disq_percent" data-value=r.disq_percent.to_string()>{pct(r.disq_percent)}</td>
                        <td class="num" data-field="susp_percent" data-value=r.susp_percent.to_string()>{pct(r.susp_percent)}</td>
                        <td class="num" data-field="down_percent" data-value=r.down_percent.to_string()>{pct(r.down_percent)}</td>
                    }.into_any(),
                    None => view! { <td></td><td></td><td></td> }.into_any(),
                }}
                {five(s.storage, s.egress, s.repair_audit, s.held, s.payout)}
            </tr>
            {s.surge.clone().map(|g| view! {
                <tr class="extra surge" data-line="surge">
                    <td colspan="5" class="extra-label" data-field="surge_percent">{format!("Surge ({:.0}%)", g.percent)}</td>
                    {five(g.storage, g.egress, g.repair_audit, g.held, g.payout)}
                </tr>
            })}
            {returned(s.held_returned, s.held_total_after_return, s.payout_after_return)}
            {lines.into_iter().filter_map(|(field, label, x)| x.map(|x| line(field, label.to_string(), x))).collect_view()}
            {s.payout_notes.clone().map(|n| view! {
                <tr class="extra notes"><td colspan="10" class="extra-label" data-field="payout_notes">{format!("Payout notes: {n}")}</td></tr>
            })}
            {s.transaction.clone().map(|t| view! {
                <tr class="extra transaction">
                    <td colspan="10" class="extra-label">
                        "Transaction " <span data-field="transaction_amount" data-value=t.amount.to_string()>{format!("({})", usd(t.amount, 2))}</span> ": "
                        <a href=t.url.clone() target="_blank" rel="noopener noreferrer" data-field="transaction_url">{t.url.clone()}</a>
                    </td>
                </tr>
            })}
            {paystub.map(|p| {
                let rate = |r: Option<f64>, unit: &str| r.map(|r| format!("{}/{unit}", usd(r, 2))).unwrap_or_else(|| "—".to_string());
                view! {
                    <tr class="extra paystub">
                        <td colspan="10" class="extra-label">
                            {format!("Paystub {}: paid {} · distributed {} · held {} · returned {} · rates {} storage, {} egress, {} repair",
                                p.period, usd(p.paid, 4), usd(p.distributed, 4), usd(p.held, 4), usd(p.disposed, 4),
                                rate(p.rates.disk_tbm, "TBm"), rate(p.rates.egress_tb, "TB"), rate(p.rates.repair_tb, "TB"))}
                        </td>
                    </tr>
                }
            })}
        </tbody>
    }
}

/// The upper block: earnings.py's lines above the table.
fn upper(report: &NodeReport) -> impl IntoView {
    let Some(t) = report.totals.clone() else { return ().into_any() };
    let bw = |label: &'static str, key: &'static str, l: &model::node_report::BandwidthLine| {
        view! {
            <tr data-line=key>
                <th scope="row">{label}</th>
                <td class="num" data-field="price_tb" data-value=l.price_tb.to_string()>{format!("{} / TB (avg)", usd(l.price_tb, 2))}</td>
                <td></td>
                <td class="num" data-field="bandwidth" data-value=l.bandwidth.to_string()>{size(l.bandwidth as f64)}</td>
                <td class="num" data-field="payout" data-value=l.payout.to_string()>{usd(l.payout, 2)}</td>
            </tr>
        }
    };
    let disk_line = |label: &'static str, key: &'static str, bytes: f64| {
        view! {
            <tr data-line=key>
                <th scope="row">{label}</th>
                <td class="muted">"not paid"</td>
                <td class="num" data-field=key data-value=bytes.to_string()>{size(bytes)}</td>
                <td></td><td></td>
            </tr>
        }
    };
    let disk = report.disk.clone();
    let estimate = report.estimate.clone();
    view! {
        <table class="node-upper" data-testid="node-upper">
            <thead><tr><th scope="col">"Metric"</th><th scope="col" class="num">"Price"</th><th scope="col" class="num">"Disk"</th><th scope="col" class="num">"Bandwidth"</th><th scope="col" class="num">"Payout"</th></tr></thead>
            <tbody>
                <tr data-line="upload"><th scope="row">"Upload (ingress)"</th><td class="muted">"not paid"</td><td></td><td class="num" data-field="upload" data-value=t.upload.to_string()>{size(t.upload as f64)}</td><td></td></tr>
                <tr data-line="upload_repair"><th scope="row">"Upload repair"</th><td class="muted">"not paid"</td><td></td><td class="num" data-field="upload_repair" data-value=t.upload_repair.to_string()>{size(t.upload_repair as f64)}</td><td></td></tr>
                {bw("Download (egress)", "download", &t.download)}
                {bw("Download repair", "download_repair", &t.download_repair)}
                {bw("Download audit", "download_audit", &t.download_audit)}
                {disk.map(|d| view! {
                    {disk_line("Disk current total", "current_total", d.current_total)}
                    {disk_line("├ Blobs", "blobs", d.blobs)}
                    {disk_line("└ Trash", "trash", d.trash)}
                    {disk_line("Uncollected garbage", "uncollected_garbage", d.uncollected_garbage)}
                    {disk_line("Total unpaid data", "total_unpaid_data", d.total_unpaid_data)}
                    {disk_line("Disk last report", "last_report", d.last_report)}
                    {disk_line("Disk average so far", "average_so_far", d.average_so_far)}
                })}
                {t.disk_usage_month.clone().map(|d| view! {
                    <tr data-line="disk_usage_month">
                        <th scope="row">"Disk usage month"</th>
                        <td class="num" data-field="price_tbm" data-value=d.price_tbm.to_string()>{format!("{} / TBm (avg)", usd(d.price_tbm, 2))}</td>
                        <td class="num" data-field="tbm" data-value=d.tbm.to_string()>{format!("{}m", size(d.tbm))}</td>
                        <td></td>
                        <td class="num" data-field="payout" data-value=d.payout.to_string()>{usd(d.payout, 2)}</td>
                    </tr>
                })}
                {t.storage_not_available.then(|| view! { <tr><td colspan="5" class="muted">"Storage usage not available before September 2019"</td></tr> })}
                <tr class="total" data-line="total">
                    <th scope="row">"Total"</th><td></td>
                    <td class="num" data-field="tbm" data-value=t.total.tbm.map(|v| v.to_string())>{t.total.tbm.map(|v| format!("{}m", size(v)))}</td>
                    <td class="num" data-field="bandwidth" data-value=t.total.bandwidth.to_string()>{size(t.total.bandwidth as f64)}</td>
                    <td class="num" data-field="payout" data-value=t.total.payout.to_string()>{usd(t.total.payout, 2)}</td>
                </tr>
                {estimate.map(|e| view! {
                    <tr class="estimate" data-line="estimated_total">
                        <th scope="row">"Estimated total by end of month"</th><td></td>
                        <td class="num" data-field="tbm" data-value=e.total.tbm.to_string()>{format!("{}m", size(e.total.tbm))}</td>
                        <td class="num" data-field="bandwidth" data-value=e.total.bandwidth.to_string()>{size(e.total.bandwidth)}</td>
                        <td class="num" data-field="payout" data-value=e.total.payout.to_string()>{usd(e.total.payout, 2)}</td>
                    </tr>
                })}
                {t.total_surge.clone().map(|s| view! {
                    <tr data-line="total_surge">
                        <th scope="row">{format!("Total surge ({:.0}%)", s.percent.unwrap_or(0.0))}</th><td></td><td></td><td></td>
                        <td class="num" data-field="payout" data-value=s.payout.to_string()>{usd(s.payout, 2)}</td>
                    </tr>
                })}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn NodeEarnings(report: NodeReport) -> impl IntoView {
    let current = report.mode == "current";
    let Some(t) = report.totals.clone() else { return ().into_any() };
    let p = report.payout.clone().unwrap_or_default();
    let payout_lines = [
        ("payout_difference", "Payout difference", p.payout_difference),
        ("total_payout_this_month", "Total payout this month", p.total_payout_this_month),
        ("paid_out_this_month", "Paid out this month", p.paid_out_this_month),
        ("postponed_this_month", "Postponed this month", p.postponed_this_month),
        ("paid_previous_months", "Paid previous months", p.paid_previous_months),
        ("paid_total", "Paid total", p.paid_total),
        ("paid_total_zksync_bonus", "Paid total + zkSync bonus", p.paid_total_zksync_bonus),
        ("postponed_payout_previous_months", "Postponed payout previous months", p.postponed_payout_previous_months),
        ("postponed_payout_total", "Postponed payout total", p.postponed_payout_total),
    ];
    let estimate = report.estimate.clone().filter(|_| current);
    let table = t.table.clone();
    view! {
        <section class="card node-earnings">
            <h2>{format!("Earnings {} (as earnings.py prints them)", report.month)}</h2>
            <div class="scroll" tabindex="0" role="region" aria-label="Disk and traffic (scrolls sideways)">{upper(&report)}</div>
            <div class="scroll" tabindex="0" role="region" aria-label="Payout and held amount by satellite (scrolls sideways)">
                <table class="node-table" data-testid="earnings-table">
                    <thead>
                        <tr>
                            <th scope="col" rowspan="2">"Satellite" <small>"joined · month"</small></th>
                            <th scope="col" class="num" rowspan="2">"Held total"</th>
                            <th scope="colgroup" colspan="3" class="num">"Reputation"</th>
                            <th scope="colgroup" colspan="5" class="num">"Payout this month"</th>
                        </tr>
                        <tr>
                            <th scope="col" class="num" title="Distance to disqualification: (1 − audit score) / (1 − 0.96)">"Disq"</th>
                            <th scope="col" class="num" title="Distance to suspension: (1 − unknown-audit score) / (1 − 0.6)">"Susp"</th>
                            <th scope="col" class="num" title="100 − online score %">"Down"</th>
                            <th scope="col" class="num">"Storage"</th>
                            <th scope="col" class="num">"Egress"</th>
                            <th scope="col" class="num">"Repair/Aud"</th>
                            <th scope="col" class="num">"Held"</th>
                            <th scope="col" class="num">"Payout"</th>
                        </tr>
                    </thead>
                    {report.satellites.clone().into_iter().map(|s| satellite_rows(s, current)).collect_view()}
                    <tbody class="totals">
                        <tr class="total" data-satellite="total">
                            <th scope="row">"Total"</th>
                            <td class="num" data-field="held_total" data-value=table.held_total.to_string()>{usd(table.held_total, 2)}</td>
                            <td colspan="3"></td>
                            {five(table.storage, table.egress, table.repair_audit, table.held, table.payout)}
                        </tr>
                        {estimate.map(|e| view! {
                            <tr class="estimate" data-satellite="estimate">
                                <th scope="row">"Estimated end of month total"</th>
                                <td class="num" data-field="held_total" data-value=e.table.held_total.to_string()>{usd(e.table.held_total, 2)}</td>
                                <td colspan="3"></td>
                                {five(e.table.storage, e.table.egress, e.table.repair_audit, e.table.held, e.table.payout)}
                            </tr>
                        })}
                        {table.surge.clone().map(|g| view! {
                            <tr class="extra surge" data-line="surge">
                                <td colspan="5" class="extra-label">{format!("Surge ({:.0}%)", g.percent.unwrap_or(0.0))}</td>
                                {five(g.storage, g.egress, g.repair_audit, g.held, g.payout)}
                            </tr>
                        })}
                        {returned(table.held_returned, table.held_total_after_return, table.payout_after_return)}
                        {payout_lines.into_iter().filter_map(|(field, label, x)| x.map(|x| line(field, label.to_string(), x))).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="footnote">"Every month is priced at today's prices (pricing.db), as earnings.py does; the paystubs (closed months) say what the satellites actually paid. $ with 4 decimals, held totals and percentages with 2; sizes in powers of 1000."</p>
        </section>
    }
    .into_any()
}
