//! The three views a plan is computed from (declared, state, live), keyed
//! by address: what deciding actions, ordering steps and task-graph steps
//! all read, so it sits below each of them.

use std::collections::BTreeMap;

use crate::kinds::reconciler::LiveObject;
use crate::model::{Address, Resource};
use crate::state::StateEntry;

/// The three views of every address.
pub(super) struct Views<'a> {
    pub declared: BTreeMap<&'a Address, &'a Resource>,
    pub state: &'a BTreeMap<Address, StateEntry>,
    pub live: &'a BTreeMap<Address, LiveObject>,
}
