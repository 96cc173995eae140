//! The hourly chart: per UTC hour, the stacked successes, cancels and failures of a chosen
//! category, with its success rate as a line (right axis); hours without activity drawn as zero,
//! hover values as `<title>`s, the hours labelled in UTC or in the viewer's time.

use std::sync::Arc;

use leptos::prelude::*;

use super::n;
use crate::trend_charts::{nice_ticks, tick_step, tick_text, wide_and_narrow};
use crate::trends::{local_clock, local_day, zone_label};
use model::log_report::{HourEntry, LogReport};

const HOUR_MS: f64 = 3_600_000.0;
/// Hours drawn at most: the newest 14 days of a longer log.
const MAX_HOURS: usize = 14 * 24;
const CATEGORIES: [(&str, &str); 5] = [
    ("audit", "Audits"),
    ("download", "Downloads"),
    ("upload", "Uploads"),
    ("repair_download", "Repair downloads"),
    ("repair_upload", "Repair uploads"),
];

fn counts(h: &HourEntry, cat: usize) -> [u64; 3] {
    match cat {
        0 => h.audit,
        1 => h.download,
        2 => h.upload,
        3 => h.repair_download,
        _ => h.repair_upload,
    }
}

/// The hours from the first to the last with activity, missing ones as zero (the newest
/// [`MAX_HOURS`]); each as (UTC ms, [success, canceled, failed]).
fn series(hours: &[HourEntry], cat: usize) -> Vec<(f64, [u64; 3])> {
    let parsed: Vec<(i64, [u64; 3])> =
        hours.iter().filter_map(|h| model::view::parse_now(&h.hour).map(|us| (us / 3_600_000_000, counts(h, cat)))).collect();
    let (Some(first), Some(last)) = (parsed.first().map(|p| p.0), parsed.last().map(|p| p.0)) else { return Vec::new() };
    let first = first.max(last - MAX_HOURS as i64 + 1);
    let mut out: Vec<(f64, [u64; 3])> = (first..=last).map(|h| (h as f64 * HOUR_MS, [0; 3])).collect();
    for (h, c) in parsed {
        if h >= first {
            out[(h - first) as usize].1 = c;
        }
    }
    out
}

fn utc_label(ms: f64) -> (String, String) {
    let secs = (ms / 1000.0) as i64;
    let day = secs.div_euclid(86_400);
    let hour = secs.rem_euclid(86_400) / 3600;
    // the date of a day count, via the model's formatting of an instant
    let date = chrono_date(day);
    (format!("{hour:02}:00"), date)
}

fn chrono_date(day: i64) -> String {
    let (y, m, d) = model::format::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn label(ms: f64, local: bool) -> (String, String) {
    if local {
        (local_clock(ms), local_day(ms))
    } else {
        utc_label(ms)
    }
}

fn chart_svg(data: &[(f64, [u64; 3])], width: f64, local: bool, name: &str) -> impl IntoView {
    let (height, left, right, top, bottom) = (260.0, 44.0, 40.0, 12.0, 40.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let max = data.iter().map(|(_, c)| c.iter().sum::<u64>()).max().unwrap_or(0).max(1) as f64;
    let ticks = nice_ticks(0.0, max);
    let step = tick_step(&ticks);
    let y_max = ticks.last().copied().unwrap_or(max).max(1.0);
    let y = move |v: f64| top + plot_h - v / y_max * plot_h;
    let slot = plot_w / data.len().max(1) as f64;
    let bar_w = (slot * 0.8).max(0.5);
    let x = move |i: usize| left + i as f64 * slot + (slot - bar_w) / 2.0;
    // a label every k hours so that labels stay ~60 units apart
    let every = [1usize, 2, 3, 6, 12, 24, 48, 96].into_iter().find(|k| slot * *k as f64 >= 56.0).unwrap_or(168);
    let y_ticks = ticks
        .iter()
        .map(|t| {
            view! {
                <g class="tick">
                    <line x1=left x2=width - right y1=y(*t) y2=y(*t) />
                    <text x=left - 6.0 y=y(*t) + 4.0 text-anchor="end">{tick_text(*t, step)}</text>
                </g>
            }
        })
        .collect_view();
    let pct_ticks = [0.0, 50.0, 100.0].map(|p| {
        let at = top + plot_h - p / 100.0 * plot_h;
        view! { <text class="pct" x=width - right + 6.0 y=at + 4.0 text-anchor="start">{format!("{p:.0}%")}</text> }
    });
    let x_labels = data
        .iter()
        .enumerate()
        .filter(|(i, (ms, _))| {
            let (clock, _) = label(*ms, local);
            // on the hour 00 when a label covers days, else every k-th hour
            if every >= 24 {
                clock.starts_with("00") && i % (every / 24).max(1) == 0
            } else {
                i % every == 0
            }
        })
        .map(|(i, (ms, _))| {
            let (clock, day) = label(*ms, local);
            let cx = x(i) + bar_w / 2.0;
            view! {
                <g class="tick">
                    <text class="xl" x=cx y=top + plot_h + 15.0 text-anchor="middle">{clock}</text>
                    <text class="xl day" x=cx y=top + plot_h + 29.0 text-anchor="middle">{day}</text>
                </g>
            }
        })
        .collect_view();
    let mut line = String::new();
    let bars = data
        .iter()
        .enumerate()
        .map(|(i, (ms, c))| {
            let total: u64 = c.iter().sum();
            let rate = (total > 0).then(|| 100.0 * c[0] as f64 / total as f64);
            if let Some(r) = rate {
                let cx = x(i) + bar_w / 2.0;
                let cy = top + plot_h - r / 100.0 * plot_h;
                line.push_str(&format!("{}{cx:.1} {cy:.1} ", if line.is_empty() { "M" } else { "L" }));
            }
            let (clock, day) = label(*ms, local);
            let title = format!(
                "{day} {clock}{}: {} succeeded, {} canceled, {} failed{}",
                if local { "" } else { " UTC" },
                n(c[0]),
                n(c[1]),
                n(c[2]),
                rate.map_or(String::new(), |r| format!(" — {r:.2} % success"))
            );
            let mut base = 0.0;
            let segs = [("ok", c[0]), ("canceled", c[1]), ("failed", c[2])].map(|(class, v)| {
                let y0 = y(base);
                base += v as f64;
                let y1 = y(base);
                view! { <rect class=format!("bar {class}") x=x(i) y=y1 width=bar_w height=(y0 - y1).max(0.0) /> }
            });
            view! {
                <g class="hour" data-hour=*ms>
                    {segs}
                    <rect class="hover" x=left + i as f64 * slot y=top width=slot height=plot_h><title>{title}</title></rect>
                </g>
            }
        })
        .collect_view();
    let aria = format!("{name} per hour: successes, cancels and failures stacked, success rate as a line");
    view! {
        <svg class="log-hourly-svg" viewBox=format!("0 0 {width} {height}") role="img" aria-label=aria>
            {y_ticks}
            {pct_ticks}
            {bars}
            <path class="rate-line" d=line.trim_end().to_string() />
            {x_labels}
            <text class="axis" x=12.0 y=top + plot_h / 2.0 transform=format!("rotate(-90 12 {})", top + plot_h / 2.0) text-anchor="middle">"lines"</text>
        </svg>
    }
}

#[component]
pub fn HourlyChart(report: LogReport) -> impl IntoView {
    let hours = Arc::new(report.hourly);
    let (cat, set_cat) = signal(1usize);
    let (local, set_local) = signal(false);
    let zone = hours
        .last()
        .and_then(|h| model::view::parse_now(&h.hour))
        .map(|us| zone_label(us as f64 / 1000.0))
        .unwrap_or_else(|| "local".into());
    let zone_text = zone.clone();
    let drawn = {
        let hours = hours.clone();
        move || {
            let c = cat.get();
            let data = series(&hours, c);
            let name = CATEGORIES[c].1;
            if data.iter().all(|(_, v)| v.iter().all(|x| *x == 0)) {
                return view! { <p class="muted" data-testid="log-hourly-empty">{format!("No {} in this log.", name.to_lowercase())}</p> }
                    .into_any();
            }
            let cut = hours.len() > 1 && data.len() == MAX_HOURS;
            view! {
                <div data-hours=data.len().to_string()>
                    {
                        let (wide, narrow, on_local) = (data.clone(), data.clone(), local.get());
                        wide_and_narrow(move || chart_svg(&wide, 760.0, on_local, name), move || chart_svg(&narrow, 400.0, on_local, name))
                    }
                    {cut.then(|| view! { <p class="footnote">"The newest 14 days of the log are drawn."</p> })}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="card log-hourly" data-testid="log-hourly-chart">
            <h2>"Per hour"</h2>
            <div class="chart-controls">
                <label>"Category "
                    <select data-testid="log-hourly-category" on:change=move |ev| {
                        if let Some(i) = CATEGORIES.iter().position(|(k, _)| *k == event_target_value(&ev)) {
                            set_cat.set(i);
                        }
                    }>
                        {CATEGORIES.iter().enumerate().map(|(i, (k, label))| view! { <option value=*k selected=i == 1>{*label}</option> }).collect_view()}
                    </select>
                </label>
                <label class="toggle">
                    <input type="checkbox" data-testid="log-hourly-local" on:change=move |ev| set_local.set(event_target_checked(&ev)) />
                    {format!(" hours in your time ({zone_text})")}
                </label>
            </div>
            <figure class="chart">
                {drawn}
                <figcaption class="legend">
                    <span><i class="swatch log-ok"></i>"succeeded"</span>
                    <span><i class="swatch log-canceled"></i>"canceled"</span>
                    <span><i class="swatch log-failed"></i>"failed"</span>
                    <span><i class="swatch log-rate"></i>"success rate (right axis)"</span>
                    <span class="muted">{move || if local.get() { format!("hours in {zone}") } else { "hours in UTC".to_string() }}</span>
                </figcaption>
            </figure>
        </section>
    }
}
