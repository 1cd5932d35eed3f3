//! Databases, schemas and USE.

use super::{Exec, Outcome, already_exists_ok, created};
use crate::ident::Ident;
use crate::local::ast::{Create, CreateBody, Name, ObjectType};
use crate::local::catalog::{Change, Database, Schema};
use crate::local::error::{self, SqlError};

const PUBLIC: &str = "PUBLIC";

impl Exec<'_> {
    pub(super) fn create_database(&mut self, create: &Create) -> Result<Outcome, SqlError> {
        let [name] = create.name.parts.as_slice() else {
            return Err(self.missing(ObjectType::Database, &create.name));
        };
        let CreateBody::Container { comment, tags } = &create.body else {
            return Err(error::unsupported("CREATE DATABASE"));
        };
        let mut changes = Vec::new();
        if self.catalog.databases.contains_key(name) {
            if create.mode.if_not_exists {
                return Ok(already_exists_ok(name));
            }
            if !create.mode.or_replace {
                return Err(error::already_exists(&name.to_sql()));
            }
            changes.push(Change::DropDatabase { name: name.clone() });
        }
        let tags = self.resolve_tags(tags)?;
        changes.push(Change::PutDatabase(Database {
            name: name.clone(),
            created_on: self.now,
            comment: comment.clone(),
            tags,
        }));
        changes.push(Change::PutSchema(
            self.new_schema(name, &Ident::from_resolved(PUBLIC)),
        ));
        self.session.database = Some(name.clone());
        self.session.schema = Some(Ident::from_resolved(PUBLIC));
        Ok(Outcome::status(
            created(ObjectType::Database, name),
            changes,
        ))
    }

    pub(super) fn create_schema(&mut self, create: &Create) -> Result<Outcome, SqlError> {
        let (database, name) = self.schema_of(&create.name, "CREATE SCHEMA")?;
        let CreateBody::Container { comment, tags } = &create.body else {
            return Err(error::unsupported("CREATE SCHEMA"));
        };
        if !self.catalog.databases.contains_key(&database) {
            return Err(error::database_missing(&database.to_sql()));
        }
        let mut changes = Vec::new();
        let exists =
            self.catalog.has_schema(&database, &name) || name.as_str() == "INFORMATION_SCHEMA";
        if exists {
            if create.mode.if_not_exists {
                return Ok(already_exists_ok(&name));
            }
            if !create.mode.or_replace || name.as_str() == "INFORMATION_SCHEMA" {
                return Err(error::already_exists(&name.to_sql()));
            }
            changes.push(Change::DropSchema {
                database: database.clone(),
                name: name.clone(),
            });
        }
        let mut schema = self.new_schema(&database, &name);
        schema.comment = comment.clone();
        schema.tags = self.resolve_tags(tags)?;
        changes.push(Change::PutSchema(schema));
        self.session.database = Some(database);
        self.session.schema = Some(name.clone());
        Ok(Outcome::status(created(ObjectType::Schema, &name), changes))
    }

    fn new_schema(&self, database: &Ident, name: &Ident) -> Schema {
        Schema {
            database: database.clone(),
            name: name.clone(),
            created_on: self.now,
            comment: None,
            managed_access: false,
            tags: Vec::new(),
        }
    }

    pub(super) fn use_(&mut self, kind: ObjectType, name: &Name) -> Result<Outcome, SqlError> {
        match kind {
            ObjectType::Database => {
                let db = name.last().clone();
                if !self.catalog.databases.contains_key(&db) {
                    return Err(error::database_missing(&db.to_sql()));
                }
                let public = Ident::from_resolved(PUBLIC);
                self.session.schema = self.catalog.has_schema(&db, &public).then_some(public);
                self.session.database = Some(db);
            }
            ObjectType::Schema => {
                let (db, schema) = self.schema_of(name, "USE SCHEMA")?;
                self.require_schema(&db, &schema)?;
                self.session.database = Some(db);
                self.session.schema = Some(schema);
            }
            _ => {
                let wh = name.last().clone();
                if !self.catalog.warehouses.contains_key(&wh) {
                    return Err(error::object_missing(&wh.to_sql()));
                }
                self.session.warehouse = Some(wh);
            }
        }
        Ok(Outcome::done(Vec::new()))
    }
}
