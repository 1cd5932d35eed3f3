//! Apply: execute a plan's steps against a session, keeping state current.
//!
//! [`apply`] walks the steps as a DAG on tokio, limits only statement
//! execution with a semaphore, persists state after every successful step,
//! and reports through [`Event`]s to [`Observer`]s (the progress display
//! and log lines of `crate::render`, the tasks left suspended). It never
//! prints and never decides what to change: the plan did. [`guards`] holds
//! the refusals checked before a run.

mod events;
pub mod guards;
mod run;
mod suspended;

pub use events::{Event, FailedStep, Observer, Observers, SkippedStep, Summary};
pub use guards::{GuardError, Regression, check_destroy, check_fresh, check_regression};
pub use run::{ApplyOptions, DEFAULT_PARALLELISM, Interrupt, StateSink, apply, planned_entry};
pub use suspended::SuspendedTasks;

#[cfg(test)]
mod tests;
