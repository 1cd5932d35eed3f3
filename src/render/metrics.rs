//! The words of a model's promotion preview, shared by the text and
//! markdown plans: where each added version comes from, how the new
//! default's metrics compare with the live default's, and the gate's
//! verdict.

use serde_json::Value;

use super::style::value;
use crate::diff::{AddedVersion, DefaultChange, MetricComparison};
use crate::model::{Side, Verdict};

/// `V3 promoted from STAGING (version V3)` or `V3 from @STAGE/path`.
pub(super) fn added_line(added: &AddedVersion) -> String {
    match source(added) {
        Source::Promotion { env, version } => {
            format!("{} promoted from {env} (version {version})", added.version)
        }
        Source::Stage(path) => format!("{} from {path}", added.version),
    }
}

/// Where an added version comes from.
pub(super) enum Source<'a> {
    /// Another environment's version.
    Promotion {
        /// The environment.
        env: &'a str,
        /// The version there.
        version: &'a str,
    },
    /// A stage path.
    Stage(&'a str),
}

/// The source of an added version, as its canonical `from` holds it.
pub(super) fn source(added: &AddedVersion) -> Source<'_> {
    let text = |key: &str| added.from.get(key).and_then(Value::as_str).unwrap_or("?");
    match added.promoted_from() {
        Some(env) => Source::Promotion {
            env,
            version: text("version"),
        },
        None => Source::Stage(text("stage")),
    }
}

/// `default version V2 → V3 (gate: r2, higher is better, tolerance 0)`.
pub(super) fn default_heading(change: &DefaultChange) -> String {
    let mut line = match &change.baseline {
        Some(old) if *old == change.version => {
            format!("default version {old}, re-created from its new source")
        }
        Some(old) => format!("default version {old} → {}", change.version),
        None => format!(
            "default version {}: no live default to compare with (a new model), so no baseline",
            change.version
        ),
    };
    if let Some(gate) = &change.gate {
        line.push_str(&format!(
            " (gate: {}, {} is better, tolerance {})",
            gate.metric, gate.better, gate.tolerance
        ));
    }
    line
}

/// `0.82 → 0.74 (-0.08)`; one side alone when the other has no value,
/// the new value alone when nothing is served yet.
pub(super) fn metric_values(change: &DefaultChange, m: &MetricComparison) -> String {
    let diff = m
        .difference
        .map(|d| format!(" ({}{d})", if d >= 0.0 { "+" } else { "" }))
        .unwrap_or_default();
    let gated = if change.gate.as_ref().is_some_and(|g| g.metric == m.metric) {
        "  (gated)"
    } else {
        ""
    };
    let values = match (&change.baseline, &m.baseline, &m.new) {
        (None, _, new) => value(new.as_ref()),
        (Some(_), Some(old), Some(new)) => {
            format!("{} → {}{diff}", value(Some(old)), value(Some(new)))
        }
        (Some(_), None, new) => format!("{} (the live default has none)", value(new.as_ref())),
        (Some(_), Some(old), None) => {
            format!(
                "{} → (none: the new default declares none)",
                value(Some(old))
            )
        }
    };
    format!("{values}{gated}")
}

/// The verdict as a sentence, for a gated change: what passed, or why
/// apply refuses and how to let it through.
pub(super) fn verdict_sentence(change: &DefaultChange) -> Option<String> {
    let gate = change.gate.as_ref()?;
    let compared = change.gated();
    let show = |v: Option<&Value>| value(v);
    let baseline = change.baseline.as_deref().unwrap_or("");
    Some(match change.verdict {
        Verdict::Ungated => return None,
        Verdict::NoBaseline => format!(
            "gate on {}: nothing served yet, nothing to compare",
            gate.metric
        ),
        Verdict::Passes => format!(
            "gate on {} passes: {} against {} of the live default {baseline}",
            gate.metric,
            show(compared.and_then(|m| m.new.as_ref())),
            show(compared.and_then(|m| m.baseline.as_ref())),
        ),
        Verdict::Regression => format!(
            "REGRESSION: {} {} of {} is worse than {} of the live default {baseline} by more than the tolerance {}; apply refuses without --allow-regression",
            gate.metric,
            show(compared.and_then(|m| m.new.as_ref())),
            change.version,
            show(compared.and_then(|m| m.baseline.as_ref())),
            gate.tolerance
        ),
        Verdict::MissingMetric(side) => {
            let version = match side {
                Side::New => change.version.as_str(),
                Side::Baseline => baseline,
            };
            format!(
                "NOT COMPARABLE: {side} {version} has no numeric {}; apply refuses without --allow-regression",
                gate.metric
            )
        }
    })
}

/// The short note on the model's plan line when apply will refuse.
pub(super) fn refusal_note(change: &DefaultChange) -> Option<&'static str> {
    match change.verdict {
        Verdict::Regression => Some("metrics regression: apply will refuse"),
        Verdict::MissingMetric(_) => Some("gated metric missing: apply will refuse"),
        _ => None,
    }
}
