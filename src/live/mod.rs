//! Introspection: what the environment holds now.
//!
//! The driver issues every kind's SHOW statements through the session
//! (concurrently: they are independent), pages past 10,000 rows, lets each
//! kind parse its rows into canonical [`LiveObject`]s, and sorts them into
//! managed objects (declared or in state) and unmanaged ones (in a managed
//! schema, neither declared nor in state). It never changes the account and
//! never compares anything: that is the diff's job.

use std::collections::BTreeMap;

use crate::kinds::reconciler::LiveObject;
use crate::model::Address;

/// What introspection found for one environment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Live {
    /// Objects at addresses the environment declares or has in state.
    pub managed: BTreeMap<Address, LiveObject>,
    /// Objects in managed schemas that it neither declares nor has in state.
    pub unmanaged: Vec<LiveObject>,
}

mod driver;

pub use driver::{Introspection, KindStats, LiveError, PAGE_ROWS, introspect, read, sort};

/// Every address an environment manages: declared, or recorded in state.
/// This is the `managed` set [`introspect`] sorts objects with.
pub fn managed_addresses(
    declared: &[crate::model::Resource],
    state: &crate::state::State,
) -> std::collections::BTreeSet<Address> {
    declared
        .iter()
        .map(|r| r.address.clone())
        .chain(state.resources.keys().cloned())
        .collect()
}
