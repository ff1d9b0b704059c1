//! `docs/memory.md` is generated from `spec/memory.spec`, in the seed page's layout, and
//! `goost-memory docs --check` says when a page is stale (`tests/defs.rs` checks that
//! every committed artifact is fresh).

use std::path::Path;

use goost_memory::MEMORY_SPEC;
use goost_memory::docs::{self, DocsState};

#[test]
fn docs_memory_md_is_the_page_generated_from_the_spec() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(docs::DOCS_PATH);
    assert_eq!(
        docs::check(MEMORY_SPEC.markdown, &path),
        DocsState::Fresh,
        "docs/memory.md is stale: run `cargo run -- docs`"
    );
}

#[test]
fn the_page_holds_the_seed_pages_four_tables_row_for_row() {
    let page = MEMORY_SPEC.markdown;
    let tables: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("## memory."))
        .collect();
    assert_eq!(
        tables,
        [
            "## memory.buffer",
            "## memory.pool",
            "## memory.alloc",
            "## memory.gc"
        ]
    );
    let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(rows.len(), 18);
    assert_eq!(
        rows[0],
        "| `new` | `memory.buffer.new() → int` | Allocate a new buffer; returns its handle |"
    );
    assert_eq!(
        rows[7],
        "| `intern` | `memory.pool.intern(id: int, s: string) → string` | Return the pooled copy of `s`, adding it if new |"
    );
    assert_eq!(
        rows[11],
        "| `stats` | `memory.alloc.stats() → string` | JSON string with `alloc`, `totalAlloc`, `sys`, `numGC`, `goroutines` |"
    );
    assert_eq!(
        rows[17],
        "| `freeOSMemory` | `memory.gc.freeOSMemory() → void` | Force a GC and return unused memory to the OS |"
    );
    assert!(page.contains(
        "## memory.pool\n\nA pool deduplicates equal strings (interning).\n\n| Function |"
    ));
}

#[test]
fn docs_check_exits_1_with_a_summary_when_stale() {
    let dir = std::env::temp_dir().join(format!("goost-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_goost-memory"))
            .args(args)
            .arg("--dir")
            .arg(&dir)
            .output()
            .unwrap()
    };
    let output = run(&["docs"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "wrote {0}/memory.md\nwrote {0}/memory-engines.md\n",
            dir.display()
        )
    );
    let stale = dir.join("memory.md");
    assert_eq!(
        std::fs::read_to_string(&stale).unwrap(),
        MEMORY_SPEC.markdown
    );
    std::fs::write(
        &stale,
        MEMORY_SPEC
            .markdown
            .replace("Current byte length", "Length"),
    )
    .unwrap();
    let output = run(&["docs", "--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "{} is stale: line 20 differs: file has \"| `len` | `memory.buffer.len(id: int) → int` | Length |\", \
             spec gives \"| `len` | `memory.buffer.len(id: int) → int` | Current byte length |\" (74 lines on disk, 74 generated); run `goost-memory docs`\n",
            stale.display()
        )
    );
    std::fs::remove_file(dir.join("memory-engines.md")).unwrap();
    let output = run(&["docs", "--check"]);
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).lines().last(),
        Some(
            format!(
                "{}/memory-engines.md is missing: run `goost-memory docs`",
                dir.display()
            )
            .as_str()
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
