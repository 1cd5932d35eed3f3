//! Task graphs: a root with a schedule and config, children with `after`
//! and `when`, and a finalizer when [`crate::Open::finalizer`] is on.

use std::any::Any;

use proptest::prelude::*;

use crate::account::*;
use crate::feature_store::*;
use crate::project::*;
use crate::text::*;
use crate::*;

#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) name: String,
    /// The schema as written in YAML.
    pub(crate) schema: &'static str,
    /// Predecessors' names (empty: the root).
    pub(crate) after: Vec<String>,
    /// The root this task finalizes.
    pub(crate) finalize: Option<String>,
    pub(crate) warehouse: Option<String>,
    pub(crate) schedule: Option<String>,
    pub(crate) when: Option<String>,
    pub(crate) sql: String,
    pub(crate) config: Option<String>,
    pub(crate) comment: Option<String>,
    pub(crate) timeout_ms: Option<String>,
    pub(crate) suspend_after_failures: Option<String>,
    pub(crate) allow_overlapping_execution: Option<String>,
    pub(crate) enabled: Option<String>,
    pub(crate) depends_on: Option<String>,
}
fields!(Task: warehouse, schedule, when, sql, config, comment, timeout_ms,
    suspend_after_failures, allow_overlapping_execution, enabled, depends_on);

pub(crate) const TASK_SQL: &[&str] = &[
    "SELECT 1",
    "\"SELECT 'it''s $$ done'\"",
    "CALL SYSTEM$WAIT(1);",
    "|\n  INSERT INTO TEST_DB.RAW.EVENTS (ID, AMOUNT)\n  VALUES ('task', 1.5)\n",
    "|\n  EXECUTE IMMEDIATE $$\n  BEGIN\n      RETURN 'ok';\n  END;\n  $$\n",
];

pub(crate) const TASK_SCHEDULES: &[&str] = &[
    "1 minute",
    "5 minutes",
    "60 minutes",
    "120 MINUTE",
    "3600 seconds",
    "2 hours",
    "1 day",
    "15m",
];

pub(crate) fn task(
    name: String,
    after: Vec<String>,
    shape: &Shape,
    open: Open,
) -> BoxedStrategy<Task> {
    let app_schema = shape.app_schema;
    let root = after.is_empty();
    let schedule = if root {
        prop_oneof![
            (prop::sample::select(TASK_SCHEDULES), any::<u8>())
                .prop_map(|(s, st)| Some(scalar(s, st))),
            (prop::sample::select(CRONS), any::<u8>()).prop_map(|(s, st)| Some(scalar(s, st))),
        ]
        .boxed()
    } else {
        Just(None).boxed()
    };
    let when = match after.first() {
        Some(first) => prop::option::of(Just(format!(
            "\"SYSTEM$GET_PREDECESSOR_RETURN_VALUE('{}') = 'ok'\"",
            bare(first)
        )))
        .boxed(),
        None => Just(None).boxed(),
    };
    let config = if root {
        prop::option::of(json_map(open)).boxed()
    } else {
        Just(None).boxed()
    };
    let overlapping = if root {
        pick(BOOLS).boxed()
    } else {
        Just(None).boxed()
    };
    (
        prop::option::of(warehouse_ref(shape)),
        schedule,
        when,
        prop::sample::select(TASK_SQL),
        config,
        text_field(),
        pick(&["60000", "3600000", "86400000"]),
        pick(&["0", "1", "10"]),
        overlapping,
        pick(BOOLS),
        pick(&["[warehouse.WH_A]", "[\"schema.FS\", warehouse.wh_a]"]),
    )
        .prop_map(move |(w, sch, when, sql, cfg, c, t, s, o, e, d)| Task {
            schema: app_schema,
            name: name.clone(),
            after: after.clone(),
            finalize: None,
            warehouse: w,
            schedule: sch,
            when,
            sql: sql.to_string(),
            config: cfg,
            comment: c,
            timeout_ms: t,
            suspend_after_failures: s,
            allow_overlapping_execution: o,
            enabled: e,
            depends_on: d,
        })
        .boxed()
}

impl Task {
    pub(crate) fn yaml(&self) -> String {
        let mut s = format!("kind: Task\nname: {}\nschema: {}\n", self.name, self.schema);
        if !self.after.is_empty() {
            s.push_str(&format!("after: [{}]\n", self.after.join(", ")));
        }
        line(&mut s, "finalize", &self.finalize);
        line(&mut s, "warehouse", &self.warehouse);
        line(&mut s, "schedule", &self.schedule);
        line(&mut s, "when", &self.when);
        s.push_str(&format!("sql: {}\n", self.sql.trim_end()));
        line(&mut s, "config", &self.config);
        line(&mut s, "comment", &self.comment);
        line(&mut s, "timeout_ms", &self.timeout_ms);
        line(
            &mut s,
            "suspend_after_failures",
            &self.suspend_after_failures,
        );
        line(
            &mut s,
            "allow_overlapping_execution",
            &self.allow_overlapping_execution,
        );
        line(&mut s, "enabled", &self.enabled);
        line(&mut s, "depends_on", &self.depends_on);
        s
    }

    pub(crate) fn enabled(&self) -> bool {
        self.enabled.as_deref() != Some("false")
    }
}

pub(crate) fn tasks(shape: &Shape, open: Open) -> BoxedStrategy<Vec<Task>> {
    let name = |i: usize| match i {
        0 => shape.name("ROOT").to_string(),
        i => shape
            .name(["STEP_1", "STEP_2", "STEP_3"][i - 1])
            .to_string(),
    };
    let mut all = vec![task(name(0), Vec::new(), shape, open)];
    for (i, after) in shape.children.iter().enumerate() {
        let after = after.iter().map(|&a| name(a)).collect();
        all.push(task(name(i + 1), after, shape, open));
    }
    if shape.finalizer {
        let root = name(0);
        all.push(
            task("FINALIZER".to_string(), Vec::new(), shape, open)
                .prop_map(move |mut t| {
                    t.finalize = Some(root.clone());
                    t.schedule = None;
                    t.config = None;
                    t.allow_overlapping_execution = None;
                    t
                })
                .boxed(),
        );
    }
    all.boxed()
}
