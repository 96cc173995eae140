//! Instants and months (NODE_DATA.md §2.3, §3.1): `now`, the month window, the report's `now` text.
//! Figures that earnings.py computes with SQLite's date functions are computed in SQL instead.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};

/// Parses both stored shapes (`2025-04-14 08:40:14.54889193+00:00`, `2024-05-06 00:00:00`), `T`
/// or space, any offset or `Z` (none = UTC), a date alone; fractions truncated to µs. UTC result.
pub fn parse_instant(text: &str) -> Option<NaiveDateTime> {
    let s = text.trim();
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = &s[10..];
    if rest.is_empty() {
        return date.and_hms_opt(0, 0, 0);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let digits = |t: &str| t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit());
    let (hh, mm) = (rest.get(..2)?, rest.get(3..5)?);
    if !digits(hh) || !digits(mm) || rest.as_bytes().get(2) != Some(&b':') {
        return None;
    }
    let mut at = 5;
    let mut ss = "00";
    if rest.as_bytes().get(5) == Some(&b':') {
        ss = rest.get(6..8)?;
        if !digits(ss) {
            return None;
        }
        at = 8;
    }
    let mut micros = 0u32;
    if rest.as_bytes().get(at) == Some(&b'.') {
        at += 1;
        let frac: String = rest[at..].chars().take_while(|c| c.is_ascii_digit()).collect();
        if frac.is_empty() {
            return None;
        }
        at += frac.len();
        let six: String = frac.chars().chain(std::iter::repeat('0')).take(6).collect();
        micros = six.parse().ok()?;
    }
    let zone = rest[at..].trim_start();
    let offset_secs: i64 = match zone {
        "" | "Z" | "z" => 0,
        z => {
            let sign = match z.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let body = z[1..].replace(':', "");
            if body.len() != 4 || !body.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let h: i64 = body[..2].parse().ok()?;
            let m: i64 = body[2..].parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    let time = NaiveTime::from_hms_micro_opt(hh.parse().ok()?, mm.parse().ok()?, ss.parse().ok()?, micros)?;
    date.and_time(time).checked_sub_signed(TimeDelta::seconds(offset_secs))
}

/// The report's `now`: `YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` when the microseconds are not 0.
pub fn format_now(t: NaiveDateTime) -> String {
    let micros = t.nanosecond() / 1000;
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    if micros == 0 {
        format!("{base}Z")
    } else {
        format!("{base}.{micros:06}Z")
    }
}

/// `now` as SQLite's `datetime('now')` would give it: `YYYY-MM-DD HH:MM:SS`.
pub fn sql_datetime(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// A report month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn parse(text: &str) -> Option<Month> {
        let b = text.as_bytes();
        if b.len() != 7 || b[4] != b'-' || !text[..4].bytes().all(|c| c.is_ascii_digit()) || !text[5..].bytes().all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let (year, month) = (text[..4].parse().ok()?, text[5..].parse().ok()?);
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    pub fn of(t: NaiveDateTime) -> Month {
        Month { year: t.year(), month: t.month() }
    }

    pub fn text(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }

    /// The window's bounds as compared with stored text: `YYYY-MM-01`, next month's `-01`.
    pub fn window(self) -> (String, String) {
        (format!("{}-01", self.text()), format!("{}-01", self.next().text()))
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    pub fn days(self) -> i64 {
        match (self.first_day(), self.next().first_day()) {
            (Some(a), Some(b)) => (b - a).num_days(),
            _ => 30,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> String {
        parse_instant(s).map(format_now).unwrap_or_else(|| "none".into())
    }

    #[test]
    fn both_shapes_offsets_and_fractions() {
        assert_eq!(at("2025-04-14 08:40:14.54889193+00:00"), "2025-04-14T08:40:14.548891Z");
        assert_eq!(at("2024-05-06 00:00:00"), "2024-05-06T00:00:00Z");
        assert_eq!(at("2025-04-14T09:30:00Z"), "2025-04-14T09:30:00Z");
        assert_eq!(at("2025-04-01 01:30:00+02:00"), "2025-03-31T23:30:00Z");
        assert_eq!(at("2025-03-31T23:30:00-0130"), "2025-04-01T01:00:00Z");
        assert_eq!(at("2025-04-14"), "2025-04-14T00:00:00Z");
        assert_eq!(at("2025-04-14 08:40"), "2025-04-14T08:40:00Z");
        assert_eq!(at("garbage"), "none");
        assert_eq!(at("2025-02-30 00:00:00"), "none");
        assert_eq!(at("2025-04-14 08:40:14+5"), "none");
    }

    #[test]
    fn months() {
        let m = Month::parse("2024-12").expect("month");
        assert_eq!(m.next().text(), "2025-01");
        assert_eq!(m.window(), ("2024-12-01".to_string(), "2025-01-01".to_string()));
        assert_eq!(Month::parse("2024-02").map(Month::days), Some(29));
        assert_eq!(Month::parse("2024-13"), None);
        assert_eq!(Month::parse("24-01"), None);
    }
}
