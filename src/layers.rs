//! The crate's layers, checked against its sources: every top-level module
//! may use only the modules of the layers below its own, so each dependency
//! points down the pipeline and no stage reaches into a later one.
//!
//! The check reads `src/`: a `crate::<module>` path in a module's code (not
//! in its comments or its tests) naming a module of its own layer or above
//! fails it, and so does a top-level module missing from [`LAYERS`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The top-level modules, from the bottom layer up. A module may use the
/// modules of the layers below its own, never those of its layer or above.
const LAYERS: &[&[&str]] = &[
    // Values and interfaces that know no stage.
    &["diag", "ident", "session", "atomic_file"],
    &["model", "sql_refs", "connect"],
    &["kind", "snowflake", "wire"],
    // What a run reads and writes besides the project: state files, and
    // the emulated account (configured from the project, so below `load`).
    &["state", "local"],
    // The pipeline.
    &["load"],
    &["kinds"],
    &["graph"],
    &["resolve"],
    &["live"],
    &["diff"],
    &["apply"],
    &["render"],
    // The front end: arguments, then the commands they select.
    &["cli"],
    &["commands"],
];

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

/// The top-level module `file` belongs to (`src/diff/build.rs` → `diff`);
/// `None` for the crate root and the binary.
fn top_module(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src()).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// A file's lines that are code outside tests: comments and `#[cfg(test)]`
/// items (a module block, or a `mod x;` declaration) are left out, with
/// the line number of each kept line. The files of declared test-only
/// modules are added to `test_files`.
fn code_lines(file: &Path, text: &str, test_files: &mut BTreeSet<PathBuf>) -> Vec<(usize, String)> {
    let mut kept = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed != "#[cfg(test)]" {
            kept.push((i + 1, line.to_string()));
            continue;
        }
        let Some((_, mut item)) = lines.next() else {
            break;
        };
        while item.trim_start().starts_with("#[") {
            let Some((_, next)) = lines.next() else { break };
            item = next;
        }
        if item.trim_end().ends_with(';') {
            if let Some(name) = declared_module(item) {
                test_files.extend(module_files(file, name));
            }
            continue;
        }
        let mut depth = braces(item);
        while depth > 0 {
            let Some((_, line)) = lines.next() else { break };
            depth += braces(line);
        }
    }
    kept
}

/// `x` of a `mod x;` line.
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

/// The top-level modules a line names: `crate::diff::Plan` → `diff`, and
/// each item of a `crate::{diff::Plan, state::State}` group.
fn used_modules(line: &str) -> Vec<String> {
    let mut used = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &line[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => used.extend(group_items(group)),
            None => used.extend(leading_ident(rest)),
        }
    }
    used
}

/// The first path segment of each top-level item of a `{...}` group.
fn group_items(group: &str) -> Vec<String> {
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
            _ if start => {
                start = false;
                items.extend(leading_ident(&group[i..]));
            }
            _ => {}
        }
    }
    items
}

fn leading_ident(text: &str) -> Option<String> {
    let ident: String = text
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!ident.is_empty() && ident != "self").then_some(ident)
}

/// Every use of a module of the same layer or above, as
/// `file:line: module (layer n) uses other (layer m)`.
fn upward_uses() -> Vec<String> {
    let files = rust_files(&src());
    let mut test_files = BTreeSet::new();
    let mut code = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("sources are UTF-8");
        let is_tests = file.file_name().is_some_and(|n| n == "tests.rs");
        let lines = code_lines(file, &text, &mut test_files);
        if !is_tests {
            code.push((file, lines));
        }
    }
    let mut found = Vec::new();
    for (file, lines) in code {
        if test_files.contains(file) {
            continue;
        }
        let Some(module) = top_module(file) else {
            continue;
        };
        let Some(own) = layer_of(&module) else {
            continue;
        };
        for (number, line) in lines {
            for used in used_modules(&line) {
                let Some(theirs) = layer_of(&used) else {
                    continue;
                };
                if used != module && theirs >= own {
                    let shown = file.strip_prefix(src()).unwrap_or(file).display();
                    found.push(format!(
                        "src/{shown}:{number}: {module} (layer {own}) uses {used} (layer {theirs})"
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib = src().join("lib.rs");
    let text = std::fs::read_to_string(&lib).expect("src/lib.rs is readable");
    let missing: Vec<String> = code_lines(&lib, &text, &mut BTreeSet::new())
        .iter()
        .filter_map(|(_, line)| declared_module(line))
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
fn uses_are_found_in_paths_and_groups_but_not_in_longer_names() {
    assert_eq!(used_modules("use crate::diff::Plan;"), ["diff"]);
    assert_eq!(
        used_modules("use crate::{diff::{Plan, Step}, state::State, self};"),
        ["diff", "state"]
    );
    assert_eq!(
        used_modules("let x = crate::local::LocalAccount::open(p, q);"),
        ["local"]
    );
    assert!(used_modules("use my_crate::diff::Plan;").is_empty());
    let mut test_files = BTreeSet::new();
    let text = "use crate::model::Address;\n// crate::diff\n#[cfg(test)]\nmod fakes;\n\
                #[cfg(test)]\nmod tests {\n    use crate::diff::Plan;\n}\nfn f() {}\n";
    let kept = code_lines(&src().join("kind.rs"), text, &mut test_files);
    let kept: Vec<usize> = kept.into_iter().map(|(n, _)| n).collect();
    assert_eq!(kept, [1, 9]);
    assert!(test_files.contains(&src().join("kind").join("fakes.rs")));
}
