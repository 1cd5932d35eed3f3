//! The reconciler's view of feature-store entities: `SNOWML_FEATURE_STORE_ENTITY_*` tags.

use serde_json::{Value, json};

use super::declaration::ENTITY_TAG_PREFIX;
use crate::ident::{Ident, sql_string};
use crate::kinds::common::text_attr as text;
use crate::kinds::reconciler::{Change, LiveObject, ParseError, Query, Reconciler, Scope};
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::Rows;

use super::fields::{DATABASE, DESCRIPTION, JOIN_KEYS, NAME, SCHEMA, TAG};

/// Feature-store entities.
pub struct EntityKind;

fn tag_sql(attributes: &Attributes, fallback: &str) -> String {
    match (
        text(attributes, DATABASE),
        text(attributes, SCHEMA),
        text(attributes, TAG),
    ) {
        (Some(db), Some(schema), Some(tag)) => format!(
            "{}.{}.{}",
            Ident::from_resolved(db).to_sql(),
            Ident::from_resolved(schema).to_sql(),
            Ident::from_resolved(tag).to_sql()
        ),
        _ => fallback.to_string(),
    }
}

fn join_keys(attributes: &Attributes) -> String {
    attributes
        .get("join_keys")
        .and_then(Value::as_array)
        .map(|keys| {
            keys.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

/// The single allowed value of SHOW TAGS' `allowed_values` (`["K1,K2"]`).
fn allowed_value(cell: &str) -> Option<String> {
    match serde_json::from_str::<Vec<String>>(cell) {
        Ok(values) => Some(values.join(",")),
        Err(_) => None,
    }
}

impl Reconciler for EntityKind {
    fn kind(&self) -> KindName {
        KindName::Entity
    }

    fn introspect(&self, scope: &Scope) -> Vec<Query> {
        vec![Query::show(format!(
            "SHOW TAGS LIKE '{ENTITY_TAG_PREFIX}%' IN DATABASE {}",
            scope.database.to_sql()
        ))]
    }

    fn parse_live(&self, scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let statement = self.introspect(scope)[0].sql.clone();
        let error = |message: String| ParseError {
            kind: KindName::Entity,
            statement: statement.clone(),
            message,
        };
        let Some(rows) = results.first() else {
            return Err(error("no result".into()));
        };
        let mut out = Vec::new();
        for row in rows.iter() {
            let column = |c: &str| {
                row.get(c)
                    .ok_or_else(|| error(format!("column \"{c}\" is missing")))
            };
            let tag = column("name")?;
            let Some(name) = tag.strip_prefix(ENTITY_TAG_PREFIX) else {
                continue;
            };
            let schema = column("schema_name")?;
            let database = row.get("database_name").unwrap_or(scope.database.as_str());
            let keys = match row.get("allowed_values") {
                Some(cell) => allowed_value(cell).ok_or_else(|| {
                    error(format!("allowed_values of {tag} is not a list: {cell}"))
                })?,
                None => String::new(),
            };
            let keys: Vec<&str> = keys.split(',').filter(|k| !k.is_empty()).collect();
            let description = match row.get("comment") {
                Some(c) if !c.is_empty() => json!(c),
                _ => Value::Null,
            };
            out.push(LiveObject {
                address: Address::new(KindName::Entity, Ident::from_resolved(name)),
                fqn: format!("{database}.{schema}.{tag}"),
                schema: Some(Ident::from_resolved(schema)),
                attributes: Attributes::from([
                    (DATABASE.to_string(), json!(database)),
                    (SCHEMA.to_string(), json!(schema)),
                    (NAME.to_string(), json!(name)),
                    (TAG.to_string(), json!(tag)),
                    (JOIN_KEYS.to_string(), json!(keys)),
                    (DESCRIPTION.to_string(), description),
                ]),
            });
        }
        Ok(out)
    }

    fn plan_change(
        &self,
        declared: &Resource,
        _current: &Attributes,
        changed: &[String],
    ) -> Change {
        if changed.iter().any(|f| f != "description") {
            let reason = if changed.iter().any(|f| f == JOIN_KEYS) {
                "join_keys changed"
            } else {
                "tag location changed"
            };
            return Change::Replace {
                reason: reason.into(),
            };
        }
        let description = text(&declared.attributes, DESCRIPTION).unwrap_or("");
        Change::Update(vec![format!(
            "ALTER TAG {} SET COMMENT = {}",
            tag_sql(&declared.attributes, &declared.fqn),
            sql_string(description)
        )])
    }

    fn create_sql(&self, resource: &Resource) -> Vec<String> {
        let description = text(&resource.attributes, DESCRIPTION).unwrap_or("");
        vec![format!(
            "CREATE TAG {} ALLOWED_VALUES {} COMMENT = {}",
            tag_sql(&resource.attributes, &resource.fqn),
            sql_string(&join_keys(&resource.attributes)),
            sql_string(description)
        )]
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, attributes: &Attributes) -> Vec<String> {
        vec![format!("DROP TAG {}", tag_sql(attributes, fqn))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::schema::reconciler::SchemaKind;
    use crate::kinds::testing::{account, live, resolve, run};

    const RESOURCES: &str = "\
kind: Schema
name: fs
feature_store: true
---
kind: Entity
name: pudo
schema: FS
join_keys: [pudo_id, '\"Day\"']
description: A pick-up point
";

    fn declared(resources: &str) -> (Resource, Resource) {
        let env = resolve(resources);
        let get = |a: &str| env.resource(&a.parse().unwrap()).unwrap().clone();
        (get("schema.FS"), get("entity.PUDO"))
    }

    #[test]
    fn created_entities_read_back_as_declared() {
        let (schema, entity) = declared(RESOURCES);
        let (_dir, account) = account();
        run(&account, &SchemaKind.create_sql(&schema));
        run(&account, &EntityKind.create_sql(&entity));
        let live = live(&EntityKind, &account);
        assert_eq!(live.len(), 1, "{live:?}");
        assert_eq!(live[0].address, entity.address);
        assert_eq!(live[0].fqn, entity.fqn);
        assert_eq!(live[0].schema, Some(Ident::from_resolved("FS")));
        assert_eq!(live[0].attributes, entity.attributes);
    }

    #[test]
    fn a_description_changed_out_of_band_is_restored() {
        let (schema, entity) = declared(RESOURCES);
        let (_dir, account) = account();
        run(&account, &SchemaKind.create_sql(&schema));
        run(&account, &EntityKind.create_sql(&entity));
        run(
            &account,
            &[format!("ALTER TAG {} SET COMMENT = 'edited'", entity.fqn)],
        );
        let current = live(&EntityKind, &account).remove(0).attributes;
        assert_eq!(current["description"], json!("edited"));
        let Change::Update(sql) =
            EntityKind.plan_change(&entity, &current, &["description".to_string()])
        else {
            panic!("expected an update");
        };
        run(&account, &sql);
        assert_eq!(live(&EntityKind, &account)[0].attributes, entity.attributes);
    }

    #[test]
    fn a_join_key_change_replaces_the_entity() {
        let (_, entity) = declared(&RESOURCES.replace("[pudo_id, '\"Day\"']", "[pudo_id]"));
        let (_, before) = declared(RESOURCES);
        assert_eq!(
            EntityKind.plan_change(&entity, &before.attributes, &["join_keys".to_string()]),
            Change::Replace {
                reason: "join_keys changed".into()
            }
        );
        assert_eq!(
            EntityKind.delete_sql(&entity.address, &entity.fqn, &entity.attributes),
            vec!["DROP TAG ML_DB.FS.SNOWML_FEATURE_STORE_ENTITY_PUDO".to_string()]
        );
    }
}
