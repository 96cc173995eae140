//! The pass's state to the report of LOGS.md §4: rates, satellites sorted by ID, hours, reasons,
//! the successrate.sh-compatible figures with their differences and notes.

use model::log_report::*;
use model::report::OrderedMap;

use crate::classify::{Analyzer, CatCounts, Counts, AUDIT, DOWNLOAD, REPAIR_DOWNLOAD, REPAIR_UPLOAD, SKIP_KINDS, UPLOAD};
use crate::compat::{printed_categories, FIELDS};
use crate::time::format_utc;

/// Satellite names (ANALYTICS.md).
const SATELLITE_NAMES: [(&str, &str); 4] = [
    ("121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6", "ap1"),
    ("12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S", "us1"),
    ("12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs", "eu1"),
    ("1wFTAgs9DP5RSnCqKV1eLf6N9wtk4EAtmN5DpSxcs8EjT69tGE", "saltlake"),
];

/// `100 a / b`, None when b = 0.
pub fn rate(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| 100.0 * a as f64 / b as f64)
}

fn bytes(k: &CatCounts) -> StatusBytes {
    StatusBytes { success: k.bytes[0], canceled: k.bytes[1], failed: k.bytes[2] }
}

fn transfer(k: &CatCounts) -> TransferCategory {
    let total = k.success + k.canceled + k.failed;
    TransferCategory {
        success: k.success,
        canceled: k.canceled,
        failed: k.failed,
        total,
        success_rate: rate(k.success, total),
        cancel_rate: rate(k.canceled, total),
        fail_rate: rate(k.failed, total),
        bytes: bytes(k),
    }
}

fn audit(k: &CatCounts) -> AuditCategory {
    let total = k.success + k.canceled + k.failed;
    AuditCategory {
        success: k.success,
        canceled: k.canceled,
        failed: k.failed,
        total,
        failed_critical: k.failed_critical,
        failed_recoverable: k.failed_recoverable,
        success_rate: rate(k.success, total),
        cancel_rate: rate(k.canceled, total),
        fail_rate: rate(k.failed, total),
        critical_fail_rate: rate(k.failed_critical, total),
        recoverable_fail_rate: rate(k.failed_recoverable, total),
        bytes: bytes(k),
    }
}

fn delete(d: [u64; 2]) -> DeleteCategory {
    let total = d[0] + d[1];
    DeleteCategory { success: d[0], failed: d[1], total, success_rate: rate(d[0], total), fail_rate: rate(d[1], total) }
}

fn satellite_categories(c: &Counts) -> SatelliteCategories {
    SatelliteCategories {
        audit: audit(&c.cats[AUDIT]),
        download: transfer(&c.cats[DOWNLOAD]),
        upload: transfer(&c.cats[UPLOAD]),
        repair_download: transfer(&c.cats[REPAIR_DOWNLOAD]),
        repair_upload: transfer(&c.cats[REPAIR_UPLOAD]),
        delete: delete(c.delete),
    }
}

/// What the node did, as successrate.sh's 18 counters (indexed as `compat::FIELDS`).
fn semantic(a: &Analyzer) -> [u64; 18] {
    let c = &a.overall.cats;
    let t = |k: &CatCounts| [k.failed, k.canceled, k.success];
    let [df, dc, ds] = t(&c[DOWNLOAD]);
    let [uf, uc, us] = t(&c[UPLOAD]);
    let [rdf, rdc, rds] = t(&c[REPAIR_DOWNLOAD]);
    let [ruf, ruc, rus] = t(&c[REPAIR_UPLOAD]);
    let au = &c[AUDIT];
    [
        au.failed_critical,
        au.failed_recoverable,
        au.success,
        df,
        dc,
        ds,
        a.rejected,
        uf,
        uc,
        us,
        rdf,
        rdc,
        rds,
        ruf,
        ruc,
        rus,
        a.overall.delete[1],
        a.overall.delete[0],
    ]
}

/// The report's inputs beyond the pass itself.
pub struct Context<'a> {
    pub name: &'a str,
    pub bytes: u64,
    pub gzip: bool,
    pub encoding: &'a str,
    pub now: Option<String>,
    pub slices: u64,
    pub peak_line_buffer: u64,
    pub warnings: Vec<String>,
}

pub fn build(a: &Analyzer, cx: Context<'_>) -> LogReport {
    let o = &a.overall;
    let up = transfer(&o.cats[UPLOAD]);
    let last = a.last_ms.map(|t| format_utc(t.div_euclid(1000)));
    let mut skipped = OrderedMap::default();
    for (kind, s) in SKIP_KINDS.iter().zip(&a.skipped) {
        if let Some((line, text)) = &s.first {
            skipped.insert(kind.to_string(), SkippedKind { count: s.count, first: LineExample { line: *line, text: text.clone() } });
        }
    }
    let not_understood: u64 = a.skipped.iter().map(|s| s.count).sum();
    let mut by_level = OrderedMap::default();
    for (l, n) in LEVELS.iter().zip(a.by_level) {
        by_level.insert(l.to_string(), n);
    }
    let rd = &o.cats[REPAIR_DOWNLOAD];
    let ru = &o.cats[REPAIR_UPLOAD];
    let repair_total = rd.success + rd.canceled + rd.failed + ru.success + ru.canceled + ru.failed;
    let au = audit(&o.cats[AUDIT]);
    let dl = transfer(&o.cats[DOWNLOAD]);

    let mut sat_order: Vec<usize> = (0..a.sat_ids.len()).collect();
    sat_order.sort_by(|&x, &y| a.sat_ids[x].cmp(&a.sat_ids[y]));
    let satellites = sat_order
        .into_iter()
        .map(|i| {
            let id = String::from_utf8_lossy(&a.sat_ids[i]).into_owned();
            let name = SATELLITE_NAMES.iter().find(|(s, _)| *s == id).map_or_else(|| id.clone(), |(_, n)| n.to_string());
            SatelliteEntry { id, name, categories: satellite_categories(&a.sats[i]) }
        })
        .collect();

    let hourly = a
        .hours
        .iter()
        .map(|(h, c)| HourEntry {
            hour: format_utc(h * 3600),
            audit: c.cats[AUDIT],
            download: c.cats[DOWNLOAD],
            upload: c.cats[UPLOAD],
            repair_download: c.cats[REPAIR_DOWNLOAD],
            repair_upload: c.cats[REPAIR_UPLOAD],
            upload_rejected: c.rejected,
            delete: c.delete,
        })
        .collect();

    let lists = |c: usize| {
        let conv = |l: &crate::reasons::ReasonList| l.sorted().into_iter().map(|(reason, count)| ReasonCount { reason, count }).collect();
        ReasonLists { failed: conv(&a.reasons[c][0]), canceled: conv(&a.reasons[c][1]) }
    };

    let mut other_actions = OrderedMap::default();
    for (name, n) in &a.other_actions {
        other_actions.insert(name.clone(), StatusCounts { success: n[0], canceled: n[1], failed: n[2] });
    }

    let sem = semantic(a);
    let differences = FIELDS
        .iter()
        .enumerate()
        .filter_map(|(f, name)| {
            let causes: Vec<DifferenceCause> = CAUSES
                .iter()
                .zip(a.diffs[f])
                .filter(|(_, n)| *n != 0)
                .map(|((cause, _), lines)| DifferenceCause { cause: cause.to_string(), lines })
                .collect();
            (!causes.is_empty()).then(|| Difference { field: name.to_string(), successrate: a.compat[f], storj_lens: sem[f], causes })
        })
        .collect();

    let mut notes = Vec::new();
    let mut note = |n: &str, count: u64| notes.push(CompatNote { note: n.to_string(), count });
    if au.canceled > 0 {
        note("canceled_audits", au.canceled);
    }
    if a.debug_upload_failures > 0 {
        note("debug_upload_failures", a.debug_upload_failures);
    }
    if a.lines_with_reason > 0 && a.by_level[0] == 0 {
        note("info_level", a.lines_with_reason);
    }
    if a.invalid_utf8 > 0 {
        note("invalid_utf8_lines", a.invalid_utf8);
    }
    if let Some(line) = a.nul_first_line {
        note("nul_bytes", line);
    }
    if a.utf16 {
        note("utf16", a.line_no);
    }

    let (open_peak, open_dropped) = a.open_peak();
    let reasons_overflow = a.reasons.iter().flatten().map(|l| l.overflow).sum();
    LogReport {
        format: LOG_REPORT_FORMAT.to_string(),
        input: LogInput {
            name: cx.name.to_string(),
            bytes: cx.bytes,
            compression: if cx.gzip { "gzip" } else { "none" }.to_string(),
            encoding: cx.encoding.to_string(),
            docker_prefix: match a.prefix {
                None | Some(crate::parse::Prefix::None) => "none",
                Some(crate::parse::Prefix::Timestamps) => "timestamps",
                Some(crate::parse::Prefix::Compose) => "compose",
            }
            .to_string(),
            crlf_lines: a.crlf_lines,
            longest_line_bytes: a.longest_line,
        },
        now: cx.now.or_else(|| last.clone()),
        lines: LogLines {
            read: a.line_no,
            node: a.node_lines(),
            by_level,
            invalid_utf8: a.invalid_utf8,
            not_understood,
            skipped,
            nul_bytes: NulBytes { runs: a.nul_runs, bytes: a.nul_bytes, first_line: a.nul_first_line },
        },
        time_range: TimeRange { first: a.first_ms.map(|t| format_utc(t.div_euclid(1000))), last, offsets_seen: a.offsets.clone() },
        key_styles: KeyStyles { pascal_case: a.key_styles[0], snake_case: a.key_styles[1] },
        versions: a
            .versions
            .iter()
            .map(|(v, f, l)| VersionSeen {
                version: v.clone(),
                first: format_utc(f.div_euclid(1000)),
                last: format_utc(l.div_euclid(1000)),
            })
            .collect(),
        summary: LogSummary {
            audit_success_rate: au.success_rate,
            download_success_rate: dl.success_rate,
            upload_success_rate: up.success_rate,
            repair_success_rate: rate(rd.success + ru.success, repair_total),
        },
        categories: Categories {
            upload: UploadCategory {
                success: up.success,
                canceled: up.canceled,
                failed: up.failed,
                total: up.total,
                success_rate: up.success_rate,
                cancel_rate: up.cancel_rate,
                fail_rate: up.fail_rate,
                rejected: a.rejected,
                acceptance_rate: rate(up.total, up.total + a.rejected),
                bytes: up.bytes.clone(),
            },
            audit: au,
            download: dl,
            repair_download: transfer(rd),
            repair_upload: transfer(ru),
            delete: delete(o.delete),
        },
        other_actions,
        satellites,
        unattributed: Unattributed { download_canceled: a.unattributed[0], upload_canceled: a.unattributed[1] },
        hourly,
        failure_reasons: FailureReasons {
            audit: lists(AUDIT),
            download: lists(DOWNLOAD),
            upload: lists(UPLOAD),
            repair_download: lists(REPAIR_DOWNLOAD),
            repair_upload: lists(REPAIR_UPLOAD),
        },
        started: Started { download: a.started[0], upload: a.started[1] },
        removals: a.removals.clone(),
        successrate_compat: SuccessrateCompat {
            categories: printed_categories(&a.compat),
            corrected: printed_categories(&sem),
            differences,
            notes,
        },
        diagnostics: LogDiagnostics {
            elapsed_ms: None,
            mb_per_s: None,
            slices: cx.slices,
            text_bytes: a.text_bytes,
            peak_line_buffer_bytes: cx.peak_line_buffer,
            open_transfers_peak: open_peak as u64,
            open_transfers_dropped: open_dropped,
            reasons_overflow,
            hours_dropped: a.hours_dropped,
            satellites_dropped: a.satellites_dropped,
            warnings: cx.warnings,
        },
    }
}
