//! The trends worked examples (TRENDS.md): the `"trends"` section of the report on
//! `tests/fixtures/trends.db` and `small.db` at the fixtures' now equals the original monitor's
//! `trends.trends.json` and `small.trends.json` under the rules of section 9, bit for bit in
//! fact; the dashboard's panels for one node and for all nodes show the same figures.

use std::path::PathBuf;

use engine::cache::ManualClock;
use engine::compare_trends::compare_trends;
use engine::dashboard::{analyze, AnalyzeParams, NowMode};
use engine::report::Report;
use engine::time::parse_rfc3339;
use engine::trends::{all_trends, trend_queries, Tables, Trends};
use engine::{Analyzer, ReportOptions, Warnings};
use model::trends_view::{FullIn, GrowthStatus, StorageCard, StorageWindow, TrendsView};
use serde_json::{json, Value};

const NOW: &str = "2025-10-10T12:00:00+00:00";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn now() -> i64 {
    parse_rfc3339(NOW).unwrap()
}

fn golden(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).expect("golden beside the repo")).expect("golden JSON")
}

/// The file loaded, indexed (the CLI's path) or after the single pass only (the page's first
/// report).
fn analyzer(db: &str, indexed: bool) -> Analyzer {
    let bytes = std::fs::read(fixture(db)).expect("fixture beside the repo");
    let mut a = Analyzer::open(&bytes, Box::new(ManualClock::default())).expect("fixture loads");
    if indexed {
        a.build_indexes().expect("indexes");
    } else {
        assert!(a.single_pass().expect("single pass"), "the single pass declined the fixture");
    }
    a
}

fn report(db: &str, indexed: bool) -> Report {
    analyzer(db, indexed).report(&ReportOptions::new(now())).expect("report")
}

fn assert_matches_golden(db: &str, golden_name: &str) {
    let r = report(db, true);
    let diffs = compare_trends(&golden(golden_name), &serde_json::to_value(&r).unwrap());
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn trends_db_matches_the_original() {
    assert_matches_golden("trends.db", "trends.trends.json");
}

#[test]
fn small_db_matches_the_original() {
    assert_matches_golden("small.db", "small.trends.json");
}

/// The number tokens of a JSON text, in order (outside strings).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut in_string, mut escaped, mut current) = (false, false, String::new());
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if c.is_ascii_digit() || c == '-' || (!current.is_empty() && matches!(c, '+' | '.' | 'e' | 'E')) {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        in_string = c == '"';
    }
    out
}

/// Same keys in the same order and the same JSON types, everywhere.
fn same_shape(e: &Value, a: &Value, path: &str, diffs: &mut Vec<String>) {
    match (e, a) {
        (Value::Object(x), Value::Object(y)) => {
            let (kx, ky): (Vec<_>, Vec<_>) = (x.keys().collect(), y.keys().collect());
            if kx != ky {
                diffs.push(format!("{path}: keys {kx:?} vs {ky:?}"));
            }
            for (k, v) in x {
                if let Some(w) = y.get(k) {
                    same_shape(v, w, &format!("{path}.{k}"), diffs);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                same_shape(v, w, &format!("{path}[{i}]"), diffs);
            }
        }
        (Value::Number(x), Value::Number(y)) if x.is_f64() == y.is_f64() => {}
        (Value::Number(_), Value::Number(_)) => diffs.push(format!("{path}: {e} vs {a} (int vs float)")),
        _ if std::mem::discriminant(e) == std::mem::discriminant(a) => {}
        _ => diffs.push(format!("{path}: {e} vs {a}")),
    }
}

/// Stronger than section 9: the same keys in the same order, the same int/float types, and
/// every float bit for bit (read from the texts: serde_json's parser may be 1 ulp off).
fn assert_bit_exact(db: &str, golden_name: &str) {
    let r = report(db, true);
    let text = std::fs::read_to_string(fixture(golden_name)).unwrap();
    let golden: Value = serde_json::from_str(&text).unwrap();
    let ours = json!({"nodes": r.trends.nodes, "all": r.trends.all});
    let mut diffs = Vec::new();
    same_shape(&json!({"nodes": golden["nodes"], "all": golden["all"]}), &ours, "$", &mut diffs);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    // The golden's numbers are those of its "nodes" and "all", in order ("now" is a string).
    let (en, an) = (numbers(&text), numbers(&serde_json::to_string(&ours).unwrap()));
    assert_eq!(en.len(), an.len());
    for (i, (x, y)) in en.iter().zip(&an).enumerate() {
        let is_int = |t: &str| !t.contains(['.', 'e', 'E']);
        assert_eq!(is_int(x), is_int(y), "number #{i}: {x} vs {y}");
        let (fx, fy): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
        assert_eq!(fx.to_bits(), fy.to_bits(), "number #{i}: {x} vs {y}");
    }
}

#[test]
fn trends_are_bit_exact_and_in_key_order() {
    assert_bit_exact("trends.db", "trends.trends.json");
    assert_bit_exact("small.db", "small.trends.json");
}

#[test]
fn the_first_report_without_indexes_has_the_same_trends() {
    for db in ["trends.db", "small.db"] {
        let (fast, slow) = (report(db, false), report(db, true));
        assert_eq!(fast.trends, slow.trends, "{db}");
        assert_eq!(fast.warnings, slow.warnings, "{db}");
    }
}

#[test]
fn the_all_view_equals_its_own_queries_over_all_nodes() {
    // The report builds all.reputation and all.storage_forecast from the nodes' lists; the
    // original queries all nodes at once.
    for db in ["trends.db", "small.db"] {
        let mut a = analyzer(db, true);
        let mut w = Warnings::default();
        let nodes = a.nodes(&mut w).unwrap();
        let section: Trends = a.trends(&nodes, now(), &mut w).unwrap().clone();
        let tables = Tables::probe(a.connection(), &mut w).unwrap();
        let direct = all_trends(a.connection(), &tables, &nodes, now(), &mut w).unwrap();
        assert_eq!(section.all, direct, "{db}");
        assert!(w.0.is_empty(), "{:?}", w.0);
    }
}

#[test]
fn the_figures_named_in_the_specification() {
    let r = serde_json::to_value(report("trends.db", true)).unwrap();
    let t = &r["trends"];
    let rep = |node: &str, sat_prefix: &str| -> Value {
        t["nodes"][node]["reputation"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["satellite"].as_str().unwrap().starts_with(sat_prefix))
            .unwrap()
            .clone()
    };
    let alerts = |v: &Value| -> Vec<String> {
        v["alerts"].as_array().unwrap().iter().map(|a| a["alert_type"].as_str().unwrap().to_string()).collect()
    };
    let saltlake = rep("node-2", "1wFTA");
    assert_eq!(saltlake["health_score"], json!(87.16));
    assert_eq!(alerts(&saltlake), ["node_disqualified", "audit_score_critical"]);
    let ap1 = rep("node-1", "121RT");
    assert_eq!(ap1["health_score"], json!(86.69));
    assert_eq!(alerts(&ap1), ["node_suspended", "suspension_risk"]);
    for r in t["nodes"]["node-6"]["reputation"].as_array().unwrap() {
        assert_eq!(alerts(r), ["uptime_warning"]);
    }
    let f = &t["nodes"]["node-2"]["storage_forecast"];
    assert_eq!(f["growth_rates"]["7d"]["growth_rate_bytes_per_day"], json!(38650942923i64));
    assert_eq!((f["growth_rate_gb_per_day"].as_f64(), f["days_until_full"].as_f64()), (Some(36.0), Some(12.4)));
    let f = &t["nodes"]["node-3"]["storage_forecast"];
    assert_eq!(f["available_bytes"], json!(-68014805471i64));
    assert_eq!((f["growth_rate_bytes_per_day"].clone(), f["days_until_full"].clone()), (json!(8968870199i64), Value::Null));
    let f = &t["nodes"]["node-4"]["storage_forecast"];
    assert_eq!((f["forecast_data_points"].clone(), f["growth_rates"].clone()), (json!(0), json!({})));
    for key in ["1d", "7d", "30d"] {
        assert_eq!(t["nodes"]["node-5"]["storage_forecast"]["growth_rates"][key]["reason"], "insufficient_timespan");
    }
    assert_eq!(t["nodes"]["node-6"]["storage_forecast"]["growth_rates"]["1d"]["data_points"], json!(0));
    let hourly = t["all"]["hourly"].as_array().unwrap();
    assert_eq!(
        (hourly[3]["hour_timestamp"].as_str(), hourly[4]["hour_timestamp"].as_str()),
        (Some("2025-10-10T08:00:00.000Z"), Some("2025-10-10T08:00:00+00:00"))
    );
    assert_eq!(t["all"]["hourly_traffic"].as_array().unwrap().len(), 25);

    let small = serde_json::to_value(report("small.db", true)).unwrap();
    let rates = &small["trends"]["nodes"]["node-2"]["storage_forecast"]["growth_rates"];
    assert_eq!(rates["7d"]["days_until_full"], json!(329.5));
    assert_eq!(rates["1d"]["reason"], "data_too_flat");
    assert_eq!((rates["30d"]["growth_rate_bytes_per_day"].clone(), rates["30d"]["growth_rate_gb_per_day"].clone()), (json!(0), json!(0)));
    assert_eq!(small["trends"]["all"]["reputation"], json!([]));
    assert_eq!(
        small["trends"]["tables"],
        json!({"reputation_history": true, "storage_snapshots": true, "hourly_stats": true, "payout_history": true})
    );
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn text(v: &Value) -> String {
    v.as_str().map(String::from).unwrap_or_default()
}

/// Every panel of a view against the report's section (`expected`: a node's or `all`'s object).
fn assert_view_matches(view: &TrendsView, expected: &Value, per_node: bool) {
    let list = |k: &str| expected[k].as_array().cloned().unwrap_or_default();

    let rep = list("reputation");
    assert_eq!(view.reputation.len(), rep.len());
    for (v, e) in view.reputation.iter().zip(&rep) {
        assert_eq!(
            (v.node_name.as_str(), v.satellite.as_str(), v.timestamp.as_str()),
            (e["node_name"].as_str().unwrap(), e["satellite"].as_str().unwrap(), e["timestamp"].as_str().unwrap())
        );
        assert_eq!(
            (v.audit_score, v.suspension_score, v.online_score),
            (num(&e["audit_score"]), num(&e["suspension_score"]), num(&e["online_score"]))
        );
        assert_eq!((v.audit_success_count, v.audit_total_count), (e["audit_success_count"].as_i64(), e["audit_total_count"].as_i64()));
        assert_eq!((v.is_disqualified, v.is_suspended), (e["is_disqualified"] == 1, e["is_suspended"] == 1));
        assert_eq!(v.health_score, num(&e["health_score"]));
        assert_eq!(serde_json::to_value(&v.alerts).unwrap(), e["alerts"]);
        assert!(!v.satellite_name.is_empty());
    }

    let forecast: Vec<Value> = match &expected["storage_forecast"] {
        Value::Null => vec![],
        Value::Array(a) => a.clone(),
        one => vec![one.clone()],
    };
    assert_eq!(view.storage_forecast.len(), forecast.len());
    for (v, e) in view.storage_forecast.iter().zip(&forecast) {
        assert_eq!((v.node_name.clone(), v.timestamp.clone()), (text(&e["node_name"]), text(&e["timestamp"])));
        assert_eq!(
            (v.used_bytes, v.available_bytes, v.total_bytes, v.trash_bytes),
            (e["used_bytes"].as_i64(), e["available_bytes"].as_i64(), e["total_bytes"].as_i64(), e["trash_bytes"].as_i64())
        );
        assert_eq!(
            (v.used_percent, v.trash_percent, v.available_percent),
            (num(&e["used_percent"]), num(&e["trash_percent"]), num(&e["available_percent"]))
        );
        assert_eq!(v.growth_rate_bytes_per_day, e["growth_rate_bytes_per_day"].as_i64());
        assert_eq!((v.growth_rate_gb_per_day, v.days_until_full), (num(&e["growth_rate_gb_per_day"]), num(&e["days_until_full"])));
        assert_eq!(v.forecast_data_points, e["forecast_data_points"].as_i64().unwrap());
        let rates = e["growth_rates"].as_object().unwrap();
        assert_eq!(v.windows.iter().map(|w| w.window.as_str()).collect::<Vec<_>>(), rates.keys().map(String::as_str).collect::<Vec<_>>());
        for w in &v.windows {
            let r = &rates[&w.window];
            assert_eq!(
                (w.growth_rate_bytes_per_day, w.growth_rate_gb_per_day, w.days_until_full),
                (r["growth_rate_bytes_per_day"].as_i64(), num(&r["growth_rate_gb_per_day"]), num(&r["days_until_full"]))
            );
            assert_eq!(w.data_points, r["data_points"].as_i64().unwrap());
            let status = match r["reason"].as_str() {
                Some("insufficient_timespan") => GrowthStatus::ShortTimespan,
                Some("data_too_flat") => GrowthStatus::Flat,
                _ if r["growth_rate_bytes_per_day"].is_null() => GrowthStatus::NotEnoughData,
                _ if r["growth_rate_bytes_per_day"].as_i64() > Some(0) => GrowthStatus::Growing,
                _ => GrowthStatus::Shrinking,
            };
            assert_eq!(w.status, status, "{} {}", v.node_name, w.window);
        }
        if rates.is_empty() {
            assert_eq!(v.status, GrowthStatus::NoApiData);
        }
    }

    let hourly = list("hourly");
    assert_eq!(view.hourly.len(), hourly.len());
    for (v, e) in view.hourly.iter().zip(&hourly) {
        assert_eq!(v.hour_timestamp, text(&e["hour_timestamp"]));
        let sums =
            [v.dl_success, v.dl_fail, v.ul_success, v.ul_fail, v.audit_success, v.audit_fail, v.total_download_size, v.total_upload_size];
        let keys =
            ["dl_success", "dl_fail", "ul_success", "ul_fail", "audit_success", "audit_fail", "total_download_size", "total_upload_size"];
        for (s, k) in sums.iter().zip(keys) {
            assert_eq!(Some(*s), e[k].as_i64(), "{k}");
        }
        assert_eq!((Some(v.dl_mbps), Some(v.ul_mbps)), (num(&e["dl_mbps"]), num(&e["ul_mbps"])));
        let rate = |s: i64, f: i64| if s + f == 0 { 100.0 } else { s as f64 / (s + f) as f64 * 100.0 };
        assert_eq!(v.dl_success_rate, rate(v.dl_success, v.dl_fail));
    }

    let traffic = list("hourly_traffic");
    assert_eq!(view.hourly_traffic.len(), traffic.len());
    for (v, e) in view.hourly_traffic.iter().zip(&traffic) {
        assert_eq!(v.timestamp, text(&e["timestamp"]));
        assert_eq!(
            (Some(v.ingress_mbps), Some(v.egress_mbps), Some(v.concurrency)),
            (num(&e["ingress_mbps"]), num(&e["egress_mbps"]), num(&e["concurrency"]))
        );
        assert_eq!(
            (Some(v.ingress_bytes), Some(v.egress_bytes), Some(v.ingress_pieces), Some(v.egress_pieces), Some(v.total_ops)),
            (
                e["ingress_bytes"].as_i64(),
                e["egress_bytes"].as_i64(),
                e["ingress_pieces"].as_i64(),
                e["egress_pieces"].as_i64(),
                e["total_ops"].as_i64()
            )
        );
    }

    // The view lists the newest LISTED_ROWS payouts; the totals count all of them.
    let payouts = list("payout_history");
    assert_eq!(view.payout_totals.count, payouts.len());
    assert_eq!(view.payout_history.len(), payouts.len().min(model::trends_view::LISTED_ROWS));
    assert_eq!(view.payout_left_out, payouts.len() - view.payout_history.len());
    for (v, e) in view.payout_history.iter().zip(&payouts) {
        assert_eq!(
            (v.timestamp.clone(), v.node_name.clone(), v.satellite.clone(), v.period.clone()),
            (text(&e["timestamp"]), text(&e["node_name"]), text(&e["satellite"]), text(&e["period"]))
        );
        assert_eq!(
            (v.actual_payout, v.estimated_payout, v.variance, v.variance_percent),
            (num(&e["actual_payout"]), num(&e["estimated_payout"]), num(&e["variance"]), num(&e["variance_percent"]))
        );
        assert_eq!(
            (v.payout_address.clone(), v.transaction_hash.clone(), v.notes.clone()),
            (text(&e["payout_address"]), text(&e["transaction_hash"]), text(&e["notes"]))
        );
    }

    if per_node {
        let history = list("reputation_history");
        assert_eq!(view.reputation_history.len(), history.len());
        for (v, e) in view.reputation_history.iter().zip(&history) {
            assert_eq!(
                (v.timestamp.clone(), v.satellite.clone(), v.audit_score, v.online_score),
                (text(&e["timestamp"]), text(&e["satellite"]), num(&e["audit_score"]), num(&e["online_score"]))
            );
        }
        let storage = list("storage_history");
        assert_eq!(view.storage_history.len(), storage.len());
        for (v, e) in view.storage_history.iter().zip(&storage) {
            assert_eq!(
                (v.timestamp.clone(), v.used_bytes, v.available_bytes, v.trash_bytes),
                (text(&e["timestamp"]), e["used_bytes"].as_i64(), e["available_bytes"].as_i64(), e["trash_bytes"].as_i64())
            );
            assert_eq!(v.from_api, !e["used_bytes"].is_null());
        }
    } else {
        assert!(view.reputation_history.is_empty() && view.storage_history.is_empty());
    }
}

#[test]
fn the_dashboards_panels_for_node_2_and_for_all_nodes_match_the_report() {
    for indexed in [false, true] {
        let mut a = analyzer("trends.db", indexed);
        let section = serde_json::to_value(&a.report(&ReportOptions::new(now())).unwrap().trends).unwrap();
        for node in [Some("node-2"), None] {
            let params = AnalyzeParams { node: node.map(String::from), now: NowMode::At(now()), ..AnalyzeParams::default() };
            let an = analyze(&mut a, &params, 0, None).unwrap();
            let t = &an.trends;
            assert_eq!(t.node.as_deref(), node);
            assert_eq!((t.tables.reputation_history, t.tables.hourly_stats, t.tables.payout_history), (true, true, true));
            let expected = match node {
                Some(n) => &section["nodes"][n],
                None => &section["all"],
            };
            assert_view_matches(t, expected, node.is_some());
            assert!(an.warnings.is_empty(), "{:?}", an.warnings);
        }
    }
}

#[test]
fn the_dashboard_words_of_section_7() {
    let mut a = analyzer("trends.db", true);
    let params = AnalyzeParams { node: Some("node-2".into()), now: NowMode::At(now()), ..AnalyzeParams::default() };
    let an = analyze(&mut a, &params, 0, None).unwrap();
    // Fixture node-2: "~12 days" on the storage card.
    assert_eq!(StorageCard::of(&an.trends.storage_forecast, StorageWindow::Day7).full_in, FullIn::Days(12));
    assert_eq!(StorageCard::of(&an.trends.storage_forecast, StorageWindow::Day7).full_in.label(), "~12 days");
    let names: Vec<&str> = an.trends.reputation.iter().map(|r| r.satellite_name.as_str()).collect();
    assert_eq!(names, ["ap1", "us1", "eu1", "saltlake"]);
    // An unknown satellite id is named by its first 12 characters (node-3).
    let params = AnalyzeParams { node: Some("node-3".into()), ..params };
    let an = analyze(&mut a, &params, 0, None).unwrap();
    assert!(an.trends.reputation.iter().any(|r| r.satellite_name == "12rfG3sh9NCW"), "{:?}", an.trends.reputation);
}

#[test]
fn the_storage_queries_use_an_index_once_built() {
    let a = analyzer("trends.db", true);
    for (name, sql) in trend_queries().into_iter().filter(|(name, _)| name.starts_with("storage")) {
        let plan = engine::explain::query_plan(a.connection(), &sql).unwrap();
        assert!(plan.iter().any(|l| l.contains("USING INDEX") || l.contains("USING COVERING INDEX")), "{name}: {plan:?}");
        assert!(!plan.iter().any(|l| l.trim() == "SCAN storage_snapshots"), "{name}: {plan:?}");
    }
}
