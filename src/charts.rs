//! SVG charts: earnings by satellite (stacked horizontal bars) and the latency histogram.
//! Hover values are `<title>` elements; axes use [`axis_ticks`].

use leptos::prelude::*;

use model::format::{count, money};
use model::view::{axis_ticks, HistogramBar, SatelliteRow};

const PARTS: [(&str, &str); 4] = [("storage", "Storage"), ("egress", "Egress"), ("repair", "Repair"), ("audit", "Audit")];

#[component]
pub fn EarningsChart(rows: Vec<SatelliteRow>) -> impl IntoView {
    let (w, left, right, top, row_h, bar_h) = (720.0_f64, 110.0_f64, 80.0_f64, 28.0_f64, 34.0_f64, 20.0_f64);
    let max = rows.iter().map(|r| r.storage_usd + r.egress_usd + r.repair_usd + r.audit_usd).fold(0.0, f64::max);
    let ticks = axis_ticks(max);
    let scale_max = *ticks.last().unwrap_or(&1.0);
    let plot_w = w - left - right;
    let x = move |v: f64| left + v / scale_max * plot_w;
    let h = top + rows.len() as f64 * row_h + 24.0;
    view! {
        <figure class="chart earnings-chart" data-testid="earnings-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label="Gross earnings by satellite, split into storage, egress, repair and audit">
                {ticks.iter().map(|t| view! {
                    <g class="tick">
                        <line x1=x(*t) x2=x(*t) y1=top - 6.0 y2=h - 20.0 />
                        <text x=x(*t) y=h - 6.0 text-anchor="middle">{money(*t)}</text>
                    </g>
                }).collect_view()}
                {rows.iter().enumerate().map(|(i, r)| {
                    let y = top + i as f64 * row_h;
                    let name = if r.name.is_empty() { "(none)".to_string() } else { r.name.clone() };
                    let mut start = 0.0;
                    let segments = PARTS.iter().zip([r.storage_usd, r.egress_usd, r.repair_usd, r.audit_usd]).map(|((class, label), v)| {
                        let x0 = x(start);
                        start += v;
                        let width = (x(start) - x0).max(0.0);
                        view! {
                            <rect class=format!("seg {class}") x=x0 y=y width=width height=bar_h>
                                <title>{format!("{name} · {label}: {}", money(v))}</title>
                            </rect>
                        }
                    }).collect_view();
                    let total = r.storage_usd + r.egress_usd + r.repair_usd + r.audit_usd;
                    view! {
                        <g class="bar-row">
                            <text class="cat" x=left - 8.0 y=y + bar_h * 0.72 text-anchor="end">{name.clone()}</text>
                            {segments}
                            <text class="val" x=x(total) + 6.0 y=y + bar_h * 0.72>{money(total)}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <figcaption class="legend">
                {PARTS.iter().map(|(class, label)| view! { <span><i class=format!("swatch {class}")></i>{*label}</span> }).collect_view()}
            </figcaption>
        </figure>
    }
}

#[component]
pub fn Histogram(bars: Vec<HistogramBar>, bucket_ms: i64) -> impl IntoView {
    if bars.is_empty() {
        return view! {
            <figure class="chart" data-testid="histogram" data-buckets="0">
                <p class="muted">"No successful operation with a duration in this window."</p>
            </figure>
        }
        .into_any();
    }
    let (w, h, left, bottom, top, right) = (760.0_f64, 280.0_f64, 56.0_f64, 52.0_f64, 14.0_f64, 30.0_f64);
    let first = bars.first().map_or(0, |b| b.start_ms);
    let last = bars.last().map_or(bucket_ms, |b| b.end_ms);
    let span = ((last - first).max(bucket_ms)) as f64;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(1) as f64;
    let ticks = axis_ticks(max);
    let y_max = *ticks.last().unwrap_or(&1.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x = move |ms: i64| left + (ms - first) as f64 / span * plot_w;
    let y = move |c: f64| top + plot_h - c / y_max * plot_h;
    // Round labels along the x axis (0, 500, 1000, ... ms).
    let x_labels: Vec<i64> = axis_ticks((last - first) as f64).into_iter().map(|t| first + t as i64).filter(|ms| *ms <= last).collect();
    let total: i64 = bars.iter().map(|b| b.count).sum();
    view! {
        <figure class="chart" data-testid="histogram" data-buckets=bars.len().to_string() data-bucket-ms=bucket_ms.to_string()>
            <svg viewBox=format!("0 0 {w} {h}") role="img"
                aria-label=format!("Histogram of {} successful operations by duration, {bucket_ms} ms buckets", count(total))>
                {ticks.iter().map(|t| view! {
                    <g class="tick">
                        <line x1=left x2=w - right y1=y(*t) y2=y(*t) />
                        <text x=left - 6.0 y=y(*t) + 4.0 text-anchor="end">{count(*t as i64)}</text>
                    </g>
                }).collect_view()}
                {bars.iter().map(|b| {
                    let x0 = x(b.start_ms);
                    let width = (x(b.end_ms) - x0 - 1.0).max(1.0);
                    view! {
                        <rect class="hbar" x=x0 + 0.5 y=y(b.count as f64) width=width height=(y(0.0) - y(b.count as f64)).max(0.0)>
                            <title>{format!("{}: {} operations", b.label, count(b.count))}</title>
                        </rect>
                    }
                }).collect_view()}
                <line class="axis" x1=left x2=w - right y1=y(0.0) y2=y(0.0) />
                {x_labels.into_iter().map(|ms| view! {
                    <text class="xl" x=x(ms) y=h - bottom + 16.0 text-anchor="middle">{ms.to_string()}</text>
                }).collect_view()}
                <text class="axis-title" x=left + plot_w / 2.0 y=h - 8.0 text-anchor="middle">"duration (ms)"</text>
                <text class="axis-title" x=14.0 y=top + plot_h / 2.0 text-anchor="middle"
                    transform=format!("rotate(-90 14 {})", top + plot_h / 2.0)>"operations"</text>
            </svg>
        </figure>
    }
    .into_any()
}
