//! SHOW columns and cells: Snowflake's column names, order and value
//! formats for every kind the local account lists.

use super::Item;
use crate::local::ast::ShowKind;
use crate::local::catalog::size_display;
use crate::local::catalog::{Model, ModelVersion, Object, ObjectKey, QualifiedName};
use crate::local::session::SessionState;
use crate::local::time;
use crate::session::Rows;

pub(crate) use super::columns::columns;

const OWNER: &str = "ACCOUNTADMIN";

type Cells = Vec<Option<String>>;

/// Root task → its finalizer task, for `task_relations`.
pub(crate) type Finalizers = std::collections::BTreeMap<QualifiedName, QualifiedName>;

/// The finalizers among `items`, by the root they finalize.
pub(crate) fn finalizers(items: &[Item]) -> Finalizers {
    items
        .iter()
        .filter_map(|item| match item {
            Item::Object(k, Object::Task(t)) => Some((t.finalize.clone()?, k.qualified())),
            _ => None,
        })
        .collect()
}

fn s(v: impl Into<String>) -> Option<String> {
    Some(v.into())
}

fn ts(ms: u64) -> Option<String> {
    Some(time::format(ms))
}

fn yn(b: bool) -> Option<String> {
    s(if b { "Y" } else { "N" })
}

fn tf(b: bool) -> Option<String> {
    s(if b { "true" } else { "false" })
}

fn cluster_by(exprs: &[String]) -> Option<String> {
    if exprs.is_empty() {
        s("")
    } else {
        s(format!("LINEAR({})", exprs.join(", ")))
    }
}

/// Renders the listed items as SHOW's result set.
pub(crate) fn render(
    kind: ShowKind,
    terse: bool,
    session: &SessionState,
    items: &[Item],
    finalizers: &Finalizers,
) -> Rows {
    let mut columns = columns(kind, terse);
    let mut rows: Vec<Cells> = items
        .iter()
        .map(|item| {
            let full = match item {
                Item::Object(k, Object::DynamicTable(d)) if kind == ShowKind::Tables => {
                    dynamic_table_as_table(k, d)
                }
                _ => full_row(session, item, finalizers),
            };
            if terse && columns.len() < full.len() {
                terse_row(kind, item, &full)
            } else {
                full
            }
        })
        .collect();
    if kind == ShowKind::Versions && shows_model_details(session) {
        columns.push(crate::session::Column::new(
            "model_spec",
            crate::session::ColumnType::Text,
        ));
        for row in &mut rows {
            row.push(s(MODEL_SPEC));
        }
    }
    Rows {
        columns,
        rows,
        query_id: None,
    }
}

/// The session parameter that adds `model_spec` to SHOW VERSIONS IN MODEL.
const MODEL_DETAILS_PARAMETER: &str = "SHOW_MODEL_DETAILS_IN_SHOW_VERSIONS_IN_MODEL";

fn shows_model_details(session: &SessionState) -> bool {
    session
        .parameters
        .get(MODEL_DETAILS_PARAMETER)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The `model_spec` of every version. Snowflake answers the specification
/// of the version's model package; the local account has no packages, so
/// it answers the smallest document snowflake-ml-python's parser accepts
/// for a version it can reference: specification version 2.0, no model
/// blobs, and one warehouse function `predict` taking and returning no
/// columns, the function SHOW FUNCTIONS IN MODEL lists as `PREDICT`
/// (the client refuses a version whose functions it cannot match to the
/// specification). Running it is not emulated.
pub(crate) const MODEL_SPEC: &str = r#"{"version": "2.0", "model": {"details": {"models": {}}}, "serving": {"functions": {"predict": {"signature": {"inputs": [], "outputs": []}}}}}"#;

/// The one function every model version lists (see [`MODEL_SPEC`]): the
/// cells of SHOW FUNCTIONS IN MODEL ... VERSION, in its column order.
pub(crate) fn model_function_row(schema: &str, created_on: u64) -> Cells {
    vec![
        ts(created_on),
        s("PREDICT"),
        s(schema),
        s("0"),
        s("0"),
        s("PREDICT() RETURN OBJECT"),
        s("user-defined function"),
        s("PYTHON"),
        s("OBJECT"),
    ]
}

fn terse_row(kind: ShowKind, item: &Item, full: &Cells) -> Cells {
    let (db, schema) = match item {
        Item::Object(k, _) => (s(k.database.as_str()), s(k.schema.as_str())),
        Item::Schema(d, _) => (s(d.as_str()), None),
        _ => (None, None),
    };
    let kind_word = match item {
        Item::Object(_, o) => s(o.type_name()),
        _ => None,
    };
    let mut row = vec![full[0].clone(), full[1].clone(), kind_word, db, schema];
    if kind == ShowKind::Tasks
        && let Item::Object(_, Object::Task(t)) = item
    {
        row.push(t.schedule.clone());
    }
    row
}

fn full_row(session: &SessionState, item: &Item, finalizers: &Finalizers) -> Cells {
    match item {
        Item::Database(d) => vec![
            ts(d.created_on),
            s(d.name.as_str()),
            yn(false),
            yn(session.database.as_ref() == Some(&d.name)),
            s(""),
            s(OWNER),
            s(d.comment.clone().unwrap_or_default()),
            s(""),
            s("1"),
            s("STANDARD"),
            None,
            s("ROLE"),
        ],
        Item::Schema(db, Some(sc)) => vec![
            ts(sc.created_on),
            s(sc.name.as_str()),
            yn(false),
            yn(session.database.as_ref() == Some(db) && session.schema.as_ref() == Some(&sc.name)),
            s(db.as_str()),
            s(OWNER),
            s(sc.comment.clone().unwrap_or_default()),
            s(if sc.managed_access {
                "MANAGED ACCESS"
            } else {
                ""
            }),
            s("1"),
            s("ROLE"),
            None,
        ],
        Item::Schema(db, None) => vec![
            ts(0),
            s("INFORMATION_SCHEMA"),
            yn(false),
            yn(false),
            s(db.as_str()),
            s(""),
            s("Views describing the contents of schemas in this database"),
            s(""),
            s("1"),
            s(""),
            None,
        ],
        Item::Warehouse(w) => warehouse_row(session, w),
        Item::Object(k, o) => object_row(k, o, finalizers),
        Item::Version(q, m, v) => version_row(q, m, v),
    }
}

fn warehouse_row(session: &SessionState, w: &crate::local::catalog::Warehouse) -> Cells {
    let started = w.state == "STARTED";
    let clusters = if started { w.min_cluster_count } else { 0 };
    let pct = |v: &str| s(if started { v } else { "" });
    let constraint = w
        .resource_constraint
        .clone()
        .or_else(|| match w.warehouse_type.as_str() {
            "SNOWPARK-OPTIMIZED" => Some("MEMORY_16X".into()),
            "STANDARD" if w.generation.as_deref() == Some("2") => Some("STANDARD_GEN_2".into()),
            "STANDARD" => Some("STANDARD_GEN_1".into()),
            _ => None,
        });
    vec![
        s(w.name.as_str()),
        s(&w.state),
        s(&w.warehouse_type),
        s(size_display(&w.size)),
        s(w.min_cluster_count.to_string()),
        s(w.max_cluster_count.to_string()),
        s(clusters.to_string()),
        s("0"),
        s("0"),
        yn(false),
        yn(session.warehouse.as_ref() == Some(&w.name)),
        w.auto_suspend.map(|a| a.to_string()),
        tf(w.auto_resume),
        pct("100"),
        pct("0"),
        pct("0"),
        pct("0"),
        ts(w.created_on),
        ts(w.resumed_on),
        ts(w.updated_on),
        s(OWNER),
        s(w.comment.clone().unwrap_or_default()),
        tf(w.enable_query_acceleration),
        s(w.query_acceleration_max_scale_factor.to_string()),
        s(w.resource_monitor
            .as_ref()
            .map_or("null".to_string(), |m| m.to_string())),
        s(clusters.to_string()),
        s("0"),
        s("0"),
        s(if started { "0" } else { "1" }),
        s(format!("{:016x}", w.created_on)),
        s(&w.scaling_policy),
        None,
        s("ROLE"),
        constraint,
    ]
}

fn object_row(k: &ObjectKey, o: &Object, finalizers: &Finalizers) -> Cells {
    let (db, sc) = (s(k.database.as_str()), s(k.schema.as_str()));
    match o {
        Object::Tag(t) => vec![
            ts(t.created_on),
            s(t.name.as_str()),
            db,
            sc,
            s(OWNER),
            s(t.comment.clone().unwrap_or_default()),
            t.allowed_values
                .as_ref()
                .map(|v| serde_json::Value::from(v.clone()).to_string()),
            s("ROLE"),
        ],
        Object::Table(t) => vec![
            ts(t.created_on),
            s(t.name.as_str()),
            db,
            sc,
            s("TABLE"),
            s(t.comment.clone().unwrap_or_default()),
            cluster_by(&t.cluster_by),
            s(t.data.len().to_string()),
            s("0"),
            s(OWNER),
            s("1"),
            s(if t.cluster_by.is_empty() { "OFF" } else { "ON" }),
            s("OFF"),
            s("OFF"),
            None,
            None,
            s("N"),
            s("N"),
            s("ROLE"),
            s("N"),
            None,
            s("N"),
            s("N"),
            s("N"),
            s("N"),
        ],
        Object::View(v) => vec![
            ts(v.created_on),
            s(v.name.as_str()),
            s(""),
            db,
            sc,
            s(OWNER),
            s(v.comment.clone().unwrap_or_default()),
            s(&v.text),
            tf(v.secure),
            s("false"),
            s("ROLE"),
            s("OFF"),
        ],
        Object::DynamicTable(d) => dynamic_table_row(k, d),
        Object::Task(t) => task_row(k, t, finalizers.get(&k.qualified())),
        Object::Model(m) => model_row(k, m),
    }
}

/// A SHOW TABLES row for a dynamic table (SHOW TABLES lists them too).
fn dynamic_table_as_table(k: &ObjectKey, d: &crate::local::catalog::DynamicTable) -> Cells {
    vec![
        ts(d.created_on),
        s(d.name.as_str()),
        s(k.database.as_str()),
        s(k.schema.as_str()),
        s("TABLE"),
        s(d.comment.clone().unwrap_or_default()),
        cluster_by(&d.cluster_by),
        s("0"),
        s("0"),
        s(OWNER),
        s("1"),
        s(if d.cluster_by.is_empty() { "OFF" } else { "ON" }),
        s("OFF"),
        s("OFF"),
        None,
        None,
        s("N"),
        s("N"),
        s("ROLE"),
        s("N"),
        None,
        s("N"),
        s("N"),
        s("Y"),
        s("N"),
    ]
}

fn dynamic_table_row(k: &ObjectKey, d: &crate::local::catalog::DynamicTable) -> Cells {
    vec![
        ts(d.created_on),
        s(d.name.as_str()),
        s(""),
        s(k.database.as_str()),
        s(k.schema.as_str()),
        cluster_by(&d.cluster_by),
        s("0"),
        s("0"),
        s(OWNER),
        s(&d.target_lag),
        s(&d.refresh_mode),
        None,
        s(d.warehouse.as_str()),
        s(d.comment.clone().unwrap_or_default()),
        s(&d.text),
        s(if d.cluster_by.is_empty() { "OFF" } else { "ON" }),
        s(&d.scheduling_state),
        d.last_suspended_on.and_then(ts),
        s("false"),
        s("false"),
        ts(d.created_on),
        s("ROLE"),
        d.initialization_warehouse.as_ref().map(|w| w.to_string()),
    ]
}

/// A SHOW TASKS row; `finalizer` is the finalizer task of a root task.
fn task_row(
    k: &ObjectKey,
    t: &crate::local::catalog::Task,
    finalizer: Option<&QualifiedName>,
) -> Cells {
    let preds: Vec<String> = t.predecessors.iter().map(|p| p.quoted()).collect();
    let pretty = serde_json::to_string_pretty(&preds).unwrap_or_else(|_| "[]".into());
    let mut relations = serde_json::json!({ "Predecessors": preds });
    if let Some(f) = finalizer {
        relations["FinalizerTask"] = f.quoted().into();
    }
    if let Some(root) = &t.finalize {
        relations["FinalizedRootTask"] = root.quoted().into();
    }
    vec![
        ts(t.created_on),
        s(t.name.as_str()),
        s(&t.id),
        s(k.database.as_str()),
        s(k.schema.as_str()),
        s(OWNER),
        t.comment.clone(),
        s(t.warehouse
            .as_ref()
            .map_or("null".to_string(), |w| w.to_string())),
        t.schedule.clone(),
        s(pretty),
        s(&t.state),
        s(&t.definition),
        t.condition.clone(),
        tf(t.allow_overlapping_execution),
        s(t.error_integration
            .as_ref()
            .map_or("null".to_string(), |i| i.to_string())),
        t.last_committed_on.and_then(ts),
        t.last_suspended_on.and_then(ts),
        s("ROLE"),
        t.config.clone(),
        None,
        s(relations.to_string()),
        t.last_suspended_on.map(|_| "USER_SUSPENDED".to_string()),
    ]
}

/// The model's aliases: system aliases first, then user aliases.
pub(crate) fn model_aliases(m: &Model) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    map.insert("DEFAULT".into(), m.default_version.to_string().into());
    if let (Some(first), Some(last)) = (m.versions.first(), m.versions.last()) {
        map.insert("FIRST".into(), first.name.to_string().into());
        map.insert("LAST".into(), last.name.to_string().into());
    }
    for v in &m.versions {
        if let Some(alias) = &v.alias {
            map.insert(alias.to_string(), v.name.to_string().into());
        }
    }
    map
}

fn model_row(k: &ObjectKey, m: &Model) -> Cells {
    let versions: Vec<String> = m.versions.iter().map(|v| v.name.to_string()).collect();
    vec![
        ts(m.created_on),
        s(m.name.as_str()),
        s("USER_MODEL"),
        s(k.database.as_str()),
        s(k.schema.as_str()),
        m.comment.clone(),
        s(OWNER),
        s(m.default_version.as_str()),
        s(serde_json::Value::from(versions).to_string()),
        s(serde_json::Value::Object(model_aliases(m)).to_string()),
    ]
}

fn version_row(q: &crate::local::catalog::QualifiedName, m: &Model, v: &ModelVersion) -> Cells {
    let aliases: Vec<String> = model_aliases(m)
        .into_iter()
        .filter(|(_, version)| version.as_str() == Some(v.name.as_str()))
        .map(|(alias, _)| alias)
        .collect();
    vec![
        ts(v.created_on),
        s(v.name.as_str()),
        s(serde_json::Value::from(aliases).to_string()),
        v.comment.clone(),
        s(q.database.as_str()),
        s(q.schema.as_str()),
        s(q.name.as_str()),
        tf(v.name == m.default_version),
        s("[]"),
        s(v.metadata.clone().unwrap_or_else(|| "{}".into())),
        s("{}"),
        s("{}"),
        None,
        None,
        s("[\"WAREHOUSE\"]"),
        s("[]"),
    ]
}
