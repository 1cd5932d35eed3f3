//! Text and JSON for a [`DriftReport`] (`floe drift`); the report's schema
//! and what counts as drift are documented in `crate::diff`'s drift module.

use std::fmt::Write;

use super::TextOptions;
use super::style::{Color, paint, plural, value};
use crate::diff::{DriftKind, DriftReport};

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
