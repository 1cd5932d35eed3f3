//! Text for `floe import`.

use std::fmt::Write;

use crate::import::ImportReport;

/// The files written, what was skipped and recorded, and every imported
/// object the account could not give back fully.
pub fn import_text(report: &ImportReport) -> String {
    let mut out = String::new();
    let env = &report.environment;
    if report.files.is_empty() {
        let _ = writeln!(out, "Nothing to import from {env}: no file written.");
    } else {
        let objects: usize = report.files.iter().map(|f| f.1).sum();
        let _ = writeln!(
            out,
            "Imported {objects} object(s) from {env} into {}:",
            report.out_dir.display()
        );
        for (path, count, todos) in &report.files {
            let notes = match todos {
                0 => String::new(),
                n => format!(", {n} TODO note(s)"),
            };
            let _ = writeln!(out, "  {}  ({count} object(s){notes})", path.display());
        }
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(
            out,
            "Already declared or recorded, left as they are: {}",
            join(report.skipped.iter())
        );
    }
    if !report.unseen.is_empty() {
        let _ = writeln!(
            out,
            "Not shown by the account, written as defaults or placeholders (see the TODO notes): {}.",
            report.unseen.join("; ")
        );
    }
    if !report.refused.is_empty() {
        let _ = writeln!(out, "Not imported (floe cannot declare them as they are):");
        for (address, why) in &report.refused {
            let _ = writeln!(out, "  {address}: {why}");
        }
    }
    match &report.recorded {
        Some(recorded) => {
            let _ = writeln!(
                out,
                "Recorded {} object(s) in the state of {env}.",
                recorded.len()
            );
        }
        None if !report.files.is_empty() => {
            let _ = writeln!(
                out,
                "No state recorded (--out): move the files under resources/ and adopt each \
                 object with `floe state import ADDR --env {env}`."
            );
        }
        None => {}
    }
    if report.not_read_back.is_empty() {
        if report.recorded.as_ref().is_some_and(|r| !r.is_empty()) {
            let _ = writeln!(
                out,
                "`floe plan --env {env}` now reports no changes for the imported objects."
            );
        }
    } else {
        let _ = writeln!(
            out,
            "Not read back fully (declared, not recorded; plan will change them):"
        );
        for (address, fields) in &report.not_read_back {
            let _ = writeln!(out, "  {address}: {}", fields.join(", "));
        }
    }
    out
}

fn join<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    items.map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}
