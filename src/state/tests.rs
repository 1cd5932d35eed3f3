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
