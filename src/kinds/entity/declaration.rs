//! The YAML side of `kind: Entity`: the raw document, its validation and
//! its canonical attributes (listed in [`super`]'s documentation).

use serde::Deserialize;
use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics};
use crate::ident::Ident;
use crate::kinds::common::{Common, empty_to_null, ident, ident_list, read_document};
use crate::kinds::{Declaration, ReadContext, Reference, World};
use crate::load::de::Spanned;
use crate::load::yaml::Node;
use crate::model::{Address, Attributes, KindName};

use super::fields::{DATABASE, DESCRIPTION, FIELDS, JOIN_KEYS, NAME, SCHEMA, TAG};

/// The prefix of an entity's tag name.
pub const ENTITY_TAG_PREFIX: &str = "SNOWML_FEATURE_STORE_ENTITY_";

/// A validated entity declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Common fields.
    pub common: Common,
    /// The environment's database.
    pub database: Ident,
    /// The feature-store schema.
    pub schema: Spanned<Ident>,
    /// Join keys, declared order.
    pub join_keys: Vec<Ident>,
    /// `description`.
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    schema: Spanned<String>,
    join_keys: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    description: Option<String>,
}

impl Entity {
    /// Reads an interpolated `kind: Entity` document.
    pub fn read(node: &Node, ctx: &ReadContext<'_>) -> Result<Entity, Diagnostics> {
        let (head, raw) = read_document::<Raw>(node)?;
        let mut p = Diagnostics::new();
        let name = ident(&head.name, "entity", &mut p);
        if let Some(n) = &name {
            if n.as_str().chars().count() > 32 || n.as_str().contains(',') {
                p.push(
                    Diagnostic::error(format!(
                        "the entity name `{n}` is longer than 32 characters or holds a comma"
                    ))
                    .at(head.name.span.clone())
                    .hint("Snowflake ML limits entity names to 32 characters without commas"),
                );
            }
        }
        let schema = ident(&raw.schema, "schema", &mut p);
        let keys = ident_list(&raw.join_keys.value, "join key", &mut p);
        check_join_keys(&raw.join_keys.span, &keys, &mut p);
        let Some(name) = name else { return Err(p) };
        let common = head.validate(Address::new(KindName::Entity, name), node, FIELDS, &mut p);
        match schema {
            Some(schema) if p.is_empty() => Ok(Entity {
                common,
                database: ctx.env.database.clone(),
                schema: Spanned::new(schema, raw.schema.span),
                join_keys: keys.into_iter().map(|k| k.value).collect(),
                description: raw.description,
            }),
            _ => Err(p),
        }
    }

    /// The entity name, resolved.
    pub fn name(&self) -> &Ident {
        &self.common.address.name
    }

    /// The tag holding the entity (`SNOWML_FEATURE_STORE_ENTITY_<NAME>`).
    pub fn tag(&self) -> Ident {
        Ident::from_resolved(ENTITY_TAG_PREFIX).concat(self.name().as_str())
    }

    /// The tag value / allowed value: the join keys joined by `,`.
    pub fn join_keys_value(&self) -> String {
        self.join_keys
            .iter()
            .map(Ident::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn check_join_keys(span: &crate::diag::Span, keys: &[Spanned<Ident>], p: &mut Diagnostics) {
    if keys.is_empty() {
        p.push(
            Diagnostic::error("an entity needs at least one join key")
                .at(span.clone())
                .hint("list the key columns, e.g. `join_keys: [PUDO_ID]`"),
        );
    }
    if keys.len() > 300 {
        p.push(
            Diagnostic::error(format!(
                "an entity has at most 300 join keys, this one has {}",
                keys.len()
            ))
            .at(span.clone())
            .hint("split the entity"),
        );
    }
    for (i, key) in keys.iter().enumerate() {
        if key.value.as_str().contains(',') {
            p.push(
                Diagnostic::error(format!("the join key `{}` holds a comma", key.value))
                    .at(key.span.clone())
                    .hint("Snowflake ML joins the keys with commas; rename the column"),
            );
        }
        if keys[..i].iter().any(|k| k.value == key.value) {
            p.push(
                Diagnostic::error(format!("the join key `{}` is listed twice", key.value))
                    .at(key.span.clone())
                    .hint("list each key once"),
            );
        }
    }
    let joined: usize =
        keys.iter().map(|k| k.value.as_str().len()).sum::<usize>() + keys.len().saturating_sub(1);
    if joined > 256 {
        p.push(Diagnostic::error(format!("the join keys joined by commas are {joined} characters, more than 256"))
            .at(span.clone())
            .hint("Snowflake stores them as one tag value of at most 256 characters; use fewer or shorter keys"));
    }
}

impl Declaration for Entity {
    fn common(&self) -> &Common {
        &self.common
    }

    fn references(&self) -> Vec<Reference> {
        Reference::placement(&self.schema, None)
    }

    fn check(&self, world: &World<'_>, problems: &mut Diagnostics) {
        world.require_feature_store(&self.schema, "an entity", problems);
    }

    fn fqn(&self) -> String {
        format!("{}.{}.{}", self.database, self.schema.value, self.tag())
    }

    fn attributes(&self, _world: &World<'_>) -> Attributes {
        Attributes::from([
            (DATABASE.to_string(), json!(self.database.as_str())),
            (SCHEMA.to_string(), json!(self.schema.value.as_str())),
            (NAME.to_string(), json!(self.name().as_str())),
            (TAG.to_string(), json!(self.tag().as_str())),
            (
                JOIN_KEYS.to_string(),
                json!(self.join_keys.iter().map(Ident::as_str).collect::<Vec<_>>()),
            ),
            (DESCRIPTION.to_string(), empty_to_null(&self.description)),
        ])
    }
}
