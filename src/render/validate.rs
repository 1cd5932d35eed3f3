//! `floe validate`'s report: one line per valid environment, saying how
//! many resources of each kind it declares. Problems are diagnostics,
//! rendered at the edge like every other error.

use crate::model::{KindName, Resource};

/// `DEV   ok  12 resources (2 schemas, 1 warehouse, ...)`: the environment
/// name padded to `width` (the longest name), then what it declares.
pub fn validate_line(environment: &str, width: usize, resources: &[Resource]) -> String {
    format!("{environment:width$}  ok  {}\n", summary(resources))
}

/// `12 resources (2 schemas, 1 warehouse, ...)` for one environment.
fn summary(resources: &[Resource]) -> String {
    let total = resources.len();
    let parts: Vec<String> = KindName::ALL
        .into_iter()
        .filter_map(|kind| {
            let n = resources.iter().filter(|r| r.address.kind == kind).count();
            (n > 0).then(|| plural(n, kind.noun()))
        })
        .collect();
    if parts.is_empty() {
        "no resources".to_string()
    } else {
        format!("{} ({})", plural(total, "resource"), parts.join(", "))
    }
}

/// `1 entity`, `2 entities`, `3 tasks`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if let Some(stem) = noun.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::reconciler::fakes::resource;
    use serde_json::json;

    #[test]
    fn a_valid_environment_counts_its_resources_by_kind_in_words() {
        let resources = [
            resource("schema.FS", json!({}), &[]),
            resource("entity.A", json!({}), &[]),
            resource("entity.B", json!({}), &[]),
            resource("feature_view.F", json!({}), &[]),
        ];
        assert_eq!(
            validate_line("DEV", 4, &resources),
            "DEV   ok  4 resources (1 schema, 2 entities, 1 feature view)\n"
        );
        assert_eq!(validate_line("PROD", 4, &[]), "PROD  ok  no resources\n");
    }
}
