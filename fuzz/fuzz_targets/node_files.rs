//! Arbitrary bytes as one of the node's eight files (or as a `-wal` of one of them) over the
//! fixture's other files, then every report the CLI and the app compute. Any panic (or abort,
//! or a run past libFuzzer's -timeout) is a finding; a `NodeError` is the expected answer.
//! The first byte picks the slot: 0–7 a database of NODE_DATA.md §1.1's order, 8 a `-wal`.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FIXTURE: [(&str, &[u8]); 8] = [
    ("satellites.db", include_bytes!("../../tests/fixtures/node/satellites.db")),
    ("bandwidth.db", include_bytes!("../../tests/fixtures/node/bandwidth.db")),
    ("storage_usage.db", include_bytes!("../../tests/fixtures/node/storage_usage.db")),
    ("piece_spaced_used.db", include_bytes!("../../tests/fixtures/node/piece_spaced_used.db")),
    ("reputation.db", include_bytes!("../../tests/fixtures/node/reputation.db")),
    ("heldamount.db", include_bytes!("../../tests/fixtures/node/heldamount.db")),
    ("pricing.db", include_bytes!("../../tests/fixtures/node/pricing.db")),
    ("garbage_collection_filewalker_progress.db", include_bytes!("../../tests/fixtures/node/garbage_collection_filewalker_progress.db")),
];

fuzz_target!(|data: &[u8]| {
    let Some((&select, bytes)) = data.split_first() else { return };
    let slot = (select % 9) as usize;
    let mut set = node::NodeSet::new();
    for (i, (name, fixture)) in FIXTURE.iter().enumerate() {
        let file = if i == slot { bytes.to_vec() } else { fixture.to_vec() };
        let _ = set.add(name, file);
    }
    if slot == 8 {
        let (name, _) = FIXTURE[(select / 9 % 8) as usize];
        let _ = set.add(&format!("{name}-wal"), bytes.to_vec());
    }
    let _ = set.files();
    let _ = set.missing_required();
    for month in [None, Some("2025-03"), Some("2024-12")] {
        if let Ok(report) = set.report(month, Some("2025-04-14T09:30:00Z"), 0) {
            let _ = serde_json::to_string(&report);
        }
        let _ = set.report(month, None, 1_744_623_000_000_000);
    }
});
