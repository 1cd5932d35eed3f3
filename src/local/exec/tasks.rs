//! Tasks and task graphs: creation suspended, the root-must-be-suspended
//! rule for every change to a graph, predecessors, and
//! SYSTEM$TASK_DEPENDENTS_ENABLE.

use std::collections::BTreeSet;

use super::warehouse::{boolean, integer};
use super::{Exec, Outcome, already_exists_ok, created};
use crate::local::ast::{Alter, AlterAction, Create, CreateBody, Kind, Name, Prop, Value};
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
    /// predecessors).
    fn roots(&self, q: &QualifiedName) -> Vec<QualifiedName> {
        let mut roots = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![q.clone()];
        while let Some(current) = stack.pop() {
            if !seen.insert(current.clone()) {
                continue;
            }
            match self.task_at(&current) {
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
            if self.task_at(&p).is_none() {
                return Err(error::object_missing(&p.display()));
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
        };
        for prop in props {
            self.set_task_prop(&mut task, prop)?;
        }
        task.predecessors = self.predecessors(after, &q)?;
        check_predecessor_count(&task)?;
        task.tags = self.resolve_tags(tags)?;
        Ok(Outcome::status(
            created(Kind::Task, &q.name),
            vec![id_change, put(&q, task)],
        ))
    }

    fn set_task_prop(&self, task: &mut Task, prop: &Prop) -> Result<(), SqlError> {
        match prop.key.as_str() {
            "WAREHOUSE" => task.warehouse = Some(self.existing_warehouse(prop)?),
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
            self.find_existing(Kind::Task, &alter.name, alter.if_exists)?
        else {
            return Ok(Outcome::done(Vec::new()));
        };
        let is_root = task.predecessors.is_empty();
        match &alter.action {
            AlterAction::Suspend | AlterAction::Resume if is_root => {}
            _ => self.require_graph_suspended(&q)?,
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
                    self.set_task_prop(&mut task, prop)?;
                }
            }
            AlterAction::Unset(keys) => unset_task_props(&mut task, keys),
            AlterAction::AddAfter(names) => {
                for p in self.predecessors(names, &q)? {
                    if !task.predecessors.contains(&p) {
                        task.predecessors.push(p);
                    }
                }
                check_predecessor_count(&task)?;
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

    /// Changes that remove `q` from the predecessors of its children.
    pub(crate) fn forget_predecessor(&self, q: &QualifiedName) -> Vec<Change> {
        self.children(q)
            .into_iter()
            .filter_map(|child| {
                let mut t = self.task_at(&child)?.clone();
                t.predecessors.retain(|p| p != q);
                Some(put(&child, t))
            })
            .collect()
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
