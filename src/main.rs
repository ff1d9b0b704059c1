//! The `goost-memory` command.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use goost_memory::docs::{self, Artifact, DocsState};
use goost_memory::{Context, MEMORY_SPEC, MemoryLimit, Registry, host};
use goost_spec::Spec;
use goost_spec::check::{Checker, Finding};

#[derive(Parser)]
#[command(
    name = "goost-memory",
    version,
    about = "The goost `memory` module: run scripts, generate its docs, list its natives"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a goost script (`-` reads it from standard input).
    Run {
        /// The script file, or `-` for standard input.
        file: String,
        /// Cap the bytes the script's buffers, pools and handle table may hold, and,
        /// separately, its own strings and lists.
        #[arg(long, value_name = "BYTES")]
        memory_limit: Option<usize>,
        /// Stop the script with an error after this many steps: one per loop iteration,
        /// operator and call, one per KiB a string or list operation copies or compares or
        /// a native call passes or returns, and one per 16 bytes of a list formatted.
        #[arg(long, value_name = "N")]
        max_steps: Option<u64>,
        /// Refuse a script longer than this (default 16 MiB: parsing holds up to about 75
        /// bytes per byte of script).
        #[arg(long, value_name = "BYTES", default_value_t = host::DEFAULT_MAX_SCRIPT_BYTES)]
        max_script_bytes: u64,
    },
    /// An interactive prompt: each expression's value is printed; errors do not end it.
    Repl {
        /// Cap the bytes the session's buffers, pools and handle table may hold, and,
        /// separately, its own strings and lists.
        #[arg(long, value_name = "BYTES")]
        memory_limit: Option<usize>,
    },
    /// Regenerate the module's pages: docs/MODULE.md (the reference) and
    /// docs/MODULE-engines.md (every call in goost, Lua and Rhai).
    Docs {
        /// Do not write: exit 1 with a summary if a page is stale or missing.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        source: SpecSource,
        /// The directory the pages go in.
        #[arg(long, value_name = "DIR", default_value = "docs")]
        dir: PathBuf,
    },
    /// Write a definition file: `lua` (LuaLS/EmmyLua ---@meta), `rhai` (.d.rhai) or
    /// `json` (metadata; schema in defs/README.md), to defs/MODULE.lua, .d.rhai or .json.
    Defs {
        /// Which file.
        kind: DefsKind,
        /// Do not write: exit 1 with a summary if the file is stale or missing.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        source: SpecSource,
        /// The file to write instead (`-` for standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check scripts (.goost, .lua, .rhai) without running them: each call of an unknown
    /// function, with a wrong argument count or a literal of the wrong type is reported
    /// as FILE:LINE:COL: message. Exit 1 if anything is found, 2 if a file cannot be read.
    Check {
        /// The scripts.
        #[arg(required = true)]
        files: Vec<String>,
        /// Check calls into this module too (repeatable); the memory module is always known.
        #[arg(long = "spec", value_name = "PATH")]
        specs: Vec<PathBuf>,
    },
    /// List the registered natives with their signatures; exit 1 if they and the spec
    /// disagree. `spec diff OLD NEW` compares two versions of a spec file.
    Spec {
        #[command(subcommand)]
        action: Option<SpecAction>,
    },
}

/// The spec a generating command reads.
#[derive(Args)]
struct SpecSource {
    /// Generate from this spec file instead of the memory module's.
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
}

/// The definition files `defs` writes.
#[derive(Clone, Copy, ValueEnum)]
enum DefsKind {
    /// LuaLS/EmmyLua `---@meta` definitions: defs/MODULE.lua.
    Lua,
    /// Rhai definitions, as `Engine::definitions()` prints them: defs/MODULE.d.rhai.
    Rhai,
    /// JSON metadata of every function: defs/MODULE.json.
    Json,
}

#[derive(Subcommand)]
enum SpecAction {
    /// Classify every change from OLD to NEW as compatible or breaking, and say whether
    /// the version lines mark them. Exit 1 if any change is breaking.
    Diff {
        /// The old spec file.
        old: PathBuf,
        /// The new spec file.
        new: PathBuf,
    },
}

/// The binary counts its heap exactly, so `memory.alloc.*` report the tracking figures.
#[cfg(not(feature = "jemalloc"))]
#[global_allocator]
static GLOBAL: goost_memory::alloc::TrackingSystem = goost_memory::alloc::Tracking::system();

/// With the `jemalloc` feature: jemalloc under the tracking allocator.
#[cfg(feature = "jemalloc")]
#[global_allocator]
static GLOBAL: goost_memory::alloc::Tracking<goost_memory::alloc::Jemalloc> =
    goost_memory::alloc::Tracking::new(goost_memory::alloc::Jemalloc);

fn main() -> ExitCode {
    report_panics_plainly();
    let cli = Cli::parse();
    match cli.command {
        Command::Run {
            file,
            memory_limit,
            max_steps,
            max_script_bytes,
        } => run_script(
            &file,
            memory_limit,
            max_steps.unwrap_or(u64::MAX),
            max_script_bytes,
        ),
        Command::Repl { memory_limit } => match host::repl::run(&context(memory_limit)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                complain(&message);
                ExitCode::FAILURE
            }
        },
        Command::Docs { check, source, dir } => run_docs(check, &source, &dir),
        Command::Defs {
            kind,
            check,
            source,
            out,
        } => run_defs(kind, check, &source, out.as_deref()),
        Command::Check { files, specs } => run_check(&files, &specs),
        Command::Spec { action: None } => run_spec(),
        Command::Spec {
            action: Some(SpecAction::Diff { old, new }),
        } => run_spec_diff(&old, &new),
    }
}

/// A fresh context, with the memory limit if one was given.
fn context(memory_limit: Option<usize>) -> Context {
    let builder = Context::builder();
    match memory_limit {
        Some(bytes) => builder.memory_limit(bytes).build(),
        None => builder.build(),
    }
}

fn run_script(
    file: &str,
    memory_limit: Option<usize>,
    max_steps: u64,
    max_script_bytes: u64,
) -> ExitCode {
    let source = if file == "-" {
        host::read_script("<stdin>", std::io::stdin().lock(), max_script_bytes)
    } else {
        std::fs::File::open(file)
            .map_err(|error| format!("{file}: cannot read the script: {error}"))
            .and_then(|opened| host::read_script(file, opened, max_script_bytes))
    };
    let source = match source {
        Ok(source) => source,
        Err(message) => {
            complain(&message);
            return ExitCode::FAILURE;
        }
    };
    let ctx = context(memory_limit);
    let name = if file == "-" { "<stdin>" } else { file };
    let stdout = std::io::stdout();
    match host::run_limited(
        name,
        &source,
        &ctx,
        std::io::BufWriter::new(stdout.lock()),
        max_steps,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            complain(&error.to_string());
            ExitCode::FAILURE
        }
    }
}

/// The spec a generating command reads, and the path it names it by: the memory
/// module's own unless `--spec` gives a file.
fn load_spec(source: &SpecSource) -> Result<(Spec, String), String> {
    match &source.spec {
        None => MEMORY_SPEC
            .parsed()
            .map(|spec| (spec, MEMORY_SPEC.path.to_string()))
            .map_err(|error| error.display_in(MEMORY_SPEC.path)),
        Some(path) => read_spec(path).map(|spec| (spec, path.display().to_string())),
    }
}

/// Reads and parses a spec file; errors read `PATH: ...` or `PATH:LINE:COL: ...`.
fn read_spec(path: &std::path::Path) -> Result<Spec, String> {
    let shown = path.display().to_string();
    let opened = std::fs::File::open(path)
        .map_err(|error| format!("{shown}: cannot read the spec: {error}"))?;
    let text = host::read_text(&shown, opened, goost_spec::MAX_SPEC_BYTES, "the spec", "")?;
    goost_spec::parse(&text).map_err(|error| error.display_in(&shown))
}

/// Writes `text` to `path`, or compares it (`check`). Ok(true) when the file was fresh or
/// written; Ok(false) when a check found it stale or missing; `Err` when it could not be
/// written. Each case has been reported. `regenerate` is the command that writes it.
fn write_or_check(
    text: &str,
    path: &std::path::Path,
    check: bool,
    regenerate: &str,
) -> Result<bool, ExitCode> {
    let shown = path.display();
    if check {
        return Ok(match docs::check(text, path) {
            DocsState::Fresh => true,
            DocsState::Missing => {
                complain(&format!("{shown} is missing: run `{regenerate}`"));
                false
            }
            DocsState::Unreadable(why) => {
                complain(&format!(
                    "{shown} cannot be read ({why}): run `{regenerate}`"
                ));
                false
            }
            DocsState::Stale(summary) => {
                complain(&format!("{shown} is stale: {summary}; run `{regenerate}`"));
                false
            }
        });
    }
    if let Err(error) = docs::write(text, path) {
        complain(&format!("cannot write {shown}: {error}"));
        return Err(ExitCode::FAILURE);
    }
    say(&mut std::io::stdout().lock(), &format!("wrote {shown}")).map(|()| true)
}

/// Writes (or checks) each of `artifacts` for the spec `source` names, at the path `place`
/// gives it; `regenerate` is the command that writes them.
fn generate(
    artifacts: &[Artifact],
    source: &SpecSource,
    check: bool,
    regenerate: &str,
    place: impl Fn(Artifact, &str) -> PathBuf,
) -> ExitCode {
    let (spec, spec_path) = match load_spec(source) {
        Ok(loaded) => loaded,
        Err(message) => {
            complain(&message);
            return ExitCode::from(2);
        }
    };
    let mut fresh = true;
    for artifact in artifacts {
        let text = artifact.render(&spec, &spec_path, Registry::global());
        let path = place(*artifact, &spec.module);
        if path.as_os_str() == "-" {
            if let Err(code) = say(&mut std::io::stdout().lock(), text.trim_end_matches('\n')) {
                return code;
            }
            continue;
        }
        match write_or_check(&text, &path, check, regenerate) {
            Ok(ok) => fresh &= ok,
            Err(code) => return code,
        }
    }
    if fresh {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_docs(check: bool, source: &SpecSource, dir: &std::path::Path) -> ExitCode {
    generate(
        &[Artifact::Reference, Artifact::Engines],
        source,
        check,
        "goost-memory docs",
        |artifact, module| {
            let path = artifact.path(module);
            let name = path.rsplit('/').next().unwrap_or(&path).to_string();
            dir.join(name)
        },
    )
}

fn run_defs(
    kind: DefsKind,
    check: bool,
    source: &SpecSource,
    out: Option<&std::path::Path>,
) -> ExitCode {
    let (artifact, regenerate) = match kind {
        DefsKind::Lua => (Artifact::LuaDefs, "goost-memory defs lua"),
        DefsKind::Rhai => (Artifact::RhaiDefs, "goost-memory defs rhai"),
        DefsKind::Json => (Artifact::Metadata, "goost-memory defs json"),
    };
    generate(
        &[artifact],
        source,
        check,
        regenerate,
        |artifact, module| out.map_or_else(|| PathBuf::from(artifact.path(module)), PathBuf::from),
    )
}

fn run_check(files: &[String], spec_paths: &[PathBuf]) -> ExitCode {
    let mut specs = Vec::new();
    match MEMORY_SPEC.parsed() {
        Ok(spec) => specs.push(spec),
        Err(error) => {
            complain(&error.display_in(MEMORY_SPEC.path));
            return ExitCode::from(2);
        }
    }
    for path in spec_paths {
        match read_spec(path) {
            Ok(spec) => {
                specs.retain(|known: &Spec| known.module != spec.module);
                specs.push(spec);
            }
            Err(message) => {
                complain(&message);
                return ExitCode::from(2);
            }
        }
    }
    let checker = Checker::new(&specs);
    let mut found = false;
    let mut out = std::io::stdout().lock();
    for file in files {
        let findings = match check_file(file, &checker) {
            Ok(findings) => findings,
            Err(message) => {
                complain(&message);
                return ExitCode::from(2);
            }
        };
        for finding in &findings {
            if let Err(code) = say(&mut out, &finding.display_in(file)) {
                return code;
            }
        }
        found |= !findings.is_empty();
    }
    if found {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads one script and checks it in the language its extension names.
fn check_file(file: &str, checker: &Checker) -> Result<Vec<Finding>, String> {
    let extension = std::path::Path::new(file)
        .extension()
        .and_then(|extension| extension.to_str());
    let check: fn(&str, &Checker) -> Vec<Finding> = match extension {
        Some("goost") => host::check,
        Some("lua") => goost_lua::check::check,
        Some("rhai") => goost_rhai::check::check,
        _ => {
            return Err(format!(
                "{file}: cannot tell the script's language: expected a .goost, .lua or .rhai file"
            ));
        }
    };
    let opened = std::fs::File::open(file)
        .map_err(|error| format!("{file}: cannot read the script: {error}"))?;
    let source = host::read_text(
        file,
        opened,
        host::DEFAULT_MAX_SCRIPT_BYTES,
        "the script",
        "(the check reads scripts up to this size)",
    )?;
    Ok(check(&source, checker))
}

fn run_spec_diff(old: &std::path::Path, new: &std::path::Path) -> ExitCode {
    let (old_spec, new_spec) = match (read_spec(old), read_spec(new)) {
        (Ok(old_spec), Ok(new_spec)) => (old_spec, new_spec),
        (Err(message), _) | (_, Err(message)) => {
            complain(&message);
            return ExitCode::from(2);
        }
    };
    let report = goost_spec::diff::diff(&old_spec, &new_spec);
    let mut out = std::io::stdout().lock();
    let mut lines: Vec<String> = report.changes.iter().map(ToString::to_string).collect();
    let breaking = report
        .changes
        .iter()
        .filter(|c| c.impact == goost_spec::diff::Impact::Breaking)
        .count();
    let versions = match &report.versions {
        (Some(a), Some(b)) => format!(" (version {a} -> {b})"),
        _ => String::new(),
    };
    lines.push(format!(
        "{breaking} breaking, {} compatible{versions}",
        report.changes.len() - breaking
    ));
    lines.extend(
        report
            .version_advice()
            .map(|advice| format!("warning: {advice}")),
    );
    for line in &lines {
        if let Err(code) = say(&mut out, line) {
            return code;
        }
    }
    if report.is_breaking() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run_spec() -> ExitCode {
    let registry = Registry::global();
    let mut out = std::io::stdout().lock();
    for native in registry.natives() {
        if let Err(code) = say(&mut out, native.spec().signature) {
            return code;
        }
    }
    match registry.check_against_spec(&MEMORY_SPEC) {
        Ok(()) => ExitCode::SUCCESS,
        Err(mismatch) => {
            complain(&mismatch.to_string());
            ExitCode::FAILURE
        }
    }
}

/// Writes `line` to standard output, flushed. A failed write ends the command with status
/// 1: quietly when the reader went away (a closed pipe, as other Unix tools do), with a
/// message otherwise (a full disk). Never a panic.
fn say(out: &mut impl Write, line: &str) -> Result<(), ExitCode> {
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Err(ExitCode::FAILURE),
        Err(error) => {
            complain(&format!("goost-memory: cannot write the output: {error}"));
            Err(ExitCode::FAILURE)
        }
    }
}

/// Replaces the default panic message ("thread 'main' panicked at ...") with a line that
/// says what happened in the command's words. A panic in a native is contained by its
/// glue and also reported as that call's error (`NAME panicked: message`), and the script
/// goes on; anywhere else a panic is a bug in the command, which then exits with 101.
fn report_panics_plainly() {
    std::panic::set_hook(Box::new(|info| {
        let message = goost_memory::panic_message(info.payload());
        let place = info
            .location()
            .map(|at| format!(" ({}:{})", at.file(), at.line()))
            .unwrap_or_default();
        complain(&format!("goost-memory: internal error{place}: {message}"));
    }));
}

/// Writes `message` to standard error; if even that fails there is no one to tell.
fn complain(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}
