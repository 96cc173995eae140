//! The storage panel (TRENDS.md sections 3 and 7): the storage card for the chosen window (used
//! %, growth per day, "full in"), each node's growth over 1, 7 and 30 days or why there is none,
//! and for one node a chart of used, trash and free space over the last 7 days.

use leptos::prelude::*;

use crate::trend_charts::{
    line_key, max_gap, nice_ticks, tick_step, tick_text, time_chart, time_ticks, wide_and_narrow, Line, Tick, TimeChart,
};
use crate::trends::{iso_ms, local_day, local_moment, local_text, scope, Missing, TrendEmpty};
use model::format::human_bytes;
use model::trends_view::{GrowthStatus, GrowthWindowView, StorageCard, StorageForecastView, StoragePoint, StorageWindow, TrendsView};

const DAY_MS: f64 = 86_400_000.0;

/// Signed bytes in binary units ("-63.3 GiB").
pub fn signed_bytes(b: i64) -> String {
    if b < 0 {
        format!("-{}", human_bytes(b.unsigned_abs()))
    } else {
        human_bytes(b as u64)
    }
}

fn status_key(s: GrowthStatus) -> &'static str {
    match s {
        GrowthStatus::Growing => "growing",
        GrowthStatus::Shrinking => "shrinking",
        GrowthStatus::Flat => "flat",
        GrowthStatus::ShortTimespan => "short_timespan",
        GrowthStatus::NotEnoughData => "not_enough_data",
        GrowthStatus::NoApiData => "no_api_data",
    }
}

/// A growth window in words: the rate and days until full, or why there is none.
fn window_words(w: &GrowthWindowView, available: Option<i64>) -> (String, Option<String>) {
    match w.status {
        GrowthStatus::Growing => {
            let rate = format!("+{}/day", human_bytes(w.growth_rate_bytes_per_day.unwrap_or(0).max(0) as u64));
            let full = match (w.days_until_full, available) {
                (Some(d), _) => format!("full in {d:.1} days"),
                (None, Some(a)) if a <= 0 => "no free space left".to_string(),
                _ => "days until full unknown".to_string(),
            };
            (rate, Some(full))
        }
        GrowthStatus::Shrinking => ("shrinking or steady".into(), Some("0/day".into())),
        GrowthStatus::Flat => ("flat".into(), Some("changes under 0.1 %".into())),
        GrowthStatus::ShortTimespan => ("short timespan".into(), Some("points span under 1 hour".into())),
        GrowthStatus::NotEnoughData => {
            ("not enough data".into(), Some(format!("{} point{}", w.data_points, if w.data_points == 1 { "" } else { "s" })))
        }
        GrowthStatus::NoApiData => ("no API data".into(), None),
    }
}

fn window_label(key: &str) -> &'static str {
    match key {
        "1d" => "1 day",
        "7d" => "7 days",
        "30d" => "30 days",
        _ => "?",
    }
}

const WINDOW_KEYS: [&str; 3] = ["1d", "7d", "30d"];

fn node_row(e: &StorageForecastView, window: RwSignal<StorageWindow>) -> impl IntoView {
    let used = match e.used_bytes {
        Some(u) => {
            let pct = e.used_percent.map(|p| format!("{p:.1} %")).unwrap_or_default();
            view! { <span class="b">{signed_bytes(u)}</span><span class="qty">{pct}</span> }.into_any()
        }
        None => {
            view! { <span class="muted" title="The newest snapshot comes from the log: it has only the free space">"—"</span> }.into_any()
        }
    };
    let free = match e.available_bytes {
        Some(a) if a < 0 => {
            view! { <span class="over" title="Usage is above the allocation">{format!("over by {}", signed_bytes(-a))}</span> }.into_any()
        }
        Some(a) => view! { <span class="b">{signed_bytes(a)}</span> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    };
    let cells = if e.status == GrowthStatus::NoApiData {
        let why = format!(
            "no API data: {} snapshot{} with used space in 30 days (log-derived rows hold only the free space), so no growth rate",
            e.forecast_data_points,
            if e.forecast_data_points == 1 { "" } else { "s" }
        );
        view! { <td colspan="3" class="growth no_api_data wide-cell" data-window="all" data-status="no_api_data">{why}</td> }.into_any()
    } else {
        WINDOW_KEYS
            .iter()
            .map(|key| {
                let key = *key;
                match e.window(key) {
                    Some(w) => {
                        let (main, sub) = window_words(w, e.available_bytes);
                        let title = format!("{}: {} snapshot(s) with used space in the window", window_label(key), w.data_points);
                        view! {
                            <td class=format!("growth {}", status_key(w.status)) class:picked=move || window.get().rates_key() == key
                                data-window=key data-label=window_label(key) data-status=status_key(w.status) title=title>
                                <span class="g-main">{main}</span>
                                {sub.map(|s| view! { <span class="qty">{s}</span> })}
                            </td>
                        }
                        .into_any()
                    }
                    None => view! { <td class="growth" data-window=key data-label=window_label(key)>"—"</td> }.into_any(),
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <tr data-node=e.node_name.clone() data-status=status_key(e.status) title=format!("Newest snapshot: {} (local time)", local_text(&e.timestamp))>
            <th scope="row">{e.node_name.clone()}</th>
            <td class="num half" data-label="Used">{used}</td>
            <td class="num half" data-label="Free">{free}</td>
            {cells}
        </tr>
    }
}

#[component]
pub fn StoragePanel(t: TrendsView, window: RwSignal<StorageWindow>, now_ms: Option<f64>) -> impl IntoView {
    if t.storage_forecast.is_empty() {
        let missing = Missing::of(t.tables.storage_snapshots);
        let message = match missing {
            Missing::Table => "This monitor did not record disk usage: the file has no storage_snapshots table.".to_string(),
            Missing::Rows => format!("No disk snapshot recorded for {}.", scope(&t.node)),
        };
        return view! {
            <section class="card trend storage-panel" data-testid="storage-panel">
                <h2>"Storage"</h2>
                <TrendEmpty panel="storage" missing=missing message=message />
            </section>
        }
        .into_any();
    }
    let entries = StoredValue::new(t.storage_forecast.clone());
    // Over every node of the view (the worker made them before cutting a long list).
    let totals = StoredValue::new(t.storage_totals.clone());
    let card =
        move || totals.with_value(|t| t.card(window.get()).unwrap_or_else(|| entries.with_value(|e| StorageCard::of(e, window.get()))));
    let on_window = move |ev: leptos::ev::Event| {
        let days: i64 = event_target_value(&ev).parse().unwrap_or(7);
        if let Some(w) = StorageWindow::ALL.into_iter().find(|w| w.days() == days) {
            window.set(w);
        }
    };
    let (used_sum, free_sum, nodes) = (t.storage_totals.used_bytes, t.storage_totals.available_bytes, t.storage_totals.nodes);
    let who = match &t.node {
        Some(n) => n.clone(),
        None => format!("{nodes} node{}", if nodes == 1 { "" } else { "s" }),
    };
    let chart = t.node.as_ref().map(|node| {
        if t.storage_history.is_empty() {
            let message = format!("No disk snapshot in the last 7 days for {node}.");
            view! { <TrendEmpty panel="storage-chart" missing=Missing::Rows message=message /> }.into_any()
        } else {
            view! { <StorageChart node=node.clone() points=t.storage_history.clone() now_ms=now_ms /> }.into_any()
        }
    });
    view! {
        <section class="card trend storage-panel" data-testid="storage-panel">
            <div class="section-head">
                <h2>"Storage"</h2>
                <label>
                    <span class="label">"Growth over"</span>
                    <select data-testid="storage-window" on:change=on_window>
                        {StorageWindow::ALL.into_iter().map(|w| {
                            let d = w.days();
                            view! {
                                <option value=d.to_string() selected=move || window.get() == w>
                                    {format!("{d} day{}", if d == 1 { "" } else { "s" })}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <div data-testid="storage-forecast" data-window=move || window.get().days().to_string()>
                <div class="storage-figures">
                    {move || {
                        let c = card();
                        let used = c.used_percent.map_or("N/A".to_string(), |p| format!("{p:.1} %"));
                        let growth = if c.growth_bytes_per_day > 0 { format!("{}/day", human_bytes(c.growth_bytes_per_day as u64)) } else { "none".to_string() };
                        let full = c.full_in.label();
                        let key = window.get().rates_key();
                        view! {
                            <div class="figure">
                                <span class="label">"Used"</span>
                                <span class="value" data-testid="storage-used" data-value=c.used_percent.map(|p| p.to_string())>{used}</span>
                                <span class="note">{format!("{} used, {} free · {who}", signed_bytes(used_sum as i64), signed_bytes(free_sum as i64))}</span>
                            </div>
                            <div class="figure">
                                <span class="label">"Growth per day"</span>
                                <span class="value" data-testid="storage-growth" data-value=c.growth_bytes_per_day.to_string()>{growth}</span>
                                <span class="note">{format!("sum of the growing nodes' {}-day rates", key.trim_end_matches('d'))}</span>
                            </div>
                            <div class="figure">
                                <span class="label">"Full in"</span>
                                <span class="value" data-testid="storage-full-in">{full}</span>
                                <span class="note">"free space ÷ growth, rounded down"</span>
                            </div>
                        }
                    }}
                </div>
                <p class="footnote">
                    "The 3- and 14-day choices use the 7-day rates, as the original monitor does. Each node's growth, fitted over "
                    "its snapshots with used space, or why there is none:"
                </p>
                <div class="scroll" tabindex="0" role="region" aria-label="Storage growth per node (scrolls sideways)">
                    <table class="storage-nodes cards" data-testid="storage-nodes">
                        <thead><tr>
                            <th scope="col">"Node"</th>
                            <th scope="col" class="num">"Used"</th>
                            <th scope="col" class="num">"Free"</th>
                            {WINDOW_KEYS.iter().map(|k| view! {
                                <th scope="col" class:picked=move || window.get().rates_key() == *k>{window_label(k)}</th>
                            }).collect_view()}
                        </tr></thead>
                        <tbody>{entries.with_value(|es| es.iter().map(|e| node_row(e, window)).collect_view())}</tbody>
                    </table>
                </div>
                {(t.storage_left_out > 0).then(|| view! {
                    <p class="footnote" data-testid="storage-nodes-more">
                        {format!(
                            "The first {} of {nodes} nodes are listed; pick a node above for its own figures, or download the report for all.",
                            t.storage_forecast.len()
                        )}
                    </p>
                })}
            </div>
            {chart}
        </section>
    }
    .into_any()
}

/// The binary unit for an axis whose largest value is `max` bytes: (divisor, name).
fn byte_unit(max: f64) -> (f64, &'static str) {
    const UNITS: [(f64, &str); 5] =
        [(1_125_899_906_842_624.0, "PiB"), (1_099_511_627_776.0, "TiB"), (1_073_741_824.0, "GiB"), (1_048_576.0, "MiB"), (1024.0, "KiB")];
    UNITS.iter().copied().find(|(d, _)| max >= *d).unwrap_or((1.0, "bytes"))
}

#[component]
fn StorageChart(node: String, points: Vec<StoragePoint>, now_ms: Option<f64>) -> impl IntoView {
    let timed: Vec<(f64, &StoragePoint)> = points.iter().filter_map(|p| iso_ms(&p.timestamp).map(|t| (t, p))).collect();
    let first = timed.iter().map(|(t, _)| *t).fold(f64::INFINITY, f64::min);
    let last = timed.iter().map(|(t, _)| *t).fold(f64::NEG_INFINITY, f64::max);
    let x_range = match now_ms {
        Some(now) => ((now - 7.0 * DAY_MS).min(first), now.max(last)),
        None => (first, last.max(first + DAY_MS)),
    };
    type Get = fn(&StoragePoint) -> Option<i64>;
    let series: [(&str, &str, Get); 3] =
        [("used", "used", |p| p.used_bytes), ("trash", "trash", |p| p.trash_bytes), ("free", "free (available)", |p| p.available_bytes)];
    let values: Vec<f64> = timed.iter().flat_map(|(_, p)| series.iter().filter_map(|(_, _, g)| g(p).map(|v| v as f64))).collect();
    let hi = values.iter().copied().fold(0.0, f64::max);
    let lo = values.iter().copied().fold(0.0, f64::min);
    let (unit, unit_name) = byte_unit(hi.max(-lo));
    let ticks = nice_ticks(lo / unit, hi / unit);
    let step = tick_step(&ticks);
    let y_range = (ticks.first().copied().unwrap_or(0.0) * unit, ticks.last().copied().unwrap_or(1.0) * unit);
    let y_ticks = ticks.iter().map(|v| Tick { at: v * unit, label: tick_text(*v, step) }).collect();
    let mut lines = Vec::new();
    let mut gaps = Vec::new();
    for (class, _, get) in &series {
        let pts: Vec<(f64, f64)> = timed.iter().filter_map(|(t, p)| get(p).map(|v| (*t, v as f64))).collect();
        gaps.push(max_gap(&pts.iter().map(|(t, _)| *t).collect::<Vec<_>>()));
        lines.push(Line { class: class.to_string(), points: pts });
    }
    let gap = gaps.into_iter().fold(0.0, f64::max);
    let hovers = timed
        .iter()
        .map(|(t, p)| {
            let b = |v: Option<i64>| v.map_or("—".to_string(), signed_bytes);
            let text = if p.from_api {
                let pct = p.used_percent.map(|x| format!(" ({x:.1} %)")).unwrap_or_default();
                format!("{}\nused {}{pct}\ntrash {}\nfree {}", local_moment(*t), b(p.used_bytes), b(p.trash_bytes), b(p.available_bytes))
            } else {
                format!("{}\nfrom the log: free {}", local_moment(*t), b(p.available_bytes))
            };
            (*t, text)
        })
        .collect();
    let log_only = !points.iter().any(|p| p.from_api);
    let chart = TimeChart {
        width: 760.0,
        height: 260.0,
        left: 48.0,
        right: 12.0,
        top: 10.0,
        bottom: 26.0,
        x_range,
        y_range,
        y_ticks,
        x_ticks: time_ticks(x_range.0, x_range.1, DAY_MS, local_day),
        lines,
        max_gap_ms: gap,
        hovers,
        thresholds: Vec::new(),
        aria_label: format!("Used, trash and free space of {node} over the last 7 days, in {unit_name}"),
    };
    // Phones: 400 units wide, a label every other day.
    let narrow = TimeChart {
        width: 400.0,
        height: 250.0,
        left: 40.0,
        right: 8.0,
        x_ticks: time_ticks(x_range.0, x_range.1, 2.0 * DAY_MS, local_day),
        ..chart.clone()
    };
    let svg = wide_and_narrow(move || time_chart(chart.clone()), move || time_chart(narrow.clone()));
    view! {
        <figure class="chart trend-chart storage-chart" data-testid="storage-chart" data-points=points.len().to_string()>
            <h3>{format!("Disk space over the last 7 days ({unit_name})")} " " <small class="muted">"(local time; hover for the values)"</small></h3>
            {svg}
            <figcaption class="legend">
                {series.iter().map(|(class, label, _)| line_key(class.to_string(), label.to_string())).collect_view()}
                {log_only.then(|| view! {
                    <span>"Only log-derived snapshots: they hold the free space, not used or trash."</span>
                })}
            </figcaption>
        </figure>
    }
}
