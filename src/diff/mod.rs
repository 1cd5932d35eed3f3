//! The diff: declared × state × live → [`Plan`].
//!
//! Pure data in, pure data out: this module does no I/O and never executes
//! SQL. It compares canonical attribute maps three ways, decides each
//! address's action with [`decide`], asks each [`crate::kinds::reconciler::Reconciler`] for
//! the SQL, and orders the steps on the dependency graph. What counts as
//! drift in a plan ([`DriftReport`]) is decided here too; `render` only
//! formats it.

mod action;
mod build;
mod compare;
mod drift;
mod error;
mod graph;
mod metrics;
mod plan;
mod steps;
mod views;

pub use action::{Facts, decide};
pub(crate) use build::visible_fingerprint;
pub use build::{PlanInput, declared_fingerprint, live_fingerprint, plan, plan_moving};
pub use drift::{DriftItem, DriftKind, DriftReport};
pub use error::DiffError;
pub use metrics::{AddedVersion, DefaultChange, MetricComparison, ModelMetrics};
pub use plan::{
    Action, AttributeChange, PLAN_FORMAT_VERSION, Plan, PlanCounts, PlanOrigin, ResourceChange,
    StateOnlyFields, Step, StepId, StepPurpose, UnmanagedObject,
};

#[cfg(test)]
mod tests;
