//! The reconciler's view of warehouses: one `SHOW WAREHOUSES`, and
//! CREATE / ALTER / DROP WAREHOUSE.
//!
//! SHOW's display forms (`X-Small`, `2X-Large`, `null` for no resource
//! monitor, an empty comment) are read back into the canonical attributes of
//! [`super::declaration`]. `initially_suspended` only exists at creation:
//! SHOW cannot see it, so it is compared against state and never altered.
//!
//! Multi-cluster warehouses and the query acceleration service are
//! Enterprise-edition features: a Standard-edition account refuses their
//! properties, and SHOW WAREHOUSES has the query-acceleration columns only
//! on accounts with that feature. So CREATE names those properties only when
//! they differ from the value a warehouse without the feature has
//! ([`feature_default`]), and a column SHOW does not have reads as that
//! value: a plan after apply is empty on every edition.
//!
//! `SHOW WAREHOUSES [ LIKE '<pattern>' ]` takes no `LIMIT ... FROM` and
//! returns at most 10,000 rows, so it is issued once, unpaged. Its `state`
//! column is kept as the live-only attribute [`RUNNING`] (never declared,
//! never compared, not part of the live fingerprint): a type change, which
//! Snowflake accepts only on a suspended warehouse, suspends a running
//! warehouse first and resumes it afterwards.

use serde_json::{Value, json};

use super::declaration::{canonical_size, canonical_type};
use super::fields::{
    AUTO_RESUME, AUTO_SUSPEND, COMMENT, FIELDS, FeatureDefault, INITIALLY_SUSPENDED, NAME,
    RESOURCE_MONITOR, SCALING_POLICY, SIZE, TABLE, TYPE, field_of,
};
use crate::ident::{Ident, sql_string};
use crate::kinds::reconciler::{Change, LiveObject, ParseError, Query, Reconciler, Scope};
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::{Row, Rows};

/// Account warehouses.
pub struct WarehouseKind;

const STATEMENT: &str = "SHOW WAREHOUSES";

/// The live-only attribute saying whether SHOW's `state` was `STARTED`.
/// Its leading `_` marks a runtime observation (see
/// [`crate::diff::live_fingerprint`]).
pub const RUNNING: &str = "_running";

/// The create-only fields SHOW does not show (see [`TABLE`]).
const CREATE_ONLY: &[&str] = &[INITIALLY_SUSPENDED];

/// SHOW WAREHOUSES columns every account has that the canonical attributes
/// are read from: the name and every shown field that is not an
/// Enterprise-edition feature's.
fn required_columns() -> impl Iterator<Item = &'static str> {
    let shown = TABLE
        .iter()
        .filter(|f| f.shown && f.feature_default.is_none());
    std::iter::once(NAME).chain(shown.map(|f| f.key))
}

/// The attributes of Enterprise-edition features (multi-cluster warehouses,
/// query acceleration), which are also the names of their SHOW columns.
pub fn feature_fields() -> Vec<&'static str> {
    TABLE
        .iter()
        .filter(|f| f.feature_default.is_some())
        .map(|f| f.key)
        .collect()
}

/// The value a feature attribute has on a warehouse that does not use the
/// feature (Snowflake's CREATE WAREHOUSE defaults).
pub fn feature_default(field: &str) -> Option<Value> {
    field_of(field)?
        .feature_default
        .map(FeatureDefault::to_json)
}

fn error(message: String) -> ParseError {
    ParseError {
        kind: KindName::Warehouse,
        statement: STATEMENT.to_string(),
        message,
    }
}

/// The warehouse name as SQL, from the attributes or else the fqn.
fn name_sql(attributes: &Attributes, fallback: &str) -> String {
    let name = attributes
        .get(NAME)
        .and_then(Value::as_str)
        .unwrap_or(fallback);
    Ident::from_resolved(name).to_sql()
}

/// The SQL keyword of a canonical attribute key (`size` → `WAREHOUSE_SIZE`).
fn property(field: &str) -> String {
    field_of(field).map_or_else(|| field.to_ascii_uppercase(), |f| f.property.to_string())
}

/// A known keyword bare, anything else as a string literal, so that no
/// value can leave its property.
fn keyword(value: &str, known: Option<&str>) -> String {
    match known {
        Some(k) if k == value => k.to_string(),
        _ => sql_string(value),
    }
}

/// The SQL value of `field`, or `None` when it must be unset (a null comment
/// or resource monitor) or cannot be written.
fn value_sql(field: &str, value: &Value) -> Option<String> {
    match (field, value) {
        (AUTO_SUSPEND, Value::Null) => Some("NULL".to_string()),
        (_, Value::Null) => None,
        (_, Value::Bool(b)) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        (_, Value::Number(n)) => Some(n.to_string()),
        (SIZE, Value::String(s)) => Some(keyword(s, canonical_size(s))),
        // `SNOWPARK-OPTIMIZED` has a hyphen: Snowflake wants it quoted.
        (TYPE, Value::String(s)) => {
            Some(keyword(s, canonical_type(s).filter(|t| !t.contains('-'))))
        }
        (SCALING_POLICY, Value::String(s)) => Some(keyword(
            s,
            ["STANDARD", "ECONOMY"].into_iter().find(|p| p == s),
        )),
        (RESOURCE_MONITOR, Value::String(s)) => Some(Ident::from_resolved(s.as_str()).to_sql()),
        (_, Value::String(s)) => Some(sql_string(s)),
        _ => None,
    }
}

/// `KEY = value` for every field in `fields` that has a value, in FIELDS order.
fn assignments<'a>(
    attributes: &Attributes,
    fields: impl Iterator<Item = &'a str>,
) -> (Vec<String>, Vec<String>) {
    let mut set = Vec::new();
    let mut unset = Vec::new();
    for field in fields {
        let value = attributes.get(field).unwrap_or(&Value::Null);
        match value_sql(field, value) {
            Some(v) => set.push(format!("{} = {v}", property(field))),
            None => unset.push(property(field)),
        }
    }
    (set, unset)
}

/// A column's text; NULL and absent read as `None` (columns are checked first).
fn text<'a>(row: &Row<'a>, column: &str) -> Option<&'a str> {
    row.get(column).map(str::trim)
}

fn integer(row: &Row<'_>, name: &str, column: &str) -> Result<u64, ParseError> {
    let cell = text(row, column).unwrap_or("");
    cell.parse()
        .map_err(|_| error(format!("{column} of {name} is not a number: `{cell}`")))
}

fn boolean(row: &Row<'_>, name: &str, column: &str) -> Result<bool, ParseError> {
    match text(row, column).map(str::to_ascii_lowercase).as_deref() {
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        other => Err(error(format!(
            "{column} of {name} is not true or false: `{}`",
            other.unwrap_or("NULL")
        ))),
    }
}

/// Null for SHOW's ways of saying "none": NULL, empty, `null`.
fn optional(row: &Row<'_>, column: &str) -> Value {
    match text(row, column) {
        None | Some("") => Value::Null,
        Some(s) if s.eq_ignore_ascii_case("null") => Value::Null,
        Some(s) => json!(s),
    }
}

/// Seconds, or null for never (NULL, empty or 0).
fn auto_suspend(row: &Row<'_>, name: &str) -> Result<Value, ParseError> {
    match text(row, AUTO_SUSPEND) {
        None | Some("") => Ok(Value::Null),
        Some(s) if s.eq_ignore_ascii_case("null") => Ok(Value::Null),
        Some(_) => match integer(row, name, AUTO_SUSPEND)? {
            0 => Ok(Value::Null),
            n => Ok(json!(n)),
        },
    }
}

/// A feature attribute from its column, read as its default's type; an
/// account without the feature has no column (or an empty cell), which
/// reads as that default.
fn feature(
    row: &Row<'_>,
    name: &str,
    field: &str,
    default: FeatureDefault,
) -> Result<Value, ParseError> {
    match text(row, field) {
        None | Some("") => Ok(default.to_json()),
        Some(shown) => match default {
            FeatureDefault::Text(_) => Ok(json!(shown.to_ascii_uppercase())),
            FeatureDefault::Bool(_) => Ok(json!(boolean(row, name, field)?)),
            FeatureDefault::Number(_) => Ok(json!(integer(row, name, field)?)),
        },
    }
}

/// One SHOW WAREHOUSES row in canonical form.
fn read_row(row: &Row<'_>) -> Result<LiveObject, ParseError> {
    let name = text(row, NAME).ok_or_else(|| error("a warehouse has no name".into()))?;
    // A size or type this build does not know (a newer one, ADAPTIVE) is
    // kept as shown: it differs from any declaration instead of stopping
    // every plan of an account that holds such a warehouse.
    let size = text(row, SIZE).unwrap_or("");
    let size = canonical_size(size).map_or_else(|| size.to_ascii_uppercase(), str::to_string);
    let kind = text(row, TYPE).unwrap_or("");
    let kind = canonical_type(kind).map_or_else(|| kind.to_ascii_uppercase(), str::to_string);
    let comment = match row.get(COMMENT) {
        None | Some("") => Value::Null,
        Some(c) => json!(c),
    };
    let mut attributes: Attributes = [
        (NAME, json!(name)),
        (SIZE, json!(size)),
        (TYPE, json!(kind)),
        (AUTO_SUSPEND, auto_suspend(row, name)?),
        (AUTO_RESUME, json!(boolean(row, name, AUTO_RESUME)?)),
        (RESOURCE_MONITOR, optional(row, RESOURCE_MONITOR)),
        (COMMENT, comment),
        (RUNNING, json!(text(row, "state") == Some("STARTED"))),
    ]
    .into_iter()
    .map(|(key, value)| (key.to_string(), value))
    .collect();
    for field in &TABLE {
        if let Some(default) = field.feature_default {
            let value = feature(row, name, field.key, default)?;
            attributes.insert(field.key.to_string(), value);
        }
    }
    Ok(LiveObject {
        address: Address::new(KindName::Warehouse, Ident::from_resolved(name)),
        fqn: name.to_string(),
        schema: None,
        attributes,
    })
}

impl Reconciler for WarehouseKind {
    fn kind(&self) -> KindName {
        KindName::Warehouse
    }

    fn introspect(&self, _scope: &Scope) -> Vec<Query> {
        vec![Query::once(STATEMENT)]
    }

    fn parse_live(&self, _scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let rows = results.first().ok_or_else(|| error("no result".into()))?;
        if let Some(column) = required_columns().find(|c| rows.column_index(c).is_none()) {
            return Err(error(format!("column \"{column}\" is missing")));
        }
        rows.iter().map(|row| read_row(&row)).collect()
    }

    fn unobservable_fields(&self) -> &'static [&'static str] {
        CREATE_ONLY
    }

    /// One `SET` for the changed properties and one `UNSET` for a comment or
    /// resource monitor going away. Snowflake changes a warehouse's type
    /// only while it is suspended: a running warehouse is suspended before
    /// and resumed after. `initially_suspended` only matters at creation, so
    /// changing it alters nothing (state records it).
    fn plan_change(&self, declared: &Resource, current: &Attributes, changed: &[String]) -> Change {
        let name = name_sql(&declared.attributes, &declared.fqn);
        let fields = FIELDS
            .iter()
            .copied()
            .filter(|f| !CREATE_ONLY.contains(f) && changed.iter().any(|c| c == f));
        let (set, unset) = assignments(&declared.attributes, fields);
        let mut sql = Vec::new();
        if !set.is_empty() {
            sql.push(format!("ALTER WAREHOUSE {name} SET {}", set.join(" ")));
        }
        if !unset.is_empty() {
            sql.push(format!("ALTER WAREHOUSE {name} UNSET {}", unset.join(", ")));
        }
        let running = current.get(RUNNING) == Some(&Value::Bool(true));
        if running && changed.iter().any(|c| c == TYPE) {
            sql.insert(0, format!("ALTER WAREHOUSE {name} SUSPEND"));
            sql.push(format!("ALTER WAREHOUSE {name} RESUME IF SUSPENDED"));
        }
        Change::Update(sql)
    }

    fn create_sql(&self, resource: &Resource) -> Vec<String> {
        let name = name_sql(&resource.attributes, &resource.fqn);
        // Type first: Snowflake checks the size against it.
        let order = [TYPE, SIZE]
            .into_iter()
            .chain(FIELDS.iter().copied().filter(|f| *f != TYPE && *f != SIZE));
        // A feature property at its feature-less value is left out: the
        // warehouse gets it anyway, and a Standard-edition account refuses
        // the property itself.
        let order = order
            .filter(|f| feature_default(f).is_none_or(|d| resource.attributes.get(*f) != Some(&d)));
        let (set, _unset) = assignments(&resource.attributes, order);
        vec![format!("CREATE WAREHOUSE {name} WITH {}", set.join(" "))]
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, attributes: &Attributes) -> Vec<String> {
        vec![format!("DROP WAREHOUSE {}", name_sql(attributes, fqn))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testing::{
        account, changed_fields as shared_changed_fields, live as shared_live, one_row, parse_rows,
        resolve, run, visible as shared_visible,
    };
    use crate::local::{Edition, LocalAccount};

    /// The live warehouses without the runtime `_running` observation, to
    /// compare with declarations.
    fn live(kind: &WarehouseKind, account: &LocalAccount) -> Vec<LiveObject> {
        let mut objects = shared_live(kind, account);
        for o in &mut objects {
            o.attributes.remove(RUNNING);
        }
        objects
    }

    /// A fresh local account of `edition`.
    fn account_of(edition: Edition) -> (tempfile::TempDir, LocalAccount) {
        let (dir, account) = crate::local::scratch_account(&[]);
        (dir, account.with_edition(edition))
    }

    fn declared(yaml: &str) -> Resource {
        resolve(yaml).resources.remove(0)
    }

    /// The declared attributes introspection can see.
    fn visible(resource: &Resource) -> Attributes {
        shared_visible(&WarehouseKind, resource)
    }

    fn changed_fields(declared: &Resource, current: &Attributes) -> Vec<String> {
        shared_changed_fields(&WarehouseKind, declared, current)
    }

    /// Brings the live warehouse to `declared` with plan_change's SQL.
    fn converge(account: &LocalAccount, declared: &Resource) {
        let current = shared_live(&WarehouseKind, account).remove(0).attributes;
        let changed = changed_fields(declared, &current);
        let Change::Update(sql) = WarehouseKind.plan_change(declared, &current, &changed) else {
            panic!("expected an update");
        };
        run(account, &sql);
    }

    const FULL: &str = "\
kind: Warehouse
name: ml_wh
size: 2X-Large
type: snowpark-optimized
auto_suspend: null
auto_resume: false
min_cluster_count: 2
max_cluster_count: 4
scaling_policy: economy
initially_suspended: true
resource_monitor: ml_monitor
comment: it's the training warehouse
enable_query_acceleration: true
query_acceleration_max_scale_factor: 16
";

    #[test]
    fn created_warehouses_read_back_as_declared() {
        let (_dir, account) = account();
        let full = declared(FULL);
        let plain = declared("kind: Warehouse\nname: '\"small wh\"'\n");
        run(&account, &WarehouseKind.create_sql(&full));
        run(&account, &WarehouseKind.create_sql(&plain));
        let live = live(&WarehouseKind, &account);
        assert_eq!(live.len(), 2, "{live:?}");
        for declared in [&full, &plain] {
            let object = live.iter().find(|o| o.address == declared.address).unwrap();
            assert_eq!(object.fqn, declared.fqn);
            assert_eq!(object.schema, None);
            assert_eq!(object.attributes, visible(declared));
        }
    }

    #[test]
    fn display_sizes_compare_equal_to_declared_spellings() {
        for (written, canonical) in [
            ("X-Small", "XSMALL"),
            ("2X-Large", "XXLARGE"),
            ("x4large", "X4LARGE"),
        ] {
            let (_dir, account) = account();
            let wh = declared(&format!("kind: Warehouse\nname: wh\nsize: {written}\n"));
            assert_eq!(wh.attributes["size"], json!(canonical));
            run(&account, &WarehouseKind.create_sql(&wh));
            let current = live(&WarehouseKind, &account).remove(0).attributes;
            assert_eq!(
                changed_fields(&wh, &current),
                Vec::<String>::new(),
                "{written}"
            );
        }
    }

    #[test]
    fn an_out_of_band_resize_is_restored() {
        let (_dir, account) = account();
        let wh = declared("kind: Warehouse\nname: wh\nsize: Small\n");
        run(&account, &WarehouseKind.create_sql(&wh));
        run(
            &account,
            &["ALTER WAREHOUSE wh SET WAREHOUSE_SIZE = LARGE".to_string()],
        );
        let current = live(&WarehouseKind, &account).remove(0).attributes;
        assert_eq!(current["size"], json!("LARGE"));
        assert_eq!(changed_fields(&wh, &current), vec!["size".to_string()]);
        assert_eq!(
            WarehouseKind.plan_change(&wh, &current, &["size".to_string()]),
            Change::Update(vec![
                "ALTER WAREHOUSE WH SET WAREHOUSE_SIZE = SMALL".to_string()
            ])
        );
        converge(&account, &wh);
        assert_eq!(live(&WarehouseKind, &account)[0].attributes, visible(&wh));
    }

    #[test]
    fn every_field_changes_in_place_and_comments_unset() {
        let (_dir, account) = account();
        let full = declared(FULL);
        let plain = declared("kind: Warehouse\nname: ml_wh\n");
        run(&account, &WarehouseKind.create_sql(&full));
        converge(&account, &plain);
        assert_eq!(
            live(&WarehouseKind, &account)[0].attributes,
            visible(&plain)
        );
        converge(&account, &full);
        let back = live(&WarehouseKind, &account).remove(0).attributes;
        assert_eq!(back, visible(&full));
        assert_eq!(back["comment"], json!("it's the training warehouse"));
    }

    #[test]
    fn comment_removal_is_an_unset() {
        let with =
            declared("kind: Warehouse\nname: wh\ncomment: \"it's ours'); DROP WAREHOUSE x; --\"\n");
        let without = declared("kind: Warehouse\nname: wh\n");
        let (_dir, account) = account();
        run(&account, &WarehouseKind.create_sql(&with));
        let current = live(&WarehouseKind, &account).remove(0).attributes;
        assert_eq!(current["comment"], with.attributes["comment"]);
        let change = WarehouseKind.plan_change(&without, &current, &["comment".to_string()]);
        assert_eq!(
            change,
            Change::Update(vec!["ALTER WAREHOUSE WH UNSET COMMENT".to_string()])
        );
        converge(&account, &without);
        assert_eq!(
            live(&WarehouseKind, &account)[0].attributes["comment"],
            Value::Null
        );
    }

    #[test]
    fn initially_suspended_is_create_only() {
        let wh = declared(FULL);
        assert_eq!(
            WarehouseKind.unobservable_fields(),
            &["initially_suspended"]
        );
        assert_eq!(
            WarehouseKind.plan_change(&wh, &visible(&wh), &[INITIALLY_SUSPENDED.to_string()]),
            Change::Update(Vec::new())
        );
        let create = WarehouseKind.create_sql(&wh).join(" ");
        assert!(create.contains("INITIALLY_SUSPENDED = TRUE"), "{create}");
        assert!(
            create.contains("WAREHOUSE_TYPE = 'SNOWPARK-OPTIMIZED'"),
            "{create}"
        );
        assert!(create.contains("AUTO_SUSPEND = NULL"), "{create}");
    }

    #[test]
    fn the_field_table_covers_every_declared_attribute() {
        let full = declared(FULL);
        let keys: Vec<&str> = full.attributes.keys().map(String::as_str).collect();
        let mut table: Vec<&str> = FIELDS.iter().copied().chain([NAME]).collect();
        table.sort_unstable();
        assert_eq!(keys, table);
        let hidden: Vec<&str> = TABLE.iter().filter(|f| !f.shown).map(|f| f.key).collect();
        assert_eq!(hidden, CREATE_ONLY);
    }

    #[test]
    fn dropped_warehouses_are_gone() {
        let (_dir, account) = account();
        let wh = declared("kind: Warehouse\nname: wh\n");
        run(&account, &WarehouseKind.create_sql(&wh));
        run(
            &account,
            &WarehouseKind.delete_sql(&wh.address, &wh.fqn, &wh.attributes),
        );
        assert!(live(&WarehouseKind, &account).is_empty());
        assert!(!WarehouseKind.destroys_data(&wh.attributes));
    }

    fn parse(rows: Rows) -> Result<Vec<LiveObject>, ParseError> {
        parse_rows(&WarehouseKind, rows)
    }

    /// The SHOW WAREHOUSES columns read here, as an Enterprise-edition
    /// account with query acceleration shows them (a subset, in order).
    const ENTERPRISE: &[&str] = &[
        "name",
        "state",
        "type",
        "size",
        "min_cluster_count",
        "max_cluster_count",
        "auto_suspend",
        "auto_resume",
        "comment",
        "enable_query_acceleration",
        "query_acceleration_max_scale_factor",
        "resource_monitor",
        "scaling_policy",
    ];

    fn row<'a>(name: &'a str, kind: &'a str, size: &'a str) -> [Option<&'a str>; 13] {
        [
            Some(name),
            Some("SUSPENDED"),
            Some(kind),
            Some(size),
            Some("1"),
            Some("1"),
            Some("600"),
            Some("true"),
            Some(""),
            Some("false"),
            Some("8"),
            Some(""),
            Some("STANDARD"),
        ]
    }

    #[test]
    fn snowflakes_ways_of_saying_none_read_as_null() {
        let mut cells = row("WH", "STANDARD", "3X-Large");
        cells[6] = Some("0");
        cells[11] = Some("null");
        let mut objects = parse(one_row(ENTERPRISE, &cells)).unwrap();
        let attributes = objects.remove(0).attributes;
        assert_eq!(attributes["size"], json!("XXXLARGE"));
        assert_eq!(attributes["auto_suspend"], Value::Null);
        assert_eq!(attributes["resource_monitor"], Value::Null);
        assert_eq!(attributes["comment"], Value::Null);
        assert_eq!(attributes[RUNNING], json!(false));
        cells[6] = None;
        cells[11] = None;
        let attributes = parse(one_row(ENTERPRISE, &cells))
            .unwrap()
            .remove(0)
            .attributes;
        assert_eq!(attributes["auto_suspend"], Value::Null);
        assert_eq!(attributes["resource_monitor"], Value::Null);
    }

    #[test]
    fn unreadable_results_are_errors() {
        let without_size: Vec<&str> = ENTERPRISE
            .iter()
            .copied()
            .filter(|c| *c != "size")
            .collect();
        let err = parse(one_row(&without_size, &[None; 12])).unwrap_err();
        assert_eq!(err.message, "column \"size\" is missing");
        let mut cells = row("WH", "STANDARD", "Small");
        cells[7] = Some("1");
        let err = parse(one_row(ENTERPRISE, &cells)).unwrap_err();
        assert!(err.message.contains("`1`"), "{}", err.message);
    }

    #[test]
    fn a_size_or_type_this_build_does_not_know_is_kept_as_shown() {
        let cells = row("WH", "Adaptive", "Huge");
        let attributes = parse(one_row(ENTERPRISE, &cells))
            .unwrap()
            .remove(0)
            .attributes;
        assert_eq!(attributes["type"], json!("ADAPTIVE"));
        assert_eq!(attributes["size"], json!("HUGE"));
    }

    #[test]
    fn an_account_without_the_feature_columns_reads_as_single_cluster_without_acceleration() {
        let standard: Vec<&str> = ENTERPRISE
            .iter()
            .copied()
            .filter(|c| !feature_fields().contains(c))
            .collect();
        let cells: Vec<Option<&str>> = ENTERPRISE
            .iter()
            .zip(row("WH", "STANDARD", "Small"))
            .filter(|(c, _)| !feature_fields().contains(c))
            .map(|(_, v)| v)
            .collect();
        let attributes = parse(one_row(&standard, &cells))
            .unwrap()
            .remove(0)
            .attributes;
        let plain = declared("kind: Warehouse\nname: wh\nsize: small\nauto_suspend: 600\n");
        for field in feature_fields() {
            assert_eq!(attributes[field], plain.attributes[field], "{field}");
        }
    }

    #[test]
    fn show_warehouses_is_read_in_one_unpaged_statement() {
        let scope = Scope {
            environment: "DEV".into(),
            database: Ident::from_resolved("ML_DB"),
            schemas: Vec::new(),
        };
        assert_eq!(
            WarehouseKind.introspect(&scope),
            vec![Query::once("SHOW WAREHOUSES")]
        );
        let (_dir, account) = account();
        let refused = account
            .execute_sync("SHOW WAREHOUSES LIMIT 10000 FROM 'WH'")
            .unwrap_err();
        assert_eq!(refused.code, "001003", "{refused:?}");
        account.execute_sync("SHOW WAREHOUSES LIKE 'W%'").unwrap();
    }

    #[test]
    fn single_cluster_warehouses_apply_and_read_back_on_both_editions() {
        let plain = declared(
            "kind: Warehouse\nname: wh\nsize: Small\nmin_cluster_count: 1\nmax_cluster_count: 1\nscaling_policy: standard\nenable_query_acceleration: false\n",
        );
        let create = WarehouseKind.create_sql(&plain).join(" ");
        for property in ["CLUSTER_COUNT", "SCALING_POLICY", "QUERY_ACCELERATION"] {
            assert!(!create.contains(property), "{create}");
        }
        for edition in [Edition::Standard, Edition::Enterprise] {
            let (_dir, account) = account_of(edition);
            run(&account, &WarehouseKind.create_sql(&plain));
            let current = live(&WarehouseKind, &account).remove(0).attributes;
            assert_eq!(current, visible(&plain), "{edition:?}");
            assert!(changed_fields(&plain, &current).is_empty(), "{edition:?}");
        }
    }

    #[test]
    fn a_standard_edition_account_has_no_acceleration_columns_and_refuses_the_features() {
        let (_dir, account) = account_of(Edition::Standard);
        let rows = account.execute_sync("SHOW WAREHOUSES").unwrap();
        assert!(rows.column_index("enable_query_acceleration").is_none());
        assert!(
            rows.column_index("query_acceleration_max_scale_factor")
                .is_none()
        );
        assert!(rows.column_index("max_cluster_count").is_some());
        let refused = account
            .execute_sync(&WarehouseKind.create_sql(&declared(FULL))[0])
            .unwrap_err();
        assert!(
            refused.message.contains("Enterprise Edition")
                && refused.message.contains("CLUSTER_COUNT"),
            "{refused:?}"
        );
        let qas = declared("kind: Warehouse\nname: wh\nenable_query_acceleration: true\n");
        let refused = account
            .execute_sync(&WarehouseKind.create_sql(&qas)[0])
            .unwrap_err();
        assert!(
            refused.message.contains("ENABLE_QUERY_ACCELERATION"),
            "{refused:?}"
        );
        run(&account, &["CREATE WAREHOUSE wh".to_string()]);
        let refused = account
            .execute_sync("ALTER WAREHOUSE wh SET MAX_CLUSTER_COUNT = 3")
            .unwrap_err();
        assert!(
            refused.message.contains("Enterprise Edition"),
            "{refused:?}"
        );
    }

    #[test]
    fn a_type_change_suspends_a_running_warehouse_and_resumes_it() {
        let (_dir, account) = account();
        let standard = declared("kind: Warehouse\nname: wh\nsize: medium\n");
        let optimized =
            declared("kind: Warehouse\nname: wh\nsize: medium\ntype: snowpark-optimized\n");
        run(&account, &WarehouseKind.create_sql(&standard));
        let current = shared_live(&WarehouseKind, &account).remove(0).attributes;
        assert_eq!(current[RUNNING], json!(true));
        let refused = account
            .execute_sync("ALTER WAREHOUSE WH SET WAREHOUSE_TYPE = 'SNOWPARK-OPTIMIZED'")
            .unwrap_err();
        assert!(refused.message.contains("suspended"), "{refused:?}");
        assert_eq!(
            WarehouseKind.plan_change(&optimized, &current, &["type".to_string()]),
            Change::Update(vec![
                "ALTER WAREHOUSE WH SUSPEND".to_string(),
                "ALTER WAREHOUSE WH SET WAREHOUSE_TYPE = 'SNOWPARK-OPTIMIZED'".to_string(),
                "ALTER WAREHOUSE WH RESUME IF SUSPENDED".to_string(),
            ])
        );
        converge(&account, &optimized);
        let back = shared_live(&WarehouseKind, &account).remove(0).attributes;
        assert_eq!(back["type"], json!("SNOWPARK-OPTIMIZED"));
        assert_eq!(back[RUNNING], json!(true), "resumed as it was");
        run(&account, &["ALTER WAREHOUSE WH SUSPEND".to_string()]);
        let suspended = shared_live(&WarehouseKind, &account).remove(0).attributes;
        assert_eq!(
            WarehouseKind.plan_change(&standard, &suspended, &["type".to_string()]),
            Change::Update(vec![
                "ALTER WAREHOUSE WH SET WAREHOUSE_TYPE = STANDARD".to_string()
            ]),
            "a suspended warehouse stays suspended"
        );
        converge(&account, &standard);
        let back = shared_live(&WarehouseKind, &account).remove(0).attributes;
        assert_eq!(back["type"], json!("STANDARD"));
        assert_eq!(back[RUNNING], json!(false));
    }
}
