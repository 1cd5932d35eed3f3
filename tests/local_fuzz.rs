//! Random and mutated SQL never panics the local account, and a refused
//! statement never changes its catalog.

mod common;

use common::local::{SETUP, ok};
use floe::local::LocalAccount;
use proptest::prelude::*;

/// Valid statements floe sends; mutations of them probe the parser's edges.
const CORPUS: &[&str] = &[
    "CREATE OR REPLACE DYNAMIC TABLE OSS.FS.D$V1 (A , B COMMENT 'b') TARGET_LAG = '5 minutes' WAREHOUSE = ML_WH REFRESH_MODE = AUTO INITIALIZE = ON_CREATE CLUSTER BY (A, B) COMMENT = 'd' TAG (OSS.FS.SNOWML_FEATURE_STORE_OBJECT = '{\"type\": \"MANAGED_FEATURE_VIEW\"}') AS SELECT PUDO_ID AS A, DS AS B FROM OSS.RAW.PARCELS",
    "CREATE VIEW OSS.FS.V$V1 (A COMMENT 'a') COMMENT = 'v' TAG (OSS.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO = 'PUDO_ID') AS SELECT PUDO_ID AS A FROM OSS.RAW.PARCELS",
    "CREATE TASK OSS.OPS.T WAREHOUSE = ML_WH SCHEDULE = 'USING CRON 0 5 * * * UTC' CONFIG = $${\"a\": 1}$$ ALLOW_OVERLAPPING_EXECUTION = TRUE USER_TASK_TIMEOUT_MS = 1000 COMMENT = 'c' AS SELECT 1",
    "CREATE TASK OSS.OPS.C AFTER OSS.OPS.T WHEN SYSTEM$STREAM_HAS_DATA('S') AS SELECT 2",
    "ALTER TASK OSS.OPS.T RESUME",
    "ALTER TASK OSS.OPS.T SET SCHEDULE = '5 MINUTE' COMMENT = 'x'",
    "CREATE WAREHOUSE W WITH WAREHOUSE_SIZE = 'X-SMALL' AUTO_SUSPEND = 60 AUTO_RESUME = TRUE MIN_CLUSTER_COUNT = 1 MAX_CLUSTER_COUNT = 2",
    "ALTER WAREHOUSE ML_WH SET WAREHOUSE_SIZE = LARGE",
    "CREATE TAG IF NOT EXISTS OSS.FS.SNOWML_FEATURE_STORE_ENTITY_X ALLOWED_VALUES 'A,B' COMMENT = 'x'",
    "CREATE MODEL OSS.REG.M WITH VERSION V1 FROM @OSS.REG.STAGE/m/v1",
    "ALTER MODEL OSS.REG.M MODIFY VERSION V1 SET METADATA=$${\"metrics\": {}}$$",
    "SHOW TERSE TASKS LIKE 'T%' IN SCHEMA OSS.OPS STARTS WITH 'T' LIMIT 5 FROM 'A'",
    "SELECT SYSTEM$GET_TAG('OSS.FS.SNOWML_FEATURE_STORE_OBJECT', 'OSS.RAW.PARCELS', 'TABLE')",
    "SELECT TAG_NAME FROM TABLE(OSS.INFORMATION_SCHEMA.TAG_REFERENCES('OSS.RAW.PARCELS', 'TABLE')) WHERE TAG_VALUE = 'x'",
    "DROP SCHEMA IF EXISTS OSS.FS",
    "USE SCHEMA OSS.\"we\"\"ird ü\"",
];

fn state(acc: &LocalAccount) -> Vec<floe::session::Rows> {
    [
        "SHOW DATABASES",
        "SHOW SCHEMAS IN ACCOUNT",
        "SHOW WAREHOUSES",
        "SHOW TABLES IN ACCOUNT",
        "SHOW VIEWS IN ACCOUNT",
        "SHOW DYNAMIC TABLES IN ACCOUNT",
        "SHOW TASKS IN ACCOUNT",
        "SHOW TAGS IN ACCOUNT",
        "SHOW MODELS IN ACCOUNT",
    ]
    .iter()
    .map(|sql| ok(acc, sql))
    .collect()
}

fn mutated() -> impl Strategy<Value = String> {
    let pick = prop::sample::select(CORPUS);
    let noise = prop::sample::select(vec![
        "'",
        "\"",
        "$$",
        "(",
        ")",
        ",",
        ";",
        "/*",
        "--",
        "\\",
        "=",
        "@",
        ".",
        "ü",
        "9999999999999999999999",
        "-1",
        " AS ",
        " TAG (",
        "\n",
        "\u{0}",
        "💥",
    ]);
    (
        pick,
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        noise,
        0..3u8,
    )
        .prop_map(|(sql, at, to, noise, op)| {
            let chars: Vec<char> = sql.chars().collect();
            let i = at.index(chars.len() + 1);
            let j = to.index(chars.len() + 1).max(i);
            let (head, tail): (String, String) =
                (chars[..i].iter().collect(), chars[i..].iter().collect());
            match op {
                0 => format!("{head}{noise}{tail}"),
                1 => format!("{head}{}", chars[j..].iter().collect::<String>()),
                _ => head,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(sql in "\\PC{0,200}") {
        let (_dir, acc) = common::local::account();
        let _ = acc.execute_sync(&sql);
    }

    #[test]
    fn mutated_statements_never_panic_and_failures_change_nothing(sql in mutated()) {
        let (_dir, acc) = common::local::account();
        ok(&acc, SETUP);
        let before = state(&acc);
        let before_session = ok(&acc, "SHOW SCHEMAS IN ACCOUNT");
        if acc.execute_sync(&sql).is_err() && !sql.contains(';') {
            prop_assert_eq!(state(&acc), before);
            prop_assert_eq!(ok(&acc, "SHOW SCHEMAS IN ACCOUNT"), before_session);
        }
    }
}

#[test]
fn huge_inputs_are_refused_or_run_without_panicking() {
    let (_dir, acc) = common::local::account();
    ok(&acc, SETUP);
    let long_name = "X".repeat(300);
    let e = acc
        .execute_sync(&format!("CREATE WAREHOUSE \"{long_name}\""))
        .unwrap_err();
    assert_eq!(e.code, "001003");
    let deep = format!(
        "CREATE VIEW OSS.FS.DEEP AS SELECT {}1{} FROM OSS.RAW.PARCELS",
        "(".repeat(5000),
        ")".repeat(5000)
    );
    ok(&acc, &deep);
    let many = "CREATE WAREHOUSE IF NOT EXISTS ML_WH;".repeat(5000);
    ok(&acc, &many);
    let unterminated = format!("SELECT '{}", "a".repeat(1 << 20));
    assert_eq!(acc.execute_sync(&unterminated).unwrap_err().code, "001003");
}
