//! The diff: declared × state × live → [`Plan`].
//!
//! Pure data in, pure data out: this module does no I/O and never executes
//! SQL. It compares canonical attribute maps three ways, decides each
//! address's action with [`decide`], asks each [`crate::kind::Kind`] for
//! the SQL, and orders the steps on the dependency graph. What counts as
//! drift in a plan ([`DriftReport`]) is decided here too; `render` only
//! formats it.

mod action;
mod build;
mod compare;
mod drift;
mod graph;
mod plan;
mod steps;

pub use action::{Facts, decide};
pub(crate) use build::visible_fingerprint;
pub use build::{PlanInput, declared_fingerprint, live_fingerprint, plan};
pub use drift::{DriftItem, DriftKind, DriftReport};
pub use plan::{
    Action, AttributeChange, PLAN_FORMAT_VERSION, Plan, PlanCounts, ResourceChange,
    StateOnlyFields, Step, StepId, StepPurpose, UnmanagedObject,
};

use crate::model::{Address, KindName};

/// Why no plan could be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// A `--target` names an address that is not declared, recorded or live.
    #[error("the target {0} is not declared, not in state and not in the account")]
    UnknownTarget(Address),
    /// An address of a kind this build cannot plan.
    #[error("no planner is registered for {0} resources")]
    UnknownKind(KindName),
    /// The steps depend on each other in a circle.
    #[error("the changes depend on each other in a cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),
}

#[cfg(test)]
mod tests;
