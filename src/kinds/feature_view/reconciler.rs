//! The reconciler's view of feature views: the view or dynamic table
//! `NAME$VERSION` of a feature-store schema, and the same-named refresh task
//! of a cron `refresh_freq`.
//!
//! floe writes the statement layout that every snowflake-ml-python client
//! from 1.5 to 2.6 reads: bare `TAG (`, the object tag with a type those
//! clients know and an old `pkg_version`, the minimal metadata JSON, and the
//! metadata tag last, so that the client's reader rule (see [`fs_text`])
//! finds the query right after it. Introspection reads the same `text`
//! column with that rule (query, entities, timestamp column, column list,
//! refresh mode, initialize) and takes from SHOW's other columns what ALTER
//! can change (target lag, warehouse, comment, clustering) plus the refresh
//! task's schedule from SHOW TASKS. Everything here is pure: SQL is
//! returned, never run.
//!
//! Each entity's tag (`SNOWML_FEATURE_STORE_ENTITY_<E> = 'K1,K2'`, the
//! entity's join keys, canonical attribute `entity_tags`) sits between the
//! object tag and the metadata tag: `list_feature_views(entity_name=...)`
//! finds feature views by it.

pub mod fs_text;
mod live;
mod tags;

use serde_json::Value;

use self::live::{read_row, refresh_tasks};
use super::declaration::RefreshFreq;
use crate::ident::{Ident, sql_string};
use crate::kinds::common::{
    FS_METADATA_TAG as METADATA_TAG, FS_OBJECT_TAG as OBJECT_TAG, text_attr as text,
};
use crate::kinds::entity::declaration::ENTITY_TAG_PREFIX;
use crate::kinds::reconciler::{Change, LiveObject, ParseError, Query, Reconciler, Scope};
use crate::kinds::schedule::Cron;
use crate::model::{Address, Attributes, KindName, Resource};
use crate::session::Rows;

use super::fields::{
    CLUSTER_BY, COLUMNS, DATABASE, DESCRIPTION, ENTITIES, ENTITY_TAGS, FEATURE_STORE_TAGS,
    FEATURE_VIEW, INITIALIZE, NAME, OBJECT, QUERY, REFRESH_FREQ, REFRESH_MODE, SCHEMA,
    TIMESTAMP_COL, VERSION, WAREHOUSE,
};

/// The client version floe claims in object tags: the oldest client that
/// reads this layout, so that no client warns that it is out of date.
const PKG_VERSION: &str = "1.5.4";
/// What the metadata JSON says when there is no timestamp column.
const NO_TIMESTAMP: &str = "NULL";
/// Another spelling of "no timestamp column" that clients write.
const NO_TIMESTAMP_PLACEHOLDER: &str = "FS_TIMESTAMP_COL_PLACEHOLDER_VAL";

const VIEW: &str = "VIEW";
const DYNAMIC_TABLE: &str = "DYNAMIC TABLE";
const REFRESH_MODES: &[&str] = &["AUTO", "FULL", "INCREMENTAL"];
const INITIALIZE_MODES: &[&str] = &["ON_CREATE", "ON_SCHEDULE"];

/// Fields that no ALTER changes: a difference in one of them replaces the
/// object. Checked in this order, so the reason names the first.
const REPLACED: &[&str] = &[
    DATABASE,
    SCHEMA,
    NAME,
    FEATURE_VIEW,
    VERSION,
    QUERY,
    ENTITIES,
    TIMESTAMP_COL,
    OBJECT,
    REFRESH_MODE,
    INITIALIZE,
    COLUMNS,
];

/// Fields that `ALTER ... SET TAG` brings back in line: the tags that the
/// feature store lists feature views by.
const TAG_FIELDS: &[&str] = &[ENTITY_TAGS, FEATURE_STORE_TAGS];

/// Feature views.
pub struct FeatureViewKind;

/// `ALTER VIEW | DYNAMIC TABLE x SET TAG ...`: the object tag, each entity
/// tag and the metadata tag, with the values CREATE sets.
fn set_tags_sql(names: &Names, attributes: &Attributes) -> String {
    let (keyword, object_type) = if is_dynamic_table(attributes) {
        (DYNAMIC_TABLE, "MANAGED_FEATURE_VIEW")
    } else {
        (VIEW, "EXTERNAL_FEATURE_VIEW")
    };
    let entity_tags = entity_tags_sql(names, attributes).replace(",\n", ", ");
    format!(
        "ALTER {keyword} {} SET TAG {} = {}, {}{} = {}",
        names.object(),
        names.in_schema(OBJECT_TAG),
        sql_string(&object_tag_value(object_type)),
        entity_tags,
        names.in_schema(METADATA_TAG),
        metadata_literal(&metadata_json(attributes)),
    )
}

fn strings<'a>(attributes: &'a Attributes, key: &str) -> Vec<&'a str> {
    attributes
        .get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn ident_sql(resolved: &str) -> String {
    Ident::from_resolved(resolved).to_sql()
}

fn is_dynamic_table(attributes: &Attributes) -> bool {
    text(attributes, OBJECT) == Some(DYNAMIC_TABLE)
}

fn refresh_freq(attributes: &Attributes) -> Option<RefreshFreq> {
    text(attributes, REFRESH_FREQ).and_then(|f| RefreshFreq::parse(f).ok())
}

/// One of `allowed`, or the first (Snowflake's default) for anything else,
/// so that no attribute value can reach the SQL as a keyword.
fn keyword(value: Option<&str>, allowed: &[&'static str]) -> &'static str {
    allowed
        .iter()
        .find(|k| Some(**k) == value)
        .copied()
        .unwrap_or(allowed[0])
}

/// The database, schema and object name of a feature view.
struct Names {
    database: String,
    schema: String,
    name: String,
}

impl Names {
    /// From the attributes' identifiers, never by splitting `fqn` (a quoted
    /// schema may hold a dot); `fqn` stands in for a missing name only.
    fn of(attributes: &Attributes, fqn: &str) -> Names {
        let pick = |key: &str| text(attributes, key).unwrap_or_default().to_string();
        Names {
            database: pick(DATABASE),
            schema: pick(SCHEMA),
            name: text(attributes, NAME).unwrap_or(fqn).to_string(),
        }
    }

    /// `DB.SCHEMA.<name>` in SQL.
    fn in_schema(&self, name: &str) -> String {
        format!(
            "{}.{}.{}",
            ident_sql(&self.database),
            ident_sql(&self.schema),
            ident_sql(name)
        )
    }

    /// The view, dynamic table or refresh task in SQL.
    fn object(&self) -> String {
        self.in_schema(&self.name)
    }
}

/// A JSON string with every `'` written `\u0027`, so that the JSON text
/// holds no single quote.
fn json_string(value: &str) -> String {
    Value::from(value).to_string().replace('\'', "\\u0027")
}

/// The metadata JSON every client reads: `{"entities": [...],
/// "timestamp_col": ...}` with names in SQL form (`CUSTOMER`, `"myEnt"`) and
/// Python's separators. Clients before 2.0 refuse any other key.
fn metadata_json(attributes: &Attributes) -> String {
    let entities: Vec<String> = strings(attributes, ENTITIES)
        .into_iter()
        .map(|e| json_string(&ident_sql(e)))
        .collect();
    let timestamp = text(attributes, TIMESTAMP_COL)
        .map(ident_sql)
        .unwrap_or_else(|| NO_TIMESTAMP.to_string());
    format!(
        "{{\"entities\": [{}], \"timestamp_col\": {}}}",
        entities.join(", "),
        json_string(&timestamp)
    )
}

/// The metadata literal: the JSON between single quotes, backslashes kept as
/// written, because the Python client `json.loads` the literal exactly as it
/// appears in `text`. It cannot end early: [`json_string`] leaves no `'`,
/// and every backslash of JSON text starts a two-character escape that is
/// never `\'`; the JSON ends with `}`, so no backslash precedes the closing
/// quote.
fn metadata_literal(json: &str) -> String {
    format!("'{json}'")
}

/// The object tag's value for `object_type`.
fn object_tag_value(object_type: &str) -> String {
    format!("{{\"type\": \"{object_type}\", \"pkg_version\": \"{PKG_VERSION}\"}}")
}

/// ` (A COMMENT 'x', B)`, or nothing when no columns are declared. This is
/// the feature store's layout (`_build_column_descs`): join keys and the
/// timestamp column bare, a comment only on features (validation refuses
/// one elsewhere), since `get_feature_view` reads every commented column of
/// DESC as a feature description and fails on any other column.
fn columns_sql(attributes: &Attributes) -> String {
    let Some(columns) = attributes.get(COLUMNS).and_then(Value::as_array) else {
        return String::new();
    };
    let items: Vec<String> = columns
        .iter()
        .filter_map(|c| {
            let name = ident_sql(c.get("name")?.as_str()?);
            Some(match c.get("comment").and_then(Value::as_str) {
                Some(comment) if !comment.is_empty() => {
                    format!("{name} COMMENT {}", sql_string(comment))
                }
                _ => name,
            })
        })
        .collect();
    if items.is_empty() {
        String::new()
    } else {
        format!(" ({})", items.join(", "))
    }
}

/// `<DB>.<FS>.SNOWML_FEATURE_STORE_ENTITY_<E> = 'K1,K2',` per entity, each on
/// its own line: how the feature store finds a feature view's entities
/// (`list_feature_views(entity_name=...)`), with the entity tag's allowed value.
fn entity_tags_sql(names: &Names, attributes: &Attributes) -> String {
    let Some(tags) = attributes.get(ENTITY_TAGS).and_then(Value::as_object) else {
        return String::new();
    };
    strings(attributes, ENTITIES)
        .into_iter()
        .filter_map(|entity| {
            let keys = tags.get(entity)?.as_str()?;
            let tag = Ident::from_resolved(ENTITY_TAG_PREFIX).concat(entity);
            Some(format!(
                "{} = {},\n",
                names.in_schema(tag.as_str()),
                sql_string(keys)
            ))
        })
        .collect()
}

/// `COMMENT = ...`, `TAG (...)` and `AS <query>`: the tail the reader rule
/// parses, object tag first and metadata tag last.
fn comment_tags_query(names: &Names, attributes: &Attributes, object_type: &str) -> String {
    format!(
        "COMMENT = {}\nTAG (\n{} = {},\n{}{} = {}\n)\nAS {}",
        sql_string(text(attributes, DESCRIPTION).unwrap_or("")),
        names.in_schema(OBJECT_TAG),
        sql_string(&object_tag_value(object_type)),
        entity_tags_sql(names, attributes),
        names.in_schema(METADATA_TAG),
        metadata_literal(&metadata_json(attributes)),
        text(attributes, QUERY).unwrap_or("")
    )
}

fn view_sql(names: &Names, attributes: &Attributes) -> String {
    format!(
        "CREATE VIEW {}{}\n{}",
        names.object(),
        columns_sql(attributes),
        comment_tags_query(names, attributes, "EXTERNAL_FEATURE_VIEW")
    )
}

fn dynamic_table_sql(names: &Names, attributes: &Attributes, lag: &str) -> String {
    let mut lines = vec![
        format!(
            "CREATE DYNAMIC TABLE {}{}",
            names.object(),
            columns_sql(attributes)
        ),
        format!("TARGET_LAG = {}", sql_string(lag)),
    ];
    if let Some(warehouse) = text(attributes, WAREHOUSE) {
        lines.push(format!("WAREHOUSE = {}", ident_sql(warehouse)));
    }
    lines.push(format!(
        "REFRESH_MODE = {}",
        keyword(text(attributes, REFRESH_MODE), REFRESH_MODES)
    ));
    lines.push(format!(
        "INITIALIZE = {}",
        keyword(text(attributes, INITIALIZE), INITIALIZE_MODES)
    ));
    if let Some(cluster) = cluster_by_sql(attributes) {
        lines.push(format!("CLUSTER BY ({cluster})"));
    }
    lines.push(comment_tags_query(
        names,
        attributes,
        "MANAGED_FEATURE_VIEW",
    ));
    lines.join("\n")
}

fn cluster_by_sql(attributes: &Attributes) -> Option<String> {
    let keys = strings(attributes, CLUSTER_BY);
    (!keys.is_empty()).then(|| {
        keys.into_iter()
            .map(ident_sql)
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The task that refreshes a DOWNSTREAM dynamic table on `cron`, tagged as
/// the feature store tags it, and resumed (tasks are created suspended).
fn refresh_task_sql(
    names: &Names,
    attributes: &Attributes,
    cron: &Cron,
    replace: bool,
) -> Vec<String> {
    let task = names.object();
    let mut create = format!(
        "CREATE{} TASK {task}",
        if replace { " OR REPLACE" } else { "" }
    );
    if let Some(warehouse) = text(attributes, WAREHOUSE) {
        create.push_str(&format!("\nWAREHOUSE = {}", ident_sql(warehouse)));
    }
    create.push_str(&format!(
        "\nSCHEDULE = {}\nAS ALTER DYNAMIC TABLE {task} REFRESH",
        sql_string(&cron.schedule_sql())
    ));
    vec![
        create,
        format!(
            "ALTER TASK {task} SET TAG {} = {}",
            names.in_schema(OBJECT_TAG),
            sql_string(&object_tag_value("FEATURE_VIEW_REFRESH_TASK"))
        ),
        format!("ALTER TASK {task} RESUME"),
    ]
}

/// The ALTERs that bring a dynamic table to `declared` for the fields in
/// `changed` (all alterable: target lag, refresh task, warehouse, comment,
/// clustering).
fn alter_dynamic_table(
    names: &Names,
    declared: &Attributes,
    current: &Attributes,
    changed: &[String],
) -> Vec<String> {
    let has = |field: &str| changed.iter().any(|c| c == field);
    let dt = names.object();
    let new = refresh_freq(declared);
    let old = refresh_freq(current);
    let mut sql = Vec::new();
    if has(REFRESH_FREQ) {
        let lag = new
            .as_ref()
            .map_or("DOWNSTREAM".to_string(), RefreshFreq::target_lag);
        if old.as_ref().map(RefreshFreq::target_lag) != Some(lag.clone()) {
            sql.push(format!(
                "ALTER DYNAMIC TABLE {dt} SET TARGET_LAG = {}",
                sql_string(&lag)
            ));
        }
    }
    let warehouse = text(declared, WAREHOUSE);
    if has(WAREHOUSE)
        && let Some(w) = warehouse
    {
        sql.push(format!(
            "ALTER DYNAMIC TABLE {dt} SET WAREHOUSE = {}",
            ident_sql(w)
        ));
    }
    if has(DESCRIPTION) {
        sql.push(format!(
            "ALTER DYNAMIC TABLE {dt} SET COMMENT = {}",
            sql_string(text(declared, DESCRIPTION).unwrap_or(""))
        ));
    }
    if has(CLUSTER_BY) {
        sql.push(match cluster_by_sql(declared) {
            Some(keys) => format!("ALTER DYNAMIC TABLE {dt} CLUSTER BY ({keys})"),
            None => format!("ALTER DYNAMIC TABLE {dt} DROP CLUSTERING KEY"),
        });
    }
    let old_lag_downstream = old.as_ref().is_none_or(|o| o.target_lag() == "DOWNSTREAM");
    let new_cron = new.as_ref().and_then(RefreshFreq::cron);
    let old_cron = old.as_ref().and_then(RefreshFreq::cron);
    match (new_cron, old_cron) {
        (Some(new_cron), Some(old_cron)) if has(REFRESH_FREQ) || has(WAREHOUSE) => {
            // Snowflake alters a task's schedule only while it is suspended.
            sql.push(format!("ALTER TASK {dt} SUSPEND"));
            if new_cron != old_cron {
                sql.push(format!(
                    "ALTER TASK {dt} SET SCHEDULE = {}",
                    sql_string(&new_cron.schedule_sql())
                ));
            }
            if has(WAREHOUSE)
                && let Some(w) = warehouse
            {
                sql.push(format!("ALTER TASK {dt} SET WAREHOUSE = {}", ident_sql(w)));
            }
            sql.push(format!("ALTER TASK {dt} RESUME"));
        }
        (Some(new_cron), None) => {
            // A suspended or stray task of this name may exist: it belongs
            // to this feature view, so it is replaced.
            sql.push(format!("ALTER TASK IF EXISTS {dt} SUSPEND"));
            sql.extend(refresh_task_sql(names, declared, new_cron, true));
        }
        // A cron's task, or a suspended one behind a DOWNSTREAM lag, goes.
        (None, _) if has(REFRESH_FREQ) && old_lag_downstream => {
            sql.push(format!("DROP TASK IF EXISTS {dt}"))
        }
        _ => {}
    }
    sql
}

impl Reconciler for FeatureViewKind {
    fn kind(&self) -> KindName {
        KindName::FeatureView
    }

    fn introspect(&self, scope: &Scope) -> Vec<Query> {
        let db = scope.database.to_sql();
        vec![
            Query::show(format!("SHOW VIEWS IN DATABASE {db}")),
            Query::show(format!("SHOW DYNAMIC TABLES IN DATABASE {db}")),
            Query::show(format!("SHOW TASKS IN DATABASE {db}")),
            Query::show(format!("SHOW TAGS IN DATABASE {db}")),
        ]
    }

    fn introspect_more(&self, scope: &Scope, first: &[Rows]) -> Vec<Query> {
        match first {
            [views, dynamic_tables, _, tags, ..] => {
                tags::lookups(scope, views, dynamic_tables, tags)
                    .into_iter()
                    .map(|(_, query)| query)
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    fn parse_live(&self, scope: &Scope, results: &[Rows]) -> Result<Vec<LiveObject>, ParseError> {
        let queries = self.introspect(scope);
        let error = |statement: &str, message: String| ParseError {
            kind: KindName::FeatureView,
            statement: statement.to_string(),
            message,
        };
        let [views, dynamic_tables, tasks, tag_rows, lookups @ ..] = results else {
            return Err(error(
                &queries[0].sql,
                "expected the results of four statements".into(),
            ));
        };
        let mut assigned = std::collections::BTreeMap::new();
        let expected = tags::lookups(scope, views, dynamic_tables, tag_rows);
        for ((schema, query), rows) in expected.iter().zip(lookups) {
            let read = tags::read_assigned(rows).map_err(|m| error(&query.sql, m))?;
            assigned.insert(schema.clone(), read);
        }
        let tasks = refresh_tasks(tasks).map_err(|m| error(&queries[2].sql, m))?;
        let mut out = Vec::new();
        for row in views.iter() {
            out.extend(
                read_row(scope, row, VIEW, &tasks, &assigned)
                    .map_err(|m| error(&queries[0].sql, m))?,
            );
        }
        for row in dynamic_tables.iter() {
            out.extend(
                read_row(scope, row, DYNAMIC_TABLE, &tasks, &assigned)
                    .map_err(|m| error(&queries[1].sql, m))?,
            );
        }
        Ok(out)
    }

    /// The tag value of each entity follows the join keys the entity really
    /// has: with `ignore_changes: [join_keys]` on the entity its tag keeps
    /// the live keys as its only allowed value, and a feature view tagged
    /// with the declared keys would be refused by it.
    fn follow(
        &self,
        declared: &mut Attributes,
        effective: &dyn Fn(&Address) -> Option<Attributes>,
    ) {
        let Some(Value::Object(tags)) = declared.get_mut(ENTITY_TAGS) else {
            return;
        };
        for (entity, value) in tags.iter_mut() {
            let address = Address::new(KindName::Entity, Ident::from_resolved(entity.as_str()));
            let keys = effective(&address).and_then(|a| {
                let keys: Vec<String> = a
                    .get("join_keys")?
                    .as_array()?
                    .iter()
                    .filter_map(|k| k.as_str().map(String::from))
                    .collect();
                (!keys.is_empty()).then(|| keys.join(","))
            });
            if let Some(keys) = keys {
                *value = Value::String(keys);
            }
        }
    }

    fn plan_change(&self, declared: &Resource, current: &Attributes, changed: &[String]) -> Change {
        if let Some(field) = REPLACED.iter().find(|f| changed.iter().any(|c| c == *f)) {
            return Change::Replace {
                reason: format!("{field} changed"),
            };
        }
        let a = &declared.attributes;
        let alterable: &[&str] = if is_dynamic_table(a) {
            &[REFRESH_FREQ, WAREHOUSE, DESCRIPTION, CLUSTER_BY]
        } else {
            &[DESCRIPTION]
        };
        let is_tag = |c: &String| TAG_FIELDS.contains(&c.as_str());
        if let Some(field) = changed
            .iter()
            .find(|c| !alterable.contains(&c.as_str()) && !is_tag(c))
        {
            return Change::Replace {
                reason: format!("{field} changed"),
            };
        }
        let names = Names::of(a, &declared.fqn);
        let others: Vec<String> = changed.iter().filter(|c| !is_tag(c)).cloned().collect();
        let mut sql = Vec::new();
        if changed.iter().any(is_tag) {
            sql.push(set_tags_sql(&names, a));
        }
        if is_dynamic_table(a) {
            if !others.is_empty() {
                sql.extend(alter_dynamic_table(&names, a, current, &others));
            }
        } else if !others.is_empty() {
            sql.push(format!(
                "ALTER VIEW {} SET COMMENT = {}",
                names.object(),
                sql_string(text(a, DESCRIPTION).unwrap_or(""))
            ));
        }
        Change::Update(sql)
    }

    fn create_sql(&self, resource: &Resource) -> Vec<String> {
        let a = &resource.attributes;
        let names = Names::of(a, &resource.fqn);
        if !is_dynamic_table(a) {
            return vec![view_sql(&names, a)];
        }
        let freq = refresh_freq(a);
        let lag = freq
            .as_ref()
            .map_or("DOWNSTREAM".to_string(), RefreshFreq::target_lag);
        let mut sql = vec![dynamic_table_sql(&names, a, &lag)];
        if let Some(cron) = freq.as_ref().and_then(RefreshFreq::cron) {
            // The refresh task outlives a dynamic table dropped on its own
            // (SHOW TASKS still lists it): its name is this feature view's,
            // so whatever task of that name is live is replaced, suspended
            // first as any change to a running task needs.
            sql.push(format!("ALTER TASK IF EXISTS {} SUSPEND", names.object()));
            sql.extend(refresh_task_sql(&names, a, cron, true));
        }
        sql
    }

    fn delete_sql(&self, _address: &Address, fqn: &str, attributes: &Attributes) -> Vec<String> {
        let object = Names::of(attributes, fqn).object();
        if is_dynamic_table(attributes) {
            vec![
                format!("DROP TASK IF EXISTS {object}"),
                format!("DROP DYNAMIC TABLE {object}"),
            ]
        } else {
            vec![format!("DROP VIEW {object}")]
        }
    }

    fn destroys_data(&self, attributes: &Attributes) -> bool {
        is_dynamic_table(attributes)
    }
}

#[cfg(test)]
mod tests;
