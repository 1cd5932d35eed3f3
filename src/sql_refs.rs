//! Names of objects inside SQL text, found with a real tokenizer.
//!
//! Only identifiers and dotted names count (`FV$V1`, `SCHEMA.FV$V1`,
//! `DB.SCHEMA.FV$V1`, `"quoted"`), so a name inside a string literal or a
//! comment is not a reference. Each part is resolved as Snowflake would
//! (unquoted upper-cased). Text the tokenizer rejects yields no names.

use sqlparser::dialect::SnowflakeDialect;
use sqlparser::tokenizer::{Location, Token, Tokenizer, Word};

use crate::ident::Ident;

/// Every (possibly dotted) identifier in `sql`, each part resolved.
pub fn dotted_names(sql: &str) -> Vec<Vec<Ident>> {
    let Ok(tokens) = Tokenizer::new(&SnowflakeDialect {}, sql).tokenize() else {
        return Vec::new();
    };
    let tokens: Vec<Token> = tokens
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut names = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Word(first) = &tokens[i] else {
            i += 1;
            continue;
        };
        let mut parts = vec![resolve(first)];
        i += 1;
        while let (Some(Token::Period), Some(Token::Word(next))) =
            (tokens.get(i), tokens.get(i + 1))
        {
            parts.push(resolve(next));
            i += 2;
        }
        names.push(parts);
    }
    names
}

/// Where `sql` ends one statement and starts another: the first `;` outside
/// string literals, quoted names, comments and `$$` blocks that is followed
/// by more than whitespace and comments (a final `;` ends the only
/// statement). `None` for a single statement, and for text the tokenizer
/// rejects (the account will say what is wrong with it).
pub fn statement_separator(sql: &str) -> Option<Location> {
    let tokens = Tokenizer::new(&SnowflakeDialect {}, sql)
        .tokenize_with_location()
        .ok()?;
    let mut separator = None;
    for token in tokens {
        match token.token {
            Token::Whitespace(_) | Token::EOF => {}
            Token::SemiColon => {
                separator.get_or_insert(token.span.start);
            }
            _ if separator.is_some() => return separator,
            _ => {}
        }
    }
    None
}

/// True when `sql` is a Snowflake Scripting block (`BEGIN ... END`, or
/// `DECLARE ... BEGIN ... END`), whose statements each end with a `;`.
pub fn is_scripting_block(sql: &str) -> bool {
    let Ok(tokens) = Tokenizer::new(&SnowflakeDialect {}, sql).tokenize() else {
        return false;
    };
    tokens
        .iter()
        .find(|t| !matches!(t, Token::Whitespace(_)))
        .is_some_and(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => {
                w.value.eq_ignore_ascii_case("BEGIN") || w.value.eq_ignore_ascii_case("DECLARE")
            }
            _ => false,
        })
}

fn resolve(word: &Word) -> Ident {
    match word.quote_style {
        Some('"') => Ident::from_resolved(word.value.clone()),
        _ => Ident::from_resolved(word.value.to_ascii_uppercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str) -> Vec<String> {
        dotted_names(sql)
            .into_iter()
            .map(|parts| {
                parts
                    .iter()
                    .map(Ident::as_str)
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .collect()
    }

    #[test]
    fn identifiers_and_dotted_names_are_found_and_resolved() {
        let found = names(
            "select a from db.fs.pudo_daily$V1 join \"myView\" on x -- fv_b\n where y = 'task_c' /* t */",
        );
        assert!(
            found.contains(&"DB.FS.PUDO_DAILY$V1".to_string()),
            "{found:?}"
        );
        assert!(found.contains(&"myView".to_string()));
        assert!(
            !found
                .iter()
                .any(|n| n.contains("FV_B") || n.contains("TASK_C") || n == "T"),
            "{found:?}"
        );
    }

    #[test]
    fn a_second_statement_is_found_outside_literals_comments_and_blocks() {
        let at = statement_separator("SELECT 1;\nDROP TABLE T").unwrap();
        assert_eq!((at.line, at.column), (1, 9));
        assert!(statement_separator("SELECT 1 ;  -- done\n").is_none());
        assert!(statement_separator("SELECT ';', \"a;b\" FROM T /* ; */ -- ;\n").is_none());
        assert!(statement_separator("CALL P($$ BEGIN SELECT 1; SELECT 2; END $$)").is_none());
        assert!(statement_separator("SELECT 1;;").is_none());
        assert!(statement_separator("SELECT 1; ; SELECT 2").is_some());
        assert!(is_scripting_block(
            "-- refresh\nBEGIN INSERT INTO T SELECT 1; DELETE FROM U; END"
        ));
        assert!(!is_scripting_block("SELECT 1; BEGIN"));
    }

    #[test]
    fn untokenizable_text_gives_no_names() {
        assert!(names("select 'unterminated").is_empty());
    }
}
