//! The drift report (`floe drift`): what changed in the account since the
//! last apply, derived from a plan's three-way comparison.
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

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::TextOptions;
use super::style::{Color, paint, plural, value};
use crate::diff::{Action, AttributeChange, PLAN_FORMAT_VERSION, Plan, UnmanagedObject};
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

/// The report as JSON (`floe drift --json`).
pub fn drift_json(report: &DriftReport) -> String {
    // Plain data: serialisation cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

/// The report for people: each drifted object with `applied → live` values.
pub fn drift_text(report: &DriftReport, options: TextOptions) -> String {
    let mut out = String::new();
    let width = report
        .drifted
        .iter()
        .map(|d| d.address.to_string().len())
        .chain(report.missing.iter().map(|a| a.to_string().len()))
        .max()
        .unwrap_or(0);
    for item in &report.drifted {
        let (sym, note, color) = match item.kind {
            DriftKind::Changed => ("~", "changed outside floe", Color::Yellow),
            DriftKind::Deleted => ("-", "deleted outside floe", Color::Red),
        };
        let bang = paint("!", Color::Yellow, options.color);
        let sym = paint(sym, color, options.color);
        let address = item.address.to_string();
        let _ = writeln!(out, "  {bang} {sym} {address:<width$}  {note}");
        for a in &item.attributes {
            let (applied, live) = (value(a.state.as_ref()), value(a.live.as_ref()));
            let _ = writeln!(
                out,
                "        {}: {applied} (applied) → {live} (live)",
                a.field
            );
        }
    }
    for address in &report.missing {
        let bang = paint("!", Color::Yellow, options.color);
        let sym = paint("+", Color::Green, options.color);
        let _ = writeln!(
            out,
            "  {bang} {sym} {:<width$}  declared, not in the account",
            address.to_string()
        );
    }
    for object in &report.unmanaged {
        let _ = writeln!(out, "    ? {}  unmanaged: {}", object.address, object.fqn);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    if report.has_drift() {
        let _ = write!(
            out,
            "Drift: {} changed outside floe, {} missing",
            plural(report.drifted.len(), "object", "objects"),
            report.missing.len()
        );
    } else {
        let _ = write!(
            out,
            "No drift. {} matches the last apply",
            report.environment
        );
    }
    let _ = writeln!(
        out,
        "; {} unmanaged, {} pending.",
        report.unmanaged.len(),
        plural(report.pending, "declared change", "declared changes")
    );
    out
}
