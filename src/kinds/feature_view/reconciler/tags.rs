//! The feature-store tags set on feature views, read as the feature-store
//! library reads them: from the tag assignments, not from the CREATE text.
//!
//! `ALTER VIEW ... UNSET TAG` leaves the text as it was, so only the
//! assignments say whether `list_feature_views` still finds a feature view
//! (object tag), its entities (entity tags) and its metadata. They are read
//! in one statement per feature-store schema: a SELECT of one
//! `ENTITY_DETAIL('TAG', '<tag>', '["TAG_REFERENCES_INTERNAL"]')` per
//! feature-store tag that exists in the schema (object tag, metadata tag,
//! each entity tag), the statement snowflake-ml-python sends for one tag.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ident::{Ident, sql_string};
use crate::kinds::common::{FS_METADATA_TAG, FS_OBJECT_TAG};
use crate::kinds::entity::declaration::ENTITY_TAG_PREFIX;
use crate::kinds::reconciler::{Query, Scope};
use crate::session::Rows;

/// The tags set on each object of one schema: object name → tag name → value.
pub(super) type Assigned = BTreeMap<String, BTreeMap<String, String>>;

/// True for the tags a feature view carries.
fn is_feature_store_tag(name: &str) -> bool {
    name == FS_OBJECT_TAG || name == FS_METADATA_TAG || name.starts_with(ENTITY_TAG_PREFIX)
}

/// One lookup per managed schema (every schema when the scope names none)
/// that holds feature views (`$`-named rows of SHOW VIEWS / SHOW DYNAMIC
/// TABLES) and feature-store tags (SHOW TAGS): the schema and its
/// statement, in schema order.
pub(super) fn lookups(
    scope: &Scope,
    views: &Rows,
    dynamic_tables: &Rows,
    tags: &Rows,
) -> Vec<(String, Query)> {
    let mut schemas: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in views.iter().chain(dynamic_tables.iter()) {
        let (Some(name), Some(schema)) = (row.get("name"), row.get("schema_name")) else {
            continue;
        };
        let managed =
            scope.schemas.is_empty() || scope.schemas.iter().any(|s| s.as_str() == schema);
        if name.contains('$') && managed {
            schemas.entry(schema.to_string()).or_default();
        }
    }
    for row in tags.iter() {
        let (Some(name), Some(schema)) = (row.get("name"), row.get("schema_name")) else {
            continue;
        };
        if let Some(found) = schemas.get_mut(schema)
            && is_feature_store_tag(name)
        {
            found.push(name.to_string());
        }
    }
    schemas
        .into_iter()
        .filter(|(_, tags)| !tags.is_empty())
        .map(|(schema, tags)| {
            let sql = lookup_sql(&scope.database, &schema, &tags);
            (schema, Query::once(sql))
        })
        .collect()
}

/// `SELECT ENTITY_DETAIL('TAG', 'DB.S.T', '["TAG_REFERENCES_INTERNAL"]') AS "T", ...`.
fn lookup_sql(database: &Ident, schema: &str, tags: &[String]) -> String {
    let schema = Ident::from_resolved(schema);
    let items: Vec<String> = tags
        .iter()
        .map(|tag| {
            let tag = Ident::from_resolved(tag.as_str());
            let fqn = format!("{}.{}.{}", database.to_sql(), schema.to_sql(), tag.to_sql());
            format!(
                "ENTITY_DETAIL('TAG', {}, '[\"TAG_REFERENCES_INTERNAL\"]') AS {}",
                sql_string(&fqn),
                quoted(tag.as_str())
            )
        })
        .collect();
    format!("SELECT {}", items.join(",\n       "))
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Reads one lookup's row: per column (a tag), the table-domain objects it
/// is set on and the value.
pub(super) fn read_assigned(rows: &Rows) -> Result<Assigned, String> {
    let mut out = Assigned::new();
    let Some(row) = rows.rows.first() else {
        return Err("the tag lookup returned no row".into());
    };
    for (column, cell) in rows.columns.iter().zip(row) {
        let Some(text) = cell else {
            continue;
        };
        let detail: Value = serde_json::from_str(text)
            .map_err(|e| format!("column \"{}\" is not JSON: {e}", column.name))?;
        let list = detail
            .pointer("/referencedEntities/tagReferenceList")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                format!(
                    "column \"{}\" has no referencedEntities.tagReferenceList",
                    column.name
                )
            })?;
        for item in list {
            let field = |key: &str| item.get(key).and_then(Value::as_str);
            if field("domain").is_some_and(|d| !d.eq_ignore_ascii_case("TABLE")) {
                continue;
            }
            let (Some(entity), Some(value)) = (field("entityName"), field("tagValue")) else {
                continue;
            };
            let tag = field("tagName").unwrap_or(column.name.as_str());
            out.entry(entity.to_string())
                .or_default()
                .insert(tag.to_string(), value.to_string());
        }
    }
    Ok(out)
}

/// The canonical `entity_tags` (`{"PUDO": "PUDO_ID"}`) and
/// `feature_store_tags` (the object and metadata tags present, by name) of
/// one object's assigned tags.
pub(super) fn attributes(assigned: Option<&BTreeMap<String, String>>) -> (Value, Value) {
    let empty = BTreeMap::new();
    let assigned = assigned.unwrap_or(&empty);
    let entity_tags: serde_json::Map<String, Value> = assigned
        .iter()
        .filter_map(|(tag, value)| {
            let entity = tag.strip_prefix(ENTITY_TAG_PREFIX)?;
            Some((entity.to_string(), Value::from(value.as_str())))
        })
        .collect();
    let present: Vec<Value> = [FS_OBJECT_TAG, FS_METADATA_TAG]
        .into_iter()
        .filter(|t| assigned.contains_key(*t))
        .map(Value::from)
        .collect();
    (Value::Object(entity_tags), Value::Array(present))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Column, ColumnType};

    fn rows(columns: &[&str], cells: &[&[&str]]) -> Rows {
        Rows {
            columns: columns
                .iter()
                .map(|c| Column::new(*c, ColumnType::Text))
                .collect(),
            rows: cells
                .iter()
                .map(|r| r.iter().map(|c| Some(c.to_string())).collect())
                .collect(),
            query_id: None,
        }
    }

    #[test]
    fn one_lookup_per_feature_store_schema_with_its_tags() {
        let scope = Scope {
            environment: "DEV".into(),
            database: Ident::from_resolved("DB"),
            schemas: vec![Ident::from_resolved("FS"), Ident::from_resolved("OTHER")],
        };
        let views = rows(
            &["name", "schema_name"],
            &[&["FV$V1", "FS"], &["PLAIN", "OTHER"]],
        );
        let dts = rows(
            &["name", "schema_name"],
            &[&["DT$V1", "FS"], &["X$V1", "ELSEWHERE"]],
        );
        let tags = rows(
            &["name", "schema_name"],
            &[
                &["SNOWML_FEATURE_STORE_OBJECT", "FS"],
                &["SNOWML_FEATURE_STORE_ENTITY_PUDO", "FS"],
                &["SNOWML_FEATURE_VIEW_METADATA", "FS"],
                &["COST_CENTER", "FS"],
                &["SNOWML_FEATURE_STORE_OBJECT", "ELSEWHERE"],
            ],
        );
        let found = lookups(&scope, &views, &dts, &tags);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "FS");
        assert_eq!(
            found[0].1.sql,
            "SELECT ENTITY_DETAIL('TAG', 'DB.FS.SNOWML_FEATURE_STORE_OBJECT', '[\"TAG_REFERENCES_INTERNAL\"]') AS \"SNOWML_FEATURE_STORE_OBJECT\",\n       \
             ENTITY_DETAIL('TAG', 'DB.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO', '[\"TAG_REFERENCES_INTERNAL\"]') AS \"SNOWML_FEATURE_STORE_ENTITY_PUDO\",\n       \
             ENTITY_DETAIL('TAG', 'DB.FS.SNOWML_FEATURE_VIEW_METADATA', '[\"TAG_REFERENCES_INTERNAL\"]') AS \"SNOWML_FEATURE_VIEW_METADATA\""
        );
    }

    #[test]
    fn assignments_become_entity_tags_and_present_store_tags() {
        let detail = |items: &str| {
            format!("{{\"referencedEntities\": {{\"tagReferenceList\": [{items}]}}}}")
        };
        let object = detail(
            r#"{"domain": "TABLE", "entityName": "FV$V1", "tagName": "SNOWML_FEATURE_STORE_OBJECT", "tagValue": "{}"},
               {"domain": "TASK", "entityName": "FV$V1", "tagName": "SNOWML_FEATURE_STORE_OBJECT", "tagValue": "{}"}"#,
        );
        let entity = detail(
            r#"{"domain": "TABLE", "entityName": "FV$V1", "tagName": "SNOWML_FEATURE_STORE_ENTITY_PUDO", "tagValue": "PUDO_ID"},
               {"domain": "TABLE", "entityName": "OTHER$V1", "tagName": "SNOWML_FEATURE_STORE_ENTITY_PUDO", "tagValue": "PUDO_ID"}"#,
        );
        let result = rows(
            &[
                "SNOWML_FEATURE_STORE_OBJECT",
                "SNOWML_FEATURE_STORE_ENTITY_PUDO",
            ],
            &[&[object.as_str(), entity.as_str()]],
        );
        let assigned = read_assigned(&result).expect("readable lookup");
        let (entity_tags, present) = attributes(assigned.get("FV$V1"));
        assert_eq!(entity_tags, serde_json::json!({"PUDO": "PUDO_ID"}));
        assert_eq!(present, serde_json::json!(["SNOWML_FEATURE_STORE_OBJECT"]));
        let (none, nothing) = attributes(assigned.get("GONE$V1"));
        assert_eq!(none, serde_json::json!({}));
        assert_eq!(nothing, serde_json::json!([]));
    }
}
