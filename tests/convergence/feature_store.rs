//! Feature-store entities and feature views.

use std::any::Any;

use proptest::prelude::*;

use crate::account::*;
use crate::project::*;
use crate::text::*;
use crate::*;

#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub(crate) name: &'static str,
    pub(crate) join_keys: String,
    pub(crate) description: Option<String>,
    pub(crate) lifecycle: Option<String>,
}
fields!(Entity: join_keys, description, lifecycle);

pub(crate) fn entity(
    name: &'static str,
    keys: &'static [&'static str],
    open: Open,
) -> impl Strategy<Value = Entity> {
    let lifecycle = match open.ignore_join_keys {
        true => pick(&["{ignore_changes: [join_keys]}"]).boxed(),
        false => Just(None).boxed(),
    };
    (prop::sample::select(keys), text_field(), lifecycle).prop_map(move |(k, d, l)| Entity {
        name,
        join_keys: k.to_string(),
        description: d,
        lifecycle: l,
    })
}

impl Entity {
    pub(crate) fn yaml(&self) -> String {
        let mut s = format!(
            "kind: Entity\nname: {}\nschema: FS\njoin_keys: {}\n",
            self.name, self.join_keys
        );
        line(&mut s, "description", &self.description);
        line(&mut s, "lifecycle", &self.lifecycle);
        s
    }
}

// ---------------------------------------------------------------- feature views

#[derive(Debug, Clone)]
pub(crate) enum Refresh {
    /// A view.
    View,
    /// A dynamic table: `refresh_freq`, warehouse, refresh_mode, initialize, cluster_by.
    Dynamic {
        freq: String,
        cron: bool,
        warehouse: String,
        mode: Option<String>,
        initialize: Option<String>,
        cluster_by: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct FeatureView {
    pub(crate) name: &'static str,
    pub(crate) version: String,
    pub(crate) entities: String,
    pub(crate) timestamp_col: Option<String>,
    pub(crate) query: String,
    pub(crate) refresh: Refresh,
    pub(crate) description: Option<String>,
    pub(crate) columns: Option<String>,
}
fields!(FeatureView: version, entities, timestamp_col, query, refresh, description, columns);

pub(crate) const QUERIES: &[&str] = &[
    "\"SELECT ID, DAY, CARRIER, AMOUNT, UPDATED_AT FROM TEST_DB.RAW.EVENTS\"",
    "|\n  select id, day, carrier, amount, updated_at\n  from test_db.raw.events\n  where amount > 0\n",
    "|\n  SELECT ID, DAY, CARRIER, AMOUNT, UPDATED_AT\n  FROM TEST_DB.RAW.EVENTS\n  WHERE CARRIER <> 'it''s';\n",
    "|\n  SELECT ID, DAY, CARRIER, SUM(AMOUNT) AS AMOUNT, MAX(UPDATED_AT) AS UPDATED_AT\n  FROM TEST_DB.RAW.EVENTS\n  GROUP BY ID, DAY, CARRIER\n",
    "'SELECT e.ID, e.DAY, e.CARRIER, e.AMOUNT, e.UPDATED_AT FROM TEST_DB.RAW.EVENTS e WHERE e.DAY IS NOT NULL'",
];

pub(crate) const DURATIONS: &[&str] = &[
    "1 minute",
    "5 minutes",
    "90 seconds",
    "60 seconds",
    "3600 seconds",
    "2 hours",
    "12 HOURS",
    "1 hour",
    "1 day",
    "2 days",
    "30 min",
    "45m",
    "1h",
    "1 d",
];

pub(crate) const CRONS: &[&str] = &[
    "0 3 * * * UTC",
    "*/15 * * * * Europe/Paris",
    "0 6 * * 1-5 America/New_York",
    "30 2 * * SUN UTC",
    "0 0 1 * * Asia/Tokyo",
    "USING CRON 0 4 * * * Etc/UTC",
];

pub(crate) fn refresh(shape: &Shape) -> impl Strategy<Value = Refresh> + use<> {
    let dynamic = (
        prop_oneof![
            (prop::sample::select(DURATIONS), any::<u8>())
                .prop_map(|(d, st)| (scalar(d, st), false)),
            prop::sample::select(&["DOWNSTREAM", "downstream"][..])
                .prop_map(|d| (d.to_string(), false)),
            (prop::sample::select(CRONS), any::<u8>()).prop_map(|(c, st)| (scalar(c, st), true)),
        ],
        warehouse_ref(shape),
        pick(&["AUTO", "FULL", "INCREMENTAL", "full"]),
        pick(&["ON_CREATE", "ON_SCHEDULE", "on_create"]),
        pick(&["[ID]", "[ID, DAY]", "[id, updated_at]"]),
    )
        .prop_map(
            |((freq, cron), warehouse, mode, initialize, cluster_by)| Refresh::Dynamic {
                freq,
                cron,
                warehouse,
                mode,
                initialize,
                cluster_by,
            },
        );
    prop_oneof![1 => Just(Refresh::View), 2 => dynamic]
}

pub(crate) fn entity_lists(shape: &Shape) -> Vec<&'static str> {
    if shape.quoted {
        return match shape.second_entity {
            true => vec!["['\"ePoint\"']", "['\"ePoint\"', '\"eCarrier\"']"],
            false => vec!["['\"ePoint\"']"],
        };
    }
    if shape.second_entity {
        vec![
            "[E_POINT]",
            "[e_point]",
            "[E_POINT, E_CARRIER]",
            "[E_CARRIER]",
        ]
    } else {
        vec!["[E_POINT]", "[e_point]"]
    }
}

pub(crate) fn columns() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::collection::vec(
            (
                prop::sample::select(&["ID", "AMOUNT", "updated_at"][..]),
                prop::option::of(text()),
            ),
            1..3,
        )
        .prop_map(|cols| {
            let mut seen = Vec::new();
            let mut s = String::new();
            for (name, comment) in cols {
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                // The feature store describes feature columns only: never a
                // join key (`ID`) or the timestamp column.
                let comment = comment.filter(|_| name == "AMOUNT");
                match comment {
                    Some(c) => s.push_str(&format!(
                        "\n  - {{name: {name}, comment: {}}}",
                        serde_json::to_string(&c).expect("a string serialises")
                    )),
                    None => s.push_str(&format!("\n  - {{name: {name}}}")),
                }
            }
            s
        }),
    )
}

pub(crate) fn feature_view(
    name: &'static str,
    shape: &Shape,
) -> impl Strategy<Value = FeatureView> + use<> {
    (
        prop::sample::select(&["V1", "v1", "V2", "1.0", "v2_beta"][..]),
        prop::sample::select(entity_lists(shape)),
        pick(&["UPDATED_AT", "updated_at"]),
        prop::sample::select(QUERIES),
        refresh(shape),
        text_field(),
        columns(),
    )
        .prop_map(move |(v, e, ts, q, r, d, c)| FeatureView {
            name,
            version: scalar(v, 1),
            entities: e.to_string(),
            timestamp_col: ts,
            query: q.to_string(),
            refresh: r,
            description: d,
            columns: c,
        })
}

impl FeatureView {
    pub(crate) fn yaml(&self) -> String {
        let mut s = format!(
            "kind: FeatureView\nname: {}\nschema: FS\nversion: {}\nentities: {}\n",
            self.name, self.version, self.entities
        );
        line(&mut s, "timestamp_col", &self.timestamp_col);
        s.push_str(&format!("query: {}\n", self.query.trim_end()));
        if let Refresh::Dynamic {
            freq,
            warehouse,
            mode,
            initialize,
            cluster_by,
            ..
        } = &self.refresh
        {
            s.push_str(&format!("refresh_freq: {freq}\nwarehouse: {warehouse}\n"));
            line(&mut s, "refresh_mode", mode);
            line(&mut s, "initialize", initialize);
            line(&mut s, "cluster_by", cluster_by);
        }
        line(&mut s, "description", &self.description);
        if let Some(c) = &self.columns {
            s.push_str(&format!("columns:{c}\n"));
        }
        s
    }

    /// The object's name in SQL, `"NAME$version"` quoted when needed.
    pub(crate) fn object(&self) -> String {
        let version = self.version.trim_matches('\'');
        let object = format!("{}${version}", bare(self.name));
        if object
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '$')
        {
            format!("TEST_DB.FS.{object}")
        } else {
            format!("TEST_DB.FS.\"{object}\"")
        }
    }
}
