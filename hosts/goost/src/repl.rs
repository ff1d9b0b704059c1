//! `goost-memory repl`: an interactive prompt over one context. Each entry is parsed
//! and resolved with the names of the entries before it; an expression's value is
//! printed; an error is printed and the session goes on.

use std::io::Write;

use goost_bind::{Context, Registry, Value};

use crate::parser::{self, Names};
use crate::{HostError, Machine};

/// The state of one REPL session.
pub struct Repl<'a, W: Write> {
    machine: Machine<'a, W>,
    names: Names,
    registry: &'static Registry,
}

/// What became of one entry.
#[derive(Debug, PartialEq)]
pub enum Entry {
    /// It ran; an expression's non-void value comes with it.
    Done(Option<Value>),
    /// It opens more `{` than it closes: read another line and try again.
    Incomplete,
}

impl<'a, W: Write> Repl<'a, W> {
    /// A session on `ctx`, printing to `out`.
    pub fn new(ctx: &'a Context, out: W) -> Self {
        Repl {
            machine: Machine::new(ctx, out),
            names: Names::default(),
            registry: Registry::global(),
        }
    }

    /// Runs one entry (one or more lines of source). [`Entry::Incomplete`] when the source
    /// ends inside something (a string, parentheses, a block, an operator's right side), as
    /// the lexer and parser report it. An entry that fails changes no name and no variable:
    /// names it declared are forgotten and variables get their values back (what a native
    /// did to the module, a buffer written, stays done).
    pub fn entry(&mut self, source: &str) -> Result<Entry, HostError> {
        let before = self.names.clone();
        let program = match parser::parse_with(source, self.registry, &mut self.names) {
            Ok(program) => program,
            Err(error) => {
                self.names = before;
                return if error.is_incomplete() {
                    Ok(Entry::Incomplete)
                } else {
                    Err(error)
                };
            }
        };
        let values = self.machine.variables();
        match self.machine.value_of(&program) {
            Ok(value) => Ok(Entry::Done(value.filter(|v| *v != Value::Void))),
            Err(error) => {
                self.names = before;
                self.machine.restore_variables(values);
                Err(error)
            }
        }
    }
}

/// Runs the interactive loop on the terminal (line editing and history with
/// rustyline; plain line reading when standard input is not a terminal). Feature `repl`.
#[cfg(feature = "repl")]
pub fn run(ctx: &Context) -> Result<(), String> {
    let mut editor = rustyline::DefaultEditor::new()
        .map_err(|e| format!("repl: cannot start the line editor: {e}"))?;
    let stdout = std::io::stdout();
    let mut repl = Repl::new(ctx, stdout.lock());
    let mut pending = String::new();
    // Brackets the open entry leaves open, counted line by line: while any is open the
    // entry cannot be complete, so it is not parsed again (a long block costs one parse).
    let mut open_brackets: i64 = 0;
    loop {
        let prompt = if pending.is_empty() { "> " } else { "... " };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(rustyline::error::ReadlineError::Interrupted) => {
                pending.clear();
                open_brackets = 0;
                continue;
            }
            Err(rustyline::error::ReadlineError::Eof) if pending.is_empty() => return Ok(()),
            // A line that is not UTF-8 cannot be goost source: it is reported and skipped,
            // and the session goes on.
            Err(rustyline::error::ReadlineError::Io(error))
                if error.kind() == std::io::ErrorKind::InvalidData =>
            {
                let _ = writeln!(
                    std::io::stderr(),
                    "<repl>: the line is not UTF-8 text: skipped"
                );
                continue;
            }
            Err(rustyline::error::ReadlineError::Eof) => {
                return Err(format!(
                    "repl: the input ended inside an unfinished entry: {}",
                    pending.trim_end()
                ));
            }
            Err(error) => return Err(format!("repl: cannot read input: {error}")),
        };
        pending.push_str(&line);
        pending.push('\n');
        match bracket_balance(&line) {
            Some(balance) => open_brackets += balance,
            // A line that does not lex alone (a string across lines): parse the entry.
            None => open_brackets = 0,
        }
        if open_brackets > 0 {
            continue;
        }
        open_brackets = 0;
        match repl.entry(&pending) {
            Ok(Entry::Incomplete) => continue,
            Ok(Entry::Done(value)) => {
                if let Some(value) = value {
                    // Written as `print` writes it: a string's exact bytes.
                    let mut out = std::io::stdout().lock();
                    let written = value
                        .write_to(&mut out)
                        .and_then(|()| out.write_all(b"\n"))
                        .and_then(|()| out.flush());
                    if let Err(error) = written {
                        // A reader that went away (`| head -1`) ends the session quietly.
                        if error.kind() == std::io::ErrorKind::BrokenPipe {
                            return Ok(());
                        }
                        return Err(format!("repl: cannot write the output: {error}"));
                    }
                }
            }
            Err(error) => {
                // Standard error may be closed too; the session goes on regardless.
                let _ = writeln!(std::io::stderr(), "{}", error.display_in("<repl>"));
            }
        }
        let _ = editor.add_history_entry(pending.trim_end());
        pending.clear();
    }
}

/// How many more brackets (`(`, `[`, `{`) `line` opens than it closes, if it lexes on
/// its own.
#[cfg(feature = "repl")]
fn bracket_balance(line: &str) -> Option<i64> {
    let mut tokens = crate::lexer::Lexer::new(line);
    let mut balance = 0;
    loop {
        match tokens.next_token().ok()?.0 {
            crate::lexer::Tok::Sym("(" | "[" | "{") => balance += 1,
            crate::lexer::Tok::Sym(")" | "]" | "}") => balance -= 1,
            crate::lexer::Tok::Eof => return Some(balance),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    // The memory module, linked so that its natives are in the registry.
    use memory_runtime as _;

    #[test]
    fn entries_share_variables_and_imports_and_survive_errors() {
        let ctx = Context::new();
        let mut out = Vec::new();
        let mut repl = Repl::new(&ctx, &mut out);
        assert_eq!(repl.entry("import memory"), Ok(Entry::Done(None)));
        assert_eq!(
            repl.entry("let b = memory.buffer.new()"),
            Ok(Entry::Done(None))
        );
        assert_eq!(
            repl.entry("memory.buffer.write(b, \"hi\")"),
            Ok(Entry::Done(Some(Value::Bool(true))))
        );
        assert_eq!(
            repl.entry("let x = nope").unwrap_err().to_string(),
            "1:9: unknown variable `nope`"
        );
        // The failed `let` declared nothing.
        assert_eq!(
            repl.entry("x").unwrap_err().to_string(),
            "1:1: unknown variable `x`"
        );
        assert_eq!(
            repl.entry("memory.buffer.len(b) + 1"),
            Ok(Entry::Done(Some(Value::Int(3))))
        );
        assert_eq!(repl.entry("if true {"), Ok(Entry::Incomplete));
        assert_eq!(
            repl.entry("if true {\nprint(\"in\")\n}"),
            Ok(Entry::Done(None))
        );
        drop(repl);
        assert_eq!(String::from_utf8(out).unwrap(), "in\n");
    }

    #[test]
    fn a_failed_entry_changes_no_name_and_no_variable() {
        let ctx = Context::new();
        let mut repl = Repl::new(&ctx, Vec::new());
        // The value fails at run time: `x` is not declared.
        assert_eq!(
            repl.entry("let x = 1 / 0").unwrap_err().to_string(),
            "1:11: division by zero in `/`"
        );
        assert_eq!(
            repl.entry("x + 1").unwrap_err().to_string(),
            "1:1: unknown variable `x`"
        );
        // An assignment before the failure in the same entry is undone too.
        assert_eq!(repl.entry("let y = 1"), Ok(Entry::Done(None)));
        assert_eq!(
            repl.entry("y = 5; let z = 1 / 0").unwrap_err().to_string(),
            "1:18: division by zero in `/`"
        );
        assert_eq!(repl.entry("y"), Ok(Entry::Done(Some(Value::Int(1)))));
    }

    #[test]
    fn an_entry_is_incomplete_where_the_parser_reached_the_end() {
        let ctx = Context::new();
        let mut repl = Repl::new(&ctx, Vec::new());
        // A call split at an open parenthesis is one entry.
        assert_eq!(repl.entry("str(\n"), Ok(Entry::Incomplete));
        assert_eq!(
            repl.entry("str(\n1)\n"),
            Ok(Entry::Done(Some(Value::str("1"))))
        );
        // An open string, an operator with no right side, an open block.
        assert_eq!(repl.entry("\"ab\n"), Ok(Entry::Incomplete));
        assert_eq!(repl.entry("1 +\n"), Ok(Entry::Incomplete));
        assert_eq!(repl.entry("while false {\n"), Ok(Entry::Incomplete));
        // An error before the end is an error, not a wait for more.
        assert_eq!(
            repl.entry("let 5 = 1\n").unwrap_err().to_string(),
            "1:5: expected a variable name, found `5`"
        );
    }
}
