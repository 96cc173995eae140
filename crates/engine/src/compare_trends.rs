//! The comparison of TRENDS.md section 9 (the rules of `tools/compare_trends.py`): a report's
//! `"trends"` section against a trends golden (`"format": "storj-trends-golden/1"`, with `now`,
//! `nodes` and `all`), for the fixture tests.

use serde_json::Value;

use crate::time::parse_timestamp;

/// The golden's format tag.
pub const GOLDEN_FORMAT: &str = "storj-trends-golden/1";

/// Fields the original rounds itself, with the unit of their rounding: they may differ by one
/// unit (a tie rounded the other way).
const ROUNDED: &[(&str, f64)] = &[
    ("health_score", 0.01),
    ("growth_rate_gb_per_day", 0.01),
    ("ingress_mbps", 0.01),
    ("egress_mbps", 0.01),
    ("concurrency", 0.01),
    ("days_until_full", 0.1),
];
const REL: f64 = 1e-9;
const ABS: f64 = 1e-12;

/// Every difference between a golden and a whole report, as `path: what`. Keys only the report
/// has are allowed (storj-lens's additions).
pub fn compare_trends(golden: &Value, report: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    if golden.get("format").and_then(Value::as_str) != Some(GOLDEN_FORMAT) {
        diffs.push(format!("format: the expected document is not a trends golden ({:?})", golden.get("format")));
        return diffs;
    }
    let instant = |v: Option<&Value>| v.and_then(Value::as_str).and_then(parse_timestamp).and_then(|p| p.instant());
    let expected_now = instant(golden.get("now"));
    if expected_now.is_none() || instant(report.get("now")) != expected_now {
        diffs.push(format!("now: expected {:?}, got {:?}", golden.get("now"), report.get("now")));
    }
    match report.get("trends") {
        Some(Value::Object(trends)) => {
            for part in ["nodes", "all"] {
                match (golden.get(part), trends.get(part)) {
                    (Some(e), Some(a)) => walk(e, a, &format!("trends.{part}"), part, &mut diffs),
                    (Some(_), None) => diffs.push(format!("trends.{part}: missing in the report")),
                    (None, _) => diffs.push(format!("{part}: missing in the golden")),
                }
            }
        }
        _ => diffs.push("trends: no \"trends\" object in the report".into()),
    }
    diffs
}

fn walk(e: &Value, a: &Value, path: &str, key: &str, diffs: &mut Vec<String>) {
    match (e, a) {
        (Value::Number(x), Value::Number(y)) => {
            if x.is_i64() || x.is_u64() {
                // Exact; a float of the same value is the same number (0 == 0.0).
                let same = match (x.as_i64(), y.as_i64(), y.as_f64()) {
                    (Some(i), Some(j), _) => i == j,
                    (Some(i), None, Some(f)) => f.fract() == 0.0 && (i as f64) == f && f as i64 == i,
                    _ => x.as_u64().is_some() && x.as_u64() == y.as_u64(),
                };
                if !same {
                    diffs.push(format!("{path}: expected {x}, got {y}"));
                }
                return;
            }
            let (ev, av) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            let tolerance = match ROUNDED.iter().find(|(k, _)| *k == key) {
                Some((_, unit)) => unit * (1.0 + 1e-6),
                None => f64::max(ABS, REL * ev.abs()),
            };
            let d = (ev - av).abs();
            if d.is_nan() || d > tolerance {
                diffs.push(format!("{path}: expected {x}, got {y} (diff {d:.3e}, tolerance {tolerance:.3e})"));
            }
        }
        (Value::Object(em), Value::Object(am)) => {
            for (k, ev) in em {
                match am.get(k) {
                    Some(av) => walk(ev, av, &format!("{path}.{k}"), k, diffs),
                    None => diffs.push(format!("{path}.{k}: missing in the report")),
                }
            }
        }
        (Value::Array(el), Value::Array(al)) => {
            if el.len() != al.len() {
                diffs.push(format!("{path}: expected {} entries, got {}", el.len(), al.len()));
            }
            for (i, (x, y)) in el.iter().zip(al).enumerate() {
                walk(x, y, &format!("{path}[{i}]"), key, diffs);
            }
        }
        (Value::String(_), Value::String(_)) | (Value::Bool(_), Value::Bool(_)) | (Value::Null, Value::Null) => {
            if e != a {
                diffs.push(format!("{path}: expected {e}, got {a}"));
            }
        }
        _ => diffs.push(format!("{path}: expected {e} ({}), got {a} ({})", kind(e), kind(a))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn golden(nodes: Value) -> Value {
        json!({"format": GOLDEN_FORMAT, "now": "2025-10-10T12:00:00+00:00", "nodes": nodes, "all": {}})
    }

    fn report(nodes: Value) -> Value {
        json!({"now": "2025-10-10T12:00:00Z", "trends": {"nodes": nodes, "all": {"extra": 1}, "tables": {}}})
    }

    #[test]
    fn equal_values_and_extra_keys_pass() {
        let e = json!({"n": {"a": 3, "b": 0, "f": 1.5, "s": "x", "z": null, "l": [1, 2], "flag": 0}});
        let a = json!({"n": {"a": 3, "b": 0.0, "f": 1.5 + 1e-10, "s": "x", "z": null, "l": [1, 2], "flag": 0, "more": true}});
        assert_eq!(compare_trends(&golden(e), &report(a)), Vec::<String>::new());
    }

    #[test]
    fn ints_are_exact_and_booleans_are_not_numbers() {
        let e = json!({"growth_rate_bytes_per_day": 38650942923i64, "is_suspended": 0});
        let a = json!({"growth_rate_bytes_per_day": 38650942924i64, "is_suspended": false});
        assert_eq!(compare_trends(&golden(e), &report(a)).len(), 2);
        assert_eq!(compare_trends(&golden(json!({"x": 1})), &report(json!({"x": 1.5}))).len(), 1);
    }

    #[test]
    fn rounded_fields_may_differ_by_one_unit() {
        let e = json!({"health_score": 87.16, "days_until_full": 12.4, "dl_mbps": 0.5});
        let ok = json!({"health_score": 87.17, "days_until_full": 12.5, "dl_mbps": 0.5});
        assert!(compare_trends(&golden(e.clone()), &report(ok)).is_empty());
        let bad = json!({"health_score": 87.18, "days_until_full": 12.6, "dl_mbps": 0.5000001});
        assert_eq!(compare_trends(&golden(e), &report(bad)).len(), 3);
    }

    #[test]
    fn lists_compare_by_length_and_element() {
        let diffs = compare_trends(&golden(json!({"l": [1, 2, 3]})), &report(json!({"l": [1, 5]})));
        assert_eq!(diffs.len(), 2, "{diffs:?}");
        assert!(compare_trends(&golden(json!({"k": 1})), &report(json!({})))[0].contains("missing in the report"));
    }

    #[test]
    fn now_must_be_the_goldens_instant() {
        let mut r = report(json!({}));
        r["now"] = json!("2025-10-10T12:00:01+00:00");
        assert_eq!(compare_trends(&golden(json!({})), &r).len(), 1);
        assert_eq!(compare_trends(&json!({"format": "other"}), &report(json!({}))).len(), 1);
        assert_eq!(compare_trends(&golden(json!({})), &json!({"now": "2025-10-10T12:00:00Z"})).len(), 1);
    }
}
