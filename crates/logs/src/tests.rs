//! One test per rule of LOGS.md §1-§3, on small hand-written logs.

use model::log_report::LogReport;

use crate::{LogError, LogReader};

const US1: &str = "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S";
const EU1: &str = "12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs";

fn read(bytes: &[u8]) -> Result<LogReport, LogError> {
    let mut r = LogReader::new("t.log", bytes.len() as u64);
    r.push(bytes)?;
    r.finish(None)
}

fn ok(bytes: &[u8]) -> LogReport {
    read(bytes).expect("a report")
}

/// A v1.137-style piecestore line (PascalCase, seconds).
fn line(time: &str, level: &str, msg: &str, piece: &str, action: &str, extra: &str) -> String {
    format!("{time}\t{level}\tpiecestore\t{msg}\t{{\"Process\": \"storagenode\", \"Piece ID\": \"{piece}\", \"Satellite ID\": \"{US1}\", \"Action\": \"{action}\", \"Size\": 100{extra}}}\n")
}

fn diff(r: &LogReport, field: &str) -> Vec<(String, i64)> {
    r.successrate_compat
        .differences
        .iter()
        .find(|d| d.field == field)
        .map(|d| d.causes.iter().map(|c| (c.cause.clone(), c.lines)).collect())
        .unwrap_or_default()
}

#[test]
fn each_era_is_read() {
    let log = [
        // v1.78: ms, basic offset
        format!("2026-02-15T07:00:00.100+0100\tINFO\tpiecestore\tdownloaded\t{{\"Piece ID\": \"A\", \"Satellite ID\": \"{US1}\", \"Action\": \"GET\", \"Offset\": 0, \"Size\": 10, \"Remote Address\": \"1.2.3.4:5\"}}\n"),
        // v1.95: seconds, extended offset
        format!("2026-02-15T08:00:00+01:00\tINFO\tpiecestore\tuploaded\t{{\"process\": \"storagenode\", \"Piece ID\": \"B\", \"Satellite ID\": \"{US1}\", \"Action\": \"PUT\", \"Size\": 20}}\n"),
        // v1.148: snake_case
        format!("2026-02-15T09:00:00Z\tWARN\tpiecestore\tupload failed\t{{\"process\": \"storagenode\", \"piece_id\": \"C\", \"satellite_id\": \"{EU1}\", \"action\": \"PUT_REPAIR\", \"size\": 30, \"error\": \"unexpected EOF\"}}\n"),
    ]
    .concat();
    let r = ok(log.as_bytes());
    assert_eq!((r.categories.download.success, r.categories.download.bytes.success), (1, 10));
    assert_eq!((r.categories.upload.success, r.categories.upload.bytes.success), (1, 20));
    assert_eq!((r.categories.repair_upload.failed, r.categories.repair_upload.bytes.failed), (1, 30));
    assert_eq!((r.key_styles.pascal_case, r.key_styles.snake_case), (2, 1));
    assert_eq!(r.time_range.first.as_deref(), Some("2026-02-15T06:00:00Z"));
    assert_eq!(r.time_range.last.as_deref(), Some("2026-02-15T09:00:00Z"));
    assert_eq!(r.time_range.offsets_seen, ["+0100", "+01:00", "Z"]);
    let hours: Vec<&str> = r.hourly.iter().map(|h| h.hour.as_str()).collect();
    assert_eq!(hours, ["2026-02-15T06:00:00Z", "2026-02-15T07:00:00Z", "2026-02-15T09:00:00Z"]);
    assert_eq!(r.satellites.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["us1", "eu1"]);
    assert_eq!(r.failure_reasons.repair_upload.failed[0].reason, "unexpected EOF");
    assert_eq!(r.now.as_deref(), Some("2026-02-15T09:00:00Z"));
}

#[test]
fn crlf_bom_truncated_last_line_and_blank() {
    let mut log = b"\xEF\xBB\xBF".to_vec();
    log.extend(line("2026-02-15T08:00:00Z", "INFO", "uploaded", "A", "PUT", "").replace('\n', "\r\n").bytes());
    log.extend(b"   \r\n");
    log.extend(b"2026-02-15T08:00:01Z\tINFO\tpiecestore\tuploaded\t{\"Piece ID\": \"B\", \"Action\": \"PUT\", \"Si");
    let r = ok(&log);
    assert_eq!(r.input.crlf_lines, 2);
    assert_eq!(r.categories.upload.success, 1);
    assert_eq!(r.lines.read, 3);
    assert_eq!(r.lines.skipped["blank"].count, 1);
    assert_eq!(r.lines.skipped["truncated_last_line"].first.line, 3);
    assert_eq!(r.lines.not_understood, 2);
    // successrate.sh still counts the cut line
    assert_eq!(r.successrate_compat.categories.upload.successful, 2);
    assert_eq!(diff(&r, "upload.successful"), [("truncated_last_line".to_string(), 1)]);
}

#[test]
fn a_last_line_cut_before_its_fields_is_truncated() {
    for cut in ["2026-02-15T08:00:01Z\tINFO\tpiecestore\tuplo", "2026-02-15T08:00:01Z\tIN", "2026-02-15T08:0"] {
        let mut log = line("2026-02-15T08:00:00Z", "INFO", "uploaded", "A", "PUT", "");
        log.push_str(cut);
        let r = ok(log.as_bytes());
        assert_eq!(r.lines.skipped.get("truncated_last_line").map(|s| s.count), Some(1), "{cut:?}");
        assert_eq!((r.lines.read, r.lines.node), (2, 1));
    }
    // the same line with its LF is a node line without fields
    let r = ok(b"2026-02-15T08:00:01Z\tFATAL\tUnrecoverable error\n");
    assert_eq!((r.lines.node, r.lines.not_understood), (1, 0));
}

#[test]
fn nul_runs_and_invalid_utf8() {
    let mut log = line("2026-02-15T08:00:00Z", "INFO", "uploaded", "A", "PUT", "").into_bytes();
    log.extend([0u8; 4096]);
    log.extend(line("2026-02-15T08:00:01Z", "INFO", "uploaded", "B\u{FFFD}", "PUT", "").bytes());
    log.extend(b"\xff\xfe garbage \x80\n");
    log.extend(line("2026-02-15T08:00:02Z", "INFO", "uploaded", "C", "PUT", "").replace("C", "C\u{0}").bytes());
    let r = ok(&log);
    assert_eq!(r.lines.nul_bytes.runs, 2);
    assert_eq!(r.lines.nul_bytes.bytes, 4097);
    assert_eq!(r.lines.nul_bytes.first_line, Some(2));
    assert_eq!(r.categories.upload.success, 2, "the line cut by the NUL inside it loses its fields");
    assert_eq!(r.lines.invalid_utf8, 1);
    assert_eq!(r.lines.skipped["unrecognised"].count, 2, "the garbage line and the rest after the NUL");
    assert_eq!(r.lines.skipped["bad_fields"].count, 1);
    let notes: Vec<&str> = r.successrate_compat.notes.iter().map(|n| n.note.as_str()).collect();
    assert!(notes.contains(&"nul_bytes") && notes.contains(&"invalid_utf8_lines"), "{notes:?}");
}

#[test]
fn utf16_logs_are_transcoded() {
    let text = line("2026-02-15T08:00:00Z", "INFO", "uploaded", "A", "PUT", "");
    for (bom, le) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
        let mut bytes = bom.to_vec();
        for u in text.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        let r = ok(&bytes);
        assert_eq!(r.categories.upload.success, 1);
        assert_eq!(r.input.encoding, if le { "utf-16le" } else { "utf-16be" });
        assert_eq!(r.successrate_compat.categories.upload.successful, 0, "grep finds nothing in UTF-16");
        assert!(r.successrate_compat.notes.iter().any(|n| n.note == "utf16"));
    }
}

#[test]
fn docker_prefixes_and_json_lines() {
    let body = line("2026-02-15T08:00:00+01:00", "INFO", "uploaded", "A", "PUT", "");
    let r = ok(format!("2026-02-15T07:00:05.123456789Z {body}").as_bytes());
    assert_eq!((r.input.docker_prefix.as_str(), r.categories.upload.success), ("timestamps", 1));
    assert_eq!(r.time_range.first.as_deref(), Some("2026-02-15T07:00:00Z"), "the node's own time, not the prefix");
    let r = ok(format!("storagenode  | {body}storagenode  | \n").as_bytes());
    assert_eq!((r.input.docker_prefix.as_str(), r.categories.upload.success), ("compose", 1));
    assert_eq!(r.lines.skipped["blank"].count, 1);
    let json = format!(
        "{{\"L\":\"INFO\",\"T\":\"2026-02-15T08:00:00.000+0100\",\"N\":\"piecestore\",\"M\":\"downloaded\",\"Piece ID\":\"A\",\"Satellite ID\":\"{US1}\",\"Action\":\"GET_AUDIT\",\"Size\":5}}\n"
    );
    let r = ok(json.as_bytes());
    assert_eq!((r.categories.audit.success, r.lines.by_level["INFO"]), (1, 1));
}

#[test]
fn foreign_and_unrecognised_lines() {
    let mut log = line("2026-02-15T08:00:00Z", "INFO", "uploaded", "A", "PUT", "");
    log.push_str("2026-05-06 05:59:57,000 INFO spawned: 'storagenode'\n2026/05/06 05:59:57 http: panic\ngoroutine 1 [running]:\n");
    let r = ok(log.as_bytes());
    assert_eq!(r.lines.skipped["foreign"].count, 2);
    assert_eq!(r.lines.skipped["unrecognised"].first.text, "goroutine 1 [running]:");
    assert_eq!((r.lines.read, r.lines.node, r.lines.not_understood), (4, 1, 3));
}

#[test]
fn race_lost_lines_are_attributed_and_twins_not_counted() {
    let log = [
        // v1.95: the started line opens the transfer, the race-lost line carries only the piece
        line("2026-02-15T08:00:00Z", "INFO", "upload started", "P1", "PUT", ""),
        "2026-02-15T08:00:02Z\tINFO\tpiecestore\tupload canceled (race lost or node shutdown)\t{\"Piece ID\": \"P1\"}\n".to_string(),
        line("2026-02-15T08:00:03Z", "DEBUG", "upload failed", "P1", "PUT", ", \"error\": \"context canceled\""),
        // no open transfer: unattributed until its twin names it
        "2026-02-15T08:00:10Z\tINFO\tpiecestore\tdownload canceled (race lost or node shutdown)\t{\"Piece ID\": \"P2\"}\n".to_string(),
        line("2026-02-15T08:00:10Z", "DEBUG", "download canceled", "P2", "GET_REPAIR", ""),
        // no twin at all
        "2026-02-15T08:00:20Z\tINFO\tpiecestore\tdownload canceled (race lost or node shutdown)\t{\"Piece ID\": \"P3\"}\n".to_string(),
        // a DEBUG upload failure that is no twin is a failure
        line("2026-02-15T08:00:30Z", "DEBUG", "upload failed", "P4", "PUT", ", \"error\": \"EOF\""),
    ]
    .concat();
    let r = ok(log.as_bytes());
    assert_eq!((r.categories.upload.canceled, r.categories.upload.failed), (1, 1));
    assert_eq!(r.categories.upload.bytes.canceled, 0);
    assert_eq!(r.categories.repair_download.canceled, 1);
    assert_eq!((r.unattributed.download_canceled, r.unattributed.upload_canceled), (1, 0));
    assert_eq!(r.failure_reasons.upload.canceled[0].reason, "race lost or node shutdown");
    assert_eq!(diff(&r, "upload.canceled"), [("race_lost_without_action".to_string(), -1)]);
    assert_eq!(diff(&r, "upload.failed"), [("debug_twin".to_string(), 1)]);
    assert_eq!(diff(&r, "repair_download.canceled"), [("race_lost_without_action".to_string(), -1), ("debug_twin".to_string(), 1)]);
    assert_eq!(r.successrate_compat.notes.iter().find(|n| n.note == "debug_upload_failures").map(|n| n.count), Some(1));
    assert_eq!(r.started.upload, 1);
}

#[test]
fn a_twin_needs_to_follow_within_a_second() {
    let log = [
        line("2026-02-15T08:00:00Z", "INFO", "download canceled (race lost or node shutdown)", "P", "GET", ""),
        line("2026-02-15T08:00:02Z", "DEBUG", "download canceled", "P", "GET", ""),
    ]
    .concat();
    let r = ok(log.as_bytes());
    assert_eq!(r.categories.download.canceled, 2, "since v1.99 the race-lost line counts; a late copy is no twin");
}

#[test]
fn size_mismatch_cancels_exist_in_error_and_failed_to_close() {
    let mismatch = ", \"reason\": \"downloaded size (100 bytes) does not match received message size (200 bytes)\"";
    let log = [
        line("2026-02-15T08:00:00Z", "INFO", "download canceled", "A", "GET", mismatch),
        line("2026-02-15T08:00:00Z", "INFO", "download canceled", "B", "GET_AUDIT", mismatch),
        line(
            "2026-02-15T08:00:01Z",
            "ERROR",
            "download failed",
            "C",
            "GET_AUDIT",
            ", \"error\": \"read tcp 1.2.3.4:5->6.7.8.9:10: wsarecv: An existing connection was forcibly closed by the remote host.\"",
        ),
        line("2026-02-15T08:00:02Z", "ERROR", "download failed", "D", "GET_AUDIT", ", \"error\": \"hashstore: file does not exist\""),
        line("2026-02-15T08:00:03Z", "ERROR", "failed to close piece reader", "E", "GET_AUDIT", ", \"error\": \"x\""),
    ]
    .concat();
    let r = ok(log.as_bytes());
    let a = &r.categories.audit;
    assert_eq!((a.success, a.canceled, a.failed_critical, a.failed_recoverable), (0, 1, 1, 1));
    assert_eq!((r.categories.download.success, r.categories.download.canceled), (0, 1));
    assert_eq!(diff(&r, "download.successful"), [("size_mismatch_cancel".to_string(), 1)]);
    assert_eq!(diff(&r, "audit.successful"), [("size_mismatch_cancel".to_string(), 1)]);
    assert_eq!(diff(&r, "audit.critically_failed"), [("exist_in_error".to_string(), 1)]);
    assert_eq!(diff(&r, "audit.recoverable_failed"), [("exist_in_error".to_string(), -1), ("failed_to_close_piece_reader".to_string(), 1)]);
    assert_eq!(r.failure_reasons.audit.failed[0].reason, "hashstore: file does not exist");
    assert_eq!(
        r.failure_reasons.audit.failed[1].reason,
        "read tcp ADDR->ADDR: wsarecv: An existing connection was forcibly closed by the remote host."
    );
    assert!(r.successrate_compat.notes.iter().any(|n| n.note == "canceled_audits" && n.count == 1));
}

#[test]
fn deletes_rejections_removals_and_versions() {
    let log = [
        format!("2026-02-15T08:00:00Z\tINFO\tpiecestore\tdeleted\t{{\"Satellite ID\": \"{US1}\", \"Piece ID\": \"A\"}}\n"),
        format!("2026-02-15T08:00:00Z\tERROR\tpiecestore\tdelete failed\t{{\"Satellite ID\": \"{US1}\", \"Piece ID\": \"B\", \"error\": \"x\"}}\n"),
        "2026-02-15T08:00:01Z\tDEBUG\tpieces\tdeleted piece\t{\"Piece ID\": \"A\"}\n".to_string(),
        "2026-02-15T08:00:02Z\tERROR\tpiecestore\tupload rejected, too many requests\t{\"live requests\": 65}\n".to_string(),
        "2026-02-15T08:00:03Z\tINFO\tcollector\tdeleted expired piece\t{\"Piece ID\": \"X\"}\n".to_string(),
        "2026-02-15T08:00:03Z\tINFO\tcollector\texpired pieces collection completed\t{\"count\": 7}\n".to_string(),
        "2026-02-15T08:00:03Z\tINFO\tcollector\tExpired files deleted\t{\"succes\": 3}\n".to_string(),
        "2026-02-15T08:00:03Z\tWARN\tcollector\tunable to delete piece\t{\"error\": \"x\"}\n".to_string(),
        "2026-02-15T08:00:04Z\tINFO\tretain\tMoved pieces to trash during retain\t{\"num_deleted\": 11}\n".to_string(),
        "2026-02-15T08:00:05Z\tINFO\tlazyfilewalker.trash-cleanup-filewalker\ttrash-filewalker completed\t{\"bytes_deleted\": 1000}\n".to_string(),
        "2026-02-15T08:00:06Z\tINFO\tversion\tRunning on allowed version.\t{\"Version\": \"1.137.5\"}\n".to_string(),
        "2026-02-15T08:00:07Z\tINFO\tCurrent binary version\t{\"Service\": \"storagenode\", \"Version\": \"v1.138.1\"}\n".to_string(),
        "2026-02-15T08:00:07Z\tINFO\tCurrent binary version\t{\"Service\": \"storagenode-updater\", \"Version\": \"v1.50.0\"}\n".to_string(),
    ]
    .concat();
    let r = ok(log.as_bytes());
    assert_eq!((r.categories.delete.success, r.categories.delete.failed), (1, 1));
    assert_eq!(r.satellites[0].categories.delete.total, 2);
    assert_eq!((r.categories.upload.rejected, r.categories.upload.acceptance_rate), (1, Some(0.0)));
    assert_eq!((r.hourly[0].upload_rejected, r.hourly[0].delete), (1, [1, 1]));
    let m = &r.removals;
    assert_eq!((m.expired_piece_lines, m.expired_collection_runs, m.expired_collection_pieces), (1, 1, 7));
    assert_eq!((m.expired_files_lines, m.expired_files_pieces, m.expire_failures), (1, 3, 1));
    assert_eq!((m.retain_runs, m.retain_pieces_trashed, m.trash_emptied_runs, m.trash_bytes_deleted), (1, 11, 1, 1000));
    let v: Vec<&str> = r.versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(v, ["v1.137.5", "v1.138.1"]);
    let causes = diff(&r, "delete.successful");
    assert_eq!(causes, [("debug_deleted_piece".to_string(), 1), ("gc_or_expiry_line".to_string(), 5)]);
}

#[test]
fn bad_fields_and_other_actions() {
    let log = [
        "2026-02-15T08:00:00Z\tINFO\tpiecestore\tuploaded\t{\"Piece ID\": \"A\"}\n".to_string(),
        "2026-02-15T08:00:00Z\tINFO\tpiecestore\tuploaded\t{\"Piece ID\": \"A\", oops}\n".to_string(),
        line("2026-02-15T08:00:00Z", "INFO", "uploaded", "B", "PUT_GRACEFUL_EXIT", ""),
    ]
    .concat();
    let r = ok(log.as_bytes());
    assert_eq!(r.lines.skipped["bad_fields"].count, 2);
    assert_eq!(r.other_actions["PUT_GRACEFUL_EXIT"].success, 1);
    assert_eq!(r.categories.upload.total, 0);
    assert_eq!(r.categories.upload.success_rate, None);
}

#[test]
fn the_errors_of_section_1_1() {
    assert_eq!(read(b""), Err(LogError::Empty));
    assert_eq!(read(b"PK\x03\x04xxxxxxxxxxxxxxxx"), Err(LogError::Compressed { format: "zip" }));
    assert_eq!(read(b"SQLite format 3\0rest of header"), Err(LogError::Database));
    assert!(matches!(read(b"\x89PNG\r\n\x1a\n0000000000000000"), Err(LogError::NotALog { .. })));
    assert!(matches!(read(&[0u8; 1000]), Err(LogError::NotALog { .. })));
    assert_eq!(read(b"\xEF\xBB\xBF"), Err(LogError::NotALog { scope: "file" }), "a BOM alone is not an empty file");
    let damaged = read(b"\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03garbage that is no deflate stream at all");
    assert!(damaged.as_ref().is_err_and(|e| e.to_string().contains("gzip stream (it is damaged)")), "{damaged:?}");
    let r = ok(b"2026-02-15T08:00:00Z\tINFO\tConfiguration loaded\t{}\n");
    assert_eq!((r.categories.upload.total, r.summary.audit_success_rate), (0, None));
    assert!(r.successrate_compat.differences.is_empty());
    let mut r = LogReader::new("x", 0);
    r.push(b"2026-02-15T08:00:00Z\tINFO\tx\n").unwrap();
    assert_eq!(r.finish(Some("yesterday")).unwrap_err(), LogError::BadNow("yesterday".into()));
}

#[test]
fn gzip_is_inflated_and_damage_is_a_warning() {
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;
    let text = line("2026-02-15T08:00:00Z", "INFO", "uploaded", "A", "PUT", "").repeat(2000);
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(text.as_bytes()).unwrap();
    let gz = e.finish().unwrap();
    let r = ok(&gz);
    assert_eq!((r.input.compression.as_str(), r.categories.upload.success), ("gzip", 2000));
    assert!(r.diagnostics.warnings.is_empty());
    let mut broken = gz.clone();
    let n = broken.len();
    broken[n / 2..].iter_mut().for_each(|b| *b ^= 0x5A);
    let r = ok(&broken);
    assert!(r.categories.upload.success < 2000);
    assert_eq!(r.diagnostics.warnings.len(), 1, "{:?}", r.diagnostics.warnings);
}

#[test]
fn every_split_position_gives_the_same_report() {
    let mut log = b"\xEF\xBB\xBF".to_vec();
    log.extend(line("2026-02-15T08:00:00Z", "INFO", "upload started", "P1", "PUT", "").bytes());
    log.extend(b"2026-02-15T08:00:02Z\tINFO\tpiecestore\tupload canceled (race lost or node shutdown)\t{\"Piece ID\": \"P1\"}\r\n");
    log.extend([0u8; 3]);
    log.extend(line("2026-02-15T08:00:03Z", "DEBUG", "upload failed", "P1", "PUT", "").bytes());
    log.extend(b"\xff garbage\n");
    log.extend(line("2026-02-15T08:00:04Z", "ERROR", "download failed", "Q", "GET_AUDIT", ", \"error\": \"file does not exist\"").bytes());
    log.extend(b"2026-02-15T08:00:05Z\tINFO\tpiecestore\tuploaded\t{\"Piece");
    let whole = ok(&log);
    for split in 0..=log.len() {
        let mut r = LogReader::new("t.log", log.len() as u64);
        r.push(&log[..split]).unwrap();
        r.push(&log[split..]).unwrap();
        let mut got = r.finish(None).unwrap();
        got.diagnostics = whole.diagnostics.clone();
        assert_eq!(got, whole, "split at {split}");
    }
}

#[test]
fn open_transfers_are_capped() {
    let mut log = String::new();
    for i in 0..(crate::classify::MAX_OPEN + 10) {
        log.push_str(&line("2026-02-15T08:00:00Z", "INFO", "upload started", &format!("P{i}"), "PUT", ""));
    }
    let r = ok(log.as_bytes());
    assert_eq!(r.diagnostics.open_transfers_peak, crate::classify::MAX_OPEN as u64);
    assert_eq!(r.diagnostics.open_transfers_dropped, 10);
}
