//! The payout history (NODE_DATA.md §3.9, §5.1): a row per paystub, newest month first, with
//! the running held and postponed totals and the receipt's link (never fetched).

use leptos::prelude::*;
use model::node_report::NodeReport;

use super::usd;

#[component]
pub fn PayoutHistory(report: NodeReport) -> impl IntoView {
    if report.payout_history.is_empty() {
        return view! {
            <section class="card node-history">
                <h2>"Payout history"</h2>
                <p class="muted" data-testid="payout-history-empty">"heldamount.db holds no paystub yet: the satellites send one after each month closes."</p>
            </section>
        }
        .into_any();
    }
    let mut rows = report.payout_history.clone();
    rows.sort_by(|a, b| b.period.cmp(&a.period).then_with(|| a.name.cmp(&b.name)));
    let held = report.held_history.last().map(|h| h.held_total).unwrap_or(0.0);
    let payments = report.payments.clone();
    view! {
        <section class="card node-history">
            <h2>"Payout history"</h2>
            <p class="muted">{format!("{} paystubs; held back now: {}.", rows.len(), usd(held, 2))}</p>
            <div class="scroll tall" tabindex="0" role="region" aria-label="Payout history (scrolls)">
                <table class="node-payouts" data-testid="payout-history">
                    <thead><tr>
                        <th scope="col">"Period"</th>
                        <th scope="col">"Satellite"</th>
                        <th scope="col" class="num">"Held"</th>
                        <th scope="col" class="num">"Returned"</th>
                        <th scope="col" class="num" title="What the satellite owed the node this month">"Paid"</th>
                        <th scope="col" class="num" title="What was sent (incl. earlier postponed months)">"Distributed"</th>
                        <th scope="col" class="num" title="Running total of paid − distributed">"Postponed"</th>
                        <th scope="col" class="num" title="Running total of held − returned">"Held total"</th>
                        <th scope="col">"Receipt"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let receipts: Vec<_> = payments.iter().filter(|p| p.satellite == r.satellite && p.period.as_deref() == Some(r.period.as_str())).cloned().collect();
                            view! {
                                <tr data-period=r.period.clone() data-satellite=r.satellite.clone()>
                                    <th scope="row">{r.period.clone()}</th>
                                    <td><span class="sat-name" title=r.satellite.clone()>{r.name.clone()}</span>
                                        {(r.surge_percent > 100.0).then(|| view! { <span class="qty">{format!(" surge {:.0}%", r.surge_percent)}</span> })}</td>
                                    <td class="num" data-field="held" data-value=r.held.to_string()>{usd(r.held, 2)}</td>
                                    <td class="num" data-field="disposed" data-value=r.disposed.to_string()>{usd(r.disposed, 2)}</td>
                                    <td class="num" data-field="paid" data-value=r.paid.to_string()>{usd(r.paid, 2)}</td>
                                    <td class="num" data-field="distributed" data-value=r.distributed.to_string()>{usd(r.distributed, 2)}</td>
                                    <td class="num" data-field="postponed_total" data-value=r.postponed_total.to_string()>{usd(r.postponed_total, 2)}</td>
                                    <td class="num" data-field="held_total" data-value=r.held_total.to_string()>{usd(r.held_total, 2)}</td>
                                    <td class="receipt">
                                        {receipts.into_iter().map(|p| match p.url.clone() {
                                            Some(url) => view! { <a href=url target="_blank" rel="noopener noreferrer" title=p.receipt.clone()>{format!("{} {}", p.kind, usd(p.amount, 2))}</a> " " }.into_any(),
                                            None => view! { <span title=p.receipt.clone()>{format!("{} {}", p.kind, usd(p.amount, 2))}</span> " " }.into_any(),
                                        }).collect_view()}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
