//! Changes a colleague makes in the account behind floe's back, each to
//! something the project declares.

use crate::feature_store::*;
use crate::models::*;
use crate::project::*;
use crate::tasks::*;
use crate::text::*;
use crate::*;

/// A change a colleague makes in the account: statements run in order, on
/// one declared object (`target`), changing something declared.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) target: String,
    pub(crate) sql: Vec<String>,
    /// One of the [`Open`] changes.
    pub(crate) open: bool,
}

impl Change {
    /// Whether the change drops an object (a schema takes its content with it).
    pub(crate) fn drops(&self) -> bool {
        self.sql.iter().any(|s| s.starts_with("DROP "))
    }
}

fn change(target: &str, sql: String) -> Change {
    Change {
        target: target.to_string(),
        sql: vec![sql],
        open: false,
    }
}

pub(crate) fn open_change(target: &str, sql: String) -> Change {
    Change {
        open: true,
        ..change(target, sql)
    }
}

/// Every out-of-band change that applies to the resources `r`.
pub(crate) fn out_of_band_changes(r: &Resources, open: Open) -> Vec<Change> {
    let mut changes = Vec::new();
    let comment = format!("COMMENT = '{OUT_OF_BAND}'");
    for s in &r.schemas {
        let schema = format!("TEST_DB.{}", sql_name(s.name));
        changes.push(change(
            s.name,
            format!("ALTER SCHEMA {schema} SET {comment}"),
        ));
        if s.feature_store {
            for tag in [
                "SNOWML_FEATURE_STORE_OBJECT",
                "SNOWML_FEATURE_VIEW_METADATA",
            ] {
                changes.push(change(s.name, format!("DROP TAG {schema}.{tag}")));
            }
        } else {
            // Takes the tasks and the model with it.
            changes.push(change(s.name, format!("DROP SCHEMA {schema}")));
        }
    }
    for w in &r.warehouses {
        let name = w.sql_name();
        for set in [
            "WAREHOUSE_SIZE = X6LARGE",
            "AUTO_SUSPEND = 7777",
            "MAX_CLUSTER_COUNT = 7",
            "QUERY_ACCELERATION_MAX_SCALE_FACTOR = 77",
            &comment,
        ] {
            changes.push(change(&name, format!("ALTER WAREHOUSE {name} SET {set}")));
        }
        changes.push(change(&name, format!("DROP WAREHOUSE {name}")));
    }
    for e in &r.entities {
        let tag = entity_tag(e);
        changes.push(change(e.name, format!("ALTER TAG {tag} SET {comment}")));
        changes.push(change(e.name, format!("DROP TAG {tag}")));
        if e.description.is_some() {
            changes.push(change(e.name, format!("ALTER TAG {tag} UNSET COMMENT")));
        }
    }
    for f in &r.feature_views {
        feature_view_changes(f, &entity_tag(&r.entities[0]), open, &mut changes);
    }
    if let Some(m) = &r.model {
        model_changes(m, &mut changes);
    }
    task_changes(&r.tasks, open, &mut changes);
    changes
}

/// The entity's tag, fully qualified.
fn entity_tag(e: &Entity) -> String {
    let tag = format!("SNOWML_FEATURE_STORE_ENTITY_{}", bare(e.name));
    match e.name.contains('"') {
        true => format!("TEST_DB.FS.\"{tag}\""),
        false => format!("TEST_DB.FS.{}", tag.to_ascii_uppercase()),
    }
}

fn feature_view_changes(f: &FeatureView, tag: &str, open: Open, changes: &mut Vec<Change>) {
    let object = f.object();
    let (kind, cron) = match &f.refresh {
        Refresh::View => ("VIEW", false),
        Refresh::Dynamic { cron, .. } => ("DYNAMIC TABLE", *cron),
    };
    if cron && open.drop_cron_feature_view {
        changes.push(open_change(f.name, format!("DROP {kind} {object}")));
    }
    if open.unset_feature_view_tag {
        let sql = format!("ALTER {kind} {object} UNSET TAG {tag}");
        changes.push(open_change(f.name, sql));
    }
    let mut add = |sql: String| changes.push(change(f.name, sql));
    if !cron {
        add(format!("DROP {kind} {object}"));
    }
    add(format!(
        "ALTER {kind} {object} SET COMMENT = '{OUT_OF_BAND}'"
    ));
    if let Refresh::Dynamic {
        cron: false,
        warehouse,
        ..
    } = &f.refresh
    {
        add(format!(
            "ALTER DYNAMIC TABLE {object} SET TARGET_LAG = '13 minutes'"
        ));
        let other = match warehouse.as_str() {
            "WH_A" | "wh_a" => "OTHER_WH",
            _ => "WH_A",
        };
        if other == "WH_A" {
            add(format!("ALTER DYNAMIC TABLE {object} SET WAREHOUSE = WH_A"));
        }
    }
}

pub(crate) fn model_changes(m: &Model, changes: &mut Vec<Change>) {
    let model = format!("TEST_DB.{}.MODEL_A", sql_name(m.schema));
    let mut add = |sql: String| changes.push(change("MODEL_A", sql));
    add(format!("ALTER MODEL {model} SET COMMENT = '{OUT_OF_BAND}'"));
    add(format!(
        "ALTER MODEL {model} MODIFY VERSION V1 SET COMMENT = '{OUT_OF_BAND}'"
    ));
    add(format!(
        "ALTER MODEL {model} MODIFY VERSION V1 SET METADATA = '{{\"metrics\": {{\"out_of_band\": 1}}, \"snowpark_ml_schema_version\": \"2024-01-01\"}}'"
    ));
    let aliased = m.champion == Some(0) || m.versions[0].aliases.is_some();
    if aliased {
        add(format!("ALTER MODEL {model} VERSION V1 UNSET ALIAS"));
    } else {
        add(format!(
            "ALTER MODEL {model} VERSION V1 SET ALIAS = OUT_OF_BAND"
        ));
    }
    add(format!("DROP MODEL {model}"));
    if m.versions.len() > 1 {
        let other = (m.default_index() + 1) % m.versions.len();
        add(format!(
            "ALTER MODEL {model} SET DEFAULT_VERSION = V{}",
            other + 1
        ));
        add(format!("ALTER MODEL {model} DROP VERSION V{}", other + 1));
    }
}

pub(crate) fn task_changes(tasks: &[Task], open: Open, changes: &mut Vec<Change>) {
    let fqn = |t: &Task| format!("TEST_DB.{}.{}", sql_name(t.schema), sql_name(&t.name));
    let Some(root) = tasks.first() else { return };
    // A graph changes only under a suspended root, and a task of a graph only
    // while it is suspended itself; a colleague resumes both after, children
    // before roots.
    let under_root = |t: &Task, sql: String| {
        let is_root = t.name == root.name;
        let alters_it = sql.starts_with("ALTER TASK") && !sql.ends_with(" SUSPEND");
        let suspend_self = !is_root && t.enabled() && alters_it;
        let mut statements = Vec::new();
        if root.enabled() {
            statements.push(format!("ALTER TASK {} SUSPEND", fqn(root)));
        }
        if suspend_self {
            statements.push(format!("ALTER TASK {} SUSPEND", fqn(t)));
        }
        statements.push(sql);
        if suspend_self {
            statements.push(format!("ALTER TASK {} RESUME", fqn(t)));
        }
        if root.enabled() {
            statements.push(format!("ALTER TASK {} RESUME", fqn(root)));
        }
        Change {
            target: t.name.clone(),
            open: false,
            sql: statements,
        }
    };
    for t in tasks {
        let task = fqn(t);
        if t.enabled() {
            let suspend = format!("ALTER TASK {task} SUSPEND");
            changes.push(if t.after.is_empty() {
                change(&t.name, suspend)
            } else {
                under_root(t, suspend)
            });
        }
        let mut sets = vec![
            format!("SET COMMENT = '{OUT_OF_BAND}'"),
            format!("MODIFY AS SELECT '{OUT_OF_BAND}'"),
            match t.warehouse {
                Some(_) => "UNSET WAREHOUSE".to_string(),
                None => "SET WAREHOUSE = WH_A".to_string(),
            },
        ];
        if t.after.is_empty() && t.finalize.is_none() {
            sets.push("SET SCHEDULE = '7 MINUTES'".to_string());
            sets.push("SET CONFIG = $${\"out_of_band\": 1}$$".to_string());
        }
        if open.task_parameters_out_of_band {
            for set in [
                "SET USER_TASK_TIMEOUT_MS = 7777",
                "SET SUSPEND_TASK_AFTER_NUM_FAILURES = 77",
            ] {
                let sql = format!("ALTER TASK {task} {set}");
                changes.push(Change {
                    open: true,
                    ..under_root(t, sql)
                });
            }
        }
        if let Some(first) = t.after.first() {
            sets.push(match t.when {
                Some(_) => "REMOVE WHEN".to_string(),
                None => {
                    format!(
                        "MODIFY WHEN SYSTEM$GET_PREDECESSOR_RETURN_VALUE('{}') = 'nope'",
                        bare(first)
                    )
                }
            });
            if t.after.len() > 1 {
                sets.push(format!(
                    "REMOVE AFTER TEST_DB.{}.{}",
                    sql_name(t.schema),
                    sql_name(first)
                ));
            }
        }
        for set in sets {
            changes.push(under_root(t, format!("ALTER TASK {task} {set}")));
        }
    }
    let leaves = tasks
        .iter()
        .skip(1)
        .filter(|t| !tasks.iter().any(|c| c.after.contains(&t.name)));
    for leaf in leaves {
        changes.push(under_root(leaf, format!("DROP TASK {}", fqn(leaf))));
    }
}
