//! Every generated artifact of the memory module is committed and fresh, and each
//! definition file is what the engine's own tools make of it.

use std::path::{Path, PathBuf};

use goost_memory::MEMORY_SPEC;
use goost_memory::docs::{self, DocsState};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_artifact_of_the_memory_module_is_committed_and_fresh() {
    let stale = docs::check_all(&MEMORY_SPEC, root());
    assert_eq!(
        stale,
        Vec::<(PathBuf, DocsState)>::new(),
        "regenerate with `cargo run -- docs`, then `cargo run -- defs lua` (and `rhai`, `json`)"
    );
}

/// The `emmylua_check` binary: `$EMMYLUA_CHECK`, else the one on `PATH`.
fn emmylua_check() -> PathBuf {
    std::env::var_os("EMMYLUA_CHECK")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("emmylua_check"))
}

/// Runs `emmylua_check` on a workspace holding `script` (a file under the repository)
/// as `main.lua`, with the memory module's definition files as its library when
/// `with_defs`; each diagnostic as `LINE:COL code` (1-based, as its text output shows
/// them).
fn emmylua_diagnostics(name: &str, script: &str, with_defs: bool) -> Vec<String> {
    let library: Vec<PathBuf> = if with_defs {
        vec![root().join("defs")]
    } else {
        Vec::new()
    };
    let text = std::fs::read_to_string(root().join(script)).unwrap();
    emmylua_diagnostics_of(name, &text, &library)
}

/// [`emmylua_diagnostics_of`] the script `text` (named `name`), with the Lua definitions
/// of the fixture spec `spec_text` (module `module`, `tests/fixture/MODULE.spec`) as the
/// library.
fn emmylua_diagnostics_with_defs(
    name: &str,
    module: &str,
    spec_text: &str,
    text: &str,
) -> Vec<String> {
    let spec = goost_spec::parse(spec_text).unwrap();
    let library =
        std::env::temp_dir().join(format!("goost-emmylua-{name}-defs-{}", std::process::id()));
    std::fs::create_dir_all(&library).unwrap();
    std::fs::write(
        library.join(format!("{module}.lua")),
        goost_spec::defs_lua::render(&spec, &format!("tests/fixture/{module}.spec")),
    )
    .unwrap();
    let found = emmylua_diagnostics_of(name, text, std::slice::from_ref(&library));
    std::fs::remove_dir_all(&library).unwrap();
    found
}

/// [`emmylua_diagnostics`] of the script `text`, with `library` as the library.
fn emmylua_diagnostics_of(name: &str, text: &str, library: &[PathBuf]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("goost-emmylua-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.lua"), text).unwrap();
    let config = serde_json::json!({
        "workspace": { "library": library },
        "runtime": { "version": "Lua5.4" },
    });
    std::fs::write(dir.join(".emmyrc.json"), config.to_string()).unwrap();
    let output = std::process::Command::new(emmylua_check())
        .args(["--output-format", "json"])
        .arg(&dir)
        .output()
        .unwrap_or_else(|error| {
            panic!(
                "cannot run {}: {error}; install it with `cargo install --locked emmylua_check` \
                 or name it with EMMYLUA_CHECK",
                emmylua_check().display()
            )
        });
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "emmylua_check printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    std::fs::remove_dir_all(&dir).unwrap();
    let mut found: Vec<String> = report
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|file| file["diagnostics"].as_array().cloned().unwrap_or_default())
        .map(|d| {
            let start = &d["range"]["start"];
            format!(
                "{}:{} {}",
                start["line"].as_u64().unwrap() + 1,
                start["character"].as_u64().unwrap() + 1,
                d["code"].as_str().unwrap_or("?")
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
#[ignore = "needs emmylua_check (crates.io): .ci/run installs it and runs this test"]
fn emmylua_check_reads_the_lua_definitions_and_finds_the_planted_errors() {
    // The seed example in Lua uses the module correctly: the checker reports nothing about
    // its calls, only the two locals the example (as the seed page) never reads.
    assert_eq!(
        emmylua_diagnostics("seed", "examples/seed.lua", true),
        ["13:7 unused", "14:7 unused"]
    );
    assert_eq!(
        emmylua_diagnostics("planted", "tests/check/planted.lua", true),
        [
            "5:26 param-type-mismatch", // memory.buffer.write(buf, 42)
            "6:24 missing-parameter",   // memory.buffer.write(buf)
            "7:15 undefined-field",     // memory.buffer.wirte(..)
            "8:43 redundant-parameter", // memory.pool.size(pool, "extra")
            "9:22 param-type-mismatch", // memory.gc.setPercent("fifty")
        ]
    );
    // Without the definitions the checker knows nothing of the module: the findings
    // above come from defs/memory.lua.
    assert!(
        !emmylua_diagnostics("bare", "tests/check/planted.lua", false)
            .iter()
            .any(|d| d.ends_with("param-type-mismatch"))
    );
}

/// Issue 26, item 1: definitions of a module whose names are Lua keywords are Lua that the
/// checker reads: the indexed declarations carry their types.
#[test]
#[ignore = "needs emmylua_check (crates.io): .ci/run installs it and runs this test"]
fn emmylua_check_reads_definitions_of_names_that_are_lua_keywords() {
    let found = emmylua_diagnostics_with_defs(
        "words",
        "words",
        include_str!("fixture/words.spec"),
        "local words = require(\"words\")\n\
         print(words[\"end\"][\"repeat\"](\"ab\", 2))\n\
         print(words[\"end\"][\"repeat\"](42, 2))\n\
         print(words[\"end\"].match(\"yes\"), words[\"end\"].new(), words[\"end\"][\"nil\"]())\n\
         print(words[\"end\"][\"repaet\"](\"ab\", 2))\n",
    );
    assert_eq!(found, ["3:30 param-type-mismatch", "5:20 undefined-field"]);
}

/// Records are `---@class`es with `---@field`s and enums `---@alias`es of their strings, so
/// emmylua_check finds a wrong field type, a missing field and a bad enum string in a
/// table literal or string passed to a function.
#[test]
#[ignore = "needs emmylua_check (crates.io): .ci/run installs it and runs this test"]
fn emmylua_check_reads_records_and_enums_and_finds_the_planted_errors() {
    let found = emmylua_diagnostics_with_defs(
        "places",
        "places",
        include_str!("fixture/places.spec"),
        "local places = require(\"places\")\n\
         local a = { x = 0.0, y = 0.0 }\n\
         print(places.place.dist(a, { x = 3.0, y = 4.0, label = \"b\" }, \"km\"))\n\
         print(places.place.count({ a, { x = 1.0, y = 1.0 } }).b)\n\
         print(places.place.dist(a, { x = \"3\", y = 4.0 }))\n\
         print(places.place.dist(a, { x = 3.0 }))\n\
         print(places.place.dist(a, a, \"miles\"))\n",
    );
    // Lines 2 to 4 are right; 5 passes a string field, 6 leaves `y` out, 7 a bad unit.
    assert_eq!(
        found,
        [
            "5:30 assign-type-mismatch",
            "6:28 missing-fields",
            "6:28 param-type-mismatch",
            "7:31 param-type-mismatch"
        ]
    );
}

/// A class is a `---@class` whose methods are declared with `:`, so emmylua_check finds an
/// unknown method, a wrong argument type and a wrong count on an object a constructor
/// returned.
#[test]
#[ignore = "needs emmylua_check (crates.io): .ci/run installs it and runs this test"]
fn emmylua_check_reads_classes_and_finds_the_planted_errors() {
    let found = emmylua_diagnostics_with_defs(
        "class",
        "places",
        include_str!("fixture/places.spec"),
        "local places = require(\"places\")\n\
         local p = places.path.new(\"trip\")\n\
         print(p:push(3.0, 4.0), p:length())\n\
         print(p:push(\"3\", 4.0))\n\
         print(p:lenght())\n\
         print(p:push(1.0))\n",
    );
    // Line 3 is right; 4 passes a string for a float, 5 misspells a method, 6 leaves `y` out.
    assert_eq!(
        found,
        [
            "4:14 param-type-mismatch",
            "5:9 undefined-field",
            "6:17 missing-parameter"
        ]
    );
}
