//! Feature views as SHOW VIEWS, SHOW DYNAMIC TABLES and SHOW TASKS list
//! them: one row becomes the canonical attributes of
//! [`crate::kinds::feature_view`], reading the CREATE `text` with the feature
//! store's rule and taking from SHOW's other columns what ALTER changes.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::fs_text::{Header, read_fs_text};
use super::tags::{self, Assigned};
use super::{
    DYNAMIC_TABLE, INITIALIZE_MODES, NO_TIMESTAMP, NO_TIMESTAMP_PLACEHOLDER, REFRESH_MODES,
};
use crate::ident::Ident;
use crate::kinds::common::trimmed_sql;
use crate::kinds::feature_view::fields::{
    CLUSTER_BY, COLUMNS, DATABASE, DESCRIPTION, ENTITIES, ENTITY_TAGS, FEATURE_STORE_TAGS,
    FEATURE_VIEW, INITIALIZE, NAME, OBJECT, QUERY, REFRESH_FREQ, REFRESH_MODE, SCHEMA,
    TIMESTAMP_COL, VERSION, WAREHOUSE,
};
use crate::kinds::reconciler::{LiveObject, Scope};
use crate::kinds::schedule::{Schedule, canonical_duration};
use crate::model::{Address, Attributes, KindName};
use crate::session::{Row, Rows};

/// A `$`-named task as SHOW TASKS lists it.
pub(super) struct RefreshTask {
    schedule: Option<String>,
    state: String,
}

/// The `$`-named tasks by (schema, name): feature views' refresh tasks.
pub(super) fn refresh_tasks(
    rows: &Rows,
) -> Result<BTreeMap<(String, String), RefreshTask>, String> {
    let mut out = BTreeMap::new();
    for row in rows.iter() {
        let name = column(&row, "name")?;
        if !name.contains('$') {
            continue;
        }
        let task = RefreshTask {
            schedule: row.get("schedule").map(str::to_string),
            state: row.get("state").unwrap_or_default().to_string(),
        };
        out.insert(
            (column(&row, "schema_name")?.to_string(), name.to_string()),
            task,
        );
    }
    Ok(out)
}

fn column<'a>(row: &Row<'a>, name: &str) -> Result<&'a str, String> {
    row.get(name)
        .ok_or_else(|| format!("column \"{name}\" is missing"))
}

/// A SHOW VIEWS / SHOW DYNAMIC TABLES row as a feature view; `None` for
/// objects without `$` in their name, which are not feature views.
/// `assigned` holds the feature-store tags set on objects, by schema.
pub(super) fn read_row(
    scope: &Scope,
    row: Row<'_>,
    object: &str,
    tasks: &BTreeMap<(String, String), RefreshTask>,
    assigned: &BTreeMap<String, Assigned>,
) -> Result<Option<LiveObject>, String> {
    let name = column(&row, "name")?;
    let Some((feature_view, version)) = name.split_once('$') else {
        return Ok(None);
    };
    let schema = column(&row, "schema_name")?;
    let database = row.get("database_name").unwrap_or(scope.database.as_str());
    let description = match row.get("comment") {
        Some(c) if !c.is_empty() => json!(c),
        _ => Value::Null,
    };
    let mut attributes = Attributes::from([
        (DATABASE.to_string(), json!(database)),
        (SCHEMA.to_string(), json!(schema)),
        (NAME.to_string(), json!(name)),
        (FEATURE_VIEW.to_string(), json!(feature_view)),
        (VERSION.to_string(), json!(version)),
        (OBJECT.to_string(), json!(object)),
        (DESCRIPTION.to_string(), description),
    ]);
    let from_text = FromText::read(row.get("text").unwrap_or_default());
    attributes.extend(from_text.attributes());
    let (entity_tags, store_tags) =
        tags::attributes(assigned.get(schema).and_then(|a| a.get(name)));
    attributes.insert(ENTITY_TAGS.to_string(), entity_tags);
    attributes.insert(FEATURE_STORE_TAGS.to_string(), store_tags);
    if object == DYNAMIC_TABLE {
        let task = tasks.get(&(schema.to_string(), name.to_string()));
        attributes.extend(dynamic_table_fields(&row, from_text, task)?);
    } else {
        for key in [
            REFRESH_FREQ,
            WAREHOUSE,
            REFRESH_MODE,
            INITIALIZE,
            CLUSTER_BY,
        ] {
            attributes.insert(key.to_string(), Value::Null);
        }
    }
    Ok(Some(LiveObject {
        address: Address::new(KindName::FeatureView, Ident::from_resolved(name)),
        fqn: format!("{database}.{schema}.{name}"),
        schema: Some(Ident::from_resolved(schema)),
        attributes,
    }))
}

/// What only a dynamic table has: how and where it refreshes, and its clustering.
fn dynamic_table_fields(
    row: &Row<'_>,
    from_text: FromText,
    task: Option<&RefreshTask>,
) -> Result<[(String, Value); 5], String> {
    let lag = column(row, "target_lag")?;
    let refresh_mode = from_text
        .refresh_mode
        .unwrap_or_else(|| REFRESH_MODES[0].into());
    let initialize = from_text
        .initialize
        .unwrap_or_else(|| INITIALIZE_MODES[0].into());
    Ok([
        (REFRESH_FREQ.to_string(), live_refresh_freq(lag, task)),
        (WAREHOUSE.to_string(), non_empty(row.get("warehouse"))),
        (REFRESH_MODE.to_string(), json!(refresh_mode)),
        (INITIALIZE.to_string(), json!(initialize)),
        (
            CLUSTER_BY.to_string(),
            json!(cluster_keys(row.get("cluster_by").unwrap_or_default())),
        ),
    ])
}

fn non_empty(cell: Option<&str>) -> Value {
    match cell {
        Some(c) if !c.is_empty() && c != "null" => json!(c),
        _ => Value::Null,
    }
}

/// `refresh_freq` as the live objects say it: the canonical target lag, or
/// for `DOWNSTREAM` the cron of a started refresh task (a suspended task
/// refreshes nothing, so the feature view then reads as `DOWNSTREAM`).
fn live_refresh_freq(target_lag: &str, task: Option<&RefreshTask>) -> Value {
    if !target_lag.trim().eq_ignore_ascii_case("DOWNSTREAM") {
        return json!(canonical_duration(target_lag).unwrap_or_else(|_| target_lag.to_string()));
    }
    let cron = task
        .filter(|t| t.state.eq_ignore_ascii_case("started"))
        .and_then(|t| t.schedule.as_deref())
        .and_then(|s| match Schedule::parse(s) {
            Ok(Schedule::Cron(c)) => Some(c.to_string()),
            _ => None,
        });
    json!(cron.unwrap_or_else(|| "DOWNSTREAM".to_string()))
}

/// The keys of SHOW's `cluster_by` (`LINEAR(PUDO_ID, "Day")`), resolved;
/// an expression that is not an identifier is kept as written.
fn cluster_keys(cell: &str) -> Vec<String> {
    let inner = match (cell.find('('), cell.rfind(')')) {
        (Some(open), Some(close)) if open < close => &cell[open + 1..close],
        _ => cell,
    };
    split_top_level(inner)
        .into_iter()
        .filter(|k| !k.is_empty())
        .map(|k| Ident::parse(k).map_or_else(|_| k.to_string(), |i| i.as_str().to_string()))
        .collect()
}

/// Splits at commas outside parentheses, quotes and string literals.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0usize, 0usize);
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// What the CREATE statement in `text` says, read with the feature store's rule.
struct FromText {
    query: Value,
    entities: Value,
    timestamp_col: Value,
    columns: Value,
    refresh_mode: Option<String>,
    initialize: Option<String>,
}

impl FromText {
    /// Reads `text`; what the rule cannot read is null, so that it differs
    /// from any declaration and the object is replaced by one floe can read.
    fn read(text: &str) -> FromText {
        let Some(fs) = read_fs_text(text) else {
            return FromText {
                query: Value::Null,
                entities: Value::Null,
                timestamp_col: Value::Null,
                columns: Value::Null,
                refresh_mode: None,
                initialize: None,
            };
        };
        let header = Header::read(&text[..fs.query_start]);
        let metadata = read_metadata(fs.metadata);
        let columns: Vec<Value> = header
            .columns
            .iter()
            .map(|c| {
                let comment = c.comment.as_deref().filter(|c| !c.is_empty());
                json!({"name": c.name, "comment": comment})
            })
            .collect();
        FromText {
            query: json!(trimmed_sql(fs.query)),
            entities: metadata.0,
            timestamp_col: metadata.1,
            columns: json!(columns),
            refresh_mode: header.refresh_mode,
            initialize: header.initialize,
        }
    }

    fn attributes(&self) -> [(String, Value); 4] {
        [
            (QUERY.to_string(), self.query.clone()),
            (ENTITIES.to_string(), self.entities.clone()),
            (TIMESTAMP_COL.to_string(), self.timestamp_col.clone()),
            (COLUMNS.to_string(), self.columns.clone()),
        ]
    }
}

/// Entities and timestamp column of the metadata JSON, names resolved
/// (`"myEnt"` → `myEnt`); nulls when the JSON is unreadable.
fn read_metadata(json: &str) -> (Value, Value) {
    let Ok(Value::Object(metadata)) = serde_json::from_str::<Value>(json) else {
        return (Value::Null, Value::Null);
    };
    let resolve = |name: &str| {
        Ident::parse(name).map_or_else(|_| name.to_string(), |i| i.as_str().to_string())
    };
    let entities = match metadata.get("entities").and_then(Value::as_array) {
        Some(list) => json!(
            list.iter()
                .filter_map(Value::as_str)
                .map(resolve)
                .collect::<Vec<_>>()
        ),
        None => Value::Null,
    };
    let timestamp = match metadata.get("timestamp_col").and_then(Value::as_str) {
        Some(NO_TIMESTAMP | NO_TIMESTAMP_PLACEHOLDER) | None => Value::Null,
        Some(ts) => json!(resolve(ts)),
    };
    (entities, timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clustering_keys_are_read_as_resolved_names() {
        assert_eq!(
            cluster_keys("LINEAR(PUDO_ID, \"Day\", \"a,b\", to_date(ts))"),
            vec!["PUDO_ID", "Day", "a,b", "to_date(ts)"]
        );
        assert!(cluster_keys("").is_empty());
    }

    #[test]
    fn target_lags_are_canonical_and_downstream_shows_a_running_cron() {
        assert_eq!(live_refresh_freq("60 minutes", None), json!("1 hour"));
        let task = |state: &str| RefreshTask {
            schedule: Some("USING CRON 0 6 * * * UTC".into()),
            state: state.into(),
        };
        assert_eq!(
            live_refresh_freq("DOWNSTREAM", Some(&task("started"))),
            json!("0 6 * * * UTC")
        );
        assert_eq!(
            live_refresh_freq("DOWNSTREAM", Some(&task("suspended"))),
            json!("DOWNSTREAM")
        );
        assert_eq!(
            live_refresh_freq("1 day", Some(&task("started"))),
            json!("1 day")
        );
    }
}
