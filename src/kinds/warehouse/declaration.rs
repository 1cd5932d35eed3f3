//! The YAML side of `kind: Warehouse`: the raw document, its validation and
//! its canonical attributes (listed in [`super`]'s documentation).

use serde::Deserialize;
use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ident::Ident;
use crate::kinds::common::{Common, choice, empty_to_null, explicit, ident, loose, read_document};
use crate::kinds::{Declaration, ReadContext, Reference, World};
use crate::load::de::Spanned;
use crate::load::yaml::Node;
use crate::model::{Address, Attributes, KindName};

use super::fields::{
    AUTO_RESUME, AUTO_SUSPEND, COMMENT, ENABLE_QUERY_ACCELERATION, FIELDS, INITIALLY_SUSPENDED,
    MAX_CLUSTER_COUNT, MIN_CLUSTER_COUNT, NAME, QUERY_ACCELERATION_MAX_SCALE_FACTOR,
    RESOURCE_MONITOR, SCALING_POLICY, SIZE, TYPE,
};

/// Warehouse sizes in their CREATE spelling, smallest first.
pub const SIZES: [&str; 10] = [
    "XSMALL", "SMALL", "MEDIUM", "LARGE", "XLARGE", "XXLARGE", "XXXLARGE", "X4LARGE", "X5LARGE",
    "X6LARGE",
];

/// The CREATE spelling of a size written any way Snowflake does
/// (`X-Small`, `xsmall`, `2X-Large`, `X2LARGE`).
pub fn canonical_size(written: &str) -> Option<&'static str> {
    let key = loose(written);
    let key = match key.as_str() {
        "2XLARGE" | "X2LARGE" => "XXLARGE".to_string(),
        "3XLARGE" | "X3LARGE" => "XXXLARGE".to_string(),
        "4XLARGE" => "X4LARGE".to_string(),
        "5XLARGE" => "X5LARGE".to_string(),
        "6XLARGE" => "X6LARGE".to_string(),
        _ => key,
    };
    SIZES.into_iter().find(|s| *s == key)
}

/// The canonical warehouse type (`STANDARD`, `SNOWPARK-OPTIMIZED`) of any spelling.
pub fn canonical_type(written: &str) -> Option<&'static str> {
    match loose(written).as_str() {
        "STANDARD" => Some("STANDARD"),
        "SNOWPARKOPTIMIZED" => Some("SNOWPARK-OPTIMIZED"),
        _ => None,
    }
}

/// A validated warehouse declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Warehouse {
    /// Common fields.
    pub common: Common,
    /// Canonical size.
    pub size: &'static str,
    /// Canonical type.
    pub warehouse_type: &'static str,
    /// Seconds, `None` for never.
    pub auto_suspend: Option<u64>,
    /// `auto_resume`.
    pub auto_resume: bool,
    /// `min_cluster_count`.
    pub min_cluster_count: u32,
    /// `max_cluster_count`.
    pub max_cluster_count: u32,
    /// `STANDARD` or `ECONOMY`.
    pub scaling_policy: &'static str,
    /// `initially_suspended`.
    pub initially_suspended: bool,
    /// `resource_monitor`.
    pub resource_monitor: Option<Ident>,
    /// `comment`.
    pub comment: Option<String>,
    /// `enable_query_acceleration`.
    pub enable_query_acceleration: bool,
    /// `query_acceleration_max_scale_factor`.
    pub query_acceleration_max_scale_factor: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    size: Option<Spanned<String>>,
    #[serde(default, rename = "type")]
    warehouse_type: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "explicit")]
    auto_suspend: Option<Option<Spanned<i64>>>,
    #[serde(default)]
    auto_resume: Option<bool>,
    #[serde(default)]
    min_cluster_count: Option<Spanned<i64>>,
    #[serde(default)]
    max_cluster_count: Option<Spanned<i64>>,
    #[serde(default)]
    scaling_policy: Option<Spanned<String>>,
    #[serde(default)]
    initially_suspended: Option<bool>,
    #[serde(default)]
    resource_monitor: Option<Spanned<String>>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    enable_query_acceleration: Option<bool>,
    #[serde(default)]
    query_acceleration_max_scale_factor: Option<Spanned<i64>>,
}

fn in_range(
    value: &Option<Spanned<i64>>,
    field: &str,
    lo: i64,
    hi: i64,
    default: i64,
    problems: &mut Diagnostics,
) -> i64 {
    match value {
        None => default,
        Some(v) if (lo..=hi).contains(&v.value) => v.value,
        Some(v) => {
            problems.push(
                Diagnostic::error(format!(
                    "{field} must be between {lo} and {hi}, not {}",
                    v.value
                ))
                .at(v.span.clone())
                .hint(format!("set {field} to a number from {lo} to {hi}")),
            );
            default
        }
    }
}

impl Warehouse {
    /// Reads an interpolated `kind: Warehouse` document.
    pub fn read(node: &Node, _ctx: &ReadContext<'_>) -> Result<Warehouse, Diagnostics> {
        let (head, raw) = read_document::<Raw>(node)?;
        let mut p = Diagnostics::new();
        let name = ident(&head.name, "warehouse", &mut p);
        let enums = read_enums(&raw, &mut p);
        let auto_suspend = read_auto_suspend(&raw.auto_suspend, &mut p);
        let (min, max) = read_cluster_counts(&raw, node, &mut p);
        let qa = in_range(
            &raw.query_acceleration_max_scale_factor,
            QUERY_ACCELERATION_MAX_SCALE_FACTOR,
            0,
            100,
            8,
            &mut p,
        );
        let resource_monitor = raw
            .resource_monitor
            .as_ref()
            .and_then(|m| ident(m, "resource monitor", &mut p));
        let Some(name) = name else { return Err(p) };
        let address = Address::new(KindName::Warehouse, name);
        let common = head.validate(address, node, FIELDS, &mut p);
        let Some((size, warehouse_type, scaling_policy)) = enums.filter(|_| p.is_empty()) else {
            return Err(p);
        };
        Ok(Warehouse {
            common,
            size,
            warehouse_type,
            auto_suspend,
            auto_resume: raw.auto_resume.unwrap_or(true),
            min_cluster_count: min as u32,
            max_cluster_count: max as u32,
            scaling_policy,
            initially_suspended: raw.initially_suspended.unwrap_or(false),
            resource_monitor,
            comment: raw.comment,
            enable_query_acceleration: raw.enable_query_acceleration.unwrap_or(false),
            query_acceleration_max_scale_factor: qa as u32,
        })
    }
}

type Enums = (&'static str, &'static str, &'static str);

/// Size, type and scaling policy, defaults filled.
fn read_enums(raw: &Raw, p: &mut Diagnostics) -> Option<Enums> {
    let size = match &raw.size {
        None => Some("XSMALL"),
        Some(s) => canonical_size(&s.value).or_else(|| {
            let options: Vec<(&'static str, &'static str)> =
                SIZES.iter().map(|s| (*s, *s)).collect();
            choice(s, "warehouse size", &options, loose, p)
        }),
    };
    let types = [
        ("STANDARD", "STANDARD"),
        ("SNOWPARK-OPTIMIZED", "SNOWPARK-OPTIMIZED"),
    ];
    let warehouse_type = match &raw.warehouse_type {
        None => Some("STANDARD"),
        Some(t) => choice(t, "warehouse type", &types, loose, p),
    };
    let policies = [("STANDARD", "STANDARD"), ("ECONOMY", "ECONOMY")];
    let scaling_policy = match &raw.scaling_policy {
        None => Some("STANDARD"),
        Some(s) => choice(s, "scaling policy", &policies, loose, p),
    };
    Some((size?, warehouse_type?, scaling_policy?))
}

/// Absent: 600 seconds; null or 0: never.
fn read_auto_suspend(written: &Option<Option<Spanned<i64>>>, p: &mut Diagnostics) -> Option<u64> {
    match written {
        None => Some(600),
        Some(None) => None,
        Some(Some(v)) if v.value < 0 => {
            p.push(
                Diagnostic::error(format!("auto_suspend cannot be negative ({})", v.value))
                    .at(v.span.clone())
                    .hint("give seconds of inactivity before suspending, or null to never suspend"),
            );
            None
        }
        Some(Some(v)) => u64::try_from(v.value).ok().filter(|s| *s > 0),
    }
}

/// `(min, max)` cluster counts, each 1..10 and min ≤ max.
fn read_cluster_counts(raw: &Raw, node: &Node, p: &mut Diagnostics) -> (i64, i64) {
    let min = in_range(&raw.min_cluster_count, MIN_CLUSTER_COUNT, 1, 10, 1, p);
    let max = in_range(&raw.max_cluster_count, MAX_CLUSTER_COUNT, 1, 10, 1, p);
    if min > max {
        let span = raw
            .min_cluster_count
            .as_ref()
            .map_or_else(|| node.span.clone(), |s| s.span.clone());
        p.push(
            Diagnostic::error(format!(
                "min_cluster_count ({min}) is larger than max_cluster_count ({max})"
            ))
            .at(span)
            .hint("make min_cluster_count less than or equal to max_cluster_count"),
        );
    }
    (min, max)
}

impl Declaration for Warehouse {
    fn common(&self) -> &Common {
        &self.common
    }

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    fn fqn(&self) -> String {
        self.common.address.name.as_str().to_string()
    }

    fn attributes(&self, _world: &World<'_>) -> Attributes {
        let monitor = self.resource_monitor.as_ref().map(Ident::as_str);
        [
            (NAME, json!(self.common.address.name.as_str())),
            (SIZE, json!(self.size)),
            (TYPE, json!(self.warehouse_type)),
            (AUTO_SUSPEND, json!(self.auto_suspend)),
            (AUTO_RESUME, json!(self.auto_resume)),
            (MIN_CLUSTER_COUNT, json!(self.min_cluster_count)),
            (MAX_CLUSTER_COUNT, json!(self.max_cluster_count)),
            (SCALING_POLICY, json!(self.scaling_policy)),
            (INITIALLY_SUSPENDED, json!(self.initially_suspended)),
            (RESOURCE_MONITOR, json!(monitor)),
            (COMMENT, empty_to_null(&self.comment)),
            (
                ENABLE_QUERY_ACCELERATION,
                json!(self.enable_query_acceleration),
            ),
            (
                QUERY_ACCELERATION_MAX_SCALE_FACTOR,
                json!(self.query_acceleration_max_scale_factor),
            ),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_accept_every_snowflake_spelling() {
        assert_eq!(canonical_size("X-Small"), Some("XSMALL"));
        assert_eq!(canonical_size("xsmall"), Some("XSMALL"));
        assert_eq!(canonical_size("2X-Large"), Some("XXLARGE"));
        assert_eq!(canonical_size("XXLARGE"), Some("XXLARGE"));
        assert_eq!(canonical_size("4X-Large"), Some("X4LARGE"));
        assert_eq!(canonical_size("Medium"), Some("MEDIUM"));
        assert_eq!(canonical_size("HUGE"), None);
        assert_eq!(
            canonical_type("Snowpark-Optimized"),
            Some("SNOWPARK-OPTIMIZED")
        );
    }
}
