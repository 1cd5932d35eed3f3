//! Checks made before any statement runs. Pure functions over the plan.

use crate::diag::Diagnostic;
use crate::diff::{Action, PLAN_FORMAT_VERSION, Plan};
use crate::model::Address;

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
