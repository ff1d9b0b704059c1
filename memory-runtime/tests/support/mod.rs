//! What the host-bridge tests share.

/// Asserts that `lines` are what the seed example prints, whichever engine ran its
/// translation: three fixed lines, then the heap figure (positive, varies by run).
pub fn assert_seed_output(lines: &[String]) {
    assert_eq!(&lines[..3], ["hello world", "11", "1"]);
    assert!(lines[3].parse::<i64>().unwrap() > 0);
    assert_eq!(lines.len(), 4);
}
