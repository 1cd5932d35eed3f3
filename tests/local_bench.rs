//! Scale figures for the local account (run with
//! `cargo test --test local_bench -- --ignored --nocapture`). Prints how long
//! 4,000 CREATE VIEW / CREATE TASK statements take one at a time, and how
//! long reopening the account and listing them takes. Asserts counts only.

mod common;

use std::time::Instant;

use common::local::{SETUP, account, ok};
use floe::local::LocalAccount;

#[test]
#[ignore = "benchmark: prints figures"]
fn four_thousand_statements_one_at_a_time() {
    let (dir, acc) = account();
    ok(&acc, SETUP);
    let start = Instant::now();
    for i in 0..2000 {
        ok(
            &acc,
            &format!(
                "CREATE VIEW OSS.FS.V{i} COMMENT = 'v' AS SELECT PUDO_ID, DS FROM OSS.RAW.PARCELS"
            ),
        );
        ok(
            &acc,
            &format!(
                "CREATE TASK OSS.OPS.T{i} WAREHOUSE = ML_WH SCHEDULE = '60 MINUTE' AS SELECT {i}"
            ),
        );
    }
    let created = start.elapsed();
    let start = Instant::now();
    let views = ok(&acc, "SHOW VIEWS IN SCHEMA OSS.FS").len();
    let tasks = ok(&acc, "SHOW TASKS IN SCHEMA OSS.OPS").len();
    let shown = start.elapsed();
    drop(acc);
    let start = Instant::now();
    let reopened = LocalAccount::open(&floe::local::account_path(dir.path()), &[], None)
        .expect("the account reopens");
    let views_again = ok(&reopened, "SHOW VIEWS IN SCHEMA OSS.FS").len();
    let reopen = start.elapsed();
    println!(
        "4000 CREATE statements: {created:?} ({:?}/statement); SHOW of 4000: {shown:?}; reopen + SHOW: {reopen:?}",
        created / 4000
    );
    assert_eq!((views, tasks, views_again), (2000, 2000, 2000));
}
