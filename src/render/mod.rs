//! Presentation: plans, drift, apply outcomes, validation, environments,
//! configuration, the dependency graph and local query results as text for
//! people, JSON for machines and markdown for pull request comments. Every renderer reads a value (a
//! [`crate::diff::Plan`], a [`crate::diff::DriftReport`], an [`crate::apply::Summary`],
//! rows) and returns a string; it decides nothing and writes nothing. The apply progress displays
//! ([`ProgressObserver`], [`LogObserver`]) are the one exception: they
//! observe apply's events and draw on the target the command hands them.
//! Colour is the caller's choice (from the terminal and `NO_COLOR`), passed
//! in [`TextOptions`].

mod apply;
mod config;
mod drift;
mod env;
mod graph;
mod import;
mod init;
mod leftovers;
mod local;
mod markdown;
mod metrics;
mod progress;
mod state;
mod style;
mod summary;
mod text;
mod validate;
mod warning;

pub use crate::diff::PlanOrigin;
pub use apply::{confirm_prompt, interrupted_text, left_behind_text};
pub use config::config_text;
pub use drift::{drift_json, drift_text};
pub use env::{env_list_text, env_text};
pub use graph::{graph_dot, graph_mermaid, graph_text};
pub use import::import_text;
pub use init::{KeptFile, init_applying_text, init_created_text, init_next_text};
pub use leftovers::{
    InterruptedRun, LostAccount, LostFile, interrupted_run_text, lost_account_text,
};
pub use local::{adopted_account_text, ignored_accounts_text, reset_text, rows_json, rows_table};
pub use markdown::{MARKDOWN_LIMIT, plan_markdown};
pub use progress::{LogObserver, ProgressObserver};
pub use state::{
    Migration, forgot_text, history_text, imported_text, migrated_text, nothing_to_restore_text,
    restore_plan_text, restore_prompt, restored_text, state_list_text, state_show_text,
    unlock_text,
};
pub use summary::{introspection_text, summary_text};
pub use text::{plan_saved_text, plan_text};
pub use validate::validate_line;
pub use warning::warning_text;

use crate::diff::Plan;

/// How text is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Show each step's SQL (`--sql`).
    pub sql: bool,
}

/// The plan as JSON (`plan --json`, `plan --out`): the serialised [`Plan`],
/// whose schema is documented on [`crate::diff::Plan`]'s module.
pub fn plan_json(plan: &Plan) -> String {
    // A Plan holds only strings, numbers, maps and lists: it always serialises.
    let mut text = serde_json::to_string_pretty(plan).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
