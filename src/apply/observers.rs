//! The two ways people watch an apply: a progress display on a terminal,
//! one log line per finished step otherwise. Both only observe events.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::events::{Event, Observer};
use crate::diff::{StepId, StepPurpose};
use crate::model::Address;

fn verb(purpose: StepPurpose) -> &'static str {
    match purpose {
        StepPurpose::Create => "create",
        StepPurpose::Update => "update",
        StepPurpose::Replace => "replace",
        StepPurpose::Delete => "delete",
        StepPurpose::Record => "record",
        StepPurpose::Forget => "forget",
        StepPurpose::Suspend => "suspend",
        StepPurpose::Resume => "resume",
    }
}

/// Writes one line per finished or skipped step (for logs and CI).
pub struct LogObserver {
    out: Mutex<(Box<dyn Write + Send>, usize)>,
    total: usize,
}

impl LogObserver {
    /// Logs to `out` for a plan of `total` steps.
    pub fn new(out: Box<dyn Write + Send>, total: usize) -> Self {
        LogObserver {
            out: Mutex::new((out, 0)),
            total,
        }
    }
}

impl LogObserver {
    /// `step 7 ` padded to the width of the largest id, so that the verbs
    /// line up; the same numbers as `plan --sql` and the closing summary.
    fn step(&self, id: StepId) -> String {
        let width = self.total.to_string().len();
        format!("step {id:<width$}")
    }
}

impl Observer for LogObserver {
    fn on_event(&self, event: &Event) {
        let line = match event {
            Event::StepFinished {
                id,
                address,
                purpose,
                error: None,
                ..
            } => format!("ok    {} {:<8} {address}", self.step(*id), verb(*purpose)),
            Event::StepFinished {
                id,
                address,
                purpose,
                error: Some(error),
                ..
            } => format!(
                "FAIL  {} {:<8} {address}: {error}",
                self.step(*id),
                verb(*purpose)
            ),
            Event::StepSkipped {
                id,
                address,
                purpose,
                cause,
            } => format!(
                "skip  {} {:<8} {address}: {cause}",
                self.step(*id),
                verb(*purpose)
            ),
            Event::StepStarted { .. } | Event::Done { .. } => return,
        };
        // A poisoned lock only means another observer call panicked; the
        // writer itself is still usable.
        let mut guard = self.out.lock().unwrap_or_else(|p| p.into_inner());
        guard.1 += 1;
        let count = guard.1;
        let _ = writeln!(guard.0, "[{count}/{}] {line}", self.total);
    }
}

/// An indicatif display: an overall bar and one spinner per running step.
pub struct ProgressObserver {
    multi: MultiProgress,
    overall: ProgressBar,
    running: Mutex<BTreeMap<StepId, ProgressBar>>,
}

impl ProgressObserver {
    /// A display on stderr for a plan of `total` steps.
    pub fn new(total: usize) -> Self {
        Self::with_target(total, ProgressDrawTarget::stderr())
    }

    /// A display drawn to `target` (hidden in tests).
    pub fn with_target(total: usize, target: ProgressDrawTarget) -> Self {
        let multi = MultiProgress::with_draw_target(target);
        let overall = multi.add(ProgressBar::new(total as u64));
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} steps {msg}") {
            overall.set_style(style);
        }
        ProgressObserver {
            multi,
            overall,
            running: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Observer for ProgressObserver {
    fn on_event(&self, event: &Event) {
        let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
        match event {
            Event::StepStarted {
                id,
                address,
                purpose,
            } => {
                let spinner = self.multi.add(ProgressBar::new_spinner());
                spinner.set_message(format!("step {id} {} {address}", verb(*purpose)));
                spinner.enable_steady_tick(std::time::Duration::from_millis(120));
                running.insert(*id, spinner);
            }
            Event::StepFinished { id, ok, .. } => {
                if let Some(spinner) = running.remove(id) {
                    spinner.finish_and_clear();
                    self.multi.remove(&spinner);
                }
                if !ok {
                    self.overall.set_message("(a step failed)");
                }
                self.overall.inc(1);
            }
            Event::StepSkipped { .. } => self.overall.inc(1),
            Event::Done { .. } => self.overall.finish_and_clear(),
        }
    }
}

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
