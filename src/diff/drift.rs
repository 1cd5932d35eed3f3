//! The drift report (`floe drift`): what changed in the account since the
//! last apply, classified from a plan's three-way comparison. This decides
//! what counts as drift; rendering it is `render`'s job.
//!
//! # JSON schema (`format_version` 1)
//!
//! ```text
//! {
//!   "format_version": 1,
//!   "environment": "DEV",
//!   "drifted": [{
//!     "address": "warehouse.ML_WH",
//!     "kind": "changed" | "deleted",
//!     "attributes": [{ "field": "size", "declared": "SMALL", "state": "SMALL",
//!                      "live": "LARGE", "drift": true }]
//!   }],
//!   "missing": ["model.NEW_MODEL"],  // declared, never applied, absent
//!   "unmanaged": [{ "address": "task.OLD", "fqn": "DB.S.OLD" }],
//!   "pending": 2          // declared changes not yet applied (not drift)
//! }
//! ```

use serde::{Deserialize, Serialize};

use super::plan::{Action, AttributeChange, PLAN_FORMAT_VERSION, Plan, UnmanagedObject};
use crate::model::Address;

/// How an object drifted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// Attributes differ from what was applied.
    Changed,
    /// It was applied and is gone.
    Deleted,
}

/// One drifted object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftItem {
    /// Its address.
    pub address: Address,
    /// How it drifted.
    pub kind: DriftKind,
    /// The attributes whose live value differs from the applied one.
    pub attributes: Vec<AttributeChange>,
}

/// Live vs last applied vs declared, for one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    /// [`PLAN_FORMAT_VERSION`].
    pub format_version: u32,
    /// The environment.
    pub environment: String,
    /// Objects changed or deleted outside floe.
    pub drifted: Vec<DriftItem>,
    /// Declared objects the account does not hold (never applied).
    pub missing: Vec<Address>,
    /// Objects in managed schemas that floe does not manage.
    pub unmanaged: Vec<UnmanagedObject>,
    /// Declared changes not yet applied.
    pub pending: usize,
}

impl DriftReport {
    /// The drift visible in `plan`: attributes whose live value left the
    /// applied one, and applied objects that are gone.
    pub fn from_plan(plan: &Plan) -> Self {
        let mut drifted = Vec::new();
        let mut pending = 0;
        let mut missing = Vec::new();
        for change in &plan.changes {
            if change.action == Action::Create && !change.drift {
                missing.push(change.address.clone());
            }
            if change.action == Action::Create && change.drift {
                drifted.push(DriftItem {
                    address: change.address.clone(),
                    kind: DriftKind::Deleted,
                    attributes: Vec::new(),
                });
                continue;
            }
            let moved: Vec<AttributeChange> = change
                .attributes
                .iter()
                .filter(|a| a.state.is_some() && a.live.is_some() && a.state != a.live)
                .cloned()
                .collect();
            if change.action != Action::NoOp && !change.drift {
                pending += 1;
            }
            if !moved.is_empty() {
                drifted.push(DriftItem {
                    address: change.address.clone(),
                    kind: DriftKind::Changed,
                    attributes: moved,
                });
            }
        }
        DriftReport {
            format_version: PLAN_FORMAT_VERSION,
            environment: plan.environment.clone(),
            drifted,
            missing,
            unmanaged: plan.unmanaged.clone(),
            pending,
        }
    }

    /// True when something drifted or a declared object is missing (what
    /// `floe drift` exits 2 for).
    pub fn has_drift(&self) -> bool {
        !self.drifted.is_empty() || !self.missing.is_empty()
    }
}
