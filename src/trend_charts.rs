//! Plain SVG for the trend panels: a time-series line chart (reputation, storage) with gaps where
//! a value is missing, threshold lines, and hover values as `<title>`s of transparent strips, one
//! per instant.
//!
//! A wide chart is drawn twice, [`wide_and_narrow`]: 760 units wide for wide screens and 400 for
//! phones (CSS shows one), so that neither is squashed flat nor has unreadable labels.

use leptos::prelude::*;

pub const HOUR_MS: f64 = 3_600_000.0;

/// One line of a chart: the instants that have a value, oldest first.
#[derive(Clone)]
pub struct Line {
    /// CSS class of its colour and dash pattern (`s0`…`s4`, `used`, `trash`, `free`).
    pub class: String,
    pub points: Vec<(f64, f64)>,
}

/// A labelled tick: position (ms or value) and label.
#[derive(Clone)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// A horizontal reference line ("85 warning").
#[derive(Clone)]
pub struct Threshold {
    pub value: f64,
    pub label: String,
    /// `warning` or `critical`.
    pub class: &'static str,
}

/// Everything a time chart draws.
#[derive(Clone)]
pub struct TimeChart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// The x range in milliseconds since the epoch.
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub lines: Vec<Line>,
    /// Two points of a line further apart than this are not joined (a gap in the data).
    pub max_gap_ms: f64,
    /// The hover text of each instant, oldest first.
    pub hovers: Vec<(f64, String)>,
    pub thresholds: Vec<Threshold>,
    pub aria_label: String,
}

/// Hover strips per chart at most (see [`time_chart`]).
const MAX_HOVER_STRIPS: usize = 240;

/// Draws `c` as an `<svg>`.
pub fn time_chart(c: TimeChart) -> impl IntoView {
    let TimeChart { width, height, left, right, top, bottom, x_range, y_range, .. } = c;
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let span = (x_range.1 - x_range.0).max(1.0);
    let y_span = (y_range.1 - y_range.0).max(f64::MIN_POSITIVE);
    let x = move |ms: f64| left + (ms - x_range.0) / span * plot_w;
    let y = move |v: f64| top + plot_h - (v - y_range.0) / y_span * plot_h;
    let bottom_y = top + plot_h;

    let y_ticks = c.y_ticks.iter().map(|t| {
        view! {
            <g class="tick">
                <line x1=left x2=width - right y1=y(t.at) y2=y(t.at) />
                <text x=left - 6.0 y=y(t.at) + 4.0 text-anchor="end">{t.label.clone()}</text>
            </g>
        }
    });
    let x_ticks = c.x_ticks.iter().filter(|t| t.at >= x_range.0 && t.at <= x_range.1).map(|t| {
        let at = x(t.at);
        // Labels at the ends stay inside the drawing.
        let anchor = if at > width - right - 18.0 {
            "end"
        } else if at < left + 18.0 {
            "start"
        } else {
            "middle"
        };
        view! {
            <g class="tick">
                <line x1=at x2=at y1=top y2=bottom_y />
                <text class="xl" x=at y=bottom_y + 16.0 text-anchor=anchor>{t.label.clone()}</text>
            </g>
        }
    });
    let thresholds = c.thresholds.iter().filter(|t| t.value >= y_range.0 && t.value <= y_range.1).map(|t| {
        view! {
            <g class=format!("threshold {}", t.class)>
                <line x1=left x2=width - right y1=y(t.value) y2=y(t.value) />
                <text x=width - right - 2.0 y=y(t.value) - 3.0 text-anchor="end">{t.label.clone()}</text>
            </g>
        }
    });
    let max_gap = c.max_gap_ms;
    let lines = c.lines.into_iter().map(|line| {
        let segments = segments(&line.points, max_gap);
        let mut d = String::new();
        let mut dots = Vec::new();
        for seg in &segments {
            if seg.len() == 1 {
                dots.push(seg[0]);
                continue;
            }
            for (i, (t, v)) in seg.iter().enumerate() {
                d.push_str(&format!("{}{:.1} {:.1} ", if i == 0 { "M" } else { "L" }, x(*t), y(*v)));
            }
        }
        view! {
            <g class=format!("series {}", line.class)>
                <path class="ln" d=d.trim_end().to_string() />
                {dots.into_iter().map(|(t, v)| view! { <circle class="dot" cx=x(t) cy=y(v) r="2.5" /> }).collect_view()}
            </g>
        }
    });
    // Hover strips: each instant owns the band halfway to its neighbours. At most
    // MAX_HOVER_STRIPS of them, evenly picked: a week of 10-minute snapshots would be a
    // thousand rectangles per chart, drawn again on every change of node, for bands narrower
    // than a pixel.
    let step = c.hovers.len().div_ceil(MAX_HOVER_STRIPS).max(1);
    let hovers: Vec<_> = c.hovers.into_iter().step_by(step).collect();
    let strips = (0..hovers.len()).map(|i| {
        let at = x(hovers[i].0);
        let lo = if i == 0 { left } else { (at + x(hovers[i - 1].0)) / 2.0 };
        let hi = if i + 1 == hovers.len() { width - right } else { (at + x(hovers[i + 1].0)) / 2.0 };
        let (lo, hi) = (lo.clamp(left, width - right), hi.clamp(left, width - right));
        view! {
            <rect class="hover" x=lo y=top width=(hi - lo).max(0.5) height=plot_h>
                <title>{hovers[i].1.clone()}</title>
            </rect>
        }
    });
    view! {
        <svg viewBox=format!("0 0 {width} {height}") role="img" aria-label=c.aria_label>
            {y_ticks.collect_view()}
            {x_ticks.collect_view()}
            {thresholds.collect_view()}
            <line class="axis" x1=left x2=width - right y1=bottom_y y2=bottom_y />
            {lines.collect_view()}
            {strips.collect_view()}
        </svg>
    }
}

/// The time two points of a line may be apart and still be joined: three typical intervals, at least 2 h.
pub fn max_gap(times: &[f64]) -> f64 {
    let mut steps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).filter(|d| *d > 0.0).collect();
    steps.sort_by(f64::total_cmp);
    let typical = steps.get(steps.len() / 2).copied().unwrap_or(HOUR_MS);
    (typical * 3.0).max(2.0 * HOUR_MS)
}

/// Splits points (oldest first) where two neighbours are more than `max_gap` apart.
fn segments(points: &[(f64, f64)], max_gap: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    for p in points {
        match out.last_mut() {
            Some(seg) if seg.last().is_some_and(|q| p.0 - q.0 <= max_gap) => seg.push(*p),
            _ => out.push(vec![*p]),
        }
    }
    out
}

/// Round ticks covering `lo..=hi` (about five steps of 1, 2 or 5 × 10^k).
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 1.0, lo + 1.0) };
    let step = nice_step((hi - lo) / 5.0);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// The smallest of 1, 2, 5 × 10^k that is ≥ `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw * (1.0 - 1e-9)).unwrap_or(10.0 * mag)
}

/// The step between ticks made by [`nice_ticks`].
pub fn tick_step(ticks: &[f64]) -> f64 {
    match ticks {
        [a, b, ..] => b - a,
        _ => 1.0,
    }
}

/// A tick value with as many decimals as its step needs ("0.004", "95", "2.5").
pub fn tick_text(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 - 1e-9 { 0 } else { (-step.log10() - 1e-6).ceil() as usize };
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
        s[1..].to_string()
    } else {
        s
    }
}

/// Ticks every `step_ms` on the viewer's local clock (whole hours, local midnights) within
/// `from..=to`.
pub fn time_ticks(from: f64, to: f64, step_ms: f64, label: impl Fn(f64) -> String) -> Vec<Tick> {
    let mut ticks = Vec::new();
    if to.partial_cmp(&from) != Some(std::cmp::Ordering::Greater) || step_ms <= 0.0 {
        return ticks;
    }
    let offset = crate::trends::local_offset_ms(from);
    let mut local = ((from + offset) / step_ms).ceil() * step_ms;
    while local - offset <= to && ticks.len() < 400 {
        // The offset at the tick itself (daylight saving time changes within the range).
        let at = local - crate::trends::local_offset_ms(local - offset);
        ticks.push(Tick { at, label: label(at) });
        local += step_ms;
    }
    ticks
}

/// The legend key of a line: a short sample with its colour and dash pattern.
pub fn line_key(class: String, label: String) -> impl IntoView {
    view! {
        <span class="line-key">
            <svg class="key" viewBox="0 0 26 10" width="26" height="10" aria-hidden="true">
                <g class=format!("series {class}")><line class="ln" x1="1" x2="25" y1="5" y2="5" /></g>
            </svg>
            {label}
        </span>
    }
}

/// The wide or the narrow drawing of one chart, whichever fits the screen now (and again when
/// it changes, [`crate::app::AppState::narrow`]): drawing both and hiding one with CSS cost twice
/// the time on every change of node.
pub fn wide_and_narrow<W, N>(wide: impl Fn() -> W + Send + Sync + 'static, narrow: impl Fn() -> N + Send + Sync + 'static) -> impl IntoView
where
    W: IntoView + 'static,
    N: IntoView + 'static,
{
    let screen = expect_context::<crate::app::AppState>().narrow;
    move || {
        if screen.get() {
            view! { <div class="narrow-only">{narrow()}</div> }.into_any()
        } else {
            view! { <div class="wide-only">{wide()}</div> }.into_any()
        }
    }
}
