//! The analytics engine: plain Rust over a `rusqlite::Connection`, the same on both targets.
//!
//! - loading and checking input: [`db`] (bytes → hardened in-memory copy), [`schema`], [`indexes`];
//! - the figures of ANALYTICS.md: [`satellites`], [`traffic`], [`storage`], [`node_age`],
//!   [`estimate`], [`latency`]; time and periods in [`time`]; file coverage in [`coverage`];
//!   odd-row warnings in [`checks`]; the trend panels of TRENDS.md in [`trends`];
//! - [`cache`] (TTL caches, injectable clock), [`report`] (the JSON types), [`analyzer`] (ties
//!   it together), [`compare`] (the section 11 comparison used by the tests) and
//!   [`compare_trends`] (TRENDS.md section 9).

pub mod analyzer;
pub mod cache;
pub mod checks;
pub mod compare;
pub mod compare_trends;
pub mod coverage;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod estimate;
pub mod explain;
pub mod indexes;
pub mod latency;
pub mod node_age;
pub mod recent;
pub mod report;
pub mod satellites;
pub mod schema;
pub mod session;
pub mod single_pass;
pub mod storage;
pub mod time;
pub mod traffic;
pub mod trends;

pub use analyzer::{Analyzer, ReportOptions, Timed, Warnings};
pub use error::{EngineError, Result};
pub use session::{Session, Source};
