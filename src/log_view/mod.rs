use leptos::prelude::*;
#[component]
pub fn LogView(report: model::log_report::LogReport) -> impl IntoView {
    view! { <p>{report.format}</p> }
}
