//! A model's metrics gate: plan-time policy saying which metric decides
//! whether a new default version may replace the one the environment
//! serves, in which direction it improves, and how much worse it may be.
//!
//! The gate is not a Snowflake attribute: it is never part of a resource's
//! canonical attributes or fingerprints, so declaring or changing it never
//! plans a statement. [`Gate::judge`] compares two metric values; the plan
//! records the outcome and apply refuses a [`Verdict::Regression`] or a
//! [`Verdict::MissingMetric`] unless the user allows regressions.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which way a metric improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    /// Higher is better (`r2`, accuracy).
    Higher,
    /// Lower is better (`mse`, `mae`).
    Lower,
}

impl fmt::Display for Better {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        })
    }
}

/// `gate: {metric, better, tolerance}` of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    /// The metric compared: a key of the versions' `metrics`.
    pub metric: String,
    /// Which way it improves.
    pub better: Better,
    /// How much worse than the baseline the new default may be (≥ 0).
    pub tolerance: f64,
}

/// Which side of a comparison lacks the gated metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The new default version.
    New,
    /// The live default version (the baseline).
    Baseline,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::New => "the new default version",
            Side::Baseline => "the live default version",
        })
    }
}

/// What the gate says about a new default version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "verdict", content = "missing")]
pub enum Verdict {
    /// The model declares no gate.
    Ungated,
    /// Nothing is served yet (a new model): nothing to compare with.
    NoBaseline,
    /// Within the tolerance of the baseline, or better.
    Passes,
    /// Worse than the baseline by more than the tolerance.
    Regression,
    /// One side has no numeric value for the metric: not comparable, so
    /// refused like a regression.
    MissingMetric(Side),
}

impl Verdict {
    /// True when apply refuses without `--allow-regression`.
    pub fn refuses(self) -> bool {
        matches!(self, Verdict::Regression | Verdict::MissingMetric(_))
    }
}

impl Gate {
    /// Judges a new default's value of the metric against the baseline's.
    /// A value that is absent or not a number counts as missing.
    pub fn judge(&self, new: Option<&Value>, baseline: Option<&Value>) -> Verdict {
        let Some(new) = new.and_then(Value::as_f64) else {
            return Verdict::MissingMetric(Side::New);
        };
        let Some(old) = baseline.and_then(Value::as_f64) else {
            return Verdict::MissingMetric(Side::Baseline);
        };
        let worse = match self.better {
            Better::Higher => new < old - self.tolerance,
            Better::Lower => new > old + self.tolerance,
        };
        if worse {
            Verdict::Regression
        } else {
            Verdict::Passes
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gate(better: Better, tolerance: f64) -> Gate {
        Gate {
            metric: "r2".into(),
            better,
            tolerance,
        }
    }

    fn judge(g: &Gate, new: Value, old: Value) -> Verdict {
        g.judge(Some(&new), Some(&old))
    }

    #[test]
    fn higher_is_better_refuses_a_drop_beyond_the_tolerance() {
        let strict = gate(Better::Higher, 0.0);
        assert_eq!(
            judge(&strict, json!(0.74), json!(0.82)),
            Verdict::Regression
        );
        assert_eq!(judge(&strict, json!(0.82), json!(0.82)), Verdict::Passes);
        assert_eq!(judge(&strict, json!(0.9), json!(0.82)), Verdict::Passes);
        let loose = gate(Better::Higher, 0.1);
        assert_eq!(judge(&loose, json!(0.74), json!(0.82)), Verdict::Passes);
        assert_eq!(judge(&loose, json!(0.7), json!(0.82)), Verdict::Regression);
    }

    #[test]
    fn lower_is_better_refuses_a_rise_beyond_the_tolerance() {
        let strict = gate(Better::Lower, 0.0);
        assert_eq!(
            judge(&strict, json!(0.02), json!(0.01)),
            Verdict::Regression
        );
        assert_eq!(judge(&strict, json!(0.01), json!(0.02)), Verdict::Passes);
        let loose = gate(Better::Lower, 0.5);
        assert_eq!(judge(&loose, json!(2), json!(1.6)), Verdict::Passes);
        assert_eq!(judge(&loose, json!(3), json!(2)), Verdict::Regression);
    }

    #[test]
    fn a_missing_or_non_numeric_value_names_its_side_and_refuses() {
        let g = gate(Better::Higher, 0.0);
        let seen = g.judge(Some(&json!(0.8)), None);
        assert_eq!(seen, Verdict::MissingMetric(Side::Baseline));
        assert!(seen.refuses());
        let text = g.judge(Some(&json!("good")), Some(&json!(0.8)));
        assert_eq!(text, Verdict::MissingMetric(Side::New));
        assert!(!Verdict::Passes.refuses() && !Verdict::NoBaseline.refuses());
        assert!(Verdict::Regression.refuses());
    }

    #[test]
    fn verdicts_read_as_documented_in_json() {
        assert_eq!(
            serde_json::to_value(Verdict::Regression).unwrap(),
            json!({"verdict": "regression"})
        );
        assert_eq!(
            serde_json::to_value(Verdict::MissingMetric(Side::Baseline)).unwrap(),
            json!({"verdict": "missing-metric", "missing": "baseline"})
        );
    }
}
