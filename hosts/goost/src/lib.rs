//! The goost host: enough of the goost language to run scripts that call modules bound
//! with `#[native]` ([`run`]), to check them before they run ([`check`]), and a REPL
//! ([`repl`]; its terminal loop behind the feature `repl`).
//!
//! A script is lexed, parsed and resolved against the registry in one pass (into a
//! [`Program`]), and only then run by a [`Machine`]: an unknown name stops it before any
//! statement runs. The host is a client of the registry like any other; it knows no
//! module.

mod ast;
mod eval;
mod lexer;
mod parser;
pub mod repl;
mod run_error;

use std::fmt;
use std::io::Write;

use goost_bind::{Context, Registry};

pub use ast::Program;
pub use eval::{DEFAULT_MAX_STRING, Machine, STEP_UNIT};
pub use lexer::Pos;
pub use run_error::RunError;

/// An error at a place in the script. One pointer wide, so the evaluator's results stay
/// small on the path where nothing fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError(Box<Details>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Details {
    pos: Pos,
    message: String,
    /// The source ended before the construct did: more input could complete it.
    incomplete: bool,
    /// The error of the native whose call this is, kept whole for the host.
    native: Option<goost_bind::Error>,
}

impl HostError {
    /// An error at `pos`.
    #[cold]
    pub fn at(pos: Pos, message: String) -> HostError {
        HostError(Box::new(Details {
            pos,
            message,
            incomplete: false,
            native: None,
        }))
    }

    /// The error of a native called at `pos`: its text is the message, and the error
    /// itself is kept ([`HostError::native_error`], and [`std::error::Error::source`]).
    #[cold]
    pub fn of_native(pos: Pos, error: goost_bind::Error) -> HostError {
        HostError(Box::new(Details {
            pos,
            message: error.to_string(),
            incomplete: false,
            native: Some(error),
        }))
    }

    /// The native's own error, when a native's call failed: a host finds its module's
    /// error type in it with [`goost_bind::Error::downcast_ref`].
    pub fn native_error(&self) -> Option<&goost_bind::Error> {
        self.0.native.as_ref()
    }

    /// The same error, marked as found at the end of the input (an unterminated string,
    /// an open parenthesis or block, an operator with no right side): the REPL reads
    /// another line instead of reporting it.
    pub fn at_end_of_input(mut self) -> HostError {
        self.0.incomplete = true;
        self
    }

    /// Whether the input ended before the construct it reports did.
    pub fn is_incomplete(&self) -> bool {
        self.0.incomplete
    }

    /// Where it happened.
    pub fn pos(&self) -> Pos {
        self.0.pos
    }

    /// What happened.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// `FILE:LINE:COL: message`.
    pub fn display_in(&self, file: &str) -> String {
        format!("{file}:{self}")
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pos = self.pos();
        write!(f, "{}:{}: {}", pos.line, pos.col, self.message())
    }
}

impl std::error::Error for HostError {
    /// The native's error, when a native's call failed.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.native_error()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

/// The largest script `goost-memory run` and `check` read unless told otherwise: 16 MiB.
/// A parse holds the whole token list and tree, several times the script's size (the
/// worst case, one long list literal of small ints, is measured in RELIABILITY.md), so
/// this bounds a parse's memory.
pub const DEFAULT_MAX_SCRIPT_BYTES: u64 = 16 << 20;

/// Reads a whole script from `input`, at most `max_bytes` of it: a longer one is an error
/// (read no further than one byte past the limit, so `/dev/zero` ends at once), and so is
/// one that is not UTF-8. Errors read `FILE: message`.
pub fn read_script(
    file: &str,
    input: impl std::io::Read,
    max_bytes: u64,
) -> Result<String, String> {
    read_text(
        file,
        input,
        max_bytes,
        "the script",
        "(raise the limit with --max-script-bytes)",
    )
}

/// Reads a whole text (`what`: "the script", "the spec") from `input`, at most `max_bytes`
/// of it, as [`read_script`] does; a text past the limit is an error ending with `hint`
/// (how to raise it, where the command has a way).
pub fn read_text(
    file: &str,
    input: impl std::io::Read,
    max_bytes: u64,
    what: &str,
    hint: &str,
) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut input.take(max_bytes.saturating_add(1)), &mut bytes)
        .map_err(|error| format!("{file}: cannot read {what}: {error}"))?;
    if bytes.len() as u64 > max_bytes {
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!(" {hint}")
        };
        return Err(format!(
            "{file}: {what} is longer than {max_bytes} bytes{hint}"
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "{file}: {what} is not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}

/// Parses and resolves a whole script.
pub fn load(source: &str, registry: &Registry) -> Result<Program, HostError> {
    parser::parse(source, registry)
}

/// Checks a script without running it: every call of a module function against the
/// specs `checker` knows (unknown functions, argument counts, literal argument types),
/// each finding at its line and column. A syntax error ends the check with a finding of
/// its own. A host runs this before [`run`] to report every problem at once.
pub fn check(
    source: &str,
    checker: &goost_spec::check::Checker,
) -> Vec<goost_spec::check::Finding> {
    parser::check(source, checker)
}

/// Loads and runs `source` on `ctx`, printing to `out`. An error displays as
/// `FILE:LINE:COL: message`, with `file` as the name; when a native's call failed, its
/// [`source`](std::error::Error::source) is the native's [`goost_bind::Error`].
pub fn run(file: &str, source: &str, ctx: &Context, out: impl Write) -> Result<(), RunError> {
    run_limited(file, source, ctx, out, u64::MAX)
}

/// [`run`], stopping the script with an error after `max_steps` steps (the unit is
/// [`STEP_UNIT`]).
pub fn run_limited(
    file: &str,
    source: &str,
    ctx: &Context,
    out: impl Write,
    max_steps: u64,
) -> Result<(), RunError> {
    let program = load(source, Registry::global()).map_err(|e| RunError::script(file, e))?;
    let mut machine = eval::Machine::new(ctx, out).with_max_steps(max_steps);
    let ran = machine.run(&program).map_err(|e| RunError::script(file, e));
    // Output printed before an error is kept: flush it either way, and report a failed
    // flush unless the run itself failed (its error comes first).
    let flushed = machine
        .finish()
        .map(drop)
        .map_err(|e| RunError::output(file, e));
    ran.and(flushed)
}
