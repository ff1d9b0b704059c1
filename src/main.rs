//! The `goost-memory` command.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use goost_memory::docs::{self, DocsState};
use goost_memory::{Context, MEMORY_SPEC, MemoryLimit, Registry, host};

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
        /// operator and call, and one per KiB a string or list operation copies or compares.
        #[arg(long, value_name = "N")]
        max_steps: Option<u64>,
        /// Refuse a script longer than this (default 64 MiB).
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
    /// Regenerate docs/memory.md from spec/memory.spec.
    Docs {
        /// Do not write: exit 1 with a summary if docs/memory.md is stale.
        #[arg(long)]
        check: bool,
        /// The file to write or check.
        #[arg(long, default_value = docs::DOCS_PATH)]
        path: PathBuf,
    },
    /// List the registered natives with their signatures; exit 1 if they and the spec disagree.
    Spec,
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
        Command::Docs { check, path } => run_docs(check, &path),
        Command::Spec => run_spec(),
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
        Err(message) => {
            complain(&message);
            ExitCode::FAILURE
        }
    }
}

fn run_docs(check: bool, path: &std::path::Path) -> ExitCode {
    if check {
        return match docs::check(&MEMORY_SPEC, path) {
            DocsState::Fresh => ExitCode::SUCCESS,
            DocsState::Missing => {
                complain(&format!(
                    "{} is missing: run `goost-memory docs`",
                    path.display()
                ));
                ExitCode::FAILURE
            }
            DocsState::Stale(summary) => {
                complain(&format!(
                    "{} is stale against {}: {summary}; run `goost-memory docs`",
                    path.display(),
                    MEMORY_SPEC.path
                ));
                ExitCode::FAILURE
            }
        };
    }
    match docs::write(&MEMORY_SPEC, path) {
        Ok(()) => {
            let line = format!("wrote {} from {}", path.display(), MEMORY_SPEC.path);
            match say(&mut std::io::stdout().lock(), &line) {
                Ok(()) => ExitCode::SUCCESS,
                Err(code) => code,
            }
        }
        Err(error) => {
            complain(&format!("cannot write {}: {error}", path.display()));
            ExitCode::FAILURE
        }
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
