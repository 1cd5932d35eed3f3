//! Looking objects up by kind and name, and the ALTER actions every kind
//! shares: SET/UNSET TAG, COMMENT, and DROP's cascade.

use super::{Exec, Outcome};
use crate::local::ast::{Alter, AlterAction, Name, ObjectType, Value};
use crate::local::catalog::{
    Change, Database, Namespace, Object, ObjectKey, QualifiedName, Schema, TagValue, Tags,
    Warehouse,
};
use crate::local::error::{self, SqlError};

/// An existing object, copied out of the catalog to be changed.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A warehouse.
    Warehouse(Warehouse),
    /// A database.
    Database(Database),
    /// A schema.
    Schema(Schema),
    /// A schema object.
    Object(QualifiedName, Object),
}

impl Target {
    fn tags_mut(&mut self) -> Option<&mut Tags> {
        match self {
            Target::Warehouse(w) => Some(&mut w.tags),
            Target::Database(d) => Some(&mut d.tags),
            Target::Schema(s) => Some(&mut s.tags),
            Target::Object(_, o) => o.tags_mut(),
        }
    }

    pub(crate) fn comment_mut(&mut self) -> &mut Option<String> {
        match self {
            Target::Warehouse(w) => &mut w.comment,
            Target::Database(d) => &mut d.comment,
            Target::Schema(s) => &mut s.comment,
            Target::Object(_, o) => match o {
                Object::Table(t) => &mut t.comment,
                Object::View(v) => &mut v.comment,
                Object::DynamicTable(d) => &mut d.comment,
                Object::Task(t) => &mut t.comment,
                Object::Tag(t) => &mut t.comment,
                Object::Model(m) => &mut m.comment,
            },
        }
    }

    /// The change that stores this target as it is now.
    pub(crate) fn into_change(self) -> Change {
        match self {
            Target::Warehouse(w) => Change::PutWarehouse(w),
            Target::Database(d) => Change::PutDatabase(d),
            Target::Schema(s) => Change::PutSchema(s),
            Target::Object(q, object) => Change::PutObject {
                database: q.database,
                schema: q.schema,
                object,
            },
        }
    }
}

fn kind_of(object: &Object) -> ObjectType {
    match object {
        Object::Table(_) => ObjectType::Table,
        Object::View(_) => ObjectType::View,
        Object::DynamicTable(_) => ObjectType::DynamicTable,
        Object::Task(_) => ObjectType::Task,
        Object::Tag(_) => ObjectType::Tag,
        Object::Model(_) => ObjectType::Model,
    }
}

fn namespace_of(kind: ObjectType) -> Namespace {
    match kind {
        ObjectType::Task => Namespace::Task,
        ObjectType::Tag => Namespace::Tag,
        ObjectType::Model => Namespace::Model,
        _ => Namespace::Relation,
    }
}

impl Exec<'_> {
    /// The object of `kind` at `name`; an object of another kind under the
    /// same name is Snowflake's "found is of type" error.
    pub(crate) fn find(&self, kind: ObjectType, name: &Name) -> Result<Option<Target>, SqlError> {
        let single = |n: &Name| -> Result<crate::ident::Ident, SqlError> {
            match n.parts.as_slice() {
                [one] => Ok(one.clone()),
                _ => Err(self.missing(kind, n)),
            }
        };
        match kind {
            ObjectType::Warehouse => Ok(self
                .catalog
                .warehouses
                .get(&single(name)?)
                .cloned()
                .map(Target::Warehouse)),
            ObjectType::Database => Ok(self
                .catalog
                .databases
                .get(&single(name)?)
                .cloned()
                .map(Target::Database)),
            ObjectType::Schema => {
                let (db, s) = self.schema_of(name, "ALTER SCHEMA")?;
                if !self.catalog.databases.contains_key(&db) {
                    return Err(error::database_missing(&db.to_sql()));
                }
                Ok(self
                    .catalog
                    .schemas
                    .get(&(db, s))
                    .cloned()
                    .map(Target::Schema))
            }
            _ => {
                let q = self.qualify(name, &format!("ALTER {}", kind.keyword()))?;
                self.require_schema(&q.database, &q.schema)?;
                match self.catalog.object(&q, namespace_of(kind)) {
                    None => Ok(None),
                    Some(o) if kind_of(o) == kind => Ok(Some(Target::Object(q, o.clone()))),
                    Some(o) => Err(error::wrong_type(o.type_name(), kind.keyword())),
                }
            }
        }
    }

    /// [`Exec::find`] that turns "not found" into Snowflake's error unless `if_exists`.
    pub(crate) fn find_existing(
        &self,
        kind: ObjectType,
        name: &Name,
        if_exists: bool,
    ) -> Result<Option<Target>, SqlError> {
        match self.find(kind, name)? {
            Some(t) => Ok(Some(t)),
            None if if_exists => Ok(None),
            None => Err(self.missing(kind, name)),
        }
    }

    /// ALTER actions every kind shares; `None` when the kind handles it.
    pub(super) fn alter_common(&mut self, alter: &Alter) -> Result<Option<Outcome>, SqlError> {
        let simple_kind = matches!(
            alter.kind,
            ObjectType::Database | ObjectType::Schema | ObjectType::Table | ObjectType::View
        );
        let shared = match &alter.action {
            AlterAction::SetTags(_) | AlterAction::UnsetTags(_) => true,
            AlterAction::Set(_) | AlterAction::Unset(_) => simple_kind,
            AlterAction::RenameTo(_) => {
                return Err(error::unsupported(&format!(
                    "ALTER {} ... RENAME TO",
                    alter.kind.keyword()
                )));
            }
            _ => false,
        };
        if !shared {
            return Ok(None);
        }
        let Some(mut target) = self.find_existing(alter.kind, &alter.name, alter.if_exists)? else {
            return Ok(Some(Outcome::done(Vec::new())));
        };
        match &alter.action {
            AlterAction::SetTags(assigns) => {
                let values = self.resolve_tags(assigns)?;
                let tags = target
                    .tags_mut()
                    .ok_or_else(|| error::unsupported("ALTER TAG ... SET TAG"))?;
                merge_tags(tags, values);
            }
            AlterAction::UnsetTags(names) => {
                let mut unset = Vec::new();
                for n in names {
                    unset.push(self.qualify(n, "UNSET TAG")?);
                }
                if let Some(tags) = target.tags_mut() {
                    tags.retain(|t| !unset.contains(&t.tag));
                }
            }
            AlterAction::Set(props) => {
                for prop in props {
                    if prop.key == "COMMENT" {
                        *target.comment_mut() = Some(comment_text(&prop.value)?);
                    } else if prop.key == "SECURE"
                        && let Target::Object(_, Object::View(v)) = &mut target
                    {
                        v.secure = true;
                    }
                }
            }
            AlterAction::Unset(keys) => {
                if keys.iter().any(|k| k == "COMMENT") {
                    *target.comment_mut() = None;
                }
                if keys.iter().any(|k| k == "SECURE")
                    && let Target::Object(_, Object::View(v)) = &mut target
                {
                    v.secure = false;
                }
            }
            _ => {}
        }
        Ok(Some(Outcome::done(vec![target.into_change()])))
    }

    pub(super) fn comment_on(
        &mut self,
        kind: ObjectType,
        if_exists: bool,
        name: &Name,
        comment: &str,
    ) -> Result<Outcome, SqlError> {
        let Some(mut target) = self.find_existing(kind, name, if_exists)? else {
            return Ok(Outcome::done(Vec::new()));
        };
        *target.comment_mut() = Some(comment.to_string());
        Ok(Outcome::done(vec![target.into_change()]))
    }

    /// The changes that drop `target`, with their cascade: children of a
    /// dropped task lose it as predecessor; a dropped tag is unset everywhere.
    pub(super) fn drop_changes(&self, target: &Target) -> Result<Vec<Change>, SqlError> {
        let changes = match target {
            Target::Warehouse(w) => vec![Change::DropWarehouse {
                name: w.name.clone(),
            }],
            Target::Database(d) => vec![Change::DropDatabase {
                name: d.name.clone(),
            }],
            Target::Schema(s) => vec![Change::DropSchema {
                database: s.database.clone(),
                name: s.name.clone(),
            }],
            Target::Object(q, object) => {
                let mut changes = vec![Change::DropObject {
                    key: ObjectKey::new(q, object.namespace()),
                }];
                match object {
                    Object::Task(_) => changes.extend(self.forget_predecessor(q)),
                    Object::Tag(_) => changes.extend(self.unset_tag_everywhere(q)),
                    _ => {}
                }
                changes
            }
        };
        Ok(changes)
    }
}

/// Sets `values` on `tags`, replacing earlier values of the same tag.
pub(crate) fn merge_tags(tags: &mut Tags, values: Vec<TagValue>) {
    for value in values {
        match tags.iter_mut().find(|t| t.tag == value.tag) {
            Some(existing) => existing.value = value.value,
            None => tags.push(value),
        }
    }
}

/// The text of a COMMENT value (a string, or a bare word as Snowflake allows).
pub(crate) fn comment_text(value: &Value) -> Result<String, SqlError> {
    match value {
        Value::Str(s) => Ok(s.clone()),
        other => Err(error::invalid_value("COMMENT", &other.written())),
    }
}
