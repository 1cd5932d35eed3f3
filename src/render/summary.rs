//! The text printed after an apply: what succeeded, failed and was skipped.

use std::fmt::Write;

use super::style::plural;
use crate::apply::Summary;

/// One closing paragraph: counts, then each failure with Snowflake's
/// message and the statement, then each skipped step with its cause.
pub fn summary_text(summary: &Summary) -> String {
    let mut out = String::new();
    let verdict = if summary.is_success() {
        "Apply complete"
    } else {
        "Apply failed"
    };
    let _ = writeln!(
        out,
        "{verdict}: {} succeeded, {} failed, {} skipped.",
        plural(summary.succeeded.len(), "step", "steps"),
        summary.failed.len(),
        summary.skipped.len()
    );
    for failed in &summary.failed {
        let _ = writeln!(
            out,
            "  failed  step {} {}: {}",
            failed.id, failed.address, failed.message
        );
        if let Some(statement) = &failed.statement {
            let _ = writeln!(out, "          statement: {statement}");
        }
    }
    for skipped in &summary.skipped {
        let _ = writeln!(
            out,
            "  skipped step {} {}: {}",
            skipped.id, skipped.address, skipped.cause
        );
    }
    out
}
