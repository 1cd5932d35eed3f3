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

use serde::Serialize;

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
    let text = if domain == "TAG" && wants("TAG_REFERENCES_INTERNAL") {
        let tag = qualify(ctx, name)?;
        if ctx.catalog.object(&tag, Namespace::Tag).is_none() {
            return Err(error::object_missing(&tag.display()));
        }
        let list = ctx.catalog.tagged_with(&tag).map(reference_to).collect();
        to_text(&Detail::ReferencedEntities(ReferenceList::new(list)))?
    } else if wants("TAG_REFERENCES") {
        let (entity, tags, domain) = tags_on(ctx, &domain, name)?;
        let list = tags
            .iter()
            .filter(|t| ctx.catalog.object(&t.tag, Namespace::Tag).is_some())
            .map(|t| Reference::new(domain, &entity, t))
            .collect();
        to_text(&Detail::TagReferencesInfo(ReferenceList::new(list)))?
    } else {
        return Err(error::unsupported(&format!(
            "ENTITY_DETAIL of {domain} with fields {fields:?}"
        )));
    };
    Ok(Value::Text(text))
}

/// The answer, by the fields asked for.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
enum Detail<'a> {
    /// Every object a tag is set on.
    ReferencedEntities(ReferenceList<'a>),
    /// Every tag set on one object.
    TagReferencesInfo(ReferenceList<'a>),
}

/// `{"tagReferenceList": [...]}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceList<'a> {
    tag_reference_list: Vec<Reference<'a>>,
}

impl<'a> ReferenceList<'a> {
    fn new(tag_reference_list: Vec<Reference<'a>>) -> Self {
        ReferenceList { tag_reference_list }
    }
}

/// One tag set on one object.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Reference<'a> {
    domain: &'a str,
    entity_name: &'a str,
    tag_name: &'a str,
    tag_value: &'a str,
}

impl<'a> Reference<'a> {
    fn new(domain: &'a str, entity: &'a Ident, tag: &'a TagValue) -> Self {
        Reference {
            domain,
            entity_name: entity.as_str(),
            tag_name: tag.tag.name.as_str(),
            tag_value: &tag.value,
        }
    }
}

/// The JSON text of an answer.
fn to_text(detail: &Detail<'_>) -> Result<String, SqlError> {
    serde_json::to_string(detail).map_err(|e| error::invalid(e.to_string()))
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

/// The domain word of a schema object.
fn object_domain(object: &Object) -> &'static str {
    match object {
        Object::Task(_) => "TASK",
        Object::Model(_) => "MODULE",
        Object::Tag(_) => "TAG",
        _ => "TABLE",
    }
}

/// One object `tag` is set on, as ENTITY_DETAIL lists it.
fn reference_to<'a>((tagged, tag): (Tagged<'a>, &'a TagValue)) -> Reference<'a> {
    match tagged {
        Tagged::Warehouse(w) => Reference::new("WAREHOUSE", &w.name, tag),
        Tagged::Database(d) => Reference::new("DATABASE", &d.name, tag),
        Tagged::Schema(s) => Reference::new("SCHEMA", &s.name, tag),
        Tagged::Object(o) => Reference::new(object_domain(o), o.name(), tag),
    }
}

/// The object `name` of `domain`: its own name, its tags (live or not)
/// and its domain word.
fn tags_on(
    ctx: &Context<'_>,
    domain: &str,
    name: &str,
) -> Result<(Ident, Vec<TagValue>, &'static str), SqlError> {
    let catalog = ctx.catalog;
    let parsed = parse_name(name)?;
    let missing = || error::object_missing(name);
    Ok(match domain {
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
    })
}
