//! The comparison rules of LOGS.md §4.5-§4.7, for the tests: a log report against the log's
//! truth (`storj-log-truth/1`) and successrate.sh's printed figures (`successrate-golden/1`).
//! The same checks as the team's reference checker, in Rust, so that a bare clone tests them.

use serde_json::Value;

use crate::compat::{printed_categories, FIELDS};

const CATEGORY_OF: [(&str, &str); 5] =
    [("GET_AUDIT", "audit"), ("GET", "download"), ("PUT", "upload"), ("GET_REPAIR", "repair_download"), ("PUT_REPAIR", "repair_upload")];
const STATUSES: [&str; 3] = ["success", "canceled", "failed"];
const LEVELS: [&str; 7] = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "DPANIC", "PANIC"];
/// The truth's counter names, in `compat::FIELDS` order.
const COUNTERS: [&str; 18] = [
    "audit_failed_crit",
    "audit_failed_warn",
    "audit_success",
    "dl_failed",
    "dl_canceled",
    "dl_success",
    "put_rejected",
    "put_failed",
    "put_canceled",
    "put_success",
    "get_repair_failed",
    "get_repair_canceled",
    "get_repair_success",
    "put_repair_failed",
    "put_repair_canceled",
    "put_repair_success",
    "delete_failed",
    "delete_success",
];

type Group = (&'static str, fn(&str) -> bool);
type KindTest<'a> = &'a dyn Fn(&str) -> bool;
const FAILED_GROUPS: [Group; 11] = [
    ("missing piece", |r| r.contains("file does not exist")),
    ("order limit verification", |r| r.contains("invalid order limit signature")),
    ("windows: existing connection forcibly closed", |r| r.contains("An existing connection was forcibly closed")),
    ("windows: connection aborted", |r| r.contains("An established connection was aborted")),
    ("windows: localised reset message", |r| {
        ["Удаленный хост", "Eine vorhandene Verbindung", "Une connexion existante"].iter().any(|x| r.contains(x))
    }),
    ("broken pipe", |r| r.contains("broken pipe")),
    ("connection reset", |r| r.contains("connection reset by peer")),
    ("timeout", |r| r.contains("operation timed out")),
    ("deadline", |r| r.contains("context deadline exceeded")),
    ("closed connection", |r| r.contains("use of closed network connection")),
    ("unexpected EOF", |r| r.contains("unexpected EOF")),
];
const CANCELED_GROUPS: [Group; 6] = [
    ("race lost", |r| r == "race lost or node shutdown"),
    ("downloaded size mismatch", |r| r.contains("does not match received message size")),
    ("context canceled", |r| r == "context canceled"),
    ("stream closed by peer", |r| r == "stream closed by peer"),
    ("unknown reason", |r| r.starts_with("unknown reason")),
    ("no reason logged", |r| r == "(no reason logged)"),
];

fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(k))
}

fn int(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_u64)
}

struct Cmp {
    bad: Vec<String>,
    checks: usize,
}

impl Cmp {
    fn eq(&mut self, path: &str, want: u64, got: Option<&Value>) {
        self.checks += 1;
        if got.and_then(Value::as_u64) != Some(want) || !got.is_some_and(Value::is_u64) {
            self.bad.push(format!("{path}: expected {want}, got {got:?}"));
        }
    }

    fn rate(&mut self, path: &str, value: Option<&Value>, num: Option<u64>, den: Option<u64>) {
        self.checks += 1;
        let (Some(num), Some(den)) = (num, den) else { return };
        if den == 0 {
            if !value.is_some_and(Value::is_null) {
                self.bad.push(format!("{path}: expected null, got {value:?}"));
            }
            return;
        }
        let want = 100.0 * num as f64 / den as f64;
        match value.and_then(Value::as_f64) {
            Some(v) if (v - want).abs() <= 1e-9 * want.abs().max(1.0) => {}
            _ => self.bad.push(format!("{path}: expected {want}, got {value:?}")),
        }
    }

    fn category_rates(&mut self, path: &str, o: Option<&Value>, name: &str, overall: bool) {
        let Some(o) = o.filter(|o| o.is_object()) else {
            self.bad.push(format!("{path}: not a category object"));
            return;
        };
        let n = |k: &str| int(o.get(k));
        if name == "delete" {
            let tot = n("success").zip(n("failed")).map(|(s, f)| s + f);
            if let Some(t) = tot {
                self.eq(&format!("{path}.total"), t, o.get("total"));
            }
            self.rate(&format!("{path}.success_rate"), o.get("success_rate"), n("success"), tot);
            self.rate(&format!("{path}.fail_rate"), o.get("fail_rate"), n("failed"), tot);
            return;
        }
        let tot = match (n("success"), n("canceled"), n("failed")) {
            (Some(s), Some(c), Some(f)) => Some(s + c + f),
            _ => None,
        };
        if let Some(t) = tot {
            self.eq(&format!("{path}.total"), t, o.get("total"));
        }
        self.rate(&format!("{path}.success_rate"), o.get("success_rate"), n("success"), tot);
        self.rate(&format!("{path}.cancel_rate"), o.get("cancel_rate"), n("canceled"), tot);
        self.rate(&format!("{path}.fail_rate"), o.get("fail_rate"), n("failed"), tot);
        if name == "audit" {
            if let (Some(c), Some(r)) = (n("failed_critical"), n("failed_recoverable")) {
                self.eq(&format!("{path}.failed (= critical + recoverable)"), c + r, o.get("failed"));
            }
            self.rate(&format!("{path}.critical_fail_rate"), o.get("critical_fail_rate"), n("failed_critical"), tot);
            self.rate(&format!("{path}.recoverable_fail_rate"), o.get("recoverable_fail_rate"), n("failed_recoverable"), tot);
        }
        if name == "upload" && overall {
            let den = tot.zip(n("rejected")).map(|(t, r)| t + r);
            self.rate(&format!("{path}.acceptance_rate"), o.get("acceptance_rate"), tot, den);
        }
    }

    /// Printed figures: counts exactly, rates within `tol` (null where successrate.sh printed -nan).
    fn printed(&mut self, path: &str, want: &Value, got: &Value, tol: f64) {
        let Some(w) = want.as_object() else { return };
        for (cat, fields) in w {
            let Some(fields) = fields.as_object() else { continue };
            for (f, wv) in fields {
                let g = get(got, &[cat, f]);
                let p = format!("{path}.{cat}.{f}");
                if f.ends_with("_rate") {
                    self.checks += 1;
                    match (wv.as_f64(), g.and_then(Value::as_f64)) {
                        (None, None) if g.is_some_and(Value::is_null) && wv.is_null() => {}
                        (Some(a), Some(b)) if (a - b).abs() <= tol + 1e-9 => {}
                        _ => self.bad.push(format!("{p}: expected {wv}, got {g:?}")),
                    }
                } else if let Some(wn) = wv.as_u64() {
                    self.eq(&p, wn, g);
                }
            }
        }
    }
}

/// The cause of a kind of line in the truth's successrate_model account.
fn cause_of_kind(kind: &str, counter: &str) -> &'static str {
    if kind.starts_with("truncated last line") {
        "truncated_last_line"
    } else if kind.contains("(reason: downloaded size mismatch)") {
        "size_mismatch_cancel"
    } else if kind.contains("download failed GET_AUDIT") && (counter == "audit_failed_crit" || counter == "audit_failed_warn") {
        "exist_in_error"
    } else if kind.contains("failed to close piece reader") {
        "failed_to_close_piece_reader"
    } else if kind.contains("[no Action field]") {
        "race_lost_without_action"
    } else if kind.contains("(twin of a race-lost line)") {
        "debug_twin"
    } else if kind == "pieces DEBUG deleted piece" {
        "debug_deleted_piece"
    } else if ["collector ", "retain ", "lazyfilewalker.", "pieces:trash "].iter().any(|p| kind.starts_with(p)) {
        "gc_or_expiry_line"
    } else {
        "other_line"
    }
}

/// Every mismatch between a report and the truth and golden, one line each; the number of checks.
pub fn compare(golden: &Value, truth: &Value, report: &Value) -> (Vec<String>, usize) {
    let mut c = Cmp { bad: Vec::new(), checks: 0 };
    let t = truth;
    let r = report;
    if get(r, &["format"]).and_then(Value::as_str) != Some(model::log_report::LOG_REPORT_FORMAT) {
        c.bad.push("format".into());
    }
    // ---- lines
    c.eq("lines.read", int(get(t, &["file", "lines"])).unwrap_or(0), get(r, &["lines", "read"]));
    let lv = |l: &str| int(get(t, &["lines_by_level", l])).unwrap_or(0);
    for l in LEVELS {
        c.eq(&format!("lines.by_level.{l}"), lv(l), get(r, &["lines", "by_level", l]).or(Some(&Value::from(0))));
    }
    let trunc = u64::from(get(t, &["truncated_last_line"]).is_some_and(|v| !v.is_null() && v != &Value::Bool(false)));
    c.eq("lines.not_understood", lv("raw") + trunc, get(r, &["lines", "not_understood"]));
    c.eq(
        "lines.skipped.truncated_last_line.count",
        trunc,
        get(r, &["lines", "skipped", "truncated_last_line", "count"]).or(Some(&Value::from(0))),
    );

    // ---- categories
    let zero = Value::from(0);
    let or0 = |v: Option<&'_ Value>| -> u64 { int(v).unwrap_or(0) };
    for (action, cat) in CATEGORY_OF {
        for st in STATUSES {
            c.eq(&format!("categories.{cat}.{st}"), or0(get(t, &["transfers", "by_action", action, st])), get(r, &["categories", cat, st]));
            c.eq(
                &format!("categories.{cat}.bytes.{st}"),
                or0(get(t, &["transfers", "size_bytes_by_action", action, st])),
                get(r, &["categories", cat, "bytes", st]),
            );
        }
    }
    for k in ["success", "canceled", "failed_critical", "failed_recoverable"] {
        c.eq(&format!("categories.audit.{k}"), or0(get(t, &["audit", k])), get(r, &["categories", "audit", k]));
    }
    c.eq("categories.upload.rejected", or0(get(t, &["uploads_rejected", "total"])), get(r, &["categories", "upload", "rejected"]));
    for k in ["success", "failed"] {
        c.eq(&format!("categories.delete.{k}"), or0(get(t, &["deletes_piecestore", k])), get(r, &["categories", "delete", k]));
    }
    for cat in ["audit", "download", "upload", "repair_download", "repair_upload", "delete"] {
        c.category_rates(&format!("categories.{cat}"), get(r, &["categories", cat]), cat, true);
    }
    let cv = |cat: &str, k: &str| int(get(r, &["categories", cat, k]));
    for (k, cat) in [("audit_success_rate", "audit"), ("download_success_rate", "download"), ("upload_success_rate", "upload")] {
        c.rate(&format!("summary.{k}"), get(r, &["summary", k]), cv(cat, "success"), cv(cat, "total"));
    }
    let rs = cv("repair_download", "success").zip(cv("repair_upload", "success")).map(|(a, b)| a + b);
    let rt = cv("repair_download", "total").zip(cv("repair_upload", "total")).map(|(a, b)| a + b);
    c.rate("summary.repair_success_rate", get(r, &["summary", "repair_success_rate"]), rs, rt);

    // ---- satellites
    let sats: Vec<&Value> = get(r, &["satellites"]).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default();
    let by_id = |id: &str| sats.iter().find(|s| get(s, &["id"]).and_then(Value::as_str) == Some(id)).copied();
    let names = get(t, &["satellites"]).and_then(Value::as_object).cloned().unwrap_or_default();
    if let Some(per_sat) = get(t, &["transfers", "by_satellite"]).and_then(Value::as_object) {
        for (name, per) in per_sat {
            let Some(id) = names.get(name).and_then(Value::as_str) else { continue };
            let Some(s) = by_id(id) else {
                c.bad.push(format!("satellites[id={id}]: no entry for {name}"));
                continue;
            };
            c.checks += 1;
            if get(s, &["name"]).and_then(Value::as_str) != Some(name.as_str()) {
                c.bad.push(format!("satellites[{id}].name: expected {name}"));
            }
            for (action, cat) in CATEGORY_OF {
                for st in STATUSES {
                    c.eq(
                        &format!("satellites[{name}].categories.{cat}.{st}"),
                        or0(get(per, &[action, st])),
                        get(s, &["categories", cat, st]),
                    );
                }
            }
        }
    }
    for (i, s) in sats.iter().enumerate() {
        for cat in ["audit", "download", "upload", "repair_download", "repair_upload", "delete"] {
            c.category_rates(&format!("satellites[{i}].categories.{cat}"), get(s, &["categories", cat]), cat, false);
        }
        let id = get(s, &["id"]).and_then(Value::as_str).unwrap_or("");
        if !names.values().any(|v| v.as_str() == Some(id)) {
            let n: u64 = CATEGORY_OF
                .iter()
                .flat_map(|(_, cat)| STATUSES.iter().map(move |st| (cat, st)))
                .map(|(cat, st)| or0(get(s, &["categories", cat, st])))
                .sum();
            if n > 0 {
                c.bad.push(format!("satellites[{i}] ({id}): {n} transfers of a satellite not in this log"));
            }
        }
    }

    // ---- hourly
    let hours: Vec<&Value> = get(r, &["hourly"]).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default();
    let hour_of = |e: &Value| get(e, &["hour"]).and_then(Value::as_str).map(|h| h.chars().take(13).collect::<String>());
    let truth_hours = get(t, &["by_hour_utc"]).and_then(Value::as_object).cloned().unwrap_or_default();
    for (h, per) in &truth_hours {
        let Some(e) = hours.iter().find(|e| hour_of(e).as_deref() == Some(h.as_str())) else {
            c.bad.push(format!("hourly[{h}]: no entry"));
            continue;
        };
        c.checks += 1;
        for (action, cat) in CATEGORY_OF {
            let want = per.get(action).cloned().unwrap_or_else(|| serde_json::json!([0, 0, 0]));
            if e.get(cat) != Some(&want) {
                c.bad.push(format!("hourly[{h}].{cat}: expected {want}, got {:?}", e.get(cat)));
            }
        }
        c.eq(&format!("hourly[{h}].upload_rejected"), or0(per.get("rejected")), e.get("upload_rejected"));
    }
    for e in &hours {
        let h = hour_of(e).unwrap_or_default();
        if truth_hours.contains_key(&h) {
            continue;
        }
        let busy = CATEGORY_OF.iter().any(|(_, cat)| e.get(cat).is_some_and(|v| v != &serde_json::json!([0, 0, 0])))
            || or0(e.get("upload_rejected")) > 0;
        if busy {
            c.bad.push(format!("hourly[{h}]: transfers in an hour without any"));
        }
    }

    // ---- reasons grouped by cause
    for (action, cat) in CATEGORY_OF {
        for (st, groups) in [("failed", &FAILED_GROUPS[..]), ("canceled", &CANCELED_GROUPS[..])] {
            let mut want: std::collections::BTreeMap<String, i64> = Default::default();
            let tags = get(t, &["transfers", "reasons", action, st]).and_then(Value::as_object).cloned().unwrap_or_default();
            let mut tagged = 0;
            for (tag, n) in &tags {
                let n = n.as_i64().unwrap_or(0);
                tagged += n;
                let base = tag.split(',').next().unwrap_or("");
                let key = if st == "canceled" && base == "shutdown" { "no reason logged" } else { base };
                *want.entry(key.to_string()).or_default() += n;
            }
            if st == "canceled" {
                let rest = or0(get(t, &["transfers", "by_action", action, "canceled"])) as i64 - tagged;
                if rest != 0 {
                    *want.entry("no reason logged".into()).or_default() += rest;
                }
            }
            let mut got: std::collections::BTreeMap<String, i64> = Default::default();
            for item in get(r, &["failure_reasons", cat, st]).and_then(Value::as_array).cloned().unwrap_or_default() {
                let (Some(reason), Some(n)) = (get(&item, &["reason"]).and_then(Value::as_str), int(get(&item, &["count"]))) else {
                    c.bad.push(format!("failure_reasons.{cat}.{st}: bad item {item}"));
                    continue;
                };
                let key = groups.iter().find(|(_, f)| f(reason)).map_or_else(|| format!("unrecognised: {reason}"), |(g, _)| g.to_string());
                *got.entry(key).or_default() += n as i64;
            }
            let keys: std::collections::BTreeSet<&String> = want.keys().chain(got.keys()).collect();
            for k in keys {
                c.checks += 1;
                let (w, g) = (want.get(k).copied().unwrap_or(0), got.get(k).copied().unwrap_or(0));
                if w != g {
                    c.bad.push(format!("failure_reasons.{cat}.{st}[{k}]: expected {w}, got {g}"));
                }
            }
        }
    }

    // ---- started, removals, versions, time range
    c.eq("started.download", or0(get(t, &["started_lines", "download started"])), get(r, &["started", "download"]));
    c.eq("started.upload", or0(get(t, &["started_lines", "upload started"])), get(r, &["started", "upload"]));
    let kinds = get(t, &["lines_by_kind"]).and_then(Value::as_object).cloned().unwrap_or_default();
    let kind_sum = |pred: &dyn Fn(&str) -> bool| kinds.iter().filter(|(k, _)| pred(k)).map(|(_, n)| n.as_u64().unwrap_or(0)).sum::<u64>();
    let removal_rules: [(&str, KindTest); 6] = [
        ("expired_piece_lines", &|k| k == "collector deleted expired piece"),
        ("expired_collection_runs", &|k| k == "collector expired pieces collection completed"),
        ("expired_files_lines", &|k| k == "collector Expired files deleted"),
        ("expire_failures", &|k| k.starts_with("collector") && k.contains("unable to delete piece")),
        ("retain_runs", &|k| k.starts_with("retain Moved pieces to trash during retain")),
        ("trash_emptied_runs", &|k| k.ends_with("trash-filewalker completed")),
    ];
    for (field, pred) in removal_rules {
        c.eq(&format!("removals.{field}"), kind_sum(pred), get(r, &["removals", field]));
    }
    let known: Vec<&str> = get(t, &["eras"])
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|e| get(e, &["version"]).and_then(Value::as_str)).collect())
        .unwrap_or_default();
    for v in get(r, &["versions"]).and_then(Value::as_array).cloned().unwrap_or_default() {
        c.checks += 1;
        let name = get(&v, &["version"]).and_then(Value::as_str).unwrap_or("");
        if !known.contains(&name) {
            c.bad.push(format!("versions: {name} not among {known:?}"));
        }
    }
    for (k, tk) in [("first", "first_line"), ("last", "last_line")] {
        c.checks += 1;
        let want = get(t, &["time_utc", tk]).and_then(Value::as_str).and_then(secs);
        let got = get(r, &["time_range", k]).and_then(Value::as_str).and_then(secs);
        if !matches!((want, got), (Some(w), Some(g)) if (w - g).abs() <= 300) {
            c.bad.push(format!("time_range.{k}: expected {want:?} ± 300 s, got {got:?}"));
        }
    }

    // ---- successrate.sh's figures, and its formulas over the true counts
    let sem: Vec<u64> = COUNTERS.iter().map(|k| or0(get(t, &["successrate_model", "semantic", k]))).collect();
    let mut sem_arr = [0u64; 18];
    sem_arr.copy_from_slice(&sem);
    let corrected = serde_json::to_value(printed_categories(&sem_arr)).unwrap_or(Value::Null);
    let empty = Value::Null;
    let golden_cats = get(golden, &["categories"]).unwrap_or(&empty);
    c.printed("successrate_compat.categories", golden_cats, get(r, &["successrate_compat", "categories"]).unwrap_or(&empty), 0.001);
    c.printed("successrate_compat.corrected", &corrected, get(r, &["successrate_compat", "corrected"]).unwrap_or(&empty), 0.001);

    // ---- each difference and its causes
    let diffs: Vec<Value> = get(r, &["successrate_compat", "differences"]).and_then(Value::as_array).cloned().unwrap_or_default();
    for (i, counter) in COUNTERS.iter().enumerate() {
        let fld = FIELDS[i];
        let mut want: std::collections::BTreeMap<&str, i64> = Default::default();
        for (side, sign) in [("extra", 1), ("missing", -1)] {
            if let Some(m) = get(t, &["successrate_model", side, counter]).and_then(Value::as_object) {
                for (k, n) in m {
                    *want.entry(cause_of_kind(k, counter)).or_default() += sign * n.as_i64().unwrap_or(0);
                }
            }
        }
        want.retain(|_, v| *v != 0);
        let mut got: std::collections::BTreeMap<String, i64> = Default::default();
        if let Some(d) = diffs.iter().find(|d| get(d, &["field"]).and_then(Value::as_str) == Some(fld)) {
            let (cat, f) = fld.split_once('.').unwrap_or((fld, ""));
            c.eq(&format!("differences[{fld}].successrate"), or0(get(golden_cats, &[cat, f])), d.get("successrate"));
            c.eq(&format!("differences[{fld}].storj_lens"), sem[i], d.get("storj_lens"));
            for item in d.get("causes").and_then(Value::as_array).cloned().unwrap_or_default() {
                let (Some(cause), Some(n)) = (item.get("cause").and_then(Value::as_str), item.get("lines").and_then(Value::as_i64)) else {
                    c.bad.push(format!("differences[{fld}]: bad cause {item}"));
                    continue;
                };
                *got.entry(cause.to_string()).or_default() += n;
            }
            got.retain(|_, v| *v != 0);
            let sum: i64 = got.values().sum();
            c.checks += 1;
            if Some(sum) != int(d.get("successrate")).zip(int(d.get("storj_lens"))).map(|(a, b)| a as i64 - b as i64) {
                c.bad.push(format!("differences[{fld}]: causes sum to {sum}"));
            }
        }
        let keys: std::collections::BTreeSet<String> = want.keys().map(|k| k.to_string()).chain(got.keys().cloned()).collect();
        for k in keys {
            c.checks += 1;
            let (w, g) = (want.get(k.as_str()).copied().unwrap_or(0), got.get(&k).copied().unwrap_or(0));
            if w != g {
                c.bad.push(format!("differences[{fld}].causes[{k}]: expected {w}, got {g}"));
            }
        }
    }
    for d in &diffs {
        let f = get(d, &["field"]).and_then(Value::as_str).unwrap_or("");
        if !FIELDS.contains(&f) {
            c.bad.push(format!("differences[{f}]: unknown field"));
        }
    }
    let canceled_audits = or0(get(t, &["audit", "canceled"]));
    let note = get(r, &["successrate_compat", "notes"])
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|n| get(n, &["note"]).and_then(Value::as_str) == Some("canceled_audits")).cloned());
    c.checks += 1;
    match (canceled_audits, note) {
        (0, None) => {}
        (n, Some(v)) if n > 0 && int(v.get("count")) == Some(n) => {}
        (n, v) => c.bad.push(format!("notes[canceled_audits]: expected {n}, got {v:?}")),
    }
    let _ = zero;
    (c.bad, c.checks)
}

/// Seconds of an RFC 3339 time (for the ±300 s check).
fn secs(s: &str) -> Option<i64> {
    crate::time::parse_stamp(s.as_bytes()).map(|st| st.utc_ms.div_euclid(1000))
}
