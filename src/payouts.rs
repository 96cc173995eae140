//! The payout history panel (TRENDS.md section 6): the payouts of the last 360 days, newest
//! first, with the satellite's estimate and the receipt. The original monitor creates the table
//! but never fills it, so the usual view is the empty state.

use leptos::prelude::*;

use model::format::money;

use crate::trends::{local_text, scope, Missing, TrendEmpty};
use model::trends_view::{PayoutView, TrendsView};

/// Dollars with 2 decimals, "—" when missing (the exact value is in the cell's title).
fn usd(x: Option<f64>) -> String {
    x.map_or("—".to_string(), money)
}

fn exact(x: Option<f64>) -> Option<String> {
    x.map(|v| format!("${v}"))
}

fn payout_row(p: &PayoutView, show_node: bool) -> impl IntoView {
    let variance_percent = p.variance_percent.map(|pct| format!("{pct:+.2} %"));
    let receipt = if p.transaction_hash.is_empty() { "—".to_string() } else { p.transaction_hash.clone() };
    let receipt_title = [
        (!p.transaction_hash.is_empty()).then(|| format!("Transaction {}", p.transaction_hash)),
        (!p.payout_address.is_empty()).then(|| format!("to {}", p.payout_address)),
        (!p.notes.is_empty()).then(|| p.notes.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <tr data-period=p.period.clone() data-node=p.node_name.clone() data-satellite=p.satellite.clone()
            title=format!("Recorded {} (local time)", local_text(&p.timestamp))>
            <th scope="row">{p.period.clone()}</th>
            {show_node.then(|| view! { <td class="third" data-label="Node">{p.node_name.clone()}</td> })}
            <td class="third" data-label="Satellite"><span class="sat-name" title=p.satellite.clone()>{p.satellite_name.clone()}</span></td>
            <td class="num third" data-label="Actual" data-col="actual" data-value=p.actual_payout.map(|v| v.to_string()) title=exact(p.actual_payout)>{usd(p.actual_payout)}</td>
            <td class="num third" data-label="Estimated" data-col="estimated" data-value=p.estimated_payout.map(|v| v.to_string()) title=exact(p.estimated_payout)>{usd(p.estimated_payout)}</td>
            <td class="num third" data-label="Variance" data-col="variance" data-value=p.variance.map(|v| v.to_string()) title=exact(p.variance)>
                {usd(p.variance)}
                {variance_percent.map(|v| view! { <span class="qty">{v}</span> })}
            </td>
            <td class="receipt wide-cell" data-label="Receipt" data-col="receipt" title=receipt_title>
                <span class="hash">{receipt}</span>
                {(!p.notes.is_empty()).then(|| view! { <span class="qty">{p.notes.clone()}</span> })}
            </td>
        </tr>
    }
}

#[component]
pub fn PayoutPanel(t: TrendsView) -> impl IntoView {
    let single = t.node.is_some();
    let body = if t.payout_history.is_empty() {
        let missing = Missing::of(t.tables.payout_history);
        let message = match missing {
            Missing::Table => "This monitor did not record payouts: the file has no payout_history table.".to_string(),
            Missing::Rows => format!("This monitor did not record a payout for {} in the last 360 days.", scope(&t.node)),
        };
        let hint = "The original monitor creates its payout table but never fills it, so a monitor's file normally has no payout history.";
        view! { <TrendEmpty panel="payouts" missing=missing message=message hint=hint.to_string() /> }.into_any()
    } else {
        // Over every payout (the worker lists the newest 100 of a long history).
        let (n, actual, estimated) = (t.payout_totals.count, t.payout_totals.actual, t.payout_totals.estimated);
        let listed = t.payout_history.len();
        view! {
            <p class="muted">{format!("{n} payout{} in the last 360 days, newest first: {} paid, {} estimated.",
                if n == 1 { "" } else { "s" }, usd(Some(actual)), usd(Some(estimated)))}</p>
            <div class="scroll tall" tabindex="0" role="region" aria-label="Payout history (scrolls)">
                <table class="payouts cards" data-testid="payout-history">
                    <thead><tr>
                        <th scope="col">"Period"</th>
                        {(!single).then(|| view! { <th scope="col">"Node"</th> })}
                        <th scope="col">"Satellite"</th>
                        <th scope="col" class="num">"Actual"</th>
                        <th scope="col" class="num">"Estimated"</th>
                        <th scope="col" class="num" title="Actual minus estimated">"Variance"</th>
                        <th scope="col" title="The payout's transaction hash, as recorded (hover for the address)">"Receipt"</th>
                    </tr></thead>
                    <tbody>{t.payout_history.iter().map(|p| payout_row(p, !single)).collect_view()}</tbody>
                </table>
            </div>
            {(t.payout_left_out > 0).then(|| view! {
                <p class="footnote" data-testid="payout-more">
                    {format!("The newest {listed} of {n} payouts are listed; the downloaded report has all.")}
                </p>
            })}
        }
        .into_any()
    };
    view! {
        <section class="card trend payout-panel" data-testid="payout-panel">
            <h2>"Payout history"</h2>
            {body}
        </section>
    }
}
