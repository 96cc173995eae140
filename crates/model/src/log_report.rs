//! The node log's report (LOGS.md section 4): what the storage node really did, and what the
//! community script successrate.sh would print for the same file, with the cause of every
//! difference.
//!
//! Plain serde types whose JSON is exactly section 4.2-4.4, key order included. The logs crate
//! fills them; the CLI prints them and the page renders them as they are. Counts are `u64`,
//! rates `Option<f64>` (null when the denominator is 0), times UTC `YYYY-MM-DDTHH:MM:SSZ`.

use serde::{Deserialize, Serialize};

use crate::report::OrderedMap;

/// The value of `format`.
pub const LOG_REPORT_FORMAT: &str = "storj-log-report/1";

/// The categories of section 2.1, in report order (also the keys of `failure_reasons`).
pub const TRANSFER_CATEGORIES: [&str; 5] = ["audit", "download", "upload", "repair_download", "repair_upload"];

/// The node's levels, in the order `lines.by_level` lists them.
pub const LEVELS: [&str; 7] = ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "DPANIC", "PANIC"];

/// The whole report (section 4.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogReport {
    /// Always [`LOG_REPORT_FORMAT`].
    pub format: String,
    pub input: LogInput,
    /// `--now` (default `time_range.last`): only drives the "log ends N h before now" notice.
    pub now: Option<String>,
    pub lines: LogLines,
    pub time_range: TimeRange,
    pub key_styles: KeyStyles,
    pub versions: Vec<VersionSeen>,
    pub summary: LogSummary,
    pub categories: Categories,
    /// Outcomes of actions outside the five categories (e.g. `PUT_GRACEFUL_EXIT`).
    pub other_actions: OrderedMap<StatusCounts>,
    /// Sorted by ID bytes.
    pub satellites: Vec<SatelliteEntry>,
    pub unattributed: Unattributed,
    /// One entry per UTC hour with any outcome, rejection or delete, ascending.
    pub hourly: Vec<HourEntry>,
    pub failure_reasons: FailureReasons,
    pub started: Started,
    pub removals: Removals,
    pub successrate_compat: SuccessrateCompat,
    /// Free form, never compared.
    pub diagnostics: LogDiagnostics,
}

/// `input`: what the file was.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogInput {
    pub name: String,
    /// The file's size (compressed size for gzip).
    pub bytes: u64,
    /// `none` or `gzip`.
    pub compression: String,
    /// `utf-8`, `utf-16le` or `utf-16be`.
    pub encoding: String,
    /// `none`, `timestamps` (`docker logs -t`) or `compose` (`name  | `).
    pub docker_prefix: String,
    pub crlf_lines: u64,
    pub longest_line_bytes: u64,
}

/// `lines`: how many lines, of which kinds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogLines {
    /// Node lines + skipped lines.
    pub read: u64,
    /// Σ `by_level`.
    pub node: u64,
    /// Node lines per level, every level of [`LEVELS`] listed.
    pub by_level: OrderedMap<u64>,
    pub invalid_utf8: u64,
    /// Σ `skipped[*].count`.
    pub not_understood: u64,
    /// Skipped lines per kind (`blank`, `foreign`, `unrecognised`, `bad_fields`, `too_long`,
    /// `truncated_last_line`), only kinds seen.
    pub skipped: OrderedMap<SkippedKind>,
    pub nul_bytes: NulBytes,
}

/// One kind of skipped line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SkippedKind {
    pub count: u64,
    pub first: LineExample,
}

/// A line shown to the user: its 1-based number and its first 200 characters (lossy UTF-8).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineExample {
    pub line: u64,
    pub text: String,
}

/// Runs of NUL bytes (zero-filled blocks after a power cut).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NulBytes {
    pub runs: u64,
    pub bytes: u64,
    /// The line number at which the first run starts.
    pub first_line: Option<u64>,
}

/// `time_range`: min and max node-line time (UTC, seconds), and the offsets the lines carried.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeRange {
    pub first: Option<String>,
    pub last: Option<String>,
    /// Distinct offsets as written (`Z`, `+01:00`, `+0100`), in order of first appearance.
    pub offsets_seen: Vec<String>,
}

/// `key_styles`: outcome lines by key style.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KeyStyles {
    pub pascal_case: u64,
    pub snake_case: u64,
}

/// One node version seen, with the first and last time it was reported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VersionSeen {
    /// With a leading `v`.
    pub version: String,
    pub first: String,
    pub last: String,
}

/// `summary`: the four success rates of the cards.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogSummary {
    pub audit_success_rate: Option<f64>,
    pub download_success_rate: Option<f64>,
    pub upload_success_rate: Option<f64>,
    /// `100 * (rd.success + ru.success) / (rd.total + ru.total)`.
    pub repair_success_rate: Option<f64>,
}

/// Bytes logged per status (the lines' own `Size`; not paid bytes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusBytes {
    pub success: u64,
    pub canceled: u64,
    pub failed: u64,
}

/// Success / canceled / failed counts (`other_actions`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusCounts {
    pub success: u64,
    pub canceled: u64,
    pub failed: u64,
}

/// A download, repair or per-satellite upload category (section 4.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TransferCategory {
    pub success: u64,
    pub canceled: u64,
    pub failed: u64,
    pub total: u64,
    pub success_rate: Option<f64>,
    pub cancel_rate: Option<f64>,
    pub fail_rate: Option<f64>,
    pub bytes: StatusBytes,
}

/// Audits: failures split into critical (the piece is missing) and recoverable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditCategory {
    pub success: u64,
    pub canceled: u64,
    pub failed: u64,
    pub total: u64,
    pub failed_critical: u64,
    pub failed_recoverable: u64,
    pub success_rate: Option<f64>,
    pub cancel_rate: Option<f64>,
    pub fail_rate: Option<f64>,
    pub critical_fail_rate: Option<f64>,
    pub recoverable_fail_rate: Option<f64>,
    pub bytes: StatusBytes,
}

/// The overall upload: adds rejected uploads and the acceptance rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UploadCategory {
    pub success: u64,
    pub canceled: u64,
    pub failed: u64,
    pub total: u64,
    pub success_rate: Option<f64>,
    pub cancel_rate: Option<f64>,
    pub fail_rate: Option<f64>,
    pub rejected: u64,
    /// `100 * total / (total + rejected)`.
    pub acceptance_rate: Option<f64>,
    pub bytes: StatusBytes,
}

/// Piecestore deletes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeleteCategory {
    pub success: u64,
    pub failed: u64,
    pub total: u64,
    pub success_rate: Option<f64>,
    pub fail_rate: Option<f64>,
}

/// The six categories of the whole log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Categories {
    pub audit: AuditCategory,
    pub download: TransferCategory,
    pub upload: UploadCategory,
    pub repair_download: TransferCategory,
    pub repair_upload: TransferCategory,
    pub delete: DeleteCategory,
}

/// The six categories of one satellite (its upload has no `rejected`: rejections name none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SatelliteCategories {
    pub audit: AuditCategory,
    pub download: TransferCategory,
    pub upload: TransferCategory,
    pub repair_download: TransferCategory,
    pub repair_upload: TransferCategory,
    pub delete: DeleteCategory,
}

/// One satellite.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SatelliteEntry {
    pub id: String,
    /// `ap1`, `us1`, `eu1`, `saltlake`, or the ID itself.
    pub name: String,
    pub categories: SatelliteCategories,
}

/// Race-lost cancels with no open transfer and no twin to name their action (section 2.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Unattributed {
    pub download_canceled: u64,
    pub upload_canceled: u64,
}

/// One UTC hour: `[success, canceled, failed]` per category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HourEntry {
    /// `2025-10-16T12:00:00Z`.
    pub hour: String,
    pub audit: [u64; 3],
    pub download: [u64; 3],
    pub upload: [u64; 3],
    pub repair_download: [u64; 3],
    pub repair_upload: [u64; 3],
    pub upload_rejected: u64,
    /// `[success, failed]`.
    pub delete: [u64; 2],
}

/// One normalised reason and how many lines gave it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub reason: String,
    pub count: u64,
}

/// A category's reasons, each list sorted by count descending then text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReasonLists {
    pub failed: Vec<ReasonCount>,
    pub canceled: Vec<ReasonCount>,
}

/// `failure_reasons` per transfer category.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FailureReasons {
    pub audit: ReasonLists,
    pub download: ReasonLists,
    pub upload: ReasonLists,
    pub repair_download: ReasonLists,
    pub repair_upload: ReasonLists,
}

/// `download started` / `upload started` lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Started {
    pub download: u64,
    pub upload: u64,
}

/// Pieces removed by garbage collection and expiry: not deletes (section 2.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Removals {
    pub expired_piece_lines: u64,
    pub expired_collection_runs: u64,
    pub expired_collection_pieces: u64,
    pub expired_files_lines: u64,
    pub expired_files_pieces: u64,
    pub expire_failures: u64,
    pub retain_runs: u64,
    pub retain_pieces_trashed: u64,
    pub trash_emptied_runs: u64,
    pub trash_bytes_deleted: u64,
}

/// `successrate_compat` (section 3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SuccessrateCompat {
    /// What successrate.sh prints for this file.
    pub categories: CompatCategories,
    /// Its formulas over the true counts.
    pub corrected: CompatCategories,
    /// Every field with a nonzero cause.
    pub differences: Vec<Difference>,
    pub notes: Vec<CompatNote>,
}

/// successrate.sh's six sections, fields named and ordered as it prints them (section 4.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompatCategories {
    pub audit: CompatAudit,
    pub download: CompatTransfer,
    pub upload: CompatUpload,
    pub repair_download: CompatTransfer,
    pub repair_upload: CompatTransfer,
    pub delete: CompatDelete,
}

/// AUDIT.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompatAudit {
    pub critically_failed: u64,
    pub critical_fail_rate: Option<f64>,
    pub recoverable_failed: u64,
    pub recoverable_fail_rate: Option<f64>,
    pub successful: u64,
    pub success_rate: Option<f64>,
}

/// DOWNLOAD, REPAIR DOWNLOAD, REPAIR UPLOAD.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompatTransfer {
    pub failed: u64,
    pub fail_rate: Option<f64>,
    pub canceled: u64,
    pub cancel_rate: Option<f64>,
    pub successful: u64,
    pub success_rate: Option<f64>,
}

/// UPLOAD.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompatUpload {
    pub rejected: u64,
    pub acceptance_rate: Option<f64>,
    pub failed: u64,
    pub fail_rate: Option<f64>,
    pub canceled: u64,
    pub cancel_rate: Option<f64>,
    pub successful: u64,
    pub success_rate: Option<f64>,
}

/// DELETE.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompatDelete {
    pub failed: u64,
    pub fail_rate: Option<f64>,
    pub successful: u64,
    pub success_rate: Option<f64>,
}

/// One count field where successrate.sh differs from what the node did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// `category.field`, e.g. `download.successful`.
    pub field: String,
    pub successrate: u64,
    pub storj_lens: u64,
    /// Σ `lines` = `successrate` - `storj_lens`.
    pub causes: Vec<DifferenceCause>,
}

/// Lines of one kind that successrate.sh counts in excess (positive) or misses (negative).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DifferenceCause {
    /// One of [`CAUSES`].
    pub cause: String,
    pub lines: i64,
}

/// The causes of section 3.3 with the panel's sentence (`{F}` = the number of lines).
pub const CAUSES: [(&str, &str); 9] = [
    (
        "size_mismatch_cancel",
        "{F} canceled downloads give the reason \"downloaded size … does not match …\"; the word downloaded makes successrate.sh count them as successes too (audits as successful audits).",
    ),
    (
        "exist_in_error",
        "{F} audits failed with a network error containing exist (\"An existing connection was forcibly closed\", French \"existante\"); successrate.sh calls them critical, as if the piece were missing.",
    ),
    (
        "failed_to_close_piece_reader",
        "{F} \"failed to close piece reader\" lines carry the audit's fields and the word failed; successrate.sh counts a failed audit even when the audit succeeded.",
    ),
    (
        "race_lost_without_action",
        "{F} \"canceled (race lost or node shutdown)\" lines of v1.86-v1.98 carry only the piece ID; successrate.sh, which looks for the action, misses these cancels.",
    ),
    (
        "debug_twin",
        "At debug level each race-lost cancel is followed by a DEBUG copy; successrate.sh counts these {F} lines again (upload copies as failures).",
    ),
    ("debug_deleted_piece", "At debug level the pieces logger's \"deleted piece\" repeats each delete; successrate.sh counts these {F} lines too."),
    (
        "gc_or_expiry_line",
        "{F} garbage-collection, expiry and trash lines contain deleted or delete piece; successrate.sh counts them as successful deletes (\"unable to delete piece\" too). Current nodes log no delete of their own.",
    ),
    ("truncated_last_line", "The last line is cut off; successrate.sh still counts it, storj-lens skips it."),
    ("other_line", "{F} other lines contain, or lack, the words successrate.sh looks for."),
];

/// The panel's sentence for a cause with `lines` lines (absolute value), or None for an unknown cause.
pub fn cause_sentence(cause: &str, lines: i64) -> Option<String> {
    CAUSES.iter().find(|(c, _)| *c == cause).map(|(_, s)| s.replace("{F}", &lines.unsigned_abs().to_string()))
}

/// A note of section 3.3 (`canceled_audits`, `debug_upload_failures`, `info_level`,
/// `invalid_utf8_lines`, `nul_bytes` (count = line of the first run), `utf16`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompatNote {
    pub note: String,
    pub count: u64,
}

/// The fixed footnote on successrate.sh's rounding (section 3.2).
pub const ROUNDING_FOOTNOTE: &str =
    "successrate.sh rounds twice: awk prints the ratio with 6 significant digits, then printf '%.3f' rounds that \
     number as a long double, so its third decimal can differ by 0.001 from the ratio rounded once (338/414 prints 81.643).";

/// `diagnostics`: how the reading went. Free form, never compared; the reader fills the counts,
/// the caller (CLI, worker) the timings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LogDiagnostics {
    /// Wall time of the whole reading, when the caller measured it.
    pub elapsed_ms: Option<f64>,
    /// Input bytes per second / 1e6, when the caller measured it.
    pub mb_per_s: Option<f64>,
    /// Slices pushed.
    pub slices: u64,
    /// Bytes of log text after decompression and transcoding.
    pub text_bytes: u64,
    /// The most bytes held for one unfinished line.
    pub peak_line_buffer_bytes: u64,
    /// The most open transfers held at once (cap 100,000), and how many were dropped oldest first.
    pub open_transfers_peak: u64,
    pub open_transfers_dropped: u64,
    /// Reason texts counted under `(other reasons)` once a list held 1,000.
    pub reasons_overflow: u64,
    /// Outcome lines whose hour or satellite fell beyond the caps.
    pub hours_dropped: u64,
    pub satellites_dropped: u64,
    /// Warnings (a damaged gzip stream, …).
    pub warnings: Vec<String>,
}
