//! The dashboard: lays out the panels (file card, pickers, summary cards, earnings table and
//! chart, the trends: reputation, storage, hourly, payouts; latency, downloads, diagnostics; one
//! file each) and shows the warnings and the empty state. Every figure comes from [`Analysis`].

use leptos::prelude::*;

use crate::app::AppState;
use crate::charts::EarningsChart;
use crate::controls::{AsOf, Controls};
use crate::diagnostics::Diagnostics;
use crate::downloads::Downloads;
use crate::earnings::EarningsTable;
use crate::file_card::FileCard;
use crate::latency::LatencySection;
use crate::summary_cards::SummaryCards;
use crate::trends::TrendsSection;

#[component]
pub fn Dashboard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analysis = state.analysis;
    // The earnings part, drawn again only when its figures change (not on a latency click).
    let earnings = state.slice(|a| {
        (
            a.warnings.clone(),
            a.summary.clone(),
            a.is_current_period,
            a.params.node.clone(),
            a.empty,
            a.period.clone(),
            a.satellites.clone(),
            a.totals.clone(),
        )
    });
    view! {
        <div class="dashboard" aria-busy=move || state.busy.get().to_string()>
            {move || state.file.get().map(|f| view! { <FileCard summary=f><AsOf /></FileCard> })}
            <Controls />
            {move || earnings.with(|e| e.as_ref().map(|(warnings, summary, is_current, node, empty, period, satellites, totals)| view! {
                <Warnings warnings=warnings.clone() />
                <SummaryCards summary=summary.clone() is_current=*is_current all=node.is_none() />
                {if *empty {
                    view! { <EmptyState node=node.clone() period=period.clone() /> }.into_any()
                } else {
                    view! {
                        <EarningsTable rows=satellites.clone() totals=totals.clone() />
                        <section class="card">
                            <h2>"Earnings by satellite"</h2>
                            <EarningsChart rows=satellites.clone() />
                        </section>
                    }.into_any()
                }}
            }))}
            <TrendsSection />
            <LatencySection />
            <Downloads />
            // The <details> stays in place (open or closed) while its content follows the analysis.
            <details class="card diagnostics" data-testid="diagnostics">
                {move || analysis.with(|a| a.as_ref().map(|a| view! { <Diagnostics d=a.diagnostics.clone() /> }))}
            </details>
        </div>
    }
}

#[component]
fn Warnings(warnings: Vec<String>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        view! {
            <details class="warnings card">
                <summary>{format!("{} warning(s) about odd rows in this file", warnings.len())}</summary>
                <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

#[component]
fn EmptyState(node: Option<String>, period: String) -> impl IntoView {
    let who = node.map_or("any node".to_string(), |n| format!("node {n}"));
    view! {
        <section class="empty card" data-testid="empty">
            <h2>"No events in this month"</h2>
            <p>{format!("The file has no traffic or storage records for {who} in {period}.")}</p>
            <p class="hint">"Pick another month or node above, or drop another file."</p>
        </section>
    }
}
