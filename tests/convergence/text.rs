//! YAML text of generated fields: scalars in every quoting style, comments
//! with quotes, unicode and `$$`, floats, nested mappings.

use proptest::prelude::*;

use crate::*;

/// A YAML scalar holding `text`, in the style `style` picks.
pub(crate) fn scalar(text: &str, style: u8) -> String {
    let plain_ok = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.,()".contains(c))
        && text.starts_with(|c: char| c.is_ascii_alphabetic())
        && !text.ends_with(' ')
        && !["true", "false", "null", "yes", "no", "on", "off"]
            .contains(&text.to_ascii_lowercase().as_str());
    match style % 3 {
        0 if plain_ok => text.to_string(),
        1 if !text.contains('\n') => format!("'{}'", text.replace('\'', "''")),
        _ => serde_json::to_string(text).expect("a string serialises"),
    }
}

/// Pieces comments and descriptions are made of: quotes, backslashes,
/// unicode, `$$`, SQL comment and statement separators.
pub(crate) const PIECES: &[&str] = &[
    "Daily",
    "features",
    "it's",
    "say \"hi\"",
    "back\\slash",
    "naïve café",
    "日本語のコメント",
    "🚀 launch",
    "$$",
    "$$ body $$",
    "cost $5",
    "50% off",
    "a -- b",
    "semi; colon",
    "tab\there",
    "two\nlines",
    "{braces}",
    "#hash",
    "key: value",
];

pub(crate) fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..4).prop_map(|p| p.join(" "))
}

/// An optional `key: <text>` line.
/// An optional comment or description, now and then empty or padded with spaces.
pub(crate) fn text_field() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        8 => (text(), any::<u8>()).prop_map(|(t, s)| scalar(&t, s)),
        1 => Just("\"\"".to_string()),
        1 => text().prop_map(|t| scalar(&format!("  {t} "), 2)),
    ])
}

pub(crate) fn pick(options: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(options).prop_map(str::to_string))
}

/// A float as YAML writes it: short decimals always, every digit when the
/// open forms are on.
pub(crate) fn float(open: Open) -> BoxedStrategy<String> {
    let short = prop_oneof![
        (0u32..10_000).prop_map(|n| format!("{}", f64::from(n) / 10_000.0)),
        (1u32..1000).prop_map(|n| format!("{n}.5")),
        Just("1.0".to_string()),
        Just("-0.25".to_string()),
        Just("1.5e-3".to_string()),
    ];
    if open.full_precision_floats {
        prop_oneof![short, (0.0f64..1.0).prop_map(|f| format!("{f}"))].boxed()
    } else {
        short.boxed()
    }
}

/// A flow mapping of metrics or config: numbers, floats, strings, booleans,
/// a nested mapping and a list.
pub(crate) fn json_map(open: Open) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        float(open),
        (0u32..100_000).prop_map(|n| n.to_string()),
        Just("true".to_string()),
        text().prop_map(|t| serde_json::to_string(&t).expect("a string serialises")),
    ];
    let nested = prop::collection::vec(float(open), 0..3)
        .prop_map(|fs| format!("{{auc: [{}], ok: false}}", fs.join(", ")));
    (prop::collection::vec(leaf, 1..4), prop::option::of(nested)).prop_map(|(leaves, nested)| {
        let mut entries: Vec<String> = leaves
            .iter()
            .enumerate()
            .map(|(i, v)| format!("m{i}: {v}"))
            .collect();
        if let Some(n) = nested {
            entries.push(format!("per_class: {n}"));
        }
        format!("{{{}}}", entries.join(", "))
    })
}

/// How SQL names an identifier written `yaml` in YAML: `'"App"'` is the
/// quoted `"App"`, `app` is `APP`.
pub(crate) fn sql_name(yaml: &str) -> String {
    let name = yaml.trim_matches('\'');
    if name.starts_with('"') {
        name.to_string()
    } else {
        name.to_ascii_uppercase()
    }
}

/// The name inside its quotes: `'"Root"'` is `Root`.
pub(crate) fn bare(yaml: &str) -> &str {
    yaml.trim_matches('\'').trim_matches('"')
}

/// A file name for a resource called `yaml`.
pub(crate) fn file_name(yaml: &str) -> String {
    bare(yaml).replace(|c: char| !c.is_ascii_alphanumeric(), "_")
}

pub(crate) fn line(out: &mut String, key: &str, value: &Option<String>) {
    if let Some(v) = value {
        out.push_str(&format!("{key}: {v}\n"));
    }
}
