//! What only the edge of the program may do: write to the terminal.
//!
//! `src/main.rs`, `src/commands/` and `src/render/` print; everything below
//! them reports through return values, apply events or a hook the command
//! gives it. This test reads every other source file under `src/` (comments
//! and doc examples left out) and fails on each print macro, direct
//! stdout/stderr handle, terminal check, indicatif terminal target or ANSI
//! colour code it finds, naming the file and line.

use std::path::{Path, PathBuf};

/// What gives away a write to the terminal (or a decision that only the
/// terminal's owner makes), as it appears in code.
const FORBIDDEN: &[&str] = &[
    "print!",
    "println!",
    "eprint!",
    "eprintln!",
    "dbg!",
    "io::stdout",
    "io::stderr",
    "stdout()",
    "stderr()",
    "is_terminal",
    "IsTerminal",
    "ProgressDrawTarget::stdout",
    "ProgressDrawTarget::stderr",
    "ProgressDrawTarget::term",
    "Term::stdout",
    "Term::stderr",
    "\\x1b[",
    "\\u{1b}[",
    "\\033[",
];

/// The paths under `src/` allowed to write to the terminal.
const EDGE: &[&str] = &["main.rs", "commands/", "render/"];

#[test]
fn only_main_commands_and_render_write_to_the_terminal() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in rust_files(&src) {
        let relative = file
            .strip_prefix(&src)
            .expect("a file under src/")
            .to_string_lossy()
            .replace('\\', "/");
        if EDGE.iter().any(|edge| relative.starts_with(edge)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        for (line, pattern) in terminal_writes(&text) {
            found.push(format!("src/{relative}:{line}: `{pattern}`"));
        }
    }
    assert!(
        found.is_empty(),
        "only src/main.rs, src/commands/ and src/render/ may write to the terminal; \
         return the text, emit an apply event or take a hook instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_sees_code_and_skips_comments_and_doc_examples() {
    let text = "//! ```\n//! println!(\"doc\");\n//! ```\nfn a() {\n    /* eprintln!(\"x\") */\n    let url = \"http://x\"; eprintln!(\"warning\");\n    let c = '\"'; std::io::stdout().flush();\n}\n";
    assert_eq!(
        terminal_writes(text),
        vec![(6, "eprintln!"), (7, "io::stdout"), (7, "stdout()")]
    );
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("a readable folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Each forbidden pattern in the code of `text`, with its 1-based line.
fn terminal_writes(text: &str) -> Vec<(usize, &'static str)> {
    let code = without_comments(text);
    let mut found = Vec::new();
    for (index, line) in code.lines().enumerate() {
        for pattern in FORBIDDEN {
            let hit = line.match_indices(pattern).any(|(at, _)| {
                // `print!` must not match inside `eprint!` or `my_print!`.
                let before = line[..at].chars().next_back();
                !pattern.starts_with(char::is_alphabetic)
                    || !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if hit {
                found.push((index + 1, *pattern));
            }
        }
    }
    found
}

/// `text` with every comment (line, block, doc) replaced by spaces, keeping
/// line breaks so that line numbers stay right. String and character
/// literals are kept, and a `//` inside one is not a comment.
fn without_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        let end = if rest.starts_with(&['/', '/']) {
            let len = rest.iter().position(|&c| c == '\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..len]);
            i += len;
            continue;
        } else if rest.starts_with(&['/', '*']) {
            let len = block_comment_len(rest);
            blank(&mut out, &rest[..len]);
            i += len;
            continue;
        } else if let Some(len) = raw_string_len(&chars, i) {
            i + len
        } else if rest[0] == '"' {
            i + quoted_len(rest, '"')
        } else if rest[0] == '\'' && is_char_literal(rest) {
            i + quoted_len(rest, '\'')
        } else {
            i + 1
        };
        out.extend(&chars[i..end]);
        i = end;
    }
    out
}

/// Spaces for `chars`, keeping its line breaks.
fn blank(out: &mut String, chars: &[char]) {
    out.extend(chars.iter().map(|&c| if c == '\n' { '\n' } else { ' ' }));
}

/// The length of the (possibly nested) block comment `rest` starts with.
fn block_comment_len(rest: &[char]) -> usize {
    let mut depth = 0;
    let mut i = 0;
    while i < rest.len() {
        if rest[i..].starts_with(&['/', '*']) {
            depth += 1;
            i += 2;
        } else if rest[i..].starts_with(&['*', '/']) {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    rest.len()
}

/// The length of the literal `rest` starts with, closed by `quote`, skipping
/// escaped characters.
fn quoted_len(rest: &[char], quote: char) -> usize {
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            '\\' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    rest.len()
}

/// True when the `'` at the start of `rest` opens a character literal
/// (`'a'`, `'\n'`, `'"'`) rather than a lifetime (`'a`).
fn is_char_literal(rest: &[char]) -> bool {
    rest.get(1) == Some(&'\\') || rest.get(2) == Some(&'\'')
}

/// The length of a raw string (`r"…"`, `r#"…"#`, `br"…"`) starting at
/// `chars[i]`, if one does.
fn raw_string_len(chars: &[char], i: usize) -> Option<usize> {
    if chars[i] != 'r' || i > 0 && is_ident_char(chars[i - 1]) && chars[i - 1] != 'b' {
        return None;
    }
    if i > 1 && chars[i - 1] == 'b' && is_ident_char(chars[i - 2]) {
        return None;
    }
    let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
    if chars.get(i + 1 + hashes) != Some(&'"') {
        return None;
    }
    let body = i + 2 + hashes;
    let closing: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    let close = (body..chars.len()).find(|&j| chars[j..].starts_with(&closing))?;
    Some(close + closing.len() - i)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}
