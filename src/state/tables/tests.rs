//! The state tables' statements run on a local account, as a backend would
//! run them through its session.

use serde_json::json;

use super::*;
use crate::kinds::reconciler::fakes::{addr, live};
use crate::local::{LocalAccount, scratch_account};

fn entry(name: &str, size: &str) -> StateEntry {
    StateEntry::from_live(&live(name, json!({ "size": size })), vec![], None)
}

fn tables() -> StateTables {
    StateTables::new(
        &Ident::from_resolved("TEAM"),
        &Ident::from_resolved("FLOE"),
        "DEV",
    )
}

fn run(account: &LocalAccount, sql: &str) -> Rows {
    account
        .execute_sync(sql)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A local account with the state tables created (twice: creating is idempotent).
fn account() -> (tempfile::TempDir, LocalAccount) {
    let (dir, acc) = scratch_account(&["CREATE DATABASE TEAM"]);
    for _ in 0..2 {
        for sql in tables().create() {
            run(&acc, &sql);
        }
    }
    (dir, acc)
}

/// Runs a write as a backend does; false when the serial moved meanwhile.
fn write(acc: &LocalAccount, head: &Head, changed: &[Changed<'_>], keep: u64) -> bool {
    let write = tables().write(head, changed, "ci@runner", keep).unwrap();
    run(acc, "BEGIN");
    if rows_changed(&run(acc, &write.swap)) != 1 {
        run(acc, "ROLLBACK");
        return false;
    }
    for sql in &write.rest {
        run(acc, sql);
    }
    run(acc, "COMMIT");
    true
}

fn head(acc: &LocalAccount) -> Option<Head> {
    tables().head(&run(acc, &tables().read_head())).unwrap()
}

#[test]
fn a_write_lands_once_and_a_writer_from_an_old_serial_is_refused() {
    let (_dir, acc) = account();
    assert_eq!(head(&acc), None);
    run(&acc, &tables().create_head("lineage-1", "me@laptop"));
    let start = head(&acc).unwrap();
    assert_eq!(start.serial, 0);

    let (wh, fv) = (
        entry("warehouse.WH", "SMALL"),
        entry("warehouse.OTHER", "LARGE"),
    );
    let (a, b) = (addr("warehouse.WH"), addr("warehouse.OTHER"));
    let added = [
        Changed {
            address: &a,
            before: None,
            after: Some(&wh),
        },
        Changed {
            address: &b,
            before: None,
            after: Some(&fv),
        },
    ];
    assert!(write(&acc, &start, &added, 10));
    assert_eq!(head(&acc).unwrap().serial, 1);

    // Another run read serial 0 too: its swap updates no row, nothing lands.
    let bigger = entry("warehouse.WH", "XLARGE");
    let stale = [Changed {
        address: &a,
        before: Some(&wh),
        after: Some(&bigger),
    }];
    assert!(!write(&acc, &start, &stale, 10));

    let resources = tables()
        .resources(&run(&acc, &tables().read_resources()))
        .unwrap();
    assert_eq!(resources.len(), 2);
    assert_eq!(resources[&a], wh);
    assert_eq!(resources[&b], fv);

    // Removing an address deletes its row.
    let removed = [Changed {
        address: &b,
        before: Some(&fv),
        after: None,
    }];
    assert!(write(&acc, &head(&acc).unwrap(), &removed, 10));
    let resources = tables()
        .resources(&run(&acc, &tables().read_resources()))
        .unwrap();
    assert_eq!(resources.keys().collect::<Vec<_>>(), vec![&a]);
}

#[test]
fn history_keeps_the_last_serials_with_entries_before_and_after() {
    let (_dir, acc) = account();
    run(&acc, &tables().create_head("lineage-1", "me@laptop"));
    let a = addr("warehouse.WH");
    let sizes = ["XSMALL", "SMALL", "MEDIUM", "LARGE"];
    let entries: Vec<StateEntry> = sizes.iter().map(|s| entry("warehouse.WH", s)).collect();
    for (i, after) in entries.iter().enumerate() {
        let before = i.checked_sub(1).map(|p| &entries[p]);
        let changed = [Changed {
            address: &a,
            before,
            after: Some(after),
        }];
        assert!(write(&acc, &head(&acc).unwrap(), &changed, 2));
    }
    let history = run(
        &acc,
        "SELECT SERIAL, ENTRY_BEFORE, ENTRY_AFTER FROM TEAM.FLOE.FLOE_STATE_HISTORY ORDER BY SERIAL",
    );
    let serials: Vec<_> = history.rows.iter().map(|r| r[0].clone().unwrap()).collect();
    assert_eq!(serials, ["3", "4"]);
    let before: StateEntry = serde_json::from_str(history.rows[0][1].as_deref().unwrap()).unwrap();
    assert_eq!(before, entries[1]);
}

#[test]
fn the_lock_has_one_holder_a_lease_and_can_be_removed() {
    let (_dir, acc) = account();
    let t = tables();
    let rows = run(&acc, &t.read_lock());
    run(&acc, &t.create_lock_row(&rows).unwrap());
    assert_eq!(t.create_lock_row(&run(&acc, &t.read_lock())), None);

    let first = LockInfo::current("apply");
    let second = LockInfo {
        pid: first.pid + 1,
        ..first.clone()
    };
    let take = |id: &str, who: &LockInfo| {
        rows_changed(&run(
            &acc,
            &t.acquire(id, who, Some("main"), Some("abc123"), 120),
        ))
    };
    assert_eq!(take("lock-1", &first), 1);
    assert_eq!(take("lock-2", &second), 0, "a held lock is refused");
    let held = t.lock_row(&run(&acc, &t.read_lock()));
    let holder = held.holder.unwrap();
    assert_eq!(
        (holder.who, holder.pid, holder.command),
        (first.who.clone(), first.pid, "apply".into())
    );
    assert!(!held.stale);
    assert_eq!(rows_changed(&run(&acc, &t.renew("lock-1", 120))), 1);
    assert_eq!(rows_changed(&run(&acc, &t.release(Some("lock-2")))), 0);

    // A holder that stopped renewing is reported stale, and still holds it.
    run(
        &acc,
        "UPDATE TEAM.FLOE.FLOE_STATE_LOCK SET LEASE_UNTIL = DATEADD(second, -60, CURRENT_TIMESTAMP())",
    );
    assert!(t.lock_row(&run(&acc, &t.read_lock())).stale);
    assert_eq!(take("lock-2", &second), 0);

    // `floe state unlock` removes it; the holder's renewal then fails.
    assert_eq!(rows_changed(&run(&acc, &t.release(None))), 1);
    assert_eq!(t.lock_row(&run(&acc, &t.read_lock())).holder, None);
    assert_eq!(rows_changed(&run(&acc, &t.renew("lock-1", 120))), 0);
    assert_eq!(take("lock-2", &second), 1);
}

#[test]
fn history_reads_back_newest_first_and_filters_to_one_address() {
    let (_dir, acc) = account();
    run(&acc, &tables().create_head("lineage-1", "me@laptop"));
    let (a, b) = (addr("warehouse.WH"), addr("warehouse.OTHER"));
    let (small, large) = (
        entry("warehouse.WH", "SMALL"),
        entry("warehouse.WH", "LARGE"),
    );
    let other = entry("warehouse.OTHER", "XSMALL");
    let first = [
        Changed {
            address: &a,
            before: None,
            after: Some(&small),
        },
        Changed {
            address: &b,
            before: None,
            after: Some(&other),
        },
    ];
    assert!(write(&acc, &head(&acc).unwrap(), &first, 10));
    let second = [
        Changed {
            address: &a,
            before: Some(&small),
            after: Some(&large),
        },
        Changed {
            address: &b,
            before: Some(&other),
            after: None,
        },
    ];
    assert!(write(&acc, &head(&acc).unwrap(), &second, 10));

    let t = tables();
    let all = t.history(&run(&acc, &t.read_history(None))).unwrap();
    let order: Vec<(u64, String)> = all
        .iter()
        .map(|r| (r.serial, r.address.to_string()))
        .collect();
    assert_eq!(
        order,
        [
            (2, "warehouse.OTHER".to_string()),
            (2, "warehouse.WH".to_string()),
            (1, "warehouse.OTHER".to_string()),
            (1, "warehouse.WH".to_string()),
        ]
    );
    assert_eq!(all[0].before.as_ref(), Some(&other));
    assert_eq!(all[0].after, None);
    assert_eq!(all[1].after.as_ref(), Some(&large));
    assert_eq!(all[1].written_by, "ci@runner");
    assert!(!all[1].written_at.is_empty());

    let only = t.history(&run(&acc, &t.read_history(Some(&a)))).unwrap();
    assert!(only.iter().all(|r| r.address == a));
    assert_eq!(only.len(), 2);
}

#[test]
fn the_state_as_of_a_serial_undoes_every_later_serial() {
    let (a, b, c) = (
        addr("warehouse.A"),
        addr("warehouse.B"),
        addr("warehouse.C"),
    );
    let e = |size: &str| entry("warehouse.A", size);
    let row = |serial, address: &Address, before: Option<StateEntry>, after| HistoryRow {
        serial,
        address: address.clone(),
        before,
        after,
        written_by: "me".into(),
        written_at: "now".into(),
    };
    // Serial 1 added A (S) and B; serial 2 changed A to M and added C;
    // serial 3 changed A to L and removed B.
    let history = vec![
        row(3, &a, Some(e("M")), Some(e("L"))),
        row(3, &b, Some(e("B")), None),
        row(2, &a, Some(e("S")), Some(e("M"))),
        row(2, &c, None, Some(e("C"))),
        row(1, &a, None, Some(e("S"))),
        row(1, &b, None, Some(e("B"))),
    ];
    let current: BTreeMap<Address, StateEntry> = [(a.clone(), e("L")), (c.clone(), e("C"))].into();
    let after_one = as_of(&current, &history, 1);
    assert_eq!(after_one, [(a.clone(), e("S")), (b.clone(), e("B"))].into());
    let after_two = as_of(&current, &history, 2);
    assert_eq!(
        after_two,
        [
            (a.clone(), e("M")),
            (b.clone(), e("B")),
            (c.clone(), e("C"))
        ]
        .into()
    );
    assert_eq!(as_of(&current, &history, 3), current);
    assert!(as_of(&current, &history, 0).is_empty());
}

#[test]
fn a_write_too_large_for_one_statement_is_split_and_lands_whole() {
    let (_dir, acc) = account();
    run(&acc, &tables().create_head("lineage-1", "me@laptop"));
    let start = head(&acc).unwrap();
    // 3 MB of entries: more than one statement should carry.
    let padding = "x".repeat(10_000);
    let addresses: Vec<Address> = (0..300)
        .map(|i| addr(&format!("warehouse.WH_{i:03}")))
        .collect();
    let entries: Vec<StateEntry> = addresses
        .iter()
        .map(|a| entry(&a.to_string(), &padding))
        .collect();
    let changed: Vec<Changed<'_>> = addresses
        .iter()
        .zip(&entries)
        .map(|(address, e)| Changed {
            address,
            before: None,
            after: Some(e),
        })
        .collect();
    let statements = tables().write(&start, &changed, "ci@runner", 10).unwrap();
    let inserts = statements
        .rest
        .iter()
        .filter(|sql| sql.starts_with("INSERT INTO TEAM.FLOE.FLOE_STATE_RESOURCES"))
        .count();
    assert!(inserts > 1, "{inserts} statements carry the resources");
    for sql in &statements.rest {
        assert!(
            sql.len() <= 1024 * 1024,
            "a statement of {} bytes",
            sql.len()
        );
    }

    assert!(write(&acc, &start, &changed, 10));
    let resources = tables()
        .resources(&run(&acc, &tables().read_resources()))
        .unwrap();
    assert_eq!(resources.len(), 300);
    assert_eq!(resources[&addresses[299]], entries[299]);
}
