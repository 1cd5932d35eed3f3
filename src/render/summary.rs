//! Closing paragraphs: what an apply did, and what introspection cost
//! (`plan -v`).

use std::fmt::Write;

use super::style::plural;
use crate::apply::Summary;
use crate::live::Introspection;

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
    let mut skipped: Vec<_> = summary.skipped.iter().collect();
    skipped.sort_by_key(|s| s.id);
    for skipped in skipped {
        let _ = writeln!(
            out,
            "  skipped step {} {}: {}",
            skipped.id, skipped.address, skipped.cause
        );
    }
    out
}

/// For `plan -v`: statements issued and time spent reading each kind.
pub fn introspection_text(introspection: &Introspection) -> String {
    let mut out = String::new();
    for kind in &introspection.stats {
        let name = kind.kind.address_name();
        let _ = if kind.statements == 0 {
            writeln!(out, "read {name:<13} from rows another kind read")
        } else {
            writeln!(
                out,
                "read {name:<13} {} in {} ms",
                plural(kind.statements, "statement", "statements"),
                kind.elapsed.as_millis()
            )
        };
    }
    let _ = writeln!(
        out,
        "read the environment with {} in {} ms",
        plural(introspection.statements(), "statement", "statements"),
        introspection.elapsed.as_millis()
    );
    out
}
