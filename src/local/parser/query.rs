//! Queries of views, dynamic tables and CTAS: the verbatim text and the
//! objects they read.
//!
//! The local account does not evaluate queries; it only needs to know which
//! tables and views a query names in FROM and JOIN, so that creating a view
//! over a missing object fails as it does in Snowflake. CTE names are not
//! objects; FROM inside a function call (`EXTRACT(YEAR FROM ts)`) is not a
//! table reference.

use super::Parser;
use crate::ident::Ident;
use crate::local::ast::{Name, Query};
use crate::local::error::SqlError;
use crate::local::lexer::{Token, TokenKind};

/// Words that end a table reference's alias position.
const CLAUSE_WORDS: &[&str] = &[
    "ON",
    "USING",
    "WHERE",
    "GROUP",
    "ORDER",
    "HAVING",
    "QUALIFY",
    "LIMIT",
    "JOIN",
    "INNER",
    "LEFT",
    "RIGHT",
    "FULL",
    "OUTER",
    "CROSS",
    "NATURAL",
    "UNION",
    "EXCEPT",
    "MINUS",
    "INTERSECT",
    "WINDOW",
    "LATERAL",
    "SAMPLE",
    "TABLESAMPLE",
    "AT",
    "BEFORE",
    "CHANGES",
    "MATCH_RECOGNIZE",
    "PIVOT",
    "UNPIVOT",
    "ASOF",
    "FETCH",
    "OFFSET",
    "WITH",
    "SELECT",
    "MATCH_CONDITION",
];

impl Parser<'_> {
    /// The rest of the statement as a query.
    pub(crate) fn query(&mut self) -> Result<Query, SqlError> {
        let tokens = self.tokens_from(self.position());
        let text = self.rest_text()?;
        Ok(Query {
            text,
            reads: reads(tokens),
        })
    }
}

/// The objects a query reads, in order of appearance, without duplicates.
pub(crate) fn reads(tokens: &[Token]) -> Vec<Name> {
    let ctes = cte_names(tokens);
    let mut found: Vec<Name> = Vec::new();
    let mut parens: Vec<bool> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.is_symbol("(") {
            let next = tokens.get(i + 1);
            parens.push(next.is_some_and(|t| t.is_word("SELECT") || t.is_word("WITH")));
        } else if token.is_symbol(")") {
            parens.pop();
        } else if (token.is_word("FROM") || token.is_word("JOIN"))
            && parens.last().is_none_or(|query| *query)
        {
            let mut at = i + 1;
            while let Some((name, next)) = table_ref(tokens, at) {
                if let Some(name) = name
                    && !(name.parts.len() == 1 && ctes.contains(&name.parts[0]))
                    && !found.contains(&name)
                {
                    found.push(name);
                }
                let after_alias = skip_alias(tokens, next);
                if token.is_word("FROM")
                    && tokens.get(after_alias).is_some_and(|t| t.is_symbol(","))
                {
                    at = after_alias + 1;
                } else {
                    break;
                }
            }
        }
    }
    found
}

/// A table reference at `at`: `Some((Some(name), next))` for a named
/// object, `Some((None, next))` for something else that was skipped
/// (subquery, table function, stage), `None` when there is nothing.
fn table_ref(tokens: &[Token], at: usize) -> Option<(Option<Name>, usize)> {
    let first = tokens.get(at)?;
    if first.is_symbol("(")
        || first.kind == TokenKind::Stage
        || first.is_word("LATERAL")
        || first.is_word("VALUES")
        || (first.is_word("TABLE") && tokens.get(at + 1).is_some_and(|t| t.is_symbol("(")))
    {
        return None;
    }
    let mut parts = Vec::new();
    let mut i = at;
    loop {
        let token = tokens.get(i)?;
        let part = match token.kind {
            TokenKind::Word => Ident::parse(&token.value).ok()?,
            TokenKind::QuotedIdent if !token.value.is_empty() => {
                Ident::from_resolved(token.value.clone())
            }
            _ => return None,
        };
        parts.push(part);
        i += 1;
        if parts.len() < 3 && tokens.get(i).is_some_and(|t| t.is_symbol(".")) {
            i += 1;
        } else {
            break;
        }
    }
    if tokens.get(i).is_some_and(|t| t.is_symbol("(")) {
        return Some((None, i));
    }
    Some((Some(Name { parts }), i))
}

fn skip_alias(tokens: &[Token], at: usize) -> usize {
    let mut i = at;
    if tokens.get(i).is_some_and(|t| t.is_word("AS")) {
        i += 1;
    }
    match tokens.get(i) {
        Some(t) if t.kind == TokenKind::QuotedIdent => i + 1,
        Some(t) if t.kind == TokenKind::Word && !CLAUSE_WORDS.iter().any(|w| t.is_word(w)) => i + 1,
        _ => i,
    }
}

/// Names defined by `WITH name [(cols)] AS (` and `, name AS (`.
fn cte_names(tokens: &[Token]) -> Vec<Ident> {
    let mut names = Vec::new();
    for i in 1..tokens.len() {
        let before = &tokens[i - 1];
        if !(before.is_word("WITH") || before.is_word("RECURSIVE") || before.is_symbol(",")) {
            continue;
        }
        let mut j = i + 1;
        if tokens.get(j).is_some_and(|t| t.is_symbol("(")) {
            while tokens.get(j).is_some_and(|t| !t.is_symbol(")")) {
                j += 1;
            }
            j += 1;
        }
        let defines = tokens.get(j).is_some_and(|t| t.is_word("AS"))
            && tokens.get(j + 1).is_some_and(|t| t.is_symbol("("));
        if defines {
            let token = &tokens[i];
            let name = match token.kind {
                TokenKind::Word => Ident::parse(&token.value).ok(),
                TokenKind::QuotedIdent => Some(Ident::from_resolved(token.value.clone())),
                _ => None,
            };
            names.extend(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::lexer::tokenize;

    fn read_names(sql: &str) -> Vec<String> {
        reads(&tokenize(sql).unwrap())
            .into_iter()
            .map(|n| n.to_sql())
            .collect()
    }

    #[test]
    fn from_and_join_targets_are_read() {
        assert_eq!(
            read_names("SELECT * FROM raw.orders o, x JOIN DB.S.\"Pts\" p ON o.id = p.id"),
            vec!["RAW.ORDERS", "X", "DB.S.\"Pts\""]
        );
    }

    #[test]
    fn ctes_functions_and_subqueries_are_not_objects() {
        assert_eq!(
            read_names(
                "WITH t AS (SELECT EXTRACT(YEAR FROM ts) y FROM src) \
                 SELECT * FROM t, TABLE(FLATTEN(input => x)) f JOIN (SELECT 1 FROM other) q"
            ),
            vec!["SRC", "OTHER"]
        );
    }
}
