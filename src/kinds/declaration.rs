//! The YAML side of a kind: the [`Declaration`] trait that every validated
//! declaration implements. A kind reads an interpolated document into a
//! typed spec, names what it references, checks the rules that involve
//! other declarations, and converts itself to canonical attributes. The
//! account side is [`super::reconciler`].

use crate::diag::Diagnostics;
use crate::model::{Attributes, Gate};

use super::{Common, Reference, World};

/// What every validated declaration provides.
pub trait Declaration {
    /// The fields all kinds share (address, depends_on, lifecycle, places).
    fn common(&self) -> &Common;
    /// Every declared object this one names (schema, warehouse, entities, ...),
    /// excluding `depends_on` and SQL text.
    fn references(&self) -> Vec<Reference>;
    /// SQL text whose identifiers may name other declared objects.
    fn sql(&self) -> Option<&str> {
        None
    }
    /// Checks the rules that involve other declared resources.
    fn check(&self, _world: &World<'_>, _problems: &mut Diagnostics) {}
    /// The fully qualified name, each part resolved.
    fn fqn(&self) -> String;
    /// The canonical attributes.
    fn attributes(&self, world: &World<'_>) -> Attributes;
    /// A model's metrics gate (plan-time policy, never an attribute).
    fn gate(&self) -> Option<Gate> {
        None
    }
}
