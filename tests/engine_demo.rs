//! Demo databases (the generator of `storj_lens::demo`) analyze without warnings, and on a
//! bigger one every analytics query still uses an index once ANALYZE has run.

use demo::{demo_bytes, DemoOptions};
use engine::cache::ManualClock;
use engine::explain::plan_failures;
use engine::{Analyzer, ReportOptions};

fn analyzer(opts: &DemoOptions) -> Analyzer {
    let bytes = demo_bytes(opts).expect("demo database");
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).expect("demo loads");
    a.build_indexes().unwrap();
    a
}

#[test]
fn demo_databases_analyze_without_warnings() {
    for opts in [DemoOptions::default(), DemoOptions { nodes: 1, days: 70, seed: 7, events: 5_000, ..DemoOptions::default() }] {
        let mut a = analyzer(&opts);
        let now = a.default_now().unwrap().expect("rows");
        let r = a.report(&ReportOptions::new(now)).unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.nodes.len(), opts.nodes as usize);
        // One node: its own view is the all-nodes view.
        assert_eq!(r.latency.stats.len(), if opts.nodes == 1 { 1 } else { opts.nodes as usize + 1 });
        for node in r.nodes.values() {
            for p in node.periods.values() {
                assert!(p.payout.gross > 0.0);
            }
        }
    }
}

#[test]
fn plans_on_a_bigger_demo_use_indexes() {
    let a = analyzer(&DemoOptions { events: 200_000, ..DemoOptions::default() });
    let failures = plan_failures(a.connection());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
