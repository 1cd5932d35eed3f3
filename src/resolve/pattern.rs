//! Branch and tag glob patterns: `*` matches within one `/`-separated
//! segment, `**` across segments (`release/**` matches `release/a/b`, and
//! `a/**/b` matches `a/b`), `?` one character. Pure functions.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    Literal(char),
    /// `?`
    One,
    /// `*`
    Star,
    /// `**`
    Any,
    /// `**/`: nothing, or anything ending with `/`.
    AnyDir,
}

fn tokens(pattern: &str) -> Vec<Token> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' if chars.get(i + 1) == Some(&'*') => {
                if chars.get(i + 2) == Some(&'/') {
                    out.push(Token::AnyDir);
                    i += 3;
                } else {
                    out.push(Token::Any);
                    i += 2;
                }
                continue;
            }
            '*' => out.push(Token::Star),
            '?' => out.push(Token::One),
            c => out.push(Token::Literal(c)),
        }
        i += 1;
    }
    out
}

/// True when `text` matches the glob `pattern` (whole string).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let tokens = tokens(pattern);
    let text: Vec<char> = text.chars().collect();
    // reachable[j]: the tokens so far can consume exactly text[..j].
    let mut reachable = vec![false; text.len() + 1];
    reachable[0] = true;
    for token in tokens {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            if !reachable[j] {
                continue;
            }
            match token {
                Token::Literal(c) => {
                    if text.get(j) == Some(&c) {
                        next[j + 1] = true;
                    }
                }
                Token::One => {
                    if text.get(j).is_some_and(|c| *c != '/') {
                        next[j + 1] = true;
                    }
                }
                Token::Star => {
                    next[j] = true;
                    let mut k = j;
                    while k < text.len() && text[k] != '/' {
                        k += 1;
                        next[k] = true;
                    }
                }
                Token::Any => next[j..].iter_mut().for_each(|n| *n = true),
                Token::AnyDir => {
                    next[j] = true;
                    for k in j..text.len() {
                        if text[k] == '/' {
                            next[k + 1] = true;
                        }
                    }
                }
            }
        }
        reachable = next;
    }
    reachable[text.len()]
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn star_stays_within_a_segment() {
        assert!(glob_match("feature/*", "feature/login"));
        assert!(!glob_match("feature/*", "feature/a/b"));
        assert!(!glob_match("feature/*", "feature"));
        assert!(glob_match("*", "main"));
        assert!(!glob_match("*", "a/b"));
        assert!(glob_match("v*", "v1.2.0"));
    }

    #[test]
    fn double_star_crosses_segments() {
        assert!(glob_match("release/**", "release/2024/q1"));
        assert!(glob_match("**", "any/thing/at/all"));
        assert!(glob_match("a/**/b", "a/b"));
        assert!(glob_match("a/**/b", "a/x/y/b"));
        assert!(!glob_match("a/**/b", "a/x/c"));
    }

    #[test]
    fn literals_and_question_marks() {
        assert!(glob_match("main", "main"));
        assert!(!glob_match("main", "mainline"));
        assert!(glob_match("v?", "v1"));
        assert!(!glob_match("v?", "v10"));
    }
}
