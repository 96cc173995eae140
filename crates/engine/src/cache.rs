//! TTL caches of ANALYTICS 12.7 over an injectable clock, with hit/miss counters and
//! stale-if-error for the satellite list.

use std::collections::HashMap;
use std::hash::Hash;

use super::report::CacheCounts;

/// A millisecond source. The engine's analytics never read a clock themselves:
/// `std::time::Instant` panics on wasm32-unknown-unknown, so the caller injects one (natively
/// [`StdClock`] over [`monotonic_ms`], in the worker `performance.now()`, in tests a fake one).
pub trait Clock {
    fn now_ms(&self) -> f64;
}

/// A clock from a plain function (e.g. `performance.now()` in wasm, [`monotonic_ms`] natively).
pub struct FnClock(pub fn() -> f64);

impl Clock for FnClock {
    fn now_ms(&self) -> f64 {
        (self.0)()
    }
}

/// A clock that only moves when told to: for tests.
#[derive(Clone, Default)]
pub struct ManualClock(pub std::rc::Rc<std::cell::Cell<f64>>);

impl ManualClock {
    pub fn advance_ms(&self, ms: f64) {
        self.0.set(self.0.get() + ms);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> f64 {
        self.0.get()
    }
}

/// The native monotonic clock, the one every native caller measures with (the CLI's deadlines
/// and timings, the tests' [`StdClock`]): milliseconds since the first call in this process.
/// Only differences mean anything. Not in wasm, where `Instant` panics: the worker passes the
/// browser's `performance.now()` instead.
#[cfg(not(target_arch = "wasm32"))]
pub fn monotonic_ms() -> f64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}

/// [`monotonic_ms`] as a [`Clock`].
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Default)]
pub struct StdClock;

#[cfg(not(target_arch = "wasm32"))]
impl StdClock {
    pub fn new() -> StdClock {
        StdClock
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for StdClock {
    fn now_ms(&self) -> f64 {
        monotonic_ms()
    }
}

pub const MINUTE_MS: f64 = 60_000.0;
pub const SATELLITES_TTL_MS: f64 = 5.0 * MINUTE_MS;
pub const EARNINGS_CURRENT_TTL_MS: f64 = 5.0 * MINUTE_MS;
pub const LATENCY_TTL_MS: f64 = 2.0 * MINUTE_MS;

struct Entry<V> {
    value: V,
    stored_ms: f64,
    /// `None`: never expires (closed periods).
    ttl_ms: Option<f64>,
}

impl<V> Entry<V> {
    fn fresh(&self, now_ms: f64) -> bool {
        self.ttl_ms.is_none_or(|ttl| now_ms - self.stored_ms < ttl)
    }
}

/// A TTL cache that counts each lookup as a hit or a miss.
pub struct TtlCache<K, V> {
    entries: HashMap<K, Entry<V>>,
    pub counts: CacheCounts,
}

impl<K, V> Default for TtlCache<K, V> {
    fn default() -> Self {
        TtlCache { entries: HashMap::new(), counts: CacheCounts::default() }
    }
}

/// How a value was obtained from [`TtlCache::get_or_refresh`].
#[derive(Debug, Clone, PartialEq)]
pub enum Served<V, E> {
    Hit(V),
    Fresh(V),
    /// The refresh failed and the last good value (expired) was served.
    Stale(V, E),
    /// The refresh failed and there was no earlier value.
    Failed(E),
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    /// One lookup: a fresh entry is a hit; otherwise `compute` runs (a miss) and its value is stored.
    pub fn get_or_try<E>(&mut self, key: &K, now_ms: f64, ttl_ms: Option<f64>, compute: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        if let Some(e) = self.entries.get(key).filter(|e| e.fresh(now_ms)) {
            self.counts.hits += 1;
            return Ok(e.value.clone());
        }
        self.counts.misses += 1;
        let value = compute()?;
        self.entries.insert(key.clone(), Entry { value: value.clone(), stored_ms: now_ms, ttl_ms });
        Ok(value)
    }

    /// Like [`get_or_try`](Self::get_or_try), but a failed refresh serves the last good value
    /// however old (stale-if-error); that value stays stored so the next lookup retries.
    pub fn get_or_refresh<E>(&mut self, key: &K, now_ms: f64, ttl_ms: Option<f64>, compute: impl FnOnce() -> Result<V, E>) -> Served<V, E> {
        if let Some(e) = self.entries.get(key).filter(|e| e.fresh(now_ms)) {
            self.counts.hits += 1;
            return Served::Hit(e.value.clone());
        }
        self.counts.misses += 1;
        match compute() {
            Ok(value) => {
                self.entries.insert(key.clone(), Entry { value: value.clone(), stored_ms: now_ms, ttl_ms });
                Served::Fresh(value)
            }
            Err(err) => match self.entries.get(key) {
                Some(old) => Served::Stale(old.value.clone(), err),
                None => Served::Failed(err),
            },
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_and_misses_are_counted() {
        let mut c: TtlCache<&str, i32> = TtlCache::default();
        let mut calls = 0;
        for _ in 0..3 {
            let v = c.get_or_try::<()>(&"k", 0.0, Some(1000.0), || {
                calls += 1;
                Ok(7)
            });
            assert_eq!(v, Ok(7));
        }
        assert_eq!(calls, 1);
        assert_eq!(c.counts, CacheCounts { hits: 2, misses: 1 });
    }

    #[test]
    fn ttl_expiry_with_a_fake_clock() {
        let clock = ManualClock::default();
        let mut c: TtlCache<u8, u32> = TtlCache::default();
        let mut n = 0;
        let mut get = |c: &mut TtlCache<u8, u32>, ttl| {
            c.get_or_try::<()>(&1, clock.now_ms(), ttl, || {
                n += 1;
                Ok(n)
            })
            .unwrap()
        };
        assert_eq!(get(&mut c, Some(LATENCY_TTL_MS)), 1);
        clock.advance_ms(LATENCY_TTL_MS - 1.0);
        assert_eq!(get(&mut c, Some(LATENCY_TTL_MS)), 1);
        clock.advance_ms(1.0);
        assert_eq!(get(&mut c, Some(LATENCY_TTL_MS)), 2);
        // No expiry for closed periods.
        let mut closed: TtlCache<u8, u32> = TtlCache::default();
        closed.get_or_try::<()>(&1, 0.0, None, || Ok(5)).unwrap();
        assert_eq!(closed.get_or_try::<()>(&1, 1e12, None, || Ok(6)).unwrap(), 5);
        assert_eq!(c.counts, CacheCounts { hits: 1, misses: 2 });
    }

    #[test]
    fn stale_if_error() {
        let mut c: TtlCache<u8, Vec<u8>> = TtlCache::default();
        assert_eq!(c.get_or_refresh(&1, 0.0, Some(10.0), || Err::<Vec<u8>, _>("down")), Served::Failed("down"));
        assert_eq!(c.get_or_refresh::<&str>(&1, 0.0, Some(10.0), || Ok(vec![1])), Served::Fresh(vec![1]));
        assert_eq!(c.get_or_refresh(&1, 5.0, Some(10.0), || Err::<Vec<u8>, _>("down")), Served::Hit(vec![1]));
        assert_eq!(c.get_or_refresh(&1, 50.0, Some(10.0), || Err::<Vec<u8>, _>("down")), Served::Stale(vec![1], "down"));
        assert_eq!(c.get_or_refresh::<&str>(&1, 60.0, Some(10.0), || Ok(vec![2])), Served::Fresh(vec![2]));
        assert_eq!(c.counts, CacheCounts { hits: 1, misses: 4 });
        c.clear();
        assert!(c.is_empty());
    }
}
