//! What apply reports while it runs, and its outcome.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diff::{StepId, StepPurpose};
use crate::model::Address;

/// One thing that happened during an apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A step got its turn and sends its first statement.
    StepStarted {
        /// The step.
        id: StepId,
        /// Its address.
        address: Address,
        /// What it does.
        purpose: StepPurpose,
    },
    /// A step ended.
    StepFinished {
        /// The step.
        id: StepId,
        /// Its address.
        address: Address,
        /// What it does.
        purpose: StepPurpose,
        /// True when every statement succeeded and state was written.
        ok: bool,
        /// Snowflake's message (or the state error) when not ok.
        error: Option<String>,
    },
    /// A step will not run.
    StepSkipped {
        /// The step.
        id: StepId,
        /// Its address.
        address: Address,
        /// What it does.
        purpose: StepPurpose,
        /// Why, naming the root cause (`step 3 (task.ROOT) failed`).
        cause: String,
    },
    /// The apply ended.
    Done {
        /// Its outcome.
        summary: Summary,
    },
}

/// Something that watches an apply: a progress display, a log, a JSON stream.
pub trait Observer: Send + Sync {
    /// Called for every event, from any thread, in the order they happen
    /// for a given step.
    fn on_event(&self, event: &Event);
}

/// The observers of one apply.
#[derive(Clone, Default)]
pub struct Observers(Arc<Vec<Arc<dyn Observer>>>);

impl Observers {
    /// A set of observers.
    pub fn new(observers: Vec<Arc<dyn Observer>>) -> Self {
        Observers(Arc::new(observers))
    }

    /// Sends `event` to every observer.
    pub fn emit(&self, event: &Event) {
        for observer in self.0.iter() {
            observer.on_event(event);
        }
    }
}

/// A step that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedStep {
    /// The step.
    pub id: StepId,
    /// Its address.
    pub address: Address,
    /// The statement that failed, if one did (not for a state write error).
    pub statement: Option<String>,
    /// Snowflake's message, or the state error.
    pub message: String,
}

/// A step that did not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedStep {
    /// The step.
    pub id: StepId,
    /// Its address.
    pub address: Address,
    /// Why.
    pub cause: String,
}

/// The outcome of an apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Steps that succeeded, by id, with their address.
    pub succeeded: Vec<(StepId, Address)>,
    /// Steps that failed.
    pub failed: Vec<FailedStep>,
    /// Steps that did not run.
    pub skipped: Vec<SkippedStep>,
    /// Set when every step was recorded but the state journal could not be
    /// folded into the snapshot (the next run reads both).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_warning: Option<String>,
}

impl Summary {
    /// True when nothing failed or was skipped.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty() && self.skipped.is_empty()
    }
}
