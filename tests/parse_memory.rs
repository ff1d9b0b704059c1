//! A long script parses in memory proportional to what it makes, not to a token list and
//! a tree node per token (issue 24, item 10: a list literal of small ints parsed at about
//! 75 times the script's size). Alone in its binary: it reads the peak resident size of
//! the children this test process has waited for.
#![cfg(target_os = "linux")]

use std::process::Command;

mod support;

use support::children_peak_resident_bytes;

#[test]
fn a_long_list_literal_parses_within_25_times_the_scripts_size() {
    let dir = std::env::temp_dir().join(format!("goost-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let idle = dir.join("idle.goost");
    std::fs::write(&idle, "print(1)\n").unwrap();
    // 2,000,000 elements in a 4 MB script.
    let elements = 2_000_000;
    let mut source = String::with_capacity(2 * elements + 64);
    source.push_str("let xs = [");
    for _ in 0..elements {
        source.push_str("7,");
    }
    source.push_str("7]\nprint(len(xs))\n");
    let long = dir.join("long.goost");
    std::fs::write(&long, &source).unwrap();
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_goost-memory"))
            .arg("run")
            .arg(file)
            .output()
            .unwrap()
    };
    assert!(run(&idle).status.success());
    let idle_peak = children_peak_resident_bytes();
    let output = run(&long);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "2000001\n");
    let grown = children_peak_resident_bytes().saturating_sub(idle_peak);
    let size = source.len() as u64;
    assert!(
        grown < 25 * size,
        "the run grew by {grown} bytes for a script of {size} ({}x)",
        grown / size
    );
}
