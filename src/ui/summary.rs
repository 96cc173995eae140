//! The loaded file: name, size and the row count of each table.

use leptos::prelude::*;

use crate::format::human_bytes;
use crate::protocol::FileSummary;

#[component]
pub fn SummaryView(summary: FileSummary) -> impl IntoView {
    let FileSummary { name, size, tables, load_ms } = summary;
    view! {
        <section class="file-summary" data-testid="file-summary">
            <h2>{name}</h2>
            <p class="meta">{human_bytes(size)} " · loaded in " {format!("{load_ms:.0} ms")}</p>
            <table class="counts" data-testid="table-counts">
                <thead><tr><th scope="col">"Table"</th><th scope="col" class="num">"Rows"</th></tr></thead>
                <tbody>
                    {tables.into_iter().map(|t| view! {
                        <tr data-table=t.name.clone()>
                            <td>{t.name.clone()}</td>
                            <td class="num">{t.rows}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
