//! The validated resource model shared by every stage after loading.
//!
//! A [`Resource`] is one declared object, resolved for one environment:
//! its [`Address`], its fully qualified name, and its canonical
//! [`Attributes`]. Canonical means what Snowflake would show back: names
//! resolved, enum values in one spelling, defaults filled in. The diff
//! compares attribute maps, so declared, state and live must all be in this
//! form. Their [`fingerprint`]s are what plans and state record and compare,
//! so both use this one definition. A model's metrics [`Gate`] travels
//! with its resource but outside its attributes: it is policy, not
//! Snowflake state. Nothing here does I/O.

mod attributes;
mod fingerprint;
mod gate;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use attributes::Attributes;
pub use fingerprint::{
    canonical_json, digests_fingerprint, fields_fingerprint, fingerprint, records_fingerprint,
};
pub use gate::{Better, Gate, Side, Verdict};

use crate::diag::Span;
use crate::ident::Ident;

/// Defines [`KindName`] and its names from [`crate::kind_list::for_each_kind`]'s list.
macro_rules! kind_names {
    ($(($variant:ident, $module:ident, $declaration:ident, $reconciler:ident,
        $noun:literal, $doc:literal),)*) => {
        /// The kinds of resource floe manages.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum KindName {
            $(
                #[doc = concat!("`", stringify!($variant), "`: ", $doc, ".")]
                $variant,
            )*
        }

        impl KindName {
            /// How many kinds there are.
            pub const COUNT: usize = [$(stringify!($variant)),*].len();

            /// Every kind, in the order plans group them.
            pub const ALL: [KindName; KindName::COUNT] = [$(KindName::$variant),*];

            /// The `kind:` spelling in YAML (`FeatureView`).
            pub fn yaml_name(self) -> &'static str {
                match self {
                    $(KindName::$variant => stringify!($variant),)*
                }
            }

            /// The address prefix (`feature_view`).
            pub fn address_name(self) -> &'static str {
                match self {
                    $(KindName::$variant => stringify!($module),)*
                }
            }

            /// The kind in a sentence (`feature view`).
            pub fn noun(self) -> &'static str {
                match self {
                    $(KindName::$variant => $noun,)*
                }
            }
        }
    };
}

crate::kind_list::for_each_kind!(kind_names);

impl KindName {
    /// The kind named by a `kind:` value, if any.
    pub fn from_yaml_name(name: &str) -> Option<KindName> {
        KindName::ALL.into_iter().find(|k| k.yaml_name() == name)
    }
}

impl fmt::Display for KindName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.address_name())
    }
}

/// A resource address: `warehouse.ML_TRAINING_WH`, `feature_view.PUDO_DAILY$V1`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    /// The kind.
    pub kind: KindName,
    /// The resolved object name (for feature views, `NAME$VERSION`).
    pub name: Ident,
}

impl Address {
    /// The address of `name` of `kind`.
    pub fn new(kind: KindName, name: Ident) -> Self {
        Address { kind, name }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The SQL spelling, so that a printed address parses back to itself.
        write!(f, "{}.{}", self.kind, self.name.to_sql())
    }
}

/// Why a written address is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AddressError(pub String);

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds: Vec<&str> = KindName::ALL.iter().map(|k| k.address_name()).collect();
        write!(
            f,
            "`{}` is not a resource address: write `<kind>.<name>`, e.g. `warehouse.ML_TRAINING_WH`, with kind one of {}",
            self.0,
            kinds.join(", ")
        )
    }
}

impl FromStr for Address {
    type Err = AddressError;

    /// Parses `kind.name`; the name follows identifier rules (unquoted is
    /// upper-cased), so `warehouse.ml_wh` is `warehouse.ML_WH`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, name) = s
            .split_once('.')
            .ok_or_else(|| AddressError(s.to_string()))?;
        let kind = KindName::ALL
            .into_iter()
            .find(|k| k.address_name() == kind)
            .ok_or_else(|| AddressError(s.to_string()))?;
        let name = Ident::parse(name).map_err(|_| AddressError(s.to_string()))?;
        Ok(Address { kind, name })
    }
}

impl Serialize for Address {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// `lifecycle:` of a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    /// Refuse any delete or replace of this resource.
    #[serde(default)]
    pub prevent_destroy: bool,
    /// Attributes whose differences are never planned.
    #[serde(default)]
    pub ignore_changes: Vec<String>,
}

/// One declared resource, validated and interpolated for one environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `kind.NAME`.
    pub address: Address,
    /// Fully qualified name as Snowflake shows it (`DB.SCHEMA.NAME`, or `NAME`
    /// for account objects), each part resolved.
    pub fqn: String,
    /// Canonical attributes (see module docs).
    pub attributes: Attributes,
    /// Every address this resource depends on: explicit `depends_on` and
    /// references (warehouse, entities, schema, `after`, `from`, names in SQL).
    pub depends_on: Vec<Address>,
    /// `lifecycle:`.
    pub lifecycle: Lifecycle,
    /// A model's metrics gate: plan-time policy, never an attribute, so it
    /// changes no fingerprint and plans no statement.
    pub gate: Option<Gate>,
    /// Where the resource's document starts.
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_resolve_names_and_round_trip() {
        let a: Address = "warehouse.ml_wh".parse().unwrap();
        assert_eq!(a.to_string(), "warehouse.ML_WH");
        let fv: Address = "feature_view.PUDO_DAILY$V1".parse().unwrap();
        assert_eq!(fv.kind, KindName::FeatureView);
        let json = serde_json::to_string(&fv).unwrap();
        assert_eq!(json, "\"feature_view.PUDO_DAILY$V1\"");
        assert_eq!(serde_json::from_str::<Address>(&json).unwrap(), fv);
        let quoted = Address::new(KindName::FeatureView, Ident::from_resolved("MY_FV$v1"));
        assert_eq!(quoted.to_string(), "feature_view.\"MY_FV$v1\"");
        assert_eq!(quoted.to_string().parse::<Address>().unwrap(), quoted);
    }

    #[test]
    fn bad_addresses_are_refused() {
        assert!("ML_WH".parse::<Address>().is_err());
        assert!("table.X".parse::<Address>().is_err());
        assert!("warehouse.".parse::<Address>().is_err());
    }
}
