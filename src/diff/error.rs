//! Why no plan could be computed.

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
