//! Python's number rules as the trend figures need them (TRENDS.md section 1): `round(x, d)`,
//! `round(x)` to an int, int ÷ int as the correctly rounded quotient, and sums that stay exact
//! ints until a float joins them.

use model::report::Num;

/// Python's `round(x, d)`: the exact binary value of `x` rounded to `d` decimals, ties to even,
/// as the nearest f64 (`format!` rounds the exact value; `latency::round2` is `d = 2`).
pub fn round_to(x: f64, digits: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.digits$}").parse::<f64>().unwrap_or(x)
}

/// Python's `round(x)`: an int, half to even. Beyond i64 (no real file) the float stays.
pub fn round_int(x: f64) -> Num {
    let r = x.round_ties_even();
    if (-9.2e18..=9.2e18).contains(&r) {
        Num::Int(r as i64)
    } else {
        Num::Float(r)
    }
}

/// Python's `num / den` for ints: the f64 nearest to the exact quotient (ties to even), the
/// latency statistics' own division. `den` must be positive.
pub fn int_div(num: i128, den: i128) -> f64 {
    crate::latency::ratio_to_f64(num, den)
}

/// A Python number from SQLite: an int (exact) or a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PyNum {
    Int(i128),
    Float(f64),
}

impl PyNum {
    /// Python's `float(x)`: ints round half to even, like Rust's `as`.
    pub fn as_f64(self) -> f64 {
        match self {
            PyNum::Int(i) => i as f64,
            PyNum::Float(f) => f,
        }
    }

    /// `self + other`: int + int stays exact; a float makes the sum a float.
    pub fn plus(self, other: PyNum) -> PyNum {
        match (self, other) {
            (PyNum::Int(a), PyNum::Int(b)) => match a.checked_add(b) {
                Some(s) => PyNum::Int(s),
                None => PyNum::Float(a as f64 + b as f64),
            },
            (a, b) => PyNum::Float(a.as_f64() + b.as_f64()),
        }
    }

    /// `self / n` (true division).
    pub fn div_count(self, n: usize) -> f64 {
        match self {
            PyNum::Int(i) => int_div(i, n as i128),
            PyNum::Float(f) => f / n as f64,
        }
    }

    /// Python's `sum(xs)` (from int 0, left to right).
    pub fn sum(xs: impl IntoIterator<Item = PyNum>) -> PyNum {
        xs.into_iter().fold(PyNum::Int(0), PyNum::plus)
    }
}

impl From<Num> for PyNum {
    fn from(n: Num) -> PyNum {
        match n {
            Num::Int(i) => PyNum::Int(i128::from(i)),
            Num::Float(f) => PyNum::Float(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::latency::round2;

    #[test]
    fn round_to_is_pythons_round() {
        for x in [0.125, 0.375, 2.675, 454.79999999999995, 1.005, -0.125, 12345678.915, 87.16499999, 36.005] {
            assert_eq!(round_to(x, 2).to_bits(), round2(x).to_bits(), "{x}");
        }
        assert_eq!(round_to(12.45, 1), 12.4); // 12.45 is stored below the tie
        assert_eq!(round_to(0.25, 1), 0.2); // an exact tie: to even
        assert_eq!(round_to(0.35, 1), 0.3); // stored below the tie
        assert_eq!(round_to(624.96, 1), 625.0);
        assert!(round_to(f64::NAN, 1).is_nan());
    }

    #[test]
    fn round_int_is_half_to_even() {
        assert_eq!(round_int(2.5), Num::Int(2));
        assert_eq!(round_int(3.5), Num::Int(4));
        assert_eq!(round_int(-2.5), Num::Int(-2));
        assert_eq!(round_int(38650942922.6), Num::Int(38650942923));
        assert_eq!(round_int(1e30), Num::Float(1e30));
    }

    #[test]
    fn int_division_is_correctly_rounded() {
        // Values computed with Python's true division of ints.
        assert_eq!(int_div(7, 2), 3.5);
        assert_eq!(int_div((1i128 << 60) + 1, 3), 3.843071682022823e17);
        assert_eq!(int_div((1i128 << 53) + 1, 1), 9007199254740992.0);
        assert_eq!(int_div((1i128 << 53) + 3, 1), 9007199254740996.0);
        assert_eq!(int_div(-((1i128 << 60) + 1), 3), -3.843071682022823e17);
        assert_eq!(int_div(2319872 * 8, 3_600_000_000), 0.005155271111111111);
        assert_eq!(int_div(1, 3600), 1.0 / 3600.0);
    }

    #[test]
    fn sums_stay_exact_until_a_float_joins() {
        let big = PyNum::Int(i64::MAX as i128);
        assert_eq!(PyNum::sum([big, big, PyNum::Int(1)]), PyNum::Int(2 * i64::MAX as i128 + 1));
        assert_eq!(PyNum::sum([PyNum::Int(1), PyNum::Float(0.5)]), PyNum::Float(1.5));
        assert_eq!(PyNum::Int(10).div_count(4), 2.5);
        assert_eq!(PyNum::Float(10.0).div_count(4), 2.5);
    }
}
