//! The YAML side of `kind: Model`: the raw document, its validation and
//! its canonical attributes (listed in [`super`]'s documentation).

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::json;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::ident::Ident;
use crate::kinds::common::{
    Common, choice, empty_to_null, ident, ident_list, read_document, upper,
};
use crate::kinds::{Declaration, ReadContext, Reference, World};
use crate::load::de::{Spanned, from_node};
use crate::load::suggest::hint_for;
use crate::load::yaml::{Node, Value};
use crate::model::{Address, Attributes, Better, Gate, KindName};

use super::fields::{COMMENT, DATABASE, DEFAULT_VERSION, FIELDS, GATE, NAME, SCHEMA, VERSIONS};

/// Where a model version comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A packaged model on a stage (`@ML.MODELS/pudo/v3`).
    Stage(String),
    /// The same model's version in another environment.
    Promotion {
        /// The environment, as declared.
        env: String,
        /// The source version.
        version: Ident,
        /// Where `from` is written.
        span: Span,
    },
}

/// One declared model version.
#[derive(Debug, Clone, PartialEq)]
pub struct Version {
    /// Resolved version name.
    pub name: Spanned<Ident>,
    /// `from`.
    pub from: Source,
    /// `comment`.
    pub comment: Option<String>,
    /// `metrics` (a JSON object).
    pub metrics: serde_json::Map<String, serde_json::Value>,
    /// `aliases`, resolved, sorted.
    pub aliases: Vec<Ident>,
}

/// A validated model declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Common fields.
    pub common: Common,
    /// The environment's database.
    pub database: Ident,
    /// The schema.
    pub schema: Spanned<Ident>,
    /// `comment`.
    pub comment: Option<String>,
    /// Versions, declared order.
    pub versions: Vec<Version>,
    /// `default_version` or the first version.
    pub default_version: Ident,
    /// `gate`: the metrics gate a new default version must pass.
    pub gate: Option<Gate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    schema: Spanned<String>,
    #[serde(default)]
    comment: Option<String>,
    versions: Spanned<Vec<IgnoredAny>>,
    #[serde(default)]
    default_version: Option<Spanned<String>>,
    #[serde(default, rename = "gate")]
    _gate: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGate {
    metric: Spanned<String>,
    better: Spanned<String>,
    #[serde(default)]
    tolerance: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    name: Spanned<String>,
    #[serde(rename = "from")]
    _from: IgnoredAny,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default, rename = "metrics")]
    _metrics: Option<IgnoredAny>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPromotion {
    env: Spanned<String>,
    version: Spanned<String>,
}

const SYSTEM_ALIASES: [&str; 3] = ["DEFAULT", "FIRST", "LAST"];

impl Model {
    /// Reads an interpolated `kind: Model` document.
    pub fn read(node: &Node, ctx: &ReadContext<'_>) -> Result<Model, Diagnostics> {
        let (head, raw) = read_document::<Raw>(node)?;
        let mut p = Diagnostics::new();
        let name = ident(&head.name, "model", &mut p);
        let schema = ident(&raw.schema, "schema", &mut p);
        let items: &[Node] = match node.get("versions").map(|n| &n.value) {
            Some(Value::Seq(items)) => items,
            _ => &[],
        };
        let versions: Vec<Version> = items
            .iter()
            .filter_map(|item| read_version(item, ctx, &mut p))
            .collect();
        if items.is_empty() {
            p.push(
                Diagnostic::error("a model needs at least one version")
                    .at(raw.versions.span.clone())
                    .hint("add `versions: [{name: V1, from: \"@ML.MODELS/my_model/v1\"}]`"),
            );
        }
        check_versions(&versions, &mut p);
        let default_version = read_default_version(raw.default_version.as_ref(), &versions, &mut p);
        let gate = node.get(GATE).and_then(|g| {
            let default = default_version.as_ref()?;
            let version = versions.iter().find(|v| &v.name.value == default)?;
            read_gate(g, version, &mut p)
        });
        let (Some(name), Some(schema)) = (name, schema) else {
            return Err(p);
        };
        let common = head.validate(Address::new(KindName::Model, name), node, FIELDS, &mut p);
        match default_version {
            Some(default_version) if p.is_empty() => Ok(Model {
                common,
                database: ctx.env.database.clone(),
                schema: Spanned::new(schema, raw.schema.span),
                comment: raw.comment,
                versions,
                default_version,
                gate,
            }),
            _ => Err(p),
        }
    }

    /// The model name, resolved.
    pub fn name(&self) -> &Ident {
        &self.common.address.name
    }

    /// `DB.SCHEMA.NAME` in SQL, each part quoted where needed.
    pub fn sql_name(&self) -> String {
        format!(
            "{}.{}.{}",
            self.database.to_sql(),
            self.schema.value.to_sql(),
            self.name().to_sql()
        )
    }
}

fn read_version(item: &Node, ctx: &ReadContext<'_>, p: &mut Diagnostics) -> Option<Version> {
    let raw: RawVersion = from_node(item).map_err(|d| p.push(d)).ok()?;
    let name = ident(&raw.name, "version", p)?;
    let from = read_source(item.get("from")?, ctx, p)?;
    let metrics = read_metrics(item.get("metrics"), p)?;
    let declared = ident_list(&raw.aliases, "alias", p);
    if let Some(second) = declared.get(1) {
        // `ALTER MODEL m VERSION v UNSET ALIAS` names no alias: a version carries one.
        p.push(
            Diagnostic::error(format!(
                "version `{}` has {} aliases; a Snowflake model version carries one",
                raw.name.value,
                declared.len()
            ))
            .at(second.span.clone())
            .hint("keep one alias on this version, and put the others on other versions"),
        );
    }
    let mut aliases: Vec<Ident> = declared
        .into_iter()
        .map(|a| {
            if SYSTEM_ALIASES.contains(&a.value.as_str()) {
                p.push(
                    Diagnostic::error(format!(
                        "`{}` is a system alias Snowflake sets itself",
                        a.value
                    ))
                    .at(a.span.clone())
                    .hint("use `default_version` for DEFAULT; FIRST and LAST are automatic"),
                );
            }
            a.value
        })
        .collect();
    aliases.sort();
    Some(Version {
        name: Spanned::new(name, raw.name.span),
        from,
        comment: raw.comment,
        metrics,
        aliases,
    })
}

fn read_default_version(
    written: Option<&Spanned<String>>,
    versions: &[Version],
    p: &mut Diagnostics,
) -> Option<Ident> {
    let Some(written) = written else {
        return versions.first().map(|v| v.name.value.clone());
    };
    let default = ident(written, "version", p)?;
    if versions.iter().any(|v| v.name.value == default) {
        return Some(default);
    }
    if !versions.is_empty() {
        let names: Vec<&str> = versions.iter().map(|v| v.name.value.as_str()).collect();
        p.push(
            Diagnostic::error(format!(
                "default_version `{default}` is not one of this model's versions"
            ))
            .at(written.span.clone())
            .hint(hint_for(default.as_str(), "version", &names)),
        );
    }
    None
}

/// `from`: a stage path, or a promotion from another declared environment.
fn read_source(from: &Node, ctx: &ReadContext<'_>, p: &mut Diagnostics) -> Option<Source> {
    match &from.value {
        Value::Str(path) if path.trim().starts_with('@') => {
            Some(Source::Stage(path.trim().to_string()))
        }
        Value::Map(_) => {
            let promo: RawPromotion = from_node(from).map_err(|d| p.push(d)).ok()?;
            let written = &promo.env.value;
            let Some(env) = ctx
                .env_names
                .iter()
                .find(|e| e.eq_ignore_ascii_case(written))
            else {
                p.push(
                    Diagnostic::error(format!("`{written}` is not an environment"))
                        .at(promo.env.span.clone())
                        .hint(hint_for(written, "environment", ctx.env_names)),
                );
                return None;
            };
            if env.eq_ignore_ascii_case(&ctx.env.name) {
                p.push(
                    Diagnostic::error(format!(
                        "a version of this model cannot be promoted from its own environment `{env}`"
                    ))
                    .at(promo.env.span.clone())
                    .hint("name another environment, or take the version from a stage path"),
                );
                return None;
            }
            let version = ident(&promo.version, "version", p)?;
            Some(Source::Promotion {
                env: env.to_string(),
                version,
                span: from.span.clone(),
            })
        }
        _ => {
            p.push(
                Diagnostic::error("`from` must be a stage path or `{env: ENV, version: V}`")
                    .at(from.span.clone())
                    .hint("write `from: \"@ML.MODELS/my_model/v1\"` or `from: {env: STAGING, version: V1}`"),
            );
            None
        }
    }
}

/// `metrics`: a mapping (absent or null is empty).
fn read_metrics(
    metrics: Option<&Node>,
    p: &mut Diagnostics,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    let Some(m) = metrics else {
        return Some(serde_json::Map::new());
    };
    match m.to_json() {
        serde_json::Value::Null => Some(serde_json::Map::new()),
        serde_json::Value::Object(map) => Some(map),
        _ => {
            p.push(
                Diagnostic::error("`metrics` must be a mapping of metric names to values")
                    .at(m.span.clone())
                    .hint("write `metrics: {mape: 0.12}`"),
            );
            None
        }
    }
}

/// `gate`: a metric of the default version's declared metrics, the way it
/// improves, and a tolerance that is a finite number ≥ 0 (default 0).
fn read_gate(node: &Node, default: &Version, p: &mut Diagnostics) -> Option<Gate> {
    if matches!(node.value, Value::Null) {
        return None;
    }
    let raw: RawGate = from_node(node).map_err(|d| p.push(d)).ok()?;
    let options = [("higher", Better::Higher), ("lower", Better::Lower)];
    let better = choice(
        &raw.better,
        "`better` (which way the metric improves)",
        &options,
        upper,
        p,
    );
    let tolerance = match &raw.tolerance {
        None => Some(0.0),
        Some(t) if t.value.is_finite() && t.value >= 0.0 => Some(t.value),
        Some(t) => {
            p.push(
                Diagnostic::error(format!(
                    "the gate's tolerance is {}; it must be a number of 0 or more",
                    t.value
                ))
                .at(t.span.clone())
                .hint("write how much worse the new default may be, e.g. `tolerance: 0.01`, or `0.0` to refuse any drop"),
            );
            None
        }
    };
    let metric = check_gated_metric(&raw.metric, default, p);
    Some(Gate {
        metric: metric?,
        better: better?,
        tolerance: tolerance?,
    })
}

/// The gated metric, which the default version must declare as a number.
fn check_gated_metric(
    metric: &Spanned<String>,
    default: &Version,
    p: &mut Diagnostics,
) -> Option<String> {
    let name = &metric.value;
    let version = &default.name.value;
    match default.metrics.get(name) {
        Some(value) if value.is_number() => Some(name.clone()),
        Some(value) => {
            p.push(
                Diagnostic::error(format!(
                    "the gate compares `{name}`, but the default version {version} declares it as {value}, not a number"
                ))
                .at(metric.span.clone())
                .hint(format!("write a number for `{name}` in {version}'s metrics")),
            );
            None
        }
        None => {
            let names: Vec<&str> = default.metrics.keys().map(String::as_str).collect();
            let known = hint_for(name, "metric", &names);
            p.push(
                Diagnostic::error(format!(
                    "the gate compares `{name}`, which the default version {version} does not declare in its metrics"
                ))
                .at(metric.span.clone())
                .hint(format!("{known}; name one of them, or add `{name}` to {version}'s metrics")),
            );
            None
        }
    }
}

fn check_versions(versions: &[Version], p: &mut Diagnostics) {
    for (i, v) in versions.iter().enumerate() {
        if versions[..i].iter().any(|w| w.name.value == v.name.value) {
            p.push(
                Diagnostic::error(format!("the version `{}` is declared twice", v.name.value))
                    .at(v.name.span.clone())
                    .hint("give each version its own name"),
            );
        }
        for alias in &v.aliases {
            if let Some(other) = versions[..i].iter().find(|w| w.aliases.contains(alias)) {
                p.push(
                    Diagnostic::error(format!(
                        "the alias `{alias}` is on two versions ({} and {})",
                        other.name.value, v.name.value
                    ))
                    .at(v.name.span.clone())
                    .hint("an alias names one version; keep it on one"),
                );
            }
        }
    }
}

impl Declaration for Model {
    fn common(&self) -> &Common {
        &self.common
    }

    fn references(&self) -> Vec<Reference> {
        Reference::placement(&self.schema, None)
    }

    fn check(&self, world: &World<'_>, problems: &mut Diagnostics) {
        for v in &self.versions {
            let Source::Promotion { env, version, span } = &v.from else {
                continue;
            };
            match world.promotions.get(&(env.clone(), self.common.address.clone())) {
                None => problems.push(Diagnostic::error(format!("the model `{}` is not declared in environment `{env}`, so version `{}` cannot come from there", self.name(), v.name.value))
                    .at(span.clone())
                    .hint(format!("declare the model for {env} too (check its `environments:` list), or take the version from a stage path"))),
                Some(src) if !src.versions.contains(version) => {
                    let names: Vec<&str> = src.versions.iter().map(Ident::as_str).collect();
                    problems.push(Diagnostic::error(format!("the model `{}` in `{env}` declares no version `{version}`", self.name()))
                        .at(span.clone())
                        .hint(hint_for(version.as_str(), "version", &names)));
                }
                Some(_) => {}
            }
        }
    }

    fn fqn(&self) -> String {
        format!("{}.{}.{}", self.database, self.schema.value, self.name())
    }

    fn gate(&self) -> Option<Gate> {
        self.gate.clone()
    }

    fn attributes(&self, world: &World<'_>) -> Attributes {
        let versions: Vec<serde_json::Value> = self
            .versions
            .iter()
            .map(|v| {
                let from = match &v.from {
                    Source::Stage(path) => json!({"stage": path}),
                    Source::Promotion { env, version, .. } => {
                        let fqn = world
                            .promotions
                            .get(&(env.clone(), self.common.address.clone()))
                            .map(|s| s.fqn.clone());
                        json!({"env": env, "model": fqn, "version": version.as_str()})
                    }
                };
                json!({
                    "name": v.name.value.as_str(),
                    "from": from,
                    "comment": empty_to_null(&v.comment),
                    "metrics": v.metrics,
                    "aliases": v.aliases.iter().map(Ident::as_str).collect::<Vec<_>>(),
                })
            })
            .collect();
        Attributes::from([
            (DATABASE.to_string(), json!(self.database.as_str())),
            (SCHEMA.to_string(), json!(self.schema.value.as_str())),
            (NAME.to_string(), json!(self.name().as_str())),
            (COMMENT.to_string(), empty_to_null(&self.comment)),
            (
                DEFAULT_VERSION.to_string(),
                json!(self.default_version.as_str()),
            ),
            (VERSIONS.to_string(), json!(versions)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::kinds::testing::resolve;
    use crate::load::Project;
    use crate::model::{Address, Better, Gate};
    use crate::resolve::EnvSelection;

    const MODEL: &str = "\
kind: Schema
name: reg
---
kind: Model
name: pudo
schema: REG
versions:
  - name: V1
    from: \"@ML_DB.REG.MODELS/pudo/v1\"
    metrics: {r2: 0.74, label: first}
  - name: V2
    from: \"@ML_DB.REG.MODELS/pudo/v2\"
    metrics: {r2: 0.82, mse: 0.01}
default_version: V2
";

    /// The rendered problems of `resources`, which must not resolve.
    fn problems(resources: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::create_dir_all(dir.path().join("resources")).unwrap();
        std::fs::write(
            config.join("environments.yaml"),
            "environments:\n  DEV:\n    branches: [dev]\n    database: ml_db\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("resources/all.yaml"), resources).unwrap();
        let project = Project::load(dir.path()).unwrap();
        let selection = project
            .select_with(&EnvSelection::env("DEV"), &|_| None, None)
            .unwrap();
        match project.resolve_selection(selection) {
            Ok(_) => panic!("resolved, expected problems"),
            Err(d) => d.render(Path::new(".")),
        }
    }

    fn with_gate(gate: &str) -> String {
        format!("{MODEL}gate: {gate}\n")
    }

    #[test]
    fn a_gate_travels_with_the_resource_but_not_in_its_attributes() {
        let plain = resolve(MODEL);
        let gated = resolve(&with_gate("{metric: r2, better: Higher, tolerance: 0.01}"));
        let address: Address = "model.PUDO".parse().unwrap();
        let (plain, gated) = (
            plain.resource(&address).unwrap(),
            gated.resource(&address).unwrap(),
        );
        assert_eq!(plain.gate, None);
        assert_eq!(
            gated.gate,
            Some(Gate {
                metric: "r2".into(),
                better: Better::Higher,
                tolerance: 0.01
            })
        );
        assert_eq!(
            gated.attributes, plain.attributes,
            "policy, not Snowflake state"
        );
        let default_tolerance = resolve(&with_gate("{metric: mse, better: lower}"));
        let gate = default_tolerance.resource(&address).unwrap().gate.clone();
        assert_eq!(gate.map(|g| g.tolerance), Some(0.0));
    }

    #[test]
    fn an_unknown_direction_is_refused_with_the_choices() {
        let text = problems(&with_gate("{metric: r2, better: bigger}"));
        assert!(text.contains("`bigger` is not a valid"), "{text}");
        assert!(text.contains("all.yaml:15"), "{text}");
        assert!(text.contains("higher, lower"), "{text}");
    }

    #[test]
    fn a_negative_tolerance_is_refused() {
        let text = problems(&with_gate("{metric: r2, better: higher, tolerance: -0.1}"));
        assert!(text.contains("tolerance is -0.1"), "{text}");
        assert!(text.contains("all.yaml:15"), "{text}");
        assert!(text.contains("tolerance: 0.01"), "{text}");
    }

    #[test]
    fn a_metric_the_default_version_does_not_declare_is_refused() {
        let text = problems(&with_gate("{metric: r3, better: higher}"));
        assert!(
            text.contains("the gate compares `r3`, which the default version V2 does not declare"),
            "{text}"
        );
        assert!(text.contains("all.yaml:15"), "{text}");
        assert!(text.contains("did you mean `r2`?"), "{text}");
        let moved = with_gate("{metric: mse, better: lower}")
            .replace("default_version: V2", "default_version: V1");
        let text = problems(&moved);
        assert!(
            text.contains("default version V1 does not declare"),
            "{text}"
        );
    }

    #[test]
    fn a_gated_metric_must_be_a_number() {
        let text = problems(
            &with_gate("{metric: label, better: higher}")
                .replace("default_version: V2", "default_version: V1"),
        );
        assert!(
            text.contains("declares it as \"first\", not a number"),
            "{text}"
        );
    }

    #[test]
    fn a_gate_refuses_unknown_fields() {
        let text = problems(&with_gate("{metric: r2, better: higher, tolerence: 0.1}"));
        assert!(text.contains("tolerence"), "{text}");
    }
}
