//! The report types live in the model crate (the worker and CLI share them without SQLite);
//! re-exported here so the engine's modules name them where they are filled.

pub use model::report::*;
