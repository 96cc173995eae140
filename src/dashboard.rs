//! The dashboard: file card with "as of", pickers, summary cards, earnings table and chart,
//! latency panel, downloads, diagnostics. Every figure comes from [`Analysis`].

use leptos::prelude::*;

use crate::app::AppState;
use crate::charts::{EarningsChart, Histogram};
use crate::download::save_text;
use crate::summary::FileCard;
use model::format::{count, duration_ms, instant, millis, money, percent, tb};
use model::view::{
    download_name, earnings_csv, histogram_csv, latency_csv, slow_csv, Analysis, CategoryRow, DiagnosticsView, LatencyPanel, LatencyView,
    NowMode, SatelliteRow, Summary, BUCKET_CHOICES, TB, WINDOW_CHOICES,
};

const TIP_TB_MONTH: &str =
    "TB·month: the average amount stored over the month, in TB (2^40 bytes, as the monitor counts). Storage is paid per TB·month.";
const TIP_HELD: &str = "Held back: the part of the earnings a young node does not receive yet (75 % in months 1–3, 50 % in 4–6, 25 % in 7–9). Storj pays part of it back after month 15.";
const TIP_REPAIR: &str = "Repair: data this node sent so that the network could rebuild pieces lost elsewhere (GET_REPAIR), paid per TB.";
const TIP_AUDIT: &str = "Audit: data this node sent when a satellite checked that it still holds its pieces (GET_AUDIT), paid per TB.";
const TIP_EGRESS: &str = "Egress: data downloaded from this node by customers (GET), paid per TB.";
const TIP_PAID: &str = "Paid: gross earnings minus the held-back amount, what the operator receives.";
const TIP_ESTIMATE: &str = "Month-end estimate: the month-to-date net earnings extrapolated by the elapsed share of the month.";

#[component]
pub fn Dashboard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analysis = state.analysis;
    view! {
        <div class="dashboard" aria-busy=move || state.busy.get().to_string()>
            {move || state.file.get().map(|f| view! { <FileCard summary=f><AsOf /></FileCard> })}
            <Controls />
            {move || analysis.with(|a| a.as_ref().map(|a| view! {
                <Warnings warnings=a.warnings.clone() />
                <SummaryCards summary=a.summary.clone() is_current=a.is_current_period all=a.params.node.is_none() />
                {if a.empty {
                    view! { <EmptyState node=a.params.node.clone() period=a.period.clone() /> }.into_any()
                } else {
                    view! {
                        <EarningsTable rows=a.satellites.clone() totals=a.totals.clone() />
                        <section class="card">
                            <h2>"Earnings by satellite"</h2>
                            <EarningsChart rows=a.satellites.clone() />
                        </section>
                    }.into_any()
                }}
            }))}
            <LatencySection />
            <Downloads />
            // The <details> stays in place (open or closed) while its content follows the analysis.
            <details class="card diagnostics" data-testid="diagnostics">
                {move || analysis.with(|a| a.as_ref().map(|a| view! { <Diagnostics d=a.diagnostics.clone() /> }))}
            </details>
        </div>
    }
}

/// "As of ..." and the switch between the file's newest record and the current time.
#[component]
fn AsOf() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev: leptos::ev::Event| {
        let mode = match event_target_value(&ev).as_str() {
            "current" => NowMode::Current,
            "file" => NowMode::File,
            _ => return,
        };
        // Another now: show the month of the new now.
        state.reanalyze(|p| {
            p.now = mode;
            p.period = None;
        });
    };
    view! {
        <div class="as-of">
            {move || state.analysis.with(|a| a.as_ref().map(|a| view! {
                <p>"As of " <strong data-testid="as-of" data-now=a.now_iso.clone()>{instant(&a.now_iso)}</strong></p>
            }))}
            <label>
                <span class="label">"“Now” is "</span>
                <select data-testid="now-select" on:change=on_change>
                    {move || {
                        let (mode, file_now) = state.analysis.with(|a| {
                            a.as_ref().map_or((NowMode::File, None), |a| (a.params.now, a.file_now_iso.clone()))
                        });
                        let file_label = match file_now {
                            Some(_) => "the newest record in the file".to_string(),
                            None => "the newest record (none: the clock)".to_string(),
                        };
                        view! {
                            <option value="file" selected=mode == NowMode::File>{file_label}</option>
                            <option value="current" selected=mode == NowMode::Current>"the current time"</option>
                            {matches!(mode, NowMode::At(_)).then(|| view! {
                                <option value="at" selected=true>"fixed by the address (?now=…)"</option>
                            })}
                        }
                    }}
                </select>
            </label>
        </div>
    }
}

/// Node and period pickers.
#[component]
fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_node = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        state.reanalyze(|p| p.node = (!v.is_empty()).then_some(v));
    };
    let on_period = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        state.reanalyze(|p| p.period = Some(v));
    };
    view! {
        <div class="controls card">
            <label>
                <span class="label">"Node"</span>
                <select data-testid="node-select" on:change=on_node>
                    {move || state.analysis.with(|a| a.as_ref().map(|a| {
                        let current = a.params.node.clone();
                        let nodes = a.nodes.clone();
                        view! {
                            <option value="" selected=current.is_none()>{format!("All nodes ({})", nodes.len())}</option>
                            {nodes.into_iter().map(|n| {
                                let selected = current.as_deref() == Some(n.as_str());
                                view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                            }).collect_view()}
                        }
                    }))}
                </select>
            </label>
            <label>
                <span class="label">"Month"</span>
                <select data-testid="period-select" on:change=on_period>
                    {move || state.analysis.with(|a| a.as_ref().map(|a| {
                        let current = a.period.clone();
                        a.periods.iter().map(|p| {
                            view! { <option value=p.clone() selected=*p == current>{p.clone()}</option> }
                        }).collect_view()
                    }))}
                </select>
            </label>
            <span class="busy" class:on=move || state.busy.get() role="status" data-testid="busy">
                {move || if state.busy.get() {
                    if state.indexing.get() { "Updating (after the indexes)…" } else { "Updating…" }
                } else if state.indexing.get() {
                    "Building indexes in the background…"
                } else { "" }}
            </span>
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
fn SummaryCards(summary: Summary, is_current: bool, all: bool) -> impl IntoView {
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
fn EarningsTable(rows: Vec<SatelliteRow>, totals: SatelliteRow) -> impl IntoView {
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

#[component]
fn LatencySection() -> impl IntoView {
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
    let params = move || state.analysis.with(|a| a.as_ref().map(|a| (a.params.hours, a.params.bucket_ms)).unwrap_or((Some(24), 100)));
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
            {move || state.analysis.with(|a| a.as_ref().map(|a| match &a.latency {
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
            {move || state.analysis.with(|a| a.as_ref().and_then(|a| match &a.latency {
                LatencyPanel::Ready(l) => Some(view! { <Histogram bars=l.histogram.clone() bucket_ms=l.bucket_ms /> }),
                LatencyPanel::Unavailable(_) => None,
            }))}
            {move || state.analysis.with(|a| a.as_ref().and_then(|a| match &a.latency {
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
        "computed for the 1 h and 24 h windows, once the indexes are built".to_string()
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
fn LatencyCards(l: LatencyView) -> impl IntoView {
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
fn SlowOperations(l: LatencyView) -> impl IntoView {
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

#[component]
fn Downloads() -> impl IntoView {
    let state = expect_context::<AppState>();
    let save_csv = move |what: &'static str, make: fn(&Analysis) -> String| {
        state.analysis.with_untracked(|a| {
            if let Some(a) = a {
                save_text(&download_name(what, a, "csv"), "text/csv", &make(a));
            }
        })
    };
    let save_json = move |_| {
        let name = state
            .analysis
            .with_untracked(|a| a.as_ref().map(|a| format!("storj-lens-report-{}.json", a.now_iso.replace(':', "").replace("+0000", "Z"))));
        state.report_json.with_untracked(|json| {
            if let (Some(json), Some(name)) = (json, name) {
                save_text(&name, "application/json", json);
            }
        });
    };
    let no_latency = move || state.analysis.with(|a| !matches!(a.as_ref().map(|a| &a.latency), Some(LatencyPanel::Ready(_))));
    view! {
        <section class="card downloads">
            <h2>"Downloads"</h2>
            <div class="actions left">
                <button class="button primary" data-testid="download-json" on:click=save_json
                    disabled=move || state.report_json.with(Option::is_none)
                    title="The full report, the same JSON as `storj-lens analyze FILE --now …` prints">
                    "Download report (JSON)"
                </button>
                <button class="button" data-testid="download-earnings-csv" on:click=move |_| save_csv("earnings", earnings_csv)>
                    "Earnings table (CSV)"
                </button>
                <button class="button" data-testid="download-latency-csv" disabled=no_latency on:click=move |_| save_csv("latency", latency_csv)>
                    "Latency table (CSV)"
                </button>
                <button class="button" data-testid="download-histogram-csv" disabled=no_latency on:click=move |_| save_csv("histogram", histogram_csv)>
                    "Histogram (CSV)"
                </button>
                <button class="button" data-testid="download-slow-csv" disabled=no_latency on:click=move |_| save_csv("slow-operations", slow_csv)>
                    "Slowest operations (CSV)"
                </button>
            </div>
        </section>
    }
}

#[component]
fn Diagnostics(d: DiagnosticsView) -> impl IntoView {
    let timing_rows = |ts: Vec<model::view::Timing>| {
        ts.into_iter().map(|t| view! { <tr><td>{t.stage}</td><td class="num">{duration_ms(t.ms)}</td></tr> }).collect_view()
    };
    view! {
        <summary>"Diagnostics " <small class="muted">{format!("SQLite {} · this request {}", d.sqlite_version, duration_ms(d.request_ms))}</small></summary>
            <div class="diag-grid">
                <div>
                    <h3>"Stages (worker)"</h3>
                    <table><tbody>{timing_rows(d.stages)}</tbody></table>
                    <h3>"Engine (full report)"</h3>
                    <table><tbody>{timing_rows(d.engine)}</tbody></table>
                </div>
                <div>
                    <h3>"Indexes"</h3>
                    <table>
                        <thead><tr><th scope="col">"Index"</th><th scope="col">"Status"</th><th scope="col" class="num">"Time"</th></tr></thead>
                        <tbody>{d.indexes.into_iter().map(|i| view! {
                            <tr><td class="mono">{i.name}</td><td>{if i.created { "created" } else { "already there" }}</td><td class="num">{duration_ms(i.ms)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                    <h3>"Caches"</h3>
                    <table>
                        <thead><tr><th scope="col">"Cache"</th><th scope="col" class="num">"Hits"</th><th scope="col" class="num">"Misses"</th><th scope="col" class="num">"Hit rate"</th></tr></thead>
                        <tbody>{d.caches.into_iter().map(|c| {
                            let rate = c.hit_rate().map_or("—".to_string(), percent);
                            view! { <tr><td>{c.name}</td><td class="num">{count(c.hits)}</td><td class="num">{count(c.misses)}</td><td class="num">{rate}</td></tr> }
                        }).collect_view()}</tbody>
                    </table>
                    <p class="muted">{format!("SQLite {}", d.sqlite_version)}</p>
                </div>
            </div>
    }
}
