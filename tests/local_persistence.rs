//! The local account's files: reopening, sharing between handles, torn
//! journal tails, compaction, seeds, and reads that never write.

mod common;

use std::fs;
use std::io::Write;

use common::local::{SETUP, ok, open};
use floe::local::{LocalAccount, LocalError, account_path};
use tempfile::TempDir;

fn journal(dir: &TempDir) -> std::path::PathBuf {
    account_path(dir.path()).with_extension("journal")
}

#[test]
fn a_reopened_account_has_everything_and_a_second_handle_sees_new_writes() {
    let dir = TempDir::new().unwrap();
    let first = open(&dir);
    ok(&first, SETUP);
    let second = open(&dir);
    assert_eq!(ok(&second, "SHOW SCHEMAS IN DATABASE OSS").len(), 6);
    ok(&first, "CREATE WAREHOUSE LATE_WH");
    assert_eq!(ok(&second, "SHOW WAREHOUSES LIKE 'LATE_WH'").len(), 1);
    ok(&second, "DROP WAREHOUSE LATE_WH");
    assert!(ok(&first, "SHOW WAREHOUSES LIKE 'LATE_WH'").is_empty());
}

#[test]
fn reads_do_not_write_the_account_files() {
    let dir = TempDir::new().unwrap();
    let acc = open(&dir);
    ok(&acc, SETUP);
    let before = (
        fs::read(journal(&dir)).unwrap(),
        fs::read(account_path(dir.path())).unwrap(),
    );
    ok(&acc, "SHOW TABLES IN ACCOUNT");
    ok(
        &acc,
        "SELECT SYSTEM$GET_TAG('OSS.FS.SNOWML_FEATURE_STORE_OBJECT', 'OSS.RAW.PARCELS', 'TABLE')",
    );
    let _ = acc.execute_sync("CREATE WAREHOUSE ML_WH");
    let after = (
        fs::read(journal(&dir)).unwrap(),
        fs::read(account_path(dir.path())).unwrap(),
    );
    assert!(
        before == after,
        "a read or a refused statement changed the files"
    );
}

#[test]
fn a_torn_journal_tail_is_ignored_and_then_truncated() {
    let dir = TempDir::new().unwrap();
    ok(&open(&dir), SETUP);
    let mut file = fs::OpenOptions::new()
        .append(true)
        .open(journal(&dir))
        .unwrap();
    file.write_all(br#"[{"op":"drop_database","name":"OSS"}]"#)
        .unwrap();
    drop(file);
    let acc = open(&dir);
    assert_eq!(
        ok(&acc, "SHOW DATABASES").len(),
        1,
        "the torn drop must not apply"
    );
    ok(&acc, "CREATE WAREHOUSE AFTER_TEAR");
    let reopened = open(&dir);
    assert_eq!(ok(&reopened, "SHOW DATABASES").len(), 1);
    assert_eq!(ok(&reopened, "SHOW WAREHOUSES LIKE 'AFTER_TEAR'").len(), 1);
    let text = fs::read_to_string(journal(&dir)).unwrap();
    assert!(
        !text.contains("drop_database"),
        "the torn line was truncated"
    );
}

#[test]
fn a_line_with_a_bad_checksum_ends_the_journal() {
    let dir = TempDir::new().unwrap();
    ok(&open(&dir), SETUP);
    let text = fs::read_to_string(journal(&dir)).unwrap();
    let corrupted = text.replacen("ML_WH", "XX_WH", 1);
    fs::write(journal(&dir), corrupted).unwrap();
    let acc = open(&dir);
    assert!(ok(&acc, "SHOW WAREHOUSES LIKE 'XX_WH'").is_empty());
}

#[test]
fn a_long_journal_is_compacted_into_a_new_snapshot() {
    let dir = TempDir::new().unwrap();
    let acc = open(&dir);
    ok(&acc, SETUP);
    let comment = "x".repeat(2000);
    for i in 0..700 {
        ok(
            &acc,
            &format!("CREATE WAREHOUSE W{i} COMMENT = '{comment}'"),
        );
    }
    let journal_len = fs::metadata(journal(&dir)).unwrap().len();
    assert!(
        journal_len < 1 << 20,
        "journal was not compacted: {journal_len} bytes"
    );
    let snapshot = fs::read_to_string(account_path(dir.path())).unwrap();
    assert!(
        !snapshot.contains("\"generation\":1,"),
        "a new generation was written"
    );
    assert_eq!(ok(&open(&dir), "SHOW WAREHOUSES").len(), 701);
}

#[test]
fn a_journal_of_an_older_generation_is_ignored() {
    let dir = TempDir::new().unwrap();
    ok(&open(&dir), SETUP);
    fs::write(journal(&dir), "{\"generation\":0}\n").unwrap();
    let acc = open(&dir);
    assert!(
        ok(&acc, "SHOW DATABASES").is_empty(),
        "only the snapshot (empty) counts"
    );
    ok(&acc, "CREATE DATABASE AGAIN");
    assert_eq!(ok(&open(&dir), "SHOW DATABASES").len(), 1);
}

#[test]
fn seeds_run_once_and_a_failing_seed_creates_no_account() {
    let dir = TempDir::new().unwrap();
    let seed = dir.path().join("seed.sql");
    fs::write(&seed, SETUP).unwrap();
    let path = account_path(dir.path());
    let acc = LocalAccount::open(&path, std::slice::from_ref(&seed), None).unwrap();
    ok(&acc, "DROP TABLE OSS.RAW.PARCELS");
    let again = LocalAccount::open(&path, &[seed], None).unwrap();
    assert!(
        ok(&again, "SHOW TABLES IN OSS.RAW").is_empty(),
        "seeds ran a second time"
    );

    let bad = dir.path().join("bad.sql");
    fs::write(
        &bad,
        "CREATE DATABASE X;\nCREATE VIEW X.PUBLIC.V AS SELECT * FROM NOPE",
    )
    .unwrap();
    let other = account_path(&dir.path().join("other"));
    match LocalAccount::open(&other, &[bad], None) {
        Err(LocalError::Seed { file, error }) => {
            assert!(file.ends_with("bad.sql"));
            assert_eq!(error.code, "002003");
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a failing seed created an account"),
    }
    assert!(!other.exists());
}

#[test]
fn reset_deletes_the_account() {
    let dir = TempDir::new().unwrap();
    ok(&open(&dir), SETUP);
    assert!(floe::local::reset(&account_path(dir.path())).unwrap());
    assert!(ok(&open(&dir), "SHOW DATABASES").is_empty());
}

#[test]
fn a_damaged_record_inside_the_journal_is_an_error_and_the_file_is_kept() {
    let dir = TempDir::new().unwrap();
    let acc = open(&dir);
    ok(&acc, SETUP);
    for name in ["A_WH", "B_WH", "C_WH"] {
        ok(&acc, &format!("CREATE WAREHOUSE {name}"));
    }
    drop(acc);
    // Line 1 is the header, 2 the setup, 3 to 5 the warehouses: damage line 3.
    let text = fs::read_to_string(journal(&dir)).unwrap();
    let damaged = text.replacen("A_WH", "Z_WH", 1);
    fs::write(journal(&dir), &damaged).unwrap();
    let message = match LocalAccount::open(&account_path(dir.path()), &[], None) {
        Err(e @ LocalError::JournalDamaged { line: 3, .. }) => e.to_string(),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a damaged journal was opened, cutting the records after it"),
    };
    assert!(message.contains("account.journal"), "{message}");
    assert!(message.contains("line 3"), "{message}");
    assert_eq!(fs::read_to_string(journal(&dir)).unwrap(), damaged);

    // A damaged header is no stale journal either.
    let header = damaged.replacen("generation", "generaton", 1);
    fs::write(journal(&dir), &header).unwrap();
    assert!(matches!(
        LocalAccount::open(&account_path(dir.path()), &[], None),
        Err(LocalError::JournalDamaged { line: 1, .. })
    ));
    assert_eq!(fs::read_to_string(journal(&dir)).unwrap(), header);
}

#[test]
fn opening_says_whether_the_account_was_there() {
    use floe::local::Opened;
    let dir = TempDir::new().unwrap();
    let acc = open(&dir);
    assert_eq!(acc.opened(), Opened::Created);
    ok(&acc, SETUP);
    drop(acc);
    assert_eq!(open(&dir).opened(), Opened::Existing);
    fs::remove_file(journal(&dir)).unwrap();
    assert_eq!(open(&dir).opened(), Opened::JournalMissing);
}
