//! The crate's layers, checked against its sources: every top-level module
//! may use only the modules of the layers below its own, so each dependency
//! points down the pipeline and no stage reaches into a later one; and
//! inside a module, its submodules use each other without loops.
//!
//! The checks read `src/`: a `crate::<module>` path in a module's code (not
//! in its comments or its tests) naming a module of its own layer or above
//! fails them, so does a top-level module missing from [`LAYERS`], and so
//! does a loop between sibling submodules (`super::x`, `crate::a::x`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules, from the bottom layer up. A module may use the
/// modules of the layers below its own, never those of its layer or above.
const LAYERS: &[&[&str]] = &[
    // Values and interfaces that know no stage.
    &["diag", "ident", "session", "atomic_file", "kind_list"],
    &["model", "sql_refs", "connect"],
    &["snowflake", "wire"],
    // The emulated account (configured from the project, so below `load`).
    &["local"],
    // The pipeline.
    &["load"],
    &["kinds"],
    // What floe last applied: records of the kinds' live objects.
    &["state"],
    &["graph"],
    &["resolve"],
    &["live"],
    &["diff"],
    &["apply", "import"],
    &["render"],
    // The front end: arguments, then the commands they select.
    &["cli"],
    &["commands"],
];

/// Sibling submodules that use each other by nature, as `(parent, a, b)`:
/// an expression evaluator calls functions whose arguments are expressions.
const MUTUAL: &[(&str, &str, &str)] = &[("local::select", "expr", "functions")];

/// The layer of a top-level module, if it has one.
fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut queue = vec![dir.to_path_buf()];
    while let Some(dir) = queue.pop() {
        let entries = std::fs::read_dir(&dir).expect("src/ is readable");
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                queue.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The module path of `file` (`src/diff/build.rs` → `diff::build`,
/// `src/local/exec/mod.rs` → `local::exec`); empty for the crate root and
/// `None` for the binary.
fn module_path(file: &Path) -> Option<Vec<String>> {
    let relative = file.strip_prefix(src()).ok()?.with_extension("");
    let mut path: Vec<String> = relative
        .components()
        .filter_map(|c| c.as_os_str().to_str().map(str::to_string))
        .collect();
    match path.last().map(String::as_str) {
        Some("main") if path.len() == 1 => return None,
        Some("lib") if path.len() == 1 => path.clear(),
        Some("mod") => {
            path.pop();
        }
        _ => {}
    }
    Some(path)
}

/// A file's text with comments and `#[cfg(test)]` items (a module block,
/// or a `mod x;` declaration) blanked, line numbers kept. The files of
/// declared test-only modules are added to `test_files`.
fn code(file: &Path, text: &str, test_files: &mut BTreeSet<PathBuf>) -> String {
    let mut kept = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed != "#[cfg(test)]" {
            // What follows `//` is a comment (or, rarely, the rest of a URL).
            kept.push(line.split("//").next().unwrap_or_default());
            continue;
        }
        kept.push("");
        let Some(mut item) = lines.next() else { break };
        while item.trim_start().starts_with("#[") {
            kept.push("");
            let Some(next) = lines.next() else { break };
            item = next;
        }
        kept.push("");
        if item.trim_end().ends_with(';') {
            if let Some(name) = declared_module(item) {
                test_files.extend(module_files(file, name));
            }
            continue;
        }
        let mut depth = braces(item);
        while depth > 0 {
            let Some(line) = lines.next() else { break };
            kept.push("");
            depth += braces(line);
        }
    }
    kept.join("\n")
}

/// `x` of a `mod x;` or `pub mod x;` line.
fn declared_module(line: &str) -> Option<&str> {
    let rest = line.trim().strip_suffix(';')?;
    let (before, name) = rest.rsplit_once("mod ")?;
    let visibility = before.trim();
    (visibility.is_empty() || visibility.starts_with("pub")).then(|| name.trim())
}

/// The files a `mod name;` in `parent` can refer to.
fn module_files(parent: &Path, name: &str) -> [PathBuf; 2] {
    let dir = match parent.file_stem().and_then(|s| s.to_str()) {
        Some("mod" | "lib" | "main") => parent.parent().unwrap_or(parent).to_path_buf(),
        _ => parent.with_extension(""),
    };
    [
        dir.join(format!("{name}.rs")),
        dir.join(name).join("mod.rs"),
    ]
}

/// Opening minus closing braces on a line.
fn braces(line: &str) -> i64 {
    line.chars()
        .map(|c| match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        })
        .sum()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Every path in `text` that starts at `crate`, `super` or `self`, as its
/// segments with the line it starts on; a `{...}` group gives one path per
/// item (`crate::a::{b::C, d}` → `crate::a::b::C`, `crate::a::d`).
fn paths(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for root in ["crate::", "super::", "self::"] {
        for (at, _) in text.match_indices(root) {
            let before = &text[..at];
            if before.ends_with("::") || before.chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let line = text[..at].matches('\n').count() + 1;
            let mut prefix = vec![root.trim_end_matches(':').to_string()];
            let (more, group) = segments(&text[at + root.len()..]);
            prefix.extend(more);
            match group {
                Some(group) => {
                    for item in group_items(group) {
                        let mut path = prefix.clone();
                        path.extend(item);
                        found.push((line, path));
                    }
                }
                None => found.push((line, prefix)),
            }
        }
    }
    found
}

/// The `::`-separated identifiers at the start of `text`, and the text after
/// a trailing `::{`, if the path ends in a group.
fn segments(text: &str) -> (Vec<String>, Option<&str>) {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            return (parts, Some(group));
        }
        let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        if len == 0 {
            return (parts, None);
        }
        parts.push(rest[..len].to_string());
        match rest[len..].strip_prefix("::") {
            Some(next) => rest = next,
            None => return (parts, None),
        }
    }
}

/// The paths of the top-level items of a `{...}` group (the text after `{`).
fn group_items(group: &str) -> Vec<Vec<String>> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if c.is_whitespace() => {}
            _ if start && depth == 0 => {
                start = false;
                let (parts, _) = segments(&group[i..]);
                if !parts.is_empty() && parts[0] != "self" {
                    items.push(parts);
                }
            }
            _ => {}
        }
    }
    items
}

/// The absolute module path a path written in module `from` names.
fn absolute(from: &[String], path: &[String]) -> Vec<String> {
    let (mut base, rest) = match path.first().map(String::as_str) {
        Some("crate") => (Vec::new(), &path[1..]),
        Some("self") => (from.to_vec(), &path[1..]),
        _ => (from.to_vec(), path),
    };
    let mut rest = rest.iter().peekable();
    while rest.next_if(|s| *s == "super").is_some() {
        base.pop();
    }
    base.extend(rest.cloned());
    base
}

/// Each production file's module path and code.
fn sources() -> Vec<(PathBuf, Vec<String>, String)> {
    let mut test_files = BTreeSet::new();
    let mut all = Vec::new();
    for file in rust_files(&src()) {
        let text = std::fs::read_to_string(&file).expect("sources are UTF-8");
        let code = code(&file, &text, &mut test_files);
        let is_tests = file.file_name().is_some_and(|n| n == "tests.rs");
        if let (Some(module), false) = (module_path(&file), is_tests) {
            all.push((file, module, code));
        }
    }
    all.retain(|(file, _, _)| !test_files.contains(file));
    all
}

/// Every use of a module of the same layer or above, as
/// `file:line: module (layer n) uses other (layer m)`.
fn upward_uses() -> Vec<String> {
    let mut found = Vec::new();
    for (file, module, code) in sources() {
        let Some(own_name) = module.first() else {
            continue;
        };
        let Some(own) = layer_of(own_name) else {
            continue;
        };
        for (number, path) in paths(&code) {
            let target = absolute(&module, &path);
            let Some(used) = target.first() else { continue };
            let Some(theirs) = layer_of(used) else {
                continue;
            };
            if used != own_name && theirs >= own {
                let shown = file.strip_prefix(src()).unwrap_or(&file).display();
                found.push(format!(
                    "src/{shown}:{number}: {own_name} (layer {own}) uses {used} (layer {theirs})"
                ));
            }
        }
    }
    found
}

/// For each module, which of its submodules use which: `parent → (a → b)`.
fn sibling_uses() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let sources = sources();
    let modules: BTreeSet<Vec<String>> = sources.iter().map(|(_, m, _)| m.clone()).collect();
    let mut uses: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (_, module, code) in &sources {
        for (_, path) in paths(code) {
            let target = absolute(module, &path);
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common >= module.len() || common >= target.len() {
                continue; // itself, an ancestor or a descendant
            }
            if !modules.contains(&target[..=common]) {
                continue; // an item of the common parent
            }
            uses.entry(module[..common].join("::"))
                .or_default()
                .entry(module[common].clone())
                .or_default()
                .insert(target[common].clone());
        }
    }
    uses
}

/// A loop through `start` in `edges`, as the modules on it.
fn loop_through(
    start: &str,
    edges: &BTreeMap<String, BTreeSet<String>>,
    allowed: &dyn Fn(&str, &str) -> bool,
) -> Option<Vec<String>> {
    let mut stack = vec![vec![start.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(route) = stack.pop() {
        let last = route.last()?;
        for next in edges.get(last).into_iter().flatten() {
            if allowed(last, next) {
                continue;
            }
            if next == start {
                return Some(route);
            }
            if seen.insert(next.clone()) {
                let mut longer = route.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib = src().join("lib.rs");
    let text = std::fs::read_to_string(&lib).expect("src/lib.rs is readable");
    let missing: Vec<String> = code(&lib, &text, &mut BTreeSet::new())
        .lines()
        .filter_map(declared_module)
        .filter(|m| layer_of(m).is_none())
        .map(str::to_string)
        .collect();
    assert!(
        missing.is_empty(),
        "add these modules to LAYERS in src/layers.rs: {missing:?}"
    );
}

#[test]
fn every_dependency_points_down_the_layers() {
    let found = upward_uses();
    assert!(
        found.is_empty(),
        "a module uses one of its own layer or above (move what both need \
         below both):\n{}",
        found.join("\n")
    );
}

#[test]
fn submodules_use_each_other_without_loops() {
    let mut loops = Vec::new();
    for (parent, edges) in sibling_uses() {
        let allowed = |a: &str, b: &str| {
            MUTUAL
                .iter()
                .any(|&(p, x, y)| p == parent && ((a, b) == (x, y) || (a, b) == (y, x)))
        };
        let mut reported = BTreeSet::new();
        for start in edges.keys() {
            if reported.contains(start) {
                continue;
            }
            if let Some(route) = loop_through(start, &edges, &allowed) {
                let parent = if parent.is_empty() { "crate" } else { &parent };
                loops.push(format!("{parent}: {} → {start}", route.join(" → ")));
                reported.extend(route);
            }
        }
    }
    assert!(
        loops.is_empty(),
        "submodules use each other in a loop (move what both need into a \
         submodule below both):\n{}",
        loops.join("\n")
    );
}

#[test]
fn paths_are_read_from_uses_groups_and_code_but_not_comments_or_tests() {
    let names = |text: &str| -> Vec<String> {
        paths(text).into_iter().map(|(_, p)| p.join("::")).collect()
    };
    assert_eq!(names("use crate::diff::Plan;"), ["crate::diff::Plan"]);
    assert_eq!(
        names("use crate::a::{b::{C, D}, e,\n    self};"),
        ["crate::a::b", "crate::a::e"]
    );
    assert_eq!(
        names("let x = super::super::y::z(1);"),
        ["super::super::y::z"]
    );
    assert!(names("use my_crate::diff::Plan;").is_empty());
    let from = ["local".to_string(), "exec".to_string(), "tags".to_string()];
    let path: Vec<String> = ["super", "target", "merge"].map(String::from).into();
    assert_eq!(absolute(&from, &path), ["local", "exec", "target", "merge"]);
    let mut test_files = BTreeSet::new();
    let text = "use crate::model::Address;\n// crate::diff\n#[cfg(test)]\nmod fakes;\n\
                #[cfg(test)]\nmod tests {\n    use crate::diff::Plan;\n}\nfn f() {}\n";
    let kept = code(&src().join("kind.rs"), text, &mut test_files);
    let lines: Vec<(usize, String)> = paths(&kept)
        .into_iter()
        .map(|(n, p)| (n, p.join("::")))
        .collect();
    assert_eq!(lines, [(1, "crate::model::Address".to_string())]);
    assert_eq!(kept.lines().nth(8), Some("fn f() {}"));
    assert!(test_files.contains(&src().join("kind").join("fakes.rs")));
}
