//! The declared resources of one environment: interpolate every document,
//! keep those the environment declares, read them as their kind, check every
//! cross-resource rule, build the dependency graph and order the resources.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::graph::Graph;
use crate::kinds::{PromotionSource, ReadContext, Spec, World};
use crate::load::environments::ENVIRONMENTS_FILE;
use crate::load::interpolate::interpolate;
use crate::load::suggest::hint_for;
use crate::load::yaml::{Key, Node, Value};
use crate::load::{Environment, Project};
use crate::model::{Address, KindName, Resource};

use super::{EnvSelection, GitInfo, Selection};

/// One environment's declarations, validated and in dependency order.
#[derive(Debug, Clone)]
pub struct ResolvedEnv {
    /// The environment and how it was chosen.
    pub selection: Selection,
    /// The merged, interpolated `config` tree.
    pub config: Node,
    /// The validated declarations, in dependency order.
    pub specs: Vec<Spec>,
    /// The resources, in dependency order (dependencies first), `depends_on` filled.
    pub resources: Vec<Resource>,
    /// The dependency graph.
    pub graph: Graph,
}

impl ResolvedEnv {
    /// The environment.
    pub fn environment(&self) -> &Environment {
        &self.selection.environment
    }

    /// The resource at `address`.
    pub fn resource(&self, address: &Address) -> Option<&Resource> {
        self.resources.iter().find(|r| &r.address == address)
    }
}

fn map(entries: Vec<(&str, Node)>, span: &Span) -> Node {
    let entries = entries
        .into_iter()
        .map(|(k, v)| {
            (
                Key {
                    name: k.to_string(),
                    span: span.clone(),
                },
                v,
            )
        })
        .collect();
    Node::new(Value::Map(entries), span.clone())
}

fn text(value: &str, span: &Span) -> Node {
    Node::new(Value::Str(value.to_string()), span.clone())
}

impl Project {
    /// Resolves the project for `selection` (see [`Project::select`]).
    pub fn resolve(&self, selection: &EnvSelection) -> Result<ResolvedEnv, Diagnostics> {
        let selection = self.select(selection)?;
        self.resolve_selection(selection)
    }

    /// Resolves the declarations of an already chosen environment.
    pub fn resolve_selection(&self, selection: Selection) -> Result<ResolvedEnv, Diagnostics> {
        let env = &selection.environment;
        let config = self.config_tree(env, &selection.git)?;
        let context = self.context(env, &selection.git, config.clone());
        let (docs, specs): (Vec<usize>, Vec<Spec>) =
            self.declarations(env, &context)?.into_iter().unzip();
        let mut problems = Diagnostics::new();
        check_duplicates(&specs, &mut problems);
        let mut world = World::new(env, &specs);
        world.promotions = self.promotions(&specs, &docs, &selection.git);
        check_references(&world, &mut problems);
        for spec in &specs {
            spec.declaration().check(&world, &mut problems);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let graph = Graph::build(&specs);
        let order = graph
            .topological_order()
            .map_err(|cycle| Diagnostics::from(graph.cycle_diagnostic(&cycle, &world)))?;
        // Sized up front: a filtered iterator gives no size hint, and growing
        // by doubling would copy the resources a dozen times at 10k objects.
        let mut resources: Vec<Resource> = Vec::with_capacity(order.len());
        resources.extend(order.iter().filter_map(|a| world.get(a)).map(|spec| {
            let mut r = spec.to_resource(&world);
            r.depends_on = graph.dependencies(&r.address);
            r
        }));
        let positions: Vec<usize> = order.iter().filter_map(|a| world.position(a)).collect();
        drop(world);
        // The declarations move into dependency order rather than being copied.
        let mut slots: Vec<Option<Spec>> = specs.into_iter().map(Some).collect();
        let mut ordered_specs = Vec::with_capacity(positions.len());
        ordered_specs.extend(positions.into_iter().filter_map(|i| slots[i].take()));
        Ok(ResolvedEnv {
            selection,
            config,
            specs: ordered_specs,
            resources,
            graph,
        })
    }

    /// The merged `config` tree of `env`, its strings interpolated with `env` and `git` values.
    pub fn config_tree(&self, env: &Environment, git: &GitInfo) -> Result<Node, Diagnostics> {
        let merged = self.config.merged(&env.name);
        let context = self.context(
            env,
            git,
            Node::new(Value::Map(Vec::new()), Span::file("config")),
        );
        let hint =
            "configuration values may use ${env.*} and ${git.*}, not other ${config.*} values";
        interpolate(&merged, &context).map_err(|problems| {
            let with_hint = |d: Diagnostic| {
                if d.message.contains("${config.") {
                    d.hint(hint)
                } else {
                    d
                }
            };
            Diagnostics(problems.0.into_iter().map(with_hint).collect())
        })
    }

    fn context(&self, env: &Environment, git: &GitInfo, config: Node) -> Node {
        let at = Span::file(ENVIRONMENTS_FILE);
        let env_node = map(
            vec![
                ("name", text(&env.name, &env.span)),
                ("database", text(env.database.as_str(), &env.span)),
                (
                    "vars",
                    match env.vars.value {
                        Value::Null => Node::new(Value::Map(Vec::new()), env.span.clone()),
                        _ => env.vars.clone(),
                    },
                ),
            ],
            &env.span,
        );
        let mut git_entries = Vec::new();
        if let Some(b) = &git.branch {
            git_entries.push(("branch", text(b, &at)));
        }
        if let Some(c) = &git.commit {
            git_entries.push(("commit", text(c, &at)));
        }
        map(
            vec![
                ("config", config),
                ("env", env_node),
                ("git", map(git_entries, &at)),
            ],
            &at,
        )
    }

    /// `(document index, declaration)` for every document `env` declares.
    fn declarations(
        &self,
        env: &Environment,
        context: &Node,
    ) -> Result<Vec<(usize, Spec)>, Diagnostics> {
        let names = self.environments.names();
        let read_ctx = ReadContext {
            env,
            env_names: &names,
        };
        let mut problems = Diagnostics::new();
        let mut out = Vec::new();
        for (i, doc) in self.documents.iter().enumerate() {
            // The filter is read before interpolation, so a document of another
            // environment may use values only that environment has.
            match declared_in(&doc.node, env, &names) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(d) => {
                    problems.push(d);
                    continue;
                }
            }
            let node = match interpolate(&doc.node, context) {
                Ok(node) => node,
                Err(d) => {
                    problems.0.extend(d.0);
                    continue;
                }
            };
            match Spec::read(doc.kind, &node, &read_ctx) {
                Ok(spec) => out.push((i, spec)),
                Err(d) => problems.0.extend(d.0),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }

    /// The source models of every `from: {env, version}` promotion.
    fn promotions(
        &self,
        specs: &[Spec],
        docs: &[usize],
        git: &GitInfo,
    ) -> std::collections::BTreeMap<(String, Address), PromotionSource> {
        let mut out = std::collections::BTreeMap::new();
        for (spec, &doc) in specs.iter().zip(docs) {
            let Spec::Model(model) = spec else { continue };
            for version in &model.versions {
                let crate::kinds::model::declaration::Source::Promotion {
                    env: source_env, ..
                } = &version.from
                else {
                    continue;
                };
                let key = (source_env.clone(), model.common.address.clone());
                if out.contains_key(&key) {
                    continue;
                }
                if let Some(source) = self.model_in(source_env, doc, &model.common.address, git) {
                    out.insert(key, source);
                }
            }
        }
        out
    }

    /// The model declared by document `doc` (or any document with the same
    /// address) in environment `env_name`.
    fn model_in(
        &self,
        env_name: &str,
        doc: usize,
        address: &Address,
        git: &GitInfo,
    ) -> Option<PromotionSource> {
        let env = self.environments.get(env_name)?;
        let config = self.config_tree(env, git).ok()?;
        let context = self.context(env, git, config);
        let names = self.environments.names();
        let read_ctx = ReadContext {
            env,
            env_names: &names,
        };
        let read = |i: usize| -> Option<crate::kinds::model::declaration::Model> {
            let d = &self.documents[i];
            if d.kind != KindName::Model {
                return None;
            }
            if !declared_in(&d.node, env, &names).ok()? {
                return None;
            }
            let node = interpolate(&d.node, &context).ok()?;
            match Spec::read(d.kind, &node, &read_ctx).ok()? {
                Spec::Model(m) => Some(m),
                _ => None,
            }
        };
        let model = read(doc).or_else(|| {
            (0..self.documents.len())
                .filter_map(read)
                .find(|m| &m.common.address == address)
        })?;
        Some(PromotionSource {
            fqn: model.sql_name(),
            versions: model
                .versions
                .iter()
                .map(|v| v.name.value.clone())
                .collect(),
        })
    }
}

/// Whether a document's `environments:` list (if any, written literally) includes `env`.
fn declared_in(node: &Node, env: &Environment, names: &[&str]) -> Result<bool, Diagnostic> {
    let Some(list) = node.get("environments") else {
        return Ok(true);
    };
    let items = match &list.value {
        Value::Seq(items) => items,
        Value::Null => return Ok(true),
        _ => {
            return Err(
                Diagnostic::error("`environments` must be a list of environment names")
                    .at(list.span.clone())
                    .hint(format!("write e.g. `environments: [{}]`", names.join(", "))),
            );
        }
    };
    let mut included = false;
    for item in items {
        let name = item.value.scalar_text().unwrap_or_default();
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            return Err(Diagnostic::error(format!("`{name}` is not an environment"))
                .at(item.span.clone())
                .hint(hint_for(&name, "environment", names)));
        }
        included |= env.name.eq_ignore_ascii_case(&name);
    }
    Ok(included)
}

fn check_duplicates(specs: &[Spec], problems: &mut Diagnostics) {
    let mut first_at: HashMap<&Address, &Spec> = HashMap::with_capacity(specs.len());
    for spec in specs {
        let first = *first_at.entry(spec.address()).or_insert(spec);
        if !std::ptr::eq(first, spec) {
            let common = spec.declaration().common();
            problems.push(
                Diagnostic::error(format!("`{}` is declared twice", spec.address()))
                    .at(common.name_span.clone())
                    .caused_by(format!("it is first declared at {}", first.declaration().common().span))
                    .hint("rename one of them, or restrict each to different environments with `environments:`"),
            );
        }
    }
}

fn check_references(world: &World<'_>, problems: &mut Diagnostics) {
    for spec in world.specs {
        let kind = spec.declaration();
        for r in kind.references() {
            if world.get(&r.target).is_none() {
                let what = r.target.kind.yaml_name().to_lowercase();
                let what = if r.target.kind == KindName::FeatureView {
                    "feature view".to_string()
                } else {
                    what
                };
                problems.push(
                    Diagnostic::error(format!(
                        "`{}` names the {what} `{}`, which is not declared",
                        r.field, r.target.name
                    ))
                    .at(r.span.clone())
                    .hint(hint_for(
                        r.target.name.as_str(),
                        &what,
                        &world.names_of(r.target.kind),
                    )),
                );
            }
        }
        for d in &kind.common().depends_on {
            if world.get(&d.value).is_none() {
                let all: Vec<String> = world
                    .specs
                    .iter()
                    .map(|s| s.address().to_string())
                    .collect();
                let all: Vec<&str> = all.iter().map(String::as_str).collect();
                problems.push(
                    Diagnostic::error(format!(
                        "depends_on names `{}`, which is not declared",
                        d.value
                    ))
                    .at(d.span.clone())
                    .hint(hint_for(&d.value.to_string(), "resource", &all)),
                );
            }
        }
    }
}
