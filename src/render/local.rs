//! What `floe local` shows: the rows of a statement run against the local
//! account (an aligned table, or JSON with `--json`), the outcome of a
//! reset, and what became of the per-environment accounts of older floe.

use std::path::{Path, PathBuf};

use crate::local::project::Reset;
use crate::session::Rows;

/// What `floe local reset` did: deleted the project's account at `account`
/// (or found none), and the per-environment accounts of older floe.
pub fn reset_text(reset: &Reset, account: &Path) -> String {
    let mut out = if reset.existed {
        format!(
            "Deleted the project's local account {} (shared by every environment); it is re-created and re-seeded on next use.\n",
            account.display()
        )
    } else {
        format!(
            "The project has no local account yet ({}); nothing to delete.\n",
            account.display()
        )
    };
    for file in &reset.per_environment {
        out.push_str(&format!(
            "Deleted {}, a per-environment local account of an older floe.\n",
            file.display()
        ));
    }
    out
}

/// The notice for a lone per-environment account of older floe, from
/// `from`, that became the project's account at `account`.
pub fn adopted_account_text(from: &Path, account: &Path) -> String {
    format!(
        "note: the local account {} of an older floe is now the project's local account {}, shared by every environment\n",
        from.display(),
        account.display()
    )
}

/// The warning for per-environment accounts of older floe that are not
/// read, since the project's account at `account` exists.
pub fn ignored_accounts_text(files: &[PathBuf], account: &Path) -> String {
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    format!(
        "warning: {} {} of an older floe, one per environment, {} not read: every environment uses the project's local account {}; delete {} (with {} .journal) when you no longer need {}\n",
        if files.len() == 1 {
            "the local account"
        } else {
            "the local accounts"
        },
        names.join(", "),
        if files.len() == 1 { "is" } else { "are" },
        account.display(),
        if files.len() == 1 { "it" } else { "them" },
        if files.len() == 1 { "its" } else { "their" },
        if files.len() == 1 { "it" } else { "them" },
    )
}

/// The rows as `{"columns": [...], "rows": [[...]]}`, NULL as `null`.
pub fn rows_json(rows: &Rows) -> String {
    let value = serde_json::json!({
        "columns": rows.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        "rows": rows.rows,
    });
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

/// The rows as an aligned table; NULL prints as `NULL`, newlines as `\n`.
pub fn rows_table(rows: &Rows) -> String {
    let cell = |c: &Option<String>| {
        c.as_deref()
            .map_or("NULL".to_string(), |s| s.replace('\n', "\\n"))
    };
    let cells: Vec<Vec<String>> = rows
        .rows
        .iter()
        .map(|r| r.iter().map(cell).collect())
        .collect();
    let mut widths: Vec<usize> = rows
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |values: Vec<&str>| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        format!("{}\n", padded.join(" | ").trim_end())
    };
    let mut text = line(rows.columns.iter().map(|c| c.name.as_str()).collect());
    text.push_str(&format!(
        "{}\n",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    ));
    for row in &cells {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Column, ColumnType};

    fn rows() -> Rows {
        Rows {
            columns: vec![
                Column::new("name", ColumnType::Text),
                Column::new("comment", ColumnType::Text),
            ],
            rows: vec![
                vec![Some("ML_WH".into()), None],
                vec![Some("W".into()), Some("two\nlines".into())],
            ],
            query_id: None,
        }
    }

    #[test]
    fn a_table_aligns_columns_and_shows_null_and_newlines_on_one_line() {
        assert_eq!(
            rows_table(&rows()),
            "name  | comment\n\
             ------+-----------\n\
             ML_WH | NULL\n\
             W     | two\\nlines\n"
        );
    }

    #[test]
    fn json_keeps_null_as_null() {
        let value: serde_json::Value = serde_json::from_str(&rows_json(&rows())).expect("JSON");
        assert_eq!(
            value,
            serde_json::json!({
                "columns": ["name", "comment"],
                "rows": [["ML_WH", null], ["W", "two\nlines"]],
            })
        );
    }
}
