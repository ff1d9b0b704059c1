//! `goost-memory check` finds every planted error in a script of each language, at its
//! exact line and column, and passes a clean script of each; `goost-memory spec diff`
//! classifies a planted set of changes; `defs --check` notices a stale file.

use std::process::{Command, Output};

fn goost_memory(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_goost-memory"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the command runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn check_reports_each_planted_error_of_a_goost_script_at_its_position() {
    let output = goost_memory(&["check", "tests/check/planted.goost"]);
    assert_eq!(
        stdout(&output),
        "tests/check/planted.goost:5:1: memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int\n\
         tests/check/planted.goost:6:1: memory.buffer.write(id: int, data: string) -> bool: expects 2 arguments, got 1\n\
         tests/check/planted.goost:7:1: unknown function `memory.buffer.wirte`; the nearest names are `memory.buffer.write`, `memory.buffer.free`, `memory.buffer.read`\n\
         tests/check/planted.goost:8:7: memory.pool.size(id: int) -> int: expects 1 argument, got 2\n\
         tests/check/planted.goost:9:1: memory.gc.setPercent(pct: int) -> int: argument 1 (pct) expects int, got string\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn check_reports_each_planted_error_of_a_lua_script_at_its_position() {
    let output = goost_memory(&["check", "tests/check/planted.lua"]);
    assert_eq!(
        stdout(&output),
        "tests/check/planted.lua:5:1: memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int\n\
         tests/check/planted.lua:6:1: memory.buffer.write(id: int, data: string) -> bool: expects 2 arguments, got 1\n\
         tests/check/planted.lua:7:1: unknown function `memory.buffer.wirte`; the nearest names are `memory.buffer.write`, `memory.buffer.free`, `memory.buffer.read`\n\
         tests/check/planted.lua:8:7: memory.pool.size(id: int) -> int: expects 1 argument, got 2\n\
         tests/check/planted.lua:9:1: memory.gc.setPercent(pct: int) -> int: argument 1 (pct) expects int, got string\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn check_reports_each_planted_error_of_a_rhai_script_at_its_position() {
    let output = goost_memory(&["check", "tests/check/planted.rhai"]);
    assert_eq!(
        stdout(&output),
        "tests/check/planted.rhai:3:1: memory.buffer.write(id: int, data: string) -> bool: argument 2 (data) expects string, got int\n\
         tests/check/planted.rhai:4:1: memory.buffer.write(id: int, data: string) -> bool: expects 2 arguments, got 1\n\
         tests/check/planted.rhai:5:1: unknown function `memory::buffer::wirte`; the nearest names are `memory::buffer::write`, `memory::buffer::free`, `memory::buffer::read`\n\
         tests/check/planted.rhai:6:7: memory.pool.size(id: int) -> int: expects 1 argument, got 2\n\
         tests/check/planted.rhai:7:1: memory.gc.setPercent(pct: int) -> int: argument 1 (pct) expects int, got string\n"
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn check_passes_a_clean_script_of_each_language() {
    for file in [
        "examples/seed.goost",
        "examples/seed.lua",
        "examples/seed.rhai",
    ] {
        let output = goost_memory(&["check", file]);
        assert_eq!(
            (stdout(&output).as_str(), output.status.code()),
            ("", Some(0)),
            "{file}"
        );
    }
}

#[test]
fn check_knows_the_modules_of_specs_it_is_given() {
    let dir = std::env::temp_dir().join(format!("goost-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("use.rhai");
    std::fs::write(
        &script,
        "shop::cart::add(\"pen\");\nshop::cart::total(\"EUR\");\n",
    )
    .unwrap();
    let output = goost_memory(&[
        "check",
        "--spec",
        "tests/spec_diff/new.spec",
        script.to_str().unwrap(),
    ]);
    assert_eq!(
        stdout(&output),
        format!(
            "{}:1:1: shop.cart.add(item: string, count: int, note: string?) -> int: expects 2 to 3 arguments, got 1\n",
            script.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_refuses_a_file_of_unknown_language_with_status_2() {
    let output = goost_memory(&["check", "README.md"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "README.md: cannot tell the script's language: expected a .goost, .lua or .rhai file\n"
    );
}

#[test]
fn spec_diff_classifies_the_planted_changes() {
    let output = goost_memory(&[
        "spec",
        "diff",
        "tests/spec_diff/old.spec",
        "tests/spec_diff/new.spec",
    ]);
    assert_eq!(
        stdout(&output),
        "breaking: `shop.cart.clear` renamed to `shop.cart.empty`\n\
         breaking: `shop.cart.remove(item: string) -> bool` removed\n\
         compatible: `shop.cart.add`: optional parameter `note: string?` added\n\
         breaking: `shop.cart.total`: required parameter `currency: string` added\n\
         compatible: `shop.cart.lookup`: result changed from `string?` to `string`\n\
         compatible: `shop.cart.discount(code: string, percent: int) -> bool` added\n\
         3 breaking, 3 compatible (version 1.4.0 -> 1.5.0)\n\
         warning: version 1.4.0 -> 1.5.0 does not mark the breaking changes: semver asks for 2.0.0 or later\n"
    );
    assert_eq!(output.status.code(), Some(1));
    let same = goost_memory(&["spec", "diff", "spec/memory.spec", "spec/memory.spec"]);
    assert_eq!(
        (stdout(&same).as_str(), same.status.code()),
        (
            "0 breaking, 0 compatible (version 0.1.0 -> 0.1.0)\n",
            Some(0)
        )
    );
}

#[test]
fn defs_check_notices_a_stale_definition_file() {
    let dir = std::env::temp_dir().join(format!("goost-defs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("memory.lua");
    let path = file.to_str().unwrap();
    let written = goost_memory(&["defs", "lua", "--out", path]);
    assert_eq!(stdout(&written), format!("wrote {path}\n"));
    assert!(
        goost_memory(&["defs", "lua", "--check", "--out", path])
            .status
            .success()
    );
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("---@param id integer", "---@param id number"),
    )
    .unwrap();
    let stale = goost_memory(&["defs", "lua", "--check", "--out", path]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&stale.stderr).starts_with(&format!(
            "{path} is stale: line 23 differs: file has \"---@param id number\", spec gives \"---@param id integer\""
        )),
        "{}",
        String::from_utf8_lossy(&stale.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn hosts_run_the_goost_check_as_a_library_call() {
    use goost_spec::check::Checker;
    let spec = goost_memory::MEMORY_SPEC.parsed().unwrap();
    let checker = Checker::new([&spec]);
    let findings = goost_memory::host::check(
        "import memory\nlet b = memory.buffer.new(1)\nmemory.pool.sise(2)\n",
        &checker,
    );
    let lines: Vec<String> = findings.iter().map(|f| f.display_in("s.goost")).collect();
    assert_eq!(
        lines,
        [
            "s.goost:2:9: memory.buffer.new() -> int: expects 0 arguments, got 1",
            "s.goost:3:1: unknown function `memory.pool.sise`; the nearest names are `memory.pool.size`, `memory.pool.has`, `memory.pool.new`",
        ]
    );
    // A syntax error ends the check with a finding of its own, after those before it; a
    // script nested past the parser's depth limit is one, not a stack overflow.
    let deep = format!(
        "import memory\nmemory.buffer.new(1)\nlet x = {}1{}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let findings = goost_memory::host::check(&deep, &checker);
    assert_eq!(findings.len(), 2);
    assert_eq!((findings[1].line, findings[1].col), (3, 73));
    assert_eq!(findings[1].message, "nesting is deeper than 64 levels");
}

/// docs/history/reliability.md, round 3, items 10 and 13: spec files and pages are read through a
/// limit (`/dev/zero` reached 4 GB), a page that cannot be read is not called "missing",
/// and the check's size error names no option it does not take.
#[test]
fn spec_and_page_reads_are_bounded_and_say_what_is_wrong() {
    let spec_error = "/dev/zero: the spec is longer than 16777216 bytes\n";
    let diff = goost_memory(&["spec", "diff", "/dev/zero", "spec/memory.spec"]);
    assert_eq!(String::from_utf8_lossy(&diff.stderr), spec_error);
    assert_eq!(diff.status.code(), Some(2));
    let check = goost_memory(&["check", "--spec", "/dev/zero", "tests/check/planted.goost"]);
    assert_eq!(String::from_utf8_lossy(&check.stderr), spec_error);
    assert_eq!(check.status.code(), Some(2));

    let stale = goost_memory(&["defs", "lua", "--check", "--out", "/dev/zero"]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&stale.stderr).starts_with("/dev/zero is stale: line 1 differs"),
        "{}",
        String::from_utf8_lossy(&stale.stderr)
    );

    let dir = std::env::temp_dir().join(format!("goost-pages-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("memory.md")).unwrap();
    let pages = goost_memory(&["docs", "--check", "--dir", dir.to_str().unwrap()]);
    assert_eq!(pages.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&pages.stderr).into_owned();
    assert!(
        stderr.starts_with(&format!(
            "{} cannot be read (Is a directory (os error 21))",
            dir.join("memory.md").display()
        )),
        "{stderr}"
    );
    let big = dir.join("big.lua");
    std::os::unix::fs::symlink("/dev/zero", &big).unwrap();
    let checked = goost_memory(&["check", big.to_str().unwrap()]);
    assert_eq!(
        String::from_utf8_lossy(&checked.stderr),
        format!(
            "{}: the script is longer than 16777216 bytes (the check reads scripts up to this size)\n",
            big.display()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 26, item 2: a native call passed straight to another was checked as a literal
/// `nil` (`argument 1 (id) expects int, got nil`, exit 1) while `run` printed `0`.
#[test]
fn a_native_call_passed_to_another_is_not_a_literal() {
    use goost_spec::check::Checker;
    let spec = goost_memory::MEMORY_SPEC.parsed().unwrap();
    let checker = Checker::new([&spec]);
    let source = "import memory\nprint(memory.buffer.len(memory.buffer.new()))\n\
                  memory.buffer.write(memory.buffer.new(), memory.pool.intern(memory.pool.new(), \"x\"))\n\
                  memory.buffer.len(memory.buffer.new(7))\n";
    let lines: Vec<String> = goost_memory::host::check(source, &checker)
        .iter()
        .map(|f| f.display_in("n.goost"))
        .collect();
    // The inner call's own mistake is still found; the outer calls are not.
    assert_eq!(
        lines,
        ["n.goost:4:19: memory.buffer.new() -> int: expects 0 arguments, got 1"]
    );
}
