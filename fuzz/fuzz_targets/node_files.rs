//! Arbitrary bytes as one of the node's eight files (or as a `-wal` of one of them) over the
//! fixture's other files, then every report the CLI and the app compute. Any panic (or abort,
//! or a run past libFuzzer's -timeout) is a finding; a `NodeError` is the expected answer.
//! The first byte picks the slot: 0–7 a database of NODE_DATA.md §1.1's order, 8 a `-wal`.
//! The fixture's set is loaded once; each input replaces one file and the fixture's comes back.
#![no_main]

use std::sync::Mutex;

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

fn fixture_set() -> node::NodeSet {
    let mut set = node::NodeSet::new();
    for (name, bytes) in FIXTURE {
        let _ = set.add(name, bytes.to_vec());
    }
    set
}

static SET: Mutex<Option<node::NodeSet>> = Mutex::new(None);

fn reports(set: &node::NodeSet) {
    let _ = set.files();
    let _ = set.missing_required();
    for month in [None, Some("2025-03")] {
        if let Ok(report) = set.report(month, Some("2025-04-14T09:30:00Z"), 0) {
            let _ = serde_json::to_string(&report);
        }
    }
    let _ = set.report(None, None, 1_744_623_000_000_000);
}

fuzz_target!(|data: &[u8]| {
    let Some((&select, bytes)) = data.split_first() else { return };
    let slot = (select % 9) as usize;
    if slot == 8 {
        // A -wal: a fresh set, as it stays paired with its database.
        let mut set = fixture_set();
        let (name, _) = FIXTURE[(select / 9 % 8) as usize];
        let _ = set.add(&format!("{name}-wal"), bytes.to_vec());
        reports(&set);
        return;
    }
    let mut guard = SET.lock().unwrap_or_else(|e| e.into_inner());
    let set = guard.get_or_insert_with(fixture_set);
    // Under the file's own name, then renamed (its role then comes from its tables alone); the
    // roles it filled get the fixture's files back afterwards.
    let mut restore = vec![slot];
    for name in [FIXTURE[slot].0, "dropped.db"] {
        if let Ok(node::Added::Node { role, .. }) = set.add(name, bytes.to_vec()) {
            restore.extend(FIXTURE.iter().position(|(n, _)| n.trim_end_matches(".db") == role));
        }
        reports(set);
    }
    for i in restore {
        let (name, fixture) = FIXTURE[i];
        let _ = set.add(name, fixture.to_vec());
    }
});
