//! The four summary cards: month-to-date gross, month-end estimate, held back, paid.

use leptos::prelude::*;

use crate::tips::{TIP_ESTIMATE, TIP_HELD, TIP_PAID};

use model::format::{money, percent};
use model::view::Summary;

#[component]
pub fn SummaryCards(summary: Summary, is_current: bool, all: bool) -> impl IntoView {
    let scope = if all { "all nodes" } else { "this node" };
    let card = move |testid: &'static str, label: &'static str, value: f64, note: String, tip: &'static str| {
        view! {
            <div class="summary-card" title=tip>
                <span class="label">{label}</span>
                <span class="value" data-testid=testid data-value=value.to_string()>{money(value)}</span>
                <span class="note">{note}</span>
            </div>
        }
    };
    let elapsed =
        if is_current { format!("{} of the month elapsed", percent(summary.elapsed_fraction)) } else { "closed month".to_string() };
    view! {
        <section class="summary" aria-label="Summary">
            {card("summary-total", if is_current { "Month to date (gross)" } else { "Month total (gross)" }, summary.gross,
                format!("before held back, {scope}"), "Gross earnings: storage, egress, repair and audit, before the held-back amount.")}
            {card("summary-estimate", "Month-end estimate", summary.estimate, elapsed, TIP_ESTIMATE)}
            {card("summary-held", "Held back", summary.held, "kept by Storj for now".to_string(), TIP_HELD)}
            {card("summary-paid", "Paid", summary.paid, "gross minus held back".to_string(), TIP_PAID)}
        </section>
    }
}
