//! Tables, views and dynamic tables: the objects that share one namespace
//! and that queries read.

use super::warehouse::word;
use super::{Exec, Outcome, already_exists_ok, created};
use crate::ident::Ident;
use crate::local::ast::{Alter, AlterAction, ColumnSpec, Create, CreateBody, Prop, Query, Value};
use crate::local::catalog::{Change, Column, DynamicTable, Object, QualifiedName, Table, View};
use crate::local::error::{self, SqlError};

fn columns(specs: &[ColumnSpec]) -> Vec<Column> {
    specs
        .iter()
        .map(|c| Column {
            name: c.name.clone(),
            data_type: c.data_type.clone(),
            comment: c.comment.clone(),
            not_null: c.not_null,
            default: c.default.clone(),
        })
        .collect()
}

/// A TARGET_LAG value as Snowflake keeps it: `DOWNSTREAM` or `<n> <unit>`.
fn target_lag(prop: &Prop) -> Result<String, SqlError> {
    let bad = || error::invalid_value("TARGET_LAG", &prop.value.written());
    let text = match &prop.value {
        Value::Str(s) => s.trim().to_string(),
        Value::Name(n) if n.parts.len() == 1 => n.parts[0].as_str().to_string(),
        _ => return Err(bad()),
    };
    if text.eq_ignore_ascii_case("DOWNSTREAM") {
        return Ok("DOWNSTREAM".into());
    }
    let mut parts = text.split_whitespace();
    let (Some(n), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let n: u64 = n.parse().map_err(|_| bad())?;
    let unit_seconds = match unit.to_ascii_lowercase().trim_end_matches('s') {
        "second" => 1,
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        _ => return Err(bad()),
    };
    if n.checked_mul(unit_seconds).is_none_or(|s| s < 60) {
        return Err(error::invalid(
            "The target lag must be at least 1 minute (60 seconds).",
        ));
    }
    Ok(text)
}

fn keyword(prop: &Prop, allowed: &[&str]) -> Result<String, SqlError> {
    word(&prop.value)
        .filter(|w| allowed.contains(&w.as_str()))
        .ok_or_else(|| error::invalid_value(&prop.key, &prop.value.written()))
}

impl Exec<'_> {
    pub(super) fn create_relation(&mut self, create: &Create) -> Result<Outcome, SqlError> {
        let action = format!("CREATE {}", create.kind.keyword());
        let q = self.qualify(&create.name, &action)?;
        self.require_schema(&q.database, &q.schema)?;
        if let Some(existing) = self.relation(&q) {
            if create.mode.if_not_exists {
                return Ok(already_exists_ok(&q.name));
            }
            if !create.mode.or_replace || existing.type_name() != create.kind.keyword() {
                return Err(error::already_exists(&q.name.to_sql()));
            }
        }
        let object = match &create.body {
            CreateBody::Table {
                columns: specs,
                props,
                cluster_by,
                tags,
                query,
            } => {
                if let Some(query) = query {
                    self.check_reads(query)?;
                }
                let comment = props.iter().find(|p| p.key == "COMMENT");
                Object::Table(Table {
                    name: q.name.clone(),
                    created_on: self.now,
                    columns: columns(specs),
                    comment: comment
                        .map(|p| super::target::comment_text(&p.value))
                        .transpose()?,
                    cluster_by: cluster_by.clone(),
                    data: Vec::new(),
                    tags: self.resolve_tags(tags)?,
                })
            }
            CreateBody::View {
                secure,
                columns: specs,
                comment,
                tags,
                query,
            } => {
                self.check_reads(query)?;
                Object::View(View {
                    name: q.name.clone(),
                    created_on: self.now,
                    text: create.text.clone(),
                    columns: columns(specs),
                    comment: comment.clone(),
                    secure: *secure,
                    tags: self.resolve_tags(tags)?,
                })
            }
            CreateBody::DynamicTable { .. } => {
                Object::DynamicTable(self.dynamic_table(create, &q)?)
            }
            _ => return Err(error::unsupported(&action)),
        };
        Ok(Outcome::status(
            created(create.kind, &q.name),
            vec![Change::PutObject {
                database: q.database,
                schema: q.schema,
                object,
            }],
        ))
    }

    fn dynamic_table(&self, create: &Create, q: &QualifiedName) -> Result<DynamicTable, SqlError> {
        let CreateBody::DynamicTable {
            columns: specs,
            props,
            cluster_by,
            tags,
            query,
        } = &create.body
        else {
            return Err(error::unsupported("CREATE DYNAMIC TABLE"));
        };
        let mut dt = DynamicTable {
            name: q.name.clone(),
            created_on: self.now,
            text: create.text.clone(),
            columns: columns(specs),
            target_lag: String::new(),
            warehouse: Ident::from_resolved(""),
            initialization_warehouse: None,
            refresh_mode: "INCREMENTAL".into(),
            initialize: "ON_CREATE".into(),
            cluster_by: cluster_by.clone(),
            comment: None,
            scheduling_state: "ACTIVE".into(),
            last_suspended_on: None,
            tags: Vec::new(),
        };
        for prop in props {
            self.set_dynamic_table_prop(&mut dt, prop, true)?;
        }
        let mut missing = Vec::new();
        if dt.target_lag.is_empty() {
            missing.push("TARGET_LAG");
        }
        if dt.warehouse.as_str().is_empty() {
            missing.push("WAREHOUSE");
        }
        if !missing.is_empty() {
            return Err(error::invalid(format!(
                "Missing option(s): [{}]",
                missing.join(", ")
            )));
        }
        self.check_reads(query)?;
        dt.tags = self.resolve_tags(tags)?;
        Ok(dt)
    }

    fn set_dynamic_table_prop(
        &self,
        dt: &mut DynamicTable,
        prop: &Prop,
        creating: bool,
    ) -> Result<(), SqlError> {
        match prop.key.as_str() {
            "TARGET_LAG" => dt.target_lag = target_lag(prop)?,
            "WAREHOUSE" => dt.warehouse = self.existing_warehouse(prop)?,
            "INITIALIZATION_WAREHOUSE" => {
                dt.initialization_warehouse = Some(self.existing_warehouse(prop)?)
            }
            "COMMENT" => dt.comment = Some(super::target::comment_text(&prop.value)?),
            "REFRESH_MODE" if creating => {
                let mode = keyword(prop, &["AUTO", "FULL", "INCREMENTAL"])?;
                dt.refresh_mode = if mode == "FULL" {
                    mode
                } else {
                    "INCREMENTAL".into()
                };
            }
            "INITIALIZE" if creating => {
                dt.initialize = keyword(prop, &["ON_CREATE", "ON_SCHEDULE"])?;
            }
            "DATA_RETENTION_TIME_IN_DAYS" | "MAX_DATA_EXTENSION_TIME_IN_DAYS" => {
                super::warehouse::integer(prop, 0, 90)?;
            }
            "SCHEDULER" => {
                keyword(prop, &["ENABLE", "DISABLE"])?;
            }
            other => return Err(error::invalid_value(other, &prop.value.written())),
        }
        Ok(())
    }

    /// The warehouse a property names; it must exist.
    pub(crate) fn existing_warehouse(&self, prop: &Prop) -> Result<Ident, SqlError> {
        let name = match &prop.value {
            Value::Name(n) if n.parts.len() == 1 => n.parts[0].clone(),
            Value::Str(s) => Ident::parse(s).map_err(|_| error::invalid_value(&prop.key, s))?,
            other => return Err(error::invalid_value(&prop.key, &other.written())),
        };
        if !self.catalog.warehouses.contains_key(&name) {
            return Err(error::object_missing(&name.to_sql()));
        }
        Ok(name)
    }

    /// Every object a query reads must exist, as Snowflake checks at creation.
    fn check_reads(&self, query: &Query) -> Result<(), SqlError> {
        for read in &query.reads {
            let in_information_schema = read.parts.len() >= 2
                && read.parts[read.parts.len() - 2].as_str() == "INFORMATION_SCHEMA";
            if in_information_schema {
                continue;
            }
            let q = self.qualify(read, "SELECT")?;
            if self.relation(&q).is_none() {
                return Err(error::object_missing(&q.display()));
            }
        }
        Ok(())
    }

    pub(super) fn alter_relation(&mut self, alter: &Alter) -> Result<Outcome, SqlError> {
        let Some(super::target::Target::Object(q, mut object)) =
            self.find_existing(alter.kind, &alter.name, alter.if_exists)?
        else {
            return Ok(Outcome::done(Vec::new()));
        };
        match (&mut object, &alter.action) {
            (Object::Table(t), AlterAction::ClusterBy(exprs)) => t.cluster_by = exprs.clone(),
            (Object::Table(t), AlterAction::DropClusteringKey) => t.cluster_by.clear(),
            (Object::DynamicTable(dt), action) => self.alter_dynamic_table(dt, action)?,
            _ => {
                return Err(error::unsupported(&format!(
                    "ALTER {}",
                    alter.kind.keyword()
                )));
            }
        }
        Ok(Outcome::done(vec![Change::PutObject {
            database: q.database,
            schema: q.schema,
            object,
        }]))
    }

    fn alter_dynamic_table(
        &self,
        dt: &mut DynamicTable,
        action: &AlterAction,
    ) -> Result<(), SqlError> {
        match action {
            AlterAction::Set(props) => {
                for prop in props {
                    self.set_dynamic_table_prop(dt, prop, false)?;
                }
            }
            AlterAction::Unset(keys) => {
                for key in keys {
                    match key.as_str() {
                        "COMMENT" => dt.comment = None,
                        "INITIALIZATION_WAREHOUSE" => dt.initialization_warehouse = None,
                        other => return Err(error::invalid_value("UNSET", other)),
                    }
                }
            }
            AlterAction::Suspend => {
                dt.scheduling_state = "SUSPENDED".into();
                dt.last_suspended_on = Some(self.now);
            }
            AlterAction::Resume => dt.scheduling_state = "ACTIVE".into(),
            AlterAction::Refresh => {}
            AlterAction::ClusterBy(exprs) => dt.cluster_by = exprs.clone(),
            AlterAction::DropClusteringKey => dt.cluster_by.clear(),
            _ => return Err(error::unsupported("ALTER DYNAMIC TABLE")),
        }
        Ok(())
    }
}
