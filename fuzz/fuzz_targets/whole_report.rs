//! Opens arbitrary bytes as a monitor database and runs everything the CLI and the app compute.
//! Any panic (or abort, or a run past libFuzzer's -timeout) is a finding; an `EngineError` is
//! the expected answer to a bad file. Each step has a 3 s deadline, as the app's is 60 s.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/cli/tests/hostile/run.rs"]
mod run;

fuzz_target!(|data: &[u8]| {
    let _ = run::whole_report(data, 3_000.0);
});
