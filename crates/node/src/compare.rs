//! The comparison of a node report with earnings.py's printed figures (NODE_DATA.md §4.3 mapping,
//! §4.4 rules): the same checks as the team's `compare_node_report.py`, for the tests.

use serde_json::Value;

const SLACK: f64 = 1e-9;
const UNITS: [&str; 9] = ["B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Bool,
    Int,
    Dp(i32),
    Size,
    Joined,
    MonthNr,
}

enum Shape {
    Leaf(Kind),
    Group(&'static [(&'static str, Kind)]),
}

use Kind::*;
use Shape::*;

const SAT_SURGE: [(&str, Kind); 6] =
    [("storage", Dp(4)), ("egress", Dp(4)), ("repair_audit", Dp(4)), ("held", Dp(4)), ("payout", Dp(4)), ("percent", Int)];
const TABLE_SURGE: [(&str, Kind); 6] =
    [("storage", Dp(4)), ("egress", Dp(4)), ("repair_audit", Dp(4)), ("held", Dp(4)), ("payout", Dp(4)), ("percent", Dp(0))];
const ESTIMATED: [(&str, Kind); 6] =
    [("storage", Dp(4)), ("egress", Dp(4)), ("repair_audit", Dp(4)), ("held", Dp(4)), ("payout", Dp(4)), ("held_total", Dp(2))];
const REPUTATION: [(&str, Kind); 3] = [("disq_percent", Dp(2)), ("susp_percent", Dp(2)), ("down_percent", Dp(2))];
const TRANSACTION: [(&str, Kind); 2] = [("amount", Dp(2)), ("url", Str)];
const BANDWIDTH_LINE: [(&str, Kind); 3] = [("price_tb", Dp(2)), ("bandwidth", Size), ("payout", Dp(2))];
const DISK_MONTH: [(&str, Kind); 3] = [("price_tbm", Dp(2)), ("tbm", Size), ("payout", Dp(2))];
const TOTAL_LINE: [(&str, Kind); 3] = [("tbm", Size), ("bandwidth", Size), ("payout", Dp(2))];
const TOTAL_SURGE: [(&str, Kind); 2] = [("percent", Dp(0)), ("payout", Dp(2))];

fn satellite_map() -> Vec<(&'static str, Shape)> {
    vec![
        ("name", Leaf(Str)),
        ("status", Leaf(Str)),
        ("price_disk_tbm", Leaf(Dp(2))),
        ("price_egress_tb", Leaf(Dp(2))),
        ("price_repair_tb", Leaf(Dp(2))),
        ("held_percent", Leaf(Int)),
        ("paid_percent", Leaf(Int)),
        ("joined", Leaf(Joined)),
        ("month_nr", Leaf(MonthNr)),
        ("held_total", Leaf(Dp(2))),
        ("reputation", Group(&REPUTATION)),
        ("storage", Leaf(Dp(4))),
        ("egress", Leaf(Dp(4))),
        ("repair_audit", Leaf(Dp(4))),
        ("held", Leaf(Dp(4))),
        ("payout", Leaf(Dp(4))),
        ("surge", Group(&SAT_SURGE)),
        ("held_returned", Leaf(Dp(4))),
        ("held_total_after_return", Leaf(Dp(2))),
        ("payout_after_return", Leaf(Dp(4))),
        ("difference", Leaf(Dp(4))),
        ("paid", Leaf(Dp(4))),
        ("paid_previous_months", Leaf(Dp(4))),
        ("paid_total", Leaf(Dp(4))),
        ("paid_total_zksync_bonus", Leaf(Dp(4))),
        ("payout_postponed", Leaf(Dp(4))),
        ("payout_notes", Leaf(Str)),
        ("transaction", Group(&TRANSACTION)),
    ]
}

fn totals_map() -> Vec<(String, String, Shape)> {
    let mut v: Vec<(String, String, Shape)> = vec![
        ("totals.upload".into(), "totals.upload".into(), Leaf(Size)),
        ("totals.upload_repair".into(), "totals.upload_repair".into(), Leaf(Size)),
        ("totals.download".into(), "totals.download".into(), Group(&BANDWIDTH_LINE)),
        ("totals.download_repair".into(), "totals.download_repair".into(), Group(&BANDWIDTH_LINE)),
        ("totals.download_audit".into(), "totals.download_audit".into(), Group(&BANDWIDTH_LINE)),
    ];
    for (g, r) in [
        ("disk_current_total", "current_total"),
        ("disk_blobs", "blobs"),
        ("disk_trash", "trash"),
        ("uncollected_garbage", "uncollected_garbage"),
        ("total_unpaid_data", "total_unpaid_data"),
        ("disk_last_report", "last_report"),
        ("disk_average_so_far", "average_so_far"),
    ] {
        v.push((format!("totals.{g}"), format!("disk.{r}"), Leaf(Size)));
    }
    v.push(("totals.disk_usage_month".into(), "totals.disk_usage_month".into(), Group(&DISK_MONTH)));
    v.push(("totals.total".into(), "totals.total".into(), Group(&TOTAL_LINE)));
    v.push(("totals.estimated_total".into(), "estimate.total".into(), Group(&TOTAL_LINE)));
    v.push(("totals.total_surge".into(), "totals.total_surge".into(), Group(&TOTAL_SURGE)));
    v.push(("totals.storage_not_available".into(), "totals.storage_not_available".into(), Leaf(Bool)));
    v.push(("totals.table.held_total".into(), "totals.table.held_total".into(), Leaf(Dp(2))));
    for k in ["storage", "egress", "repair_audit", "held", "payout"] {
        v.push((format!("totals.table.{k}"), format!("totals.table.{k}"), Leaf(Dp(4))));
    }
    v.push(("totals.table.estimated".into(), "estimate.table".into(), Group(&ESTIMATED)));
    v.push(("totals.table.surge".into(), "totals.table.surge".into(), Group(&TABLE_SURGE)));
    v.push(("totals.table.held_returned".into(), "totals.table.held_returned".into(), Leaf(Dp(4))));
    v.push(("totals.table.held_total_after_return".into(), "totals.table.held_total_after_return".into(), Leaf(Dp(2))));
    v.push(("totals.table.payout_after_return".into(), "totals.table.payout_after_return".into(), Leaf(Dp(4))));
    for k in [
        "payout_difference",
        "total_payout_this_month",
        "paid_out_this_month",
        "postponed_this_month",
        "paid_previous_months",
        "paid_total",
        "paid_total_zksync_bonus",
        "postponed_payout_previous_months",
        "postponed_payout_total",
    ] {
        v.push((format!("totals.table.{k}"), format!("payout.{k}"), Leaf(Dp(4))));
    }
    v
}

/// earnings.py's size text: the unit from the digit count of `int(|x|)`, 2 decimals.
pub fn format_size(x: f64) -> String {
    model::node_report::format_size(x)
}

/// The result of a comparison: one line per mismatch, and the number of figures checked.
#[derive(Debug, Default)]
pub struct Comparison {
    pub diffs: Vec<String>,
    pub checked: usize,
}

/// `None` = absent.
fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = doc;
    for part in path.split('.') {
        if cur.is_null() {
            return Some(cur);
        }
        cur = cur.as_object()?.get(part)?;
    }
    Some(cur)
}

fn is_null(v: Option<&Value>) -> bool {
    v.is_none_or(Value::is_null)
}

impl Comparison {
    fn fail(&mut self, gpath: &str, opath: &str, e: &Value, o: Option<&Value>, why: &str) {
        let got = o.map(|v| v.to_string()).unwrap_or_else(|| "(absent)".into());
        self.diffs.push(format!("{gpath} (report {opath}): expected {e}, got {got} {why}"));
    }

    fn leaf(&mut self, gpath: &str, opath: &str, e: &Value, o: Option<&Value>, kind: Kind, g_parent: Option<&Value>) {
        self.checked += 1;
        let mut kind = kind;
        if let Joined = kind {
            if e.as_str() == Some("") {
                if !is_null(o) {
                    self.fail(gpath, opath, &Value::Null, o, "(no reputation row: null)");
                }
                return;
            }
            kind = Str;
        }
        if let MonthNr = kind {
            let joined_empty = g_parent.and_then(|p| p.get("joined")).and_then(Value::as_str) == Some("");
            if e.as_f64() == Some(0.0) && joined_empty {
                if !is_null(o) {
                    self.fail(gpath, opath, &Value::Null, o, "(no reputation row: null)");
                }
                return;
            }
            kind = Int;
        }
        if e.is_null() {
            if !is_null(o) {
                self.fail(gpath, opath, e, o, "(earnings.py prints no such line)");
            }
            return;
        }
        let Some(ov) = o.filter(|v| !v.is_null()) else {
            self.fail(gpath, opath, e, o, "(earnings.py prints this line)");
            return;
        };
        match kind {
            Str => {
                if ov.as_str().is_none() || ov != e {
                    self.fail(gpath, opath, e, o, "");
                }
            }
            Bool => {
                if ov.as_bool().is_none() || ov != e {
                    self.fail(gpath, opath, e, o, "");
                }
            }
            Int => {
                if ov.as_f64() != e.as_f64() || ov.is_boolean() {
                    self.fail(gpath, opath, e, o, "(exact)");
                }
            }
            Dp(dp) => {
                let tol = 0.5 * 10f64.powi(-dp) + SLACK;
                match (ov.as_f64(), e.as_f64()) {
                    (Some(a), Some(b)) if (a - b).abs() <= tol => {}
                    _ => self.fail(gpath, opath, e, o, &format!("({dp} decimals)")),
                }
            }
            Size => {
                let Some(x) = ov.as_f64() else {
                    self.fail(gpath, opath, e, o, "(a size in bytes)");
                    return;
                };
                let text = e.get("text").and_then(Value::as_str).unwrap_or("");
                if format_size(x) == text {
                    return;
                }
                let unit = e.get("unit").and_then(Value::as_str).unwrap_or("B");
                let p = UNITS.iter().position(|u| *u == unit).unwrap_or(0) as i32;
                let scale = 1000f64.powi(p);
                let tol = 0.005 * scale * (1.0 + SLACK) + SLACK;
                let value = e.get("value").and_then(Value::as_f64).unwrap_or(f64::NAN);
                // NaN (a damaged value) fails too.
                if (x - value * scale).abs().partial_cmp(&tol).is_none_or(|o| o == std::cmp::Ordering::Greater) {
                    self.fail(gpath, opath, e, o, &format!("(= {}; within half a unit)", format_size(x)));
                }
            }
            Joined | MonthNr => {}
        }
    }

    fn item(&mut self, gpath: &str, opath: &str, e: &Value, o: Option<&Value>, shape: &Shape, g_parent: Option<&Value>) {
        match shape {
            Leaf(kind) => self.leaf(gpath, opath, e, o, *kind, g_parent),
            Group(members) => {
                self.checked += 1;
                if e.is_null() {
                    if !is_null(o) {
                        self.fail(gpath, opath, e, o, "(earnings.py prints no such line)");
                    }
                    return;
                }
                let Some(ov) = o.filter(|v| v.is_object()) else {
                    self.fail(gpath, opath, e, o, "(earnings.py prints this line: an object)");
                    return;
                };
                for (k, kind) in members.iter() {
                    let ev = e.get(k).unwrap_or(&Value::Null);
                    self.leaf(&format!("{gpath}.{k}"), &format!("{opath}.{k}"), ev, ov.get(k), *kind, Some(e));
                }
            }
        }
    }
}

fn instant(v: Option<&Value>) -> Option<chrono::NaiveDateTime> {
    v.and_then(Value::as_str).and_then(crate::instant::parse_instant)
}

/// Compares a report (JSON) with an `earnings-py-golden/1` document.
pub fn compare(golden: &Value, report: &Value) -> Comparison {
    let mut c = Comparison::default();
    let null = Value::Null;
    if report.get("format").and_then(Value::as_str) != Some(model::node_report::NODE_REPORT_FORMAT) {
        c.fail("format", "format", &Value::String(model::node_report::NODE_REPORT_FORMAT.into()), report.get("format"), "");
    }
    for k in ["month", "mode"] {
        c.leaf(k, k, golden.get(k).unwrap_or(&null), report.get(k), Str, None);
    }
    c.checked += 1;
    let (g_now, r_now) = (instant(golden.get("now")), instant(report.get("now")));
    if g_now.is_none() || g_now != r_now {
        c.fail("now", "now", golden.get("now").unwrap_or(&null), report.get("now"), "(the same instant)");
    }
    c.checked += 1;
    if let Some(snapshot) = golden.get("snapshot").and_then(Value::as_str) {
        let shown = r_now.map(|t| t.format("%Y-%m-%d %H:%M:%SZ").to_string());
        if report.get("mode").and_then(Value::as_str) != Some("current") || shown.as_deref() != Some(snapshot) {
            c.fail(
                "snapshot",
                "mode/now",
                golden.get("snapshot").unwrap_or(&null),
                report.get("now"),
                "(a current-month report as of that second)",
            );
        }
    }
    // Notes: earnings.py's note lines <-> the report's kinds, in order.
    c.checked += 1;
    let kinds: Vec<String> = golden
        .get("notes")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|n| {
                    let t = n.as_str().unwrap_or("");
                    if t.starts_with("*Note: Stats reported by the satellites may be inaccurate during the first few days") {
                        "first-days".to_string()
                    } else if t.starts_with("*Note: Disk Last Report deviates") {
                        "deviation".to_string()
                    } else {
                        format!("unknown: {t}")
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let r_notes = report.get("notes").and_then(Value::as_array).cloned().unwrap_or_default();
    let r_kinds: Vec<String> = r_notes.iter().map(|n| n.get("kind").and_then(Value::as_str).unwrap_or("").to_string()).collect();
    if kinds != r_kinds {
        c.diffs.push(format!("notes: expected {kinds:?}, got {r_kinds:?}"));
    }
    let dev =
        r_notes.iter().find(|n| n.get("kind").and_then(Value::as_str) == Some("deviation")).map(|n| n.get("percent").unwrap_or(&null));
    let g_dev = get(golden, "totals.note_deviation_percent").unwrap_or(&null);
    c.leaf("totals.note_deviation_percent", "notes[kind=deviation].percent", g_dev, Some(dev.unwrap_or(&null)), Dp(2), None);

    // Satellites: names and order, then each figure.
    let g_sats = golden.get("satellites").and_then(Value::as_array).cloned().unwrap_or_default();
    let r_sats = report.get("satellites").and_then(Value::as_array).cloned().unwrap_or_default();
    c.checked += 1;
    if g_sats.len() != r_sats.len() {
        let names = |v: &[Value]| v.iter().map(|s| s.get("name").cloned().unwrap_or(Value::Null)).collect::<Vec<_>>();
        c.diffs.push(format!("satellites: expected {:?}, got {:?}", names(&g_sats), names(&r_sats)));
    } else {
        let map = satellite_map();
        for (i, (gs, rs)) in g_sats.iter().zip(&r_sats).enumerate() {
            for (k, shape) in &map {
                let path = format!("satellites[{i}].{k}");
                c.item(&path, &path, gs.get(*k).unwrap_or(&null), rs.get(*k), shape, Some(gs));
            }
        }
    }
    for (gk, rk, shape) in totals_map() {
        let e = get(golden, &gk).unwrap_or(&null);
        c.item(&gk, &rk, e, get(report, &rk), &shape, None);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tolerance_is_half_a_printed_unit() {
        let mut c = Comparison::default();
        c.leaf("x", "x", &json!(0.2117), Some(&json!(0.21174999)), Dp(4), None);
        assert!(c.diffs.is_empty());
        c.leaf("x", "x", &json!(0.2117), Some(&json!(0.21176)), Dp(4), None);
        assert_eq!(c.diffs.len(), 1);
    }

    #[test]
    fn sizes_by_text_or_half_a_unit() {
        let mut c = Comparison::default();
        let e = json!({"text": "114.19 GB", "value": 114.19, "unit": "GB"});
        c.leaf("s", "s", &e, Some(&json!(114_194_999_999.0)), Size, None);
        assert!(c.diffs.is_empty(), "{:?}", c.diffs);
        c.leaf("s", "s", &e, Some(&json!(114_196_000_000.0)), Size, None);
        assert_eq!(c.diffs.len(), 1);
    }

    #[test]
    fn null_lines_and_the_joined_exception() {
        let mut c = Comparison::default();
        c.leaf("n", "n", &Value::Null, Some(&json!(1.0)), Dp(4), None);
        assert_eq!(c.diffs.len(), 1);
        c.leaf("n", "n", &json!(1.0), None, Dp(4), None);
        assert_eq!(c.diffs.len(), 2);
        let parent = json!({"joined": "", "month_nr": 0});
        c.leaf("j", "j", &json!(""), Some(&Value::Null), Joined, Some(&parent));
        c.leaf("m", "m", &json!(0), Some(&Value::Null), MonthNr, Some(&parent));
        assert_eq!(c.diffs.len(), 2);
    }
}
