//! `goost-memory repl`: an interactive prompt over one context. Each entry is parsed
//! and resolved with the names of the entries before it; an expression's value is
//! printed; an error is printed and the session goes on.

use std::io::Write;

use crate::host::lexer::{self, Tok};
use crate::host::parser::{self, Names};
use crate::host::{HostError, eval::Machine};
use crate::{Context, Registry, Value};

/// The state of one REPL session.
pub struct Repl<'a, W: Write> {
    machine: Machine<'a, W>,
    names: Names,
    registry: &'static Registry,
}

/// What became of one entry.
#[derive(Debug, PartialEq, Eq)]
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

    /// Runs one entry (one or more lines of source).
    pub fn entry(&mut self, source: &str) -> Result<Entry, HostError> {
        let tokens = match lexer::lex(source) {
            Ok(tokens) => tokens,
            Err(error) if error.message() == "unterminated string literal" => {
                return Ok(Entry::Incomplete);
            }
            Err(error) => return Err(error),
        };
        let opened = tokens.iter().filter(|(t, _)| *t == Tok::Sym("{")).count();
        let closed = tokens.iter().filter(|(t, _)| *t == Tok::Sym("}")).count();
        if opened > closed {
            return Ok(Entry::Incomplete);
        }
        let before = self.names.clone();
        let program = match parser::parse_with(tokens, self.registry, &mut self.names) {
            Ok(program) => program,
            Err(error) => {
                self.names = before;
                return Err(error);
            }
        };
        let value = self.machine.value_of(&program)?;
        Ok(Entry::Done(value.filter(|v| *v != Value::Void)))
    }
}

/// Runs the interactive loop on the terminal (line editing and history with
/// rustyline; plain line reading when standard input is not a terminal). Feature `cli`.
#[cfg(feature = "cli")]
pub fn run(ctx: &Context) -> Result<(), String> {
    let mut editor = rustyline::DefaultEditor::new()
        .map_err(|e| format!("repl: cannot start the line editor: {e}"))?;
    let stdout = std::io::stdout();
    let mut repl = Repl::new(ctx, stdout.lock());
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { "> " } else { "... " };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(rustyline::error::ReadlineError::Interrupted) => {
                pending.clear();
                continue;
            }
            Err(rustyline::error::ReadlineError::Eof) => return Ok(()),
            Err(error) => return Err(format!("repl: cannot read input: {error}")),
        };
        pending.push_str(&line);
        pending.push('\n');
        match repl.entry(&pending) {
            Ok(Entry::Incomplete) => continue,
            Ok(Entry::Done(value)) => {
                if let Some(value) = value {
                    let mut out = std::io::stdout().lock();
                    if let Err(error) = writeln!(out, "{value}").and_then(|()| out.flush()) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
