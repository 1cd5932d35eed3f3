//! The YAML side of `kind: Schema`: the raw document, its validation and
//! its canonical attributes (listed in [`super`]'s documentation).

use serde::Deserialize;
use serde_json::json;

use crate::diag::Diagnostics;
use crate::ident::Ident;
use crate::kinds::common::{Common, empty_to_null, ident, read_document};
use crate::kinds::{Declaration, ReadContext, Reference, World};
use crate::load::yaml::Node;
use crate::model::{Address, Attributes, KindName};

use super::fields::{COMMENT, DATABASE, FEATURE_STORE, FIELDS, NAME};

/// A validated schema declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Common fields.
    pub common: Common,
    /// The environment's database.
    pub database: Ident,
    /// `comment`.
    pub comment: Option<String>,
    /// `feature_store`.
    pub feature_store: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    feature_store: bool,
}

impl Schema {
    /// Reads an interpolated `kind: Schema` document.
    pub fn read(node: &Node, ctx: &ReadContext<'_>) -> Result<Schema, Diagnostics> {
        let (head, raw) = read_document::<Raw>(node)?;
        let mut problems = Diagnostics::new();
        let name = ident(&head.name, "schema", &mut problems);
        let Some(name) = name else {
            return Err(problems);
        };
        let address = Address::new(KindName::Schema, name);
        let common = head.validate(address, node, FIELDS, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Schema {
            common,
            database: ctx.env.database.clone(),
            comment: raw.comment,
            feature_store: raw.feature_store,
        })
    }

    /// The resolved schema name.
    pub fn name(&self) -> &Ident {
        &self.common.address.name
    }
}

impl Declaration for Schema {
    fn common(&self) -> &Common {
        &self.common
    }

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    fn fqn(&self) -> String {
        format!("{}.{}", self.database, self.name())
    }

    fn attributes(&self, _world: &World<'_>) -> Attributes {
        Attributes::from([
            (DATABASE.to_string(), json!(self.database.as_str())),
            (NAME.to_string(), json!(self.name().as_str())),
            (COMMENT.to_string(), empty_to_null(&self.comment)),
            (FEATURE_STORE.to_string(), json!(self.feature_store)),
        ])
    }
}
