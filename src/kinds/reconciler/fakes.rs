//! Test doubles for the reconciler: an in-memory [`Session`] that records
//! statements, and two toy kinds (a warehouse-like account object and a
//! task-like schema object with a graph) whose SQL is plain strings.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use super::{Change, GraphNode, Kinds, LiveObject, ParseError, Query, Reconciler, Scope};
use crate::diag::Span;
use crate::ident::Ident;
use crate::model::{Address, Attributes, KindName, Lifecycle, Resource};
use crate::session::{BoxFuture, Column, ColumnType, ExecError, Rows, Session, SqlError};

/// A session that records every statement, answers canned results, fails
/// statements containing a given text, and can sleep on some statements.
#[derive(Default)]
pub struct FakeSession {
    /// `start:<sql>` / `end:<sql>` in the order they happened.
    pub log: Mutex<Vec<String>>,
    /// Exact statement → result.
    pub results: Mutex<BTreeMap<String, Rows>>,
    /// Statements containing one of these fail with Snowflake's error.
    pub fail_on: Mutex<Vec<String>>,
    /// Statements containing one of these sleep for the duration first.
    pub sleep_on: Mutex<Vec<(String, Duration)>>,
}

impl FakeSession {
    /// A fresh session behind an `Arc`.
    pub fn new() -> Arc<Self> {
        Arc::new(FakeSession::default())
    }

    /// Makes statements containing `needle` fail.
    pub fn fail_on(&self, needle: &str) {
        self.fail_on.lock().unwrap().push(needle.to_string());
    }

    /// Makes statements containing `needle` sleep first.
    pub fn sleep_on(&self, needle: &str, millis: u64) {
        let pause = Duration::from_millis(millis);
        self.sleep_on
            .lock()
            .unwrap()
            .push((needle.to_string(), pause));
    }

    /// Answers `sql` with `rows`.
    pub fn answer(&self, sql: &str, rows: Rows) {
        self.results.lock().unwrap().insert(sql.to_string(), rows);
    }

    /// The statements executed (started), in order.
    pub fn executed(&self) -> Vec<String> {
        let log = self.log.lock().unwrap();
        log.iter()
            .filter_map(|l| l.strip_prefix("start:").map(str::to_string))
            .collect()
    }

    /// Position of the first log line equal to `line`.
    pub fn position(&self, line: &str) -> Option<usize> {
        self.log.lock().unwrap().iter().position(|l| l == line)
    }
}

impl Session for FakeSession {
    fn execute<'a>(&'a self, sql: &'a str) -> BoxFuture<'a, Result<Rows, ExecError>> {
        Box::pin(async move {
            self.log.lock().unwrap().push(format!("start:{sql}"));
            let pause = self
                .sleep_on
                .lock()
                .unwrap()
                .iter()
                .find(|(n, _)| sql.contains(n.as_str()))
                .map(|(_, d)| *d);
            if let Some(pause) = pause {
                tokio::time::sleep(pause).await;
            }
            let fails = self.fail_on.lock().unwrap().iter().any(|n| sql.contains(n));
            self.log.lock().unwrap().push(format!("end:{sql}"));
            if fails {
                return Err(ExecError::Sql(SqlError {
                    code: "002003".into(),
                    sql_state: "02000".into(),
                    message: format!("SQL compilation error: cannot run {sql}"),
                }));
            }
            let canned = self.results.lock().unwrap().get(sql).cloned();
            Ok(canned.unwrap_or_else(|| Rows::status("Statement executed successfully.")))
        })
    }

    fn describe(&self) -> String {
        "fake session".into()
    }
}

/// `kind.NAME` as an address.
pub fn addr(text: &str) -> Address {
    text.parse().expect("test addresses are written valid")
}

/// A declared resource with attributes from a JSON object.
pub fn resource(address: &str, attributes: Value, depends_on: &[&str]) -> Resource {
    let address = addr(address);
    let fqn = match address.kind {
        KindName::Task => format!("DB.SCH.{}", address.name),
        _ => address.name.to_string(),
    };
    Resource {
        address,
        fqn,
        attributes: attrs(attributes),
        depends_on: depends_on.iter().map(|a| addr(a)).collect(),
        lifecycle: Lifecycle::default(),
        gate: None,
        span: Span::file("resources/test.yaml"),
    }
}

/// An attribute map from a JSON object.
pub fn attrs(value: Value) -> Attributes {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        _ => panic!("test attributes are written as a JSON object"),
    }
}

/// A live object mirroring a resource's address and fqn.
pub fn live(address: &str, attributes: Value) -> LiveObject {
    let r = resource(address, attributes, &[]);
    let schema = (r.address.kind == KindName::Task).then(|| Ident::from_resolved("SCH"));
    LiveObject {
        address: r.address,
        fqn: r.fqn,
        schema,
        attributes: r.attributes,
    }
}

/// Both toy kinds.
pub fn kinds() -> Kinds {
    Kinds::new([
        Arc::new(ToyWarehouse) as Arc<dyn Reconciler>,
        Arc::new(ToyTask) as Arc<dyn Reconciler>,
    ])
}

fn text_rows(columns: &[&str], rows: &[&[&str]]) -> Rows {
    Rows {
        columns: columns
            .iter()
            .map(|c| Column::new(*c, ColumnType::Text))
            .collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| Some(c.to_string())).collect())
            .collect(),
        query_id: None,
    }
}

/// SHOW WAREHOUSES-like rows: `name`, `size`.
pub fn warehouse_rows(rows: &[&[&str]]) -> Rows {
    text_rows(&["name", "size"], rows)
}

fn value_sql(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A warehouse-like kind: `size` and `comment` are visible, changing
/// `type` needs a replace, `initially_suspended` cannot be seen live.
pub struct ToyWarehouse;

impl Reconciler for ToyWarehouse {
    fn kind(&self) -> KindName {
        KindName::Warehouse
    }

    fn introspect(&self, _scope: &Scope) -> Vec<Query> {
        // SHOW WAREHOUSES takes no LIMIT ... FROM: it is never paged.
        vec![Query::once("SHOW WAREHOUSES")]
    }

    fn parse_live(&self, _scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let rows = &results[0];
        let mut out = Vec::new();
        for row in rows.iter() {
            let name = row.get("name").ok_or_else(|| ParseError {
                kind: KindName::Warehouse,
                statement: "SHOW WAREHOUSES".into(),
                message: "column \"name\" is missing".into(),
            })?;
            let size = row.get("size").unwrap_or("XSMALL");
            out.push(LiveObject {
                address: Address::new(KindName::Warehouse, Ident::from_resolved(name)),
                fqn: name.to_string(),
                schema: None,
                attributes: attrs(json!({ "size": size })),
            });
        }
        Ok(out)
    }

    fn unobservable_fields(&self) -> &'static [&'static str] {
        &["initially_suspended"]
    }

    fn plan_change(
        &self,
        declared: &Resource,
        _current: &Attributes,
        changed: &[String],
    ) -> Change {
        if changed.iter().any(|f| f == "type") {
            return Change::Replace {
                reason: "type changed".into(),
            };
        }
        let sets: Vec<String> = changed
            .iter()
            .filter(|f| *f != "initially_suspended")
            .map(|f| {
                format!(
                    "{} = {}",
                    f.to_uppercase(),
                    value_sql(&declared.attributes[f])
                )
            })
            .collect();
        if sets.is_empty() {
            return Change::Update(Vec::new());
        }
        Change::Update(vec![format!(
            "ALTER WAREHOUSE {} SET {}",
            declared.fqn,
            sets.join(" ")
        )])
    }

    fn create_sql(&self, r: &Resource) -> Vec<String> {
        let size = r.attributes.get("size").map(value_sql).unwrap_or_default();
        vec![format!(
            "CREATE WAREHOUSE {} WAREHOUSE_SIZE = {size}",
            r.fqn
        )]
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, _attributes: &Attributes) -> Vec<String> {
        vec![format!("DROP WAREHOUSE {fqn}")]
    }
}

/// A task-like kind in schema `SCH`: `after` lists predecessor names,
/// `enabled` is managed by the planner's suspend/resume steps.
pub struct ToyTask;

impl Reconciler for ToyTask {
    fn kind(&self) -> KindName {
        KindName::Task
    }

    fn introspect(&self, scope: &Scope) -> Vec<Query> {
        vec![Query::show(format!(
            "SHOW TASKS IN DATABASE {}",
            scope.database
        ))]
    }

    fn parse_live(&self, _scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let mut out = Vec::new();
        for row in results[0].iter() {
            let name = row.get("name").unwrap_or_default();
            let schema = row.get("schema_name").unwrap_or_default();
            let after: Vec<&str> = row
                .get("predecessors")
                .map(|p| p.split(',').filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            out.push(LiveObject {
                address: Address::new(KindName::Task, Ident::from_resolved(name)),
                fqn: format!("DB.{schema}.{name}"),
                schema: Some(Ident::from_resolved(schema)),
                attributes: attrs(json!({
                    "sql": row.get("definition").unwrap_or_default(),
                    "after": after,
                    "enabled": row.get("state") == Some("started"),
                })),
            });
        }
        Ok(out)
    }

    fn plan_change(
        &self,
        declared: &Resource,
        _current: &Attributes,
        changed: &[String],
    ) -> Change {
        if changed.iter().all(|f| f == "enabled") {
            return Change::Update(Vec::new());
        }
        Change::Update(vec![format!("CREATE OR ALTER TASK {}", declared.fqn)])
    }

    fn create_sql(&self, r: &Resource) -> Vec<String> {
        vec![format!("CREATE TASK {}", r.fqn)]
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, _attributes: &Attributes) -> Vec<String> {
        vec![format!("DROP TASK {fqn}")]
    }

    fn destroys_data(&self, _attributes: &Attributes) -> bool {
        true
    }

    fn graph_node(&self, attributes: &Attributes) -> Option<GraphNode> {
        let predecessors = attributes
            .get("after")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|n| Address::new(KindName::Task, Ident::from_resolved(n)))
                    .collect()
            })
            .unwrap_or_default();
        let enabled = attributes.get("enabled") == Some(&Value::Bool(true));
        Some(GraphNode {
            predecessors,
            enabled,
        })
    }

    fn with_running(&self, attributes: &Attributes, running: bool) -> Option<Attributes> {
        let mut attributes = attributes.clone();
        attributes.insert("enabled".into(), json!(running));
        Some(attributes)
    }

    fn suspend_sql(&self, fqn: &str, _attributes: &Attributes) -> Vec<String> {
        vec![format!("ALTER TASK {fqn} SUSPEND")]
    }

    fn resume_sql(&self, fqn: &str, _attributes: &Attributes) -> Vec<String> {
        vec![format!("ALTER TASK {fqn} RESUME")]
    }
}
