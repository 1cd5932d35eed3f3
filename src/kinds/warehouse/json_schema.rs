//! The JSON Schema of `kind: Warehouse`'s own fields, with the defaults and
//! spellings its reader ([`super::declaration`]) applies.

use serde_json::Value;

use super::declaration::SIZES;
use super::fields::{
    AUTO_RESUME, AUTO_SUSPEND, COMMENT, ENABLE_QUERY_ACCELERATION, FIELDS, INITIALLY_SUSPENDED,
    MAX_CLUSTER_COUNT, MIN_CLUSTER_COUNT, QUERY_ACCELERATION_MAX_SCALE_FACTOR, RESOURCE_MONITOR,
    SCALING_POLICY, SIZE, TYPE,
};
use crate::kinds::json_schema::{Spelling, boolean, field, integer, keyword, kind_schema, text};
use crate::model::KindName;

/// Size spellings besides [`SIZES`] that the reader accepts (as
/// [`super::declaration::canonical_size`] maps them): SHOW WAREHOUSES'
/// display form first, then the `X<n>LARGE` forms.
pub const OTHER_SIZES: [&str; 12] = [
    "X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large", "3X-Large", "4X-Large",
    "5X-Large", "6X-Large", "X2LARGE", "X3LARGE",
];

/// The schema of a warehouse document.
pub fn schema() -> Value {
    let sizes: Vec<&str> = SIZES.iter().chain(OTHER_SIZES.iter()).copied().collect();
    let cluster = |what: &str| integer(what, 1, Some(10), Some(1), true);
    kind_schema(
        KindName::Warehouse,
        FIELDS,
        vec![
            field(
                SIZE,
                keyword(
                    "The warehouse size, in any of Snowflake's spellings.",
                    &sizes,
                    Spelling::Loose,
                    Some("XSMALL"),
                    true,
                ),
            ),
            field(
                TYPE,
                keyword(
                    "The warehouse type.",
                    &["STANDARD", "SNOWPARK-OPTIMIZED"],
                    Spelling::Loose,
                    Some("STANDARD"),
                    true,
                ),
            ),
            field(
                AUTO_SUSPEND,
                integer(
                    "Seconds of inactivity before the warehouse suspends; null or 0 never suspends it.",
                    0,
                    None,
                    Some(600),
                    true,
                ),
            ),
            field(
                AUTO_RESUME,
                boolean(
                    "Whether a query resumes the suspended warehouse.",
                    true,
                    true,
                ),
            ),
            field(
                MIN_CLUSTER_COUNT,
                cluster("The fewest clusters of a multi-cluster warehouse (Enterprise Edition)."),
            ),
            field(
                MAX_CLUSTER_COUNT,
                cluster("The most clusters of a multi-cluster warehouse (Enterprise Edition)."),
            ),
            field(
                SCALING_POLICY,
                keyword(
                    "How a multi-cluster warehouse starts and stops clusters.",
                    &["STANDARD", "ECONOMY"],
                    Spelling::Loose,
                    Some("STANDARD"),
                    true,
                ),
            ),
            field(
                INITIALLY_SUSPENDED,
                boolean(
                    "Whether the warehouse is created suspended (create-only).",
                    false,
                    true,
                ),
            ),
            field(
                RESOURCE_MONITOR,
                text("The resource monitor assigned to the warehouse.", true),
            ),
            field(COMMENT, text("The warehouse's comment.", true)),
            field(
                ENABLE_QUERY_ACCELERATION,
                boolean(
                    "Whether the query acceleration service is on (Enterprise Edition).",
                    false,
                    true,
                ),
            ),
            field(
                QUERY_ACCELERATION_MAX_SCALE_FACTOR,
                integer(
                    "The most compute query acceleration may lease, as a multiple of the warehouse size.",
                    0,
                    Some(100),
                    Some(8),
                    true,
                ),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::json_schema::testing::assert_schema_matches_reader;
    use crate::kinds::warehouse::declaration::canonical_size;

    #[test]
    fn schema_has_exactly_the_fields_the_reader_accepts() {
        let lifecycle = "kind: Warehouse\nname: X\nlifecycle: {zz_unknown: 1}\n";
        assert_schema_matches_reader(
            KindName::Warehouse,
            &schema(),
            "kind: Warehouse
name: X
",
            &[(&["lifecycle"], lifecycle)],
        );
    }

    #[test]
    fn every_offered_size_is_one_the_reader_accepts() {
        for size in SIZES.iter().chain(OTHER_SIZES.iter()) {
            assert!(canonical_size(size).is_some(), "{size}");
        }
    }
}
