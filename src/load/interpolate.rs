//! `${...}` interpolation over node trees.
//!
//! A string that is exactly one `${path}` takes the referenced value with its
//! type (a number stays a number, a list a list); inside a longer string the
//! value is formatted; `$${` is a literal `${`. References are dotted paths
//! into a context tree (`config.<group>...`, `env.name`, `env.database`,
//! `env.vars.<k>`, `git.branch`, `git.commit`). An unknown reference is an
//! error at the string's place that lists the keys that do exist. This module
//! does not decide what the context holds.

use super::suggest::did_you_mean;
use super::yaml::{Node, Style, Value};
use crate::diag::{Diagnostic, Diagnostics, Span};

/// Interpolates every string in `node` against `context`, collecting every
/// problem; the result keeps the original places.
pub fn interpolate(node: &Node, context: &Node) -> Result<Node, Diagnostics> {
    let mut problems = Diagnostics::new();
    let out = walk(node, context, &mut problems);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn walk(node: &Node, context: &Node, problems: &mut Diagnostics) -> Node {
    let value = match &node.value {
        Value::Str(text) => match interpolate_str(text, node, context) {
            Ok(value) => value,
            Err(d) => {
                problems.push(d);
                node.value.clone()
            }
        },
        Value::Seq(items) => Value::Seq(items.iter().map(|n| walk(n, context, problems)).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), walk(v, context, problems)))
                .collect(),
        ),
        other => other.clone(),
    };
    // Only the value is rebuilt: cloning the whole node first would copy
    // every subtree once per level above it.
    Node {
        value,
        span: node.span.clone(),
        style: node.style,
    }
}

/// One piece of an interpolated string.
enum Piece<'a> {
    Text(String),
    Reference { path: &'a str, offset: usize },
}

fn pieces<'a>(text: &'a str, node: &Node) -> Result<Vec<Piece<'a>>, Diagnostic> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    let mut consumed = 0;
    while let Some(i) = rest.find('$') {
        literal.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(tail) = after.strip_prefix("$${") {
            literal.push_str("${");
            rest = tail;
            consumed += i + 3;
        } else if let Some(body) = after.strip_prefix("${") {
            let end = body.find('}').ok_or_else(|| {
                Diagnostic::error("`${` is not closed by `}`")
                    .at(place_in(node, text, consumed + i))
                    .hint("close the reference, e.g. `${env.name}`, or write `$${` for a literal `${`")
            })?;
            if !literal.is_empty() {
                out.push(Piece::Text(std::mem::take(&mut literal)));
            }
            out.push(Piece::Reference {
                path: body[..end].trim(),
                offset: consumed + i,
            });
            rest = &body[end + 1..];
            consumed += i + 2 + end + 1;
        } else {
            literal.push('$');
            rest = &after[1..];
            consumed += i + 1;
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        out.push(Piece::Text(literal));
    }
    Ok(out)
}

fn interpolate_str(text: &str, node: &Node, context: &Node) -> Result<Value, Diagnostic> {
    if !text.contains('$') {
        return Ok(Value::Str(text.to_string()));
    }
    let pieces = pieces(text, node)?;
    if let [Piece::Reference { path, offset }] = pieces.as_slice() {
        return Ok(lookup(context, path, node, text, *offset)?.value.clone());
    }
    let mut out = String::new();
    for piece in &pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Reference { path, offset } => {
                let value = &lookup(context, path, node, text, *offset)?.value;
                let formatted = value.scalar_text().ok_or_else(|| {
                    Diagnostic::error(format!("`${{{path}}}` is {} and cannot be put inside a string", value.type_name()))
                        .at(place_in(node, text, *offset))
                        .hint("reference a single value (a string, number or boolean), or make the whole value the reference")
                })?;
                out.push_str(&formatted);
            }
        }
    }
    Ok(Value::Str(out))
}

fn lookup<'c>(
    context: &'c Node,
    path: &str,
    node: &Node,
    text: &str,
    offset: usize,
) -> Result<&'c Node, Diagnostic> {
    let at = || place_in(node, text, offset);
    let mut current = context;
    let mut walked: Vec<&str> = Vec::new();
    for segment in path.split('.') {
        let found = match &current.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == segment)
                .map(|(_, v)| v),
            Value::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match found {
            Some(next) if !segment.is_empty() => current = next,
            _ => return Err(unknown_reference(path, &walked, segment, current).at(at())),
        }
        walked.push(segment);
    }
    Ok(current)
}

fn unknown_reference(path: &str, walked: &[&str], segment: &str, at_level: &Node) -> Diagnostic {
    let level = if walked.is_empty() {
        "the top level".to_string()
    } else {
        format!("`{}`", walked.join("."))
    };
    let mut d = Diagnostic::error(format!("unknown reference `${{{path}}}`"));
    match &at_level.value {
        Value::Map(entries) => {
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
            d = d.caused_by(format!("{level} has no key `{segment}`"));
            if let Some(best) = did_you_mean(segment, keys.iter().copied()) {
                d = d.hint(format!("did you mean `{best}`?"));
            }
            d = if keys.is_empty() {
                d.hint(format!("{level} has no keys"))
            } else {
                d.hint(format!("keys at {level}: {}", keys.join(", ")))
            };
        }
        other => {
            d = d.caused_by(format!(
                "{level} is {}, it has no key `{segment}`",
                other.type_name()
            ))
        }
    }
    if path.starts_with("git.") {
        d = d.hint("git values are known only inside a git checkout; pass the branch with --branch or FLOE_BRANCH");
    }
    d
}

/// The place of byte `offset` of a scalar's text, as near as the scalar's
/// style allows (block scalars are placed at their start).
fn place_in(node: &Node, text: &str, offset: usize) -> Span {
    let before = &text[..offset.min(text.len())];
    match node.style {
        Some(Style::Plain) | Some(Style::Quoted) if !before.contains('\n') => {
            let shift = usize::from(node.style == Some(Style::Quoted));
            Span::in_file(
                &node.span.file,
                node.span.line,
                node.span.column + shift + before.chars().count(),
            )
        }
        _ => node.span.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::parse_documents;
    use std::path::Path;

    fn node(text: &str) -> Node {
        parse_documents(text, Path::new("r.yaml"))
            .unwrap()
            .remove(0)
    }

    fn context() -> Node {
        node(
            "config:\n  wh: {auto_suspend: 60, size: SMALL, tags: [a, b]}\nenv: {name: DEV, database: DB}\n",
        )
    }

    #[test]
    fn whole_references_keep_their_type() {
        let out = interpolate(
            &node("a: ${config.wh.auto_suspend}\nb: \"${config.wh.tags}\"\n"),
            &context(),
        )
        .unwrap();
        assert_eq!(out.get("a").unwrap().value, Value::Int(60));
        assert_eq!(
            out.get("b").unwrap().to_json(),
            serde_json::json!(["a", "b"])
        );
        assert_eq!(&*out.get("a").unwrap().span.file, Path::new("r.yaml"));
    }

    #[test]
    fn references_inside_strings_are_formatted() {
        let out = interpolate(
            &node("a: PUDO_${env.name}_${config.wh.auto_suspend}s\n"),
            &context(),
        )
        .unwrap();
        assert_eq!(out.get("a").unwrap().as_str(), Some("PUDO_DEV_60s"));
    }

    #[test]
    fn double_dollar_is_a_literal() {
        let out = interpolate(
            &node("a: $5 for ${env.name}, $${literal} $$${x}\n"),
            &context(),
        )
        .unwrap();
        assert_eq!(
            out.get("a").unwrap().as_str(),
            Some("$5 for DEV, ${literal} $${x}")
        );
    }

    #[test]
    fn unknown_keys_are_located_and_list_what_exists() {
        let err =
            interpolate(&node("name: x\nsize: WH_${config.wh.sise}\n"), &context()).unwrap_err();
        let d = &err.0[0];
        assert_eq!(
            d.to_string(),
            "unknown reference `${config.wh.sise}` (at r.yaml:2:10)"
        );
        assert_eq!(d.causes, vec!["`config.wh` has no key `sise`"]);
        assert_eq!(d.hints[0], "did you mean `size`?");
        assert_eq!(d.hints[1], "keys at `config.wh`: auto_suspend, size, tags");
    }

    #[test]
    fn every_problem_is_reported_and_unclosed_references_too() {
        let err = interpolate(
            &node("a: ${nope}\nb: ${env.nme}\nc: '${env.name'\n"),
            &context(),
        )
        .unwrap_err();
        assert_eq!(err.0.len(), 3);
        assert!(err.0[2].message.contains("not closed"));
        assert_eq!(
            err.0[2].to_string(),
            "`${` is not closed by `}` (at r.yaml:3:5)"
        );
    }

    #[test]
    fn collections_cannot_be_formatted_into_strings() {
        let err = interpolate(&node("a: x${config.wh.tags}\n"), &context()).unwrap_err();
        assert!(err.0[0].message.contains("is a list"));
    }
}
