//! The reconciler's view of schemas: SHOW SCHEMAS plus the feature-store tags.

use serde_json::{Value, json};

use crate::ident::{Ident, sql_string};
use crate::kinds::common::{
    FS_METADATA_TAG as METADATA_TAG, FS_OBJECT_TAG as OBJECT_TAG, text_attr as text,
};
use crate::kinds::reconciler::{Change, LiveObject, ParseError, Query, Reconciler, Scope};
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::Rows;

use super::fields::{COMMENT, DATABASE, FEATURE_STORE, NAME};

/// Schemas, including whether they are feature stores.
pub struct SchemaKind;

fn schema_sql(attributes: &Attributes, fallback: &str) -> String {
    match (text(attributes, DATABASE), text(attributes, NAME)) {
        (Some(db), Some(name)) => format!(
            "{}.{}",
            Ident::from_resolved(db).to_sql(),
            Ident::from_resolved(name).to_sql()
        ),
        _ => fallback.to_string(),
    }
}

fn tag_sql(schema: &str) -> Vec<String> {
    [OBJECT_TAG, METADATA_TAG]
        .iter()
        .map(|tag| format!("CREATE TAG IF NOT EXISTS {schema}.{tag}"))
        .collect()
}

fn missing(statement: &str, column: &str) -> ParseError {
    ParseError {
        kind: KindName::Schema,
        statement: statement.to_string(),
        message: format!("column \"{column}\" is missing"),
    }
}

impl Reconciler for SchemaKind {
    fn kind(&self) -> KindName {
        KindName::Schema
    }

    fn introspect(&self, scope: &Scope) -> Vec<Query> {
        let db = scope.database.to_sql();
        vec![
            Query::show(format!("SHOW SCHEMAS IN DATABASE {db}")),
            Query::show(format!("SHOW TAGS IN DATABASE {db}")),
        ]
    }

    fn parse_live(&self, scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let queries = self.introspect(scope);
        let (Some(schemas), Some(tags)) = (results.first(), results.get(1)) else {
            return Err(ParseError {
                kind: KindName::Schema,
                statement: queries[0].sql.clone(),
                message: "expected the results of two statements".into(),
            });
        };
        let mut with_object = std::collections::BTreeSet::new();
        let mut with_metadata = std::collections::BTreeSet::new();
        for row in tags.iter() {
            let name = row
                .get("name")
                .ok_or_else(|| missing(&queries[1].sql, "name"))?;
            let schema = row
                .get("schema_name")
                .ok_or_else(|| missing(&queries[1].sql, "schema_name"))?;
            match name {
                OBJECT_TAG => with_object.insert(schema.to_string()),
                METADATA_TAG => with_metadata.insert(schema.to_string()),
                _ => false,
            };
        }
        let mut out = Vec::new();
        for row in schemas.iter() {
            let name = row
                .get("name")
                .ok_or_else(|| missing(&queries[0].sql, "name"))?;
            if name == "INFORMATION_SCHEMA" || name == "PUBLIC" {
                continue;
            }
            let database = row
                .get("database_name")
                .unwrap_or(scope.database.as_str())
                .to_string();
            let comment = match row.get("comment") {
                Some(c) if !c.is_empty() => json!(c),
                _ => Value::Null,
            };
            let feature_store = with_object.contains(name) && with_metadata.contains(name);
            out.push(LiveObject {
                address: Address::new(KindName::Schema, Ident::from_resolved(name)),
                fqn: format!("{database}.{name}"),
                schema: None,
                attributes: Attributes::from([
                    (DATABASE.to_string(), json!(database)),
                    (NAME.to_string(), json!(name)),
                    (COMMENT.to_string(), comment),
                    (FEATURE_STORE.to_string(), json!(feature_store)),
                ]),
            });
        }
        Ok(out)
    }

    fn plan_change(&self, declared: &Resource, current: &Attributes, changed: &[String]) -> Change {
        let wants_fs = declared.attributes.get(FEATURE_STORE) == Some(&json!(true));
        let has_fs = current.get(FEATURE_STORE) == Some(&json!(true));
        if changed.iter().any(|f| f == FEATURE_STORE) && has_fs && !wants_fs {
            return Change::Replace {
                reason: "feature_store turned off".into(),
            };
        }
        let schema = schema_sql(&declared.attributes, &declared.fqn);
        let mut sql = Vec::new();
        if changed.iter().any(|f| f == COMMENT) {
            sql.push(match text(&declared.attributes, COMMENT) {
                Some(c) => format!("ALTER SCHEMA {schema} SET COMMENT = {}", sql_string(c)),
                None => format!("ALTER SCHEMA {schema} UNSET COMMENT"),
            });
        }
        if changed.iter().any(|f| f == FEATURE_STORE) && wants_fs {
            sql.extend(tag_sql(&schema));
        }
        Change::Update(sql)
    }

    fn create_sql(&self, resource: &Resource) -> Vec<String> {
        let schema = schema_sql(&resource.attributes, &resource.fqn);
        let mut sql = vec![match text(&resource.attributes, COMMENT) {
            Some(c) => format!("CREATE SCHEMA {schema} COMMENT = {}", sql_string(c)),
            None => format!("CREATE SCHEMA {schema}"),
        }];
        if resource.attributes.get(FEATURE_STORE) == Some(&json!(true)) {
            sql.extend(tag_sql(&schema));
        }
        sql
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, attributes: &Attributes) -> Vec<String> {
        vec![format!("DROP SCHEMA {}", schema_sql(attributes, fqn))]
    }

    fn destroys_data(&self, _attributes: &Attributes) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::testing::{account, live, resolve, run};
    use crate::resolve::ResolvedEnv;

    fn resource(env: &ResolvedEnv, address: &str) -> Resource {
        env.resource(&address.parse().unwrap()).unwrap().clone()
    }

    #[test]
    fn created_schemas_read_back_as_declared() {
        let env = resolve(
            "kind: Schema\nname: fs\nfeature_store: true\n---\nkind: Schema\nname: reg\ncomment: it's here\n",
        );
        let (_dir, account) = account();
        let fs = resource(&env, "schema.FS");
        let reg = resource(&env, "schema.REG");
        run(&account, &SchemaKind.create_sql(&fs));
        run(&account, &SchemaKind.create_sql(&reg));
        let live = live(&SchemaKind, &account);
        assert_eq!(live.len(), 2, "{live:?}");
        for declared in [&fs, &reg] {
            let object = live.iter().find(|o| o.address == declared.address).unwrap();
            assert_eq!(object.fqn, declared.fqn);
            assert_eq!(object.schema, None);
            assert_eq!(object.attributes, declared.attributes);
        }
    }

    #[test]
    fn comment_and_feature_store_changes_are_applied_in_place() {
        let before = resolve("kind: Schema\nname: s\ncomment: old\n");
        let after = resolve("kind: Schema\nname: s\nfeature_store: true\n");
        let (_dir, account) = account();
        let old = resource(&before, "schema.S");
        let new = resource(&after, "schema.S");
        run(&account, &SchemaKind.create_sql(&old));
        let current = live(&SchemaKind, &account).remove(0).attributes;
        let changed = vec!["comment".to_string(), "feature_store".to_string()];
        let Change::Update(sql) = SchemaKind.plan_change(&new, &current, &changed) else {
            panic!("expected an update");
        };
        run(&account, &sql);
        assert_eq!(live(&SchemaKind, &account)[0].attributes, new.attributes);
        assert!(matches!(
            SchemaKind.plan_change(&old, &new.attributes, &["feature_store".to_string()]),
            Change::Replace { .. }
        ));
    }
}
