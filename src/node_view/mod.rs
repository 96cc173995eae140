use leptos::prelude::*;
#[component]
pub fn NodeView(report: model::node_report::NodeReport, on_month: Callback<String>) -> impl IntoView {
    let _ = on_month;
    view! { <p>{report.format}</p> }
}
#[component]
pub fn NodeFilesPanel(files: Vec<model::node_report::NodeFile>) -> impl IntoView {
    view! { <p>{files.len()}</p> }
}
