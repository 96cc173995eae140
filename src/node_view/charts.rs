//! The month's daily charts (NODE_DATA.md §5.1), plain SVG: `bandwidth-chart`, bars stacked by
//! traffic type per day (all satellites or one), and `storage-chart`, the average bytes stored
//! per day and satellite (from the satellites' tallies). A day without data is a gap; hovering a
//! day shows its values (`<title>`).

use leptos::prelude::*;
use model::node_report::NodeReport;

use super::size;
use crate::trend_charts::{line_key, nice_ticks};

const W: f64 = 760.0;
const H: f64 = 260.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// The traffic types, bottom to top: (field, label, CSS class).
const TYPES: [(&str, &str, &str); 5] = [
    ("put", "upload", "bw-put"),
    ("put_repair", "upload repair", "bw-put-repair"),
    ("get", "egress", "bw-get"),
    ("get_repair", "repair", "bw-get-repair"),
    ("get_audit", "audit", "bw-get-audit"),
];

/// The y axis: ticks with earnings.py's size labels, and the scale's top.
fn y_axis(max: f64) -> (Vec<f64>, f64) {
    let ticks: Vec<f64> = nice_ticks(0.0, max.max(1.0)).into_iter().filter(|t| *t >= 0.0).collect();
    let top = ticks.last().copied().unwrap_or(1.0).max(1.0);
    (ticks, top)
}

fn axes(ticks: &[f64], top: f64, days: &[String]) -> impl IntoView {
    let plot_h = H - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h - v / top * plot_h;
    let step = (W - LEFT - RIGHT) / days.len().max(1) as f64;
    let every = if days.len() > 16 { 5 } else { 1 };
    view! {
        {ticks.iter().map(|t| view! {
            <g class="tick">
                <line x1=LEFT x2=W - RIGHT y1=y(*t) y2=y(*t) />
                <text x=LEFT - 6.0 y=y(*t) + 4.0 text-anchor="end">{size(*t)}</text>
            </g>
        }).collect_view()}
        {days.iter().enumerate().filter(|(i, _)| (i + 1) % every == 0 || *i == 0).map(|(i, d)| view! {
            <text class="xl" x=LEFT + (i as f64 + 0.5) * step y=H - 8.0 text-anchor="middle">{d.get(8..10).unwrap_or(d).to_string()}</text>
        }).collect_view()}
        <line class="axis" x1=LEFT x2=W - RIGHT y1=TOP + plot_h y2=TOP + plot_h />
    }
}

#[component]
pub fn BandwidthChart(report: NodeReport) -> impl IntoView {
    let choice = RwSignal::new(String::new());
    let sats: Vec<(String, String)> = report.satellites.iter().map(|s| (s.id.clone(), s.name.clone())).collect();
    let series = report.series.clone();
    let chart = move || {
        let picked = choice.get();
        let days = series.days.clone();
        // Per day: the five types summed over the chosen satellites; None = no row that day.
        let per_day: Vec<Option<[i64; 5]>> = days
            .iter()
            .map(|d| {
                let rows: Vec<_> =
                    series.bandwidth.iter().filter(|r| &r.date == d && (picked.is_empty() || r.satellite == picked)).collect();
                (!rows.is_empty()).then(|| {
                    rows.iter().fold([0i64; 5], |mut acc, r| {
                        for (slot, v) in acc.iter_mut().zip([r.put, r.put_repair, r.get, r.get_repair, r.get_audit]) {
                            *slot = slot.saturating_add(v);
                        }
                        acc
                    })
                })
            })
            .collect();
        let max = per_day.iter().flatten().map(|v| v.iter().sum::<i64>() as f64).fold(0.0, f64::max);
        let (ticks, top) = y_axis(max);
        let plot_h = H - TOP - BOTTOM;
        let step = (W - LEFT - RIGHT) / days.len().max(1) as f64;
        let bars = days.iter().zip(&per_day).enumerate().map(|(i, (day, v))| {
            let x = LEFT + i as f64 * step + step * 0.15;
            let width = step * 0.7;
            match v {
                None => view! {
                    <rect class="hover gap" x=LEFT + i as f64 * step y=TOP width=step height=plot_h><title>{format!("{day}: no data")}</title></rect>
                }
                .into_any(),
                Some(v) => {
                    let mut base = 0.0;
                    let parts = TYPES.iter().zip(v).map(|((_, _, class), bytes)| {
                        let h = *bytes as f64 / top * plot_h;
                        base += h;
                        view! { <rect class=format!("bar {class}") x=x y=TOP + plot_h - base width=width height=h.max(0.0) /> }
                    });
                    let parts = parts.collect_view();
                    let text = std::iter::once(format!("{day}: {} in all", size(v.iter().sum::<i64>() as f64)))
                        .chain(TYPES.iter().zip(v).map(|((_, label, _), b)| format!("{label} {}", size(*b as f64))))
                        .collect::<Vec<_>>()
                        .join("\n");
                    view! {
                        <g class="day" data-date=day.clone()>
                            {parts}
                            <rect class="hover" x=LEFT + i as f64 * step y=TOP width=step height=plot_h><title>{text}</title></rect>
                        </g>
                    }
                    .into_any()
                }
            }
        });
        view! {
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label="Bandwidth per day, stacked by type">
                {axes(&ticks, top, &days)}
                {bars.collect_view()}
            </svg>
        }
    };
    view! {
        <section class="card chart node-chart">
            <div class="section-head">
                <h2>"Bandwidth per day"</h2>
                <label>
                    <span class="label">"Satellite"</span>
                    <select on:change=move |ev| choice.set(event_target_value(&ev))>
                        <option value="" selected=true>"All satellites"</option>
                        {sats.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <div class="bw-legend legend-text">
                {TYPES.iter().map(|(_, label, class)| view! { <span class="bar-key"><span class=format!("swatch {class}")></span>{*label}</span> }).collect_view()}
            </div>
            <div class="scroll" tabindex="0" role="region" aria-label="Bandwidth per day (scrolls sideways)" data-testid="bandwidth-chart">{chart}</div>
            <p class="footnote">"UTC days of bandwidth.db; egress, repair and audit are paid, uploads are not."</p>
        </section>
    }
}

#[component]
pub fn StorageChart(report: NodeReport) -> impl IntoView {
    let days = report.series.days.clone();
    let index = |d: &str| days.iter().position(|x| x == d);
    // Per satellite (table order): the day's average bytes (the mean when a day has several tallies).
    let lines: Vec<(usize, String, Vec<Option<f64>>)> = report
        .satellites
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let mut sums = vec![(0.0, 0usize); days.len()];
            for r in report.series.storage.iter().filter(|r| r.satellite == s.id) {
                if let (Some(i), Some(v)) = (index(&r.date), r.average_bytes) {
                    sums[i].0 += v;
                    sums[i].1 += 1;
                }
            }
            let values = sums.into_iter().map(|(sum, k)| (k > 0).then(|| sum / k as f64)).collect();
            (n, s.name.clone(), values)
        })
        .collect();
    let blobs = report.disk.as_ref().map(|d| d.blobs);
    let max = lines
        .iter()
        .flat_map(|(_, _, v)| v.iter().flatten().copied())
        .fold(0.0, f64::max)
        .max(blobs.unwrap_or(0.0) / lines.len().max(1) as f64);
    let (ticks, top) = y_axis(max);
    let plot_h = H - TOP - BOTTOM;
    let step = (W - LEFT - RIGHT) / days.len().max(1) as f64;
    let x = move |i: usize| LEFT + (i as f64 + 0.5) * step;
    let y = move |v: f64| TOP + plot_h - v / top * plot_h;
    let paths = lines.iter().map(|(n, _, values)| {
        // Consecutive days are joined; a missing day breaks the line.
        let mut d = String::new();
        let mut dots = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let Some(v) = v else { continue };
            let joined = i > 0 && values[i - 1].is_some();
            let alone = !joined && values.get(i + 1).is_none_or(|n| n.is_none());
            if alone {
                dots.push((x(i), y(*v)));
            }
            d.push_str(&format!("{}{:.1} {:.1} ", if joined { "L" } else { "M" }, x(i), y(*v)));
        }
        view! {
            <g class=format!("series s{}", n % 5)>
                <path class="ln" d=d.trim_end().to_string() />
                {dots.into_iter().map(|(cx, cy)| view! { <circle class="dot" cx=cx cy=cy r="2.5" /> }).collect_view()}
            </g>
        }
    });
    let hovers = days.iter().enumerate().map(|(i, day)| {
        let parts: Vec<String> = lines.iter().filter_map(|(_, name, v)| v[i].map(|b| format!("{name}: {}", size(b)))).collect();
        let text = if parts.is_empty() { format!("{day}: no tally") } else { format!("{day}\n{}", parts.join("\n")) };
        view! { <rect class="hover" x=LEFT + i as f64 * step y=TOP width=step height=plot_h><title>{text}</title></rect> }
    });
    let keys = lines.iter().map(|(n, name, _)| line_key(format!("s{}", n % 5), name.clone())).collect_view();
    view! {
        <section class="card chart node-chart">
            <h2>"Data stored per day"</h2>
            <div class="legend-text">{keys}</div>
            <div class="scroll" tabindex="0" role="region" aria-label="Data stored per day (scrolls sideways)" data-testid="storage-chart">
                <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label="Average bytes stored per day and satellite">
                    {axes(&ticks, top, &days)}
                    {paths.collect_view()}
                    {hovers.collect_view()}
                </svg>
            </div>
            <p class="footnote">
                "The satellites' storage tallies: byte-hours over the hours since the previous tally."
                {blobs.map(|b| format!(" On disk now (all satellites' blobs): {}.", size(b)))}
            </p>
        </section>
    }
}
