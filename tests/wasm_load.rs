//! SQLite compiled to wasm opens the fixture in headless Chromium and counts its rows.
#![cfg(target_arch = "wasm32")]

use engine::{db, EngineError};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

static SMALL_DB: &[u8] = include_bytes!("../tests/fixtures/small.db");

#[wasm_bindgen_test]
fn fixture_loads_and_counts_rows() {
    let conn = db::load_bytes(SMALL_DB).expect("fixture loads");
    let counts = db::table_counts(&conn, None).expect("tables counted");
    let rows = |name: &str| counts.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
    assert_eq!(rows("events"), Some(20_000));
    assert_eq!(rows("storage_snapshots"), Some(2_753));
}

#[wasm_bindgen_test]
fn the_copy_is_writable_and_the_source_untouched() {
    let mut bytes = SMALL_DB.to_vec();
    let conn = db::load_bytes(&bytes).expect("fixture loads");
    conn.execute_batch("CREATE TABLE scratch(x); INSERT INTO scratch VALUES (1);").expect("writable copy");
    bytes.truncate(SMALL_DB.len());
    assert_eq!(bytes, SMALL_DB);
}

#[wasm_bindgen_test]
fn a_png_is_refused_by_name() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    match db::load_bytes(png) {
        Err(EngineError::NotSqlite { found }) => assert!(found.contains("PNG"), "{found}"),
        other => panic!("expected NotSqlite, got {other:?}"),
    }
}
