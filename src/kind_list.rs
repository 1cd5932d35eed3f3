//! The list of resource kinds, the one place a kind is registered.
//!
//! It sits below every stage because both the model ([`crate::model::KindName`])
//! and the kinds themselves ([`crate::kinds::Spec`]) are generated from it.
//! It names each kind's declaration and reconciler as plain tokens: they are
//! resolved where the list is expanded, inside `crate::kinds`.

/// The list of kinds, the one place a kind is registered: calls
/// `$callback!` with one entry per kind, in the order plans group them.
///
/// An entry is `(Variant, module, Declaration, Reconciler, "noun", "doc")`:
/// the [`crate::model::KindName`] variant (also the YAML `kind:` value), the module under
/// `src/kinds/` (also the address prefix), the declaration type and the
/// reconciler value in that module, the kind's name in a sentence
/// (`2 feature views`), and a short description for docs.
/// [`crate::model`] builds [`crate::model::KindName`] from it; this module builds
/// [`crate::kinds::Spec`] and [`crate::kinds::reconciler_kinds`].
///
/// Adding a kind: a folder `src/kinds/<module>/` with its declaration,
/// reconciler, JSON Schema and import, its `pub mod` line in
/// `src/kinds/mod.rs`, and one entry here.
macro_rules! for_each_kind {
    ($callback:ident) => {
        $callback! {
            (Schema, schema, Schema, SchemaKind, "schema",
                "a schema in the environment's database"),
            (Warehouse, warehouse, Warehouse, WarehouseKind, "warehouse",
                "an account-level warehouse"),
            (Entity, entity, Entity, EntityKind, "entity",
                "a feature-store entity tag"),
            (FeatureView, feature_view, FeatureView, FeatureViewKind, "feature view",
                "a feature-store view or dynamic table `NAME$VERSION`"),
            (Model, model, Model, ModelKind, "model",
                "a model-registry model with its versions"),
            (Task, task, Task, TaskKind, "task",
                "a task in a task graph"),
        }
    };
}
pub(crate) use for_each_kind;
