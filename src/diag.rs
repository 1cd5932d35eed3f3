//! User-facing diagnostics: one voice for every error floe reports.
//!
//! A [`Diagnostic`] is a value: a message, the place it is about (a file
//! position or a resource address), `caused by:` lines and `hint:` lines.
//! Layers build diagnostics; only the binary's edge renders and prints them.
//! Rendering follows rustc/just: `error: ...`, `--> file:line:col`, the source
//! line with a caret, then causes and hints.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A position in a project file, 1-based line and column.
///
/// The file is shared: every value read from one file points at the same
/// path, so a span costs no allocation of its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file, relative to the project root where possible.
    pub file: Arc<Path>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl Span {
    /// A span at `line:column` of `file`.
    pub fn new(file: impl AsRef<Path>, line: usize, column: usize) -> Self {
        Span::in_file(&Arc::from(file.as_ref()), line, column)
    }

    /// A span at `line:column` of `file`, sharing its path with every other
    /// span of that file.
    pub fn in_file(file: &Arc<Path>, line: usize, column: usize) -> Self {
        Span {
            file: Arc::clone(file),
            line,
            column,
        }
    }

    /// A span that names a whole file (line 1, column 1).
    pub fn file(file: impl AsRef<Path>) -> Self {
        Span::new(file, 1, 1)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// What a diagnostic is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A position in a file.
    Span(Span),
    /// A resource address such as `warehouse.ML_TRAINING_WH`.
    Address(String),
}

/// One problem reported to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// One sentence saying what is wrong.
    pub message: String,
    /// Where it is.
    pub place: Option<Place>,
    /// Underlying causes, outermost first.
    pub causes: Vec<String>,
    /// How to fix it.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with a message and nothing else yet.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            place: None,
            causes: Vec::new(),
            hints: Vec::new(),
        }
    }

    /// Sets the file position.
    pub fn at(mut self, span: Span) -> Self {
        self.place = Some(Place::Span(span));
        self
    }

    /// Sets the resource address.
    pub fn at_address(mut self, address: impl Into<String>) -> Self {
        self.place = Some(Place::Address(address.into()));
        self
    }

    /// Adds a `caused by:` line.
    pub fn caused_by(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// Adds a `hint:` line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Renders the diagnostic; `root` is where relative span files are read
    /// from to show the source line.
    pub fn render(&self, root: &Path) -> String {
        let mut out = format!("error: {}\n", self.message);
        match &self.place {
            Some(Place::Span(span)) => {
                out.push_str(&format!("  --> {span}\n"));
                if let Some(line) = source_line(root, span) {
                    let gutter = span.line.to_string();
                    let pad = " ".repeat(gutter.len());
                    out.push_str(&format!("{pad} |\n{gutter} | {line}\n"));
                    let caret_pad: String = line
                        .chars()
                        .take(span.column.saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    out.push_str(&format!("{pad} | {caret_pad}^\n"));
                }
            }
            Some(Place::Address(address)) => out.push_str(&format!("  --> {address}\n")),
            None => {}
        }
        for cause in &self.causes {
            out.push_str(&format!("caused by: {cause}\n"));
        }
        for hint in &self.hints {
            out.push_str(&format!("hint: {hint}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        match &self.place {
            Some(Place::Span(span)) => write!(f, " (at {span})"),
            Some(Place::Address(address)) => write!(f, " (at {address})"),
            None => Ok(()),
        }
    }
}

fn source_line(root: &Path, span: &Span) -> Option<String> {
    let path = if span.file.is_absolute() {
        span.file.to_path_buf()
    } else {
        root.join(&span.file)
    };
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .nth(span.line.checked_sub(1)?)
        .map(str::to_string)
}

/// Every problem found in one run, reported together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// No problems yet.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Renders all diagnostics and a closing count (`error: 3 problems found`).
    pub fn render(&self, root: &Path) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(root));
            out.push('\n');
        }
        if self.0.len() > 1 {
            out.push_str(&format!("error: {} problems found\n", self.0.len()));
        }
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_caret_causes_and_hints() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("wh.yaml"), "kind: Warehouse\nsize: HUGE\n").unwrap();
        let text = Diagnostic::error("unknown warehouse size `HUGE`")
            .at(Span::new("wh.yaml", 2, 7))
            .caused_by("sizes are XSMALL … X6LARGE")
            .hint("did you mean `LARGE`?")
            .render(dir.path());
        assert_eq!(
            text,
            "error: unknown warehouse size `HUGE`\n  --> wh.yaml:2:7\n  |\n2 | size: HUGE\n  |       ^\ncaused by: sizes are XSMALL … X6LARGE\nhint: did you mean `LARGE`?\n"
        );
    }

    #[test]
    fn several_problems_end_with_a_count() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("one").at_address("warehouse.A"));
        all.push(Diagnostic::error("two"));
        let text = all.render(Path::new("."));
        assert!(text.contains("error: one\n  --> warehouse.A\n"));
        assert!(text.ends_with("error: 2 problems found\n"));
    }
}
