//! Text for `floe state list`, `show`, `unlock`, `rm`, `import`,
//! `history`, `restore` and `migrate`.

use std::fmt::Write;

use crate::model::Address;
use crate::state::history::RecordChange;
use crate::state::tables::HistoryRow;
use crate::state::{LockInfo, State, StateEntry};

/// One address per line, sorted; a note when the state is empty.
pub fn state_list_text(state: &State) -> String {
    if state.resources.is_empty() {
        return format!("The state of {} records no resources.\n", state.environment);
    }
    let mut out = String::new();
    for address in state.addresses() {
        let _ = writeln!(out, "{address}");
    }
    out
}

/// One entry: its fields, then its attributes as pretty JSON.
pub fn state_show_text(address: &Address, entry: &StateEntry) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{address}");
    let _ = writeln!(out, "  fqn:                  {}", entry.fqn);
    let _ = writeln!(out, "  applied_at:           {}", entry.applied_at);
    let commit = entry.git_commit.as_deref().unwrap_or("(unknown)");
    let _ = writeln!(out, "  git_commit:           {commit}");
    let _ = writeln!(
        out,
        "  declared_fingerprint: {}",
        entry.declared_fingerprint
    );
    let _ = writeln!(out, "  live_fingerprint:     {}", entry.live_fingerprint);
    let deps: Vec<String> = entry.depends_on.iter().map(Address::to_string).collect();
    let deps = if deps.is_empty() {
        "(none)".to_string()
    } else {
        deps.join(", ")
    };
    let _ = writeln!(out, "  depends_on:           {deps}");
    // Attributes are plain JSON values: serialisation cannot fail.
    let attributes = serde_json::to_string_pretty(&entry.attributes).unwrap_or_default();
    let _ = writeln!(out, "  attributes: {}", attributes.replace('\n', "\n  "));
    out
}

/// What `floe state unlock` did: removed the lock `removed` held, or found
/// none.
pub fn unlock_text(environment: &str, removed: Option<&LockInfo>) -> String {
    match removed {
        Some(holder) => format!(
            "Removed the lock of {environment} held by {} (pid {}, `{}` since {}).\n",
            holder.who, holder.pid, holder.command, holder.started_at
        ),
        None => format!("{environment} is not locked.\n"),
    }
}

/// What `floe state rm` did, and what it did not.
pub fn forgot_text(address: &Address, fqn: &str) -> String {
    format!(
        "Forgot {address} ({fqn}). The object itself was not touched; \
         while it stays declared, the next plan adopts it again.\n"
    )
}

/// What `floe state import` did, and what to run next.
pub fn imported_text(address: &Address, fqn: &str) -> String {
    format!(
        "Imported {address} ({fqn}). Run `floe plan` to see how it differs from its declaration.\n"
    )
}

/// `floe state history`: one line per kept serial, newest first, at most
/// `limit`: the serial, when and by whom it was written, and each address
/// it changed, marked `+` recorded, `~` changed, `-` forgotten. `rows`
/// come newest serial first; `address` is the filter asked for.
pub fn history_text(
    environment: &str,
    rows: &[HistoryRow],
    address: Option<&Address>,
    limit: usize,
) -> String {
    let mut serials: Vec<&[HistoryRow]> = rows.chunk_by(|a, b| a.serial == b.serial).collect();
    if serials.is_empty() {
        return match address {
            Some(address) => format!(
                "No kept serial of {environment} changed {address} (the last 100 serials are kept).\n"
            ),
            None => format!(
                "No history is kept for {environment} yet: it starts with the first write.\n"
            ),
        };
    }
    let hidden = serials.len().saturating_sub(limit);
    serials.truncate(limit);
    let mut out = String::new();
    for serial in serials {
        let first = &serial[0];
        let changes: Vec<String> = serial
            .iter()
            .map(|row| {
                let mark = RecordChange::between(row.before.as_ref(), row.after.as_ref())
                    .map_or('=', |c| c.mark());
                format!("{mark}{}", row.address)
            })
            .collect();
        let _ = writeln!(
            out,
            "serial {}  {}  by {}  {}",
            first.serial,
            first.written_at,
            first.written_by,
            changes.join(" ")
        );
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "({hidden} older serials not shown: raise --limit to see them)"
        );
    }
    out
}

/// What `floe state restore` is about to change in the records of
/// `environment`, and that the account is not touched.
pub fn restore_plan_text(
    environment: &str,
    serial: u64,
    changes: &[(Address, RecordChange)],
) -> String {
    let mut out = format!(
        "Restoring the state of {environment} to serial {serial} changes these records (state only: the account is not touched):\n"
    );
    for (address, change) in changes {
        let what = match change {
            RecordChange::Added => "recorded again".to_string(),
            RecordChange::Removed => "forgotten".to_string(),
            RecordChange::Changed(fields) => format!("changed: {}", fields.join(", ")),
        };
        let _ = writeln!(out, "  {} {address} ({what})", change.mark());
    }
    out
}

/// The question `floe state restore` asks before it writes.
pub fn restore_prompt(environment: &str) -> String {
    format!("\nWrite these records to the state of {environment}? Type `yes` to confirm: ")
}

/// What `floe state restore` did, and what to run next.
pub fn restored_text(environment: &str, serial: u64, written: u64) -> String {
    format!(
        "Restored the records of {environment} as they were after serial {serial}, written as serial {written}. \
         The account was not touched: run `floe plan` to see how it differs from them.\n"
    )
}

/// `floe state restore` to the serial the state is already at, or to
/// records equal to today's.
pub fn nothing_to_restore_text(environment: &str, serial: u64) -> String {
    format!(
        "The records of {environment} are already as they were after serial {serial}: nothing to write.\n"
    )
}

/// What `floe state migrate` did.
#[derive(Debug, Clone)]
pub struct Migration<'a> {
    /// The environment.
    pub environment: &'a str,
    /// How many records moved (and were read back).
    pub records: usize,
    /// Where they were (a file or a table).
    pub from: String,
    /// Where they are now.
    pub to: String,
    /// The file the source files were kept as, when they were files.
    pub kept: Option<String>,
    /// The statements removing the old rows, when they were tables.
    pub drop_rows: Option<String>,
    /// The `state.backend` value the environment must now have.
    pub backend: &'a str,
    /// environments.yaml already says that backend.
    pub configured: bool,
}

/// `floe state migrate`'s report: what moved, what was left and how, and
/// what to change in environments.yaml.
pub fn migrated_text(m: &Migration<'_>) -> String {
    let mut out = format!(
        "Migrated {} records of {} from {} to {}, and read them back identical.\n",
        m.records, m.environment, m.from, m.to
    );
    if let Some(kept) = &m.kept {
        let _ = writeln!(
            out,
            "The state files were kept as {kept}, which no run reads; delete it once you no longer need it."
        );
    }
    if let Some(sql) = &m.drop_rows {
        let _ = writeln!(
            out,
            "The rows in the account were left in place; no run reads them while the state is kept in files. Remove them with: {sql}"
        );
    }
    if m.configured {
        let _ = writeln!(
            out,
            "config/environments.yaml already keeps the state of {} in `{}`.",
            m.environment, m.backend
        );
    } else {
        let _ = writeln!(
            out,
            "Now set `state: {{backend: {}}}` for {} in config/environments.yaml, before the next plan or apply: until then floe keeps using the old location.",
            m.backend, m.environment
        );
    }
    out
}
