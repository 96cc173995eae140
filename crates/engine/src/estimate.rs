//! Per-satellite estimates (section 6), the forecast (section 7), and storj-lens's payout and
//! month-end estimate (12.1). Pure functions over already aggregated figures.

use std::cmp::Ordering;

use super::node_age::NodeAge;
use super::report::{
    Estimate, Forecast, FullForecast, MonthEndEstimate, NoDataForecast, Payout, SatelliteReport, StorageFigures, TrafficFigures,
};
use super::storage::SatelliteStorage;
use super::time::{day_of_month, Micros, Period};
use super::traffic::{earnings, TrafficBytes, OPERATOR_SHARE, PRICE_AUDIT_PER_TB, PRICE_EGRESS_PER_TB, PRICE_REPAIR_PER_TB};

/// Traffic figures of section 3 from byte counts.
pub fn traffic_figures(b: TrafficBytes) -> TrafficFigures {
    let (eg, rg, ag) =
        (earnings(b.egress, PRICE_EGRESS_PER_TB), earnings(b.repair, PRICE_REPAIR_PER_TB), earnings(b.audit, PRICE_AUDIT_PER_TB));
    TrafficFigures {
        egress_bytes: b.egress,
        egress_earnings_gross: eg,
        egress_earnings_net: eg * OPERATOR_SHARE,
        repair_bytes: b.repair,
        repair_earnings_gross: rg,
        repair_earnings_net: rg * OPERATOR_SHARE,
        audit_bytes: b.audit,
        audit_earnings_gross: ag,
        audit_earnings_net: ag * OPERATOR_SHARE,
    }
}

/// One satellite's entry: traffic, storage and the estimate of section 6.
pub fn satellite_report(name: String, t: TrafficFigures, s: SatelliteStorage, age: &NodeAge, is_current: bool) -> SatelliteReport {
    let total_gross = ((t.egress_earnings_gross + t.repair_earnings_gross) + t.audit_earnings_gross) + s.gross;
    let total_net = ((t.egress_earnings_net + t.repair_earnings_net) + t.audit_earnings_net) + s.net;
    SatelliteReport {
        name,
        traffic: t,
        storage: StorageFigures { storage_bytes_hour: s.byte_hours, storage_earnings_gross: s.gross, storage_earnings_net: s.net },
        estimate: Estimate {
            total_earnings_gross: total_gross,
            total_earnings_net: total_net,
            // Held is never subtracted from the net (quirk of the original, kept).
            held_amount: total_gross * age.held_percentage,
            held_percentage: age.held_percentage,
            node_age_months: age.months,
            is_finalized: !is_current,
        },
    }
}

/// Σ of a field in satellite order, from 0.0.
fn sum<'a>(sats: impl Iterator<Item = &'a SatelliteReport>, f: impl Fn(&Estimate) -> f64) -> f64 {
    sats.fold(0.0, |acc, s| acc + f(&s.estimate))
}

/// The forecast of section 7 for one node and period.
pub fn forecast<'a>(sats: impl Iterator<Item = &'a SatelliteReport> + Clone, period: Period, now: Micros) -> Forecast {
    let n = sats.clone().count();
    if n == 0 {
        return Forecast::NoData(NoDataForecast { forecasted_payout: 0.0, confidence: 0.0, reason: "No data available".into() });
    }
    let current = sum(sats.clone(), |e| e.total_earnings_net);
    let held = sum(sats.clone(), |e| e.held_amount);
    let (factor, time_confidence) = match period.cmp(&Period::of(now)) {
        Ordering::Equal => {
            // Whole day of month, no hours (quirk of the original, kept).
            let progress = f64::from(day_of_month(now)) / period.days_in_month() as f64;
            let factor = if progress > 0.05 { 1.0 / progress } else { 1.0 };
            (factor, 0.5 + progress * 0.5)
        }
        Ordering::Less => (1.0, 1.0),
        Ordering::Greater => (1.0, 0.3),
    };
    let forecast = if factor == 1.0 { current } else { current * factor };
    let data_confidence = if sats.clone().any(|s| s.storage.storage_bytes_hour > 0) { 1.0 } else { 0.7 };
    Forecast::Full(FullForecast {
        forecasted_payout: forecast,
        // Held is added to a total it was never taken from (quirk of the original, kept).
        forecasted_payout_before_held: forecast + held * factor,
        held_amount: held * factor,
        current_earnings: current,
        extrapolation_factor: factor,
        confidence: time_confidence * data_confidence,
        time_confidence,
        data_confidence,
        satellites: n as i64,
    })
}

/// What the operator receives: gross minus held (12.1).
pub fn payout<'a>(sats: impl Iterator<Item = &'a SatelliteReport> + Clone) -> Payout {
    let gross = sum(sats.clone(), |e| e.total_earnings_gross);
    let held = sum(sats, |e| e.held_amount);
    Payout { gross, held, paid: gross - held }
}

/// The month-end estimate by elapsed seconds (12.1).
pub fn month_end_estimate<'a>(sats: impl Iterator<Item = &'a SatelliteReport>, period: Period, now: Micros) -> MonthEndEstimate {
    let current = sum(sats, |e| e.total_earnings_net);
    let elapsed = ((now - period.start()) as f64 / 1e6) / ((period.days_in_month() * 86400) as f64);
    let elapsed_fraction = elapsed.clamp(0.0, 1.0);
    let is_current = period == Period::of(now);
    let estimate = if is_current && elapsed_fraction >= 0.01 { current / elapsed_fraction } else { current };
    MonthEndEstimate { method: "elapsed-seconds".into(), elapsed_fraction, estimate }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    fn at(s: &str) -> Micros {
        parse_timestamp(s).unwrap().instant().unwrap()
    }

    fn sat(net: f64, held: f64, bh: i64) -> SatelliteReport {
        let age = NodeAge { months: 6, held_percentage: 0.5, start_date: None };
        let mut s = satellite_report(
            "x".into(),
            traffic_figures(TrafficBytes::default()),
            SatelliteStorage { byte_hours: bh, gross: net, net },
            &age,
            true,
        );
        s.estimate.held_amount = held;
        s
    }

    fn full(f: Forecast) -> FullForecast {
        match f {
            Forecast::Full(f) => f,
            Forecast::NoData(_) => panic!("expected a full forecast"),
        }
    }

    #[test]
    fn estimate_never_reduces_net_by_held() {
        let age = NodeAge { months: 2, held_percentage: 0.75, start_date: None };
        let t = traffic_figures(TrafficBytes { egress: 1 << 40, repair: 0, audit: 0 });
        let s = satellite_report("x".into(), t, SatelliteStorage { byte_hours: 1, gross: 1.0, net: 1.0 }, &age, false);
        assert_eq!(s.estimate.total_earnings_net, 3.0);
        assert_eq!(s.estimate.held_amount, 2.25);
        assert!(s.estimate.is_finalized);
    }

    #[test]
    fn empty_satellite_list_gives_the_fixed_forecast() {
        let p = Period::parse("2025-10").unwrap();
        let f = forecast([].iter(), p, at("2025-10-10T12:00:00+00:00"));
        assert_eq!(serde_json::to_string(&f).unwrap(), r#"{"forecasted_payout":0.0,"confidence":0.0,"reason":"No data available"}"#);
    }

    #[test]
    fn day_one_never_extrapolates_day_two_does() {
        let p = Period::parse("2025-10").unwrap();
        let sats = [sat(1.0, 0.5, 0)];
        let d1 = full(forecast(sats.iter(), p, at("2025-10-01T23:59:59+00:00")));
        assert_eq!((d1.extrapolation_factor, d1.forecasted_payout), (1.0, 1.0));
        assert_eq!(d1.data_confidence, 0.7);
        let d2 = full(forecast(sats.iter(), p, at("2025-10-02T00:00:00+00:00")));
        assert_eq!(d2.extrapolation_factor, 15.5);
        assert_eq!(d2.forecasted_payout_before_held, 15.5 + 0.5 * 15.5);
    }

    #[test]
    fn past_and_future_periods() {
        let now = at("2025-10-10T12:00:00+00:00");
        let sats = [sat(1.0, 0.5, 10)];
        let past = full(forecast(sats.iter(), Period::parse("2024-12").unwrap(), now));
        assert_eq!((past.extrapolation_factor, past.time_confidence, past.confidence), (1.0, 1.0, 1.0));
        let future = full(forecast(sats.iter(), Period::parse("2026-01").unwrap(), now));
        assert_eq!((future.extrapolation_factor, future.time_confidence), (1.0, 0.3));
    }

    #[test]
    fn fixture_time_figures() {
        let now = at("2025-10-10T12:00:00+00:00");
        let oct = Period::parse("2025-10").unwrap();
        let f = full(forecast([sat(1.0, 0.0, 1)].iter(), oct, now));
        assert_eq!(f.extrapolation_factor, 3.1);
        assert_eq!(f.time_confidence, 0.6612903225806451);
        assert_eq!(month_end_estimate([].iter(), oct, now).elapsed_fraction, 0.3064516129032258);
        let sep = month_end_estimate([sat(2.0, 0.0, 1)].iter(), Period::parse("2025-09").unwrap(), now);
        assert_eq!((sep.elapsed_fraction, sep.estimate), (1.0, 2.0));
        // Less than 1 % elapsed: no extrapolation.
        let early = month_end_estimate([sat(2.0, 0.0, 1)].iter(), oct, at("2025-10-01T01:00:00+00:00"));
        assert_eq!(early.estimate, 2.0);
        let future = month_end_estimate([sat(2.0, 0.0, 1)].iter(), Period::parse("2025-11").unwrap(), now);
        assert_eq!((future.elapsed_fraction, future.estimate), (0.0, 2.0));
    }

    #[test]
    fn payout_is_gross_minus_held() {
        let p = payout([sat(1.0, 0.25, 0), sat(2.0, 0.5, 0)].iter());
        assert_eq!((p.gross, p.held, p.paid), (3.0, 0.75, 2.25));
    }
}
