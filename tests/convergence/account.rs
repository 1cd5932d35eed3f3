//! Schemas and warehouses.

use std::any::Any;

use proptest::prelude::*;

use crate::project::*;
use crate::text::*;

#[derive(Debug, Clone)]
pub(crate) struct Schema {
    pub(crate) name: &'static str,
    pub(crate) feature_store: bool,
    pub(crate) comment: Option<String>,
}
fields!(Schema: comment);

impl Schema {
    pub(crate) fn yaml(&self) -> String {
        let mut s = format!("kind: Schema\nname: {}\n", self.name);
        if self.feature_store {
            s.push_str("feature_store: true\n");
        }
        line(&mut s, "comment", &self.comment);
        s
    }
}

pub(crate) fn schema(name: &'static str, feature_store: bool) -> impl Strategy<Value = Schema> {
    text_field().prop_map(move |comment| Schema {
        name,
        feature_store,
        comment,
    })
}

// ---------------------------------------------------------------- warehouses

#[derive(Debug, Clone)]
pub(crate) struct Warehouse {
    /// As written in YAML (`WH_A`, `'"Wh_b"'`).
    pub(crate) name: &'static str,
    pub(crate) size_type: (Option<String>, Option<String>),
    pub(crate) auto_suspend: Option<String>,
    pub(crate) auto_resume: Option<String>,
    pub(crate) clusters: Option<(u8, u8)>,
    pub(crate) scaling_policy: Option<String>,
    pub(crate) initially_suspended: Option<String>,
    pub(crate) comment: Option<String>,
    pub(crate) enable_query_acceleration: Option<String>,
    pub(crate) query_acceleration_max_scale_factor: Option<String>,
    pub(crate) environments: Option<String>,
}
fields!(Warehouse: size_type, auto_suspend, auto_resume, clusters, scaling_policy,
    initially_suspended, comment, enable_query_acceleration, query_acceleration_max_scale_factor,
    environments);

/// Every spelling Snowflake accepts, up to 5X-Large (X6LARGE is the
/// out-of-band size).
pub(crate) const SIZES: &[&str] = &[
    "XSMALL", "X-Small", "xsmall", "x-small", "SMALL", "Small", "MEDIUM", "medium", "LARGE",
    "Large", "XLARGE", "X-Large", "xlarge", "XXLARGE", "2X-Large", "X2LARGE", "XXXLARGE",
    "3X-Large", "X3LARGE", "X4LARGE", "4X-Large", "X5LARGE", "5X-Large",
];
pub(crate) const BOOLS: &[&str] = &["true", "false"];

pub(crate) fn size_type() -> impl Strategy<Value = (Option<String>, Option<String>)> {
    prop_oneof![
        (pick(SIZES), pick(&["STANDARD", "standard", "Standard"])),
        (
            prop::sample::select(&["MEDIUM", "Large", "LARGE"][..]).prop_map(|s| Some(s.into())),
            prop::sample::select(
                &[
                    "SNOWPARK-OPTIMIZED",
                    "Snowpark-Optimized",
                    "snowpark_optimized"
                ][..]
            )
            .prop_map(|t| Some(t.into())),
        ),
    ]
}

pub(crate) fn warehouse(name: &'static str) -> impl Strategy<Value = Warehouse> {
    (
        size_type(),
        pick(&["null", "0", "60", "300", "3600", "86400"]),
        pick(BOOLS),
        prop::option::of(prop::sample::select(
            &[(1u8, 1u8), (1, 3), (2, 2), (2, 10)][..],
        )),
        pick(&["STANDARD", "ECONOMY", "economy", "Standard"]),
        pick(BOOLS),
        text_field(),
        pick(BOOLS),
        pick(&["0", "3", "8", "100"]),
        pick(&["[DEV]", "[PROD, DEV]"]),
    )
        .prop_map(move |(st, asp, ar, cl, sp, is, c, qa, qf, env)| Warehouse {
            name,
            size_type: st,
            auto_suspend: asp,
            auto_resume: ar,
            clusters: cl,
            scaling_policy: sp,
            initially_suspended: is,
            comment: c,
            enable_query_acceleration: qa,
            query_acceleration_max_scale_factor: qf,
            environments: env,
        })
}

impl Warehouse {
    pub(crate) fn yaml(&self) -> String {
        let mut s = format!("kind: Warehouse\nname: {}\n", self.name);
        line(&mut s, "size", &self.size_type.0);
        line(&mut s, "type", &self.size_type.1);
        line(&mut s, "auto_suspend", &self.auto_suspend);
        line(&mut s, "auto_resume", &self.auto_resume);
        if let Some((min, max)) = self.clusters {
            s.push_str(&format!(
                "min_cluster_count: {min}\nmax_cluster_count: {max}\n"
            ));
        }
        line(&mut s, "scaling_policy", &self.scaling_policy);
        line(&mut s, "initially_suspended", &self.initially_suspended);
        line(&mut s, "comment", &self.comment);
        line(
            &mut s,
            "enable_query_acceleration",
            &self.enable_query_acceleration,
        );
        line(
            &mut s,
            "query_acceleration_max_scale_factor",
            &self.query_acceleration_max_scale_factor,
        );
        line(&mut s, "environments", &self.environments);
        s
    }

    /// The name in SQL.
    pub(crate) fn sql_name(&self) -> String {
        sql_name(self.name)
    }
}

/// How tasks and feature views write a warehouse's name.
pub(crate) fn warehouse_ref(shape: &Shape) -> impl Strategy<Value = String> + use<> {
    let mut names = vec!["WH_A", "wh_a"];
    if shape.second_warehouse {
        names.push("'\"Wh_b\"'");
    }
    prop::sample::select(names).prop_map(str::to_string)
}
