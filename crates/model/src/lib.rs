//! The vocabulary shared by every part of storj-lens, and nothing that computes over a file:
//!
//! - [`report`] — the report types, whose JSON is ANALYTICS section 10 (the CLI prints them, the
//!   page offers them as a download);
//! - [`view`] — the dashboard's view-model ([`view::Analysis`]), computed by the engine in the
//!   worker and rendered as it is by the page, with its CSV exports;
//! - [`protocol`] — the typed messages between the page and the worker, with the one typed
//!   [`protocol::ErrorKind`] of every error answer;
//! - [`format`] — how numbers are written on the page;
//! - [`log_report`] — the node log's report (LOGS.md section 4);
//! - [`node_report`] — the node-database report (NODE_DATA.md §4, `storj-node-report/1`);
//! - [`trends`] — the report's `"trends"` section (TRENDS.md section 8), and [`trends_view`] —
//!   its panels for the dashboard's chosen view.
//!
//! serde only: this crate links no SQLite, so neither does the page, which depends on nothing else
//! of the project (ARCHITECTURE.md, invariant "the page links no SQLite").

pub mod format;
pub mod log_report;
pub mod node_report;
pub mod protocol;
pub mod report;
pub mod trends;
pub mod trends_view;
pub mod view;
