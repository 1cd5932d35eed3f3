//! `SELECT ... FROM <db>.INFORMATION_SCHEMA.MODEL_VERSIONS`: every version
//! of every model in one database, with Snowflake's column names and value
//! formats (aliases as a JSON array including the system aliases, metadata
//! as a JSON object), filtered, sorted and projected as the query asks.

use std::cmp::Ordering;

use super::{Exec, Outcome};
use crate::local::ast::ModelVersionsQuery;
use crate::local::catalog::{Model, ModelVersion, Object};
use crate::local::error::{self, SqlError};
use crate::local::parser::MODEL_VERSION_COLUMNS;
use crate::local::show::model_aliases;
use crate::local::time;
use crate::session::{Column, ColumnType, Rows};

/// The owner every local object reports.
const OWNER: &str = "ACCOUNTADMIN";

type Cells = Vec<Option<String>>;

impl Exec<'_> {
    pub(super) fn model_versions(&mut self, q: &ModelVersionsQuery) -> Result<Outcome, SqlError> {
        let database = match &q.database {
            Some(db) => db.clone(),
            None => self
                .session
                .database
                .clone()
                .ok_or_else(|| error::no_current("database", "SELECT"))?,
        };
        if !self.catalog.databases.contains_key(&database) {
            return Err(error::database_missing(&database.to_sql()));
        }
        let mut rows: Vec<Cells> = Vec::new();
        for (key, object) in &self.catalog.objects {
            if let (true, Object::Model(model)) = (key.database == database, object) {
                for version in &model.versions {
                    rows.push(row(
                        key.database.as_str(),
                        key.schema.as_str(),
                        model,
                        version,
                    ));
                }
            }
        }
        rows.retain(|r| keep(r, &q.filters));
        sort(&mut rows, &q.order_by);
        Ok(Outcome {
            rows: project(rows, &q.columns),
            changes: Vec::new(),
        })
    }
}

/// The index of a column the parser accepted.
fn index(column: &str) -> usize {
    MODEL_VERSION_COLUMNS
        .iter()
        .position(|c| *c == column)
        .unwrap_or(0)
}

fn keep(row: &Cells, filters: &[(String, String)]) -> bool {
    filters
        .iter()
        .all(|(column, value)| row[index(column)].as_deref() == Some(value.as_str()))
}

/// A stable sort, so rows that tie keep creation order as Snowflake's clock would.
fn sort(rows: &mut [Cells], order_by: &[(String, bool)]) {
    rows.sort_by(|a, b| {
        order_by
            .iter()
            .map(|(column, descending)| {
                let i = index(column);
                let o = a[i].cmp(&b[i]);
                if *descending { o.reverse() } else { o }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
}

fn project(rows: Vec<Cells>, columns: &[String]) -> Rows {
    let selected: Vec<usize> = if columns.is_empty() {
        (0..MODEL_VERSION_COLUMNS.len()).collect()
    } else {
        columns.iter().map(|c| index(c)).collect()
    };
    Rows {
        columns: selected
            .iter()
            .map(|&i| Column::new(MODEL_VERSION_COLUMNS[i], column_type(i)))
            .collect(),
        rows: rows
            .into_iter()
            .map(|r| selected.iter().map(|&i| r[i].clone()).collect())
            .collect(),
        query_id: None,
    }
}

fn column_type(i: usize) -> ColumnType {
    match MODEL_VERSION_COLUMNS[i] {
        "CREATED" | "LAST_ALTERED" => ColumnType::TimestampLtz,
        "VERSION_ALIASES" | "FUNCTIONS" | "DEPENDENCIES" | "METADATA" | "USERDATA" => {
            ColumnType::Variant
        }
        _ => ColumnType::Text,
    }
}

/// Snowflake prints semi-structured cells as indented JSON.
fn variant(value: &serde_json::Value) -> Option<String> {
    serde_json::to_string_pretty(value).ok()
}

/// One row in [`MODEL_VERSION_COLUMNS`] order.
fn row(database: &str, schema: &str, model: &Model, version: &ModelVersion) -> Cells {
    let aliases: Vec<serde_json::Value> = model_aliases(model)
        .into_iter()
        .filter(|(_, v)| v.as_str() == Some(version.name.as_str()))
        .map(|(alias, _)| alias.into())
        .collect();
    let metadata = version
        .metadata
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    let created = Some(time::format(version.created_on));
    vec![
        Some(database.to_string()),
        Some(schema.to_string()),
        Some(model.name.to_string()),
        Some(version.name.to_string()),
        variant(&aliases.into()),
        version.comment.clone(),
        Some(OWNER.to_string()),
        created.clone(),
        created,
        variant(&serde_json::json!([])),
        Some("USER_MODEL".to_string()),
        None,
        Some("PYTHON".to_string()),
        None,
        variant(&metadata),
        variant(&serde_json::json!({})),
    ]
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::local::LocalAccount;

    fn account() -> (tempfile::TempDir, LocalAccount) {
        crate::local::scratch_account(&[
            "CREATE DATABASE OSS",
            "CREATE SCHEMA OSS.REG",
            "CREATE SCHEMA OSS.OTHER",
            "CREATE DATABASE ELSEWHERE",
            "CREATE SCHEMA ELSEWHERE.REG",
            "CREATE MODEL OSS.REG.M WITH VERSION V1 FROM @OSS.REG.S/v1",
            "ALTER MODEL OSS.REG.M ADD VERSION V2 FROM @OSS.REG.S/v2",
            "ALTER MODEL OSS.REG.M VERSION V2 SET ALIAS = PROD",
            "ALTER MODEL OSS.REG.M MODIFY VERSION V2 SET COMMENT = 'it''s v2'",
            r#"ALTER MODEL OSS.REG.M MODIFY VERSION V2 SET METADATA = '{"metrics": {"mape": 0.12}, "snowpark_ml_schema_version": "2024-01-01"}'"#,
            "CREATE MODEL OSS.OTHER.A WITH VERSION V9 FROM @OSS.REG.S/a",
            "CREATE MODEL ELSEWHERE.REG.M WITH VERSION V1 FROM @OSS.REG.S/v1",
        ])
    }

    fn json(cell: Option<&str>) -> Value {
        serde_json::from_str(cell.expect("a value")).expect("JSON text")
    }

    #[test]
    fn model_versions_lists_every_version_of_the_database_in_snowflakes_format() {
        let (_dir, acc) = account();
        let rows = acc
            .execute_sync(
                "SELECT SCHEMA_NAME, MODEL_NAME, MODEL_VERSION_NAME, VERSION_ALIASES, COMMENT, METADATA \
                 FROM OSS.INFORMATION_SCHEMA.MODEL_VERSIONS ORDER BY SCHEMA_NAME DESC, MODEL_NAME, CREATED",
            )
            .unwrap();
        let names: Vec<String> = rows.columns.iter().map(|c| c.name.clone()).collect();
        assert_eq!(
            names,
            [
                "SCHEMA_NAME",
                "MODEL_NAME",
                "MODEL_VERSION_NAME",
                "VERSION_ALIASES",
                "COMMENT",
                "METADATA"
            ]
        );
        let listed: Vec<(String, String, String)> = rows
            .iter()
            .map(|r| {
                let get = |c| r.get(c).unwrap().to_string();
                (
                    get("SCHEMA_NAME"),
                    get("MODEL_NAME"),
                    get("MODEL_VERSION_NAME"),
                )
            })
            .collect();
        let expected = [("REG", "M", "V1"), ("REG", "M", "V2"), ("OTHER", "A", "V9")]
            .map(|(s, m, v)| (s.to_string(), m.to_string(), v.to_string()));
        assert_eq!(listed, expected, "other databases are not listed");
        let v1 = rows.iter().next().unwrap();
        assert_eq!(json(v1.get("VERSION_ALIASES")), json!(["DEFAULT", "FIRST"]));
        assert_eq!(json(v1.get("METADATA")), json!({}));
        assert_eq!(v1.get("COMMENT"), None);
        let v2 = rows.iter().nth(1).unwrap();
        assert_eq!(json(v2.get("VERSION_ALIASES")), json!(["LAST", "PROD"]));
        assert_eq!(v2.get("COMMENT"), Some("it's v2"));
        assert_eq!(
            json(v2.get("METADATA")),
            json!({"metrics": {"mape": 0.12}, "snowpark_ml_schema_version": "2024-01-01"})
        );
    }

    #[test]
    fn metadata_numbers_are_kept_to_the_last_digit() {
        let (_dir, acc) = account();
        acc.execute_sync(
            r#"ALTER MODEL OSS.REG.M MODIFY VERSION V1 SET METADATA = '{"metrics": {"r2": 0.009221885624698875, "t": 94.52706955539223}}'"#,
        )
        .unwrap();
        let rows = acc
            .execute_sync(
                "SELECT METADATA FROM OSS.INFORMATION_SCHEMA.MODEL_VERSIONS \
                 WHERE MODEL_VERSION_NAME = 'V1' AND SCHEMA_NAME = 'REG'",
            )
            .unwrap();
        let cell = rows
            .iter()
            .next()
            .unwrap()
            .get("METADATA")
            .unwrap()
            .to_string();
        assert!(cell.contains("0.009221885624698875"), "{cell}");
        assert!(cell.contains("94.52706955539223"), "{cell}");
    }

    #[test]
    fn model_versions_filters_projects_and_resolves_the_current_database() {
        let (_dir, acc) = account();
        let all = acc
            .execute_sync(
                "SELECT * FROM OSS.INFORMATION_SCHEMA.MODEL_VERSIONS v WHERE MODEL_NAME = 'A'",
            )
            .unwrap();
        assert_eq!(all.columns.len(), 16);
        assert_eq!(all.len(), 1);
        let row = all.iter().next().unwrap();
        assert_eq!(row.get("DATABASE_NAME"), Some("OSS"));
        assert_eq!(row.get("OWNER"), Some("ACCOUNTADMIN"));
        assert!(row.get("CREATED").is_some_and(|c| c.ends_with("+0000")));
        let unqualified = "SELECT MODEL_NAME FROM INFORMATION_SCHEMA.MODEL_VERSIONS";
        acc.execute_sync("USE DATABASE ELSEWHERE").unwrap();
        assert_eq!(acc.execute_sync(unqualified).unwrap().len(), 1);
        acc.execute_sync("USE DATABASE OSS").unwrap();
        assert_eq!(acc.execute_sync(unqualified).unwrap().len(), 3);
        let e = acc
            .execute_sync("SELECT NOPE FROM OSS.INFORMATION_SCHEMA.MODEL_VERSIONS")
            .unwrap_err();
        assert!(e.message.contains("Unsupported feature 'SELECT'"), "{e}");
        let e = acc
            .execute_sync("SELECT MODEL_NAME FROM NOPE.INFORMATION_SCHEMA.MODEL_VERSIONS")
            .unwrap_err();
        assert!(e.message.contains("NOPE"), "{e}");
    }
}
