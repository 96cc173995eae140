//! The caches of ANALYTICS 12.7 through the Analyzer: hits counted, TTL expiry with a fake
//! clock, no expiry for closed periods, stale-if-error for the satellite list, emptied on a new
//! now or a new file.

use engine::cache::ManualClock;
use engine::report::CacheCounts;
use engine::time::{parse_rfc3339, Period};
use engine::{Analyzer, ReportOptions, Warnings};

const NOW: &str = "2025-10-10T12:00:00+00:00";

fn fixture() -> (Analyzer, ManualClock) {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.db")).unwrap();
    let clock = ManualClock::default();
    let mut a = Analyzer::open(&bytes, Box::new(clock.clone())).unwrap();
    a.build_indexes().unwrap();
    (a, clock)
}

fn counts(a: &Analyzer, cache: &str) -> (i64, i64) {
    let c: CacheCounts = *a.cache_counts().get(cache).unwrap();
    (c.hits, c.misses)
}

fn earnings(a: &mut Analyzer, node: &str, p: &str) {
    let now = parse_rfc3339(NOW).unwrap();
    let age = a.node_age(node, now).unwrap();
    a.node_period(node, Period::parse(p).unwrap(), &age, now, &mut Warnings::default()).unwrap();
}

#[test]
fn earnings_ttl_current_period_expires_closed_period_does_not() {
    let (mut a, clock) = fixture();
    earnings(&mut a, "node-1", "2025-10");
    earnings(&mut a, "node-1", "2025-09");
    assert_eq!(counts(&a, "satellites"), (1, 1));
    assert_eq!(counts(&a, "traffic"), (0, 2));
    clock.advance_ms(4.0 * 60_000.0);
    earnings(&mut a, "node-1", "2025-10");
    assert_eq!(counts(&a, "traffic"), (1, 2));
    assert_eq!(counts(&a, "storage"), (1, 2));
    clock.advance_ms(60_000.0); // 5 minutes since the first lookups
    earnings(&mut a, "node-1", "2025-10");
    earnings(&mut a, "node-1", "2025-09");
    assert_eq!(counts(&a, "satellites"), (3, 2), "the list expired once after 5 minutes");
    assert_eq!(counts(&a, "traffic"), (2, 3), "current month refreshed, closed month still cached");
    assert_eq!(counts(&a, "storage"), (2, 3));
    clock.advance_ms(1e9);
    earnings(&mut a, "node-1", "2025-09");
    assert_eq!(counts(&a, "traffic"), (3, 3));
}

#[test]
fn latency_ttl_is_two_minutes() {
    let (mut a, clock) = fixture();
    let now = parse_rfc3339(NOW).unwrap();
    let view = ["node-2".to_string()];
    let mut w = Warnings::default();
    let first = a.latency_stats(&view, 1, now, &mut w).unwrap();
    clock.advance_ms(119_000.0);
    assert_eq!(a.latency_stats(&view, 1, now, &mut w).unwrap(), first);
    a.latency_histogram(&view, 24, 100, now, &mut w).unwrap();
    a.latency_histogram(&view, 24, 100, now, &mut w).unwrap();
    assert_eq!(counts(&a, "latency_stats"), (1, 1));
    assert_eq!(counts(&a, "latency_histograms"), (1, 1));
    clock.advance_ms(1_000.0);
    a.latency_stats(&view, 1, now, &mut w).unwrap();
    assert_eq!(counts(&a, "latency_stats"), (1, 2));
    // The view key ignores the order of the names.
    a.latency_stats(&["node-2".to_string(), "node-1".to_string()], 1, now, &mut w).unwrap();
    a.latency_stats(&["node-1".to_string(), "node-2".to_string()], 1, now, &mut w).unwrap();
    assert_eq!(counts(&a, "latency_stats"), (2, 3));
}

#[test]
fn stale_satellite_list_is_served_when_the_refresh_fails() {
    let (mut a, clock) = fixture();
    let mut w = Warnings::default();
    let good = a.satellites("node-1", &mut w).unwrap();
    assert_eq!(good.len(), 4);
    a.connection().execute_batch("ALTER TABLE events RENAME TO events_gone").unwrap();
    // Still fresh: a hit, no refresh.
    assert_eq!(a.satellites("node-1", &mut w).unwrap(), good);
    assert!(w.0.is_empty());
    clock.advance_ms(5.0 * 60_000.0);
    assert_eq!(a.satellites("node-1", &mut w).unwrap(), good);
    assert_eq!(w.0.len(), 1, "{:?}", w.0);
    assert!(w.0[0].contains("last good list"), "{:?}", w.0);
    // No good list at all: empty, with a warning.
    let mut w2 = Warnings::default();
    assert!(a.satellites("node-2", &mut w2).unwrap().is_empty());
    assert!(w2.0[0].contains("could not be read"), "{:?}", w2.0);
    assert_eq!(counts(&a, "satellites"), (1, 3));
}

#[test]
fn a_different_now_empties_storage_and_latency_not_traffic() {
    let (mut a, _clock) = fixture();
    let opts = ReportOptions::new(parse_rfc3339(NOW).unwrap());
    a.report(&opts).unwrap();
    let other = ReportOptions::new(parse_rfc3339("2025-10-10T12:00:01+00:00").unwrap());
    a.report(&other).unwrap();
    assert_eq!(counts(&a, "traffic"), (6, 6));
    assert_eq!(counts(&a, "storage"), (0, 12));
    assert_eq!(counts(&a, "latency_stats"), (0, 16));
    assert_eq!(counts(&a, "satellites"), (9, 3));
}

#[test]
fn loading_another_file_empties_every_cache() {
    let (mut a, _clock) = fixture();
    a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap();
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/small.db")).unwrap();
    a.load(&bytes).unwrap();
    for cache in ["satellites", "traffic", "storage", "latency_stats", "latency_histograms"] {
        assert_eq!(counts(&a, cache), (0, 0), "{cache}");
    }
    a.build_indexes().unwrap();
    let r = a.report(&ReportOptions::new(parse_rfc3339(NOW).unwrap())).unwrap();
    assert_eq!(r.diagnostics.caches.get("traffic").unwrap().misses, 6);
}

#[test]
fn a_long_query_can_be_interrupted() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let (mut a, _clock) = fixture();
    let stop = Arc::new(AtomicBool::new(true));
    let flag = stop.clone();
    a.set_interrupt_check(move || flag.load(Ordering::Relaxed));
    let opts = ReportOptions::new(parse_rfc3339(NOW).unwrap());
    match a.report(&opts) {
        Err(engine::EngineError::Interrupted { .. }) => {}
        other => panic!("expected an interruption, got {:?}", other.map(|r| r.now)),
    }
    stop.store(false, Ordering::Relaxed);
    assert!(a.report(&opts).is_ok());
    a.clear_interrupt_check();
}
