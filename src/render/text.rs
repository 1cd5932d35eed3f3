//! The human plan: grouped by kind, aligned, one line per address.

use std::fmt::Write;
use std::path::Path;

use super::TextOptions;
use super::metrics;
use super::style::{Color, paint, symbol, value};
use crate::diff::{Action, ModelMetrics, Plan, ResourceChange, StepPurpose};
use crate::model::KindName;

/// Renders the plan as SPEC section 3 shows it: per kind, one line per
/// changed address (`+`, `~`, `-/+`, `-`, with `!` for drift and the reason
/// aligned on the right), attribute changes indented below, unmanaged
/// objects, the SQL per step with `--sql`, and the closing count line.
pub fn plan_text(plan: &Plan, options: TextOptions) -> String {
    let color = options.color;
    let changed: Vec<&ResourceChange> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    let width = changed
        .iter()
        .map(|c| c.address.to_string().len())
        .chain(plan.unmanaged.iter().map(|u| u.address.to_string().len()))
        .max()
        .unwrap_or(0);
    let mut out = origin_line(plan);
    for kind in KindName::ALL {
        let group: Vec<&&ResourceChange> = changed.iter().filter(|c| c.kind == kind).collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}", paint(kind.address_name(), Color::Bold, color));
        for change in group {
            write_change(&mut out, change, width, color);
        }
        out.push('\n');
    }
    if !plan.unmanaged.is_empty() {
        let heading = "unmanaged (neither declared nor in state; never touched, to adopt one, declare it and run `floe state import ADDR`)";
        let _ = writeln!(out, "{}", paint(heading, Color::Bold, color));
        for object in &plan.unmanaged {
            let address = object.address.to_string();
            let _ = writeln!(out, "      ? {address:<width$}  {}", object.fqn);
        }
        out.push('\n');
    }
    write_state_only(&mut out, plan);
    if options.sql {
        write_sql(&mut out, plan);
    }
    out.push_str(&closing_line(plan));
    out.push('\n');
    out
}

/// What the plan compares, as its first line (and a blank one): the
/// environment, the branch and commit of the declarations, the connection.
/// Nothing for a plan saved before its origin was recorded.
fn origin_line(plan: &Plan) -> String {
    let origin = &plan.origin;
    if origin.connection.is_empty() {
        return String::new();
    }
    let short = |c: &String| c.chars().take(12).collect::<String>();
    let declarations = match (&origin.branch, &origin.commit) {
        (Some(b), Some(c)) => format!("the declarations at branch {b} (commit {})", short(c)),
        (Some(b), None) => format!("the declarations at branch {b}"),
        (None, Some(c)) => format!("the declarations at commit {}", short(c)),
        (None, None) => "the declarations".to_string(),
    };
    format!(
        "Plan for {}: {declarations}, compared with the account of connection {}.\n\n",
        plan.environment, origin.connection
    )
}

/// One note per kind whose fields no batched statement reads: compared
/// with the last apply, so a change to them in the account goes unseen.
fn write_state_only(out: &mut String, plan: &Plan) {
    for group in &plan.compared_with_state {
        let _ = writeln!(
            out,
            "Note: {} {} are compared with the last apply only: no SHOW statement lists them, so a change to them in the account is not seen.",
            group.kind.address_name(),
            group.fields.join(" and "),
        );
    }
    if !plan.compared_with_state.is_empty() {
        out.push('\n');
    }
}

fn write_change(out: &mut String, change: &ResourceChange, width: usize, color: bool) {
    let (sym, sym_color) = symbol(change.action);
    let bang = if change.drift {
        paint("!", Color::Yellow, color)
    } else {
        " ".into()
    };
    let sym = paint(&format!("{sym:>3}"), sym_color, color);
    let mut notes: Vec<String> = change.reason.iter().cloned().collect();
    if change.destructive && change.action == Action::Replace {
        notes.push("destroys data".into());
    }
    if change.destructive && change.prevent_destroy {
        notes.push("prevent_destroy is set: apply will refuse".into());
    }
    let default = change
        .model_metrics
        .as_ref()
        .and_then(|m| m.default_version.as_ref());
    if let Some(note) = default.and_then(metrics::refusal_note) {
        notes.push(paint(note, Color::Red, color));
    }
    let address = change.address.to_string();
    let line = if notes.is_empty() {
        format!("  {bang} {sym} {address}")
    } else {
        format!("  {bang} {sym} {address:<width$}  {}", notes.join("; "))
    };
    let _ = writeln!(out, "{line}");
    for attribute in &change.attributes {
        let _ = writeln!(
            out,
            "          {}: {} → {}",
            attribute.field,
            value(attribute.old()),
            value(attribute.declared.as_ref())
        );
    }
    if let Some(preview) = &change.model_metrics {
        write_model_metrics(out, preview, color);
    }
}

/// A model's added versions, then its default's metrics beside the live
/// default's and the gate's verdict.
fn write_model_metrics(out: &mut String, preview: &ModelMetrics, color: bool) {
    for added in &preview.added {
        let _ = writeln!(out, "          + version {}", metrics::added_line(added));
    }
    let Some(default) = &preview.default_version else {
        return;
    };
    let _ = writeln!(out, "          {}", metrics::default_heading(default));
    let width = default
        .metrics
        .iter()
        .map(|m| m.metric.len())
        .max()
        .unwrap_or(0);
    for m in &default.metrics {
        let _ = writeln!(
            out,
            "            {:<width$}  {}",
            m.metric,
            metrics::metric_values(default, m)
        );
    }
    if let Some(sentence) = metrics::verdict_sentence(default) {
        let shade = if default.verdict.refuses() {
            Color::Red
        } else {
            Color::Green
        };
        let _ = writeln!(out, "          {}", paint(&sentence, shade, color));
    }
}

fn write_sql(out: &mut String, plan: &Plan) {
    let with_sql: Vec<_> = plan
        .steps
        .iter()
        .filter(|s| !s.statements.is_empty())
        .collect();
    if with_sql.is_empty() {
        return;
    }
    out.push_str("SQL, in order:\n");
    for step in with_sql {
        let after = if step.depends_on.is_empty() {
            String::new()
        } else {
            let ids: Vec<String> = step.depends_on.iter().map(u32::to_string).collect();
            format!(" (after {})", ids.join(", "))
        };
        let _ = writeln!(
            out,
            "  -- step {}: {} {}{after}",
            step.id,
            purpose(step.purpose),
            step.address
        );
        for statement in &step.statements {
            let end = if statement.trim_end().ends_with(';') {
                ""
            } else {
                ";"
            };
            let _ = writeln!(out, "  {}{end}", statement.trim_end().replace('\n', "\n  "));
        }
    }
    out.push('\n');
}

/// The verb of a step's purpose, as plans and apply logs print it.
pub(super) fn purpose(p: StepPurpose) -> &'static str {
    match p {
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

/// `Plan: 1 to create, …` or `No changes. DEV matches the declarations.`,
/// then, when apply only updates the record, how many addresses it records
/// or forgets (no statement runs for them).
fn closing_line(plan: &Plan) -> String {
    let mut line = if plan.has_changes() {
        let c = plan.counts();
        format!(
            "Plan: {} to create, {} to update, {} to replace, {} to delete ({} drift).",
            c.create, c.update, c.replace, c.delete, c.drift
        )
    } else {
        format!("No changes. {} matches the declarations.", plan.environment)
    };
    let state_only = |p: StepPurpose| plan.steps.iter().filter(|s| s.purpose == p).count();
    let (record, forget) = (
        state_only(StepPurpose::Record),
        state_only(StepPurpose::Forget),
    );
    if record + forget > 0 {
        line.push_str(&format!(
            "\nState only: apply records {record} and forgets {forget} without running a statement."
        ));
    }
    line
}

/// After a plan saved with `--out`: where it is and how to apply exactly it.
pub fn plan_saved_text(path: &Path) -> String {
    format!(
        "\nSaved the plan to {}. Apply exactly these steps with `floe apply {}`.\n",
        path.display(),
        path.display()
    )
}
