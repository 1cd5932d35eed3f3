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
        let objects: usize = report.files.iter().map(|f| f.objects).sum();
        let _ = writeln!(
            out,
            "Imported {objects} object(s) from {env} into {}:",
            report.out_dir.display()
        );
        for file in &report.files {
            let notes = match file.todos {
                0 => String::new(),
                n => format!(", {n} TODO note(s)"),
            };
            let _ = writeln!(
                out,
                "  {}  ({} object(s){notes})",
                file.path.display(),
                file.objects
            );
        }
    }
    if !report.skipped.is_empty() {
        let mut skipped = report.skipped.clone();
        skipped.sort();
        skipped.dedup();
        let _ = write!(
            out,
            "Left as they are, already declared or recorded: {} object(s)",
            skipped.len()
        );
        let _ = match skipped.len() {
            0..=10 => writeln!(out, " ({}).", join(skipped.iter())),
            _ => writeln!(out, "."),
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::WrittenFile;
    use std::path::PathBuf;

    #[test]
    fn a_report_names_files_notes_refusals_and_what_plan_would_change() {
        let report = ImportReport {
            environment: "DEV".into(),
            out_dir: PathBuf::from("resources"),
            files: vec![WrittenFile {
                path: PathBuf::from("tasks/jobs.yaml"),
                objects: 2,
                todos: 1,
            }],
            skipped: vec!["schema.B".parse().unwrap(), "schema.A".parse().unwrap()],
            recorded: Some(vec!["task.T".parse().unwrap()]),
            refused: vec![("task.M".parse().unwrap(), "DEV: no schedule".into())],
            unseen: vec!["`timeout_ms` of 2 task(s)".into()],
            not_read_back: vec![("task.U".parse().unwrap(), vec!["sql".into()])],
        };
        let text = import_text(&report);
        for line in [
            "Imported 2 object(s) from DEV into resources:\n",
            "  tasks/jobs.yaml  (2 object(s), 1 TODO note(s))\n",
            "Left as they are, already declared or recorded: 2 object(s) (schema.A, schema.B).\n",
            "(see the TODO notes): `timeout_ms` of 2 task(s).\n",
            "Not imported (floe cannot declare them as they are):\n  task.M: DEV: no schedule\n",
            "Recorded 1 object(s) in the state of DEV.\n",
            "Not read back fully (declared, not recorded; plan will change them):\n  task.U: sql\n",
        ] {
            assert!(text.contains(line), "{line:?} missing from:\n{text}");
        }
        assert!(!text.contains("now reports no changes"), "{text}");
    }
}
