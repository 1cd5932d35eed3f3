//! "Did you mean ...?": the closest known word to a misspelt one.
//!
//! Used by every loading and validation message that names a key, a kind, an
//! environment or a reference. Pure string functions, nothing else.

/// The candidate closest to `word` (case-insensitive edit distance), if it is
/// close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A hint line: `did you mean `X`?` when a candidate is close, plus the list
/// of what exists (`known: A, B, C`), or `there are none` when nothing does.
pub fn hint_for(word: &str, what: &str, candidates: &[&str]) -> String {
    let list = if candidates.is_empty() {
        format!("no {what} is declared")
    } else {
        format!("declared {what}s: {}", candidates.join(", "))
    };
    match did_you_mean(word, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? ({list})"),
        None => list,
    }
}

/// Levenshtein distance between two strings, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_words_are_suggested_far_ones_are_not() {
        assert_eq!(
            did_you_mean("sise", ["size", "type", "comment"]),
            Some("size")
        );
        assert_eq!(
            did_you_mean("Warehose", ["Warehouse", "Task"]),
            Some("Warehouse")
        );
        assert_eq!(did_you_mean("xyz", ["size", "comment"]), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn hints_list_what_exists() {
        assert_eq!(
            hint_for("ML_W", "warehouse", &["ML_WH"]),
            "did you mean `ML_WH`? (declared warehouses: ML_WH)"
        );
        assert_eq!(hint_for("X", "warehouse", &[]), "no warehouse is declared");
    }
}
