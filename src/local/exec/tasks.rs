//! Tasks and task graphs: creation suspended, the root-must-be-suspended
//! rule for every change to a graph, predecessors, finalizer tasks
//! (`FINALIZE = <root>`: no schedule, no predecessors, no children, one per
//! root), and SYSTEM$TASK_DEPENDENTS_ENABLE.

use std::collections::BTreeSet;

use super::warehouse::{boolean, integer};
use super::{Exec, Outcome, already_exists_ok, created};
use crate::local::ast::{Alter, AlterAction, Create, CreateBody, Name, ObjectType, Prop, Value};
use crate::local::catalog::{Change, Namespace, Object, QualifiedName, Task};
use crate::local::error::{self, SqlError};
use crate::local::parser::parse_name;
use crate::session::{Column, ColumnType, Rows};

/// Snowflake's limit on predecessors of one task.
const MAX_PREDECESSORS: usize = 100;

impl Exec<'_> {
    fn task_at(&self, q: &QualifiedName) -> Option<&Task> {
        match self.catalog.object(q, Namespace::Task) {
            Some(Object::Task(t)) => Some(t),
            _ => None,
        }
    }

    /// The roots of the graph(s) `q` belongs to (`q` itself when it has no
    /// predecessors; the finalized root for a finalizer).
    fn roots(&self, q: &QualifiedName) -> Vec<QualifiedName> {
        let mut roots = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![q.clone()];
        while let Some(current) = stack.pop() {
            if !seen.insert(current.clone()) {
                continue;
            }
            match self.task_at(&current) {
                Some(t) if t.finalize.is_some() => stack.extend(t.finalize.iter().cloned()),
                Some(t) if !t.predecessors.is_empty() => {
                    stack.extend(t.predecessors.iter().cloned())
                }
                Some(_) => roots.push(current),
                None => {}
            }
        }
        roots
    }

    /// Refuses a change to the graph of `q` while one of its roots runs.
    fn require_graph_suspended(&self, q: &QualifiedName) -> Result<(), SqlError> {
        for root in self.roots(q) {
            if self.task_at(&root).is_some_and(|t| t.state == "started") {
                return Err(error::root_not_suspended(&root.display()));
            }
        }
        Ok(())
    }

    /// Tasks of the same schema that name `q` as predecessor.
    fn children(&self, q: &QualifiedName) -> Vec<QualifiedName> {
        self.catalog
            .objects_in(&q.database, &q.schema, Namespace::Task)
            .filter_map(|(key, o)| match o {
                Object::Task(t) if t.predecessors.contains(q) => Some(key.qualified()),
                _ => None,
            })
            .collect()
    }

    fn descendants(&self, q: &QualifiedName) -> BTreeSet<QualifiedName> {
        let mut out = BTreeSet::new();
        let mut stack = self.children(q);
        while let Some(child) = stack.pop() {
            if out.insert(child.clone()) {
                stack.extend(self.children(&child));
            }
        }
        out
    }

    /// Resolves AFTER names: each must be an existing task whose graph is suspended.
    fn predecessors(
        &self,
        names: &[Name],
        of: &QualifiedName,
    ) -> Result<Vec<QualifiedName>, SqlError> {
        let mut out: Vec<QualifiedName> = Vec::new();
        for name in names {
            let p = self.qualify(name, "CREATE TASK")?;
            match self.task_at(&p) {
                None => return Err(error::object_missing(&p.display())),
                Some(t) if t.finalize.is_some() => return Err(finalizer_has_children(&p)),
                Some(_) => {}
            }
            if &p == of || self.descendants(of).contains(&p) {
                return Err(error::invalid(format!(
                    "Task '{}' cannot be a predecessor of '{}' because it would create a cycle.",
                    p.display(),
                    of.display()
                )));
            }
            self.require_graph_suspended(&p)?;
            if !out.contains(&p) {
                out.push(p);
            }
        }
        Ok(out)
    }

    pub(super) fn create_task(&mut self, create: &Create) -> Result<Outcome, SqlError> {
        let q = self.qualify(&create.name, "CREATE TASK")?;
        self.require_schema(&q.database, &q.schema)?;
        let CreateBody::Task {
            props,
            tags,
            after,
            condition,
            definition,
        } = &create.body
        else {
            return Err(error::unsupported("CREATE TASK"));
        };
        if self.task_at(&q).is_some() {
            if create.mode.if_not_exists {
                return Ok(already_exists_ok(&q.name));
            }
            if !create.mode.or_replace {
                return Err(error::already_exists(&q.name.to_sql()));
            }
            self.require_graph_suspended(&q)?;
        }
        let (id, id_change) = self.next_id();
        let mut task = Task {
            name: q.name.clone(),
            id,
            created_on: self.now,
            warehouse: None,
            schedule: None,
            predecessors: Vec::new(),
            state: "suspended".into(),
            definition: definition.clone(),
            condition: condition.clone(),
            allow_overlapping_execution: false,
            config: None,
            comment: None,
            parameters: Default::default(),
            last_committed_on: None,
            last_suspended_on: None,
            tags: Vec::new(),
            finalize: None,
            error_integration: None,
        };
        for prop in props {
            self.set_task_prop(&mut task, prop, &q)?;
        }
        task.predecessors = self.predecessors(after, &q)?;
        check_predecessor_count(&task)?;
        check_finalizer_shape(&task)?;
        task.tags = self.resolve_tags(tags)?;
        Ok(Outcome::status(
            created(ObjectType::Task, &q.name),
            vec![id_change, put(&q, task)],
        ))
    }

    fn set_task_prop(
        &self,
        task: &mut Task,
        prop: &Prop,
        q: &QualifiedName,
    ) -> Result<(), SqlError> {
        match prop.key.as_str() {
            "WAREHOUSE" => task.warehouse = Some(self.existing_warehouse(prop)?),
            "FINALIZE" => task.finalize = Some(self.finalized_root(prop, q)?),
            // Integrations are account objects the local account does not
            // keep: the name is recorded as given.
            "ERROR_INTEGRATION" => match &prop.value {
                Value::Name(n) if n.parts.len() == 1 => {
                    task.error_integration = n.parts.last().cloned()
                }
                other => return Err(error::invalid_value(&prop.key, &other.written())),
            },
            "SCHEDULE" => task.schedule = Some(string(prop)?),
            "CONFIG" => task.config = Some(string(prop)?),
            "COMMENT" => task.comment = Some(super::target::comment_text(&prop.value)?),
            "ALLOW_OVERLAPPING_EXECUTION" => task.allow_overlapping_execution = boolean(prop)?,
            "USER_TASK_TIMEOUT_MS" => {
                let ms = integer(prop, 0, 604_800_000)?;
                task.parameters.insert(prop.key.clone(), ms.to_string());
            }
            "SUSPEND_TASK_AFTER_NUM_FAILURES" | "TASK_AUTO_RETRY_ATTEMPTS" => {
                let n = integer(prop, 0, 1_000_000)?;
                task.parameters.insert(prop.key.clone(), n.to_string());
            }
            _ => {
                let written = match &prop.value {
                    Value::Null => return Err(error::invalid_value(&prop.key, "NULL")),
                    other => other.written(),
                };
                task.parameters.insert(prop.key.clone(), written);
            }
        }
        Ok(())
    }

    pub(super) fn alter_task(&mut self, alter: &Alter) -> Result<Outcome, SqlError> {
        let Some(super::target::Target::Object(q, Object::Task(mut task))) =
            self.find_existing(ObjectType::Task, &alter.name, alter.if_exists)?
        else {
            return Ok(Outcome::done(Vec::new()));
        };
        let is_root = task.predecessors.is_empty() && task.finalize.is_none();
        match &alter.action {
            AlterAction::Suspend | AlterAction::Resume if is_root => {}
            AlterAction::Suspend | AlterAction::Resume => self.require_graph_suspended(&q)?,
            _ => {
                self.require_graph_suspended(&q)?;
                // 2026_06 behaviour change bundle (bcr-2363): altering a
                // task that is part of a graph requires the task itself to
                // be suspended, not only its root.
                if !is_root && task.state == "started" {
                    return Err(error::task_not_suspended(&q.display()));
                }
            }
        }
        match &alter.action {
            AlterAction::Suspend => {
                if task.state == "started" {
                    task.state = "suspended".into();
                    task.last_suspended_on = Some(self.now);
                }
            }
            AlterAction::Resume => {
                if let Some(w) = &task.warehouse
                    && !self.catalog.warehouses.contains_key(w)
                {
                    return Err(error::object_missing(&w.to_sql()));
                }
                task.state = "started".into();
                task.last_committed_on = Some(self.now);
            }
            AlterAction::Set(props) => {
                for prop in props {
                    self.set_task_prop(&mut task, prop, &q)?;
                }
                check_finalizer_shape(&task)?;
            }
            AlterAction::Unset(keys) => {
                let was_finalizer = task.finalize.is_some();
                unset_task_props(&mut task, keys);
                // A finalizer let go becomes a root of its own, suspended
                // (SHOW's last_suspended_reason FINALIZER_BECAME_ROOT).
                if was_finalizer && task.finalize.is_none() && task.state == "started" {
                    task.state = "suspended".into();
                    task.last_suspended_on = Some(self.now);
                }
            }
            AlterAction::AddAfter(names) => {
                for p in self.predecessors(names, &q)? {
                    if !task.predecessors.contains(&p) {
                        task.predecessors.push(p);
                    }
                }
                check_predecessor_count(&task)?;
                check_finalizer_shape(&task)?;
            }
            AlterAction::RemoveAfter(names) => {
                for name in names {
                    let p = self.qualify(name, "ALTER TASK")?;
                    task.predecessors.retain(|x| *x != p);
                }
            }
            AlterAction::ModifyAs(body) => task.definition = body.clone(),
            AlterAction::ModifyWhen(condition) => task.condition = Some(condition.clone()),
            AlterAction::RemoveWhen => task.condition = None,
            _ => return Err(error::unsupported("ALTER TASK")),
        }
        Ok(Outcome::done(vec![put(&q, task)]))
    }

    pub(super) fn task_dependents_enable(
        &mut self,
        column: &str,
        task: &str,
    ) -> Result<Outcome, SqlError> {
        let q = self.qualify(&parse_name(task)?, "SYSTEM$TASK_DEPENDENTS_ENABLE")?;
        if self.task_at(&q).is_none() {
            return Err(error::object_missing(&q.display()));
        }
        let mut changes = Vec::new();
        let mut all = vec![q.clone()];
        all.extend(self.descendants(&q));
        all.extend(self.finalizer_of(&q));
        for name in all {
            if let Some(t) = self.task_at(&name)
                && t.state != "started"
            {
                let mut t = t.clone();
                t.state = "started".into();
                t.last_committed_on = Some(self.now);
                changes.push(put(&name, t));
            }
        }
        Ok(Outcome {
            rows: Rows {
                columns: vec![Column::new(column, ColumnType::Text)],
                rows: vec![vec![Some(String::new())]],
                query_id: None,
            },
            changes,
        })
    }

    /// Changes that remove `q` from the predecessors of its children and
    /// detach its finalizer, which becomes a root of its own.
    pub(crate) fn forget_predecessor(&self, q: &QualifiedName) -> Vec<Change> {
        let mut changes: Vec<Change> = self
            .children(q)
            .into_iter()
            .filter_map(|child| {
                let mut t = self.task_at(&child)?.clone();
                t.predecessors.retain(|p| p != q);
                Some(put(&child, t))
            })
            .collect();
        if let Some(f) = self.finalizer_of(q)
            && let Some(t) = self.task_at(&f)
        {
            let mut t = t.clone();
            t.finalize = None;
            if t.state == "started" {
                t.state = "suspended".into();
                t.last_suspended_on = Some(self.now);
            }
            changes.push(put(&f, t));
        }
        changes
    }

    /// The finalizer task attached to the root `root`.
    fn finalizer_of(&self, root: &QualifiedName) -> Option<QualifiedName> {
        self.catalog
            .objects_in(&root.database, &root.schema, Namespace::Task)
            .find_map(|(key, o)| match o {
                Object::Task(t) if t.finalize.as_ref() == Some(root) => Some(key.qualified()),
                _ => None,
            })
    }

    /// Resolves `FINALIZE = <root>` for the task `of`: an existing root task
    /// of the same schema, suspended, with no other finalizer; `of` itself
    /// has no children.
    fn finalized_root(&self, prop: &Prop, of: &QualifiedName) -> Result<QualifiedName, SqlError> {
        let Value::Name(name) = &prop.value else {
            return Err(error::invalid_value(&prop.key, &prop.value.written()));
        };
        let root = self.qualify(name, "FINALIZE")?;
        let Some(task) = self.task_at(&root) else {
            return Err(error::object_missing(&root.display()));
        };
        if &root == of || !task.predecessors.is_empty() || task.finalize.is_some() {
            return Err(error::invalid(format!(
                "Task '{}' cannot be finalized by '{}': only a root task has a finalizer task.",
                root.display(),
                of.display()
            )));
        }
        if root.database != of.database || root.schema != of.schema {
            return Err(error::invalid(format!(
                "Finalizer task '{}' must be in the schema of its root task '{}'.",
                of.display(),
                root.display()
            )));
        }
        if let Some(other) = self.finalizer_of(&root).filter(|f| f != of) {
            return Err(error::invalid(format!(
                "Task '{}' already has the finalizer task '{}'.",
                root.display(),
                other.display()
            )));
        }
        if !self.children(of).is_empty() {
            return Err(finalizer_has_children(of));
        }
        self.require_graph_suspended(&root)?;
        Ok(root)
    }
}

fn put(q: &QualifiedName, task: Task) -> Change {
    Change::PutObject {
        database: q.database.clone(),
        schema: q.schema.clone(),
        object: Object::Task(task),
    }
}

fn string(prop: &Prop) -> Result<String, SqlError> {
    match &prop.value {
        Value::Str(s) => Ok(s.clone()),
        other => Err(error::invalid_value(&prop.key, &other.written())),
    }
}

fn unset_task_props(task: &mut Task, keys: &[String]) {
    for key in keys {
        match key.as_str() {
            "FINALIZE" => task.finalize = None,
            "ERROR_INTEGRATION" => task.error_integration = None,
            "WAREHOUSE" => task.warehouse = None,
            "SCHEDULE" => task.schedule = None,
            "CONFIG" => task.config = None,
            "COMMENT" => task.comment = None,
            "ALLOW_OVERLAPPING_EXECUTION" => task.allow_overlapping_execution = false,
            other => {
                task.parameters.remove(other);
            }
        }
    }
}

fn finalizer_has_children(q: &QualifiedName) -> SqlError {
    error::invalid(format!(
        "Task '{}' is a finalizer task, which cannot have children.",
        q.display()
    ))
}

/// A finalizer task has neither a schedule nor predecessors.
fn check_finalizer_shape(task: &Task) -> Result<(), SqlError> {
    if task.finalize.is_none() {
        return Ok(());
    }
    let what = if task.schedule.is_some() {
        "a schedule"
    } else if !task.predecessors.is_empty() {
        "predecessors"
    } else {
        return Ok(());
    };
    Err(error::invalid(format!(
        "Finalizer task '{}' cannot have {what}.",
        task.name
    )))
}

fn check_predecessor_count(task: &Task) -> Result<(), SqlError> {
    if task.predecessors.len() > MAX_PREDECESSORS {
        return Err(error::invalid(format!(
            "Task '{}' has {} predecessors; a task can have at most {MAX_PREDECESSORS}.",
            task.name,
            task.predecessors.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::local::LocalAccount;

    fn account() -> (tempfile::TempDir, LocalAccount) {
        crate::local::scratch_account(&[
            "CREATE DATABASE DB",
            "CREATE SCHEMA DB.S",
            "CREATE SCHEMA DB.OTHER",
            "CREATE TASK DB.S.ROOT SCHEDULE = '60 MINUTE' AS SELECT 1",
            "CREATE TASK DB.S.CHILD AFTER DB.S.ROOT AS SELECT 2",
            "CREATE TASK DB.S.FIN FINALIZE = DB.S.ROOT ERROR_INTEGRATION = ALERTS AS SELECT 3",
        ])
    }

    fn cell(account: &LocalAccount, task: &str, column: &str) -> Option<String> {
        let rows = account
            .execute_sync(&format!("SHOW TASKS LIKE '{task}' IN SCHEMA DB.S"))
            .unwrap();
        let row = rows
            .iter()
            .next()
            .unwrap_or_else(|| panic!("no task {task}"));
        row.get(column).map(String::from)
    }

    fn refused(account: &LocalAccount, sql: &str, message: &str) {
        let e = account.execute_sync(sql).unwrap_err();
        assert!(e.message.contains(message), "{sql}: {e}");
    }

    #[test]
    fn show_tasks_relates_a_root_and_its_finalizer() {
        let (_dir, account) = account();
        assert_eq!(
            cell(&account, "FIN", "task_relations").as_deref(),
            Some(r#"{"Predecessors":[],"FinalizedRootTask":"\"DB\".\"S\".\"ROOT\""}"#)
        );
        assert_eq!(
            cell(&account, "ROOT", "task_relations").as_deref(),
            Some(r#"{"Predecessors":[],"FinalizerTask":"\"DB\".\"S\".\"FIN\""}"#)
        );
        assert_eq!(
            cell(&account, "FIN", "error_integration").as_deref(),
            Some("ALERTS")
        );
        assert_eq!(
            cell(&account, "ROOT", "error_integration").as_deref(),
            Some("null")
        );
        account
            .execute_sync("ALTER TASK DB.S.FIN UNSET ERROR_INTEGRATION")
            .unwrap();
        assert_eq!(
            cell(&account, "FIN", "error_integration").as_deref(),
            Some("null")
        );
    }

    #[test]
    fn a_finalizer_has_no_schedule_predecessors_or_children_and_a_root_one_finalizer() {
        let (_dir, account) = account();
        account
            .execute_sync("CREATE TASK DB.S.ROOT2 SCHEDULE = '60 MINUTE' AS SELECT 1")
            .unwrap();
        refused(
            &account,
            "CREATE TASK DB.S.F2 FINALIZE = DB.S.ROOT2 SCHEDULE = '5 MINUTE' AS SELECT 1",
            "cannot have a schedule",
        );
        refused(
            &account,
            "CREATE TASK DB.S.F2 FINALIZE = DB.S.CHILD AS SELECT 1",
            "only a root task has a finalizer task",
        );
        refused(
            &account,
            "CREATE TASK DB.S.F2 FINALIZE = DB.S.ROOT AS SELECT 1",
            "already has the finalizer task",
        );
        refused(
            &account,
            "CREATE TASK DB.S.LATE AFTER DB.S.FIN AS SELECT 1",
            "cannot have children",
        );
        refused(
            &account,
            "ALTER TASK DB.S.FIN ADD AFTER DB.S.CHILD",
            "cannot have predecessors",
        );
        refused(
            &account,
            "CREATE TASK DB.OTHER.F2 FINALIZE = DB.S.ROOT AS SELECT 1",
            "must be in the schema of its root task",
        );
        refused(
            &account,
            "CREATE TASK DB.S.F2 FINALIZE = DB.S.NOPE AS SELECT 1",
            "NOPE",
        );
    }

    #[test]
    fn a_finalizer_is_resumed_with_its_graph_and_let_go_suspended() {
        let (_dir, account) = account();
        account.execute_sync("ALTER TASK DB.S.FIN RESUME").unwrap();
        account.execute_sync("ALTER TASK DB.S.ROOT RESUME").unwrap();
        refused(&account, "ALTER TASK DB.S.FIN MODIFY AS SELECT 4", "ROOT");
        account
            .execute_sync("ALTER TASK DB.S.ROOT SUSPEND")
            .unwrap();
        // A task of a graph is altered only while suspended itself.
        refused(
            &account,
            "ALTER TASK DB.S.FIN UNSET FINALIZE",
            "suspend it first",
        );
        account.execute_sync("ALTER TASK DB.S.FIN SUSPEND").unwrap();
        account
            .execute_sync("ALTER TASK DB.S.FIN UNSET FINALIZE")
            .unwrap();
        assert_eq!(cell(&account, "FIN", "state").as_deref(), Some("suspended"));
        account
            .execute_sync("ALTER TASK DB.S.FIN SET FINALIZE = DB.S.ROOT")
            .unwrap();
        account
            .execute_sync("SELECT SYSTEM$TASK_DEPENDENTS_ENABLE('DB.S.ROOT')")
            .unwrap();
        assert_eq!(cell(&account, "FIN", "state").as_deref(), Some("started"));
        account
            .execute_sync("ALTER TASK DB.S.ROOT SUSPEND")
            .unwrap();
        account.execute_sync("DROP TASK DB.S.ROOT").unwrap();
        assert_eq!(
            cell(&account, "FIN", "task_relations").as_deref(),
            Some(r#"{"Predecessors":[]}"#)
        );
    }
}
