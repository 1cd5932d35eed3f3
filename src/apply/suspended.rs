//! Which task graphs a run has suspended and not yet resumed: what a run
//! that quits at once leaves behind, learnt from apply's own events.

use std::collections::BTreeSet;
use std::sync::Mutex;

use super::events::{Event, Observer};
use crate::diff::StepPurpose;
use crate::model::Address;

/// Remembers the tasks a suspend step stopped and no resume step has
/// started again yet: what a run that quits at once leaves suspended.
#[derive(Default)]
pub struct SuspendedTasks(Mutex<BTreeSet<Address>>);

impl SuspendedTasks {
    /// The tasks suspended by this run and not resumed, sorted.
    pub fn now(&self) -> Vec<Address> {
        let set = self.0.lock().unwrap_or_else(|p| p.into_inner());
        set.iter().cloned().collect()
    }
}

impl Observer for SuspendedTasks {
    fn on_event(&self, event: &Event) {
        if let Event::StepFinished {
            address,
            purpose,
            ok: true,
            ..
        } = event
        {
            let mut set = self.0.lock().unwrap_or_else(|p| p.into_inner());
            match purpose {
                StepPurpose::Suspend => {
                    set.insert(address.clone());
                }
                StepPurpose::Resume => {
                    set.remove(address);
                }
                _ => {}
            }
        }
    }
}
