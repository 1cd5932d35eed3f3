//! Reading a feature view back from the CREATE statement Snowflake keeps in
//! the `text` column of SHOW VIEWS / SHOW DYNAMIC TABLES, the way
//! snowflake-ml-python's feature store reads it.
//!
//! The feature store parses `text` with one regular expression
//! (`_DT_OR_VIEW_QUERY_PATTERN`, `re.match`, DOTALL | IGNORECASE | VERBOSE):
//!
//! ```text
//! CREATE\ (OR\ REPLACE\ )?(?P<obj_type>(DYNAMIC\ ICEBERG\ TABLE|DYNAMIC\ TABLE|VIEW))\ .*
//! COMMENT\ =\ '(?P<comment>.*)'\s*
//! TAG.*?SNOWML_FEATURE_VIEW_METADATA\ =\ '(?P<fv_metadata>.*?)',?.*?
//! AS\ (?P<query>.*)
//! ```
//!
//! [`read_fs_text`] is that expression written out by hand with the same
//! greedy/lazy choices, so that floe reads exactly what the Python client
//! reads: if floe's own statements did not survive this rule, the feature
//! store could not open them. [`Header`] reads the clauses before the query
//! that the rule leaves alone (the column list, REFRESH_MODE, INITIALIZE).
//! Pure functions over text; nothing here knows SHOW or SQL rendering.

/// What the feature-store reader rule extracts from a CREATE statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsText<'a> {
    /// `DYNAMIC ICEBERG TABLE`, `DYNAMIC TABLE` or `VIEW`, as written.
    pub object: &'a str,
    /// The COMMENT literal's inside, as written (quotes still doubled).
    pub comment: &'a str,
    /// The SNOWML_FEATURE_VIEW_METADATA literal's inside, as written; the
    /// Python client hands it to `json.loads` unchanged.
    pub metadata: &'a str,
    /// Everything after the first `AS ` that follows the metadata tag.
    pub query: &'a str,
    /// Byte offset of `query` in the text: what precedes it is the header.
    pub query_start: usize,
}

/// True when `text[at..]` starts with `word`, ignoring ASCII case.
fn starts_ci(text: &str, at: usize, word: &str) -> bool {
    text.as_bytes()
        .get(at..at + word.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(word.as_bytes()))
}

/// Byte offsets `>= from` where `word` starts, ignoring ASCII case.
fn find_all_ci(text: &str, from: usize, word: &str) -> Vec<usize> {
    (from..text.len())
        .filter(|&i| starts_ci(text, i, word))
        .collect()
}

/// The first offset `>= from` where `word` starts, ignoring ASCII case.
fn find_ci(text: &str, from: usize, word: &str) -> Option<usize> {
    (from..text.len()).find(|&i| starts_ci(text, i, word))
}

/// `CREATE\ (OR\ REPLACE\ )?(obj_type)\ `: the object type and where the
/// rest starts.
fn read_prefix(text: &str) -> Option<(&str, usize)> {
    if !starts_ci(text, 0, "CREATE ") {
        return None;
    }
    let mut at = "CREATE ".len();
    if starts_ci(text, at, "OR REPLACE ") {
        at += "OR REPLACE ".len();
    }
    let object = ["DYNAMIC ICEBERG TABLE", "DYNAMIC TABLE", "VIEW"]
        .into_iter()
        .find(|o| starts_ci(text, at, o))?;
    let end = at + object.len();
    starts_ci(text, end, " ").then(|| (&text[at..end], end + 1))
}

/// After `'` at `quote`: `\s*TAG`; returns the offset after `TAG`.
fn tag_after_quote(text: &str, quote: usize) -> Option<usize> {
    let rest = &text[quote + 1..];
    let skipped = rest.len() - rest.trim_start().len();
    let at = quote + 1 + skipped;
    starts_ci(text, at, "TAG").then_some(at + 3)
}

/// `TAG.*?SNOWML_FEATURE_VIEW_METADATA\ =\ '(.*?)',?.*?AS\ (.*)` from
/// `after_tag`: the metadata literal's bounds and the query's start.
fn read_tail(text: &str, after_tag: usize) -> Option<(usize, usize, usize)> {
    const METADATA: &str = "SNOWML_FEATURE_VIEW_METADATA = '";
    let start = find_ci(text, after_tag, METADATA)? + METADATA.len();
    let end = start + text[start..].find('\'')?;
    let query = find_ci(text, end + 1, "AS ")? + 3;
    Some((start, end, query))
}

/// Applies the feature store's reader rule to a CREATE statement; `None`
/// when the Python client would fail with "Failed to parse query text".
///
/// The greedy `.*` before `COMMENT = '` takes the last candidate that lets
/// the rest match, the greedy comment group the last `'` followed by
/// whitespace and `TAG`; the metadata value ends at the first `'` and the
/// query starts after the first `AS ` (any case) behind it. Case is folded
/// for ASCII only, which is all that floe writes.
pub fn read_fs_text(text: &str) -> Option<FsText<'_>> {
    let (object, rest) = read_prefix(text)?;
    const COMMENT: &str = "COMMENT = '";
    for comment_at in find_all_ci(text, rest, COMMENT).into_iter().rev() {
        let comment_start = comment_at + COMMENT.len();
        let quotes = text[comment_start..]
            .match_indices('\'')
            .map(|(i, _)| comment_start + i)
            .collect::<Vec<_>>();
        for quote in quotes.into_iter().rev() {
            let Some(after_tag) = tag_after_quote(text, quote) else {
                continue;
            };
            if let Some((meta_start, meta_end, query_start)) = read_tail(text, after_tag) {
                return Some(FsText {
                    object,
                    comment: &text[comment_start..quote],
                    metadata: &text[meta_start..meta_end],
                    query: &text[query_start..],
                    query_start,
                });
            }
        }
    }
    None
}

/// One token of a statement header.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A bare word, upper-cased (`REFRESH_MODE`, `PUDO_ID`).
    Word(String),
    /// A double-quoted identifier, unescaped.
    Quoted(String),
    /// A single-quoted string, unescaped.
    Str(String),
    /// Any other character.
    Symbol(char),
}

/// Splits a header into tokens; an unterminated literal ends the input.
fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '\'' => out.push(Token::Str(single_quoted(&mut chars))),
            '"' => out.push(Token::Quoted(double_quoted(&mut chars))),
            c if c.is_alphanumeric() || c == '_' || c == '$' => {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if !(n.is_alphanumeric() || n == '_' || n == '$') {
                        break;
                    }
                    word.push(n);
                    chars.next();
                }
                out.push(Token::Word(word.to_ascii_uppercase()));
            }
            c => out.push(Token::Symbol(c)),
        }
    }
    out
}

fn single_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\'' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some(other) => out.push(other),
                None => break,
            },
            c => out.push(c),
        }
    }
    out
}

fn double_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut out = String::new();
    while let Some(c) = chars.next() {
        if c == '"' {
            if chars.peek() == Some(&'"') {
                chars.next();
            } else {
                break;
            }
        }
        out.push(c);
    }
    out
}

/// A declared column as the header lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderColumn {
    /// Resolved name.
    pub name: String,
    /// Its COMMENT, unescaped.
    pub comment: Option<String>,
}

/// The clauses of a CREATE VIEW / DYNAMIC TABLE before its query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// The column list, empty when none is written.
    pub columns: Vec<HeaderColumn>,
    /// `REFRESH_MODE = X`, upper-cased.
    pub refresh_mode: Option<String>,
    /// `INITIALIZE = X` (bare or quoted), upper-cased.
    pub initialize: Option<String>,
    /// `[DB.SCHEMA.]SNOWML_FEATURE_STORE_ENTITY_<E> = '<K1>,<K2>'` in the
    /// TAG clause: the entity name `E` (resolved) and the tag value.
    pub entity_tags: Vec<(String, String)>,
}

impl Header {
    /// Reads `CREATE [OR REPLACE] <kind words> <name> [( columns )] props...`;
    /// `header` must stop before the query.
    pub fn read(header: &str) -> Header {
        let tokens = tokenize(header);
        let mut i = 0;
        // Skip the keywords and the (possibly dotted) object name.
        while let Some(Token::Word(w)) = tokens.get(i) {
            if ![
                "CREATE", "OR", "REPLACE", "DYNAMIC", "ICEBERG", "TABLE", "VIEW",
            ]
            .contains(&w.as_str())
            {
                break;
            }
            i += 1;
        }
        while matches!(tokens.get(i), Some(Token::Word(_) | Token::Quoted(_))) {
            i += 1;
            if tokens.get(i) != Some(&Token::Symbol('.')) {
                break;
            }
            i += 1;
        }
        let mut out = Header::default();
        if tokens.get(i) == Some(&Token::Symbol('(')) {
            i = read_columns(&tokens, i + 1, &mut out.columns);
        }
        out.refresh_mode = property(&tokens[i.min(tokens.len())..], "REFRESH_MODE");
        out.initialize = property(&tokens[i.min(tokens.len())..], "INITIALIZE");
        out.entity_tags = entity_tags(&tokens[i.min(tokens.len())..]);
        out
    }
}

/// Every `<tag> = '<value>'` whose tag's last name part starts with the
/// entity tag prefix, as (entity name, value). String tokens never match,
/// so a comment mentioning the prefix is not taken for a tag.
fn entity_tags(tokens: &[Token]) -> Vec<(String, String)> {
    use crate::kinds::entity::declaration::ENTITY_TAG_PREFIX;
    tokens
        .windows(3)
        .filter_map(|w| match w {
            [
                Token::Word(name) | Token::Quoted(name),
                Token::Symbol('='),
                Token::Str(value),
            ] => {
                let entity = name.strip_prefix(ENTITY_TAG_PREFIX)?;
                Some((entity.to_string(), value.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Reads `name [type] [COMMENT '...'], ...)` from `i`; returns the index after `)`.
fn read_columns(tokens: &[Token], mut i: usize, columns: &mut Vec<HeaderColumn>) -> usize {
    loop {
        let name = match tokens.get(i) {
            Some(Token::Word(w)) => w.clone(),
            Some(Token::Quoted(q)) => q.clone(),
            _ => return i,
        };
        i += 1;
        let mut comment = None;
        let mut depth = 0usize;
        while let Some(t) = tokens.get(i) {
            match t {
                Token::Symbol('(') => depth += 1,
                Token::Symbol(')') if depth > 0 => depth -= 1,
                Token::Symbol(',' | ')') if depth == 0 => break,
                Token::Word(w) if w == "COMMENT" && depth == 0 => {
                    if let Some(Token::Str(s)) = tokens.get(i + 1) {
                        comment = Some(s.clone());
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        columns.push(HeaderColumn { name, comment });
        match tokens.get(i) {
            Some(Token::Symbol(',')) => i += 1,
            _ => return i + 1,
        }
    }
}

/// The value of `KEY = value` at parenthesis depth 0 (TAG values are inside
/// parentheses and string literals, so they never match).
fn property(tokens: &[Token], key: &str) -> Option<String> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Symbol('(') => depth += 1,
            Token::Symbol(')') => depth = depth.saturating_sub(1),
            Token::Word(w) if depth == 0 && w == key => {
                if tokens.get(i + 1) != Some(&Token::Symbol('=')) {
                    continue;
                }
                return match tokens.get(i + 2) {
                    Some(Token::Word(v)) => Some(v.clone()),
                    Some(Token::Str(v)) => Some(v.to_ascii_uppercase()),
                    _ => None,
                };
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statement layout of Snowflake ML itself (TAG before WAREHOUSE),
    /// with an entity whose name ends in `AS`.
    const LIBRARY: &str = "CREATE DYNAMIC TABLE DB.FS.F$V1 (ID , X COMMENT 'it''s')
                TARGET_LAG = '1 day'
                COMMENT = 'desc'
                TAG (
                    DB.FS.SNOWML_FEATURE_STORE_OBJECT = '{\"type\": \"MANAGED_FEATURE_VIEW\", \"pkg_version\": \"2.6.0\"}',
                    DB.FS.SNOWML_FEATURE_VIEW_METADATA = '{\"entities\": [\"GAS\"], \"timestamp_col\": \"NULL\"}',
                    DB.FS.SNOWML_FEATURE_STORE_ENTITY_GAS = 'ID'
                )
                WAREHOUSE = WH
                REFRESH_MODE = FULL
                INITIALIZE = ON_SCHEDULE
            CLUSTER BY (ID)
            AS SELECT * FROM T";

    #[test]
    fn the_rule_reads_the_library_layout_and_reproduces_its_entity_bug() {
        let read = read_fs_text(LIBRARY).unwrap();
        assert_eq!(read.object, "DYNAMIC TABLE");
        assert_eq!(read.comment, "desc");
        assert_eq!(
            read.metadata,
            "{\"entities\": [\"GAS\"], \"timestamp_col\": \"NULL\"}"
        );
        // The query is cut at `GAS ` of the entity tag that follows the
        // metadata, as the Python client does: floe writes the metadata last.
        assert!(read.query.starts_with("= 'ID'"), "{}", read.query);
    }

    #[test]
    fn statements_the_client_cannot_parse_are_refused() {
        for bad in [
            "CREATE OR ALTER VIEW V$1 COMMENT = '' TAG (X.SNOWML_FEATURE_VIEW_METADATA = '{}') AS SELECT 1",
            "CREATE VIEW V$1 COMMENT = '' WITH TAG (X.SNOWML_FEATURE_VIEW_METADATA = '{}') AS SELECT 1",
            "CREATE VIEW V$1 COMMENT = '' TAG (X.\"SNOWML_FEATURE_VIEW_METADATA\" = '{}') AS SELECT 1",
            "CREATE VIEW V$1 COMMENT='' TAG (X.SNOWML_FEATURE_VIEW_METADATA = '{}') AS SELECT 1",
            "CREATE VIEW V$1 AS SELECT 1",
        ] {
            assert_eq!(read_fs_text(bad), None, "{bad}");
        }
        let ok = "create or replace view V$1 comment = 'a' tag (X.snowml_feature_view_metadata = '{}') as select 1";
        assert_eq!(read_fs_text(ok).unwrap().query, "select 1");
    }

    #[test]
    fn the_header_gives_columns_and_properties_before_the_query() {
        let header = Header::read(&LIBRARY[..LIBRARY.find("AS SELECT").unwrap()]);
        assert_eq!(
            header.columns,
            vec![
                HeaderColumn {
                    name: "ID".into(),
                    comment: None
                },
                HeaderColumn {
                    name: "X".into(),
                    comment: Some("it's".into())
                },
            ]
        );
        assert_eq!(header.refresh_mode.as_deref(), Some("FULL"));
        assert_eq!(header.initialize.as_deref(), Some("ON_SCHEDULE"));
        let quoted = Header::read(
            "CREATE VIEW DB.\"s(\".\"F$v1\" (\"a,b\" COMMENT 'x, (y)', C NUMBER(10, 2)) COMMENT = 'INITIALIZE = X' ",
        );
        assert_eq!(quoted.columns.len(), 2);
        assert_eq!(quoted.columns[0].name, "a,b");
        assert_eq!(quoted.columns[0].comment.as_deref(), Some("x, (y)"));
        assert_eq!(quoted.initialize, None);
    }
}
