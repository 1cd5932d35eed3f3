//! Warehouses: every property of CREATE/ALTER WAREHOUSE, with Snowflake's
//! defaults and value checks, the edition's features (a Standard-edition
//! account refuses multi-cluster and query-acceleration settings) and the
//! rule that a warehouse changes type only while suspended.

use super::{Exec, Outcome, already_exists_ok, created};
use crate::ident::Ident;
use crate::local::ast::{Alter, AlterAction, Create, CreateBody, ObjectType, Prop, Value};
use crate::local::catalog::{Change, Edition, SIZES, Warehouse};
use crate::local::error::{self, SqlError};

const RESOURCE_CONSTRAINTS: &[&str] = &[
    "STANDARD_GEN_1",
    "STANDARD_GEN_2",
    "MEMORY_1X",
    "MEMORY_1X_X86",
    "MEMORY_16X",
    "MEMORY_16X_X86",
    "MEMORY_64X",
    "MEMORY_64X_X86",
];

/// Canonical size keyword of any accepted spelling (`'X-Small'`, `2X-LARGE`, `XXLARGE`).
fn canonical_size(written: &str) -> Option<&'static str> {
    let s: String = written
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_uppercase();
    let alias = match s.as_str() {
        "2XLARGE" | "X2LARGE" => "XXLARGE",
        "3XLARGE" | "X3LARGE" => "XXXLARGE",
        "4XLARGE" => "X4LARGE",
        "5XLARGE" => "X5LARGE",
        "6XLARGE" => "X6LARGE",
        other => other,
    };
    SIZES.iter().map(|(k, _)| *k).find(|k| *k == alias)
}

/// A value written as a keyword or a string, upper-cased.
pub(crate) fn word(value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.to_ascii_uppercase()),
        Value::Name(n) if n.parts.len() == 1 => Some(n.parts[0].as_str().to_ascii_uppercase()),
        _ => None,
    }
}

/// A boolean property value.
pub(crate) fn boolean(prop: &Prop) -> Result<bool, SqlError> {
    match word(&prop.value).as_deref() {
        Some("TRUE") => Ok(true),
        Some("FALSE") => Ok(false),
        _ => Err(error::invalid_value(&prop.key, &prop.value.written())),
    }
}

/// An integer property value within `min..=max`.
pub(crate) fn integer(prop: &Prop, min: u64, max: u64) -> Result<u64, SqlError> {
    let parsed = match &prop.value {
        Value::Number(n) => n.parse::<u64>().ok(),
        Value::Str(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    parsed
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| error::invalid_value(&prop.key, &prop.value.written()))
}

fn one_of(prop: &Prop, allowed: &[&str]) -> Result<String, SqlError> {
    word(&prop.value)
        .filter(|w| allowed.contains(&w.as_str()))
        .ok_or_else(|| error::invalid_value(&prop.key, &prop.value.written()))
}

fn new_warehouse(name: &Ident, now: u64) -> Warehouse {
    Warehouse {
        name: name.clone(),
        created_on: now,
        resumed_on: now,
        updated_on: now,
        state: "STARTED".into(),
        warehouse_type: "STANDARD".into(),
        size: "XSMALL".into(),
        min_cluster_count: 1,
        max_cluster_count: 1,
        scaling_policy: "STANDARD".into(),
        auto_suspend: Some(600),
        auto_resume: true,
        resource_monitor: None,
        comment: None,
        enable_query_acceleration: false,
        query_acceleration_max_scale_factor: 8,
        resource_constraint: None,
        generation: None,
        max_concurrency_level: 8,
        statement_queued_timeout_in_seconds: 0,
        statement_timeout_in_seconds: 172_800,
        tags: Vec::new(),
    }
}

/// Sets one property on `w`.
fn set_prop(w: &mut Warehouse, prop: &Prop) -> Result<(), SqlError> {
    match prop.key.as_str() {
        "WAREHOUSE_TYPE" => {
            let t = one_of(
                prop,
                &[
                    "STANDARD",
                    "SNOWPARK-OPTIMIZED",
                    "SNOWPARK_OPTIMIZED",
                    "ADAPTIVE",
                ],
            )?;
            w.warehouse_type = t.replace('_', "-");
        }
        "WAREHOUSE_SIZE" => {
            let written = word(&prop.value).unwrap_or_default();
            w.size = canonical_size(&written)
                .ok_or_else(|| error::invalid_value(&prop.key, &prop.value.written()))?
                .to_string();
        }
        "GENERATION" => {
            let g = match &prop.value {
                Value::Number(n) => n.clone(),
                other => word(other).unwrap_or_default(),
            };
            if g != "1" && g != "2" {
                return Err(error::invalid_value(&prop.key, &prop.value.written()));
            }
            w.generation = Some(g);
        }
        "RESOURCE_CONSTRAINT" => w.resource_constraint = Some(one_of(prop, RESOURCE_CONSTRAINTS)?),
        "MAX_CLUSTER_COUNT" => w.max_cluster_count = integer(prop, 1, 10)? as u32,
        "MIN_CLUSTER_COUNT" => w.min_cluster_count = integer(prop, 1, 10)? as u32,
        "SCALING_POLICY" => w.scaling_policy = one_of(prop, &["STANDARD", "ECONOMY"])?,
        "AUTO_SUSPEND" => {
            w.auto_suspend = match prop.value {
                Value::Null => None,
                _ => Some(integer(prop, 0, u32::MAX as u64)?),
            }
        }
        "AUTO_RESUME" => w.auto_resume = boolean(prop)?,
        "INITIALLY_SUSPENDED" => {
            if boolean(prop)? {
                w.state = "SUSPENDED".into();
            }
        }
        "RESOURCE_MONITOR" => {
            w.resource_monitor = match &prop.value {
                Value::Null => None,
                Value::Name(n) if n.parts.len() == 1 => Some(n.parts[0].clone()),
                Value::Str(s) => {
                    Some(Ident::parse(s).map_err(|_| error::invalid_value(&prop.key, s))?)
                }
                other => return Err(error::invalid_value(&prop.key, &other.written())),
            }
        }
        "COMMENT" => w.comment = Some(super::target::comment_text(&prop.value)?),
        "ENABLE_QUERY_ACCELERATION" => w.enable_query_acceleration = boolean(prop)?,
        "QUERY_ACCELERATION_MAX_SCALE_FACTOR" => {
            w.query_acceleration_max_scale_factor = integer(prop, 0, 100)? as u32
        }
        "MAX_CONCURRENCY_LEVEL" => w.max_concurrency_level = integer(prop, 1, 1000)? as u32,
        "STATEMENT_QUEUED_TIMEOUT_IN_SECONDS" => {
            w.statement_queued_timeout_in_seconds = integer(prop, 0, 604_800)?
        }
        "STATEMENT_TIMEOUT_IN_SECONDS" => {
            w.statement_timeout_in_seconds = integer(prop, 0, 604_800)?
        }
        "WAIT_FOR_COMPLETION" => {
            boolean(prop)?;
        }
        other => return Err(error::invalid_value(other, &prop.value.written())),
    }
    Ok(())
}

fn unset_prop(w: &mut Warehouse, key: &str) -> Result<(), SqlError> {
    let defaults = new_warehouse(&w.name, 0);
    match key {
        "WAREHOUSE_TYPE" => w.warehouse_type = defaults.warehouse_type,
        "WAREHOUSE_SIZE" => w.size = defaults.size,
        "GENERATION" => w.generation = None,
        "RESOURCE_CONSTRAINT" => w.resource_constraint = None,
        "MAX_CLUSTER_COUNT" => w.max_cluster_count = 1,
        "MIN_CLUSTER_COUNT" => w.min_cluster_count = 1,
        "SCALING_POLICY" => w.scaling_policy = defaults.scaling_policy,
        "AUTO_SUSPEND" => w.auto_suspend = defaults.auto_suspend,
        "AUTO_RESUME" => w.auto_resume = true,
        "RESOURCE_MONITOR" => w.resource_monitor = None,
        "COMMENT" => w.comment = None,
        "ENABLE_QUERY_ACCELERATION" => w.enable_query_acceleration = false,
        "QUERY_ACCELERATION_MAX_SCALE_FACTOR" => w.query_acceleration_max_scale_factor = 8,
        "MAX_CONCURRENCY_LEVEL" => w.max_concurrency_level = 8,
        "STATEMENT_QUEUED_TIMEOUT_IN_SECONDS" => w.statement_queued_timeout_in_seconds = 0,
        "STATEMENT_TIMEOUT_IN_SECONDS" => w.statement_timeout_in_seconds = 172_800,
        other => return Err(error::invalid_value("UNSET", other)),
    }
    Ok(())
}

/// The Enterprise-edition feature `w` uses, with the property that uses it;
/// the values a warehouse without those features has never count.
fn enterprise_feature(w: &Warehouse) -> Option<(&'static str, &'static str)> {
    const CLUSTERS: &str = "multi-cluster warehouses";
    const QAS: &str = "query acceleration (the query acceleration service)";
    if w.max_cluster_count > 1 {
        Some((CLUSTERS, "MAX_CLUSTER_COUNT"))
    } else if w.min_cluster_count > 1 {
        Some((CLUSTERS, "MIN_CLUSTER_COUNT"))
    } else if w.scaling_policy != "STANDARD" {
        Some((CLUSTERS, "SCALING_POLICY"))
    } else if w.enable_query_acceleration {
        Some((QAS, "ENABLE_QUERY_ACCELERATION"))
    } else if w.query_acceleration_max_scale_factor != 8 {
        Some((QAS, "QUERY_ACCELERATION_MAX_SCALE_FACTOR"))
    } else {
        None
    }
}

/// Refuses a warehouse using a feature that `edition` does not have.
/// Snowflake's documentation names the editions of these features but not
/// the wording of the refusal; this one names the property and the edition.
fn check_edition(edition: Edition, w: &Warehouse) -> Result<(), SqlError> {
    match enterprise_feature(w) {
        Some((feature, property)) if !edition.has_enterprise_features() => {
            Err(error::invalid(format!(
                "Warehouse '{}' cannot set {property}: {feature} need Enterprise Edition (or higher), and this is a Standard Edition account.",
                w.name
            )))
        }
        _ => Ok(()),
    }
}

fn check_clusters(w: &Warehouse) -> Result<(), SqlError> {
    if w.min_cluster_count > w.max_cluster_count {
        return Err(error::invalid(format!(
            "MIN_CLUSTER_COUNT ({}) cannot be greater than MAX_CLUSTER_COUNT ({}).",
            w.min_cluster_count, w.max_cluster_count
        )));
    }
    Ok(())
}

/// Snowflake changes a warehouse's type only while it is suspended
/// ("Changing the warehouse type with ALTER WAREHOUSE is supported only for
/// warehouses in the SUSPENDED state", Snowpark-optimized warehouses guide).
/// The documentation gives no wording for the refusal.
fn check_type_change(was: &str, w: &Warehouse) -> Result<(), SqlError> {
    if was != w.warehouse_type && w.state != "SUSPENDED" {
        return Err(error::invalid(format!(
            "Invalid state. Warehouse '{}' must be suspended to change its WAREHOUSE_TYPE; run ALTER WAREHOUSE {} SUSPEND first.",
            w.name,
            w.name.to_sql()
        )));
    }
    Ok(())
}

impl Exec<'_> {
    pub(super) fn create_warehouse(&mut self, create: &Create) -> Result<Outcome, SqlError> {
        let [name] = create.name.parts.as_slice() else {
            return Err(self.missing(ObjectType::Warehouse, &create.name));
        };
        let CreateBody::Warehouse { props, tags } = &create.body else {
            return Err(error::unsupported("CREATE WAREHOUSE"));
        };
        if self.catalog.warehouses.contains_key(name) {
            if create.mode.if_not_exists {
                return Ok(already_exists_ok(name));
            }
            if !create.mode.or_replace {
                return Err(error::already_exists(&name.to_sql()));
            }
        }
        let mut w = new_warehouse(name, self.now);
        for prop in props {
            set_prop(&mut w, prop)?;
        }
        check_clusters(&w)?;
        check_edition(self.catalog.edition, &w)?;
        w.tags = self.resolve_tags(tags)?;
        self.session.warehouse = Some(name.clone());
        Ok(Outcome::status(
            created(ObjectType::Warehouse, name),
            vec![Change::PutWarehouse(w)],
        ))
    }

    pub(super) fn alter_warehouse(&mut self, alter: &Alter) -> Result<Outcome, SqlError> {
        let Some(super::target::Target::Warehouse(mut w)) =
            self.find_existing(ObjectType::Warehouse, &alter.name, alter.if_exists)?
        else {
            return Ok(Outcome::done(Vec::new()));
        };
        match &alter.action {
            AlterAction::Set(props) => {
                let was = w.warehouse_type.clone();
                for prop in props {
                    if prop.key == "INITIALLY_SUSPENDED" {
                        return Err(error::invalid_value(&prop.key, &prop.value.written()));
                    }
                    set_prop(&mut w, prop)?;
                }
                check_clusters(&w)?;
                check_edition(self.catalog.edition, &w)?;
                check_type_change(&was, &w)?;
            }
            AlterAction::Unset(keys) => {
                let was = w.warehouse_type.clone();
                for key in keys {
                    unset_prop(&mut w, key)?;
                }
                check_clusters(&w)?;
                check_type_change(&was, &w)?;
            }
            AlterAction::Suspend => {
                if w.state == "SUSPENDED" {
                    return Err(error::invalid(format!(
                        "Invalid state. Warehouse '{}' cannot be suspended.",
                        w.name
                    )));
                }
                w.state = "SUSPENDED".into();
            }
            AlterAction::Resume => {
                if w.state != "STARTED" {
                    w.state = "STARTED".into();
                    w.resumed_on = self.now;
                }
            }
            AlterAction::AbortAllQueries => return Ok(Outcome::done(Vec::new())),
            _ => return Err(error::unsupported("ALTER WAREHOUSE")),
        }
        w.updated_on = self.now;
        Ok(Outcome::done(vec![Change::PutWarehouse(w)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_accept_every_spelling() {
        for (written, canonical) in [
            ("XSMALL", "XSMALL"),
            ("x-small", "XSMALL"),
            ("X-Small", "XSMALL"),
            ("2X-LARGE", "XXLARGE"),
            ("XXLARGE", "XXLARGE"),
            ("X4LARGE", "X4LARGE"),
            ("4X-Large", "X4LARGE"),
        ] {
            assert_eq!(canonical_size(written), Some(canonical), "{written}");
        }
        assert_eq!(canonical_size("HUGE"), None);
        assert_eq!(crate::local::catalog::size_display("XXLARGE"), "2X-Large");
    }
}
