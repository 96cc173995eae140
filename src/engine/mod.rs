//! The analytics engine: plain Rust over a `rusqlite::Connection`, the same on both targets.

pub mod db;
pub mod error;

pub use error::{EngineError, Result};
