//! The goost host: the seed example as the command runs it, each language feature, and
//! each class of error with its exact `FILE:LINE:COL: message`.

use std::process::Command;

use goost_memory::{Context, footprint, host};

/// Runs `source` in a fresh context: its printed output, or the error line.
fn run(source: &str) -> Result<String, String> {
    let mut out = Vec::new();
    host::run("t.goost", source, &Context::new(), &mut out)?;
    Ok(String::from_utf8(out).expect("output is UTF-8"))
}

fn output(source: &str) -> String {
    run(source).unwrap_or_else(|e| panic!("script failed: {e}"))
}

fn error(source: &str) -> String {
    match run(source) {
        Ok(out) => panic!("script succeeded with {out:?}"),
        Err(e) => e,
    }
}

/// Runs the command with `args`, `input` on its standard input and its standard output
/// going to `stdout`; waits for it.
fn command(args: &[&str], input: &[u8], stdout: std::process::Stdio) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A command that stops reading early closes the pipe; what it did is in its output.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

#[test]
fn the_seed_example_runs_as_written_through_the_command() {
    let result = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .args(["run", "examples/seed.goost"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&result.stderr), "");
    assert!(result.status.success());
    let stdout = String::from_utf8(result.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(&lines[..3], ["hello world", "11", "1"]);
    let heap: i64 = lines[3].parse().unwrap();
    assert!(heap > 0);
}

#[test]
fn a_script_is_read_from_standard_input_with_dash() {
    let result = command(
        &["run", "-"],
        b"print(1 + 2)\nprint(x)\n",
        std::process::Stdio::piped(),
    );
    assert_eq!(result.status.code(), Some(1));
    // Resolution happens before anything runs: the first print never ran.
    assert_eq!(String::from_utf8_lossy(&result.stdout), "");
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "<stdin>:2:7: unknown variable `x`\n"
    );
}

#[test]
fn memory_limit_flag_caps_the_scripts_buffers() {
    let dir = std::env::temp_dir().join(format!("goost-host-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("limit.goost");
    std::fs::write(
        &script,
        "import memory\nlet b = memory.buffer.new()\nprint(memory.buffer.write(b, \"012345678901234567890123\"))\nprint(memory.buffer.write(b, \"x\"))\n",
    )
    .unwrap();
    // Room for the handle table's first block and a 24-byte buffer's heap block (32
    // bytes); a 25th byte needs a 48-byte block.
    let limit = footprint::slot_table_bytes(1) + footprint::heap_block(24);
    let result = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .args(["run", "--memory-limit", &limit.to_string()])
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&result.stdout), "true\nfalse\n");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `source` on a context with a memory limit of `limit` bytes; the error it ends with.
fn error_under_limit(source: &str, limit: usize) -> String {
    use goost_memory::MemoryLimit;
    let ctx = Context::builder().memory_limit(limit).build();
    match host::run("t.goost", source, &ctx, std::io::sink()) {
        Ok(()) => panic!("script succeeded under a limit of {limit}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_memory_limit_bounds_the_strings_a_script_builds_and_keeps() {
    // A doubling loop stops at the first string longer than the limit, before making it.
    assert_eq!(
        error_under_limit("let s = \"ab\"\nwhile true {\n  s = s + s\n}\n", 1_000_000),
        "t.goost:3:9: string too long: `+` would make 1048576 bytes, past the memory limit (1000000 bytes)"
    );
    // Strings each within the limit, kept in variables together past it.
    let keep_two = "let s = \"ab\"\nfor i in 0..18 {\n  s = s + s\n}\nlet t = s + \"x\"\n";
    assert_eq!(
        error_under_limit(keep_two, 1_000_000),
        "t.goost:5:1: the strings and lists held in variables would take 1048577 bytes, past the memory limit of 1000000 bytes"
    );
    // Without a limit the same script runs; a failed store leaves the variable as it was.
    assert_eq!(output(&format!("{keep_two}print(len(t))\n")), "524289\n");
}

#[test]
fn a_script_past_the_size_limit_is_refused_before_it_is_read_whole() {
    // `/dev/zero` never ends: the limit stops the read one byte past it.
    let result = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .args(["run", "--max-script-bytes", "1000", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "/dev/zero: the script is longer than 1000 bytes (raise the limit with --max-script-bytes)\n"
    );
    // Under the default limit too, and from standard input.
    let script = "print(1)\n".repeat(2);
    let text = goost_memory::host::read_script("<stdin>", script.as_bytes(), 18).unwrap();
    assert_eq!(text, script);
    assert_eq!(
        goost_memory::host::read_script("s.goost", script.as_bytes(), 17),
        Err(
            "s.goost: the script is longer than 17 bytes (raise the limit with --max-script-bytes)"
                .to_string()
        )
    );
    assert_eq!(
        goost_memory::host::read_script("s.goost", &b"print(1)\n\xff"[..], 100),
        Err("s.goost: the script is not UTF-8 text (invalid byte at offset 9)".to_string())
    );
    let result = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .args(["run", "/dev/zero"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        format!(
            "/dev/zero: the script is longer than {} bytes (raise the limit with --max-script-bytes)\n",
            goost_memory::host::DEFAULT_MAX_SCRIPT_BYTES
        )
    );
}

/// Runs the command with `args`, its standard output on `/dev/full` and `input` on its
/// standard input: its exit code and standard error.
fn run_into_full_disk(args: &[&str], input: &str) -> (Option<i32>, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let result = child.wait_with_output().unwrap();
    (
        result.status.code(),
        String::from_utf8_lossy(&result.stderr).into_owned(),
    )
}

#[test]
fn a_failed_write_ends_with_a_message_and_status_1_never_a_panic() {
    let full = "No space left on device (os error 28)";
    assert_eq!(
        run_into_full_disk(&["run", "examples/seed.goost"], ""),
        (
            Some(1),
            format!("examples/seed.goost: cannot write the output: {full}\n")
        )
    );
    assert_eq!(
        run_into_full_disk(&["spec"], ""),
        (
            Some(1),
            format!("goost-memory: cannot write the output: {full}\n")
        )
    );
    assert_eq!(
        run_into_full_disk(&["repl"], "1 + 1\n"),
        (Some(1), format!("repl: cannot write the output: {full}\n"))
    );
    // A reader that goes away: the REPL ends quietly once its output passes the pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .arg("repl")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        for _ in 0..20_000 {
            if stdin
                .write_all(b"\"a line longer than a few bytes of output\"\n")
                .is_err()
            {
                break;
            }
        }
    }
    let result = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_repl_reports_an_entry_left_open_at_the_end_of_input() {
    let result = command(
        &["repl"],
        b"print(\n1)\nif true {\n",
        std::process::Stdio::piped(),
    );
    assert_eq!(String::from_utf8_lossy(&result.stdout), "1\n");
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "repl: the input ended inside an unfinished entry: if true {\n"
    );
    assert_eq!(result.status.code(), Some(1));
}

#[test]
fn variables_blocks_and_lexical_scope() {
    assert_eq!(
        output("let x = 1\n{ let x = 2; print(x) }\nprint(x)\nx = 5; print(x)"),
        "2\n1\n5\n"
    );
    assert_eq!(output("let a = 1\n{ a = a + 1 }\nprint(a)"), "2\n");
}

#[test]
fn if_else_if_else() {
    let script = "for i in 0..4 {\n if i == 0 { print(\"zero\") } else if i < 2 { print(\"one\") } else { print(\"many\") }\n}";
    assert_eq!(output(script), "zero\none\nmany\nmany\n");
}

#[test]
fn while_break_and_continue() {
    let script = "let i = 0\nwhile true {\n i = i + 1\n if i % 2 == 0 { continue }\n if i > 7 { break }\n print(i)\n}";
    assert_eq!(output(script), "1\n3\n5\n7\n");
    assert_eq!(
        output("for i in 0..10 { if i == 3 { break }; print(i) }"),
        "0\n1\n2\n"
    );
}

#[test]
fn literals_and_escapes() {
    assert_eq!(
        output("print(\"a\\tb\\\"c\\\\d\\u{e9}\\u{1F600}\")\nprint(\"x\\ny\")"),
        "a\tb\"c\\dé😀\nx\ny\n"
    );
    assert_eq!(
        output("print(true, false, 9223372036854775807, -5)"),
        "true false 9223372036854775807 -5\n"
    );
}

#[test]
fn operators_and_precedence() {
    assert_eq!(
        output("print(1 + 2 * 3, (1 + 2) * 3, 7 / 2, 7 % 3, -7 / 2, 10 - 4 - 3)"),
        "7 9 3 1 -3 3\n"
    );
    assert_eq!(
        output("print(1 < 2 && 2 <= 2, 3 > 4 || 4 >= 4, !true, 1 != 2)"),
        "true true false true\n"
    );
    assert_eq!(
        output("print(\"ab\" + \"cd\", \"a\" == \"a\", \"a\" < \"b\", 1 == \"1\")"),
        "abcd true true false\n"
    );
    // `&&` and `||` short-circuit: the right side is not evaluated.
    assert_eq!(
        output("print(false && 1 / 0 == 0, true || 1 / 0 == 0)"),
        "false true\n"
    );
}

#[test]
fn builtins_print_str_len() {
    assert_eq!(output("print()"), "\n");
    assert_eq!(output("print(str(42) + \"!\", len(\"héllo\"))"), "42! 6\n");
    assert_eq!(
        output("import memory\nlet b = memory.buffer.new()\nprint(memory.buffer.reset(b))"),
        "nil\n"
    );
}

#[test]
fn natives_do_real_work() {
    let script = "import memory\nlet b = memory.buffer.new()\nfor i in 0..1000 { memory.buffer.write(b, str(i % 10)) }\nprint(memory.buffer.len(b))\nlet p = memory.pool.new()\nfor i in 0..100 { memory.pool.intern(p, \"k\" + str(i % 7)) }\nprint(memory.pool.size(p), memory.pool.has(p, \"k3\"), memory.pool.has(p, \"k7\"))";
    assert_eq!(output(script), "1000\n7 true false\n");
}

#[test]
fn syntax_errors_name_the_place() {
    assert_eq!(
        error("let = 5"),
        "t.goost:1:5: expected a variable name, found `=`"
    );
    assert_eq!(
        error("print(1 +)"),
        "t.goost:1:10: expected an expression, found `)`"
    );
    assert_eq!(
        error("if true { print(1)"),
        "t.goost:1:19: expected `}` before the end of file"
    );
    assert_eq!(
        error("print(\"abc"),
        "t.goost:1:7: unterminated string literal"
    );
    assert_eq!(
        error("print(\"\\q\")"),
        "t.goost:1:8: unknown escape \\q: expected \\n, \\t, \\\", \\\\, \\x.. or \\u{...}"
    );
    assert_eq!(
        error("let x = 99999999999999999999"),
        "t.goost:1:9: integer literal 99999999999999999999 does not fit in an int (i64)"
    );
    assert_eq!(
        error("let x = 1 2"),
        "t.goost:1:11: expected the end of the statement, found `2`"
    );
    assert_eq!(
        error("let x = 1 # 2"),
        "t.goost:1:11: unexpected character '#'"
    );
    assert_eq!(error("break"), "t.goost:1:1: `break` outside a loop");
}

#[test]
fn resolution_errors_stop_the_script_before_it_runs() {
    assert_eq!(
        error("print(1)\nprint(y)"),
        "t.goost:2:7: unknown variable `y`"
    );
    assert_eq!(
        error("print(1)\nmemory.buffer.new()"),
        "t.goost:2:1: module `memory` is not imported: add `import memory`"
    );
    assert_eq!(
        error("import nosuch"),
        "t.goost:1:8: no module `nosuch` is registered (registered: memory); a module's \
         natives register when the crate that binds it is linked into the program, which \
         takes a reference to something in it (`use that_crate as _;` is enough)"
    );
    assert_eq!(
        error("import memory\nmemory.buffer.wrte(1, \"x\")"),
        "t.goost:2:1: unknown function `memory.buffer.wrte`; the nearest names are `memory.buffer.write`, `memory.buffer.reset`, `memory.buffer.free`"
    );
    assert_eq!(
        error("import memory\nmemory.buffer.write(1)"),
        "t.goost:2:1: memory.buffer.write(id: int, data: string) -> bool: expects 2 arguments, got 1"
    );
    assert_eq!(
        error("y = 1"),
        "t.goost:1:1: unknown variable `y`: declare it with `let y = ...`"
    );
    assert_eq!(error("foo(1)"), "t.goost:1:1: unknown function `foo`");
    assert_eq!(
        error("len(1, 2)"),
        "t.goost:1:1: `len` takes 1 argument, got 2"
    );
}

#[test]
fn a_byte_order_mark_is_skipped_and_escapes_are_checked_where_they_stand() {
    assert_eq!(output("\u{feff}print(\"bom\")\nprint(2)"), "bom\n2\n");
    // A `\u{...}` escape takes hex digits only: no sign.
    assert_eq!(
        error("print(\"\\u{+41}\")"),
        "t.goost:1:8: invalid unicode escape: expected \\u{XXXX} with 1 to 6 hex digits of a valid code point"
    );
    assert_eq!(output("print(\"\\u{41}\")"), "A\n");
    // An escape error inside a string that spans lines names the escape's own place.
    assert_eq!(
        error("print(\"one\ntwo \\q\")"),
        "t.goost:2:5: unknown escape \\q: expected \\n, \\t, \\\", \\\\, \\x.. or \\u{...}"
    );
}

#[test]
fn the_remainder_of_the_smallest_int_by_minus_one_is_zero_as_in_go() {
    assert_eq!(
        output("let m = -9223372036854775807 - 1\nprint(m % -1)\nprint(m % 7)\nprint(-7 % 3)"),
        "0\n-1\n-1\n"
    );
    assert_eq!(
        error("let m = -9223372036854775807 - 1\nprint(m / -1)"),
        "t.goost:2:9: integer overflow: -9223372036854775808 / -1"
    );
    assert_eq!(
        error("print(5 % 0)"),
        "t.goost:1:9: division by zero in `%`"
    );
}

#[test]
fn runtime_errors_name_the_place() {
    assert_eq!(
        error("print(1)\nprint(1 / 0)"),
        "t.goost:2:9: division by zero in `/`"
    );
    assert_eq!(
        error("print(9223372036854775807 + 1)"),
        "t.goost:1:27: integer overflow: 9223372036854775807 + 1"
    );
    assert_eq!(
        error("print(1 + true)"),
        "t.goost:1:9: `+` cannot take int and bool"
    );
    assert_eq!(
        error("if 1 { }"),
        "t.goost:1:1: `if` condition must be a bool, got int"
    );
    assert_eq!(
        error("print(-true)"),
        "t.goost:1:7: `-` expects an int or a float, got bool"
    );
    assert_eq!(
        error("print(len(5))"),
        "t.goost:1:7: `len` expects a string, a list or a map, got int"
    );
}

#[test]
fn native_errors_keep_their_own_text() {
    let script = "import memory\nlet b = memory.buffer.new()\nmemory.buffer.free(b)\nprint(memory.buffer.read(b))";
    assert_eq!(
        error(script),
        "t.goost:4:7: memory.buffer.read: handle 1 was freed"
    );
    assert_eq!(
        error("import memory\nmemory.buffer.write(\"x\", 1)"),
        "t.goost:2:1: memory.buffer.write(id: int, data: string) -> bool: argument 1 (id) expects int, got string"
    );
}

#[test]
fn output_printed_before_an_error_is_kept() {
    let mut out = Vec::new();
    let result = host::run(
        "t.goost",
        "print(\"before\")\nprint(1 / 0)",
        &Context::new(),
        &mut out,
    );
    assert_eq!(
        result.map_err(String::from),
        Err("t.goost:2:9: division by zero in `/`".to_string())
    );
    assert_eq!(String::from_utf8(out).unwrap(), "before\n");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("print({}1{})", "(".repeat(500), ")".repeat(500));
    assert_eq!(
        error(&deep),
        "t.goost:1:70: nesting is deeper than 64 levels"
    );
}

/// docs/history/reliability.md, round 3, item 9: 30,000 indexings in a row overflowed the stack in
/// the parser, the evaluator and `Drop`, even in dead code and in `check`.
#[test]
fn a_long_indexing_chain_is_a_nesting_error_not_a_stack_overflow() {
    let chain = format!(
        "let a = [[1]]\nif false {{\n  print(a{})\n}}\n",
        "[0]".repeat(30_000)
    );
    // The block, the call and the indexings together pass 64 levels at the 61st `[`.
    let expected = "t.goost:3:191: nesting is deeper than 64 levels".to_string();
    assert_eq!(error(&chain), expected);
    let checker_spec = goost_memory::MEMORY_SPEC.parsed().unwrap();
    let checker = goost_spec::check::Checker::new([&checker_spec]);
    let findings: Vec<String> = host::check(&chain, &checker)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        findings,
        [expected.trim_start_matches("t.goost:").to_string()]
    );
    // Within the limit, indexing works as before.
    assert_eq!(output("let a = [[[7]]]\nprint(a[0][0][0])"), "7\n");
}

#[test]
fn long_flat_expressions_run_without_overflowing_the_stack() {
    // A million operands at one level: the chain is flat in the parser, the evaluator and
    // `Drop` (it used to abort at 24,000 with "has overflowed its stack").
    let sum = format!("print({})", vec!["1"; 1_000_000].join("+"));
    assert_eq!(output(&sum), "1000000\n");
    let and = format!("print({})", vec!["true"; 100_000].join(" && "));
    assert_eq!(output(&and), "true\n");
    let or = format!("print({} || true)", vec!["false"; 100_000].join(" || "));
    assert_eq!(output(&or), "true\n");
    // Mixed levels nest only as deep as there are levels.
    let mixed = format!("print({})", vec!["2*3"; 100_000].join("-"));
    assert_eq!(output(&mixed), "-599988\n"); // 6 - 6 * 99,999
    // Short-circuit holds along a chain: the division by zero is never evaluated.
    assert_eq!(output("print(false && 1 / 0 == 1 && true)"), "false\n");
    // Built and dropped without running.
    let unused = format!(
        "if false {{\n  print({})\n}}\nprint(\"done\")",
        vec!["1"; 1_000_000].join("+")
    );
    assert_eq!(output(&unused), "done\n");
    // Errors along a chain name the operator where it happened.
    assert_eq!(
        error("print(1 + 2 + true + 4)"),
        "t.goost:1:13: `+` cannot take int and bool"
    );
}

#[test]
fn a_flat_else_if_chain_of_any_length_runs() {
    for branches in [62, 100_000] {
        let mut script = String::from("let x = 0\nif x == 1 {\n  print(1)\n}");
        for n in 2..=branches {
            script.push_str(&format!(" else if x == {n} {{\n  print({n})\n}}"));
        }
        script.push_str(" else {\n  print(\"none\")\n}\n");
        script.push_str(&format!(
            "x = {branches}\nif x == 0 {{\n}} else if x == {branches} {{\n  print(\"last\")\n}}\n"
        ));
        assert_eq!(output(&script), "none\nlast\n", "{branches} branches");
    }
}

#[test]
fn the_repl_prints_values_and_keeps_going_after_an_error() {
    let input = "import memory\nlet b = memory.buffer.new()\nmemory.buffer.write(b, \"abc\")\nnope\n\
                 while memory.buffer.len(b) < 6 {\n memory.buffer.write(b, \"x\")\n}\nmemory.buffer.read(b)\n\
                 memory.buffer.write(b, \"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\")\n\
                 print(1 + 2, \"three\")\n";
    // Room for the handle table's first block and a 64-byte buffer.
    let limit = (footprint::slot_table_bytes(1) + footprint::heap_block(64)).to_string();
    let result = command(
        &["repl", "--memory-limit", &limit],
        input.as_bytes(),
        std::process::Stdio::piped(),
    );
    assert!(result.status.success());
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        "true\nabcxxx\nfalse\n3 three\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "<repl>:1:1: unknown variable `nope`\n"
    );
}

#[test]
fn each_example_prints_its_committed_output() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&examples).unwrap() {
        let script = entry.unwrap().path();
        let expected = script.with_extension("out");
        if script.extension().is_none_or(|e| e != "goost") || !expected.exists() {
            continue;
        }
        let result = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
            .arg("run")
            .arg(&script)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&result.stderr),
            "",
            "{}",
            script.display()
        );
        assert_eq!(
            String::from_utf8_lossy(&result.stdout),
            std::fs::read_to_string(&expected).unwrap(),
            "{}",
            script.display()
        );
        checked.push(script.file_stem().unwrap().to_string_lossy().into_owned());
    }
    checked.sort();
    assert_eq!(checked, ["build_string", "dedup_words", "heap_watch"]);
}

#[test]
fn spec_lists_the_registered_natives_and_agrees_with_the_spec() {
    let result = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .arg("spec")
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let stdout = String::from_utf8(result.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 18);
    assert_eq!(lines[0], "memory.alloc.heapAlloc() -> int");
    assert!(lines.contains(&"memory.buffer.write(id: int, data: string) -> bool"));
    assert_eq!(lines[17], "memory.pool.size(id: int) -> int");
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["run", "repl", "docs", "spec"] {
        let result = Command::new(env!("CARGO_BIN_EXE_goost-memory"))
            .args([sub, "--help"])
            .output()
            .unwrap();
        assert!(result.status.success());
        let help = String::from_utf8(result.stdout).unwrap();
        assert!(
            help.contains(&format!("Usage: goost-memory {sub}")),
            "{help}"
        );
    }
}

#[test]
fn floats_follow_gos_rules() {
    assert_eq!(
        output(
            "print(1.5, 2e3, 1.5e-7, 0.1 + 0.2, 7.0 / 2.0, -2.5 * 2.0)\nprint(1.0 / 0.0, 1e6, 3.0 > 2.5)\n"
        ),
        "1.5 2000 1.5e-07 0.30000000000000004 3.5 -5\n+Inf 1e+06 true\n"
    );
    assert_eq!(
        output("print(float(7) / 2.0, int(-3.9), int(2.5e3))\n"),
        "3.5 -3 2500\n"
    );
    assert_eq!(
        error("print(1 + 1.5)\n"),
        "t.goost:1:9: `+` cannot mix int and float: convert one with float(..) or int(..), as in Go"
    );
    assert_eq!(
        error("print(1.5 % 1.0)\n"),
        "t.goost:1:11: `%` cannot take float and float"
    );
    assert_eq!(
        error("print(int(1e300))\n"),
        "t.goost:1:7: `int` cannot convert 1e+300: it is outside the range of an int"
    );
    assert_eq!(
        error("print(1.5e999)\n"),
        "t.goost:1:7: float literal 1.5e999 is too large for a float (f64)"
    );
    // `1..3` stays a range of ints.
    assert_eq!(output("for i in 1..3 {\n  print(i)\n}\n"), "1\n2\n");
}

#[test]
fn lists_index_and_len() {
    assert_eq!(
        output(
            "let xs = [1, \"two\", [3.5, nil]]\nprint(xs, len(xs), xs[1], xs[2][0])\nprint([], len([]))\n"
        ),
        "[1 two [3.5 nil]] 3 two 3.5\n[] 0\n"
    );
    assert_eq!(
        error("let xs = [1, 2]\nprint(xs[2])\n"),
        "t.goost:2:9: index 2 is out of range for a list of 2 elements"
    );
    assert_eq!(
        error("let xs = [1, 2]\nprint(xs[-1])\n"),
        "t.goost:2:9: index -1 is out of range for a list of 2 elements"
    );
    assert_eq!(
        error("print([1][\"0\"])\n"),
        "t.goost:1:10: a list index must be an int, got string"
    );
    assert_eq!(
        error("print(3[0])\n"),
        "t.goost:1:8: only a list or a map can be indexed, not int"
    );
    // Lists nest at most 64 deep, however they are built.
    assert_eq!(
        error("let xs = []\nfor i in 0..100 {\n  xs = [xs]\n}\n"),
        "t.goost:3:8: lists nest at most 64 deep"
    );
    // A list literal may span lines.
    assert_eq!(output("let xs = [\n  1,\n  2,\n]\nprint(xs)\n"), "[1 2]\n");
}

#[test]
fn byte_escapes_and_nil() {
    assert_eq!(
        output("print(len(\"\\x00\\xff\\x01\"), \"\\x41\\x62\")\n"),
        "3 Ab\n"
    );
    assert_eq!(output("let x = nil\nprint(x, x == nil)\n"), "nil true\n");
    assert_eq!(
        error("print(\"\\xZZ\")\n"),
        "t.goost:1:8: invalid byte escape: expected \\x and two hex digits"
    );
}

#[test]
fn a_memory_limit_bounds_the_lists_a_script_keeps() {
    // Strings kept inside nested lists count against the limit as strings in variables do.
    let source = "let s = \"ab\"\nfor i in 0..16 {\n  s = s + s\n}\nlet xs = []\nfor i in 0..60 {\n  xs = [xs, s + \"x\"]\n}\n";
    let error = error_under_limit(source, 1_000_000);
    assert!(
        error.starts_with("t.goost:7:3: the strings and lists held in variables would take "),
        "{error}"
    );
    assert!(
        error.ends_with(", past the memory limit of 1000000 bytes"),
        "{error}"
    );
    // One list literal may not hold more than the limit either.
    assert_eq!(
        error_under_limit(
            "let s = \"ab\"\nfor i in 0..18 {\n  s = s + s\n}\nlet xs = [s, s]\n",
            1_000_000
        ),
        "t.goost:5:10: list too large: it would hold more than 1000000 bytes"
    );
}

/// docs/history/reliability.md, round 3, items 12 and 13: the REPL echoed bytes that are not UTF-8 as
/// U+FFFD while `print` writes them, ended at a line that is not UTF-8, and parsed a long
/// open block again on every line (a 10,000-line block took 19.6 s).
#[test]
fn the_repl_echoes_bytes_skips_a_line_that_is_not_utf8_and_reads_long_blocks() {
    let mut input = b"\"a\\xffb\"\nprint(1)\n\xff\xfe\nprint(2)\nif true {\n".to_vec();
    input.extend("  let x = 1\n".repeat(10_000).as_bytes());
    input.extend(b"  print(x + 6)\n}\n");
    let result = command(&["repl"], &input, std::process::Stdio::piped());
    assert_eq!(result.stdout, b"a\xffb\n1\n2\n7\n");
    assert_eq!(
        String::from_utf8_lossy(&result.stderr),
        "<repl>: the line is not UTF-8 text: skipped\n"
    );
    assert!(result.status.success());
}
