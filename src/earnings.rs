//! The earnings table per satellite with its totals row (money with the quantities behind it).

use leptos::prelude::*;

use crate::tips::{TIP_AUDIT, TIP_EGRESS, TIP_HELD, TIP_PAID, TIP_REPAIR, TIP_TB_MONTH};

use model::format::{count, money, tb};
use model::view::{SatelliteRow, TB};

fn money_cell(col: &'static str, usd: f64, qty: Option<String>, qty_title: Option<String>) -> impl IntoView {
    view! {
        <td class="num" data-col=col data-value=usd.to_string()>
            <span class="usd">{money(usd)}</span>
            {qty.map(|q| view! { <span class="qty" title=qty_title.unwrap_or_default()>{q}</span> })}
        </td>
    }
}
fn bytes_title(bytes: i64) -> String {
    format!("{} bytes", count(bytes))
}
fn earnings_row(r: &SatelliteRow, total: bool) -> impl IntoView {
    let name = if r.name.is_empty() { "(no satellite id)".to_string() } else { r.name.clone() };
    let id = r.id.clone();
    view! {
        <tr data-satellite=(!total).then(|| id.clone()) data-total=total.then_some("true") class:total=total>
            <th scope="row" class="sat">
                <span class="sat-name">{name}</span>
                {(!total).then(|| view! { <span class="sat-id" title=id.clone()>{id.clone()}</span> })}
            </th>
            {money_cell("storage", r.storage_usd, Some(tb(r.storage_tb_month, "TB·month")), Some(format!("{} byte-hours", r.storage_byte_hours)))}
            {money_cell("egress", r.egress_usd, Some(tb(r.egress_bytes as f64 / TB, "TB")), Some(bytes_title(r.egress_bytes)))}
            {money_cell("repair", r.repair_usd, Some(tb(r.repair_bytes as f64 / TB, "TB")), Some(bytes_title(r.repair_bytes)))}
            {money_cell("audit", r.audit_usd, Some(tb(r.audit_bytes as f64 / TB, "TB")), Some(bytes_title(r.audit_bytes)))}
            {money_cell("gross", r.gross, None, None)}
            {money_cell("held", r.held, None, None)}
            {money_cell("paid", r.paid, None, None)}
        </tr>
    }
}
#[component]
pub fn EarningsTable(rows: Vec<SatelliteRow>, totals: SatelliteRow) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Earnings per satellite"</h2>
            <div class="scroll" tabindex="0" role="region" aria-label="Earnings per satellite (scrolls sideways)">
                <table class="earnings" data-testid="earnings-table">
                    <thead>
                        <tr>
                            <th scope="col">"Satellite"</th>
                            <th scope="col" class="num" title=TIP_TB_MONTH>"Storage" <small>"$ · TB·month"</small></th>
                            <th scope="col" class="num" title=TIP_EGRESS>"Egress" <small>"$ · TB"</small></th>
                            <th scope="col" class="num" title=TIP_REPAIR>"Repair" <small>"$ · TB"</small></th>
                            <th scope="col" class="num" title=TIP_AUDIT>"Audit" <small>"$ · TB"</small></th>
                            <th scope="col" class="num" title="Gross: the sum of the four before held back">"Gross"</th>
                            <th scope="col" class="num" title=TIP_HELD>"Held"</th>
                            <th scope="col" class="num" title=TIP_PAID>"Paid"</th>
                        </tr>
                    </thead>
                    <tbody>{rows.iter().map(|r| earnings_row(r, false)).collect_view()}</tbody>
                    <tfoot>{earnings_row(&totals, true)}</tfoot>
                </table>
            </div>
            <p class="footnote">"TB = 2" <sup>"40"</sup> " bytes, as the monitor counts. Hover a column title for its meaning."</p>
        </section>
    }
}
