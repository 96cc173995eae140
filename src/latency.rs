//! The latency panel: window and bucket pickers, statistics per category with success rates,
//! the histogram and the slowest operations.

use leptos::prelude::*;

use crate::app::AppState;
use crate::charts::Histogram;
use model::format::{count, millis, percent};
use model::view::{CategoryRow, LatencyPanel, LatencyView, BUCKET_CHOICES, WINDOW_CHOICES};

#[component]
pub fn LatencySection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_window = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        state.reanalyze(|p| p.hours = v.parse().ok());
    };
    let on_bucket = move |ev: leptos::ev::Event| {
        if let Ok(b) = event_target_value(&ev).parse() {
            state.reanalyze(|p| p.bucket_ms = b);
        }
    };
    let chosen = state.slice(|a| (a.params.hours, a.params.bucket_ms));
    let params = move || chosen.get().unwrap_or((Some(24), 100));
    // Drawn again only when the latency figures change.
    let latency = state.slice(|a| a.latency.clone());
    view! {
        <section class="card latency">
            <div class="section-head">
                <h2>"Latency"</h2>
                <label>
                    <span class="label">"Window"</span>
                    <select data-testid="window-select" on:change=on_window>
                        {move || {
                            let (hours, _) = params();
                            WINDOW_CHOICES.into_iter().map(|h| {
                                let (value, label) = match h {
                                    Some(h) => (h.to_string(), format!("last {h} h")),
                                    None => ("all".to_string(), "whole file".to_string()),
                                };
                                view! { <option value=value selected=hours == h>{label}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
            </div>
            {move || latency.with(|l| l.as_ref().map(|latency| match latency {
                LatencyPanel::Unavailable(message) => view! { <p class="muted" data-testid="latency-unavailable">{message.clone()}</p> }.into_any(),
                LatencyPanel::Ready(l) => view! { <LatencyCards l=l.clone() /> }.into_any(),
            }))}
            <div class="section-head">
                <h3>"Latency histogram"</h3>
                <label>
                    <span class="label">"Bucket"</span>
                    <select data-testid="bucket-select" on:change=on_bucket>
                        {move || {
                            let (_, bucket) = params();
                            BUCKET_CHOICES.into_iter().map(|b| {
                                view! { <option value=b.to_string() selected=bucket == b>{format!("{b} ms")}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
            </div>
            {move || latency.with(|l| l.as_ref().and_then(|latency| match latency {
                LatencyPanel::Ready(l) => Some(view! { <Histogram bars=l.histogram.clone() bucket_ms=l.bucket_ms /> }),
                LatencyPanel::Unavailable(_) => None,
            }))}
            {move || latency.with(|l| l.as_ref().and_then(|latency| match latency {
                LatencyPanel::Ready(l) => Some(view! { <SlowOperations l=l.clone() /> }),
                LatencyPanel::Unavailable(_) => None,
            }))}
        </section>
    }
}
fn category_label(name: &str) -> &'static str {
    match name {
        "get" => "Downloads (GET)",
        "put" => "Uploads (PUT)",
        "audit" => "Audits",
        _ => "All operations",
    }
}
fn latency_row(c: &CategoryRow) -> impl IntoView {
    let rate = c.success_rate.map_or("—".to_string(), percent);
    let rate_title = if c.success_rate.is_some() {
        format!("{} operations in the window, all statuses", count(c.attempts))
    } else {
        "computed for the 1 h and 24 h windows".to_string()
    };
    let empty = c.count == 0;
    let ms = move |x: f64| if empty { "—".to_string() } else { millis(x) };
    let msi = move |x: i64| if empty { "—".to_string() } else { millis(x as f64) };
    view! {
        <tr data-category=c.name.clone()>
            <th scope="row">{category_label(&c.name)}</th>
            <td class="num" data-col="count">{count(c.count)}</td>
            <td class="num" data-col="mean">{ms(c.mean)}</td>
            <td class="num" data-col="median">{ms(c.median)}</td>
            <td class="num" data-col="p95">{ms(c.p95)}</td>
            <td class="num" data-col="p99">{ms(c.p99)}</td>
            <td class="num" data-col="min">{msi(c.min)}</td>
            <td class="num" data-col="max">{msi(c.max)}</td>
            <td class="num" data-col="success" title=rate_title>{rate}</td>
        </tr>
    }
}
#[component]
pub fn LatencyCards(l: LatencyView) -> impl IntoView {
    let window = match l.hours {
        Some(h) => format!("the last {h} h before “now”"),
        None => "the whole file".to_string(),
    };
    view! {
        <p class="muted">
            {format!("Successful operations with a duration in {window} (newest 10,000 rows; {} with a duration of {} operations).",
                count(l.operations_with_latency), count(l.total_operations))}
        </p>
        <div class="scroll" tabindex="0" role="region" aria-label="Latency per category (scrolls sideways)">
            <table class="latency-table" data-testid="latency-table">
                <thead>
                    <tr>
                        <th scope="col">"Category"</th>
                        <th scope="col" class="num">"Count"</th>
                        <th scope="col" class="num">"Mean"</th>
                        <th scope="col" class="num">"Median"</th>
                        <th scope="col" class="num" title="95 % of operations were faster">"p95"</th>
                        <th scope="col" class="num" title="99 % of operations were faster">"p99"</th>
                        <th scope="col" class="num">"Min"</th>
                        <th scope="col" class="num">"Max"</th>
                        <th scope="col" class="num" title="Successful / all operations of the category in the window">"Success"</th>
                    </tr>
                </thead>
                <tbody>{l.categories.iter().map(latency_row).collect_view()}</tbody>
            </table>
        </div>
    }
}
#[component]
pub fn SlowOperations(l: LatencyView) -> impl IntoView {
    view! {
        <h3>"Slowest operations " <small class="muted">"(5 s or more)"</small></h3>
        {if l.slow.is_empty() {
            view! { <p class="muted" data-testid="slow-none">"No operation took 5 s or more in this window."</p> }.into_any()
        } else {
            view! {
                <div class="scroll" tabindex="0" role="region" aria-label="Slowest operations (scrolls sideways)">
                    <table class="slow" data-testid="slow-table">
                        <thead><tr>
                            <th scope="col">"Time"</th><th scope="col">"Node"</th><th scope="col">"Action"</th>
                            <th scope="col">"Status"</th><th scope="col" class="num">"Duration"</th><th scope="col" class="num">"Size"</th>
                            <th scope="col">"Satellite"</th>
                        </tr></thead>
                        <tbody>{l.slow.into_iter().map(|s| {
                            let dur = s.duration_ms.parse::<f64>().map(millis).unwrap_or(s.duration_ms.clone());
                            let size = s.size.parse::<u64>().map(model::format::human_bytes).unwrap_or(s.size.clone());
                            view! { <tr>
                                <td>{s.timestamp}</td><td>{s.node}</td><td>{s.action}</td><td>{s.status}</td>
                                <td class="num">{dur}</td><td class="num">{size}</td>
                                <td class="sat-id" title=s.satellite.clone()>{s.satellite.clone()}</td>
                            </tr> }
                        }).collect_view()}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
