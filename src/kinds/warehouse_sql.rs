//! The reconciler's view of warehouses: one `SHOW WAREHOUSES`, and
//! CREATE / ALTER / DROP WAREHOUSE.
//!
//! SHOW's display forms (`X-Small`, `2X-Large`, `null` for no resource
//! monitor, an empty comment) are read back into the canonical attributes of
//! [`super::warehouse`]. `initially_suspended` only exists at creation:
//! SHOW cannot see it, so it is compared against state and never altered.

use serde_json::{Value, json};

use super::warehouse::{FIELDS, canonical_size, canonical_type};
use crate::ident::{Ident, sql_string};
use crate::kind::{Change, Kind, LiveObject, ParseError, Query, Scope};
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::{Row, Rows};

/// Account warehouses.
pub struct WarehouseKind;

const STATEMENT: &str = "SHOW WAREHOUSES";

/// The create-only field SHOW does not show.
const CREATE_ONLY: &str = "initially_suspended";

/// SHOW WAREHOUSES columns the canonical attributes are read from.
const COLUMNS: &[&str] = &[
    "name",
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
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(fallback);
    Ident::from_resolved(name).to_sql()
}

/// The SQL keyword of a canonical attribute key (`size` → `WAREHOUSE_SIZE`).
fn property(field: &str) -> String {
    match field {
        "size" => "WAREHOUSE_SIZE".to_string(),
        "type" => "WAREHOUSE_TYPE".to_string(),
        other => other.to_ascii_uppercase(),
    }
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
        ("auto_suspend", Value::Null) => Some("NULL".to_string()),
        (_, Value::Null) => None,
        (_, Value::Bool(b)) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        (_, Value::Number(n)) => Some(n.to_string()),
        ("size", Value::String(s)) => Some(keyword(s, canonical_size(s))),
        // `SNOWPARK-OPTIMIZED` has a hyphen: Snowflake wants it quoted.
        ("type", Value::String(s)) => {
            Some(keyword(s, canonical_type(s).filter(|t| !t.contains('-'))))
        }
        ("scaling_policy", Value::String(s)) => Some(keyword(
            s,
            ["STANDARD", "ECONOMY"].into_iter().find(|p| p == s),
        )),
        ("resource_monitor", Value::String(s)) => Some(Ident::from_resolved(s.as_str()).to_sql()),
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
    match text(row, "auto_suspend") {
        None | Some("") => Ok(Value::Null),
        Some(s) if s.eq_ignore_ascii_case("null") => Ok(Value::Null),
        Some(_) => match integer(row, name, "auto_suspend")? {
            0 => Ok(Value::Null),
            n => Ok(json!(n)),
        },
    }
}

/// One SHOW WAREHOUSES row in canonical form.
fn read_row(row: &Row<'_>) -> Result<LiveObject, ParseError> {
    let name = text(row, "name").ok_or_else(|| error("a warehouse has no name".into()))?;
    // A size or type this build does not know (a newer one, ADAPTIVE) is
    // kept as shown: it differs from any declaration instead of stopping
    // every plan of an account that holds such a warehouse.
    let size = text(row, "size").unwrap_or("");
    let size = canonical_size(size).map_or_else(|| size.to_ascii_uppercase(), str::to_string);
    let kind = text(row, "type").unwrap_or("");
    let kind = canonical_type(kind).map_or_else(|| kind.to_ascii_uppercase(), str::to_string);
    let policy = text(row, "scaling_policy")
        .unwrap_or("STANDARD")
        .to_ascii_uppercase();
    let comment = match row.get("comment") {
        None | Some("") => Value::Null,
        Some(c) => json!(c),
    };
    let attributes = Attributes::from([
        ("name".to_string(), json!(name)),
        ("size".to_string(), json!(size)),
        ("type".to_string(), json!(kind)),
        ("auto_suspend".to_string(), auto_suspend(row, name)?),
        (
            "auto_resume".to_string(),
            json!(boolean(row, name, "auto_resume")?),
        ),
        (
            "min_cluster_count".to_string(),
            json!(integer(row, name, "min_cluster_count")?),
        ),
        (
            "max_cluster_count".to_string(),
            json!(integer(row, name, "max_cluster_count")?),
        ),
        ("scaling_policy".to_string(), json!(policy)),
        (
            "resource_monitor".to_string(),
            optional(row, "resource_monitor"),
        ),
        ("comment".to_string(), comment),
        (
            "enable_query_acceleration".to_string(),
            json!(boolean(row, name, "enable_query_acceleration")?),
        ),
        (
            "query_acceleration_max_scale_factor".to_string(),
            json!(integer(row, name, "query_acceleration_max_scale_factor")?),
        ),
    ]);
    Ok(LiveObject {
        address: Address::new(KindName::Warehouse, Ident::from_resolved(name)),
        fqn: name.to_string(),
        schema: None,
        attributes,
    })
}

impl Kind for WarehouseKind {
    fn kind(&self) -> KindName {
        KindName::Warehouse
    }

    fn introspect(&self, _scope: &Scope) -> Vec<Query> {
        vec![Query::show(STATEMENT)]
    }

    fn parse_live(&self, _scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let rows = results.first().ok_or_else(|| error("no result".into()))?;
        if let Some(column) = COLUMNS.iter().find(|c| rows.column_index(c).is_none()) {
            return Err(error(format!("column \"{column}\" is missing")));
        }
        rows.iter().map(|row| read_row(&row)).collect()
    }

    fn unobservable_fields(&self) -> &'static [&'static str] {
        &[CREATE_ONLY]
    }

    /// One `SET` for the changed properties and one `UNSET` for a comment or
    /// resource monitor going away. A type change is a SET like any other,
    /// as Snowflake's own providers do; `initially_suspended` only matters
    /// at creation, so changing it alters nothing (state records it).
    fn plan_change(
        &self,
        declared: &Resource,
        _current: &Attributes,
        changed: &[String],
    ) -> Change {
        let name = name_sql(&declared.attributes, &declared.fqn);
        let fields = FIELDS
            .iter()
            .copied()
            .filter(|f| *f != CREATE_ONLY && changed.iter().any(|c| c == f));
        let (set, unset) = assignments(&declared.attributes, fields);
        let mut sql = Vec::new();
        if !set.is_empty() {
            sql.push(format!("ALTER WAREHOUSE {name} SET {}", set.join(" ")));
        }
        if !unset.is_empty() {
            sql.push(format!("ALTER WAREHOUSE {name} UNSET {}", unset.join(", ")));
        }
        Change::Update(sql)
    }

    fn create_sql(&self, resource: &Resource) -> Vec<String> {
        let name = name_sql(&resource.attributes, &resource.fqn);
        // Type first: Snowflake checks the size against it.
        let order = ["type", "size"].into_iter().chain(
            FIELDS
                .iter()
                .copied()
                .filter(|f| *f != "type" && *f != "size"),
        );
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
    use crate::kinds::schema_sql::tests::{
        account, changed_fields as shared_changed_fields, live, one_row, parse_rows, resolve, run,
        visible as shared_visible,
    };

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
    fn converge(account: &crate::local::LocalAccount, declared: &Resource) {
        let current = live(&WarehouseKind, account).remove(0).attributes;
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
            WarehouseKind.plan_change(&wh, &visible(&wh), &[CREATE_ONLY.to_string()]),
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

    #[test]
    fn snowflakes_ways_of_saying_none_read_as_null() {
        let row = [
            Some("WH"),
            Some("STANDARD"),
            Some("3X-Large"),
            Some("1"),
            Some("1"),
            Some("0"),
            Some("true"),
            Some(""),
            Some("false"),
            Some("8"),
            Some("null"),
            Some("STANDARD"),
        ];
        let mut objects = parse(one_row(COLUMNS, &row)).unwrap();
        let attributes = objects.remove(0).attributes;
        assert_eq!(attributes["size"], json!("XXXLARGE"));
        assert_eq!(attributes["auto_suspend"], Value::Null);
        assert_eq!(attributes["resource_monitor"], Value::Null);
        assert_eq!(attributes["comment"], Value::Null);
        let mut nulls = row;
        nulls[5] = None;
        nulls[10] = None;
        let attributes = parse(one_row(COLUMNS, &nulls))
            .unwrap()
            .remove(0)
            .attributes;
        assert_eq!(attributes["auto_suspend"], Value::Null);
        assert_eq!(attributes["resource_monitor"], Value::Null);
    }

    #[test]
    fn unreadable_results_are_errors() {
        let without_size: Vec<&str> = COLUMNS.iter().copied().filter(|c| *c != "size").collect();
        let err = parse(one_row(&without_size, &[None; 11])).unwrap_err();
        assert_eq!(err.message, "column \"size\" is missing");
        let mut row = [Some("1"); 12];
        row[0] = Some("WH");
        let err = parse(one_row(COLUMNS, &row)).unwrap_err();
        assert!(err.message.contains("`1`"), "{}", err.message);
    }

    #[test]
    fn a_size_or_type_this_build_does_not_know_is_kept_as_shown() {
        let row = [
            Some("WH"),
            Some("Adaptive"),
            Some("Huge"),
            Some("1"),
            Some("1"),
            Some("600"),
            Some("true"),
            Some(""),
            Some("false"),
            Some("8"),
            Some(""),
            Some("STANDARD"),
        ];
        let attributes = parse(one_row(COLUMNS, &row)).unwrap().remove(0).attributes;
        assert_eq!(attributes["type"], json!("ADAPTIVE"));
        assert_eq!(attributes["size"], json!("HUGE"));
    }
}
