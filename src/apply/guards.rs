//! Checks made before any statement runs. Pure functions over the plan.

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::diff::{Action, PLAN_FORMAT_VERSION, Plan};
use crate::model::{Address, Better};

/// Why apply refuses to start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    /// Destructive changes without `--allow-destroy`.
    #[error("the plan destroys {}; apply refuses without --allow-destroy", list(.0))]
    DestroyNotAllowed(Vec<Address>),
    /// Destructive changes to resources with `prevent_destroy: true`.
    #[error("the plan destroys {}, which declare lifecycle.prevent_destroy", list(.0))]
    PreventDestroy(Vec<Address>),
    /// A saved plan for another environment.
    #[error("the plan was made for environment {planned}, not {current}")]
    WrongEnvironment {
        /// The plan's environment.
        planned: String,
        /// The environment being applied.
        current: String,
    },
    /// A saved plan whose account has changed since.
    #[error("the plan is stale: environment {environment} changed since it was made")]
    Stale {
        /// The environment.
        environment: String,
    },
    /// A saved plan of another format version.
    #[error("the plan file has format_version {0}; this floe reads {PLAN_FORMAT_VERSION}")]
    Format(u32),
    /// New default versions their model's gate refuses, without `--allow-regression`.
    #[error("{}", regressions(.0))]
    Regression(Vec<Regression>),
}

/// A new default version a model's metrics gate refuses.
#[derive(Debug, Clone, PartialEq)]
pub struct Regression {
    /// The model.
    pub address: Address,
    /// The new default version.
    pub version: String,
    /// The live default version.
    pub baseline: String,
    /// The gated metric.
    pub metric: String,
    /// Which way it improves.
    pub better: Better,
    /// The new default's value (`None` when it has none).
    pub new: Option<Value>,
    /// The baseline's value (`None` when it has none).
    pub old: Option<Value>,
    /// The tolerance.
    pub tolerance: f64,
}

impl Eq for Regression {}

fn regressions(all: &[Regression]) -> String {
    let lines: Vec<String> = all.iter().map(regression_line).collect();
    lines.join("\n")
}

/// `the metrics gate of model.M refuses its new default version V1: r2 0.74
/// against 0.82 of the live default version V2 (higher is better, tolerance 0)`.
fn regression_line(r: &Regression) -> String {
    let shown = |v: &Option<Value>| v.as_ref().map_or("no value".to_string(), Value::to_string);
    let judged = match (&r.new, &r.old) {
        (Some(n), Some(o)) if n.is_number() && o.is_number() => "worse than",
        _ => "not comparable with",
    };
    format!(
        "the metrics gate of {} refuses its new default version {}: {} {} is {judged} {} of the live default version {} ({} is better, tolerance {})",
        r.address,
        r.version,
        r.metric,
        shown(&r.new),
        shown(&r.old),
        r.baseline,
        r.better,
        r.tolerance
    )
}

fn list(addresses: &[Address]) -> String {
    let names: Vec<String> = addresses.iter().map(Address::to_string).collect();
    names.join(", ")
}

impl GuardError {
    /// The refusal as a user diagnostic with the way forward.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error(self.to_string());
        match self {
            GuardError::DestroyNotAllowed(_) => d.hint(
                "review the plan, then run again with --allow-destroy to drop these objects",
            ),
            GuardError::PreventDestroy(_) => d.hint(
                "remove `prevent_destroy: true` from their lifecycle first if they must really be dropped",
            ),
            GuardError::WrongEnvironment { .. } | GuardError::Stale { .. } => {
                d.hint("run `floe plan --out FILE` again and apply the new plan")
            }
            GuardError::Format(_) => d.hint("make the plan with this version of floe"),
            GuardError::Regression(_) => d.hint(
                "nothing was changed; declare a better default version, or run again with --allow-regression to apply it anyway",
            ),
        }
    }
}

/// Refuses destructive changes: always for `prevent_destroy`, and without
/// `allow_destroy` for all others.
pub fn check_destroy(plan: &Plan, allow_destroy: bool) -> Result<(), GuardError> {
    let destructive = plan
        .changes
        .iter()
        .filter(|c| c.destructive && c.action != Action::NoOp);
    let (protected, others): (Vec<_>, Vec<_>) = destructive.partition(|c| c.prevent_destroy);
    if !protected.is_empty() {
        return Err(GuardError::PreventDestroy(
            protected.into_iter().map(|c| c.address.clone()).collect(),
        ));
    }
    if !others.is_empty() && !allow_destroy {
        return Err(GuardError::DestroyNotAllowed(
            others.into_iter().map(|c| c.address.clone()).collect(),
        ));
    }
    Ok(())
}

/// Refuses, unless `allow_regression`, new default versions their model's
/// gate refuses: worse than the live default beyond the tolerance, or
/// with the metric missing on either side.
pub fn check_regression(plan: &Plan, allow_regression: bool) -> Result<(), GuardError> {
    if allow_regression {
        return Ok(());
    }
    let refused: Vec<Regression> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .filter_map(|c| {
            let default = c.model_metrics.as_ref()?.default_version.as_ref()?;
            let gate = default
                .gate
                .as_ref()
                .filter(|_| default.verdict.refuses())?;
            let compared = default.gated();
            Some(Regression {
                address: c.address.clone(),
                version: default.version.clone(),
                baseline: default.baseline.clone().unwrap_or_default(),
                metric: gate.metric.clone(),
                better: gate.better,
                new: compared.and_then(|m| m.new.clone()),
                old: compared.and_then(|m| m.baseline.clone()),
                tolerance: gate.tolerance,
            })
        })
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(GuardError::Regression(refused))
    }
}

/// Refuses a saved plan made for another environment, another format, or
/// from a live account that has changed since (compare with a fresh
/// [`crate::diff::live_fingerprint`]).
pub fn check_fresh(
    plan: &Plan,
    environment: &str,
    live_fingerprint: &str,
) -> Result<(), GuardError> {
    if plan.format_version != PLAN_FORMAT_VERSION {
        return Err(GuardError::Format(plan.format_version));
    }
    if plan.environment != environment {
        return Err(GuardError::WrongEnvironment {
            planned: plan.environment.clone(),
            current: environment.to_string(),
        });
    }
    if plan.live_fingerprint != live_fingerprint {
        return Err(GuardError::Stale {
            environment: environment.to_string(),
        });
    }
    Ok(())
}
