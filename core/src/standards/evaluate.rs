//! Evaluating one indicator (达标判定): its status and the gap in natural units (issue 14; RULES E7).
//!
//! Statuses: `met`, `not_met`, `in_progress` (a count whose period is not over and not yet reached, or
//! a cadence with no completed sub-period yet), `no_data` (no input; a share over a denominator of 0),
//! `no_threshold` (the seed sets no number, or the rule set removed it: the value is shown, it never
//! decides). All arithmetic is exact ([`Exact`]).
//!
//! The gap (差距):
//! - share "≥ t": ⌈t × den⌉ − num; "> t": ⌊t × den⌋ + 1 − num; "≤ t": num − ⌊t × den⌋; "< t":
//!   num − (⌈t × den⌉ − 1); "= t": |num − t × den| — in the numerator's unit (SIX-29: 18 of 200 against
//!   10% → ⌈20⌉ − 18 = 2 volunteers). Rounding applies to whole counts; when num or den is not a whole
//!   number (m², yuan) the gap is the exact difference t × den − num.
//! - count: what is missing (t − n) of the events dated in the period — the calendar `year` for a yearly
//!   row, every date up to `as_of` otherwise.
//! - cadence: the shortfall summed over the completed sub-periods of the year, the short ones named;
//!   the current, unfinished sub-period is shown (`current`) but does not decide.
//! - quantity: the difference in its unit (t − value for "≥", value − t for "≤", |value − t| for "=",
//!   value − max above a range; "> t" and "< t" between whole numbers need one more: t + 1 − value,
//!   value − (t − 1)).
//!
//! Dates after `as_of` are not counted.

use super::catalogue::{Comparator, Indicator, Kind, Period};
use super::periods::sub_periods;
use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::exact::Exact;
use serde::Serialize;
use serde_json::Value;

/// One indicator's input (输入).
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// `{"num":n,"den":d}`.
    Share { num: Exact, den: Exact },
    /// `{"dates":["YYYY-MM-DD",…]}`: the dated events of a count or cadence.
    Dates(Vec<Date>),
    /// `{"value":x}`.
    Value(Exact),
    /// `{"done":bool}`.
    Done(bool),
}

impl Input {
    /// Reads the input of an indicator of `kind` from JSON; `field` is its place in the request
    /// (`inputs.SIX-29`), named by every error. `null` is no input.
    pub fn from_json(kind: Kind, v: &Value, field: &str) -> Result<Option<Input>, RuleError> {
        let bad =
            |detail: &str| RuleError::field(ErrorCode::InvalidRequest, field).with_detail(detail);
        if v.is_null() {
            return Ok(None);
        }
        let Some(obj) = v.as_object() else {
            return Err(bad(expected(kind)));
        };
        let keys: Vec<&str> = match kind {
            Kind::Share => vec!["num", "den"],
            Kind::Count | Kind::Cadence => vec!["dates"],
            Kind::Quantity => vec!["value"],
            Kind::Checklist => vec!["done"],
        };
        if let Some(k) = obj.keys().find(|k| !keys.contains(&k.as_str())) {
            return Err(
                RuleError::field(ErrorCode::InvalidRequest, format!("{field}.{k}"))
                    .with_detail(expected(kind)),
            );
        }
        let number = |k: &str| -> Result<Exact, RuleError> {
            let f = format!("{field}.{k}");
            match obj.get(k) {
                None | Some(Value::Null) => Err(RuleError::field(ErrorCode::Required, f)),
                Some(v) => match Exact::from_json(v) {
                    Some(Ok(x)) if !x.is_negative() => Ok(x),
                    Some(Ok(_)) => {
                        Err(RuleError::field(ErrorCode::OutOfRange, f).with_detail("≥ 0"))
                    }
                    Some(Err(e)) => {
                        Err(RuleError::field(ErrorCode::InvalidRequest, f).with_detail(e))
                    }
                    None => Err(RuleError::field(ErrorCode::InvalidRequest, f)
                        .with_detail("expected a number")),
                },
            }
        };
        Ok(Some(match kind {
            Kind::Share => Input::Share {
                num: number("num")?,
                den: number("den")?,
            },
            Kind::Quantity => Input::Value(number("value")?),
            Kind::Checklist => match obj.get("done") {
                Some(Value::Bool(b)) => Input::Done(*b),
                None | Some(Value::Null) => {
                    return Err(RuleError::field(
                        ErrorCode::Required,
                        format!("{field}.done"),
                    ));
                }
                Some(_) => {
                    return Err(RuleError::field(
                        ErrorCode::InvalidRequest,
                        format!("{field}.done"),
                    )
                    .with_detail("expected true or false"));
                }
            },
            Kind::Count | Kind::Cadence => {
                let f = format!("{field}.dates");
                let list = match obj.get("dates") {
                    None | Some(Value::Null) => {
                        return Err(RuleError::field(ErrorCode::Required, f));
                    }
                    Some(Value::Array(a)) => a,
                    Some(_) => {
                        return Err(RuleError::field(ErrorCode::InvalidRequest, f)
                            .with_detail("expected a list of dates"));
                    }
                };
                let mut dates = Vec::with_capacity(list.len());
                for (i, d) in list.iter().enumerate() {
                    let date = d
                        .as_str()
                        .and_then(|s| Date::parse(s).ok())
                        .ok_or_else(|| {
                            RuleError::field(ErrorCode::InvalidDate, format!("{f}[{i}]"))
                        })?;
                    dates.push(date);
                }
                Input::Dates(dates)
            }
        }))
    }
}

impl Input {
    /// Whether this input is of the shape an indicator of `kind` takes.
    pub fn fits(&self, kind: Kind) -> bool {
        matches!(
            (kind, self),
            (Kind::Share, Input::Share { .. })
                | (Kind::Count | Kind::Cadence, Input::Dates(_))
                | (Kind::Quantity, Input::Value(_))
                | (Kind::Checklist, Input::Done(_))
        )
    }
}

pub(crate) fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Share => "a share is {\"num\":n,\"den\":d}",
        Kind::Count => "a count is {\"dates\":[\"YYYY-MM-DD\",…]}",
        Kind::Cadence => "a cadence is {\"dates\":[\"YYYY-MM-DD\",…]}",
        Kind::Quantity => "a quantity is {\"value\":x}",
        Kind::Checklist => "a checklist item is {\"done\":true|false}",
    }
}

/// 状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    InProgress,
    NoData,
    NoThreshold,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::InProgress => "in_progress",
            Status::NoData => "no_data",
            Status::NoThreshold => "no_threshold",
        }
    }
}

/// 差距: what it takes to meet the indicator, in its natural unit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// A JSON number (exact when whole, as the gaps of counts and shares of counts are).
    pub amount: Value,
    pub unit: String,
    /// Cadence: the short sub-periods (`2026-02`), or the current one while none is completed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub periods: Option<Vec<String>>,
}

/// A cadence's current, unfinished sub-period: shown, not deciding; `due` is its last day (the due
/// list's date: the residents' meeting of this quarter is due by its last day).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Current {
    pub period: String,
    pub count: u64,
    pub needed: u64,
    pub due: Date,
}

/// One indicator's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorResult {
    pub id: String,
    pub status: Status,
    /// The share as a number (display only), the count, the quantity, or true/false; null without data.
    pub value: Value,
    /// The threshold in force (the catalogue's or the rule set's), exact, as a string.
    pub threshold: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_max: Option<String>,
    pub comparator: Option<&'static str>,
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<Gap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Current>,
    /// Whether the row takes part in its group's status and the verdict (not optional, has a pass mark).
    pub decides: bool,
}

/// Evaluates one indicator against `threshold` (the one in force) for the calendar `year` as of `as_of`.
pub fn evaluate_indicator(
    ind: &Indicator,
    threshold: Option<Exact>,
    input: Option<&Input>,
    year: i32,
    as_of: Date,
) -> IndicatorResult {
    let decides = !ind.optional
        && match ind.kind {
            Kind::Checklist => !ind.no_threshold,
            _ => threshold.is_some(),
        };
    let mut r = IndicatorResult {
        id: ind.id.clone(),
        status: Status::NoData,
        value: Value::Null,
        threshold: threshold.map(|t| t.to_string()),
        threshold_max: ind.threshold_max.map(|t| t.to_string()),
        comparator: ind.comparator.map(Comparator::as_str),
        unit: ind.unit.clone(),
        gap: None,
        current: None,
        decides,
    };
    let Some(input) = input else {
        return r;
    };
    let unit = ind.unit.clone().unwrap_or_default();
    let gap = |amount: Exact, periods: Option<Vec<String>>| {
        Some(Gap {
            amount: amount.to_json_number(),
            unit: unit.clone(),
            periods,
        })
    };
    let cmp = ind.comparator.unwrap_or(Comparator::Ge);
    match (ind.kind, input) {
        (Kind::Checklist, Input::Done(done)) => {
            r.value = Value::Bool(*done);
            r.status = if ind.no_threshold {
                Status::NoThreshold
            } else if *done {
                Status::Met
            } else {
                Status::NotMet
            };
        }
        (Kind::Share, Input::Share { num, den }) => {
            let Some(value) = num.checked_div(*den) else {
                return r; // denominator 0: no data
            };
            r.value = value.to_json_number();
            let Some(t) = threshold else {
                r.status = Status::NoThreshold;
                return r;
            };
            if cmp.holds(value, t) {
                r.status = Status::Met;
            } else {
                r.status = Status::NotMet;
                let need = t.times(*den);
                let whole = num.is_integer() && den.is_integer();
                let amount = match (cmp, whole) {
                    (Comparator::Ge, true) => need.ceil().minus(*num),
                    (Comparator::Gt, true) => need.floor().plus(Exact::ONE).minus(*num),
                    (Comparator::Le, true) => num.minus(need.floor()),
                    (Comparator::Lt, true) => num.minus(need.ceil().minus(Exact::ONE)),
                    (Comparator::Ge | Comparator::Gt, false) => need.minus(*num),
                    (Comparator::Le | Comparator::Lt, false) => num.minus(need),
                    (Comparator::Eq, _) => num.minus(need).abs(),
                };
                r.gap = gap(amount, None);
            }
        }
        (Kind::Quantity, Input::Value(v)) => {
            r.value = v.to_json_number();
            let Some(t) = threshold else {
                r.status = Status::NoThreshold;
                return r;
            };
            let above_max = ind.threshold_max.filter(|max| v > max);
            if cmp.holds(*v, t) && above_max.is_none() {
                r.status = Status::Met;
            } else {
                r.status = Status::NotMet;
                // A strict comparator between whole numbers needs one more (or one fewer).
                let step = if v.is_integer() && t.is_integer() {
                    Exact::ONE
                } else {
                    Exact::ZERO
                };
                let amount = match (above_max, cmp) {
                    (Some(max), _) => v.minus(max),
                    (None, Comparator::Ge) => t.minus(*v),
                    (None, Comparator::Gt) => t.plus(step).minus(*v),
                    (None, Comparator::Le) => v.minus(t),
                    (None, Comparator::Lt) => v.minus(t.minus(step)),
                    (None, Comparator::Eq) => v.minus(t).abs(),
                };
                r.gap = gap(amount, None);
            }
        }
        (Kind::Count, Input::Dates(dates)) => {
            let (from, to) = match ind.period {
                Period::Year => (
                    Date::from_ymd(year, 1, 1),
                    Date::from_ymd(year, 12, 31).map(|d| d.min(as_of)),
                ),
                _ => (None, Some(as_of)),
            };
            let n = dates
                .iter()
                .filter(|d| from.is_none_or(|f| **d >= f) && to.is_some_and(|t| **d <= t))
                .count() as i64;
            r.value = Value::from(n);
            let Some(t) = threshold else {
                r.status = Status::NoThreshold;
                return r;
            };
            if Exact::int(n) >= t {
                r.status = Status::Met;
            } else {
                let year_open = ind.period == Period::Year
                    && Date::from_ymd(year, 12, 31).is_some_and(|end| as_of <= end);
                r.status = if year_open {
                    Status::InProgress
                } else {
                    Status::NotMet
                };
                r.gap = gap(t.minus(Exact::int(n)), None);
            }
        }
        (Kind::Cadence, Input::Dates(dates)) => {
            let t = threshold.unwrap_or(Exact::ONE);
            let needed = u64::try_from(t.numer()).unwrap_or(0);
            let subs = sub_periods(ind.period, year).unwrap_or_default();
            let counted: Vec<Date> = dates.iter().copied().filter(|d| *d <= as_of).collect();
            let (mut shortfall, mut short, mut completed, mut total) = (0u64, vec![], 0, 0u64);
            for s in subs.iter().filter(|s| s.first <= as_of) {
                let n = counted
                    .iter()
                    .filter(|d| **d >= s.first && **d <= s.last)
                    .count() as u64;
                total += n;
                if s.last < as_of {
                    completed += 1;
                    if n < needed {
                        shortfall += needed - n;
                        short.push(s.label.clone());
                    }
                } else {
                    r.current = Some(Current {
                        period: s.label.clone(),
                        count: n,
                        needed,
                        due: s.last,
                    });
                }
            }
            r.value = Value::from(total);
            if threshold.is_none() {
                r.status = Status::NoThreshold;
            } else if shortfall > 0 {
                r.status = Status::NotMet;
                r.gap = gap(Exact::int(shortfall as i64), Some(short));
            } else if completed == 0 {
                match &r.current {
                    Some(c) if c.count < c.needed => {
                        r.status = Status::InProgress;
                        r.gap = gap(
                            Exact::int((c.needed - c.count) as i64),
                            Some(vec![c.period.clone()]),
                        );
                    }
                    Some(_) => r.status = Status::Met,
                    // The year has not begun at `as_of`.
                    None => r.status = Status::InProgress,
                }
            } else {
                r.status = Status::Met;
            }
        }
        // An input of another kind (a caller's mistake: `Input::fits` checks it first) counts as none.
        _ => {}
    }
    r
}
