//! The report types. Their JSON is exactly ANALYTICS section 10 (key order included): fields are
//! declared in output order and maps keep insertion order ([`OrderedMap`]).

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::indexes::IndexReport;
use super::latency::{HistogramBucket, LatencyStats};

pub const REPORT_FORMAT: &str = "storj-analytics-report/1";

/// A JSON object whose keys keep the order they were inserted in.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap(Vec::new())
    }
}

impl<V> OrderedMap<V> {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn insert(&mut self, key: impl Into<String>, value: V) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
    pub fn values(&self) -> impl Iterator<Item = &V> + Clone {
        self.0.iter().map(|(_, v)| v)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = a.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(OrderedMap(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format: String,
    pub now: String,
    pub current_period: String,
    pub periods: Vec<String>,
    pub config: Config,
    pub nodes: OrderedMap<NodeReport>,
    pub latency: LatencyReport,
    pub diagnostics: Diagnostics,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub pricing_egress_per_tb: f64,
    pub pricing_storage_per_tb_month: f64,
    pub pricing_repair_per_tb: f64,
    pub pricing_audit_per_tb: f64,
    pub operator_share_egress: f64,
    pub operator_share_storage: f64,
    pub operator_share_repair: f64,
    pub operator_share_audit: f64,
    pub held_schedule: Vec<HeldStep>,
    pub satellite_names: OrderedMap<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldStep {
    pub max_age_months: Option<i64>,
    pub held_fraction: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeReport {
    pub satellites: Vec<Option<String>>,
    pub node_age_months: i64,
    pub held_percentage: f64,
    pub node_start_date: Option<String>,
    pub periods: OrderedMap<PeriodReport>,
}

/// One node's figures for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodReport {
    pub is_current_period: bool,
    pub satellites: OrderedMap<SatelliteReport>,
    pub forecast: Forecast,
    pub payout: Payout,
    pub month_end_estimate: MonthEndEstimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatelliteReport {
    pub name: String,
    pub traffic: TrafficFigures,
    pub storage: StorageFigures,
    pub estimate: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficFigures {
    pub egress_bytes: i64,
    pub egress_earnings_gross: f64,
    pub egress_earnings_net: f64,
    pub repair_bytes: i64,
    pub repair_earnings_gross: f64,
    pub repair_earnings_net: f64,
    pub audit_bytes: i64,
    pub audit_earnings_gross: f64,
    pub audit_earnings_net: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageFigures {
    pub storage_bytes_hour: i64,
    pub storage_earnings_gross: f64,
    pub storage_earnings_net: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub total_earnings_gross: f64,
    pub total_earnings_net: f64,
    pub held_amount: f64,
    pub held_percentage: f64,
    pub node_age_months: i64,
    pub is_finalized: bool,
}

/// Section 7: the full forecast, or the original's fixed object for a node without satellites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Forecast {
    Full(FullForecast),
    NoData(NoDataForecast),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FullForecast {
    pub forecasted_payout: f64,
    pub forecasted_payout_before_held: f64,
    pub held_amount: f64,
    pub current_earnings: f64,
    pub extrapolation_factor: f64,
    pub confidence: f64,
    pub time_confidence: f64,
    pub data_confidence: f64,
    pub satellites: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoDataForecast {
    pub forecasted_payout: f64,
    pub confidence: f64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payout {
    pub gross: f64,
    pub held: f64,
    pub paid: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthEndEstimate {
    pub method: String,
    pub elapsed_fraction: f64,
    pub estimate: f64,
}

/// Latency results keyed by view, then window (hours), then bucket size (sections 8 and 9).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LatencyReport {
    pub stats: OrderedMap<OrderedMap<LatencyStats>>,
    pub histograms: OrderedMap<OrderedMap<OrderedMap<Vec<HistogramBucket>>>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Diagnostics {
    pub timings_ms: OrderedMap<f64>,
    pub indexes: Vec<IndexReport>,
    pub caches: OrderedMap<CacheCounts>,
    /// Which optional parts of the file were available.
    pub available: Availability,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CacheCounts {
    pub hits: i64,
    pub misses: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Availability {
    pub storage_snapshots: bool,
    pub earnings_estimates: bool,
    pub latency: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_map_keeps_order_and_floats_stay_floats() {
        let mut m = OrderedMap::new();
        m.insert("b", 1.0);
        m.insert("a", 0.5);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"b":1.0,"a":0.5}"#);
        let back: OrderedMap<f64> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }
}
