//! Deterministic numerics for the generator.
//!
//! Only IEEE basic operations (+, -, *, /, sqrt, round, floor), which are correctly rounded on
//! every target, so a seed gives the same bytes natively and in wasm. `f64::exp` / `f64::ln`
//! come from the platform's libm and may differ in the last bit between targets.

/// SplitMix64 step: derives independent stream seeds from the user's seed.
pub fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed.wrapping_add(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const LN2: f64 = core::f64::consts::LN_2;
const LOG2_E: f64 = core::f64::consts::LOG2_E;

/// e^x to about 1e-15 relative, from basic operations only.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    if x < -708.0 {
        return 0.0;
    }
    let k = (x * LOG2_E).round();
    let r = (x - k * LN2_HI) - k * LN2_LO; // |r| <= ~0.347
                                           // Taylor series to r^13 (remainder < 1e-17 for |r| <= 0.35), Horner form.
    let mut p = 1.0 / 6_227_020_800.0; // 1/13!
    const INV_FACT: [f64; 13] = [
        1.0 / 479_001_600.0,
        1.0 / 39_916_800.0,
        1.0 / 3_628_800.0,
        1.0 / 362_880.0,
        1.0 / 40_320.0,
        1.0 / 5_040.0,
        1.0 / 720.0,
        1.0 / 120.0,
        1.0 / 24.0,
        1.0 / 6.0,
        1.0 / 2.0,
        1.0,
        1.0,
    ];
    for c in INV_FACT {
        p = p * r + c;
    }
    // 2^k, k in [-1022, 1023] here.
    let k = k as i64;
    p * f64::from_bits(((k + 1023) as u64) << 52)
}

/// Natural logarithm of x > 0 (normal numbers), to about 1e-15 relative.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    let mut x = x;
    let mut e: i64 = 0;
    if x < f64::MIN_POSITIVE {
        x *= 18_014_398_509_481_984.0; // 2^54
        e -= 54;
    }
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000); // [1, 2)
    if m > core::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut p = 1.0 / 23.0;
    for d in [21.0, 19.0, 17.0, 15.0, 13.0, 11.0, 9.0, 7.0, 5.0, 3.0, 1.0] {
        p = p * s2 + 1.0 / d;
    }
    (e as f64) * LN2 + 2.0 * s * p
}

/// The generator's random source: fastrand's wyrand with a few distributions on top.
pub struct Rand {
    rng: fastrand::Rng,
    spare_normal: Option<f64>,
}

impl Rand {
    pub fn new(seed: u64) -> Self {
        Rand { rng: fastrand::Rng::with_seed(seed), spare_normal: None }
    }

    #[inline]
    pub fn u64(&mut self) -> u64 {
        self.rng.u64(..)
    }

    /// Uniform in [0, n) for n >= 1 (Lemire's method, identical on every target).
    #[inline]
    pub fn below(&mut self, n: u64) -> u64 {
        self.rng.u64(0..n.max(1))
    }

    /// Uniform in [lo, hi] (inclusive).
    #[inline]
    pub fn range_i64(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.i64(lo..=hi)
    }

    /// Uniform in [0, 1) with 53 random bits.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in (0, 1].
    #[inline]
    pub fn unit_open0(&mut self) -> f64 {
        1.0 - self.unit()
    }

    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in [lo, hi).
    #[inline]
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Standard normal (Marsaglia's polar method).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.unit() - 1.0;
            let v = 2.0 * self.unit() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let f = (-2.0 * ln(s) / s).sqrt();
                self.spare_normal = Some(v * f);
                return u * f;
            }
        }
    }

    /// Log-normal with the given median and log-space standard deviation.
    #[inline]
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * exp(sigma * self.normal())
    }

    /// Pareto with scale `xm` and shape `alpha`: heavy tail.
    #[inline]
    pub fn pareto(&mut self, xm: f64, alpha: f64) -> f64 {
        xm * exp(-ln(self.unit_open0()) / alpha)
    }

    /// Index into a cumulative table of thresholds (ascending, last = total).
    #[inline]
    pub fn pick(&mut self, cumulative: &[u32]) -> usize {
        let total = *cumulative.last().unwrap_or(&1);
        let x = self.rng.u32(0..total.max(1));
        cumulative.iter().position(|&c| x < c).unwrap_or(cumulative.len() - 1)
    }
}

/// Turns weights into cumulative integer thresholds for [`Rand::pick`].
pub fn cumulative(weights: &[f64]) -> Vec<u32> {
    let total: f64 = weights.iter().sum();
    let scale = 1_000_000.0 / total;
    let mut acc = 0.0;
    let mut out = Vec::with_capacity(weights.len());
    for w in weights {
        acc += w * scale;
        out.push(acc.round() as u32);
    }
    if let Some(last) = out.last_mut() {
        *last = 1_000_000;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_ln_match_std() {
        let mut x = -50.0;
        while x < 50.0 {
            let a = exp(x);
            let b = x.exp();
            assert!(((a - b) / b).abs() < 1e-14, "exp({x}) = {a} vs {b}");
            x += 0.0137;
        }
        for &x in &[1e-300, 1e-10, 0.001, 0.5, 0.999, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300] {
            let a = ln(x);
            let b = x.ln();
            assert!((a - b).abs() <= 1e-14 * b.abs().max(1.0), "ln({x}) = {a} vs {b}");
        }
    }

    #[test]
    fn normal_moments() {
        let mut r = Rand::new(7);
        let n = 200_000;
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let z = r.normal();
            s += z;
            s2 += z * z;
        }
        let mean = s / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "{mean} {var}");
    }
}
