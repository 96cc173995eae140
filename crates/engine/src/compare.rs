//! The comparison of ANALYTICS section 11 (the same rules as `tools/compare_report.py`), shared by
//! the native and the wasm fixture tests.

use serde_json::Value;

/// Fields the original rounds to 2 decimals; compared within ±0.0100001.
const ROUNDED: &[&str] = &["mean", "median", "p50", "p95", "p99"];
const ROUNDED_TOLERANCE: f64 = 0.0100001;

/// Every difference between an expected (original) report and an actual one, as `path: what`.
/// Keys only the actual report has are allowed; a top-level `meta` is ignored.
pub fn compare_reports(expected: &Value, actual: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    walk(expected, actual, "$", None, &mut diffs);
    diffs
}

fn walk(e: &Value, a: &Value, path: &str, key: Option<&str>, diffs: &mut Vec<String>) {
    match (e, a) {
        (Value::Number(x), Value::Number(y)) => compare_numbers(x, y, path, key, diffs),
        (Value::Object(em), Value::Object(am)) => {
            for (k, ev) in em {
                if k == "meta" && path == "$" {
                    continue;
                }
                match am.get(k) {
                    Some(av) => walk(ev, av, &format!("{path}.{k}"), Some(k), diffs),
                    None => diffs.push(format!("{path}.{k}: missing in actual")),
                }
            }
        }
        (Value::Array(el), Value::Array(al)) => {
            if el.len() != al.len() {
                diffs.push(format!("{path}: list length {} vs {}", el.len(), al.len()));
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
        _ => diffs.push(format!("{path}: type differs ({e} / {a})")),
    }
}

fn compare_numbers(x: &serde_json::Number, y: &serde_json::Number, path: &str, key: Option<&str>, diffs: &mut Vec<String>) {
    // Ints must be exact; an int equals a float of the same value.
    if let (Some(i), Some(j)) = (x.as_i64(), y.as_i64()) {
        if i != j {
            diffs.push(format!("{path}: expected {i}, got {j}"));
        }
        return;
    }
    let (e, a) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
    let tolerance = if key.is_some_and(|k| ROUNDED.contains(&k)) { ROUNDED_TOLERANCE } else { f64::max(1e-12, 1e-9 * e.abs()) };
    let d = (e - a).abs();
    if d.is_nan() || d > tolerance {
        diffs.push(format!("{path}: expected {x}, got {y} (diff {d:.3e}, tolerance {tolerance:.3e})"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rules() {
        let e = json!({"a": 159, "b": 1.0, "mean": 2.0, "l": [1, 2], "s": "x", "meta": 1});
        assert!(compare_reports(&e, &json!({"a": 159.0, "b": 1.0 + 1e-10, "mean": 2.01, "l": [1, 2], "s": "x", "extra": 3})).is_empty());
        assert_eq!(compare_reports(&e, &json!({"a": 160, "b": 1.0, "mean": 2.0, "l": [1, 2], "s": "x"})).len(), 1);
        assert_eq!(compare_reports(&e, &json!({"a": 159, "b": 1.1, "mean": 2.02, "l": [1], "s": null})).len(), 4);
        assert_eq!(compare_reports(&json!({"k": 1}), &json!({})), vec!["$.k: missing in actual".to_string()]);
    }
}
