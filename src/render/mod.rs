//! Presentation of plans, drift and apply outcomes: text for people, JSON
//! for machines. Every renderer reads the same values (a [`crate::diff::Plan`],
//! a [`crate::diff::DriftReport`], an [`crate::apply::Summary`]) and returns a string; it
//! decides nothing and writes nothing. Colour is the caller's choice (from
//! the terminal and `NO_COLOR`), passed in [`TextOptions`].

mod drift;
mod state;
mod style;
mod summary;
mod text;

pub use drift::{drift_json, drift_text};
pub use state::{state_list_text, state_show_text};
pub use summary::{introspection_text, summary_text};
pub use text::plan_text;

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
