//! Instants in whole microseconds, the iso(t) layout of ANALYTICS section 1, and periods (YYYY-MM).
//!
//! An instant is an `i64` count of microseconds since 1970-01-01T00:00:00 UTC. The engine never
//! reads a clock: "now" is a value given by the caller.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// Microseconds since the Unix epoch, UTC.
pub type Micros = i64;

pub const MICROS_PER_SECOND: i64 = 1_000_000;
pub const MICROS_PER_HOUR: i64 = 3_600 * MICROS_PER_SECOND;

/// iso(t): `YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`, the microseconds only when they are not zero.
pub fn iso(t: Micros) -> String {
    let dt = utc(t);
    let mut s = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", dt.year(), dt.month(), dt.day(), dt.hour(), dt.minute(), dt.second());
    let micros = t.rem_euclid(MICROS_PER_SECOND);
    if micros != 0 {
        s.push_str(&format!(".{micros:06}"));
    }
    s.push_str("+00:00");
    s
}

/// The UTC calendar time of an instant (saturating at chrono's range, which no real file reaches).
pub fn utc(t: Micros) -> NaiveDateTime {
    DateTime::from_timestamp_micros(t).map(|d| d.naive_utc()).unwrap_or(NaiveDateTime::MIN)
}

fn micros_of(naive: NaiveDateTime) -> Micros {
    naive.and_utc().timestamp_micros()
}

/// True when `s` is exactly in the iso(t) layout the original writes (32 or 25 characters, UTC).
pub fn is_iso_layout(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let frame = |len: usize| {
        b.len() == len
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && b[10] == b'T'
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
            && b[16] == b':'
            && digits(17..19)
            && s.ends_with("+00:00")
    };
    let shape = frame(25) || (frame(32) && b[19] == b'.' && digits(20..26));
    shape && parse_timestamp(s).is_some()
}

/// A timestamp as Python's `datetime.fromisoformat` reads it: local fields plus an optional offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTimestamp {
    pub local: NaiveDateTime,
    /// Offset east of UTC in seconds; `None` for a naive time (no offset written).
    pub offset_seconds: Option<i32>,
}

impl ParsedTimestamp {
    /// The instant, or `None` for a naive time (which the original cannot subtract from an aware one).
    pub fn instant(&self) -> Option<Micros> {
        self.offset_seconds.map(|off| micros_of(self.local) - i64::from(off) * MICROS_PER_SECOND)
    }

    /// Python's `isoformat()` of the parsed value: the stored string for rows in iso layout.
    pub fn python_isoformat(&self) -> String {
        let l = self.local;
        let mut s = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", l.year(), l.month(), l.day(), l.hour(), l.minute(), l.second());
        let micros = l.nanosecond() / 1_000;
        if micros != 0 {
            s.push_str(&format!(".{micros:06}"));
        }
        if let Some(off) = self.offset_seconds {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            s.push_str(&format!("{sign}{:02}:{:02}", a / 3600, (a / 60) % 60));
            if a % 60 != 0 {
                s.push_str(&format!(":{:02}", a % 60));
            }
        }
        s
    }
}

/// Parses the ISO 8601 forms the original accepts: `YYYY-MM-DD[(T| )HH:MM[:SS[.f…]]][Z|±HH:MM[:SS]|±HHMM]`.
/// Fractions beyond microseconds are truncated, as Python does.
pub fn parse_timestamp(s: &str) -> Option<ParsedTimestamp> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    if b.len() == 10 {
        return Some(ParsedTimestamp { local: date.and_time(NaiveTime::MIN), offset_seconds: None });
    }
    if b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    // Time: HH:MM[:SS[.fraction]]
    let mut i = 11;
    let hour = num(i..i + 2)?;
    if b.get(i + 2) != Some(&b':') {
        return None;
    }
    let minute = num(i + 3..i + 5)?;
    i += 5;
    let (mut second, mut micros) = (0, 0);
    if b.get(i) == Some(&b':') {
        second = num(i + 1..i + 3)?;
        i += 3;
        if matches!(b.get(i), Some(b'.') | Some(b',')) {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                return None;
            }
            let digits = &s[start..end.min(start + 6)];
            micros = digits.parse::<u32>().ok()? * 10u32.pow(6 - digits.len() as u32);
            i = end;
        }
    }
    let time = NaiveTime::from_hms_micro_opt(hour, minute, second, micros)?;
    let local = date.and_time(time);
    let offset_seconds = parse_offset(&s[i..])?;
    Some(ParsedTimestamp { local, offset_seconds })
}

/// `""` → naive; `Z`; `±HH:MM[:SS]`; `±HHMM`. `Some(None)` is naive, `None` is unparseable.
fn parse_offset(rest: &str) -> Option<Option<i32>> {
    if rest.is_empty() {
        return Some(None);
    }
    if rest == "Z" {
        return Some(Some(0));
    }
    let sign = match rest.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &rest[1..];
    let digits: String = body.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(digits.len() == 4 || digits.len() == 6) {
        return None;
    }
    if body.contains(':') && !(body.len() == 5 || body.len() == 8) {
        return None;
    }
    let field = |r: std::ops::Range<usize>| digits[r].parse::<i32>().ok();
    let (h, m) = (field(0..2)?, field(2..4)?);
    let sec = if digits.len() == 6 { field(4..6)? } else { 0 };
    if h >= 24 || m >= 60 || sec >= 60 {
        return None;
    }
    Some(Some(sign * (h * 3600 + m * 60 + sec)))
}

/// `--now RFC3339`: converted to UTC and truncated to whole microseconds.
pub fn parse_rfc3339(s: &str) -> Option<Micros> {
    let dt = DateTime::parse_from_rfc3339(s.trim()).ok()?;
    Some(dt.timestamp_micros())
}

/// Microseconds since the epoch from a Unix time in fractional milliseconds (wall clocks).
pub fn micros_from_unix_ms(ms: f64) -> Micros {
    (ms * 1000.0).trunc() as Micros
}

/// A calendar month `YYYY-MM`, the unit of earnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Period> {
        (1..=12).contains(&month).then_some(Period { year, month })?;
        NaiveDate::from_ymd_opt(year, month, 1).map(|_| Period { year, month })
    }

    /// The period that contains an instant.
    pub fn of(t: Micros) -> Period {
        let d = utc(t);
        Period { year: d.year(), month: d.month() }
    }

    /// Parses `YYYY-MM` strictly (4-digit year, 2-digit month).
    pub fn parse(s: &str) -> Option<Period> {
        let b = s.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        Period::new(s[..4].parse().ok()?, s[5..].parse().ok()?)
    }

    pub fn key(&self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The next month; December rolls over to January of the next year.
    pub fn next(&self) -> Period {
        if self.month == 12 {
            Period { year: self.year + 1, month: 1 }
        } else {
            Period { year: self.year, month: self.month + 1 }
        }
    }

    pub fn previous(&self) -> Period {
        if self.month == 1 {
            Period { year: self.year - 1, month: 12 }
        } else {
            Period { year: self.year, month: self.month - 1 }
        }
    }

    /// First instant of the month (inclusive).
    pub fn start(&self) -> Micros {
        let d = NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN);
        micros_of(d.and_time(NaiveTime::MIN))
    }

    /// First instant of the next month (exclusive).
    pub fn end(&self) -> Micros {
        self.next().start()
    }

    pub fn start_iso(&self) -> String {
        iso(self.start())
    }

    pub fn end_iso(&self) -> String {
        iso(self.end())
    }

    /// The real calendar length of the month, leap years included.
    pub fn days_in_month(&self) -> i64 {
        (self.end() - self.start()) / (24 * MICROS_PER_HOUR)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
    }
}

/// Day of month (1-based) of an instant.
pub fn day_of_month(t: Micros) -> u32 {
    utc(t).day()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Micros {
        parse_timestamp(s).and_then(|p| p.instant()).expect("valid timestamp")
    }

    #[test]
    fn iso_prints_micros_only_when_nonzero() {
        assert_eq!(iso(at("2025-10-10T12:00:00+00:00")), "2025-10-10T12:00:00+00:00");
        assert_eq!(iso(at("2025-10-10T11:59:29.435851+00:00")), "2025-10-10T11:59:29.435851+00:00");
        assert_eq!(iso(at("2025-10-10T11:59:29.000001+00:00")), "2025-10-10T11:59:29.000001+00:00");
        assert_eq!(iso(at("0999-01-02T03:04:05+00:00")), "0999-01-02T03:04:05+00:00");
    }

    #[test]
    fn parses_python_layouts() {
        assert_eq!(at("2025-10-10T12:00:00Z"), at("2025-10-10T12:00:00+00:00"));
        assert_eq!(at("2025-10-10 12:00:00+00:00"), at("2025-10-10T12:00:00+00:00"));
        assert_eq!(at("2025-10-10T14:00:00+02:00"), at("2025-10-10T12:00:00+00:00"));
        assert_eq!(at("2025-10-10T12:00:00.5+00:00") - at("2025-10-10T12:00:00+00:00"), 500_000);
        let naive = parse_timestamp("2025-10-10T12:00:00").unwrap();
        assert_eq!(naive.instant(), None);
        assert!(parse_timestamp("2025-10-10X12:00:00+00:00").is_none());
        assert!(parse_timestamp("2025-4-01T00:00:00+00:00").is_none());
        assert!(parse_timestamp("2025-02-30T00:00:00+00:00").is_none());
        assert!(parse_timestamp("").is_none());
    }

    #[test]
    fn iso_layout_is_strict() {
        assert!(is_iso_layout("2025-10-10T11:59:29.435851+00:00"));
        assert!(is_iso_layout("2025-10-10T11:59:29+00:00"));
        assert!(!is_iso_layout("2025-10-10T11:59:29Z"));
        assert!(!is_iso_layout("2025-10-10 11:59:29+00:00"));
        assert!(!is_iso_layout("2025-10-10T11:59:29.4358+00:00"));
        assert!(!is_iso_layout("2025-13-10T11:59:29+00:00"));
    }

    #[test]
    fn python_isoformat_round_trips_original_layout() {
        for s in ["2025-09-05T12:05:44.216807+00:00", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00-05:30"] {
            assert_eq!(parse_timestamp(s).unwrap().python_isoformat(), s);
        }
        assert_eq!(parse_timestamp("2025-01-01T00:00:00Z").unwrap().python_isoformat(), "2025-01-01T00:00:00+00:00");
    }

    #[test]
    fn periods_roll_over_and_count_leap_days() {
        let dec = Period::parse("2024-12").unwrap();
        assert_eq!(dec.next().key(), "2025-01");
        assert_eq!(dec.end_iso(), "2025-01-01T00:00:00+00:00");
        assert_eq!(Period::parse("2025-01").unwrap().previous(), dec);
        assert_eq!(Period::parse("2024-02").unwrap().days_in_month(), 29);
        assert_eq!(Period::parse("2025-02").unwrap().days_in_month(), 28);
        assert_eq!(Period::parse("1900-02").unwrap().days_in_month(), 28);
        assert_eq!(Period::parse("2000-02").unwrap().days_in_month(), 29);
        assert_eq!(Period::parse("2025-10").unwrap().days_in_month(), 31);
        assert!(Period::parse("2025-13").is_none());
        assert!(Period::parse("2025-1").is_none());
    }

    #[test]
    fn rfc3339_now_is_utc_micros() {
        assert_eq!(parse_rfc3339("2025-10-10T14:00:00.1234567+02:00"), Some(at("2025-10-10T12:00:00.123456+00:00")));
        assert_eq!(parse_rfc3339("nope"), None);
    }
}
