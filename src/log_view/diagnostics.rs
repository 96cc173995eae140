//! The log's diagnostics: reading time and speed, each kind of skipped line with its first
//! example, NUL runs, unattributed cancels, other actions, caps reached, warnings.

use leptos::prelude::*;

use super::n;
use model::format::{duration_ms, human_bytes};
use model::log_report::LogReport;

#[component]
pub fn LogDiagnostics(report: LogReport) -> impl IntoView {
    let d = report.diagnostics;
    let l = report.lines;
    let speed = match (d.elapsed_ms, d.mb_per_s) {
        (Some(ms), Some(r)) => format!("read in {} · {r:.0} MB/s · {} slices", duration_ms(ms), n(d.slices)),
        (Some(ms), None) => format!("read in {}", duration_ms(ms)),
        _ => format!("{} slices", n(d.slices)),
    };
    let u = report.unattributed;
    view! {
        <details class="card diagnostics" id="log-diagnostics" data-testid="diagnostics">
            <summary>"Diagnostics " <small class="muted">{speed}</small></summary>
            <div class="diag-grid">
                <div>
                    <h3>"Lines"</h3>
                    <table><tbody>
                        <tr><td>"read"</td><td class="num">{n(l.read)}</td></tr>
                        <tr><td>"node lines"</td><td class="num">{n(l.node)}</td></tr>
                        {l.by_level.iter().filter(|(_, c)| **c > 0).map(|(lv, c)| view! { <tr><td class="mono">{lv.clone()}</td><td class="num">{n(*c)}</td></tr> }).collect_view()}
                        <tr><td>"not understood"</td><td class="num">{n(l.not_understood)}</td></tr>
                        <tr><td>"invalid UTF-8"</td><td class="num">{n(l.invalid_utf8)}</td></tr>
                        <tr><td>"NUL runs (bytes)"</td><td class="num">{format!("{} ({})", n(l.nul_bytes.runs), n(l.nul_bytes.bytes))}</td></tr>
                        <tr><td>"unattributed race-lost cancels"</td><td class="num">{format!("{} down, {} up", n(u.download_canceled), n(u.upload_canceled))}</td></tr>
                        <tr><td>"text read"</td><td class="num">{human_bytes(d.text_bytes)}</td></tr>
                        <tr><td>"longest line"</td><td class="num">{human_bytes(report.input.longest_line_bytes)}</td></tr>
                        <tr><td>"input"</td><td>{format!("{} · {} · docker prefix {} · {} CRLF lines", report.input.compression, report.input.encoding, report.input.docker_prefix, n(report.input.crlf_lines))}</td></tr>
                    </tbody></table>
                </div>
                <div>
                    <h3>"Skipped lines"</h3>
                    {l.skipped.is_empty().then(|| view! { <p class="muted">"None: every line was understood."</p> })}
                    <ul class="skipped">
                        {l.skipped.iter().map(|(kind, s)| view! {
                            <li data-kind=kind.clone()>
                                <strong>{kind.clone()}</strong> {format!(" × {} — first at line {}:", n(s.count), n(s.first.line))}
                                <code class="example">{s.first.text.clone()}</code>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(!report.other_actions.is_empty()).then(|| view! {
                        <h3>"Other actions"</h3>
                        <table><tbody>{report.other_actions.iter().map(|(a, c)| view! {
                            <tr><td class="mono">{a.clone()}</td><td class="num">{format!("{} ok · {} canceled · {} failed", n(c.success), n(c.canceled), n(c.failed))}</td></tr>
                        }).collect_view()}</tbody></table>
                    })}
                    <h3>"Limits"</h3>
                    <table><tbody>
                        <tr><td>"open transfers (peak, dropped)"</td><td class="num">{format!("{}, {}", n(d.open_transfers_peak), n(d.open_transfers_dropped))}</td></tr>
                        <tr><td>"reasons beyond 1,000 per list"</td><td class="num">{n(d.reasons_overflow)}</td></tr>
                        <tr><td>"hours, satellites beyond the caps"</td><td class="num">{format!("{}, {}", n(d.hours_dropped), n(d.satellites_dropped))}</td></tr>
                    </tbody></table>
                    {(!d.warnings.is_empty()).then(|| view! {
                        <h3>"Warnings"</h3>
                        <ul>{d.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                    })}
                </div>
            </div>
        </details>
    }
}
