//! successrate.sh's view of the same lines (LOGS.md §3): which of its 18 counters a line
//! matches (one Aho-Corasick scan over its 17 needles), and its printed rates, emulated down to
//! the double rounding of awk's `%.6g` and bash's long-double `printf %.3f`.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use model::log_report::{CompatAudit, CompatCategories, CompatDelete, CompatTransfer, CompatUpload};

/// successrate.sh's needles, case-sensitive bytes.
const NEEDLES: [&str; 17] = [
    "GET_AUDIT",
    "downloaded",
    "failed",
    "exist",
    "\"GET\"",
    "download canceled",
    "download failed",
    "\"PUT\"",
    "uploaded",
    "upload canceled",
    "upload failed",
    "upload rejected",
    "GET_REPAIR",
    "PUT_REPAIR",
    "deleted",
    "delete piece",
    "delete failed",
];

const AUDIT: u32 = 1 << 0;
const DOWNLOADED: u32 = 1 << 1;
const FAILED: u32 = 1 << 2;
const EXIST: u32 = 1 << 3;
const GET: u32 = 1 << 4;
const DL_CANCELED: u32 = 1 << 5;
const DL_FAILED: u32 = 1 << 6;
const PUT: u32 = 1 << 7;
const UPLOADED: u32 = 1 << 8;
const UL_CANCELED: u32 = 1 << 9;
const UL_FAILED: u32 = 1 << 10;
const UL_REJECTED: u32 = 1 << 11;
const GET_REPAIR: u32 = 1 << 12;
const PUT_REPAIR: u32 = 1 << 13;
const DELETED: u32 = 1 << 14;
const DELETE_PIECE: u32 = 1 << 15;
const DEL_FAILED: u32 = 1 << 16;

/// successrate.sh's counters, as `category.field` of the report (LOGS.md §4.4).
pub const FIELDS: [&str; 18] = [
    "audit.critically_failed",
    "audit.recoverable_failed",
    "audit.successful",
    "download.failed",
    "download.canceled",
    "download.successful",
    "upload.rejected",
    "upload.failed",
    "upload.canceled",
    "upload.successful",
    "repair_download.failed",
    "repair_download.canceled",
    "repair_download.successful",
    "repair_upload.failed",
    "repair_upload.canceled",
    "repair_upload.successful",
    "delete.failed",
    "delete.successful",
];

/// Indexes into [`FIELDS`].
pub mod field {
    pub const AUDIT_CRITICAL: usize = 0;
    pub const AUDIT_RECOVERABLE: usize = 1;
    pub const AUDIT_SUCCESS: usize = 2;
    /// download, upload, repair_download, repair_upload: failed, canceled, successful from here
    pub const DOWNLOAD: usize = 3;
    pub const UPLOAD_REJECTED: usize = 6;
    pub const UPLOAD: usize = 7;
    pub const REPAIR_DOWNLOAD: usize = 10;
    pub const REPAIR_UPLOAD: usize = 13;
    pub const DELETE_FAILED: usize = 16;
    pub const DELETE_SUCCESS: usize = 17;
}

/// A set of [`FIELDS`] as bits.
pub type FieldSet = u32;

/// The one multi-pattern scanner of the pass (built once per process: readers share it).
pub struct Matcher {
    ac: &'static AhoCorasick,
}

static AUTOMATON: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();

impl Matcher {
    pub fn new() -> Self {
        // leftmost-longest lets the automaton use its SIMD prefilter; the search restarts one
        // byte after each match start so that a needle inside another ("failed" in "download
        // failed") is still seen: no two needles start at the same byte with one a prefix of the other
        let ac = AUTOMATON.get_or_init(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(NEEDLES)
                .unwrap_or_else(|_| unreachable!("fixed needles"))
        });
        Matcher { ac }
    }

    /// The counters successrate.sh adds this line to.
    pub fn fields(&self, line: &[u8]) -> FieldSet {
        let mut n: u32 = 0;
        let mut at = 0;
        while at < line.len() {
            let Some(m) = self.ac.find(Input::new(line).span(at..line.len())) else { break };
            n |= 1 << m.pattern().as_u32();
            at = m.start() + 1;
        }
        fields_of(n)
    }
}

fn has(n: u32, all: u32) -> bool {
    n & all == all
}

/// successrate.sh's counters for a line holding the needles `n`.
fn fields_of(n: u32) -> FieldSet {
    use field::*;
    let mut f: FieldSet = 0;
    let mut set = |i: usize, on: bool| {
        if on {
            f |= 1 << i;
        }
    };
    set(AUDIT_SUCCESS, has(n, AUDIT | DOWNLOADED));
    set(AUDIT_CRITICAL, has(n, AUDIT | FAILED | EXIST));
    set(AUDIT_RECOVERABLE, has(n, AUDIT | FAILED) && n & EXIST == 0);
    for (base, dir) in [(DOWNLOAD, GET), (REPAIR_DOWNLOAD, GET_REPAIR)] {
        set(base, has(n, dir | DL_FAILED));
        set(base + 1, has(n, dir | DL_CANCELED));
        set(base + 2, has(n, dir | DOWNLOADED));
    }
    for (base, dir) in [(UPLOAD, PUT), (REPAIR_UPLOAD, PUT_REPAIR)] {
        set(base, has(n, dir | UL_FAILED));
        set(base + 1, has(n, dir | UL_CANCELED));
        set(base + 2, has(n, dir | UPLOADED));
    }
    set(UPLOAD_REJECTED, has(n, UL_REJECTED));
    set(DELETE_SUCCESS, n & (DELETED | DELETE_PIECE) != 0);
    set(DELETE_FAILED, has(n, DEL_FAILED));
    f
}

/// The percentage successrate.sh prints (LOGS.md §3.2): `0.0` when the guard sum is 0, None
/// (mawk's `-nan`) when only the denominator is 0, else `num / den * 100` through `%.6g`, the
/// nearest 64-bit-significand long double and `%.3f`, each rounding ties to even.
pub fn printed_rate(num: u64, den: u64, guard: u64) -> Option<f64> {
    if guard == 0 {
        return Some(0.0);
    }
    if den == 0 {
        return None;
    }
    let v = num as f64 / den as f64 * 100.0;
    Some(round_printed(v))
}

/// `%.3f` of the long double nearest `%.6g` of `v` (v ≥ 0, finite).
pub fn round_printed(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return 0.0;
    }
    // %.6g: six significant digits, exactly rounded ties to even (Rust's exact formatting)
    let s = format!("{v:.5e}");
    let Some((mant, exp)) = s.split_once('e') else { return v };
    let (Ok(exp), Ok(d)) = (exp.parse::<i32>(), mant.replace('.', "").parse::<u64>()) else { return v };
    // x = d * 10^q, d < 10^6
    let q = exp - 5;
    // %.3f of x: scaled = x * 1000 = d * 10^(q+3)
    let k = q + 3;
    let thousandths: u64 = if k >= 0 {
        d * 10u64.pow(k as u32)
    } else {
        let div = 10u64.checked_pow((-k) as u32).unwrap_or(u64::MAX);
        let (quot, rem) = (d / div, d % div);
        let twice = u128::from(rem) * 2;
        let up = match twice.cmp(&u128::from(div)) {
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Greater => true,
            // a decimal tie: the long double nearest x decides which side it falls
            std::cmp::Ordering::Equal => match long_double_side(d, q) {
                std::cmp::Ordering::Less => false,
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => quot % 2 == 1,
            },
        };
        quot + u64::from(up)
    };
    thousandths as f64 / 1000.0
}

/// Whether the nearest 64-bit-significand value to x = d / 10^k lies below, on or above x.
fn long_double_side(d: u64, q: i32) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let k = q.unsigned_abs();
    // beyond 10^19 the shifted numerator would not fit u128; rates are never that small
    let Some(m) = 10u128.checked_pow(k).filter(|_| k <= 19 && d > 0) else { return Ordering::Equal };
    let n = u128::from(d);
    let bitlen = |v: u128| 128 - v.leading_zeros() as i32;
    // e = floor(log2(n / m))
    let e0 = bitlen(n) - bitlen(m);
    let at_least = |e: i32| if e >= 0 { n >= m << e } else { n << -e >= m };
    let e = if at_least(e0) { e0 } else { e0 - 1 };
    // x * 2^(63 - e) has 64 integer bits; its fraction decides where the rounding goes
    let shift = 63 - e;
    if !(0..=127 - bitlen(n)).contains(&shift) {
        return Ordering::Equal;
    }
    let num = n << shift;
    let rem = num % m;
    if rem == 0 {
        return Ordering::Equal;
    }
    match (rem * 2).cmp(&m) {
        Ordering::Less => Ordering::Less,
        Ordering::Greater => Ordering::Greater,
        Ordering::Equal if (num / m) % 2 == 0 => Ordering::Less,
        Ordering::Equal => Ordering::Greater,
    }
}

/// successrate.sh's six printed sections from its 18 counters (indexed as [`FIELDS`]).
pub fn printed_categories(c: &[u64; 18]) -> CompatCategories {
    use field::*;
    let (crit, rec, ok) = (c[AUDIT_CRITICAL], c[AUDIT_RECOVERABLE], c[AUDIT_SUCCESS]);
    let a = crit + rec + ok;
    let transfer = |base: usize, extra_guard: u64| {
        let (f, ca, s) = (c[base], c[base + 1], c[base + 2]);
        let t = f + ca + s;
        let g = t + extra_guard;
        CompatTransfer {
            failed: f,
            fail_rate: printed_rate(f, t, g),
            canceled: ca,
            cancel_rate: printed_rate(ca, t, g),
            successful: s,
            success_rate: printed_rate(s, t, g),
        }
    };
    let rejected = c[UPLOAD_REJECTED];
    let up = transfer(UPLOAD, rejected);
    let up_total = up.failed + up.canceled + up.successful;
    let (df, ds) = (c[DELETE_FAILED], c[DELETE_SUCCESS]);
    CompatCategories {
        audit: CompatAudit {
            critically_failed: crit,
            critical_fail_rate: printed_rate(crit, a, a),
            recoverable_failed: rec,
            recoverable_fail_rate: printed_rate(rec, a, a),
            successful: ok,
            success_rate: printed_rate(ok, a, a),
        },
        download: transfer(DOWNLOAD, 0),
        upload: CompatUpload {
            rejected,
            acceptance_rate: printed_rate(up_total, up_total + rejected, up_total + rejected),
            failed: up.failed,
            fail_rate: up.fail_rate,
            canceled: up.canceled,
            cancel_rate: up.cancel_rate,
            successful: up.successful,
            success_rate: up.success_rate,
        },
        repair_download: transfer(REPAIR_DOWNLOAD, 0),
        repair_upload: transfer(REPAIR_UPLOAD, 0),
        delete: CompatDelete {
            failed: df,
            fail_rate: printed_rate(df, df + ds, df + ds),
            successful: ds,
            success_rate: printed_rate(ds, df + ds, df + ds),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(f: FieldSet) -> Vec<&'static str> {
        (0..18).filter(|i| f & (1 << i) != 0).map(|i| FIELDS[i]).collect()
    }

    #[test]
    fn needles_to_counters() {
        let m = Matcher::new();
        assert_eq!(names(m.fields(br#"INFO piecestore downloaded {"Action": "GET_AUDIT"}"#)), ["audit.successful"]);
        assert_eq!(
            names(m.fields(br#"download canceled {"Action": "GET", "reason": "downloaded size (1 bytes) does not match"}"#)),
            ["download.canceled", "download.successful"]
        );
        assert_eq!(
            names(m.fields(br#"ERROR download failed {"Action": "GET_AUDIT", "error": "An existing connection"}"#)),
            ["audit.critically_failed"]
        );
        assert_eq!(names(m.fields(br#"download failed {"Action": "GET_AUDIT", "error": "reset"}"#)), ["audit.recoverable_failed"]);
        assert_eq!(names(m.fields(br#"upload failed {"Action": "PUT_REPAIR"}"#)), ["repair_upload.failed"]);
        assert_eq!(names(m.fields(b"upload rejected, too many requests")), ["upload.rejected"]);
        assert_eq!(names(m.fields(b"collector unable to delete piece")), ["delete.successful"]);
        assert_eq!(names(m.fields(b"piecestore delete failed")), ["delete.failed"]);
        assert_eq!(names(m.fields(b"pieces deleted piece")), ["delete.successful"]);
        assert_eq!(m.fields(b"piecestore:monitor readability check done"), 0);
        assert_eq!(m.fields(b"Downloaded get_audit"), 0);
        // needles inside and across each other are all seen
        assert_eq!(names(m.fields(b"GET_AUDIT delete failed")), ["audit.recoverable_failed", "delete.failed"]);
        assert_eq!(names(m.fields(b"\"GET\"downloadedeleted")), ["download.successful", "delete.successful"]);
        assert_eq!(names(m.fields(b"GET_AUDITfailedexist")), ["audit.critically_failed"]);
    }

    #[test]
    fn one_scan_finds_what_a_search_per_needle_finds() {
        let m = Matcher::new();
        let parts: Vec<&[u8]> = NEEDLES.iter().map(|n| n.as_bytes()).chain([&b"d"[..], b"e", b"\"", b"_", b" ", b"GET", b"load"]).collect();
        let mut seed: u64 = 0x1234_5678;
        for _ in 0..20_000 {
            let mut line = Vec::new();
            for _ in 0..6 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let p = parts[(seed % parts.len() as u64) as usize];
                let cut = (seed >> 20) as usize % (p.len() + 1);
                line.extend_from_slice(if seed & 1 == 0 { p } else { &p[..cut] });
            }
            let naive = NEEDLES
                .iter()
                .enumerate()
                .filter(|(_, n)| memchr::memmem::find(&line, n.as_bytes()).is_some())
                .fold(0u32, |a, (i, _)| a | 1 << i);
            assert_eq!(m.fields(&line), fields_of(naive), "{}", String::from_utf8_lossy(&line));
        }
    }

    #[test]
    fn double_rounding_matches_successrate() {
        // 338/414: plain rounding gives 81.643 too, but through %.6g (81.6425) and the long
        // double (just above) it is 81.643; a tie at the 4th decimal decided by the binary value
        assert_eq!(round_printed(338.0 / 414.0 * 100.0), 81.643);
        assert_eq!(printed_rate(0, 0, 0), Some(0.0));
        assert_eq!(printed_rate(1, 0, 5), None);
        assert_eq!(printed_rate(5, 5, 5), Some(100.0));
        assert_eq!(printed_rate(8, 29, 29), Some(27.586));
        assert_eq!(printed_rate(6, 29, 29), Some(20.69));
        assert_eq!(printed_rate(373, 429, 434), Some(86.946));
        // exact dyadic ties go to even: 0.0625 -> 0.062, 0.1875 -> 0.188
        assert_eq!(round_printed(0.0625), 0.062);
        assert_eq!(round_printed(0.1875), 0.188);
        // 1/8 % = 12.5 and tiny rates
        assert_eq!(round_printed(12.5), 12.5);
        assert_eq!(round_printed(0.0004), 0.0);
        // decimal ties at the 4th decimal: the long double falls below (0.0005, 0.0015) or above (2.0005)
        assert_eq!(round_printed(0.0005), 0.0);
        assert_eq!(round_printed(0.0015), 0.001);
        assert_eq!(round_printed(2.0005), 2.001);
        assert_eq!(round_printed(100.0), 100.0);
        // ratios where the double rounding differs from a single one, as the reference model prints them
        let cases: [(u64, u64, f64); 20] = [
            (281, 462, 60.822),
            (133, 929, 14.317),
            (1024, 1130, 90.62),
            (547, 1099, 49.772),
            (155, 1073, 14.446),
            (93, 320, 29.062),
            (134, 632, 21.202),
            (178, 433, 41.108),
            (734, 866, 84.757),
            (237, 1070, 22.149),
            (54, 388, 13.917),
            (525, 860, 61.046),
            (87, 221, 39.366),
            (411, 1161, 35.4),
            (40, 68, 58.823),
            (818, 823, 99.393),
            (403, 404, 99.753),
            (85, 230, 36.956),
            (115, 196, 58.674),
            (5, 10000, 0.05),
        ];
        for (n, d, want) in cases {
            assert_eq!(printed_rate(n, d, d), Some(want), "{n}/{d}");
        }
    }

    #[test]
    fn rounding_agrees_with_an_exact_model() {
        // brute force over small ratios against a big-rational model of the same three steps
        for den in 1..=300u64 {
            for num in 0..=den {
                let v = num as f64 / den as f64 * 100.0;
                let got = round_printed(v);
                let plain = (v * 1000.0).round() / 1000.0;
                assert!((got - plain).abs() <= 0.0010001, "{num}/{den}: {got} vs {plain}");
            }
        }
    }
}
