//! Tags: CREATE/ALTER TAG, tag assignments on objects and the two tag
//! lookups floe reads (SYSTEM$GET_TAG and INFORMATION_SCHEMA.TAG_REFERENCES).

use super::target::merge_tags;
use super::{Exec, Outcome, already_exists_ok, created};
use crate::local::ast::{
    AllowedValuesOp, Alter, AlterAction, Create, CreateBody, ObjectType, TagAssign,
    TagReferencesQuery,
};
use crate::local::catalog::{Change, Namespace, Object, QualifiedName, Tag, TagValue, Tags};
use crate::local::error::{self, SqlError};
use crate::local::parser::parse_name;
use crate::session::{Column, ColumnType, Rows};

/// Snowflake's limit on a tag value's length.
const MAX_TAG_VALUE: usize = 256;
/// Snowflake's limit on the number of allowed values of one tag.
const MAX_ALLOWED_VALUES: usize = 300;

/// An object that carries tags, located for TAG_REFERENCES rows.
struct Tagged {
    database: Option<String>,
    schema: Option<String>,
    name: String,
    domain: &'static str,
    tags: Tags,
}

impl Exec<'_> {
    pub(super) fn create_tag(&mut self, create: &Create) -> Result<Outcome, SqlError> {
        let q = self.qualify(&create.name, "CREATE TAG")?;
        self.require_schema(&q.database, &q.schema)?;
        let CreateBody::Tag {
            allowed_values,
            comment,
        } = &create.body
        else {
            return Err(error::unsupported("CREATE TAG"));
        };
        let mut changes = Vec::new();
        if self.catalog.object(&q, Namespace::Tag).is_some() {
            if create.mode.if_not_exists {
                return Ok(already_exists_ok(&q.name));
            }
            if !create.mode.or_replace {
                return Err(error::already_exists(&q.name.to_sql()));
            }
            changes.extend(self.unset_tag_everywhere(&q));
        }
        if let Some(values) = allowed_values {
            check_allowed_values(values)?;
        }
        changes.push(Change::PutObject {
            database: q.database.clone(),
            schema: q.schema.clone(),
            object: Object::Tag(Tag {
                name: q.name.clone(),
                created_on: self.now,
                allowed_values: allowed_values.clone(),
                comment: comment.clone(),
            }),
        });
        Ok(Outcome::status(created(ObjectType::Tag, &q.name), changes))
    }

    pub(super) fn alter_tag(&mut self, alter: &Alter) -> Result<Outcome, SqlError> {
        let Some(super::target::Target::Object(q, Object::Tag(mut tag))) =
            self.find_existing(ObjectType::Tag, &alter.name, alter.if_exists)?
        else {
            return Ok(Outcome::done(Vec::new()));
        };
        match &alter.action {
            AlterAction::Set(props) => {
                for prop in props {
                    tag.comment = Some(super::target::comment_text(&prop.value)?);
                }
            }
            AlterAction::Unset(keys) => {
                for key in keys {
                    match key.as_str() {
                        "COMMENT" => tag.comment = None,
                        "ALLOWED_VALUES" => tag.allowed_values = None,
                        other => return Err(error::invalid_value("UNSET", other)),
                    }
                }
            }
            AlterAction::AllowedValues(op, values) => {
                let mut current = tag.allowed_values.take().unwrap_or_default();
                match op {
                    AllowedValuesOp::Add => {
                        for v in values {
                            if !current.contains(v) {
                                current.push(v.clone());
                            }
                        }
                    }
                    AllowedValuesOp::Drop => current.retain(|v| !values.contains(v)),
                }
                check_allowed_values(&current)?;
                tag.allowed_values = (!current.is_empty()).then_some(current);
            }
            _ => return Err(error::unsupported("ALTER TAG")),
        }
        Ok(Outcome::done(vec![Change::PutObject {
            database: q.database,
            schema: q.schema,
            object: Object::Tag(tag),
        }]))
    }

    /// Resolves `TAG (...)` assignments: each tag must exist, and the value
    /// must be one of its allowed values when it has any.
    pub(crate) fn resolve_tags(&self, assigns: &[TagAssign]) -> Result<Vec<TagValue>, SqlError> {
        let mut values: Vec<TagValue> = Vec::new();
        for assign in assigns {
            let q = self.qualify(&assign.tag, "SET TAG")?;
            self.require_schema(&q.database, &q.schema)?;
            let Some(Object::Tag(tag)) = self.catalog.object(&q, Namespace::Tag) else {
                return Err(error::object_missing(&q.display()));
            };
            if assign.value.chars().count() > MAX_TAG_VALUE {
                return Err(error::invalid(format!(
                    "Tag value exceeds the maximum length of {MAX_TAG_VALUE} characters for tag '{}'.",
                    q.display()
                )));
            }
            if let Some(allowed) = &tag.allowed_values
                && !allowed.contains(&assign.value)
            {
                return Err(error::tag_value_not_allowed(&q.display(), &assign.value));
            }
            merge_tags(
                &mut values,
                vec![TagValue {
                    tag: q,
                    value: assign.value.clone(),
                }],
            );
        }
        Ok(values)
    }

    /// Changes that remove tag `q` from every object that carries it.
    pub(crate) fn unset_tag_everywhere(&self, q: &QualifiedName) -> Vec<Change> {
        let has = |tags: &Tags| tags.iter().any(|t| &t.tag == q);
        let strip = |tags: &mut Tags| tags.retain(|t| &t.tag != q);
        let mut changes = Vec::new();
        for w in self.catalog.warehouses.values().filter(|w| has(&w.tags)) {
            let mut w = w.clone();
            strip(&mut w.tags);
            changes.push(Change::PutWarehouse(w));
        }
        for d in self.catalog.databases.values().filter(|d| has(&d.tags)) {
            let mut d = d.clone();
            strip(&mut d.tags);
            changes.push(Change::PutDatabase(d));
        }
        for s in self.catalog.schemas.values().filter(|s| has(&s.tags)) {
            let mut s = s.clone();
            strip(&mut s.tags);
            changes.push(Change::PutSchema(s));
        }
        for (key, object) in &self.catalog.objects {
            if object.tags().is_some_and(has) {
                let mut object = object.clone();
                if let Some(tags) = object.tags_mut() {
                    strip(tags);
                }
                changes.push(Change::PutObject {
                    database: key.database.clone(),
                    schema: key.schema.clone(),
                    object,
                });
            }
        }
        changes
    }

    pub(super) fn get_tag(
        &mut self,
        column: &str,
        tag: &str,
        object: &str,
        domain: &str,
    ) -> Result<Outcome, SqlError> {
        let tag_name = self.qualify(&parse_name(tag)?, "SYSTEM$GET_TAG")?;
        if self.catalog.object(&tag_name, Namespace::Tag).is_none() {
            return Err(error::object_missing(&tag_name.display()));
        }
        let tagged = self.tagged(object, domain)?;
        let value = tagged
            .tags
            .iter()
            .find(|t| t.tag == tag_name)
            .map(|t| t.value.clone());
        Ok(Outcome {
            rows: Rows {
                columns: vec![Column::new(column, ColumnType::Text)],
                rows: vec![vec![value]],
                query_id: None,
            },
            changes: Vec::new(),
        })
    }

    pub(super) fn tag_references(&mut self, q: &TagReferencesQuery) -> Result<Outcome, SqlError> {
        if let Some(db) = &q.database
            && !self.catalog.databases.contains_key(db)
        {
            return Err(error::database_missing(&db.to_sql()));
        }
        let tagged = self.tagged(&q.object, &q.domain)?;
        let all = [
            "TAG_DATABASE",
            "TAG_SCHEMA",
            "TAG_NAME",
            "TAG_VALUE",
            "LEVEL",
            "OBJECT_DATABASE",
            "OBJECT_SCHEMA",
            "OBJECT_NAME",
            "DOMAIN",
            "COLUMN_NAME",
        ];
        let mut rows = Vec::new();
        for t in &tagged.tags {
            let cells: Vec<Option<String>> = vec![
                Some(t.tag.database.to_string()),
                Some(t.tag.schema.to_string()),
                Some(t.tag.name.to_string()),
                Some(t.value.clone()),
                Some(tagged.domain.to_string()),
                tagged.database.clone(),
                tagged.schema.clone(),
                Some(tagged.name.clone()),
                Some(tagged.domain.to_string()),
                None,
            ];
            let keep = q.filters.iter().all(|(col, value)| {
                let i = all.iter().position(|c| c == col).unwrap_or(0);
                cells[i].as_deref() == Some(value.as_str())
            });
            if keep {
                rows.push(cells);
            }
        }
        let selected: Vec<usize> = if q.columns.is_empty() {
            (0..all.len()).collect()
        } else {
            q.columns
                .iter()
                .map(|c| all.iter().position(|a| a == c).unwrap_or(0))
                .collect()
        };
        Ok(Outcome {
            rows: Rows {
                columns: selected
                    .iter()
                    .map(|&i| Column::new(all[i], ColumnType::Text))
                    .collect(),
                rows: rows
                    .into_iter()
                    .map(|r| selected.iter().map(|&i| r[i].clone()).collect())
                    .collect(),
                query_id: None,
            },
            changes: Vec::new(),
        })
    }

    /// The object a tag lookup names, by Snowflake's domain word.
    fn tagged(&self, object: &str, domain: &str) -> Result<Tagged, SqlError> {
        let name = parse_name(object)?;
        let (kind, domain) = domain_kind(domain)?;
        let missing = || self.missing(kind, &name);
        let tagged = match kind {
            ObjectType::Warehouse => {
                let w = self
                    .catalog
                    .warehouses
                    .get(name.last())
                    .ok_or_else(missing)?;
                Tagged {
                    database: None,
                    schema: None,
                    name: w.name.to_string(),
                    domain,
                    tags: w.tags.clone(),
                }
            }
            ObjectType::Database => {
                let d = self
                    .catalog
                    .databases
                    .get(name.last())
                    .ok_or_else(missing)?;
                Tagged {
                    database: None,
                    schema: None,
                    name: d.name.to_string(),
                    domain,
                    tags: d.tags.clone(),
                }
            }
            ObjectType::Schema => {
                let (db, s) = self.schema_of(&name, "SYSTEM$GET_TAG")?;
                let schema = self
                    .catalog
                    .schemas
                    .get(&(db.clone(), s))
                    .ok_or_else(missing)?;
                Tagged {
                    database: Some(db.to_string()),
                    schema: None,
                    name: schema.name.to_string(),
                    domain,
                    tags: schema.tags.clone(),
                }
            }
            _ => {
                let q = self.qualify(&name, "SYSTEM$GET_TAG")?;
                let namespace = match kind {
                    ObjectType::Task => Namespace::Task,
                    ObjectType::Model => Namespace::Model,
                    _ => Namespace::Relation,
                };
                let object = self
                    .catalog
                    .object(&q, namespace)
                    .ok_or_else(|| error::object_missing(&q.display()))?;
                Tagged {
                    database: Some(q.database.to_string()),
                    schema: Some(q.schema.to_string()),
                    name: q.name.to_string(),
                    domain,
                    tags: object.tags().cloned().unwrap_or_default(),
                }
            }
        };
        Ok(self.live_tags(tagged))
    }

    /// Drops tag values whose tag no longer exists (dropped with its schema).
    fn live_tags(&self, mut tagged: Tagged) -> Tagged {
        tagged
            .tags
            .retain(|t| self.catalog.object(&t.tag, Namespace::Tag).is_some());
        tagged
    }
}

/// The object kind a tag-lookup domain names, and the domain as Snowflake prints it.
fn domain_kind(domain: &str) -> Result<(ObjectType, &'static str), SqlError> {
    Ok(match domain.to_ascii_uppercase().as_str() {
        "TABLE" => (ObjectType::Table, "TABLE"),
        "TASK" => (ObjectType::Task, "TASK"),
        "WAREHOUSE" => (ObjectType::Warehouse, "WAREHOUSE"),
        "DATABASE" => (ObjectType::Database, "DATABASE"),
        "SCHEMA" => (ObjectType::Schema, "SCHEMA"),
        "MODULE" | "MODEL" => (ObjectType::Model, "MODULE"),
        other => {
            return Err(error::invalid(format!(
                "Invalid value '{other}' for argument 'domain'."
            )));
        }
    })
}

fn check_allowed_values(values: &[String]) -> Result<(), SqlError> {
    if values.len() > MAX_ALLOWED_VALUES {
        return Err(error::invalid(format!(
            "A tag can have at most {MAX_ALLOWED_VALUES} allowed values."
        )));
    }
    if let Some(v) = values.iter().find(|v| v.chars().count() > MAX_TAG_VALUE) {
        return Err(error::invalid_value("ALLOWED_VALUES", v));
    }
    Ok(())
}
