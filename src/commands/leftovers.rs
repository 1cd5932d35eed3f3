//! Warnings about what a lost file or an earlier run left behind: a local
//! account whose files are gone although state records objects, and the
//! lock of an apply that was cut short, with the tasks it left suspended.
//! The commands print them on stderr before their output; nothing here
//! changes a file.

use std::fmt::Write;
use std::path::Path;

use crate::kind::Kinds;
use crate::local::Opened;
use crate::model::{Address, KindName};
use crate::resolve::ResolvedEnv;
use crate::state::{State, StateStore};

/// A warning when the local account's files were missing although state
/// records objects: nobody deleted those objects, the account was lost (a
/// deleted `.floe/`, a fresh clone), and the plan shows them as deleted
/// outside floe.
pub fn lost_account(store: &StateStore, path: &Path, opened: Opened) -> Option<String> {
    let what = match opened {
        Opened::Existing => return None,
        Opened::Created => format!(
            "the local account {} did not exist, so a new one was created from the seed files",
            path.display()
        ),
        Opened::JournalMissing => format!(
            "the journal {} of the local account was missing: what was applied since its last snapshot is gone",
            path.with_extension("journal").display()
        ),
    };
    let recorded = store.load().ok()?.resources.len();
    if recorded == 0 {
        return None;
    }
    Some(format!(
        "warning: {what}, while {} records {recorded} {}.\n  \
         hint: objects missing from the account show as deleted outside floe; \
         restore the files under .floe/local/ if you have them, or apply to create them again\n",
        store.path().display(),
        if recorded == 1 { "object" } else { "objects" },
    ))
}

/// A warning when an apply was cut short (a second Ctrl-C, a kill): its
/// lock is still there though its process is gone. It names the lock, the
/// command that removes it, and the tasks state records suspended although
/// they are declared enabled (what that run left suspended, which the next
/// apply resumes).
pub fn interrupted_run(
    store: &StateStore,
    resolved: &ResolvedEnv,
    state: &State,
    kinds: &Kinds,
) -> Option<String> {
    let holder = store.lock_holder()?;
    if !holder.is_stale() {
        return None;
    }
    let env = &resolved.environment().name;
    let mut text = format!(
        "warning: {} is left by `{}` (pid {}, {} since {}), which is no longer running: that apply was cut short.\n  \
         hint: when no apply is running, remove the lock with `floe state unlock --env {env}`\n",
        store.lock_path().display(),
        holder.command,
        holder.pid,
        holder.who,
        holder.started_at,
    );
    for address in suspended_but_enabled(resolved, state, kinds) {
        let _ = writeln!(
            text,
            "  hint: {address} was left suspended; the plan below resumes it"
        );
    }
    Some(text)
}

/// Tasks that state records suspended and the declarations want running.
fn suspended_but_enabled(resolved: &ResolvedEnv, state: &State, kinds: &Kinds) -> Vec<Address> {
    let enabled = |kind: KindName, attributes| {
        kinds
            .get(kind)
            .and_then(|k| k.graph_node(attributes))
            .map(|n| n.enabled)
    };
    resolved
        .resources
        .iter()
        .filter(|r| enabled(r.address.kind, &r.attributes) == Some(true))
        .filter(|r| {
            state
                .get(&r.address)
                .is_some_and(|e| enabled(e.kind, &e.attributes) == Some(false))
        })
        .map(|r| r.address.clone())
        .collect()
}
