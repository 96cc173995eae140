//! Compared with successrate.sh: one row per figure it prints, as it prints it, beside the same
//! formula over what the node really did, and for each difference the kinds of lines behind it.

use leptos::prelude::*;

use super::n;
use model::log_report::{cause_sentence, CompatCategories, LogReport, ROUNDING_FOOTNOTE};

/// (section, title, [(field, label)]) in the order successrate.sh prints them (LOGS.md §4.4).
/// A printed section: its key, its title, its (field, label) lines.
type Section = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const SECTIONS: [Section; 6] = [
    (
        "audit",
        "AUDIT",
        &[
            ("critically_failed", "Critically failed"),
            ("critical_fail_rate", "Critical Fail Rate"),
            ("recoverable_failed", "Recoverable failed"),
            ("recoverable_fail_rate", "Recoverable Fail Rate"),
            ("successful", "Successful"),
            ("success_rate", "Success Rate"),
        ],
    ),
    (
        "download",
        "DOWNLOAD",
        &[
            ("failed", "Failed"),
            ("fail_rate", "Fail Rate"),
            ("canceled", "Canceled"),
            ("cancel_rate", "Cancel Rate"),
            ("successful", "Successful"),
            ("success_rate", "Success Rate"),
        ],
    ),
    (
        "upload",
        "UPLOAD",
        &[
            ("rejected", "Rejected"),
            ("acceptance_rate", "Acceptance Rate"),
            ("failed", "Failed"),
            ("fail_rate", "Fail Rate"),
            ("canceled", "Canceled"),
            ("cancel_rate", "Cancel Rate"),
            ("successful", "Successful"),
            ("success_rate", "Success Rate"),
        ],
    ),
    (
        "repair_download",
        "REPAIR DOWNLOAD",
        &[
            ("failed", "Failed"),
            ("fail_rate", "Fail Rate"),
            ("canceled", "Canceled"),
            ("cancel_rate", "Cancel Rate"),
            ("successful", "Successful"),
            ("success_rate", "Success Rate"),
        ],
    ),
    (
        "repair_upload",
        "REPAIR UPLOAD",
        &[
            ("failed", "Failed"),
            ("fail_rate", "Fail Rate"),
            ("canceled", "Canceled"),
            ("cancel_rate", "Cancel Rate"),
            ("successful", "Successful"),
            ("success_rate", "Success Rate"),
        ],
    ),
    (
        "delete",
        "DELETE",
        &[("failed", "Failed"), ("fail_rate", "Fail Rate"), ("successful", "Successful"), ("success_rate", "Success Rate")],
    ),
];

/// A rate as successrate.sh prints it: 3 decimals and `%`, `-nan%` with nothing to divide by.
fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "-nan%".to_string(), |f| format!("{f:.3}%"))
}

/// One printed figure of a section, as successrate.sh prints it.
fn printed(c: &CompatCategories, cat: &str, field: &str) -> String {
    let t = match cat {
        "download" => Some(&c.download),
        "repair_download" => Some(&c.repair_download),
        "repair_upload" => Some(&c.repair_upload),
        _ => None,
    };
    let (a, u, d) = (&c.audit, &c.upload, &c.delete);
    match (cat, field, t) {
        ("audit", "critically_failed", _) => a.critically_failed.to_string(),
        ("audit", "critical_fail_rate", _) => rate(a.critical_fail_rate),
        ("audit", "recoverable_failed", _) => a.recoverable_failed.to_string(),
        ("audit", "recoverable_fail_rate", _) => rate(a.recoverable_fail_rate),
        ("audit", "successful", _) => a.successful.to_string(),
        ("audit", "success_rate", _) => rate(a.success_rate),
        ("upload", "rejected", _) => u.rejected.to_string(),
        ("upload", "acceptance_rate", _) => rate(u.acceptance_rate),
        ("upload", "failed", _) => u.failed.to_string(),
        ("upload", "fail_rate", _) => rate(u.fail_rate),
        ("upload", "canceled", _) => u.canceled.to_string(),
        ("upload", "cancel_rate", _) => rate(u.cancel_rate),
        ("upload", "successful", _) => u.successful.to_string(),
        ("upload", "success_rate", _) => rate(u.success_rate),
        ("delete", "failed", _) => d.failed.to_string(),
        ("delete", "fail_rate", _) => rate(d.fail_rate),
        ("delete", "successful", _) => d.successful.to_string(),
        ("delete", "success_rate", _) => rate(d.success_rate),
        (_, "failed", Some(t)) => t.failed.to_string(),
        (_, "fail_rate", Some(t)) => rate(t.fail_rate),
        (_, "canceled", Some(t)) => t.canceled.to_string(),
        (_, "cancel_rate", Some(t)) => rate(t.cancel_rate),
        (_, "successful", Some(t)) => t.successful.to_string(),
        (_, "success_rate", Some(t)) => rate(t.success_rate),
        _ => "—".to_string(),
    }
}

fn note_text(note: &str, count: u64) -> String {
    match note {
        "canceled_audits" => format!("{} canceled audits: successrate.sh has no category for canceled audits; its audit rates leave them out.", n(count)),
        "debug_upload_failures" => format!("{} upload failures are logged only with log.level: debug, so both tools' upload fail rates depend on the log level.", n(count)),
        "info_level" => format!("{} outcome lines carry a reason (v1.113+) but the log has no DEBUG line: EOF/canceled upload failures were not logged at all.", n(count)),
        "invalid_utf8_lines" => format!("{} lines are not valid UTF-8: under a UTF-8 locale successrate.sh drops these from most counts.", n(count)),
        "nul_bytes" => format!("NUL bytes from line {}: grep takes everything after a NUL as binary, so successrate.sh stops counting most fields there; the figures shown are for the file read as text.", n(count)),
        "utf16" => "The log is UTF-16: successrate.sh counts nothing in it.".to_string(),
        other => format!("{other}: {}", n(count)),
    }
}

#[component]
pub fn Compat(report: LogReport) -> impl IntoView {
    let sc = report.successrate_compat;
    let theirs = sc.categories;
    let fixed = sc.corrected;
    let diffs = sc.differences;
    let rows = SECTIONS.iter().map(|(cat, title, fields)| {
        let body = fields.iter().map(|(field, label)| {
            let key = format!("{cat}.{field}");
            let d = diffs.iter().find(|d| d.field == key).cloned();
            let a = printed(&theirs, cat, field);
            let b = printed(&fixed, cat, field);
            let differs = a != b;
            view! {
                <tr data-field=key.clone() class:differs=differs>
                    <th scope="row">{*label}</th>
                    <td class="num mono" data-col="successrate" data-label="successrate.sh">{a}</td>
                    <td class="num mono" data-col="corrected" data-label="Corrected">{b}</td>
                    <td class="causes" data-label="Why">
                        {d.map(|d| view! {
                            <ul>{d.causes.iter().map(|c| {
                                let sign = if c.lines > 0 { "+" } else { "−" };
                                let text = cause_sentence(&c.cause, c.lines).unwrap_or_else(|| c.cause.clone());
                                view! { <li data-cause=c.cause.clone()><span class="count">{format!("{sign}{}", n(c.lines.unsigned_abs()))}</span> " " {text}</li> }
                            }).collect_view()}</ul>
                        })}
                    </td>
                </tr>
            }
        }).collect_view();
        view! {
            <tbody data-section=*cat>
                <tr class="section"><th colspan="4" scope="rowgroup">{*title}</th></tr>
                {body}
            </tbody>
        }
    }).collect_view();
    view! {
        <section class="card" data-testid="log-compat">
            <h2>"Compared with successrate.sh"</h2>
            <p class="muted">"What the community script prints for this file (run with LC_ALL=C), beside its formulas over what the node really did, and why they differ."</p>
            <div class="scroll" tabindex="0" role="region" aria-label="Compared with successrate.sh (scrolls sideways)">
                <table class="log-table compat cards">
                    <thead><tr>
                        <th scope="col">"Figure"</th>
                        <th scope="col" class="num">"successrate.sh"</th>
                        <th scope="col" class="num">"Corrected"</th>
                        <th scope="col">"Why they differ (lines)"</th>
                    </tr></thead>
                    {rows}
                </table>
            </div>
            {(!sc.notes.is_empty()).then(|| view! {
                <ul class="notes" data-testid="log-compat-notes">
                    {sc.notes.iter().map(|nt| view! { <li data-note=nt.note.clone()>{note_text(&nt.note, nt.count)}</li> }).collect_view()}
                </ul>
            })}
            <p class="footnote">{ROUNDING_FOOTNOTE}</p>
        </section>
    }
}
