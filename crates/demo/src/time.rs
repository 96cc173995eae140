//! Instants as i64 microseconds since the Unix epoch, written in the original monitor's layout
//! (Python `datetime.isoformat()` of a UTC time) without allocating.

pub const US_PER_SEC: i64 = 1_000_000;
pub const US_PER_MIN: i64 = 60 * US_PER_SEC;
pub const US_PER_HOUR: i64 = 3_600 * US_PER_SEC;
pub const US_PER_DAY: i64 = 86_400 * US_PER_SEC;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Microseconds of `YYYY-MM-01T00:00:00Z`.
pub fn month_start_us(y: i64, m: u32) -> i64 {
    days_from_civil(y, m, 1) * US_PER_DAY
}

/// (year, month) `delta` months after (y, m).
pub fn add_months(y: i64, m: u32, delta: i64) -> (i64, u32) {
    let idx = y * 12 + (m as i64 - 1) + delta;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// (year, month) of an instant.
pub fn year_month(us: i64) -> (i64, u32) {
    let (y, m, _) = civil_from_days(us.div_euclid(US_PER_DAY));
    (y, m)
}

#[inline]
fn put2(buf: &mut [u8], at: usize, v: u32) {
    buf[at] = b'0' + (v / 10) as u8;
    buf[at + 1] = b'0' + (v % 10) as u8;
}

/// Writes iso(us) into `buf`: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` (32 bytes), or without the
/// `.ffffff` part when the microsecond is 0 (25 bytes). Returns the text. Years must be 0..=9999.
pub fn write_iso(buf: &mut [u8; 32], us: i64) -> &str {
    let days = us.div_euclid(US_PER_DAY);
    let in_day = us.rem_euclid(US_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let secs = (in_day / US_PER_SEC) as u32;
    let micros = (in_day % US_PER_SEC) as u32;
    let y = y.clamp(0, 9999) as u32;
    buf[0] = b'0' + (y / 1000) as u8;
    buf[1] = b'0' + (y / 100 % 10) as u8;
    buf[2] = b'0' + (y / 10 % 10) as u8;
    buf[3] = b'0' + (y % 10) as u8;
    buf[4] = b'-';
    put2(buf, 5, mo);
    buf[7] = b'-';
    put2(buf, 8, d);
    buf[10] = b'T';
    put2(buf, 11, secs / 3600);
    buf[13] = b':';
    put2(buf, 14, secs / 60 % 60);
    buf[16] = b':';
    put2(buf, 17, secs % 60);
    let mut n = 19;
    if micros != 0 {
        buf[19] = b'.';
        let mut v = micros;
        for i in (20..26).rev() {
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
        n = 26;
    }
    buf[n..n + 6].copy_from_slice(b"+00:00");
    // Only ASCII digits and punctuation were written.
    std::str::from_utf8(&buf[..n + 6]).expect("ascii")
}

/// iso(us) as an owned string (for the few non-hot-path rows).
pub fn iso(us: i64) -> String {
    let mut buf = [0u8; 32];
    write_iso(&mut buf, us).to_string()
}

/// `YYYY-MM` of (year, month).
pub fn period(y: i64, m: u32) -> String {
    format!("{:04}-{:02}", y, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        let t = days_from_civil(2025, 9, 5) * US_PER_DAY + 12 * US_PER_HOUR + 5 * US_PER_MIN + 44_216_807;
        assert_eq!(iso(t), "2025-09-05T12:05:44.216807+00:00");
        assert_eq!(iso(days_from_civil(2025, 10, 10) * US_PER_DAY + 12 * US_PER_HOUR), "2025-10-10T12:00:00+00:00");
        assert_eq!(iso(days_from_civil(2024, 2, 29) * US_PER_DAY + 7), "2024-02-29T00:00:00.000007+00:00");
        assert_eq!(iso(0), "1970-01-01T00:00:00+00:00");
        for z in [-1000i64, -1, 0, 1, 59, 60, 365, 10_000, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(add_months(2025, 10, -21), (2024, 1));
        assert_eq!(add_months(2025, 12, 1), (2026, 1));
    }
}
