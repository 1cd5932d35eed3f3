//! The promotion preview of a model's plan: the versions being added (and
//! where from), and, when the default version changes, the new default's
//! declared metrics beside those of the live default (the baseline: what
//! the environment serves now), judged by the model's [`Gate`].
//!
//! The new default's metrics are the declared ones (what floe writes to
//! the version); the baseline's are what introspection read from the live
//! default version's metadata. A new model has no baseline and is never a
//! regression. A live default version with no metrics at all, which is
//! also declared, is judged by its declared metrics, which this apply
//! writes onto it: so is a model whose create was cut short after `CREATE
//! MODEL` and before its versions' metadata.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kinds::model::fields::{DEFAULT_VERSION, VERSIONS};
use crate::kinds::reconciler::LiveObject;
use crate::model::{Gate, KindName, Resource, Verdict};

/// A version the plan adds to a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddedVersion {
    /// The version's name.
    pub version: String,
    /// Where it comes from, as the canonical `from` attribute:
    /// `{"stage": "@..."}` or `{"env": "STAGING", "model": "...", "version": "V3"}`.
    pub from: Value,
}

impl AddedVersion {
    /// The environment it is promoted from, if it is a promotion.
    pub fn promoted_from(&self) -> Option<&str> {
        self.from.get("env").and_then(Value::as_str)
    }
}

/// One metric of the new default and of the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricComparison {
    /// The metric's name.
    pub metric: String,
    /// The new default's declared value (`None` when it has none).
    pub new: Option<Value>,
    /// The live default's value (`None` when it has none, or nothing is served).
    pub baseline: Option<Value>,
    /// `new - baseline` when both are numbers.
    pub difference: Option<f64>,
}

/// A change of a model's default version, and its gate's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefaultChange {
    /// The new default version.
    pub version: String,
    /// The live default version, `None` for a model not yet served.
    pub baseline: Option<String>,
    /// Every metric either side has, by name.
    pub metrics: Vec<MetricComparison>,
    /// The model's gate, if it declares one.
    pub gate: Option<Gate>,
    /// The gate's verdict (and, for a missing metric, which side lacks it).
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl DefaultChange {
    /// The gated metric's comparison, if the model has a gate.
    pub fn gated(&self) -> Option<&MetricComparison> {
        let gate = self.gate.as_ref()?;
        self.metrics.iter().find(|m| m.metric == gate.metric)
    }
}

/// What a model's plan promotes and how its new default compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetrics {
    /// The versions being added, declared order.
    pub added: Vec<AddedVersion>,
    /// The default version's change, when it changes.
    pub default_version: Option<DefaultChange>,
}

/// The preview of a model's create, update or replace, or `None` for other
/// kinds and for models whose versions and default stay as they are.
/// `default_changes` says whether the plan moves the default version (a
/// new model, a replaced one, or a changed `default_version`); a default
/// version re-created from another source serves a new artifact too, so
/// it is compared as well. A version added again from another source
/// counts as added.
pub(super) fn model_metrics(
    declared: Option<&Resource>,
    live: Option<&LiveObject>,
    default_changes: bool,
) -> Option<ModelMetrics> {
    let declared = declared.filter(|d| d.address.kind == KindName::Model)?;
    let live = live.map(|l| &l.attributes);
    let live_versions = live.map(|l| versions(l.get(VERSIONS))).unwrap_or_default();
    let added = versions(declared.attributes.get(VERSIONS))
        .into_iter()
        .filter(|v| is_new(v, &live_versions))
        .map(|v| AddedVersion {
            version: name(v).to_string(),
            from: v.get("from").cloned().unwrap_or(Value::Null),
        })
        .collect::<Vec<_>>();
    let default = declared
        .attributes
        .get(DEFAULT_VERSION)
        .and_then(Value::as_str);
    let resourced_default =
        live.is_some() && added.iter().any(|a| Some(a.version.as_str()) == default);
    let default_version = (default_changes || resourced_default)
        .then(|| default_change(declared, live.map(|l| (l, live_versions.as_slice()))))
        .flatten();
    let preview = ModelMetrics {
        added,
        default_version,
    };
    (!preview.added.is_empty() || preview.default_version.is_some()).then_some(preview)
}

/// True for a declared version the account does not hold, or holds from
/// another known source (live `from` is known only through state).
fn is_new(declared: &Value, live: &[&Value]) -> bool {
    match live.iter().find(|l| name(l) == name(declared)) {
        None => true,
        Some(seen) => {
            let from = seen.get("from").filter(|f| !f.is_null());
            from.is_some_and(|f| Some(f) != declared.get("from"))
        }
    }
}

/// The declared default's metrics against the live default's.
fn default_change(
    declared: &Resource,
    live: Option<(&crate::model::Attributes, &[&Value])>,
) -> Option<DefaultChange> {
    let version = declared.attributes.get(DEFAULT_VERSION)?.as_str()?;
    let declared_metrics = |version: &str| {
        versions(declared.attributes.get(VERSIONS))
            .into_iter()
            .find(|v| name(v) == version)
            .map(metrics_of)
            .unwrap_or_default()
    };
    let baseline = live.and_then(|(attributes, versions)| {
        let name_served = attributes.get(DEFAULT_VERSION)?.as_str()?;
        let served = versions.iter().find(|v| name(v) == name_served);
        let metrics = served.map(|v| metrics_of(v)).unwrap_or_default();
        if metrics.is_empty() {
            return Some((name_served.to_string(), declared_metrics(name_served)));
        }
        Some((name_served.to_string(), metrics))
    });
    let new = declared_metrics(version);
    let metrics = compare(&new, baseline.as_ref().map(|(_, m)| m));
    let gate = declared.gate.clone();
    let verdict = match (&gate, &baseline) {
        (None, _) => Verdict::Ungated,
        (Some(_), None) => Verdict::NoBaseline,
        (Some(g), Some((_, old))) => g.judge(new.get(&g.metric), old.get(&g.metric)),
    };
    Some(DefaultChange {
        version: version.to_string(),
        baseline: baseline.map(|(name, _)| name),
        metrics,
        gate,
        verdict,
    })
}

type Metrics = serde_json::Map<String, Value>;

/// Every metric of either side, by name.
fn compare(new: &Metrics, baseline: Option<&Metrics>) -> Vec<MetricComparison> {
    let mut names: Vec<&String> = new
        .keys()
        .chain(baseline.into_iter().flat_map(|b| b.keys()))
        .collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|metric| {
            let new = new.get(metric).cloned();
            let baseline = baseline.and_then(|b| b.get(metric)).cloned();
            let difference = match (
                new.as_ref().and_then(Value::as_f64),
                baseline.as_ref().and_then(Value::as_f64),
            ) {
                (Some(n), Some(b)) => Some(rounded(n - b)),
                _ => None,
            };
            MetricComparison {
                metric: metric.clone(),
                new,
                baseline,
                difference,
            }
        })
        .collect()
}

/// `x` to 12 significant digits, so that `0.74 - 0.82` reads `-0.08`.
fn rounded(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

fn versions(value: Option<&Value>) -> Vec<&Value> {
    value
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn name(version: &Value) -> &str {
    version.get("name").and_then(Value::as_str).unwrap_or("")
}

fn metrics_of(version: &Value) -> Metrics {
    version
        .get("metrics")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::kinds::reconciler::fakes::{live, resource};
    use crate::model::{Better, Side};

    const R2: (&str, f64) = ("r2", 0.0);

    /// A model declared with `versions` (name, from, r2) and `default`.
    fn model(
        versions: &[(&str, Value, Value)],
        default: &str,
        gate: Option<(&str, f64)>,
    ) -> Resource {
        let versions: Vec<Value> = versions
            .iter()
            .map(|(name, from, metrics)| json!({"name": name, "from": from, "metrics": metrics, "aliases": []}))
            .collect();
        let mut r = resource(
            "model.PUDO",
            json!({"default_version": default, "versions": versions}),
            &[],
        );
        r.gate = gate.map(|(metric, tolerance)| Gate {
            metric: metric.into(),
            better: Better::Higher,
            tolerance,
        });
        r
    }

    fn stage(path: &str) -> Value {
        json!({"stage": path})
    }

    fn promoted(version: &str) -> Value {
        json!({"env": "STAGING", "model": "DB.REG.PUDO", "version": version})
    }

    fn served(declared: &Resource, default: &str) -> LiveObject {
        let mut attributes = Value::Object(declared.attributes.clone().into_iter().collect());
        attributes["default_version"] = json!(default);
        live("model.PUDO", attributes)
    }

    #[test]
    fn a_new_model_lists_its_promotions_and_has_no_baseline() {
        let declared = model(
            &[
                ("V1", promoted("V1"), json!({"r2": 0.74})),
                ("V2", promoted("V2"), json!({"r2": 0.82})),
            ],
            "V2",
            Some(R2),
        );
        let preview = model_metrics(Some(&declared), None, true).unwrap();
        let envs: Vec<_> = preview
            .added
            .iter()
            .map(AddedVersion::promoted_from)
            .collect();
        assert_eq!(envs, [Some("STAGING"), Some("STAGING")]);
        let default = preview.default_version.unwrap();
        assert_eq!(default.baseline, None);
        assert_eq!(default.verdict, Verdict::NoBaseline);
        assert!(!default.verdict.refuses());
        assert_eq!(default.metrics[0].new, Some(json!(0.82)));
        assert_eq!(default.metrics[0].difference, None);
    }

    #[test]
    fn a_new_default_is_compared_with_the_live_default() {
        let before = model(
            &[
                ("V1", stage("@S/v1"), json!({"r2": 0.74})),
                ("V2", stage("@S/v2"), json!({"r2": 0.82, "mse": 0.01})),
            ],
            "V2",
            Some(R2),
        );
        let mut after = before.clone();
        after
            .attributes
            .insert("default_version".into(), json!("V1"));
        let preview = model_metrics(Some(&after), Some(&served(&before, "V2")), true).unwrap();
        assert!(preview.added.is_empty());
        let default = preview.default_version.unwrap();
        assert_eq!(default.baseline.as_deref(), Some("V2"));
        assert_eq!(default.verdict, Verdict::Regression);
        let names: Vec<&str> = default.metrics.iter().map(|m| m.metric.as_str()).collect();
        assert_eq!(names, ["mse", "r2"], "every metric of either side");
        let r2 = default.gated().unwrap();
        assert_eq!(
            (r2.new.clone(), r2.baseline.clone()),
            (Some(json!(0.74)), Some(json!(0.82)))
        );
        assert_eq!(r2.difference, Some(-0.08));
        assert_eq!(default.metrics[0].new, None, "V1 declares no mse");

        after.gate = None;
        let ungated = model_metrics(Some(&after), Some(&served(&before, "V2")), true);
        assert_eq!(
            ungated.unwrap().default_version.unwrap().verdict,
            Verdict::Ungated
        );
    }

    #[test]
    fn an_added_better_default_passes_and_a_baseline_without_the_metric_refuses() {
        let before = model(
            &[("V1", stage("@S/v1"), json!({"mse": 0.2}))],
            "V1",
            Some(R2),
        );
        let after = model(
            &[
                ("V1", stage("@S/v1"), json!({"mse": 0.2})),
                ("V2", stage("@S/v2"), json!({"r2": 0.9})),
            ],
            "V2",
            Some(R2),
        );
        let preview = model_metrics(Some(&after), Some(&served(&before, "V1")), true).unwrap();
        assert_eq!(preview.added.len(), 1);
        assert_eq!(preview.added[0].version, "V2");
        assert_eq!(preview.added[0].promoted_from(), None);
        let default = preview.default_version.unwrap();
        assert_eq!(default.verdict, Verdict::MissingMetric(Side::Baseline));
        assert!(default.verdict.refuses());

        let mut better = before.clone();
        better.attributes = after.attributes.clone();
        let live_r2 = model(
            &[("V1", stage("@S/v1"), json!({"r2": 0.8}))],
            "V1",
            Some(R2),
        );
        let preview = model_metrics(Some(&better), Some(&served(&live_r2, "V1")), true).unwrap();
        assert_eq!(preview.default_version.unwrap().verdict, Verdict::Passes);
    }

    #[test]
    fn a_live_default_without_metrics_is_judged_by_its_declared_ones() {
        // A create cut short after CREATE MODEL: V1 holds no metadata yet.
        let declared = model(
            &[
                ("V1", stage("@S/v1"), json!({"r2": 0.74})),
                ("V2", stage("@S/v2"), json!({"r2": 0.82})),
            ],
            "V2",
            Some(R2),
        );
        let cut_short = model(&[("V1", stage("@S/v1"), json!({}))], "V1", Some(R2));
        let preview =
            model_metrics(Some(&declared), Some(&served(&cut_short, "V1")), true).unwrap();
        let default = preview.default_version.unwrap();
        assert_eq!(default.baseline.as_deref(), Some("V1"));
        assert_eq!(default.verdict, Verdict::Passes);
        assert_eq!(default.gated().unwrap().baseline, Some(json!(0.74)));

        // Declared worse than what it would replace, it is still refused.
        let worse = model(
            &[
                ("V1", stage("@S/v1"), json!({"r2": 0.74})),
                ("V2", stage("@S/v2"), json!({"r2": 0.5})),
            ],
            "V2",
            Some(R2),
        );
        let preview = model_metrics(Some(&worse), Some(&served(&cut_short, "V1")), true).unwrap();
        assert!(preview.default_version.unwrap().verdict.refuses());
    }

    #[test]
    fn a_default_re_created_from_another_source_is_compared() {
        let before = model(
            &[("V1", stage("@S/v1"), json!({"r2": 0.8}))],
            "V1",
            Some(R2),
        );
        let after = model(
            &[("V1", stage("@S/v1b"), json!({"r2": 0.7}))],
            "V1",
            Some(R2),
        );
        let preview = model_metrics(Some(&after), Some(&served(&before, "V1")), false).unwrap();
        assert_eq!(preview.added[0].from, stage("@S/v1b"));
        assert_eq!(
            preview.default_version.unwrap().verdict,
            Verdict::Regression
        );
    }

    #[test]
    fn an_unchanged_default_and_other_kinds_have_no_comparison() {
        let declared = model(
            &[("V1", stage("@S/v1"), json!({"r2": 0.8}))],
            "V1",
            Some(R2),
        );
        let seen = served(&declared, "V1");
        assert_eq!(model_metrics(Some(&declared), Some(&seen), false), None);
        let warehouse = resource("warehouse.W", json!({"size": "SMALL"}), &[]);
        assert_eq!(model_metrics(Some(&warehouse), None, true), None);
    }
}
