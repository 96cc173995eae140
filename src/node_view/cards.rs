//! The four summary cards of a node month (NODE_DATA.md §5.1), `$` with 2 decimals.

use leptos::prelude::*;
use model::format::money;
use model::node_report::NodeReport;

#[component]
pub fn NodeCards(report: NodeReport) -> impl IntoView {
    let current = report.mode == "current";
    let Some(totals) = report.totals.clone() else { return ().into_any() };
    let total = totals.total.payout;
    let (estimate, estimate_note) = match (&report.estimate, current) {
        (Some(e), true) => (e.total.payout, format!("{:.1} % of the month passed", e.month_passed * 100.0)),
        (None, true) => (total, "too early in the month to extrapolate".to_string()),
        (_, false) => (total, "month closed".to_string()),
    };
    let paid_note = match totals.paystub.as_ref() {
        Some(p) if !current => format!("paystubs: {} paid", money(p.paid)),
        _ => "after held back, at today's prices".to_string(),
    };
    let card = |testid: &'static str, label: &'static str, value: f64, note: String, tip: &'static str| {
        view! {
            <div class="summary-card" title=tip>
                <span class="label">{label}</span>
                <span class="value" data-testid=testid data-value=value.to_string()>{money(value)}</span>
                <span class="note">{note}</span>
            </div>
        }
    };
    view! {
        <section class="summary" aria-label="Summary">
            {card("summary-total", if current { "Month to date" } else { "Month total" }, total,
                "storage, egress, repair and audit".to_string(), "earnings.py's Total: every satellite at the current prices, before held back.")}
            {card("summary-estimate", "Month-end estimate", estimate, estimate_note,
                "earnings.py's estimated total by end of month: the disk average so far and the traffic so far, extrapolated.")}
            {card("summary-held", "Held back", totals.table.held, format!("held total {}", money(totals.table.held_total)),
                "The part Storj keeps this month (75/50/25 % in months 1–3/4–6/7–9 by calendar month).")}
            {card("summary-paid", "Payout", totals.table.payout, paid_note,
                "What the node earns after held back; the paystubs say what the satellites actually paid.")}
        </section>
    }
    .into_any()
}
