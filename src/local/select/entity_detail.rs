//! ENTITY_DETAIL: the tag references the feature-store library reads.
//!
//! Snowflake's documentation does not describe ENTITY_DETAIL; what the
//! local account answers is what snowflake-ml-python reads from it:
//!
//! - `ENTITY_DETAIL('TAG', '<tag>', '["TAG_REFERENCES_INTERNAL"]')`: every
//!   object the tag is set on, as
//!   `{"referencedEntities": {"tagReferenceList": [item, ...]}}`;
//! - `ENTITY_DETAIL('<domain>', '<object>', '["TAG_REFERENCES"]')`: every
//!   tag set on one object, as
//!   `{"tagReferencesInfo": {"tagReferenceList": [item, ...]}}`;
//!
//! where each item is `{"domain", "entityName", "tagName", "tagValue"}`:
//! the object's domain as TAG_REFERENCES prints it (`TABLE` for tables,
//! views and dynamic tables), its own name, the tag's own name and the
//! value. The answer is JSON text.

use serde_json::{Value as Json, json};

use super::Context;
use super::value::Value;
use crate::ident::Ident;
use crate::local::catalog::{Namespace, Object, QualifiedName, TagValue, Tagged};
use crate::local::error::{self, SqlError};
use crate::local::parser::parse_name;

/// ENTITY_DETAIL(domain, name, fields).
pub(crate) fn call(
    ctx: &Context<'_>,
    domain: &Option<String>,
    name: &Option<String>,
    fields: &Option<String>,
) -> Result<Value, SqlError> {
    let (Some(domain), Some(name), Some(fields)) = (domain, name, fields) else {
        return Ok(Value::Null);
    };
    let fields: Vec<String> = serde_json::from_str::<Vec<String>>(fields)
        .map_err(|_| error::invalid(format!("Invalid argument [{fields}] for ENTITY_DETAIL.")))?;
    let wants = |f: &str| fields.iter().any(|x| x.eq_ignore_ascii_case(f));
    let domain = domain.to_ascii_uppercase();
    let answer = if domain == "TAG" && wants("TAG_REFERENCES_INTERNAL") {
        let tag = qualify(ctx, name)?;
        if ctx.catalog.object(&tag, Namespace::Tag).is_none() {
            return Err(error::object_missing(&tag.display()));
        }
        json!({"referencedEntities": {"tagReferenceList": references_of(ctx, &tag)}})
    } else if wants("TAG_REFERENCES") {
        json!({"tagReferencesInfo": {"tagReferenceList": tags_on(ctx, &domain, name)?}})
    } else {
        return Err(error::unsupported(&format!(
            "ENTITY_DETAIL of {domain} with fields {fields:?}"
        )));
    };
    Ok(Value::Text(answer.to_string()))
}

fn qualify(ctx: &Context<'_>, written: &str) -> Result<QualifiedName, SqlError> {
    let name = parse_name(written)?;
    let current = |v: &Option<Ident>, kind: &str| {
        v.clone()
            .ok_or_else(|| error::no_current(kind, "ENTITY_DETAIL"))
    };
    let (database, schema) = match name.parts.as_slice() {
        [_] => (
            current(&ctx.session.database, "database")?,
            current(&ctx.session.schema, "schema")?,
        ),
        [s, _] => (current(&ctx.session.database, "database")?, s.clone()),
        [d, s, _] => (d.clone(), s.clone()),
        _ => return Err(error::object_missing(written)),
    };
    Ok(QualifiedName {
        database,
        schema,
        name: name.last().clone(),
    })
}

fn item(domain: &str, entity: &Ident, tag: &TagValue) -> Json {
    json!({
        "domain": domain,
        "entityName": entity.as_str(),
        "tagName": tag.tag.name.as_str(),
        "tagValue": tag.value,
    })
}

/// The domain word of a schema object.
fn object_domain(object: &Object) -> &'static str {
    match object {
        Object::Task(_) => "TASK",
        Object::Model(_) => "MODULE",
        Object::Tag(_) => "TAG",
        _ => "TABLE",
    }
}

/// Every object `tag` is set on, in catalog order.
fn references_of(ctx: &Context<'_>, tag: &QualifiedName) -> Vec<Json> {
    ctx.catalog
        .tagged_with(tag)
        .map(|(tagged, t)| match tagged {
            Tagged::Warehouse(w) => item("WAREHOUSE", &w.name, t),
            Tagged::Database(d) => item("DATABASE", &d.name, t),
            Tagged::Schema(s) => item("SCHEMA", &s.name, t),
            Tagged::Object(o) => item(object_domain(o), o.name(), t),
        })
        .collect()
}

/// Every live tag set on the object `name` of `domain`.
fn tags_on(ctx: &Context<'_>, domain: &str, name: &str) -> Result<Vec<Json>, SqlError> {
    let catalog = ctx.catalog;
    let parsed = parse_name(name)?;
    let missing = || error::object_missing(name);
    let (entity, tags, domain): (Ident, Vec<TagValue>, &str) = match domain {
        "WAREHOUSE" => {
            let w = catalog.warehouses.get(parsed.last()).ok_or_else(missing)?;
            (w.name.clone(), w.tags.clone(), "WAREHOUSE")
        }
        "DATABASE" => {
            let d = catalog.databases.get(parsed.last()).ok_or_else(missing)?;
            (d.name.clone(), d.tags.clone(), "DATABASE")
        }
        "SCHEMA" => {
            let (db, s) = match parsed.parts.as_slice() {
                [s] => (ctx.session.database.clone().ok_or_else(missing)?, s.clone()),
                [d, s] => (d.clone(), s.clone()),
                _ => return Err(missing()),
            };
            let schema = catalog.schemas.get(&(db, s)).ok_or_else(missing)?;
            (schema.name.clone(), schema.tags.clone(), "SCHEMA")
        }
        "TABLE" | "TASK" | "MODULE" | "MODEL" => {
            let q = qualify(ctx, name)?;
            let namespace = match domain {
                "TASK" => Namespace::Task,
                "TABLE" => Namespace::Relation,
                _ => Namespace::Model,
            };
            let object = catalog
                .object(&q, namespace)
                .ok_or_else(|| error::object_missing(&q.display()))?;
            let tags = object.tags().cloned().unwrap_or_default();
            (q.name, tags, object_domain(object))
        }
        other => {
            return Err(error::invalid(format!(
                "Invalid value '{other}' for argument 'domain'."
            )));
        }
    };
    Ok(tags
        .iter()
        .filter(|t| catalog.object(&t.tag, Namespace::Tag).is_some())
        .map(|t| item(domain, &entity, t))
        .collect())
}
