//! The reconciler's view of tasks: one `SHOW TASKS IN DATABASE`, and
//! CREATE / ALTER / DROP TASK.
//!
//! Tasks are created suspended and altered only while their graph's root is
//! suspended and, for a task in a graph, while the task itself is suspended
//! (2026_06 behaviour change bundle); the planner adds those suspend and
//! resume steps from [`Reconciler::graph_node`], so nothing here resumes a task.
//! Names in SQL are built from the attributes' identifiers, never by
//! splitting an fqn (a quoted schema may hold a dot). SHOW TASKS has no
//! timeout or failure-count columns: those two fields are compared against
//! state only. A finalizer's root is read from `task_relations`
//! (`FinalizedRootTask`). Tasks named `NAME$VERSION` are feature-view refresh tasks,
//! owned by the feature view, and are not reported.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::ident::{Ident, sql_string};
use crate::kinds::common::text_attr as text;
use crate::kinds::common::trimmed_sql;
use crate::kinds::reconciler::{
    Change, GraphNode, LiveObject, ParseError, Query, Reconciler, Scope,
};
use crate::kinds::schedule::{Schedule, canonical_schedule};
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::{Row, Rows};

use super::fields::{
    AFTER, ALLOW_OVERLAPPING_EXECUTION, COMMENT, CONFIG, DATABASE, ENABLED, ERROR_INTEGRATION,
    FINALIZE, NAME, SCHEDULE, SCHEMA, SQL, SUSPEND_AFTER_FAILURES, TIMEOUT_MS, WAREHOUSE, WHEN,
};

/// Tasks of the environment's database.
pub struct TaskKind;

/// Fields SHOW TASKS does not show (they are task parameters).
const UNOBSERVABLE: &[&str] = &[TIMEOUT_MS, SUSPEND_AFTER_FAILURES];

/// SHOW TASKS columns the canonical attributes are read from.
const COLUMNS: &[&str] = &[
    "name",
    "database_name",
    "schema_name",
    "comment",
    "warehouse",
    "schedule",
    "predecessors",
    "state",
    "definition",
    "condition",
    "allow_overlapping_execution",
    "error_integration",
    "config",
    "task_relations",
];

/// Task properties set with `ALTER TASK ... SET`, by canonical key, in order.
const PROPERTIES: &[(&str, &str)] = &[
    (WAREHOUSE, "WAREHOUSE"),
    (SCHEDULE, "SCHEDULE"),
    (CONFIG, "CONFIG"),
    (ALLOW_OVERLAPPING_EXECUTION, "ALLOW_OVERLAPPING_EXECUTION"),
    (ERROR_INTEGRATION, "ERROR_INTEGRATION"),
    (TIMEOUT_MS, "USER_TASK_TIMEOUT_MS"),
    (SUSPEND_AFTER_FAILURES, "SUSPEND_TASK_AFTER_NUM_FAILURES"),
    (COMMENT, "COMMENT"),
];

fn names(attributes: &Attributes, key: &str) -> Vec<String> {
    attributes
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// `DB.SCHEMA.NAME` in SQL for the task `name` of the graph `attributes` lives in.
fn qualified(attributes: &Attributes, name: &str) -> String {
    let part = |key: &str| Ident::from_resolved(text(attributes, key).unwrap_or("")).to_sql();
    format!(
        "{}.{}.{}",
        part(DATABASE),
        part(SCHEMA),
        Ident::from_resolved(name).to_sql()
    )
}

/// The task's own name in SQL, built from the identifiers of its attributes
/// (never by splitting `fqn`: a quoted name may hold a dot). `fqn` stands in
/// for the name only when the attributes have none.
fn task_sql(attributes: &Attributes, fqn: &str) -> String {
    qualified(attributes, text(attributes, NAME).unwrap_or(fqn))
}

/// The SQL value of a SET property, or `None` when it must be unset.
fn property_sql(key: &str, value: &Value) -> Option<String> {
    match (key, value) {
        (_, Value::Null) => None,
        (WAREHOUSE | ERROR_INTEGRATION, Value::String(w)) => {
            Some(Ident::from_resolved(w.as_str()).to_sql())
        }
        (SCHEDULE, Value::String(s)) => Some(sql_string(
            &Schedule::parse(s).map_or_else(|_| s.clone(), |s| s.sql()),
        )),
        (CONFIG, config) => Some(sql_string(&config.to_string())),
        (_, Value::Bool(b)) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        (_, Value::Number(n)) => Some(n.to_string()),
        (_, Value::String(s)) => Some(sql_string(s)),
        _ => None,
    }
}

fn error(scope: &Scope, message: String) -> ParseError {
    ParseError {
        kind: KindName::Task,
        statement: statement(scope),
        message,
    }
}

fn statement(scope: &Scope) -> String {
    format!("SHOW TASKS IN DATABASE {}", scope.database.to_sql())
}

/// The parts of a qualified name as SHOW prints it (`"DB"."S"."T"`), resolved.
fn name_parts(written: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = written.trim().chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    parts.push(current);
    parts
}

/// `predecessors` (a JSON array of qualified names) as sorted resolved names.
fn predecessors(cell: Option<&str>) -> Result<Vec<String>, String> {
    let cell = cell.map(str::trim).unwrap_or("");
    if cell.is_empty() {
        return Ok(Vec::new());
    }
    let written: Vec<String> = serde_json::from_str(cell)
        .map_err(|e| format!("predecessors is not a JSON list of names ({e}): {cell}"))?;
    let mut out: Vec<String> = written.iter().filter_map(|w| name_parts(w).pop()).collect();
    out.sort();
    Ok(out)
}

/// The resolved name of the root task a finalizer finalizes, from SHOW's
/// `task_relations` (`{"Predecessors": [...], "FinalizedRootTask": "DB.S.ROOT"}`).
fn finalized_root(cell: Option<&str>) -> Result<Option<String>, String> {
    let cell = cell.map(str::trim).unwrap_or("");
    if cell.is_empty() || cell.eq_ignore_ascii_case("null") {
        return Ok(None);
    }
    let relations: Value = serde_json::from_str(cell)
        .map_err(|e| format!("task_relations is not JSON ({e}): {cell}"))?;
    Ok(relations
        .get("FinalizedRootTask")
        .and_then(Value::as_str)
        .and_then(|root| name_parts(root).pop())
        .filter(|name| !name.is_empty()))
}

/// Null for SHOW's ways of saying "none": NULL, empty, `null`.
fn optional(row: &Row<'_>, column: &str) -> Option<String> {
    match row.get(column).map(str::trim) {
        None | Some("") => None,
        Some(s) if s.eq_ignore_ascii_case("null") => None,
        Some(s) => Some(s.to_string()),
    }
}

/// One SHOW TASKS row in canonical form; the caller has checked the columns.
fn read_row(row: &Row<'_>, name: &str, db: &str) -> Result<LiveObject, String> {
    let schema = row.get("schema_name").unwrap_or("");
    let schedule = match optional(row, "schedule") {
        None => Value::Null,
        Some(s) => json!(canonical_schedule(&s).map_err(|e| format!("schedule of {name}: {e}"))?),
    };
    let config = match optional(row, "config") {
        None => Value::Null,
        Some(c) => match serde_json::from_str::<Value>(&c) {
            Ok(v @ Value::Object(_)) => v,
            _ => return Err(format!("config of {name} is not a JSON object: {c}")),
        },
    };
    let overlap = match row
        .get("allow_overlapping_execution")
        .map(str::to_ascii_lowercase)
    {
        Some(b) if b == "true" => true,
        Some(b) if b == "false" || b == "null" => false,
        other => {
            return Err(format!(
                "allow_overlapping_execution of {name} is `{other:?}`"
            ));
        }
    };
    let comment = match row.get("comment") {
        None | Some("") => Value::Null,
        Some(c) => json!(c),
    };
    let attributes = Attributes::from([
        (DATABASE.to_string(), json!(db)),
        (SCHEMA.to_string(), json!(schema)),
        (NAME.to_string(), json!(name)),
        (WAREHOUSE.to_string(), json!(optional(row, "warehouse"))),
        (SCHEDULE.to_string(), schedule),
        (
            AFTER.to_string(),
            json!(predecessors(row.get("predecessors"))?),
        ),
        (WHEN.to_string(), json!(optional(row, "condition"))),
        (
            SQL.to_string(),
            json!(trimmed_sql(row.get("definition").unwrap_or(""))),
        ),
        (CONFIG.to_string(), config),
        (COMMENT.to_string(), comment),
        (ALLOW_OVERLAPPING_EXECUTION.to_string(), json!(overlap)),
        (
            ERROR_INTEGRATION.to_string(),
            json!(optional(row, "error_integration")),
        ),
        (
            FINALIZE.to_string(),
            json!(finalized_root(row.get("task_relations"))?),
        ),
        (
            ENABLED.to_string(),
            json!(
                row.get("state")
                    .is_some_and(|s| s.eq_ignore_ascii_case("started"))
            ),
        ),
    ]);
    Ok(LiveObject {
        address: Address::new(KindName::Task, Ident::from_resolved(name)),
        fqn: format!("{db}.{schema}.{name}"),
        schema: Some(Ident::from_resolved(schema)),
        attributes,
    })
}

/// The statements of a change, grouped so that each step is legal when it
/// runs: predecessors leave before a schedule arrives (a child becoming a
/// root), a schedule leaves before predecessors arrive (a root becoming a
/// child).
#[derive(Default)]
struct Alter {
    remove_after: Vec<String>,
    unset_finalize: bool,
    unset: Vec<&'static str>,
    set: Vec<String>,
    set_finalize: Option<String>,
    add_after: Vec<String>,
    body: Vec<String>,
}

impl Alter {
    fn after(&mut self, declared: &Attributes, current: &Attributes) {
        let want: BTreeSet<String> = names(declared, AFTER).into_iter().collect();
        let have: BTreeSet<String> = names(current, AFTER).into_iter().collect();
        let sql = |set: &BTreeSet<String>, other: &BTreeSet<String>| -> Vec<String> {
            set.difference(other)
                .map(|n| qualified(declared, n))
                .collect()
        };
        self.remove_after = sql(&have, &want);
        self.add_after = sql(&want, &have);
    }

    /// A finalizer's root changes with SET FINALIZE (which replaces it) and
    /// leaves with UNSET FINALIZE, each its own statement.
    fn finalize(&mut self, declared: &Attributes) {
        match text(declared, FINALIZE) {
            Some(root) => self.set_finalize = Some(qualified(declared, root)),
            None => self.unset_finalize = true,
        }
    }

    /// In order: what a task leaves (predecessors, finalized root,
    /// properties) before what it gains, so that a child, a root and a
    /// finalizer can each become another.
    fn statements(self, task: &str) -> Vec<String> {
        let mut sql = Vec::new();
        if !self.remove_after.is_empty() {
            sql.push(format!(
                "ALTER TASK {task} REMOVE AFTER {}",
                self.remove_after.join(", ")
            ));
        }
        if self.unset_finalize {
            sql.push(format!("ALTER TASK {task} UNSET FINALIZE"));
        }
        if !self.unset.is_empty() {
            sql.push(format!("ALTER TASK {task} UNSET {}", self.unset.join(", ")));
        }
        if !self.set.is_empty() {
            sql.push(format!("ALTER TASK {task} SET {}", self.set.join(" ")));
        }
        if let Some(root) = self.set_finalize {
            sql.push(format!("ALTER TASK {task} SET FINALIZE = {root}"));
        }
        if !self.add_after.is_empty() {
            sql.push(format!(
                "ALTER TASK {task} ADD AFTER {}",
                self.add_after.join(", ")
            ));
        }
        sql.extend(
            self.body
                .into_iter()
                .map(|b| format!("ALTER TASK {task} {b}")),
        );
        sql
    }
}

impl Reconciler for TaskKind {
    fn kind(&self) -> KindName {
        KindName::Task
    }

    fn introspect(&self, scope: &Scope) -> Vec<Query> {
        vec![Query::show(statement(scope))]
    }

    fn parse_live(&self, scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let rows = results
            .first()
            .ok_or_else(|| error(scope, "no result".into()))?;
        if let Some(column) = COLUMNS.iter().find(|c| rows.column_index(c).is_none()) {
            return Err(error(scope, format!("column \"{column}\" is missing")));
        }
        let mut out = Vec::new();
        for row in rows.iter() {
            let name = row.get("name").unwrap_or("");
            // `$`-named tasks are feature views' refresh tasks; tasks of
            // schemas this environment does not manage are not its business,
            // and a row floe cannot read there must not stop its plans.
            let schema = row.get("schema_name").unwrap_or("");
            let managed =
                scope.schemas.is_empty() || scope.schemas.iter().any(|s| s.as_str() == schema);
            if name.contains('$') || !managed {
                continue;
            }
            let db = row.get("database_name").unwrap_or(scope.database.as_str());
            out.push(read_row(&row, name, db).map_err(|m| error(scope, m))?);
        }
        Ok(out)
    }

    fn unobservable_fields(&self) -> &'static [&'static str] {
        UNOBSERVABLE
    }

    /// Both are task parameters an ALTER (or a colleague) can change: only
    /// `SHOW PARAMETERS IN TASK`, one statement per task, lists them.
    fn state_only_fields(&self) -> &'static [&'static str] {
        UNOBSERVABLE
    }

    /// In-place ALTERs for everything but a move to another schema; a
    /// change of `enabled` alone is the planner's suspend or resume.
    fn plan_change(&self, declared: &Resource, current: &Attributes, changed: &[String]) -> Change {
        let has = |f: &str| changed.iter().any(|c| c == f);
        if has(SCHEMA) || has(DATABASE) {
            return Change::Replace {
                reason: "schema changed".into(),
            };
        }
        let attributes = &declared.attributes;
        let mut alter = Alter::default();
        if has(AFTER) {
            alter.after(attributes, current);
        }
        if has(FINALIZE) {
            alter.finalize(attributes);
        }
        for (key, keyword) in PROPERTIES.iter().filter(|(k, _)| has(k)) {
            match property_sql(key, attributes.get(*key).unwrap_or(&Value::Null)) {
                Some(v) => alter.set.push(format!("{keyword} = {v}")),
                None => alter.unset.push(keyword),
            }
        }
        if has(SQL) {
            alter
                .body
                .push(format!("MODIFY AS {}", text(attributes, SQL).unwrap_or("")));
        }
        if has(WHEN) {
            alter.body.push(match text(attributes, WHEN) {
                Some(w) => format!("MODIFY WHEN {w}"),
                None => "REMOVE WHEN".to_string(),
            });
        }
        Change::Update(alter.statements(&task_sql(attributes, &declared.fqn)))
    }

    fn create_sql(&self, resource: &Resource) -> Vec<String> {
        let attributes = &resource.attributes;
        let mut sql = format!("CREATE TASK {}", task_sql(attributes, &resource.fqn));
        for (key, keyword) in PROPERTIES {
            let value = attributes.get(*key).unwrap_or(&Value::Null);
            if *key == ALLOW_OVERLAPPING_EXECUTION && value != &json!(true) {
                continue;
            }
            if let Some(v) = property_sql(key, value) {
                sql.push_str(&format!(" {keyword} = {v}"));
            }
        }
        if let Some(root) = text(attributes, FINALIZE) {
            sql.push_str(&format!(" FINALIZE = {}", qualified(attributes, root)));
        }
        let after: Vec<String> = names(attributes, AFTER)
            .iter()
            .map(|n| qualified(attributes, n))
            .collect();
        if !after.is_empty() {
            sql.push_str(&format!(" AFTER {}", after.join(", ")));
        }
        if let Some(when) = text(attributes, WHEN) {
            sql.push_str(&format!(" WHEN {when}"));
        }
        sql.push_str(&format!(" AS {}", text(attributes, SQL).unwrap_or("")));
        vec![sql]
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, attributes: &Attributes) -> Vec<String> {
        vec![format!("DROP TASK {}", task_sql(attributes, fqn))]
    }

    fn destroys_data(&self, _attributes: &Attributes) -> bool {
        true
    }

    /// A finalizer sits below the root it finalizes: suspended and resumed
    /// with its graph, and changed only while that root is suspended.
    fn graph_node(&self, attributes: &Attributes) -> Option<GraphNode> {
        let finalized = text(attributes, FINALIZE).map(String::from);
        Some(GraphNode {
            predecessors: names(attributes, AFTER)
                .into_iter()
                .chain(finalized)
                .map(|n| Address::new(KindName::Task, Ident::from_resolved(n)))
                .collect(),
            enabled: attributes.get(ENABLED) == Some(&json!(true)),
        })
    }

    fn with_running(&self, attributes: &Attributes, running: bool) -> Option<Attributes> {
        let mut attributes = attributes.clone();
        attributes.insert(ENABLED.into(), json!(running));
        Some(attributes)
    }

    fn suspend_sql(&self, fqn: &str, attributes: &Attributes) -> Vec<String> {
        vec![format!("ALTER TASK {} SUSPEND", task_sql(attributes, fqn))]
    }

    fn resume_sql(&self, fqn: &str, attributes: &Attributes) -> Vec<String> {
        vec![format!("ALTER TASK {} RESUME", task_sql(attributes, fqn))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::schema::reconciler::SchemaKind;
    use crate::kinds::testing::{
        account, changed_fields as shared_changed_fields, live, one_row, parse_rows, resolve, run,
        visible as shared_visible,
    };
    use crate::kinds::warehouse::reconciler::WarehouseKind;
    use crate::local::LocalAccount;
    use crate::resolve::ResolvedEnv;

    const BASE: &str = "\
kind: Schema
name: s
---
kind: Warehouse
name: wh
---
";

    const GRAPH: &str = "\
kind: Task
name: root
schema: s
warehouse: wh
schedule: 60 minutes
config: {region: \"it's north\", limit: 3}
comment: starts the graph
allow_overlapping_execution: true
timeout_ms: 60000
sql: SELECT 1;
---
kind: Task
name: child
schema: s
after: [root]
when: SYSTEM$STREAM_HAS_DATA('S.CHANGES')
sql: |
  INSERT INTO s.out SELECT 'a' || $$b$$
";

    fn env(tasks: &str) -> ResolvedEnv {
        resolve(&format!("{BASE}{tasks}"))
    }

    fn get(env: &ResolvedEnv, address: &str) -> Resource {
        env.resource(&address.parse().unwrap()).unwrap().clone()
    }

    /// An account holding the schema, the warehouse and every task of `env`.
    fn deployed(env: &ResolvedEnv) -> (tempfile::TempDir, LocalAccount) {
        let (dir, account) = account();
        for resource in &env.resources {
            let sql = match resource.address.kind {
                KindName::Schema => SchemaKind.create_sql(resource),
                KindName::Warehouse => WarehouseKind.create_sql(resource),
                _ => TaskKind.create_sql(resource),
            };
            run(&account, &sql);
        }
        (dir, account)
    }

    fn tasks(account: &LocalAccount) -> Vec<LiveObject> {
        live(&TaskKind, account)
    }

    fn task(account: &LocalAccount, name: &str) -> Attributes {
        tasks(account)
            .into_iter()
            .find(|o| o.address.name.as_str() == name)
            .unwrap_or_else(|| panic!("no task {name}"))
            .attributes
    }

    /// The declared attributes introspection can see.
    fn visible(resource: &Resource) -> Attributes {
        shared_visible(&TaskKind, resource)
    }

    fn changed_fields(declared: &Resource, current: &Attributes) -> Vec<String> {
        shared_changed_fields(&TaskKind, declared, current)
    }

    /// plan_change's SQL for bringing the live task to `declared`.
    fn change(account: &LocalAccount, declared: &Resource) -> Vec<String> {
        let current = task(account, declared.address.name.as_str());
        let changed = changed_fields(declared, &current);
        match TaskKind.plan_change(declared, &current, &changed) {
            Change::Update(sql) => sql,
            other => panic!("expected an update, got {other:?}"),
        }
    }

    #[test]
    fn a_created_graph_reads_back_as_declared_once_resumed() {
        let env = env(GRAPH);
        let (_dir, account) = deployed(&env);
        let (root, child) = (get(&env, "task.ROOT"), get(&env, "task.CHILD"));
        for declared in [&root, &child] {
            let object = tasks(&account)
                .into_iter()
                .find(|o| o.address == declared.address)
                .unwrap();
            assert_eq!(object.fqn, declared.fqn);
            assert_eq!(object.schema, Some(Ident::from_resolved("S")));
            let mut expected = visible(declared);
            expected.insert("enabled".into(), json!(false));
            assert_eq!(object.attributes, expected, "created suspended");
        }
        run(
            &account,
            &TaskKind.resume_sql(&child.fqn, &child.attributes),
        );
        run(&account, &TaskKind.resume_sql(&root.fqn, &root.attributes));
        assert_eq!(task(&account, "ROOT"), visible(&root));
        assert_eq!(task(&account, "CHILD"), visible(&child));
        assert_eq!(
            TaskKind.graph_node(&task(&account, "CHILD")),
            Some(GraphNode {
                predecessors: vec!["task.ROOT".parse().unwrap()],
                enabled: true
            })
        );
    }

    #[test]
    fn a_child_sql_change_is_modified_in_place_while_the_root_is_suspended() {
        let before = env(GRAPH);
        let after = env(&GRAPH.replace("'a' || $$b$$", "'it''s' || $$new$$"));
        let (_dir, account) = deployed(&before);
        let root = get(&before, "task.ROOT");
        let old_child = get(&before, "task.CHILD");
        run(
            &account,
            &TaskKind.resume_sql(&old_child.fqn, &old_child.attributes),
        );
        run(&account, &TaskKind.resume_sql(&root.fqn, &root.attributes));
        let child = get(&after, "task.CHILD");
        let sql = change(&account, &child);
        assert_eq!(
            sql,
            vec![format!(
                "ALTER TASK ML_DB.S.CHILD MODIFY AS {}",
                child.attributes["sql"].as_str().unwrap()
            )]
        );
        assert!(account.execute_sync(&sql[0]).is_err(), "the root runs");
        run(&account, &TaskKind.suspend_sql(&root.fqn, &root.attributes));
        let refused = account.execute_sync(&sql[0]).unwrap_err();
        assert!(
            refused.message.contains("CHILD"),
            "the child runs: {refused:?}"
        );
        run(
            &account,
            &TaskKind.suspend_sql(&child.fqn, &child.attributes),
        );
        run(&account, &sql);
        run(
            &account,
            &TaskKind.resume_sql(&child.fqn, &child.attributes),
        );
        run(&account, &TaskKind.resume_sql(&root.fqn, &root.attributes));
        assert_eq!(task(&account, "CHILD"), visible(&child));
    }

    const THREE: &str = "\
kind: Task
name: root
schema: s
schedule: 5 minutes
sql: SELECT 1
---
kind: Task
name: a
schema: s
after: [root]
sql: SELECT 2
---
kind: Task
name: b
schema: s
after: [root]
sql: SELECT 3
";

    #[test]
    fn predecessors_are_removed_and_added() {
        let before = env(THREE);
        let after = env(&THREE.replace(
            "name: b\nschema: s\nafter: [root]",
            "name: b\nschema: s\nafter: [a]",
        ));
        let (_dir, account) = deployed(&before);
        let b = get(&after, "task.B");
        let sql = change(&account, &b);
        assert_eq!(
            sql,
            vec![
                "ALTER TASK ML_DB.S.B REMOVE AFTER ML_DB.S.ROOT".to_string(),
                "ALTER TASK ML_DB.S.B ADD AFTER ML_DB.S.A".to_string(),
            ]
        );
        run(&account, &sql);
        assert_eq!(task(&account, "B")["after"], json!(["A"]));
    }

    #[test]
    fn a_root_becomes_a_child_and_back() {
        let as_root = env(&THREE.replace(
            "name: b\nschema: s\nafter: [root]",
            "name: b\nschema: s\nschedule: 1 day",
        ));
        let as_child = env(THREE);
        let (_dir, account) = deployed(&as_root);
        let child = get(&as_child, "task.B");
        let sql = change(&account, &child);
        assert_eq!(
            sql,
            vec![
                "ALTER TASK ML_DB.S.B UNSET SCHEDULE".to_string(),
                "ALTER TASK ML_DB.S.B ADD AFTER ML_DB.S.ROOT".to_string(),
            ]
        );
        run(&account, &sql);
        let left = changed_fields(&child, &task(&account, "B"));
        assert_eq!(left, vec!["enabled".to_string()], "the planner resumes it");
        let root = get(&as_root, "task.B");
        let sql = change(&account, &root);
        assert_eq!(
            sql,
            vec![
                "ALTER TASK ML_DB.S.B REMOVE AFTER ML_DB.S.ROOT".to_string(),
                "ALTER TASK ML_DB.S.B SET SCHEDULE = '24 HOURS'".to_string(),
            ]
        );
        run(&account, &sql);
        assert_eq!(task(&account, "B")["schedule"], json!("1 day"));
        assert_eq!(task(&account, "B")["after"], json!([]));
    }

    fn parameter(account: &LocalAccount, task: &str, key: &str) -> String {
        let rows = account
            .execute_sync(&format!("SHOW PARAMETERS LIKE '{key}' IN TASK {task}"))
            .unwrap();
        rows.iter()
            .next()
            .unwrap()
            .get("value")
            .unwrap()
            .to_string()
    }

    #[test]
    fn warehouse_timeout_and_comment_changes_are_set_or_unset() {
        let before = env(GRAPH);
        let after = env(&GRAPH
            .replace("warehouse: wh\n", "")
            .replace("timeout_ms: 60000\n", "suspend_after_failures: 3\n")
            .replace("comment: starts the graph\n", "")
            .replace(
                "config: {region: \"it's north\", limit: 3}\n",
                "config: {limit: 4}\n",
            ));
        let (_dir, account) = deployed(&before);
        assert_eq!(
            parameter(&account, "ML_DB.S.ROOT", "USER_TASK_TIMEOUT_MS"),
            "60000"
        );
        let root = get(&after, "task.ROOT");
        let current = task(&account, "ROOT");
        let mut changed = changed_fields(&root, &current);
        changed.extend(UNOBSERVABLE.iter().map(|f| f.to_string()));
        let Change::Update(sql) = TaskKind.plan_change(&root, &current, &changed) else {
            panic!("expected an update");
        };
        assert_eq!(
            sql,
            vec![
                "ALTER TASK ML_DB.S.ROOT UNSET WAREHOUSE, COMMENT".to_string(),
                "ALTER TASK ML_DB.S.ROOT SET CONFIG = '{\"limit\":4}' \
                 USER_TASK_TIMEOUT_MS = 3600000 SUSPEND_TASK_AFTER_NUM_FAILURES = 3"
                    .to_string(),
            ]
        );
        run(&account, &sql);
        assert_eq!(
            changed_fields(&root, &task(&account, "ROOT")),
            vec!["enabled".to_string()]
        );
        assert_eq!(
            parameter(&account, "ML_DB.S.ROOT", "USER_TASK_TIMEOUT_MS"),
            "3600000"
        );
        assert_eq!(
            parameter(&account, "ML_DB.S.ROOT", "SUSPEND_TASK_AFTER_NUM_FAILURES"),
            "3"
        );
        let back = get(&before, "task.ROOT");
        let sql = change(&account, &back);
        assert!(sql[0].contains("SET WAREHOUSE = WH "), "{sql:?}");
        run(&account, &sql);
        assert_eq!(
            changed_fields(&back, &task(&account, "ROOT")),
            vec!["enabled".to_string()]
        );
    }

    #[test]
    fn config_floats_read_back_to_the_last_digit() {
        let mut floats = vec![94.52706955539223, 0.009221885624698875];
        floats.extend(crate::load::yaml::tests::random_doubles(300));
        let config: Vec<String> = floats
            .iter()
            .enumerate()
            .map(|(i, f)| format!("k{i}: {f:e}"))
            .collect();
        let graph = THREE.replace(
            "schedule: 5 minutes\n",
            &format!("schedule: 5 minutes\nconfig: {{{}}}\n", config.join(", ")),
        );
        let env = env(&graph);
        let (_dir, account) = deployed(&env);
        let root = get(&env, "task.ROOT");
        assert_eq!(root.attributes["config"]["k0"], json!(94.52706955539223));
        assert_eq!(task(&account, "ROOT")["config"], root.attributes["config"]);
        assert_eq!(
            changed_fields(&root, &task(&account, "ROOT")),
            vec!["enabled".to_string()]
        );
    }

    #[test]
    fn interval_spellings_compare_equal() {
        let written = env(&THREE.replace("5 minutes", "60 minutes"));
        let canonical = env(&THREE.replace("5 minutes", "1 hour"));
        let (_dir, account) = deployed(&written);
        let root = get(&canonical, "task.ROOT");
        assert_eq!(root.attributes["schedule"], json!("1 hour"));
        assert_eq!(
            changed_fields(&root, &task(&account, "ROOT")),
            vec!["enabled".to_string()]
        );
        let cron = env(&THREE.replace("5 minutes", "0  6 * * mon Europe/Paris"));
        let (_dir, account) = deployed(&cron);
        let root = get(&cron, "task.ROOT");
        assert_eq!(
            task(&account, "ROOT")["schedule"],
            json!("0 6 * * MON Europe/Paris")
        );
        assert_eq!(
            changed_fields(&root, &task(&account, "ROOT")),
            vec!["enabled".to_string()]
        );
    }

    #[test]
    fn feature_view_refresh_tasks_are_not_reported() {
        let (_dir, account) = deployed(&env(THREE));
        run(
            &account,
            &["CREATE TASK ML_DB.S.\"DAILY$V1\" SCHEDULE = 'USING CRON 0 0 * * * UTC' AS SELECT 1"
                .to_string()],
        );
        let names: Vec<String> = tasks(&account)
            .into_iter()
            .map(|o| o.address.name.as_str().to_string())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(!names.iter().any(|n| n.contains('$')), "{names:?}");
    }

    #[test]
    fn quotes_and_dollars_cannot_leave_their_statement() {
        let hostile = "\
kind: Task
name: root
schema: s
schedule: 5 minutes
config: {note: \"$$; DROP TASK ML_DB.S.OTHER; --\", quote: \"'); DROP TASK ML_DB.S.OTHER; --\"}
comment: \"x'); DROP TASK ML_DB.S.OTHER; --\"
sql: SELECT 'it''s $$ not; the end', $$ it's $$
---
kind: Task
name: other
schema: s
schedule: 5 minutes
sql: SELECT 1
";
        let env = env(hostile);
        let (_dir, account) = deployed(&env);
        let root = get(&env, "task.ROOT");
        assert_eq!(tasks(&account).len(), 2);
        assert_eq!(
            changed_fields(&root, &task(&account, "ROOT")),
            vec!["enabled".to_string()]
        );
        assert_eq!(
            task(&account, "ROOT")["sql"],
            json!("SELECT 'it''s $$ not; the end', $$ it's $$")
        );
    }

    #[test]
    fn enabled_alone_is_the_planners_and_a_move_is_a_replace() {
        let env = env(THREE);
        let a = get(&env, "task.A");
        let mut current = visible(&a);
        current.insert("enabled".into(), json!(false));
        assert_eq!(
            TaskKind.plan_change(&a, &current, &["enabled".to_string()]),
            Change::Update(Vec::new())
        );
        current.insert("schema".into(), json!("OLD"));
        assert_eq!(
            TaskKind.plan_change(&a, &current, &["schema".to_string()]),
            Change::Replace {
                reason: "schema changed".into()
            }
        );
        assert!(TaskKind.destroys_data(&a.attributes));
        assert_eq!(TaskKind.unobservable_fields(), UNOBSERVABLE);
        let dotted = Attributes::from([
            ("database".to_string(), json!("ML_DB")),
            ("schema".to_string(), json!("dot.ted")),
            ("name".to_string(), json!("T")),
        ]);
        assert_eq!(
            TaskKind.suspend_sql("ML_DB.dot.ted.T", &dotted),
            vec!["ALTER TASK ML_DB.\"dot.ted\".T SUSPEND".to_string()]
        );
        assert_eq!(
            TaskKind.resume_sql("ML_DB.dot.ted.T", &dotted),
            vec!["ALTER TASK ML_DB.\"dot.ted\".T RESUME".to_string()]
        );
    }

    #[test]
    fn dropped_tasks_are_gone() {
        let env = env(THREE);
        let (_dir, account) = deployed(&env);
        for name in ["task.A", "task.B", "task.ROOT"] {
            let t = get(&env, name);
            run(
                &account,
                &TaskKind.delete_sql(&t.address, &t.fqn, &t.attributes),
            );
        }
        assert!(tasks(&account).is_empty());
    }

    fn parse(rows: Rows) -> Result<Vec<LiveObject>, ParseError> {
        parse_rows(&TaskKind, rows)
    }

    #[test]
    fn snowflakes_task_rows_read_canonically() {
        let preds = r#"[ "\"ML_DB\".\"S\".\"Z\"", "\"ML_DB\".\"S\".\"a.\"\"b\"\"\"" ]"#;
        let row = [
            Some("T"),
            Some("ML_DB"),
            Some("S"),
            Some(""),
            Some("null"),
            None,
            Some(preds),
            Some("started"),
            Some("  SELECT 1;  "),
            None,
            Some("false"),
            Some("null"),
            None,
            Some(r#"{"Predecessors":[],"FinalizedRootTask":"\"ML_DB\".\"S\".\"my root\""}"#),
        ];
        let attributes = parse(one_row(COLUMNS, &row)).unwrap().remove(0).attributes;
        assert_eq!(attributes["finalize"], json!("my root"));
        assert_eq!(attributes["error_integration"], Value::Null);
        assert_eq!(attributes["after"], json!(["Z", "a.\"b\""]));
        assert_eq!(attributes["warehouse"], Value::Null);
        assert_eq!(attributes["comment"], Value::Null);
        assert_eq!(attributes["sql"], json!("SELECT 1"));
        assert_eq!(attributes["enabled"], json!(true));
        let without: Vec<&str> = COLUMNS
            .iter()
            .copied()
            .filter(|c| *c != "predecessors")
            .collect();
        let err = parse(one_row(&without, &[None; 13])).unwrap_err();
        assert_eq!(err.message, "column \"predecessors\" is missing");
        let mut bad = row;
        bad[5] = Some("every now and then");
        assert!(
            parse(one_row(COLUMNS, &bad))
                .unwrap_err()
                .message
                .contains("schedule of T")
        );
    }
}
