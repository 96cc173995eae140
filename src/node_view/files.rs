//! The files panel: the eight files (missing ones too) and any other file given, with size,
//! journal mode and what happened to a `-wal`.

use leptos::prelude::*;
use model::format::human_bytes;
use model::node_report::NodeFile;

fn journal(f: &NodeFile) -> String {
    match (&f.wal, f.journal.as_deref()) {
        (Some(w), _) if w.valid => format!("WAL applied: {} frames ({} transactions)", w.applied_frames, w.transactions),
        (Some(w), _) => format!("{} not applied (invalid)", w.name),
        (None, Some("wal")) => "WAL mode, no -wal".to_string(),
        (None, Some(j)) => j.to_string(),
        (None, None) => String::new(),
    }
}

fn status_text(f: &NodeFile) -> &'static str {
    match (f.status.as_str(), f.required) {
        ("loaded", _) => "loaded",
        ("missing", true) => "missing (required)",
        ("missing", false) => "missing (optional)",
        ("unpaired", _) => "no database of that name",
        ("ignored", _) if f.role == "monitor" => "monitor database: not used here",
        _ => "not needed",
    }
}

#[component]
pub fn FilesPanel(files: Vec<NodeFile>) -> impl IntoView {
    let missing = files.iter().filter(|f| f.status == "missing" && f.required).count();
    view! {
        <div class="node-files-panel">
            <h2>"The node's files"</h2>
            {(missing > 0).then(|| view! { <p class="missing-note">{format!("{missing} required file{} missing", if missing == 1 { "" } else { "s" })}</p> })}
            <table class="node-files" data-testid="node-files">
                <tbody>
                    {files.into_iter().map(|f| {
                        let size = f.bytes.map(human_bytes).unwrap_or_default();
                        let version = f.schema_version.map(|v| format!("migration {v}")).unwrap_or_default();
                        view! {
                            <tr data-file=f.name.clone() data-status=f.status.clone() class=format!("file {}", f.status)>
                                <th scope="row" class="mono" title=format!("role: {}", f.role)>{f.name.clone()}</th>
                                <td class="status">{status_text(&f)}</td>
                                <td class="num">{size}</td>
                                <td class="muted" title=version>{journal(&f)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
