//! The plan as markdown, for a pull request comment (`plan --format
//! markdown`): what it compares, the counts, destructive changes and drift
//! first, a table per kind, the attribute diffs and SQL folded in
//! `<details>`. Names and values are escaped, control characters (ANSI
//! codes among them) never pass, and the whole text stays under
//! [`MARKDOWN_LIMIT`] characters: details go first, then table rows, with a
//! line saying what was left out and where to see it all.

use std::fmt::Write;

use super::metrics;
use super::style::value;
use super::text::purpose;
use serde_json::Value;

use crate::diff::{
    Action, AttributeChange, DefaultChange, MetricComparison, Plan, PlanOrigin, ResourceChange,
};
use crate::model::KindName;

/// The most characters a markdown plan holds: under the 65,536 a GitHub
/// comment body accepts, with room for what a workflow adds around it.
pub const MARKDOWN_LIMIT: usize = 60_000;

/// Room kept for the closing notes (rows and details left out, notes on
/// fields compared with state only) while rows are added.
const RESERVE: usize = 2_000;

/// Renders the plan as markdown within [`MARKDOWN_LIMIT`] characters.
pub fn plan_markdown(plan: &Plan, origin: &PlanOrigin) -> String {
    plan_markdown_within(plan, origin, MARKDOWN_LIMIT)
}

/// [`plan_markdown`] within `limit` characters (at least a few thousand:
/// the heading, counts and notes are never cut).
pub(super) fn plan_markdown_within(plan: &Plan, origin: &PlanOrigin, limit: usize) -> String {
    if !plan.has_changes() {
        return format!(
            "**floe plan: {}**: no changes. {} match the account of connection {}.\n",
            text(&plan.environment),
            capitalised(&declarations(origin)),
            code(&origin.connection)
        );
    }
    let mut rows = Rows::new(limit.saturating_sub(RESERVE));
    rows.push_fixed(&heading(plan, origin));
    write_flagged(&mut rows, plan);
    write_tables(&mut rows, plan);
    write_model_metrics(&mut rows, plan);
    let mut out = rows.out;
    for group in &plan.compared_with_state {
        let fields: Vec<String> = group.fields.iter().map(|f| code(f)).collect();
        let _ = writeln!(
            out,
            "_Note: {} {} are compared with the last apply only: a change made to them in the account is not seen._\n",
            group.kind.address_name(),
            fields.join(" and ")
        );
    }
    if rows.left_out > 0 {
        let _ = writeln!(
            out,
            "_{} left out to fit a comment: run `floe plan` locally, or `floe plan --format json`, for the full plan._\n",
            plural(rows.left_out, "row", "rows")
        );
    }
    append_details(&mut out, plan, limit);
    out
}

/// The text under construction, adding rows while they fit in `budget`
/// characters and counting those that do not.
struct Rows {
    out: String,
    used: usize,
    budget: usize,
    left_out: usize,
}

impl Rows {
    fn new(budget: usize) -> Rows {
        Rows {
            out: String::new(),
            used: 0,
            budget,
            left_out: 0,
        }
    }

    /// Text that is always kept.
    fn push_fixed(&mut self, text: &str) {
        self.used += text.chars().count();
        self.out.push_str(text);
    }

    /// A section: `head`, then each row while the text stays within
    /// `until` characters (once one is left out, every later row is too),
    /// then `tail`. Nothing when no row fits. True when every row fits.
    fn section(&mut self, head: &str, rows: &[String], tail: &str, until: usize) -> bool {
        let until = until.min(self.budget);
        let frame = head.chars().count() + tail.chars().count();
        let mut started = false;
        let mut all = true;
        for row in rows {
            let need = row.chars().count() + if started { 0 } else { frame };
            if !all || self.used + need > until {
                all = false;
                self.left_out += 1;
                continue;
            }
            if !started {
                self.push_fixed(head);
                // The tail is counted now so it always fits.
                self.used += tail.chars().count();
                started = true;
            }
            self.out.push_str(row);
            self.used += row.chars().count();
        }
        if started {
            self.out.push_str(tail);
        }
        all
    }
}

/// The heading line, what the plan compares, and the counts.
fn heading(plan: &Plan, origin: &PlanOrigin) -> String {
    let c = plan.counts();
    let unchanged = plan
        .changes
        .iter()
        .filter(|c| c.action == Action::NoOp)
        .count();
    let mut out = String::new();
    let _ = writeln!(out, "### floe plan: {}\n", text(&plan.environment));
    let _ = writeln!(
        out,
        "Compares {} with the account of connection {}.\n",
        declarations(origin),
        code(&origin.connection)
    );
    let _ = writeln!(
        out,
        "**{} to create, {} to update, {} to replace, {} to delete**, {} unchanged ({} drift)\n",
        c.create, c.update, c.replace, c.delete, unchanged, c.drift
    );
    out
}

/// `the declarations at branch `b` (commit `c`)`, as far as known.
fn declarations(origin: &PlanOrigin) -> String {
    match (&origin.branch, &origin.commit) {
        (Some(b), Some(c)) => format!(
            "the declarations at branch {} (commit {})",
            code(b),
            short(c)
        ),
        (Some(b), None) => format!("the declarations at branch {}", code(b)),
        (None, Some(c)) => format!("the declarations at commit {}", short(c)),
        (None, None) => "the declarations".into(),
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A commit as a code span of its first 12 characters.
fn short(commit: &str) -> String {
    code(&commit.chars().take(12).collect::<String>())
}

/// Destructive changes, then drift, each as a marked list, within half the
/// budget so the tables keep room.
fn write_flagged(rows: &mut Rows, plan: &Plan) {
    let until = rows.budget / 2;
    let changed = || plan.changes.iter().filter(|c| c.action != Action::NoOp);
    let destructive: Vec<String> = changed()
        .filter(|c| c.destructive)
        .map(|c| format!("> - {}\n", flagged_item(c)))
        .collect();
    rows.section(
        "> [!CAUTION]\n> **Destructive**: apply drops these objects, and any data they hold, only with `--allow-destroy`.\n>\n",
        &destructive,
        "\n",
        until,
    );
    let refused: Vec<String> = changed()
        .filter_map(|c| {
            let default = c.model_metrics.as_ref()?.default_version.as_ref()?;
            let sentence =
                metrics::verdict_sentence(default).filter(|_| default.verdict.refuses())?;
            Some(format!(
                "> - {}: {}\n",
                code(&c.address.to_string()),
                text(&sentence)
            ))
        })
        .collect();
    rows.section(
        "> [!CAUTION]\n> **Model metrics regression**: apply refuses these new default versions without `--allow-regression`.\n>\n",
        &refused,
        "\n",
        until,
    );
    let drift: Vec<String> = changed()
        .filter(|c| c.drift)
        .map(|c| format!("> - {}\n", flagged_item(c)))
        .collect();
    rows.section(
        "> [!WARNING]\n> **Drift**: the account differs from the last apply; these changes undo what was changed outside floe.\n>\n",
        &drift,
        "\n",
        until,
    );
}

/// `**delete** `address`: reason; notes`.
fn flagged_item(change: &ResourceChange) -> String {
    let notes = notes(change);
    let mut item = format!(
        "**{}** {}",
        action_word(change.action),
        code(&change.address.to_string())
    );
    if !notes.is_empty() {
        item.push_str(": ");
        item.push_str(&notes.join("; "));
    }
    item
}

/// The reason and the warnings of a change, as escaped text.
fn notes(change: &ResourceChange) -> Vec<String> {
    let mut notes: Vec<String> = change.reason.iter().map(|r| text(r)).collect();
    if change.destructive && change.action == Action::Replace {
        notes.push("**destroys data**".into());
    }
    if change.destructive && change.prevent_destroy {
        notes.push("`prevent_destroy` is set: apply will refuse".into());
    }
    let default = change
        .model_metrics
        .as_ref()
        .and_then(|m| m.default_version.as_ref());
    if let Some(note) = default.and_then(metrics::refusal_note) {
        notes.push(format!("**{}**", text(note)));
    }
    notes
}

/// One metric's row: both values and the difference, or the new value
/// alone when nothing is served yet.
fn metric_row(default: &DefaultChange, m: &MetricComparison) -> String {
    let gated = default.gate.as_ref().is_some_and(|g| g.metric == m.metric);
    let name = if gated {
        format!("{} (gated)", code(&m.metric))
    } else {
        code(&m.metric)
    };
    let new = cell(&code(&value(m.new.as_ref())));
    if default.baseline.is_none() {
        return format!("| {} | {new} |\n", cell(&name));
    }
    let diff = m.difference.map_or(String::new(), |d| {
        format!("{}{d}", if d >= 0.0 { "+" } else { "" })
    });
    format!(
        "| {} | {} | {new} | {} |\n",
        cell(&name),
        cell(&code(&value(m.baseline.as_ref()))),
        cell(&text(&diff))
    )
}

/// Per model with a preview: the versions added, then a table of the new
/// default's metrics beside the live default's, and the gate's verdict.
fn write_model_metrics(rows: &mut Rows, plan: &Plan) {
    let budget = rows.budget;
    for change in plan.changes.iter().filter(|c| c.action != Action::NoOp) {
        let Some(preview) = &change.model_metrics else {
            continue;
        };
        let mut head = format!(
            "#### model versions and metrics: {}\n\n",
            code(&change.address.to_string())
        );
        for added in &preview.added {
            let line = match metrics::source(added) {
                metrics::Source::Promotion { env, version } => format!(
                    "{} promoted from {} (version {})",
                    code(&added.version),
                    text(env),
                    code(version)
                ),
                metrics::Source::Stage(path) => {
                    format!("{} from {}", code(&added.version), code(path))
                }
            };
            let _ = writeln!(head, "- adds version {line}");
        }
        if !preview.added.is_empty() {
            head.push('\n');
        }
        let Some(default) = &preview.default_version else {
            rows.push_fixed(&head);
            continue;
        };
        let _ = writeln!(head, "{}\n", text(&metrics::default_heading(default)));
        let new = format!("new default {}", code(&default.version));
        let _ = match &default.baseline {
            Some(b) => writeln!(
                head,
                "| metric | live default {} | {new} | difference |\n|---|---|---|---|",
                code(b)
            ),
            None => writeln!(head, "| metric | {new} |\n|---|---|"),
        };
        let table: Vec<String> = default
            .metrics
            .iter()
            .map(|m| metric_row(default, m))
            .collect();
        let tail = match metrics::verdict_sentence(default) {
            Some(sentence) if default.verdict.refuses() => format!("\n**{}**\n\n", text(&sentence)),
            Some(sentence) => format!("\n{}\n\n", text(&sentence)),
            None => "\n".to_string(),
        };
        rows.section(&head, &table, &tail, budget);
    }
}

/// One table per kind, then the unmanaged objects.
fn write_tables(rows: &mut Rows, plan: &Plan) {
    let mut until = rows.budget;
    for kind in KindName::ALL {
        let table: Vec<String> = plan
            .changes
            .iter()
            .filter(|c| c.kind == kind && c.action != Action::NoOp)
            .map(table_row)
            .collect();
        let head = format!(
            "#### {}\n\n| address | action | changes |\n|---|---|---|\n",
            kind.address_name()
        );
        if !rows.section(&head, &table, "\n", until) {
            // Once a table is cut, later ones are left out whole.
            until = 0;
        }
    }
    let unmanaged: Vec<String> = plan
        .unmanaged
        .iter()
        .map(|u| {
            format!(
                "| {} | {} |\n",
                cell(&code(&u.address.to_string())),
                cell(&code(&u.fqn))
            )
        })
        .collect();
    rows.section(
        "#### unmanaged\n\nNeither declared nor in state: never touched. To adopt one, declare it and run `floe state import ADDR`.\n\n| address | name |\n|---|---|\n",
        &unmanaged,
        "\n",
        until,
    );
}

/// `| `address` | update (drift) | reason<br>`field`: `old` → `new` |`.
fn table_row(change: &ResourceChange) -> String {
    let mut action = action_word(change.action).to_string();
    if change.drift {
        action.push_str(" (drift)");
    }
    let mut changes = notes(change);
    for attribute in &change.attributes {
        let (old, new) = (value(attribute.old()), value(attribute.declared.as_ref()));
        if old != new {
            changes.push(format!(
                "{}: {} → {}",
                code(&attribute.field),
                code(&old),
                code(&new)
            ));
        } else if !reason_names(change, &attribute.field) {
            // Both cut to the same start: the details show where they differ.
            changes.push(format!("{} changed", code(&attribute.field)));
        }
    }
    format!(
        "| {} | {} | {} |\n",
        cell(&code(&change.address.to_string())),
        cell(&action),
        cell(&changes.join("<br>"))
    )
}

/// Whether the change's reason already says that `field` changed
/// (`query changed`), so the table need not say it twice.
fn reason_names(change: &ResourceChange, field: &str) -> bool {
    change
        .reason
        .as_deref()
        .is_some_and(|r| r.strip_suffix(" changed") == Some(field))
}

/// The verb of an action.
fn action_word(action: Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Update => "update",
        Action::Replace => "replace",
        Action::Delete => "delete",
        Action::NoOp => "no change",
    }
}

/// Appends the attribute diffs and the SQL, each folded, as far as they fit
/// in `limit`; says so when one is left out.
fn append_details(out: &mut String, plan: &Plan, limit: usize) {
    let blocks = [
        ("attribute changes", attribute_details(plan)),
        ("SQL", sql_details(plan)),
    ];
    let mut left_out = Vec::new();
    let note_room = 300;
    for (name, block) in blocks {
        let Some(block) = block else { continue };
        let used = out.chars().count();
        if used + block.chars().count() + note_room <= limit {
            out.push_str(&block);
        } else {
            left_out.push(name);
        }
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "_The {} {} left out to fit a comment: run `floe plan --sql` locally, or `floe plan --format json`, to see them._",
            left_out.join(" and the "),
            if left_out.len() == 1 { "is" } else { "are" }
        );
    }
}

/// Each change's attributes as a folded diff, or `None` when none differ.
fn attribute_details(plan: &Plan) -> Option<String> {
    let mut body = String::new();
    for change in plan.changes.iter().filter(|c| !c.attributes.is_empty()) {
        let _ = writeln!(body, "@@ {} @@", clean(&change.address.to_string()));
        for attribute in &change.attributes {
            write_attribute_diff(&mut body, attribute);
        }
    }
    if body.is_empty() {
        return None;
    }
    Some(folded("Attribute changes", "diff", &body))
}

/// One attribute as `-` old and `+` new lines. Texts of several lines (a
/// query) show only the lines from the first to the last that differ.
fn write_attribute_diff(body: &mut String, attribute: &AttributeChange) {
    let field = clean(&attribute.field);
    let (old, new) = (attribute.old(), attribute.declared.as_ref());
    if let (Some(Value::String(old)), Some(Value::String(new))) = (old, new) {
        if old.contains('\n') || new.contains('\n') {
            let old: Vec<&str> = old.lines().collect();
            let new: Vec<&str> = new.lines().collect();
            let head = common_run(old.iter(), new.iter());
            let tail = common_run(old[head..].iter().rev(), new[head..].iter().rev());
            let _ = writeln!(body, "  {field}: from line {}", head + 1);
            for line in &old[head..old.len() - tail] {
                let _ = writeln!(body, "-   {}", clean(line));
            }
            for line in &new[head..new.len() - tail] {
                let _ = writeln!(body, "+   {}", clean(line));
            }
            return;
        }
    }
    let _ = writeln!(body, "- {field}: {}", full_value(old));
    let _ = writeln!(body, "+ {field}: {}", full_value(new));
}

/// How many items two sequences share before they first differ.
fn common_run<'a>(
    a: impl Iterator<Item = &'a &'a str>,
    b: impl Iterator<Item = &'a &'a str>,
) -> usize {
    a.zip(b).take_while(|(x, y)| x == y).count()
}

/// Every step's SQL, in order, folded, or `None` when no step runs SQL.
fn sql_details(plan: &Plan) -> Option<String> {
    let mut body = String::new();
    let mut count = 0;
    for step in plan.steps.iter().filter(|s| !s.statements.is_empty()) {
        count += 1;
        let _ = writeln!(
            body,
            "-- step {}: {} {}",
            step.id,
            purpose(step.purpose),
            clean(&step.address.to_string())
        );
        for statement in &step.statements {
            let statement = clean(statement.trim_end());
            let end = if statement.ends_with(';') { "" } else { ";" };
            let _ = writeln!(body, "{statement}{end}");
        }
    }
    if body.is_empty() {
        return None;
    }
    let summary = format!("SQL, in order ({})", plural(count, "step", "steps"));
    Some(folded(&summary, "sql", &body))
}

/// `body` in a fenced code block of `language`, folded under `summary`.
fn folded(summary: &str, language: &str, body: &str) -> String {
    let fence = "`".repeat(longest_run(body, '`').max(2) + 1);
    format!(
        "<details><summary>{summary}</summary>\n\n{fence}{language}\n{body}{fence}\n\n</details>\n\n"
    )
}

/// A value in full, on one line: plain words bare, anything else as JSON.
fn full_value(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "(none)".into(),
        Some(Value::String(s)) if !s.is_empty() && !s.contains(char::is_whitespace) => clean(s),
        Some(other) => clean(&other.to_string()),
    }
}

/// `text` without control characters (ANSI escapes among them); line
/// breaks and tabs stay.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// `text` as plain markdown text: on one line, every character markdown
/// could read as syntax escaped with a backslash.
pub(super) fn text(text: &str) -> String {
    let mut out = String::new();
    for c in clean(text).chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '~' | '!' | '&' | '@' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` as an inline code span, on one line: the fence is one backtick
/// longer than the longest run inside, padded when the text starts or ends
/// with a backtick.
pub(super) fn code(text: &str) -> String {
    let body: String = clean(text)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_run(&body, '`') + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// `text` made safe for a table cell: a `|` escaped, even inside a code
/// span (GitHub's tables read `\|` there as a pipe).
pub(super) fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The length of the longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// `1 row` / `2 rows`.
fn plural(n: usize, one: &str, many: &str) -> String {
    super::style::plural(n, one, many)
}
