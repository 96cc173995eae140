//! Display formatting shared by the UI and its native tests.

/// Bytes in binary units with the unit named, e.g. "4.6 MiB".
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// Dollars with two decimals and a `$` sign, e.g. "$1,234.57", "-$0.50".
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let cents = (x.abs() * 100.0).round() as u64;
    let sign = if x < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}${}.{:02}", group_thousands(cents / 100), cents % 100)
}

/// "1234567" → "1,234,567".
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An integer count with thousands separators (negative numbers keep their sign).
pub fn count(n: i64) -> String {
    let s = group_thousands(n.unsigned_abs());
    if n < 0 {
        format!("-{s}")
    } else {
        s
    }
}

/// A quantity in the monitor's "TB" (2^40 bytes) with the unit named and enough decimals to
/// show small values: "1.23 TB", "0.0456 TB", "0 TB".
pub fn tb(value_tb: f64, unit: &str) -> String {
    if value_tb == 0.0 {
        return format!("0 {unit}");
    }
    let a = value_tb.abs();
    let decimals = if a >= 10.0 {
        2
    } else if a >= 0.1 {
        3
    } else if a >= 0.001 {
        4
    } else {
        6
    };
    format!("{value_tb:.decimals$} {unit}")
}

/// Milliseconds for the latency cards: "350 ms", "1,234.5 ms".
pub fn millis(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{} ms", count(x as i64))
    } else {
        let whole = count(x.trunc() as i64);
        let frac = format!("{:.2}", x.abs().fract());
        format!("{whole}{} ms", frac.trim_start_matches('0').trim_end_matches('0').trim_end_matches('.'))
    }
}

/// A fraction as a percentage with one decimal: 0.9876 → "98.8 %".
pub fn percent(fraction: f64) -> String {
    format!("{:.1} %", fraction * 100.0)
}

/// Milliseconds of a stage timing: "12.3 ms", "1.25 s".
pub fn duration_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}

/// An iso timestamp for people: "2025-10-10 12:00:00 UTC" (microseconds dropped).
pub fn instant(iso: &str) -> String {
    let base = iso.split('+').next().unwrap_or(iso);
    let base = base.split('.').next().unwrap_or(base);
    format!("{} UTC", base.replacen('T', " ", 1))
}

/// The date (year, month, day) of a day count from 1970-01-01, proleptic Gregorian (Howard
/// Hinnant's algorithm): the log reader's hours and the page's chart labels.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes_names_the_unit() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(1023), "1023 bytes");
        assert_eq!(human_bytes(1024), "1.0 KiB");
        assert_eq!(human_bytes(4_849_664), "4.6 MiB");
        assert_eq!(human_bytes(1 << 40), "1.0 TiB");
    }

    #[test]
    fn money_has_two_decimals_and_a_dollar_sign() {
        assert_eq!(money(6.353710545006654), "$6.35");
        assert_eq!(money(1234567.891), "$1,234,567.89");
        assert_eq!(money(-0.5), "-$0.50");
        assert_eq!(money(-0.001), "$0.00");
        assert_eq!(money(0.0), "$0.00");
        assert_eq!(money(f64::NAN), "—");
    }

    #[test]
    fn tb_names_the_unit_and_keeps_small_values() {
        assert_eq!(tb(0.0, "TB"), "0 TB");
        assert_eq!(tb(12.345, "TB"), "12.35 TB");
        assert_eq!(tb(1.5, "TB·month"), "1.500 TB·month");
        assert_eq!(tb(0.01234, "TB"), "0.0123 TB");
        assert_eq!(tb(0.0000123, "TB"), "0.000012 TB");
    }

    #[test]
    fn counts_millis_percent_instants() {
        assert_eq!(count(1234567), "1,234,567");
        assert_eq!(count(-1000), "-1,000");
        assert_eq!(millis(350.0), "350 ms");
        assert_eq!(millis(1234.5), "1,234.5 ms");
        assert_eq!(millis(12.25), "12.25 ms");
        assert_eq!(percent(0.9876), "98.8 %");
        assert_eq!(duration_ms(12.34), "12.3 ms");
        assert_eq!(duration_ms(1250.0), "1.25 s");
        assert_eq!(instant("2025-10-10T12:00:00.123456+00:00"), "2025-10-10 12:00:00 UTC");
    }
}
