//! Registry models, their versions, metrics, aliases and default version.

use std::any::Any;

use proptest::prelude::*;

use crate::project::*;
use crate::text::*;
use crate::*;

#[derive(Debug, Clone)]
pub(crate) struct Version {
    pub(crate) comment: Option<String>,
    pub(crate) metrics: Option<String>,
    pub(crate) aliases: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// The schema as written in YAML.
    pub(crate) schema: &'static str,
    pub(crate) comment: Option<String>,
    /// Index of the declared default version, and whether it is written lower-case.
    pub(crate) default_version: Option<(usize, bool)>,
    /// The version holding the alias CHAMPION.
    pub(crate) champion: Option<usize>,
    pub(crate) versions: Vec<Version>,
}

impl Fields for Model {
    fn count(&self) -> usize {
        3 + 3 * self.versions.len()
    }
    fn take(&mut self, other: &dyn Any, i: usize) -> String {
        let other = other
            .downcast_ref::<Self>()
            .expect("both cases share one shape");
        match i {
            0 => self.comment = other.comment.clone(),
            1 => self.default_version = other.default_version,
            2 => self.champion = other.champion,
            _ => {
                let (v, f) = ((i - 3) / 3, (i - 3) % 3);
                let (mine, theirs) = (&mut self.versions[v], &other.versions[v]);
                match f {
                    0 => mine.comment = theirs.comment.clone(),
                    1 => mine.metrics = theirs.metrics.clone(),
                    _ => mine.aliases = theirs.aliases.clone(),
                }
                return format!("versions[{v}].{}", ["comment", "metrics", "aliases"][f]);
            }
        }
        ["comment", "default_version", "aliases (CHAMPION)"][i].to_string()
    }
}

pub(crate) fn model(
    versions: usize,
    schema: &'static str,
    open: Open,
) -> impl Strategy<Value = Model> {
    let version = |i: usize| {
        (
            text_field(),
            prop::option::of(json_map(open)),
            prop::option::of(prop::sample::select(vec![
                format!("STABLE_{i}"),
                format!("stable_{i}"),
                format!("BETA_{i}"),
            ])),
        )
            .prop_map(|(comment, metrics, aliases)| Version {
                comment,
                metrics,
                aliases,
            })
    };
    (
        text_field(),
        prop::option::of((0..versions, any::<bool>())),
        prop::option::of(0..versions),
        (0..versions).map(version).collect::<Vec<_>>(),
    )
        .prop_map(
            move |(comment, default_version, champion, versions)| Model {
                schema,
                comment,
                default_version,
                champion,
                versions,
            },
        )
}

impl Model {
    pub(crate) fn yaml(&self) -> String {
        let mut s = format!("kind: Model\nname: MODEL_A\nschema: {}\n", self.schema);
        line(&mut s, "comment", &self.comment);
        if let Some((i, lower)) = self.default_version {
            let name = format!("{}{}", if lower { "v" } else { "V" }, i + 1);
            s.push_str(&format!("default_version: {name}\n"));
        }
        s.push_str("versions:\n");
        for (i, v) in self.versions.iter().enumerate() {
            s.push_str(&format!(
                "  - name: V{n}\n    from: \"@TEST_DB.APP.MODEL_STAGE/model_a/v{n}\"\n",
                n = i + 1
            ));
            if let Some(c) = &v.comment {
                s.push_str(&format!("    comment: {c}\n"));
            }
            if let Some(m) = &v.metrics {
                s.push_str(&format!("    metrics: {m}\n"));
            }
            // A version carries one alias: CHAMPION wins over its own.
            let alias = match self.champion == Some(i) {
                true => Some("CHAMPION"),
                false => v.aliases.as_deref(),
            };
            if let Some(alias) = alias {
                s.push_str(&format!("    aliases: [{alias}]\n"));
            }
        }
        s
    }

    /// The default version's index.
    pub(crate) fn default_index(&self) -> usize {
        self.default_version.map_or(0, |(i, _)| i)
    }
}
