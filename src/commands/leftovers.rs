//! Warnings about what a lost file or an earlier run left behind: a local
//! account whose files are gone although state records objects, and the
//! lock of an apply that was cut short, with the tasks it left suspended.
//! This finds them; `crate::render` words them and the commands print them
//! on stderr before their output. Nothing here changes a file.

use std::path::Path;

use crate::kinds::reconciler::Kinds;
use crate::local::Opened;
use crate::model::{Address, KindName};
use crate::render::{InterruptedRun, LostAccount, LostFile};
use crate::resolve::ResolvedEnv;
use crate::state::{State, StateStore};

/// The local account's files were missing although state records objects:
/// nobody deleted those objects, the account was lost (a deleted `.floe/`,
/// a fresh clone), and the plan shows them as deleted outside floe.
pub fn lost_account(store: &StateStore, path: &Path, opened: Opened) -> Option<LostAccount> {
    let (lost, file) = match opened {
        Opened::Existing => return None,
        Opened::Created => (LostFile::Account, path.to_path_buf()),
        Opened::JournalMissing => (LostFile::Journal, path.with_extension("journal")),
    };
    let recorded = store.load().ok()?.resources.len();
    if recorded == 0 {
        return None;
    }
    Some(LostAccount {
        lost,
        file,
        state: store.path(),
        recorded,
    })
}

/// An apply was cut short (a second Ctrl-C, a kill): its lock is still
/// there though its process is gone. The tasks state records suspended
/// although they are declared enabled are what that run left suspended.
pub fn interrupted_run(
    store: &StateStore,
    resolved: &ResolvedEnv,
    state: &State,
    kinds: &Kinds,
) -> Option<InterruptedRun> {
    let holder = store.lock_holder()?;
    if !holder.is_stale() {
        return None;
    }
    Some(InterruptedRun {
        environment: resolved.environment().name.clone(),
        lock: store.lock_path(),
        holder,
        suspended: suspended_but_enabled(resolved, state, kinds),
    })
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
