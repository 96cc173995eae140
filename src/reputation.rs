//! The reputation panel (TRENDS.md sections 2 and 7): the newest scores per node and satellite
//! against the original monitor's thresholds, in words and colour, with its flags and alerts;
//! for one node, its scores over the last 24 hours (one small chart per score).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::trend_charts::{line_key, max_gap, nice_ticks, time_chart, time_ticks, Line, Threshold, Tick, TimeChart};
use crate::trends::{iso_ms, local_clock, local_moment, local_text, scope, Missing, TrendEmpty};
use model::trends_view::{score_text, Alert, ReputationPoint, ReputationView, ScoreLevel, TrendsView};

const HOUR_MS: f64 = crate::trend_charts::HOUR_MS;

pub const TIP_LEVELS: &str = "Score levels: good ≥ 95, fair ≥ 85, poor below 85; N/A when the satellite reports none.";
const TIP_AUDIT: &str = "Audit score (%): alerts below 85 (warning) and below 70 (critical). Disqualification is the satellite's flag.";
const TIP_SUSPENSION: &str = "Suspension score (%): alert below 60 (critical: suspension risk).";
const TIP_ONLINE: &str = "Online score (%): alert below 95 (uptime warning).";
const TIP_HEALTH: &str = "Health score: 0.4 × audit + 0.3 × suspension + 0.3 × online, 2 decimals.";

/// An alert in words, its severity said when the words do not say it.
pub fn alert_text(a: &Alert) -> String {
    let words = match a.alert_type.as_str() {
        "node_disqualified" => "disqualified",
        "node_suspended" => "suspended",
        "audit_score_critical" => "audit score critical",
        "audit_score_warning" => "audit score warning",
        "suspension_risk" => "suspension risk",
        "uptime_warning" => "uptime warning",
        other => return format!("{} ({})", other.replace('_', " "), a.severity),
    };
    if words.contains(a.severity.as_str()) {
        words.to_string()
    } else {
        format!("{words} ({})", a.severity)
    }
}

fn level_class(level: ScoreLevel) -> &'static str {
    match level {
        ScoreLevel::Good => "good",
        ScoreLevel::Fair => "fair",
        ScoreLevel::Poor => "poor",
        ScoreLevel::NotAvailable => "na",
    }
}

fn score_cell(col: &'static str, label: &'static str, score: Option<f64>, tip: &'static str) -> impl IntoView {
    let level = ScoreLevel::of(score);
    let text = score_text(score);
    // The level in words, then a space: "good 99.75" for screen readers and copy-paste too.
    let word = (level != ScoreLevel::NotAvailable).then(|| view! { <span class="level">{level.label()}</span>" " });
    view! {
        <td class=format!("num score {}", level_class(level)) data-col=col data-label=label data-level=level_class(level)
            data-value=score.map(|s| s.to_string()) title=format!("{tip} {TIP_LEVELS}")>
            {word}
            <span class="v">{text}</span>
        </td>
    }
}

fn reputation_row(r: &ReputationView, show_node: bool) -> impl IntoView {
    let health = r.health_score.map_or("N/A".to_string(), |h| format!("{h:.2}"));
    let polled = format!("Newest poll: {} (local time)", local_text(&r.timestamp));
    let alerts = if r.alerts.is_empty() {
        view! { <span class="muted">"none"</span> }.into_any()
    } else {
        view! {
            <ul class="alerts">
                {r.alerts.iter().map(|a| view! {
                    <li class=format!("alert {}", a.severity) data-alert=a.alert_type.clone()>{alert_text(a)}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <tr data-satellite=r.satellite.clone() data-node=r.node_name.clone() class:flagged=r.is_disqualified || r.is_suspended title=polled>
            {show_node.then(|| view! { <td class="node">{r.node_name.clone()}</td> })}
            <th scope="row" class="sat">
                <span class="sat-name">{r.satellite_name.clone()}</span>
                {r.is_disqualified.then(|| view! { <span class="badge critical" data-flag="disqualified">"Disqualified"</span> })}
                {r.is_suspended.then(|| view! { <span class="badge critical" data-flag="suspended">"Suspended"</span> })}
                <span class="sat-id" title=r.satellite.clone()>{r.satellite.clone()}</span>
            </th>
            {score_cell("audit", "Audit", r.audit_score, TIP_AUDIT)}
            {score_cell("suspension", "Suspension", r.suspension_score, TIP_SUSPENSION)}
            {score_cell("online", "Online", r.online_score, TIP_ONLINE)}
            <td class="num" data-col="health" data-label="Health" data-value=r.health_score.map(|h| h.to_string()) title=TIP_HEALTH>{health}</td>
            <td data-col="alerts" data-label="Alerts">{alerts}</td>
        </tr>
    }
}

#[component]
pub fn ReputationPanel(t: TrendsView, now_ms: Option<f64>) -> impl IntoView {
    let single = t.node.is_some();
    let body = if t.reputation.is_empty() {
        let missing = Missing::of(t.tables.reputation_history);
        let message = match missing {
            Missing::Table => "This monitor did not record reputation: the file has no reputation_history table.".to_string(),
            Missing::Rows => format!("No reputation poll recorded for {}.", scope(&t.node)),
        };
        let hint = "The monitor polls each satellite's audit, suspension and online scores through the node's API.".to_string();
        view! { <TrendEmpty panel="reputation" missing=missing message=message hint=hint /> }.into_any()
    } else {
        let (rows, left_out) = (t.reputation.clone(), t.reputation_left_out);
        view! {
            <div class="scroll" tabindex="0" role="region" aria-label="Reputation per satellite (scrolls sideways)">
                <table class="reputation cards" data-testid="reputation-table">
                    <thead><tr>
                        {(!single).then(|| view! { <th scope="col">"Node"</th> })}
                        <th scope="col">"Satellite"</th>
                        <th scope="col" class="num" title=TIP_AUDIT>"Audit"</th>
                        <th scope="col" class="num" title=TIP_SUSPENSION>"Suspension"</th>
                        <th scope="col" class="num" title=TIP_ONLINE>"Online"</th>
                        <th scope="col" class="num" title=TIP_HEALTH>"Health"</th>
                        <th scope="col">"Alerts"</th>
                    </tr></thead>
                    <tbody>{rows.iter().map(|r| reputation_row(r, !single)).collect_view()}</tbody>
                </table>
            </div>
            {(left_out > 0).then(|| view! {
                <p class="footnote" data-testid="reputation-more">
                    {format!(
                        "{} of {} rows are listed, those with alerts first; pick a node above for its own, or download the report for all.",
                        rows.len(),
                        rows.len() + left_out
                    )}
                </p>
            })}
            <p class="footnote legend-text">
                <span class="score good"><span class="level">"good"</span></span>" ≥ 95, "
                <span class="score fair"><span class="level">"fair"</span></span>" ≥ 85, "
                <span class="score poor"><span class="level">"poor"</span></span>" below. Alerts as the original monitor raises them: "
                "audit < 70 critical, < 85 warning; suspension < 60 critical; online < 95 warning; "
                "disqualified and suspended are the satellite's own flags. Hover a row for the time of its newest poll."
            </p>
        }
        .into_any()
    };
    let chart = single.then(|| {
        let node = t.node.clone().unwrap_or_default();
        if t.reputation_history.is_empty() {
            let message = if t.reputation.is_empty() {
                "No scores to chart.".to_string()
            } else {
                format!("No reputation poll in the last 24 hours for {node}: the table above shows the newest ones.")
            };
            view! { <TrendEmpty panel="reputation-chart" missing=Missing::Rows message=message /> }.into_any()
        } else {
            let order: Vec<String> = t.reputation.iter().map(|r| r.satellite.clone()).collect();
            view! { <ReputationChart node=node points=t.reputation_history.clone() order=order now_ms=now_ms /> }.into_any()
        }
    });
    view! {
        <section class="card trend reputation-panel" data-testid="reputation-panel">
            <h2>"Reputation"</h2>
            {body}
            {chart}
        </section>
    }
}

/// A satellite's line style: the position of its id among the node's satellites.
fn series_class(index: usize) -> String {
    format!("s{}", index % 5)
}

struct Metric {
    title: &'static str,
    get: fn(&ReputationPoint) -> Option<f64>,
    thresholds: &'static [(f64, &'static str)],
    note: &'static str,
}

const METRICS: [Metric; 3] = [
    Metric { title: "Audit", get: |p| p.audit_score, thresholds: &[(85.0, "warning"), (70.0, "critical")], note: "alerts < 85, < 70" },
    Metric { title: "Suspension", get: |p| p.suspension_score, thresholds: &[(60.0, "critical")], note: "alert < 60" },
    Metric { title: "Online", get: |p| p.online_score, thresholds: &[(95.0, "warning")], note: "alert < 95" },
];

#[component]
fn ReputationChart(node: String, points: Vec<ReputationPoint>, order: Vec<String>, now_ms: Option<f64>) -> impl IntoView {
    // Satellites in the table's order, then any only in the history.
    let mut sats: Vec<(String, String)> = Vec::new();
    for id in order.iter().chain(points.iter().map(|p| &p.satellite)) {
        if !sats.iter().any(|(s, _)| s == id) {
            let name = points.iter().find(|p| &p.satellite == id).map(|p| p.satellite_name.clone()).unwrap_or_else(|| id.clone());
            sats.push((id.clone(), name));
        }
    }
    let timed: Vec<(f64, &ReputationPoint)> = points.iter().filter_map(|p| iso_ms(&p.timestamp).map(|t| (t, p))).collect();
    let first = timed.iter().map(|(t, _)| *t).fold(f64::INFINITY, f64::min);
    let last = timed.iter().map(|(t, _)| *t).fold(f64::NEG_INFINITY, f64::max);
    let x_range = match now_ms {
        Some(now) => ((now - 24.0 * HOUR_MS).min(first), now.max(last)),
        None => (first, last.max(first + HOUR_MS)),
    };
    let mut instants: Vec<f64> = timed.iter().map(|(t, _)| *t).collect();
    instants.dedup();
    let gap = max_gap(&instants);
    let x_ticks = time_ticks(x_range.0, x_range.1, 6.0 * HOUR_MS, local_clock);

    let charts = METRICS
        .iter()
        .map(|m| {
            let values: Vec<f64> = timed.iter().filter_map(|(_, p)| valid((m.get)(p))).collect();
            let data_lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let data_hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lowest_threshold = m.thresholds.iter().map(|(v, _)| *v).fold(f64::INFINITY, f64::min);
            let lo = ((data_lo.min(lowest_threshold) - 1.0) / 5.0).floor() * 5.0;
            let hi = data_hi.max(100.0);
            let ticks = nice_ticks(lo.max(0.0), hi);
            let y_range = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(100.0));
            let y_ticks = ticks.iter().map(|v| Tick { at: *v, label: format!("{v:.0}") }).collect();
            let lines = sats
                .iter()
                .enumerate()
                .map(|(i, (id, _))| Line {
                    class: series_class(i),
                    points: timed
                        .iter()
                        .filter(|(_, p)| &p.satellite == id)
                        .filter_map(|(t, p)| valid((m.get)(p)).map(|v| (*t, v)))
                        .collect(),
                })
                .collect();
            // One hover text per poll: every satellite's value of this score.
            let mut by_time: BTreeMap<i64, Vec<&ReputationPoint>> = BTreeMap::new();
            for (t, p) in &timed {
                by_time.entry(*t as i64).or_default().push(p);
            }
            let hovers = by_time
                .iter()
                .map(|(t, ps)| {
                    let parts: Vec<String> = ps
                        .iter()
                        .map(|p| {
                            let flags = match (p.is_disqualified, p.is_suspended) {
                                (true, true) => " (disqualified, suspended)",
                                (true, false) => " (disqualified)",
                                (false, true) => " (suspended)",
                                _ => "",
                            };
                            let v = (m.get)(p);
                            format!("{} {} {}{flags}", p.satellite_name, score_text(v), ScoreLevel::of(v).label())
                        })
                        .collect();
                    (*t as f64, format!("{} · {} score\n{}", local_moment(*t as f64), m.title, parts.join("\n")))
                })
                .collect();
            let thresholds =
                m.thresholds.iter().map(|(v, class)| Threshold { value: *v, label: format!("{v:.0} {class}"), class }).collect();
            let svg = time_chart(TimeChart {
                width: 360.0,
                height: 190.0,
                left: 30.0,
                right: 8.0,
                top: 8.0,
                bottom: 24.0,
                x_range,
                y_range,
                y_ticks,
                x_ticks: x_ticks.clone(),
                lines,
                max_gap_ms: gap,
                hovers,
                thresholds,
                aria_label: format!("{} scores of {node}'s satellites over the last 24 hours", m.title),
            });
            view! {
                <div class="rep-chart" data-metric=m.title.to_lowercase()>
                    <h4>{m.title} <small class="muted">{format!(" %, {}", m.note)}</small></h4>
                    {svg}
                </div>
            }
        })
        .collect_view();
    view! {
        <figure class="chart trend-chart" data-testid="reputation-chart" data-points=points.len().to_string()>
            <h3>"Last 24 hours " <small class="muted">"(local time; hover for the values)"</small></h3>
            <div class="rep-grid">{charts}</div>
            <figcaption class="legend">
                {sats.iter().enumerate().map(|(i, (_, name))| line_key(series_class(i), name.clone())).collect_view()}
                <span class="line-key"><i class="thr-key warning"></i>"warning threshold"</span>
                <span class="line-key"><i class="thr-key critical"></i>"critical threshold"</span>
            </figcaption>
        </figure>
    }
}

/// A score that is drawn: 0 and missing ones are gaps ("N/A"), not zeros.
fn valid(score: Option<f64>) -> Option<f64> {
    (ScoreLevel::of(score) != ScoreLevel::NotAvailable).then(|| score.unwrap_or(0.0))
}
