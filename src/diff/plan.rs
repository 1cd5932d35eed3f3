//! The plan: a plain, serialisable value.
//!
//! A [`Plan`] says, for one environment, what each address will become, why,
//! and the ordered [`Step`]s (SQL) that get it there. It is computed without
//! I/O (see [`super::plan`]), rendered as text or JSON by `render`, saved with
//! `plan --out` and executed by `apply`. Nothing here decides or prints.
//!
//! # JSON schema (`format_version` 1)
//!
//! ```text
//! {
//!   "format_version": 1,
//!   "environment": "DEV",
//!   "branch": "feature/x" | null,        // where the declarations come from:
//!   "commit": "1a2b3c…" | null,          // the CI's or checkout's branch, and the commit
//!   "connection": "local",              // the account they were compared with
//!   "declared_fingerprint": "sha256:…",   // over every declared resource
//!   "live_fingerprint": "sha256:…",       // over every live object read
//!   "changes": [{
//!     "address": "warehouse.ML_WH", "kind": "warehouse", "fqn": "ML_WH",
//!     "action": "create" | "update" | "replace" | "delete" | "no-op",
//!     "reason": "query changed" | null,   // for people only
//!     "drift": false,                     // exists only because live ≠ state
//!     "destructive": false, "prevent_destroy": false,
//!     "attributes": [{ "field": "size", "declared": "LARGE", "state": "SMALL",
//!                      "live": "SMALL", "drift": false }],
//!     "after": { … } | null,              // attributes state will record
//!     "declared_fingerprint": "sha256:…" | null,
//!     "expected_live_fingerprint": "sha256:…" | null,
//!     "depends_on": ["schema.ML"],
//!     "model_metrics": {                  // models only, when versions are
//!       "added": [{ "version": "V3",      // added or the default changes
//!                   "from": {"env": "STAGING", "model": "…", "version": "V3"}
//!                         | {"stage": "@…"} }],
//!       "default_version": {              // null when the default stays
//!         "version": "V3", "baseline": "V2" | null,  // null: nothing served yet
//!         "metrics": [{ "metric": "r2", "new": 0.7, "baseline": 0.82,
//!                       "difference": -0.12 | null }],
//!         "gate": { "metric": "r2", "better": "higher" | "lower",
//!                   "tolerance": 0.0 } | null,
//!         "verdict": "ungated" | "no-baseline" | "passes" | "regression"
//!                  | "missing-metric",  // apply refuses the last two
//!         "missing": "new" | "baseline"   // with missing-metric only
//!       } | null
//!     }
//!   }],
//!   "unmanaged": [{ "address": "task.OLD", "fqn": "DB.S.OLD" }],
//!   "compared_with_state": [{ "kind": "task",   // fields no batched SHOW lists:
//!       "fields": ["timeout_ms", "suspend_after_failures"] }],  // changes made
//!                                       // outside floe to them go unseen
//!   "steps": [{
//!     "id": 1, "address": "warehouse.ML_WH",
//!     "purpose": "create" | "update" | "replace" | "delete" | "record"
//!              | "forget" | "suspend" | "resume",
//!     "statements": ["CREATE WAREHOUSE …"],
//!     "depends_on": [0],
//!     "compensates": 0 | null   // a resume that undoes that suspend
//!   }]
//! }
//! ```
//!
//! Absent attribute values are `null` in `declared`, `state` and `live`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::metrics::ModelMetrics;
use crate::model::{Address, Attributes, KindName};

/// The `format_version` of plans this build writes and reads.
pub const PLAN_FORMAT_VERSION: u32 = 1;

/// What happens to one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Nothing to do.
    NoOp,
    /// Create the object.
    Create,
    /// Change it in place (ALTER).
    Update,
    /// Drop it and create it again.
    Replace,
    /// Drop it.
    Delete,
}

/// One attribute that differs, with all three views of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeChange {
    /// The field name.
    pub field: String,
    /// The declared value (the new value).
    pub declared: Option<Value>,
    /// The value recorded at the last apply.
    pub state: Option<Value>,
    /// The value the account holds now (`None` for fields it does not show).
    pub live: Option<Value>,
    /// True when this change exists only because live moved away from state.
    pub drift: bool,
}

impl AttributeChange {
    /// The value being replaced: live when visible, else state.
    pub fn old(&self) -> Option<&Value> {
        self.live.as_ref().or(self.state.as_ref())
    }
}

/// The planned change of one address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceChange {
    /// The address.
    pub address: Address,
    /// Its kind.
    pub kind: KindName,
    /// Its fully qualified name.
    pub fqn: String,
    /// What happens.
    pub action: Action,
    /// Why, for people (`query changed`, `deleted outside floe`).
    pub reason: Option<String>,
    /// True when the change exists only because live differs from state.
    pub drift: bool,
    /// True for a delete, or a replace that loses data or history.
    pub destructive: bool,
    /// The resource declares `lifecycle.prevent_destroy`.
    pub prevent_destroy: bool,
    /// The attributes that differ.
    pub attributes: Vec<AttributeChange>,
    /// The canonical attributes state records once applied (`None` for deletes).
    pub after: Option<Attributes>,
    /// Fingerprint of `after`.
    pub declared_fingerprint: Option<String>,
    /// Fingerprint of the part of `after` that introspection can see.
    pub expected_live_fingerprint: Option<String>,
    /// The addresses it depends on, as state records them.
    pub depends_on: Vec<Address>,
    /// For a model: the versions added and the new default's metrics
    /// beside the live default's, judged by its gate. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_metrics: Option<ModelMetrics>,
}

/// What a step does, which also says how apply updates state after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepPurpose {
    /// Create the address's object; state records it.
    Create,
    /// Alter it; state records the new attributes.
    Update,
    /// Drop and create it; state records the new attributes.
    Replace,
    /// Drop it; state forgets it.
    Delete,
    /// No SQL: state records an object that already matches.
    Record,
    /// No SQL: state forgets an object that is already gone.
    Forget,
    /// Suspend a task graph's root before its graph changes.
    Suspend,
    /// Resume a task after its graph changed.
    Resume,
}

/// Identifier of a step within its plan.
pub type StepId = u32;

/// One unit of execution: statements run in order on one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Position-independent id, referenced by `depends_on`.
    pub id: StepId,
    /// The address it acts on.
    pub address: Address,
    /// What it does.
    pub purpose: StepPurpose,
    /// The SQL, in order.
    pub statements: Vec<String>,
    /// Steps that must succeed first.
    pub depends_on: Vec<StepId>,
    /// For a resume: the suspend step it undoes. It then runs even after a
    /// failure, once its dependencies have finished, if that suspend succeeded.
    pub compensates: Option<StepId>,
}

/// An object in a managed schema that floe neither declares nor has in state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmanagedObject {
    /// The address it would have.
    pub address: Address,
    /// Its fully qualified name.
    pub fqn: String,
}

/// Fields of one kind that introspection cannot read in a batch, so the
/// plan compares them with the last apply, never with the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateOnlyFields {
    /// The kind.
    pub kind: KindName,
    /// Its fields compared declared vs state only.
    pub fields: Vec<String>,
}

/// The plan for one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// [`PLAN_FORMAT_VERSION`].
    pub format_version: u32,
    /// The environment it was computed for.
    pub environment: String,
    /// Where the declarations come from and which account they were
    /// compared with (empty in plans saved before it was recorded).
    #[serde(flatten, default)]
    pub origin: PlanOrigin,
    /// Fingerprint of every declared resource.
    pub declared_fingerprint: String,
    /// Fingerprint of every live object read.
    pub live_fingerprint: String,
    /// One entry per address, no-ops included, in step order then address.
    pub changes: Vec<ResourceChange>,
    /// Objects reported, never touched.
    pub unmanaged: Vec<UnmanagedObject>,
    /// Per declared kind, the fields compared with state only: a change
    /// made to them outside floe is not seen.
    #[serde(default)]
    pub compared_with_state: Vec<StateOnlyFields>,
    /// The steps, in an order that respects `depends_on`.
    pub steps: Vec<Step>,
}

/// Where a plan's declarations come from (the branch and commit of the CI
/// run or checkout) and the connection of the account they were compared
/// with: what a plan says at its top.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanOrigin {
    /// The branch (or tag) of the declarations, when known.
    pub branch: Option<String>,
    /// The commit of the declarations, when known.
    pub commit: Option<String>,
    /// The connection the account was read through (empty when not recorded).
    pub connection: String,
}

/// Counts for the plan's last line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCounts {
    /// Creates.
    pub create: usize,
    /// Updates.
    pub update: usize,
    /// Replaces.
    pub replace: usize,
    /// Deletes.
    pub delete: usize,
    /// Changes that exist only because of drift.
    pub drift: usize,
}

impl Plan {
    /// Reads a plan saved with `plan --out` (the JSON documented above).
    pub fn from_json(text: &str) -> Result<Plan, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The change planned for `address`, if any.
    pub fn change(&self, address: &Address) -> Option<&ResourceChange> {
        self.changes.iter().find(|c| &c.address == address)
    }

    /// How many of each action, and how many are drift.
    pub fn counts(&self) -> PlanCounts {
        let mut counts = PlanCounts::default();
        for change in &self.changes {
            match change.action {
                Action::NoOp => continue,
                Action::Create => counts.create += 1,
                Action::Update => counts.update += 1,
                Action::Replace => counts.replace += 1,
                Action::Delete => counts.delete += 1,
            }
            if change.drift {
                counts.drift += 1;
            }
        }
        counts
    }

    /// True when some address changes (state-only steps do not count).
    pub fn has_changes(&self) -> bool {
        self.changes.iter().any(|c| c.action != Action::NoOp)
    }
}
