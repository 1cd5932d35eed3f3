//! Text for `floe state list`, `show`, `unlock`, `rm` and `import`.

use std::fmt::Write;

use crate::model::Address;
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
