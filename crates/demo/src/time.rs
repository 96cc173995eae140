//! Instants as i64 microseconds since the Unix epoch, written in the original monitor's layout
//! (Python `datetime.isoformat()` of a UTC time). The calendar (month lengths, leap years,
//! month arithmetic, the ISO layout) is chrono's.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveTime, SecondsFormat, Utc};

pub const US_PER_SEC: i64 = 1_000_000;
pub const US_PER_MIN: i64 = 60 * US_PER_SEC;
pub const US_PER_HOUR: i64 = 3_600 * US_PER_SEC;
pub const US_PER_DAY: i64 = 86_400 * US_PER_SEC;

/// The UTC instant of `us`. Every instant the generator writes lies in the span `validate`
/// accepted (years 1972..9998), far inside chrono's range.
fn utc(us: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(us).expect("an instant of the validated span")
}

/// Microseconds of midnight UTC starting `date`.
pub fn midnight_us(date: NaiveDate) -> i64 {
    date.and_time(NaiveTime::MIN).and_utc().timestamp_micros()
}

/// The first day of the month of an instant: how the generator names a month.
pub fn month_of(us: i64) -> NaiveDate {
    utc(us).date_naive().with_day(1).expect("every month has a first day")
}

/// `month` shifted by `delta` months (negative: back).
pub fn add_months(month: NaiveDate, delta: i64) -> NaiveDate {
    let n = Months::new(delta.unsigned_abs() as u32);
    if delta < 0 {
        month - n
    } else {
        month + n
    }
}

/// A month's position on a line of months (consecutive months, consecutive numbers).
pub fn month_index(month: NaiveDate) -> i64 {
    month.year() as i64 * 12 + month.month0() as i64
}

/// iso(us): `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, or without the `.ffffff` part when the
/// microsecond is 0 (Python's `isoformat()`; chrono's RFC 3339 with the matching precision).
pub fn iso(us: i64) -> String {
    let precision = if us.rem_euclid(US_PER_SEC) == 0 { SecondsFormat::Secs } else { SecondsFormat::Micros };
    utc(us).to_rfc3339_opts(precision, false)
}

/// `YYYY-MM` of a month.
pub fn period(month: NaiveDate) -> String {
    month.format("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn layout() {
        let t = midnight_us(day(2025, 9, 5)) + 12 * US_PER_HOUR + 5 * US_PER_MIN + 44_216_807;
        assert_eq!(iso(t), "2025-09-05T12:05:44.216807+00:00");
        assert_eq!(iso(midnight_us(day(2025, 10, 10)) + 12 * US_PER_HOUR), "2025-10-10T12:00:00+00:00");
        assert_eq!(iso(midnight_us(day(2024, 2, 29)) + 7), "2024-02-29T00:00:00.000007+00:00");
        assert_eq!(iso(midnight_us(day(2024, 2, 29)) + 500_000), "2024-02-29T00:00:00.500000+00:00");
        assert_eq!(iso(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(period(day(2025, 3, 1)), "2025-03");
    }

    #[test]
    fn months() {
        assert_eq!(add_months(day(2025, 10, 1), -21), day(2024, 1, 1));
        assert_eq!(add_months(day(2025, 12, 1), 1), day(2026, 1, 1));
        assert_eq!(month_of(midnight_us(day(2024, 2, 29)) + US_PER_DAY - 1), day(2024, 2, 1));
        assert_eq!(month_index(day(2026, 1, 1)) - month_index(day(2025, 12, 1)), 1);
        let hours = |m: NaiveDate| add_months(m, 1).signed_duration_since(m).num_hours();
        assert_eq!((hours(day(2024, 2, 1)), hours(day(2100, 2, 1)), hours(day(2000, 2, 1))), (29 * 24, 28 * 24, 29 * 24));
    }
}
