//! "Did you mean": the known names closest to an unknown one, for the macro's
//! unknown-name error and the registry's lookups alike.

/// Up to `count` of `candidates` closest to `name` (Jaro-Winkler similarity), best first;
/// ties are broken by name, so the answer is the same on every run.
pub fn nearest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    count: usize,
) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &'a str)> = candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(count).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_names_come_first_and_ties_by_name() {
        let names = [
            "memory.buffer.write",
            "memory.buffer.read",
            "memory.pool.new",
        ];
        assert_eq!(
            nearest("memory.buffer.wrte", names, 2),
            ["memory.buffer.write", "memory.buffer.read"]
        );
        assert_eq!(nearest("x", ["b", "a"], 5), ["a", "b"]);
        assert!(nearest("x", [], 3).is_empty());
    }
}
