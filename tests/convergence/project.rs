//! The shape of a case (what exists, how tasks connect), the resources of
//! one project, and the field-by-field edit between two of the same shape.

use std::any::Any;

use proptest::prelude::*;
use proptest::sample::Index;

use crate::account::*;
use crate::feature_store::*;
use crate::models::*;
use crate::tasks::*;
use crate::text::*;
use crate::*;

/// Lets an edit copy one field of a resource from another of the same shape.
pub(crate) trait Fields {
    /// How many fields an edit may pick.
    fn count(&self) -> usize;
    /// Copies field `i` from `other` (the same resource in a case of the
    /// same shape, so of the same type), returning the field's name.
    fn take(&mut self, other: &dyn Any, i: usize) -> String;
}

/// `fields!(Kind: a, b, c)` implements [`Fields`] over the named fields,
/// each copied whole (a tuple field is one edit).
macro_rules! fields {
    ($t:ty: $($f:ident),* $(,)?) => {
        impl Fields for $t {
            fn count(&self) -> usize {
                [$(stringify!($f)),*].len()
            }
            fn take(&mut self, other: &dyn Any, i: usize) -> String {
                let other = other.downcast_ref::<Self>().expect("both cases share one shape");
                let names = [$(stringify!($f)),*];
                let mut k = 0;
                $(
                    if i == k {
                        self.$f = other.$f.clone();
                    }
                    k += 1;
                )*
                let _ = k;
                names[i % names.len()].to_string()
            }
        }
    };
}

/// What exists and how it connects; fixed across the edit.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub(crate) second_warehouse: bool,
    pub(crate) second_entity: bool,
    pub(crate) second_feature_view: bool,
    pub(crate) model_versions: usize,
    /// For each child task, the earlier tasks (0 = the root) it runs after.
    pub(crate) children: Vec<Vec<usize>>,
    pub(crate) finalizer: bool,
    /// How the schema of tasks and models is written (`APP`, `app`, `'"App"'`).
    pub(crate) app_schema: &'static str,
    /// Entities, feature views and tasks have quoted mixed-case names.
    pub(crate) quoted: bool,
}

impl Shape {
    /// How YAML writes the resource named `plain`: as is, or quoted in mixed case.
    pub(crate) fn name(&self, plain: &'static str) -> &'static str {
        if !self.quoted {
            return plain;
        }
        match plain {
            "E_POINT" => "'\"ePoint\"'",
            "E_CARRIER" => "'\"eCarrier\"'",
            "FV_AMOUNT" => "'\"fvAmount\"'",
            "FV_DAILY" => "'\"fv daily\"'",
            "ROOT" => "'\"Root\"'",
            "STEP_1" => "'\"Step 1\"'",
            "STEP_2" => "'\"step_2\"'",
            "STEP_3" => "'\"Step-3\"'",
            other => other,
        }
    }
}

pub(crate) fn shape(open: Open) -> impl Strategy<Value = Shape> {
    let children = (0usize..4).prop_flat_map(|n| {
        (0..n)
            .map(|i| prop::sample::subsequence((0..=i).collect::<Vec<_>>(), 1..=(i + 1).min(2)))
            .collect::<Vec<_>>()
    });
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0usize..4,
        children,
        any::<bool>(),
        prop::sample::select(&["APP", "app", "'\"App\"'"][..]),
        any::<bool>(),
    )
        .prop_map(move |(w, e, f, m, children, fin, app, quoted)| Shape {
            second_warehouse: w,
            second_entity: e,
            second_feature_view: f,
            model_versions: m,
            children,
            finalizer: fin && open.finalizer,
            app_schema: app,
            quoted,
        })
}

/// Every declared resource of one case.
#[derive(Debug, Clone)]
pub(crate) struct Resources {
    pub(crate) schemas: Vec<Schema>,
    pub(crate) warehouses: Vec<Warehouse>,
    pub(crate) entities: Vec<Entity>,
    pub(crate) feature_views: Vec<FeatureView>,
    pub(crate) model: Option<Model>,
    pub(crate) tasks: Vec<Task>,
}

pub(crate) fn resources(shape: Shape, open: Open) -> BoxedStrategy<Resources> {
    let mut warehouses = vec![warehouse("WH_A").boxed()];
    if shape.second_warehouse {
        warehouses.push(warehouse("'\"Wh_b\"'").boxed());
    }
    let mut entities = vec![
        entity(
            shape.name("E_POINT"),
            &["[ID]", "[id]", "[ID, DAY]", "[id, day]"],
            open,
        )
        .boxed(),
    ];
    if shape.second_entity {
        entities.push(entity(shape.name("E_CARRIER"), &["[CARRIER]", "[carrier]"], open).boxed());
    }
    let mut feature_views = vec![feature_view(shape.name("FV_AMOUNT"), &shape).boxed()];
    if shape.second_feature_view {
        feature_views.push(feature_view(shape.name("FV_DAILY"), &shape).boxed());
    }
    let model = if shape.model_versions > 0 {
        model(shape.model_versions, shape.app_schema, open)
            .prop_map(Some)
            .boxed()
    } else {
        Just(None).boxed()
    };
    (
        (schema("FS", true), schema(shape.app_schema, false)),
        warehouses,
        entities,
        feature_views,
        model,
        tasks(&shape, open),
    )
        .prop_map(
            |((fs, app), warehouses, entities, feature_views, model, tasks)| Resources {
                schemas: vec![fs, app],
                warehouses,
                entities,
                feature_views,
                model,
                tasks,
            },
        )
        .boxed()
}

impl Resources {
    /// Every resource an edit may change, as (label, fields).
    pub(crate) fn parts(&mut self) -> Vec<(String, &mut dyn Fields)> {
        let mut parts: Vec<(String, &mut dyn Fields)> = Vec::new();
        for s in &mut self.schemas {
            parts.push((format!("schema {}", s.name), s));
        }
        for w in &mut self.warehouses {
            parts.push((format!("warehouse {}", w.name), w));
        }
        for e in &mut self.entities {
            parts.push((format!("entity {}", e.name), e));
        }
        for f in &mut self.feature_views {
            parts.push((format!("feature view {}", f.name), f));
        }
        if let Some(m) = &mut self.model {
            parts.push(("model MODEL_A".to_string(), m));
        }
        for t in &mut self.tasks {
            parts.push((format!("task {}", t.name), t));
        }
        parts
    }

    /// The same resources as [`Resources::parts`], in the same order.
    pub(crate) fn any_parts(&self) -> Vec<&dyn Any> {
        let mut parts: Vec<&dyn Any> = Vec::new();
        parts.extend(self.schemas.iter().map(|s| s as &dyn Any));
        parts.extend(self.warehouses.iter().map(|w| w as &dyn Any));
        parts.extend(self.entities.iter().map(|e| e as &dyn Any));
        parts.extend(self.feature_views.iter().map(|f| f as &dyn Any));
        parts.extend(self.model.iter().map(|m| m as &dyn Any));
        parts.extend(self.tasks.iter().map(|t| t as &dyn Any));
        parts
    }

    /// Copies field `field` of resource `which` from `other` (same shape).
    pub(crate) fn edit(&mut self, other: &Resources, which: Index, field: Index) -> String {
        let others = other.any_parts();
        let mut mine = self.parts();
        let i = which.index(mine.len());
        let (label, part) = &mut mine[i];
        let f = field.index(part.count());
        let name = part.take(others[i], f);
        format!("{label}: {name}")
    }

    /// The files of `resources/`, one per resource.
    pub(crate) fn files(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        for s in &self.schemas {
            files.push((
                format!("resources/schemas/{}.yaml", file_name(s.name)),
                s.yaml(),
            ));
        }
        for (i, w) in self.warehouses.iter().enumerate() {
            files.push((format!("resources/warehouses/{i}.yaml"), w.yaml()));
        }
        for e in &self.entities {
            files.push((
                format!("resources/entities/{}.yaml", file_name(e.name)),
                e.yaml(),
            ));
        }
        for f in &self.feature_views {
            files.push((
                format!("resources/feature_views/{}.yaml", file_name(f.name)),
                f.yaml(),
            ));
        }
        if let Some(m) = &self.model {
            files.push(("resources/models/MODEL_A.yaml".to_string(), m.yaml()));
        }
        for t in &self.tasks {
            files.push((
                format!("resources/tasks/{}.yaml", file_name(&t.name)),
                t.yaml(),
            ));
        }
        files
    }
}
