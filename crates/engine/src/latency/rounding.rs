//! The number rules of section 8: Python's `round(x, 2)`, the exact mean, the median and the
//! original's percentile rule, each with the JSON int/float type the original prints.

use super::Num;

/// Python's `round(x, 2)`: the exact binary value of `x` rounded to 2 decimals, ties to even,
/// returned as the nearest f64. `format!("{:.2}")` formats the exact value with ties to even.
pub fn round2(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.2}").parse::<f64>().unwrap_or(x)
}

/// The f64 nearest to `num / den` (ties to even), like Python's `float(Fraction(num, den))`.
/// `den` must be positive.
pub(crate) fn ratio_to_f64(num: i128, den: i128) -> f64 {
    debug_assert!(den > 0);
    const EXACT: u128 = 1 << 53;
    let a = num.unsigned_abs();
    let d = den.unsigned_abs();
    if a <= EXACT && d <= EXACT {
        // Both conversions are exact, so IEEE division rounds the exact quotient once.
        return num as f64 / den as f64;
    }
    let a_bits = 128 - a.leading_zeros() as i32;
    let d_bits = 128 - d.leading_zeros() as i32;
    // Scale so that the integer quotient q has 55 or 56 bits: 53 kept, a round bit, and more.
    let shift = 55 + d_bits - a_bits;
    let (q, sticky) = if shift >= 0 {
        let scaled = a << shift; // a_bits + shift = 55 + d_bits <= 128 - 1 for den < 2^72
        (scaled / d, !scaled.is_multiple_of(d))
    } else {
        let s = (-shift) as u32;
        let lost = a & ((1u128 << s) - 1) != 0;
        let scaled = a >> s;
        (scaled / d, lost || !scaled.is_multiple_of(d))
    };
    let q_bits = 128 - q.leading_zeros() as i32;
    let extra = q_bits - 53;
    let mut mant = q >> extra;
    let rem = q & ((1u128 << extra) - 1);
    let half = 1u128 << (extra - 1);
    if rem > half || (rem == half && (sticky || mant & 1 == 1)) {
        mant += 1;
    }
    let value = (mant as f64) * 2f64.powi(extra - shift);
    if num < 0 {
        -value
    } else {
        value
    }
}

/// `mean`: Σd/n computed exactly; the integer when n divides Σd, else the nearest f64, then
/// round2. `sorted` must be non-empty; `sum` is its exact sum.
pub(crate) fn mean(sum: i128, n: usize) -> Num {
    let n = n as i128;
    if sum % n == 0 {
        // |Σd / n| <= max |d|, so it fits an i64.
        Num::Int((sum / n) as i64)
    } else {
        Num::Float(round2(ratio_to_f64(sum, n)))
    }
}

/// `median`: the middle element (int) for odd n; the f64 mean of the two middle elements
/// for even n, then round2. `s` must be sorted and non-empty.
pub(crate) fn median(s: &[i64]) -> Num {
    let n = s.len();
    if n % 2 == 1 {
        Num::Int(s[n / 2])
    } else {
        let pair = s[n / 2 - 1] as i128 + s[n / 2] as i128;
        // (a+b) as f64 rounds once; halving is exact, so this is Python's (a + b) / 2.
        Num::Float(round2(pair as f64 / 2.0))
    }
}

/// The original's percentile rule (not the median), then round2. `s` sorted, non-empty.
pub(crate) fn percentile(s: &[i64], p: u32) -> Num {
    let n = s.len();
    let rank = (p as f64 / 100.0) * n as f64;
    if rank < 1.0 {
        Num::Int(s[0])
    } else if rank >= n as f64 {
        Num::Int(s[n - 1])
    } else {
        let k = rank.trunc();
        let lo = k as usize - 1;
        let frac = rank - k;
        // Durations are positive, so the difference of two of them fits an i64 (as in Python,
        // where it is an exact int converted to float for the product).
        let diff = s[lo + 1] as i128 - s[lo] as i128;
        Num::Float(round2(s[lo] as f64 + frac * (diff as f64)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round2_matches_python() {
        assert_eq!(round2(0.125), 0.12);
        assert_eq!(round2(0.375), 0.38);
        assert_eq!(round2(2.675), 2.67);
        assert_eq!(round2(454.79999999999995), 454.8);
        assert_eq!(round2(475.76), 475.76);
        assert_eq!(round2(1.005), 1.0); // 1.005 is stored below the tie
        assert_eq!(round2(0.5), 0.5);
        assert_eq!(round2(-0.125), -0.12);
        assert_eq!(round2(1e300), 1e300);
        assert_eq!(round2(12345678.915), 12345678.91); // stored below the tie
        assert!(round2(f64::NAN).is_nan());
    }

    #[test]
    fn percentile_examples_of_the_spec() {
        let five = [10, 20, 30, 40, 50];
        assert_eq!(percentile(&five, 50), Num::Float(25.0));
        assert_eq!(median(&five), Num::Int(30));
        let four = [100, 200, 300, 400];
        assert_eq!(percentile(&four, 50), Num::Float(200.0));
        assert_eq!(percentile(&four, 95), Num::Float(380.0));
        assert_eq!(percentile(&four, 99), Num::Float(396.0));
        // n = 4: p50 = s[1].
        let other = [1, 7, 9, 1000];
        assert_eq!(percentile(&other, 50), Num::Float(7.0));
        // Fixture node-3, 1 h, get.
        let get = [219, 481];
        assert_eq!(mean(700, 2), Num::Int(350));
        assert_eq!(median(&get), Num::Float(350.0));
        assert_eq!(percentile(&get, 50), Num::Float(219.0));
        assert_eq!(percentile(&get, 95), Num::Float(454.8));
        assert_eq!(percentile(&get, 99), Num::Float(475.76));
    }

    #[test]
    fn percentile_int_at_the_ends() {
        // rank < 1: s[0] as int.
        assert_eq!(percentile(&[42], 50), Num::Int(42));
        assert_eq!(percentile(&[42], 99), Num::Int(42));
        assert_eq!(percentile(&[5, 9], 2), Num::Int(5));
        // rank >= n never happens for p < 100 but is the int s[n-1].
        assert_eq!(percentile(&[5, 9], 100), Num::Int(9));
    }

    #[test]
    fn median_even_and_odd() {
        assert_eq!(median(&[1, 2, 4]), Num::Int(2));
        assert_eq!(median(&[1, 2]), Num::Float(1.5));
        assert_eq!(median(&[2, 4]), Num::Float(3.0));
        assert_eq!(median(&[1, 2, 3, 1000]), Num::Float(2.5));
        // The sum of the middle pair does not overflow.
        assert_eq!(median(&[i64::MAX, i64::MAX]), Num::Float(i64::MAX as f64));
    }

    #[test]
    fn mean_int_when_divisible_else_rounded_float() {
        assert_eq!(mean(30, 3), Num::Int(10));
        assert_eq!(mean(10, 3), Num::Float(3.33));
        assert_eq!(mean(2, 3), Num::Float(0.67));
        assert_eq!(mean(1, 8), Num::Float(0.12)); // 0.125 exactly: ties to even
        assert_eq!(mean(3, 8), Num::Float(0.38));
    }

    #[test]
    fn ratio_is_correctly_rounded_beyond_2_pow_53() {
        // Values computed with Python's float(Fraction(num, den)).
        assert_eq!(ratio_to_f64(7, 2), 3.5);
        assert_eq!(ratio_to_f64((1i128 << 60) + 1, 3), 3.843071682022823e17);
        assert_eq!(ratio_to_f64((1i128 << 53) + 1, 1), 9007199254740992.0); // tie to even
        assert_eq!(ratio_to_f64((1i128 << 53) + 3, 1), 9007199254740996.0); // tie to even
        assert_eq!(ratio_to_f64((1i128 << 54) + 2, 2), 9007199254740992.0); // exact tie, even
        assert_eq!(ratio_to_f64((1i128 << 54) + 3, 2), 9007199254740994.0); // above the tie
        assert_eq!(ratio_to_f64(i64::MAX as i128 * 9_999, 10_000), 9.22244969965109e18);
        assert_eq!(ratio_to_f64(-((1i128 << 60) + 1), 3), -3.843071682022823e17);
        assert_eq!(ratio_to_f64(i64::MAX as i128 * 10_000 + 1, 10_000), 9.223372036854776e18);
    }
}
