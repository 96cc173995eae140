//! The loaded file: name, size and the row count of each table.

use leptos::prelude::*;

use model::format::{duration_ms, human_bytes};
use model::protocol::FileSummary;

#[component]
pub fn FileCard(summary: FileSummary, children: Children) -> impl IntoView {
    let FileSummary { name, size, tables, load_ms } = summary;
    view! {
        <section class="file-summary card" data-testid="file-summary">
            <div class="file-head">
                <div>
                    <h2>{name}</h2>
                    <p class="meta">{human_bytes(size)} " · loaded in " {duration_ms(load_ms)}</p>
                </div>
                {children()}
            </div>
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
