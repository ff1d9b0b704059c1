//! Under `--memory-limit`, a script that builds ever longer strings stops with a clear
//! error while the process is still within a few MB of the limit (issue 14, item 3).
//! Alone in its binary: it reads the peak resident size of the children this test
//! process has waited for.
#![cfg(target_os = "linux")]

use std::process::Command;

mod support;

use support::children_peak_resident_bytes;

#[test]
fn a_string_doubling_loop_stops_within_a_few_mb_of_the_memory_limit() {
    let dir = std::env::temp_dir().join(format!("goost-limit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("double.goost");
    std::fs::write(&script, "let s = \"ab\"\nwhile true {\n  s = s + s\n}\n").unwrap();
    let idle = dir.join("idle.goost");
    std::fs::write(&idle, "let s = \"ab\"\n").unwrap();
    let limit: u64 = 1_000_000;
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_goost-memory"))
            .args(["run", "--memory-limit", &limit.to_string()])
            .arg(file)
            .output()
            .unwrap()
    };
    // What the command takes resident for a script that does nothing (it depends on the
    // build: debug, features, allocator), then the doubling loop.
    assert!(run(&idle).status.success());
    let baseline = children_peak_resident_bytes();
    let result = run(&script);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.ends_with(
            "double.goost:3:9: string too long: `+` would make 1048576 bytes, past the memory limit (1000000 bytes)\n"
        ),
        "{stderr}"
    );
    let peak = children_peak_resident_bytes();
    assert!(
        peak < baseline + limit + (4 << 20),
        "the process peaked at {peak} bytes resident ({baseline} for a script doing nothing) under a limit of {limit}"
    );
}
