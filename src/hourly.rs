//! The hourly panel (TRENDS.md sections 4, 5 and 7): the 24-hour ingress and egress chart (25
//! hourly points, hover values) and the table of the 6 newest hours with success rates and Mbps,
//! the hours in the viewer's local time.

use leptos::prelude::*;

use crate::trend_charts::{nice_ticks, tick_step, tick_text, wide_and_narrow};
use crate::trends::{iso_ms, local_clock, local_moment, scope, zone_label, Missing, TrendEmpty};
use model::format::count;
use model::trends_view::{HourlyView, TrafficPoint, TrendsView};

/// Megabits per second over an hour of `bytes`.
fn mbps(bytes: i64) -> f64 {
    bytes as f64 * 8.0 / 3.6e9
}

fn rate_cell(col: &'static str, label: &'static str, rate: f64, ok: i64, failed: i64) -> impl IntoView {
    let title = format!("{} of {} succeeded", count(ok), count(ok + failed));
    view! { <td class="num third" data-col=col data-label=label data-value=rate.to_string() title=title>{format!("{rate:.2} %")}</td> }
}

fn hour_row(h: &HourlyView) -> impl IntoView {
    let at = iso_ms(&h.hour_timestamp);
    let label = at.map_or_else(|| h.hour_timestamp.clone(), local_moment);
    let backfill = h.hour_timestamp.ends_with('Z');
    let title = if backfill {
        format!(
            "Stored as {} (written by the monitor's backfill at start-up; the live key of the same hour may show too)",
            h.hour_timestamp
        )
    } else {
        format!("Stored as {}", h.hour_timestamp)
    };
    view! {
        <tr data-hour=h.hour_timestamp.clone()>
            <th scope="row" title=title>
                {label}
                {backfill.then(|| view! { <span class="tag">"backfill"</span> })}
            </th>
            {rate_cell("downloads", "Downloads", h.dl_success_rate, h.dl_success, h.dl_fail)}
            {rate_cell("uploads", "Uploads", h.ul_success_rate, h.ul_success, h.ul_fail)}
            {rate_cell("audits", "Audits", h.audit_success_rate, h.audit_success, h.audit_fail)}
            <td class="num half" data-col="dl_mbps" data-label="Down Mbps" data-value=h.dl_mbps.to_string() title=format!("{} bytes downloaded", count(h.total_download_size))>
                {format!("{:.2}", h.dl_mbps)}
            </td>
            <td class="num half" data-col="ul_mbps" data-label="Up Mbps" data-value=h.ul_mbps.to_string() title=format!("{} bytes uploaded", count(h.total_upload_size))>
                {format!("{:.2}", h.ul_mbps)}
            </td>
        </tr>
    }
}

#[component]
pub fn HourlyPanel(t: TrendsView) -> impl IntoView {
    if t.hourly.is_empty() {
        let missing = Missing::of(t.tables.hourly_stats);
        let message = match missing {
            Missing::Table => "This monitor did not record hourly statistics: the file has no hourly_stats table.".to_string(),
            Missing::Rows => format!("No hourly statistics recorded for {}.", scope(&t.node)),
        };
        return view! {
            <section class="card trend hourly-panel" data-testid="hourly-panel">
                <h2>"Hourly traffic and success rates"</h2>
                <TrendEmpty panel="hourly" missing=missing message=message />
            </section>
        }
        .into_any();
    }
    let zone = t.hourly.first().and_then(|h| iso_ms(&h.hour_timestamp)).map(zone_label).unwrap_or_else(|| "local".into());
    let quiet = t.hourly_traffic.iter().all(|p| p.ingress_bytes == 0 && p.egress_bytes == 0);
    let chart = if t.hourly_traffic.is_empty() {
        view! {
            <p class="muted" data-testid="hourly-chart-unavailable">
                "The 24-hour chart cannot be drawn from this file's hourly rows (the warnings above say why)."
            </p>
        }
        .into_any()
    } else {
        view! {
            <figure class="chart trend-chart traffic-chart">
                {
                    let (a, b) = (t.hourly_traffic.clone(), t.hourly_traffic.clone());
                    wide_and_narrow(move || traffic_svg(&a, 760.0, 3), move || traffic_svg(&b, 400.0, 6))
                }
                <figcaption class="legend">
                    <span><i class="swatch ingress"></i>"ingress (uploads to the node), Mbps"</span>
                    <span><i class="swatch egress"></i>"egress (downloads from the node), Mbps"</span>
                    {quiet.then(|| view! { <span data-testid="hourly-quiet">"No traffic in the last 24 hours."</span> })}
                </figcaption>
            </figure>
        }
        .into_any()
    };
    view! {
        <section class="card trend hourly-panel" data-testid="hourly-panel">
            <h2>"Hourly traffic and success rates"</h2>
            <div data-testid="hourly-chart" data-points=t.hourly_traffic.len().to_string()>
                <h3>"Last 24 hours " <small>{format!("(hours in your time, {zone}; hover a bar for its values)")}</small></h3>
                {chart}
                <h3>"Newest hours"</h3>
                <div class="scroll" tabindex="0" role="region" aria-label="Newest hours (scrolls sideways)">
                    <table class="hourly cards" data-testid="hourly-table">
                        <thead><tr>
                            <th scope="col">{format!("Hour ({zone})")}</th>
                            <th scope="col" class="num" title="Successful downloads (GET) / all">"Downloads"</th>
                            <th scope="col" class="num" title="Successful uploads (PUT) / all">"Uploads"</th>
                            <th scope="col" class="num" title="Successful audits / all">"Audits"</th>
                            <th scope="col" class="num" title="Bytes downloaded from the node × 8 / 3,600 s">"Down Mbps"</th>
                            <th scope="col" class="num" title="Bytes uploaded to the node × 8 / 3,600 s">"Up Mbps"</th>
                        </tr></thead>
                        <tbody>{t.hourly.iter().map(hour_row).collect_view()}</tbody>
                    </table>
                </div>
                <p class="footnote">
                    "Success rates: successes ÷ all attempts of the hour, 100 % when there were none. "
                    "An hour the monitor wrote under two keys (live, and backfilled at start-up) shows twice, as in the original."
                </p>
            </div>
        </section>
    }
    .into_any()
}

/// Ingress and egress Mbps per hour as paired bars, each hour's values in a `<title>`; `w`
/// units wide, a label every `label_hours` local hours.
fn traffic_svg(points: &[TrafficPoint], w: f64, label_hours: u32) -> impl IntoView {
    let (h, top, bottom) = (if w < 500.0 { 230.0_f64 } else { 240.0_f64 }, 10.0_f64, 26.0_f64);
    let plot_h = h - top - bottom;
    let max = points.iter().map(|p| mbps(p.ingress_bytes).max(mbps(p.egress_bytes))).fold(0.0, f64::max);
    let ticks = nice_ticks(0.0, if max > 0.0 { max } else { 1.0 });
    let y_max = *ticks.last().unwrap_or(&1.0);
    let step = tick_step(&ticks);
    // Room for the longest value label (about 0.6 em a character).
    let chars = ticks.iter().map(|t| tick_text(*t, step).len()).max().unwrap_or(1) as f64;
    let (left, right) = if w < 500.0 { (10.0 + chars * 8.0, 8.0_f64) } else { (12.0 + chars * 7.5, 12.0_f64) };
    let plot_w = w - left - right;
    let y = move |v: f64| top + plot_h - v / y_max * plot_h;
    let slot = plot_w / points.len().max(1) as f64;
    let bar = slot * 0.36;
    let slots = points.iter().enumerate().map(|(i, p)| {
        let x0 = left + i as f64 * slot;
        let at = iso_ms(&p.timestamp);
        let when = at.map_or_else(|| p.timestamp.clone(), local_moment);
        let title = format!(
            "{when} (the hour from then)\ningress {:.2} Mbps · {} bytes · {} pieces\negress {:.2} Mbps · {} bytes · {} pieces\n{} operations · {:.2} per second",
            p.ingress_mbps,
            count(p.ingress_bytes),
            count(p.ingress_pieces),
            p.egress_mbps,
            count(p.egress_bytes),
            count(p.egress_pieces),
            count(p.total_ops),
            p.concurrency
        );
        let (vi, ve) = (mbps(p.ingress_bytes), mbps(p.egress_bytes));
        // Labels at the ends stay inside the drawing.
        let anchor = if i + 2 >= points.len() {
            "end"
        } else if i < 1 {
            "start"
        } else {
            "middle"
        };
        let label = at.and_then(|ms| {
            let hour = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms)).get_hours();
            hour.is_multiple_of(label_hours).then(|| local_clock(ms))
        });
        view! {
            <g class="slot" data-timestamp=p.timestamp.clone()>
                <rect class="tbar ingress" x=x0 + slot * 0.12 y=y(vi) width=bar height=(y(0.0) - y(vi)).max(0.0) />
                <rect class="tbar egress" x=x0 + slot * 0.12 + bar y=y(ve) width=bar height=(y(0.0) - y(ve)).max(0.0) />
                {label.map(|text| view! {
                    <g class="tick">
                        <text class="xl" x=x0 + slot / 2.0 y=h - bottom + 16.0 text-anchor=anchor>{text}</text>
                    </g>
                })}
                <rect class="hover" x=x0 y=top width=slot height=plot_h><title>{title}</title></rect>
            </g>
        }
    });
    view! {
        <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label="Ingress and egress in Mbps for each of the last 25 hours">
            {ticks.iter().map(|t| view! {
                <g class="tick">
                    <line x1=left x2=w - right y1=y(*t) y2=y(*t) />
                    <text x=left - 6.0 y=y(*t) + 4.0 text-anchor="end">{tick_text(*t, step)}</text>
                </g>
            }).collect_view()}
            {slots.collect_view()}
            <line class="axis" x1=left x2=w - right y1=y(0.0) y2=y(0.0) />
        </svg>
    }
}
