//! The six resource kinds, one folder each, and what they share.
//!
//! `src/kinds/<kind>/` holds everything about one kind: `mod.rs` documents
//! its address and canonical attributes, `declaration.rs` is its YAML side
//! (a [`Declaration`]: fields, validation, canonical attributes),
//! `json_schema.rs` the JSON Schema of its fields for editors
//! ([`json_schema`]), `import.rs` a live object back as a document for
//! `floe import` ([`import`]), and `reconciler.rs` its account side (a
//! [`Reconciler`]: introspection, SHOW parsing, SQL). The kinds are registered in one list,
//! [`crate::kind_list::for_each_kind`], from which [`KindName`], [`Spec`]
//! and [`reconciler_kinds`] derive.
//!
//! A kind reads an interpolated document into a typed spec (typed enums,
//! parsed durations and crons, resolved identifiers), reports every problem
//! with its place and a fix, names what it references, and converts itself to
//! a [`Resource`] whose attributes are canonical. The common fields are read
//! once for all kinds ([`common::read_document`]). Rules that need other
//! resources (a feature view's schema must be a feature store) are checked
//! against a [`World`]. Shared here: the common fields, schedules
//! ([`schedule`]) and, for unit tests, `testing`. Nothing here reads files
//! or chooses environments.

pub mod declaration;
pub mod entity;
pub mod feature_view;
pub mod import;
pub mod json_schema;
pub mod model;
pub mod reconciler;
pub mod schedule;
pub mod schema;
pub mod task;
pub mod warehouse;

#[cfg(test)]
pub(crate) mod testing;

mod common;

use std::collections::{BTreeMap, HashMap};

pub use common::{Common, Reference, choice, empty_to_null, ident, ident_list};
pub use declaration::Declaration;
pub use reconciler::Reconciler;
pub use schedule::{
    Cron, Duration, Schedule, ScheduleError, canonical_duration, canonical_schedule,
};

use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ident::Ident;
use crate::load::Environment;
use crate::load::de::Spanned;
use crate::load::yaml::Node;
use crate::model::{Address, KindName, Resource};
use reconciler::LiveObject;

/// Defines [`Spec`], its per-kind dispatch and [`reconciler_kinds`] from
/// [`crate::kind_list::for_each_kind`]'s list.
macro_rules! kind_specs {
    ($(($variant:ident, $module:ident, $declaration:ident, $reconciler:ident,
        $noun:literal, $doc:literal),)*) => {
        /// A validated declaration of any kind.
        #[derive(Debug, Clone)]
        pub enum Spec {
            $(
                #[doc = concat!("A declaration of ", $doc, ".")]
                $variant($module::$declaration),
            )*
        }

        impl Spec {
            /// Reads an interpolated document of `kind`.
            pub fn read(
                kind: KindName,
                node: &Node,
                ctx: &ReadContext<'_>,
            ) -> Result<Spec, Diagnostics> {
                Ok(match kind {
                    $(KindName::$variant => Spec::$variant($module::$declaration::read(node, ctx)?),)*
                })
            }

            /// The declaration, as its trait.
            pub fn declaration(&self) -> &dyn Declaration {
                match self {
                    $(Spec::$variant(s) => s,)*
                }
            }
        }

        /// The JSON Schema of a resource document of any kind, for editors.
        pub fn resource_json_schema() -> serde_json::Value {
            json_schema::document_schema(vec![
                $((KindName::$variant, $module::json_schema::schema()),)*
            ])
        }

        /// The document declaring the live `object`, its names written as
        /// `names` says, for `floe import`.
        pub fn import_document(object: &LiveObject, names: &dyn import::Names) -> import::Document {
            let kind = object.address.kind;
            let mut writer = import::Writer::new(kind.yaml_name(), &object.attributes, names);
            match kind {
                $(KindName::$variant => $module::import::write(&mut writer),)*
            }
            writer.finish()
        }

        /// The `# TODO:` note that holds for every imported object of `kind`
        /// (what SHOW never shows for that kind), if any.
        pub fn import_note(kind: KindName) -> Option<String> {
            match kind {
                $(KindName::$variant => $module::import::file_note(),)*
            }
        }

        /// Every kind the reconciler can read, compare and change, for a plan.
        pub fn reconciler_kinds() -> reconciler::Kinds {
            reconciler::Kinds::new([
                $(Arc::new($module::$reconciler) as Arc<dyn Reconciler>,)*
            ])
        }
    };
}

crate::kind_list::for_each_kind!(kind_specs);

/// What reading a document needs besides the document.
pub struct ReadContext<'a> {
    /// The environment being resolved.
    pub env: &'a Environment,
    /// Every declared environment name, for `from: {env: ...}`.
    pub env_names: &'a [&'a str],
}

impl Spec {
    /// The resource address.
    pub fn address(&self) -> &Address {
        &self.declaration().common().address
    }

    /// The resource with its canonical attributes; `depends_on` is filled by the graph.
    pub fn to_resource(&self, world: &World<'_>) -> Resource {
        let kind = self.declaration();
        let common = kind.common();
        Resource {
            address: common.address.clone(),
            fqn: kind.fqn(),
            attributes: kind.attributes(world),
            depends_on: Vec::new(),
            lifecycle: common.lifecycle.clone(),
            gate: kind.gate(),
            span: common.span.clone(),
        }
    }
}

/// A source model version in another environment, for promotions.
#[derive(Debug, Clone, PartialEq)]
pub struct PromotionSource {
    /// `DB.SCHEMA.MODEL` of the source model in that environment, in SQL:
    /// each part quoted where needed, so that a dot inside a quoted name
    /// never reads as a separator.
    pub fqn: String,
    /// The versions the source model declares there.
    pub versions: Vec<Ident>,
}

/// All declarations of one environment, for cross-resource rules.
pub struct World<'a> {
    /// The environment.
    pub env: &'a Environment,
    /// Every declaration.
    pub specs: &'a [Spec],
    index: HashMap<Address, usize>,
    /// Source models of `from: {env, version}` promotions, by (environment name as declared, model address);
    /// absent when the model is not declared in that environment.
    pub promotions: BTreeMap<(String, Address), PromotionSource>,
}

impl<'a> World<'a> {
    /// Indexes `specs` (the first of duplicate addresses wins).
    pub fn new(env: &'a Environment, specs: &'a [Spec]) -> World<'a> {
        let mut index = HashMap::new();
        for (i, spec) in specs.iter().enumerate() {
            index.entry(spec.address().clone()).or_insert(i);
        }
        World {
            env,
            specs,
            index,
            promotions: BTreeMap::new(),
        }
    }

    /// The declaration at `address`.
    pub fn get(&self, address: &Address) -> Option<&'a Spec> {
        self.index.get(address).map(|&i| &self.specs[i])
    }

    /// Where the declaration at `address` is in the `specs` this world indexes.
    pub fn position(&self, address: &Address) -> Option<usize> {
        self.index.get(address).copied()
    }

    /// The declared entity `name`.
    pub fn entity(&self, name: &Ident) -> Option<&'a entity::Entity> {
        match self.get(&Address::new(KindName::Entity, name.clone())) {
            Some(Spec::Entity(e)) => Some(e),
            _ => None,
        }
    }

    /// The declared schema `name`.
    pub fn schema(&self, name: &Ident) -> Option<&'a schema::Schema> {
        match self.get(&Address::new(KindName::Schema, name.clone())) {
            Some(Spec::Schema(s)) => Some(s),
            _ => None,
        }
    }

    /// The declared task `name`.
    pub fn task(&self, name: &Ident) -> Option<&'a task::Task> {
        match self.get(&Address::new(KindName::Task, name.clone())) {
            Some(Spec::Task(t)) => Some(t),
            _ => None,
        }
    }

    /// Records an error when `schema` is declared but is not a feature store.
    pub(crate) fn require_feature_store(
        &self,
        schema: &Spanned<Ident>,
        what: &str,
        problems: &mut Diagnostics,
    ) {
        if let Some(s) = self.schema(&schema.value)
            && !s.feature_store
        {
            problems.push(
                Diagnostic::error(format!(
                    "the schema `{}` is not a feature store, so it cannot hold {what}",
                    schema.value
                ))
                .at(schema.span.clone())
                .hint(format!(
                    "set `feature_store: true` on schema `{}` ({}), or use a feature-store schema",
                    schema.value, s.common.span
                )),
            );
        }
    }

    /// The resolved names of every declaration of `kind`.
    pub fn names_of(&self, kind: KindName) -> Vec<&'a str> {
        self.specs
            .iter()
            .filter(|s| s.address().kind == kind)
            .map(|s| s.address().name.as_str())
            .collect()
    }
}
