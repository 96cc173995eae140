//! The satellites' scores (NODE_DATA.md §3.9, §5.1): audit, suspension and online scores against
//! their thresholds (red below, amber within 0.01 above), and the vetting progress.

use leptos::prelude::*;
use model::node_report::{NodeReport, ScoreRow};

/// A score cell coloured against its threshold.
fn score(field: &'static str, value: Option<f64>, threshold: f64) -> impl IntoView {
    let (class, level) = match value {
        None => ("score na", ""),
        Some(v) if v < threshold => ("score poor", "below"),
        Some(v) if v < threshold + 0.01 => ("score fair", "close"),
        Some(_) => ("score good", ""),
    };
    let text = value.map(|v| format!("{:.2}%", v * 100.0)).unwrap_or_else(|| "—".to_string());
    view! {
        <td class=format!("num {class}") data-field=field data-value=value.map(|v| v.to_string())
            title=format!("threshold {:.0}%", threshold * 100.0)>
            {(!level.is_empty()).then(|| view! { <span class="level">{level}</span> })}
            <span class="v">{text}</span>
        </td>
    }
}

fn vetting(row: &ScoreRow) -> impl IntoView {
    match &row.vetting {
        None => view! { <td class="vetting done">{format!("vetted {}", row.vetted_at.as_deref().map(|v| v.get(..10).unwrap_or(v)).unwrap_or(""))}</td> }.into_any(),
        Some(v) => {
            let audits = v.audits.clamp(0, v.audits_needed);
            let hours = v.hours.clamp(0.0, v.hours_needed);
            view! {
                <td class="vetting" data-field="vetting_percent" data-value=v.percent.to_string()>
                    <span class="vet-line">
                        <progress max=v.audits_needed value=audits></progress>
                        {format!(" {}/{} audits", v.audits, v.audits_needed)}
                    </span>
                    <span class="vet-line">
                        <progress max=v.hours_needed value=hours></progress>
                        {format!(" {:.0}/{:.0} hours", v.hours.max(0.0), v.hours_needed)}
                    </span>
                    <span class="qty">{format!("{}% vetted", v.percent)}</span>
                </td>
            }
            .into_any()
        }
    }
}

#[component]
pub fn ReputationTable(report: NodeReport) -> impl IntoView {
    let t = report.scores.thresholds.clone();
    let rows = report.scores.satellites.clone();
    view! {
        <section class="card node-reputation">
            <h2>"Reputation"</h2>
            {if rows.is_empty() {
                view! { <p class="muted">"reputation.db holds no satellite yet."</p> }.into_any()
            } else {
                view! {
                    <div class="scroll" tabindex="0" role="region" aria-label="Reputation (scrolls sideways)">
                        <table class="node-scores" data-testid="reputation-table">
                            <thead><tr>
                                <th scope="col">"Satellite"</th>
                                <th scope="col" class="num" title="Disqualified below 96 %">"Audit"</th>
                                <th scope="col" class="num" title="Suspended below 60 %">"Suspension"</th>
                                <th scope="col" class="num" title="Suspended below 60 %">"Online"</th>
                                <th scope="col" class="num">"Audits"</th>
                                <th scope="col">"Vetting"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let flags: Vec<String> = [
                                        (r.disqualified_at.as_ref(), "disqualified"),
                                        (r.suspended_at.as_ref(), "suspended (audits)"),
                                        (r.offline_suspended_at.as_ref(), "suspended (downtime)"),
                                        (r.offline_under_review_at.as_ref(), "downtime review"),
                                    ].into_iter().filter_map(|(at, what)| at.map(|at| format!("{what} {}", at.get(..10).unwrap_or(at)))).collect();
                                    let flagged = !flags.is_empty();
                                    let audits = match (r.audit_success_count, r.audit_total_count) {
                                        (Some(s), Some(t)) => format!("{s} / {t}"),
                                        _ => "—".to_string(),
                                    };
                                    view! {
                                        <tr data-satellite=r.satellite.clone() class:flagged=flagged>
                                            <th scope="row" class="sat">
                                                <span class="sat-name" title=r.satellite.clone()>{r.name.clone()}</span>
                                                {flags.into_iter().map(|f| view! { <span class="badge critical">{f}</span> }).collect_view()}
                                            </th>
                                            {score("audit_score", r.audit_score, t.disqualification)}
                                            {score("suspension_score", r.suspension_score, t.suspension)}
                                            {score("online_score", r.online_score, t.online)}
                                            <td class="num" data-field="audits">{audits}</td>
                                            {vetting(&r)}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
