//! Timestamps: the node's own (`2023-06-20T18:00:00.123Z`, `…+0200`, `…+01:00`) to UTC, and UTC
//! back to text. Civil-date arithmetic by hand: no date crate for a few lines of integer math.

/// A parsed timestamp: UTC milliseconds since 1970 and the offset as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp<'a> {
    pub utc_ms: i64,
    pub offset: &'a [u8],
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count from 1970-01-01 (shared with the page's hourly chart).
pub use model::format::civil_from_days;

/// Parses `YYYY-MM-DDTHH:MM:SS[.f{0,9}](Z|±HH:MM|±HHMM)` exactly (the whole slice).
pub fn parse_stamp(b: &[u8]) -> Option<Stamp<'_>> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (h, mi, s) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0i64;
    if b[i] == b'.' {
        let start = i + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end - start > 9 {
            return None;
        }
        for (k, digit) in b[start..end].iter().take(3).enumerate() {
            ms += i64::from(digit - b'0') * [100, 10, 1][k];
        }
        i = end;
    }
    let offset = &b[i..];
    let offset_min = match offset {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), oh @ .., b':', m1, m2] if oh.len() == 2 => sign_of(*sign) * (digits(oh)? * 60 + digits(&[*m1, *m2])?),
        [sign @ (b'+' | b'-'), rest @ ..] if rest.len() == 4 => sign_of(*sign) * (digits(&rest[..2])? * 60 + digits(&rest[2..])?),
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset_min * 60;
    Some(Stamp { utc_ms: secs * 1000 + ms, offset })
}

fn sign_of(c: u8) -> i64 {
    if c == b'-' {
        -1
    } else {
        1
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` of UTC seconds.
pub fn format_utc(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", r / 3600, r / 60 % 60, r % 60)
}

/// Another program's time layout at the start of a line: supervisord `2026-05-06 05:59:57,000`,
/// Go's `2026/05/06 05:59:57`.
pub fn is_foreign_time(b: &[u8]) -> bool {
    if b.len() < 19 {
        return false;
    }
    let sep = b[4];
    (sep == b'-' || sep == b'/')
        && b[7] == sep
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':'
        && [0..4, 5..7, 8..10, 11..13, 14..16, 17..19].into_iter().all(|r| b[r].iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> String {
        let st = parse_stamp(s.as_bytes()).unwrap();
        format_utc(st.utc_ms.div_euclid(1000))
    }

    #[test]
    fn every_era_layout_to_utc() {
        assert_eq!(utc("2023-06-20T18:00:00.123Z"), "2023-06-20T18:00:00Z");
        assert_eq!(utc("2026-02-15T07:00:00.100+0100"), "2026-02-15T06:00:00Z");
        assert_eq!(utc("2025-10-26T02:30:00+01:00"), "2025-10-26T01:30:00Z");
        assert_eq!(utc("2025-10-26T02:30:00+02:00"), "2025-10-26T00:30:00Z");
        assert_eq!(utc("2025-10-26T02:30:00Z"), "2025-10-26T02:30:00Z");
        assert_eq!(utc("2024-01-01T00:30:00-0130"), "2024-01-01T02:00:00Z");
        assert_eq!(utc("2024-03-01T00:00:00.123456789+01:00"), "2024-02-29T23:00:00Z");
        assert_eq!(parse_stamp(b"2023-06-20T18:00:00.5Z").unwrap().utc_ms % 1000, 500);
    }

    #[test]
    fn malformed_times_are_refused() {
        for s in [
            "2023-06-20 18:00:00Z",
            "2023-06-20T18:00:00",
            "2023-13-20T18:00:00Z",
            "2023-06-20T18:00:00.1234567890Z",
            "2023-06-20T18:00:00+1",
        ] {
            assert!(parse_stamp(s.as_bytes()).is_none(), "{s}");
        }
        assert!(is_foreign_time(b"2026-05-06 05:59:57,000 INFO"));
        assert!(is_foreign_time(b"2026/05/06 05:59:57 http: panic"));
        assert!(!is_foreign_time(b"2026-05-06T05:59:57Z\tINFO"));
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 10_957, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
