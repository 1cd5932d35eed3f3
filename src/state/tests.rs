use serde_json::json;

use super::*;
use crate::kinds::reconciler::fakes::{addr, attrs, live};

fn entry(size: &str) -> StateEntry {
    StateEntry::from_live(&live("warehouse.WH", json!({ "size": size })), vec![], None)
}

#[test]
fn missing_state_is_empty_with_a_lineage() {
    let dir = tempfile::tempdir().unwrap();
    let state = StateStore::new(dir.path(), "DEV").load().unwrap();
    assert!(state.resources.is_empty());
    assert_eq!(state.serial, 0);
    assert_eq!(state.lineage.len(), 32);
}

#[test]
fn save_round_trips_bumps_serial_and_keeps_the_version_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let store = StateStore::new(dir.path().join("state"), "DEV");
    let mut state = store.load().unwrap();
    state.import(addr("warehouse.WH"), entry("SMALL")).unwrap();
    store.save(&mut state).unwrap();
    assert!(
        !store.backup_path().exists(),
        "no backup before a second write"
    );

    // The next run writes twice; the backup is what it started from.
    let store = StateStore::new(dir.path().join("state"), "DEV");
    for size in ["MEDIUM", "LARGE"] {
        state
            .resources
            .get_mut(&addr("warehouse.WH"))
            .unwrap()
            .attributes = attrs(json!({"size": size}));
        store.save(&mut state).unwrap();
    }

    let read = store.load().unwrap();
    assert_eq!(read, state);
    assert_eq!(read.serial, 3);
    let backup: State =
        serde_json::from_str(&std::fs::read_to_string(store.backup_path()).unwrap()).unwrap();
    assert_eq!(backup.serial, 1);
    assert_eq!(
        backup.resources[&addr("warehouse.WH")].attributes["size"],
        json!("SMALL")
    );
    assert_eq!(backup.lineage, read.lineage);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("state"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn corrupt_state_is_an_error_naming_file_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let store = StateStore::new(dir.path(), "DEV");
    std::fs::write(store.path(), "{ not json").unwrap();
    let err = store.load().unwrap_err();
    assert!(matches!(err, StateError::Corrupt { .. }), "{err:?}");
    let text = err.to_diagnostic().render(std::path::Path::new("."));
    assert!(text.contains("DEV.json is corrupt"), "{text}");
    assert!(text.contains("DEV.json.backup"), "{text}");
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "{ not json");
}

#[test]
fn newer_format_is_refused_not_reset() {
    let dir = tempfile::tempdir().unwrap();
    let store = StateStore::new(dir.path(), "DEV");
    std::fs::write(store.path(), r#"{"format_version": 7, "shape": "unknown"}"#).unwrap();
    let err = store.load().unwrap_err();
    assert!(
        matches!(err, StateError::NewerFormat { found: 7, .. }),
        "{err:?}"
    );
    assert!(
        err.to_diagnostic()
            .render(std::path::Path::new("."))
            .contains("upgrade floe")
    );
    assert!(
        std::fs::read_to_string(store.path())
            .unwrap()
            .contains("\"shape\"")
    );
}

#[test]
fn state_of_another_environment_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut prod = State::new("PROD");
    StateStore::new(dir.path(), "PROD").save(&mut prod).unwrap();
    std::fs::rename(dir.path().join("PROD.json"), dir.path().join("DEV.json")).unwrap();
    let err = StateStore::new(dir.path(), "DEV").load().unwrap_err();
    assert!(
        err.to_string().contains("belongs to environment PROD"),
        "{err}"
    );
}

#[test]
fn second_lock_fails_at_once_with_the_holder() {
    let dir = tempfile::tempdir().unwrap();
    let store = StateStore::new(dir.path(), "DEV");
    let held = store.lock("apply").unwrap();
    let err = store.lock("apply").unwrap_err();
    let StateError::Locked { holder, stale, .. } = &err else {
        panic!("expected a lock error, got {err:?}");
    };
    assert_eq!(holder.pid, std::process::id());
    assert_eq!(holder.command, "apply");
    assert!(!stale, "our own process is alive");
    let text = err.to_diagnostic().render(std::path::Path::new("."));
    assert!(
        text.contains(&format!("pid {}", std::process::id())),
        "{text}"
    );
    assert!(text.contains("floe state unlock"), "{text}");
    drop(held);
    assert!(!store.lock_path().exists());
    let _again = store.lock("plan").unwrap();
}

#[test]
fn lock_of_a_dead_process_is_stale_but_still_held() {
    let dir = tempfile::tempdir().unwrap();
    let store = StateStore::new(dir.path(), "DEV");
    let mut info = LockInfo::current("apply");
    info.pid = u32::MAX - 1;
    std::fs::write(store.lock_path(), serde_json::to_string(&info).unwrap()).unwrap();
    match store.lock("apply") {
        Err(StateError::Locked { stale, .. }) => {
            assert_eq!(stale, std::path::Path::new("/proc").is_dir());
        }
        other => panic!("expected a lock error, got {other:?}"),
    }
    assert_eq!(
        store.force_unlock().unwrap().map(|h| h.pid),
        Some(u32::MAX - 1)
    );
    assert_eq!(store.force_unlock().unwrap(), None);
    assert!(store.lock("apply").is_ok());
}

#[test]
fn rm_and_import_refuse_what_makes_no_sense() {
    let mut state = State::new("DEV");
    state.import(addr("warehouse.WH"), entry("SMALL")).unwrap();
    let again = state
        .import(addr("warehouse.WH"), entry("SMALL"))
        .unwrap_err();
    assert!(again.to_string().contains("already in the state of DEV"));
    assert_eq!(state.addresses(), vec![&addr("warehouse.WH")]);
    assert!(state.remove(&addr("warehouse.WH")).is_ok());
    let gone = state.remove(&addr("warehouse.WH")).unwrap_err();
    assert!(gone.to_string().contains("not in the state of DEV"));
}

/// A store in a fresh folder with WH (SMALL) and OLD recorded in the
/// snapshot.
fn recorded_store(dir: &std::path::Path) -> (StateStore, State) {
    let store = StateStore::new(dir, "DEV");
    let mut state = store.load().unwrap();
    state.import(addr("warehouse.WH"), entry("SMALL")).unwrap();
    state
        .import(addr("warehouse.OLD"), entry("XSMALL"))
        .unwrap();
    store.save(&mut state).unwrap();
    (store, state)
}

fn size_of(state: &State, address: &str) -> Option<serde_json::Value> {
    state
        .get(&addr(address))
        .map(|e| e.attributes["size"].clone())
}

#[test]
fn journal_lines_replay_in_order_over_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state) = recorded_store(dir.path());
    let snapshot = std::fs::read_to_string(store.path()).unwrap();
    let wh = addr("warehouse.WH");
    let new = addr("warehouse.NEW");
    state.resources.insert(wh.clone(), entry("MEDIUM"));
    state.resources.insert(new.clone(), entry("LARGE"));
    store.record(&mut state, &[&wh, &new]).unwrap();
    state.resources.insert(wh.clone(), entry("X4LARGE"));
    state.resources.remove(&addr("warehouse.OLD"));
    store
        .record(&mut state, &[&wh, &addr("warehouse.OLD")])
        .unwrap();

    // The snapshot was not rewritten; the journal has one line per change.
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), snapshot);
    let journal = std::fs::read_to_string(store.journal_path()).unwrap();
    assert_eq!(journal.lines().count(), 4, "{journal}");
    assert!(
        journal
            .lines()
            .last()
            .unwrap()
            .contains("\"op\":\"remove\"")
    );

    let read = store.load_reporting().unwrap();
    assert_eq!(read.warning, None);
    assert_eq!(read.state, state);
    assert_eq!(size_of(&read.state, "warehouse.WH"), Some(json!("X4LARGE")));
    assert_eq!(size_of(&read.state, "warehouse.OLD"), None);
    assert_eq!(read.state.serial, 3);
}

#[test]
fn a_torn_last_journal_line_is_ignored_with_a_warning_and_cut_by_the_next_writer() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state) = recorded_store(dir.path());
    let wh = addr("warehouse.WH");
    state.resources.insert(wh.clone(), entry("MEDIUM"));
    store.record(&mut state, &[&wh]).unwrap();
    let whole = std::fs::read_to_string(store.journal_path()).unwrap();
    state.resources.insert(wh.clone(), entry("LARGE"));
    store.record(&mut state, &[&wh]).unwrap();
    // A kill in the middle of the second write.
    let both = std::fs::read_to_string(store.journal_path()).unwrap();
    let torn = &both[..whole.len() + (both.len() - whole.len()) / 2];
    std::fs::write(store.journal_path(), torn).unwrap();

    let read = StateStore::new(dir.path(), "DEV").load_reporting().unwrap();
    assert_eq!(size_of(&read.state, "warehouse.WH"), Some(json!("MEDIUM")));
    let warning = read.warning.expect("a warning");
    assert!(warning.contains("DEV.journal"), "{warning}");
    assert!(warning.contains("line 2"), "{warning}");

    // The next run appends after the last whole line, not after the torn one.
    let next = StateStore::new(dir.path(), "DEV");
    let mut state = read.state;
    state.resources.insert(wh.clone(), entry("XLARGE"));
    next.record(&mut state, &[&wh]).unwrap();
    let read = next.load_reporting().unwrap();
    assert_eq!(read.warning, None);
    assert_eq!(size_of(&read.state, "warehouse.WH"), Some(json!("XLARGE")));
    assert_eq!(
        std::fs::read_to_string(next.journal_path())
            .unwrap()
            .lines()
            .count(),
        2
    );
}

#[test]
fn a_damaged_journal_line_before_the_last_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state) = recorded_store(dir.path());
    let wh = addr("warehouse.WH");
    for size in ["MEDIUM", "LARGE", "XLARGE"] {
        state.resources.insert(wh.clone(), entry(size));
        store.record(&mut state, &[&wh]).unwrap();
    }
    let text = std::fs::read_to_string(store.journal_path()).unwrap();
    let damaged: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 1 {
                l[..l.len() / 2].to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(store.journal_path(), damaged.join("\n") + "\n").unwrap();

    let err = StateStore::new(dir.path(), "DEV").load().unwrap_err();
    assert!(
        matches!(err, StateError::JournalDamaged { line: 2, .. }),
        "{err:?}"
    );
    let text = err.to_diagnostic().render(std::path::Path::new("."));
    assert!(text.contains("DEV.journal:2:"), "{text}");
    assert!(text.contains("line 2"), "{text}");
    // Nothing was reset or rewritten.
    assert_eq!(
        std::fs::read_to_string(store.journal_path()).unwrap(),
        damaged.join("\n") + "\n"
    );
}

#[test]
fn replay_after_a_kill_between_snapshot_and_journal_removal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state) = recorded_store(dir.path());
    let wh = addr("warehouse.WH");
    let old = addr("warehouse.OLD");
    state.resources.insert(wh.clone(), entry("MEDIUM"));
    state.resources.remove(&old);
    store.record(&mut state, &[&wh, &old]).unwrap();
    let journal = std::fs::read(store.journal_path()).unwrap();
    store.compact(&mut state).unwrap();
    assert!(!store.journal_path().exists(), "compaction removes it");

    // The snapshot was renamed in, the journal not yet removed; and the
    // address removed in the journal was since recorded again, directly
    // in the snapshot.
    state.resources.insert(old.clone(), entry("LARGE"));
    store.save(&mut state).unwrap();
    std::fs::write(store.journal_path(), &journal).unwrap();
    let read = store.load_reporting().unwrap();
    assert_eq!(read.warning, None);
    assert_eq!(read.state, state);
    assert_eq!(size_of(&read.state, "warehouse.OLD"), Some(json!("LARGE")));
}

#[test]
fn the_backup_is_the_state_before_the_run_journal_included() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state) = recorded_store(dir.path());
    let wh = addr("warehouse.WH");
    state.resources.insert(wh.clone(), entry("MEDIUM"));
    store.record(&mut state, &[&wh]).unwrap();
    // That run was killed: its journal stays. The next run writes.
    let next = StateStore::new(dir.path(), "DEV");
    let mut state = next.load().unwrap();
    state.resources.insert(wh.clone(), entry("LARGE"));
    next.record(&mut state, &[&wh]).unwrap();
    next.compact(&mut state).unwrap();

    let backup: State =
        serde_json::from_str(&std::fs::read_to_string(next.backup_path()).unwrap()).unwrap();
    assert_eq!(size_of(&backup, "warehouse.WH"), Some(json!("MEDIUM")));
    assert_eq!(
        size_of(&next.load().unwrap(), "warehouse.WH"),
        Some(json!("LARGE"))
    );
}

#[test]
fn a_journal_past_the_snapshot_size_is_folded_into_it() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut state) = recorded_store(dir.path());
    let wh = addr("warehouse.WH");
    let big = "X".repeat(4096);
    let mut folded = false;
    for _ in 0..400 {
        state.resources.insert(wh.clone(), entry(&big));
        store.record(&mut state, &[&wh]).unwrap();
        folded |= !store.journal_path().exists();
    }
    assert!(folded, "the journal was never folded into the snapshot");
    assert_eq!(store.load().unwrap(), state);
}
