//! Parses tokens into the resolved [`Program`] in one pass: variables become frame
//! slots (lexical scopes), `import`s are checked, and every `module.path.fn(...)` call
//! is bound to its registry native, so an unknown name stops the script before it runs.
//! The same parser checks a script without running it ([`check`]): each module call is
//! then checked against specs, and what is wrong noted as the parse goes on.

use std::collections::{HashMap, HashSet, VecDeque};

use goost_spec::Engine;
use goost_spec::check::{Arg, Checker, Finding};

use goost_bind::{Error, Native, Registry, ScriptList, ScriptString, Value};

use super::HostError;
use super::ast::{Binary, Builtin, Expr, Program, Stmt, Unary};
use super::lexer::{Lexer, Pos, Tok};

/// Deepest nesting of blocks and expressions accepted (deeper is an error, not a stack
/// overflow).
pub const MAX_DEPTH: usize = 64;

/// What a script has declared so far: its imports, its variables by scope, and how
/// many frame slots they use. A REPL keeps one across entries.
#[derive(Clone, Debug)]
pub struct Names {
    imports: HashSet<String>,
    scopes: Vec<HashMap<String, usize>>,
    slots: usize,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            imports: HashSet::new(),
            scopes: vec![HashMap::new()],
            slots: 0,
        }
    }
}

/// What module calls are resolved against.
enum Resolver<'r> {
    /// Each call is bound to its registry native, and a bad one stops the parse: the
    /// script is about to run.
    Run(&'r Registry),
    /// Each call is checked against specs and what is wrong noted, and the parse goes
    /// on: the script is only checked.
    Check {
        checker: &'r Checker<'r>,
        findings: Vec<Finding>,
        /// The class of each checked call whose function returns an object, by the
        /// call's place, and of each variable last assigned one, by its slot: what a
        /// method call on the variable is checked against.
        classes: HashMap<Pos, String>,
        variables: HashMap<usize, String>,
    },
}

/// The parser's view of the tokens: the current one and the next, made by the lexer as
/// the parse moves on, so a parse holds no token list. A lexer error ends the tokens (an
/// `Eof` at its place) and is kept: it is the parse's result, as if the whole input had
/// been lexed first.
struct Tokens<'s> {
    lexer: Lexer<'s>,
    /// The current token and the next.
    ahead: VecDeque<(Tok, Pos)>,
    error: Option<HostError>,
}

impl<'s> Tokens<'s> {
    fn new(source: &'s str) -> Tokens<'s> {
        let mut tokens = Tokens {
            lexer: Lexer::new(source),
            ahead: VecDeque::with_capacity(2),
            error: None,
        };
        tokens.fill();
        tokens
    }

    /// Makes the current and the next token.
    fn fill(&mut self) {
        while self.ahead.len() < 2 {
            let token = match &self.error {
                Some(error) => (Tok::Eof, error.pos()),
                None => self.lexer.next_token().unwrap_or_else(|error| {
                    let pos = error.pos();
                    self.error = Some(error);
                    (Tok::Eof, pos)
                }),
            };
            self.ahead.push_back(token);
        }
    }

    fn next(&mut self) -> (Tok, Pos) {
        let token = self
            .ahead
            .pop_front()
            .unwrap_or((Tok::Eof, self.ahead_pos()));
        self.fill();
        token
    }

    /// The place of the current token.
    fn ahead_pos(&self) -> Pos {
        self.ahead
            .front()
            .map_or(Pos { line: 1, col: 1 }, |(_, pos)| *pos)
    }

    /// Lexes the rest of the input; whether it (or what came before) does not lex.
    fn lex_rest(&mut self) -> bool {
        while self.error.is_none() {
            match self.lexer.next_token() {
                Ok((Tok::Eof, _)) => break,
                Ok(_) => {}
                Err(error) => self.error = Some(error),
            }
        }
        self.error.is_some()
    }

    /// Lexes the rest of the input: its lexer error, if any (the first one).
    fn finish(&mut self) -> Option<HostError> {
        self.lex_rest();
        self.error.take()
    }
}

struct Parser<'r, 'n, 's> {
    tokens: Tokens<'s>,
    resolver: Resolver<'r>,
    names: &'n mut Names,
    loops: usize,
    depth: usize,
    /// The natives called so far, each once.
    natives: Vec<&'static Native>,
}

/// Parses and resolves a whole script against `registry`.
pub fn parse(source: &str, registry: &Registry) -> Result<Program, HostError> {
    parse_with(source, registry, &mut Names::default())
}

/// Parses and resolves more of a script, with the names declared by earlier parts.
/// On error `names` may hold part of this input's declarations: keep a copy to restore.
pub fn parse_with(
    source: &str,
    registry: &Registry,
    names: &mut Names,
) -> Result<Program, HostError> {
    let mut parser = Parser {
        tokens: Tokens::new(source),
        resolver: Resolver::Run(registry),
        names,
        loops: 0,
        depth: 0,
        natives: Vec::new(),
    };
    let body = parser.statements();
    if let Some(error) = parser.tokens.finish() {
        return Err(error);
    }
    let body = body?;
    Ok(Program {
        body,
        slots: parser.names.slots,
        natives: parser.natives,
    })
}

/// Parses a whole script without running it, checking each module call against the
/// specs `checker` knows: every call's problem is a finding, and the parse goes on. A
/// syntax error ends the check as a finding of its own, after those before it; a script
/// that does not lex is that one finding.
pub fn check(source: &str, checker: &Checker) -> Vec<Finding> {
    let mut names = Names::default();
    let mut parser = Parser {
        tokens: Tokens::new(source),
        resolver: Resolver::Check {
            checker,
            findings: Vec::new(),
            classes: HashMap::new(),
            variables: HashMap::new(),
        },
        names: &mut names,
        loops: 0,
        depth: 0,
        natives: Vec::new(),
    };
    let ended = parser.statements().err();
    if let Some(error) = parser.tokens.finish() {
        return vec![finding(&error)];
    }
    let Resolver::Check { mut findings, .. } = parser.resolver else {
        return Vec::new();
    };
    if let Some(error) = ended {
        findings.push(finding(&error));
    }
    findings
}

/// A host error as a check finding.
pub fn finding(error: &HostError) -> Finding {
    Finding {
        line: error.pos().line,
        col: error.pos().col,
        message: error.message().to_string(),
    }
}

impl Parser<'_, '_, '_> {
    /// Every statement up to the end of the input.
    fn statements(&mut self) -> Result<Vec<Stmt>, HostError> {
        let mut body = Vec::new();
        loop {
            self.skip_ends();
            if self.peek() == &Tok::Eof {
                return Ok(body);
            }
            match self.statement() {
                Ok(stmt) => body.push(stmt),
                // Raised at the end of the input: more input could complete it.
                Err(error) if self.reached_the_end(&error) => {
                    return Err(error.at_end_of_input());
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Whether a module called `name` exists for this parse.
    fn module_exists(&self, name: &str) -> bool {
        match &self.resolver {
            Resolver::Run(registry) => registry.module(name).is_some(),
            Resolver::Check { checker, .. } => checker.module(name).is_some(),
        }
    }

    /// Stops a run's parse with `error`; a check notes it and goes on.
    fn refuse(&mut self, error: HostError) -> Result<(), HostError> {
        match &mut self.resolver {
            Resolver::Run(_) => Err(error),
            Resolver::Check { findings, .. } => {
                findings.push(finding(&error));
                Ok(())
            }
        }
    }
}

/// The native number of a call a check found but did not resolve (a checked program is
/// never run; a machine asked to would report the native as not prepared).
const UNRESOLVED: usize = usize::MAX;

/// The items of a list literal as the parser reads them: constant values as long as
/// every item is one (so a long literal of constants never becomes a tree), expressions
/// from the first item that is not.
enum ListItems {
    /// Every item so far is a constant; the bytes they hold.
    Constants(Vec<Value>, usize),
    Expressions(Vec<Expr>),
}

impl Default for ListItems {
    fn default() -> Self {
        ListItems::Constants(Vec::new(), 0)
    }
}

impl ListItems {
    fn push(&mut self, item: Expr) {
        match (&mut *self, item) {
            (ListItems::Constants(values, held), Expr::Const(value)) => {
                *held = held.saturating_add(value.held_bytes());
                values.push(value);
            }
            (ListItems::Constants(values, held), Expr::ConstList(list, _, _)) => {
                let value = Value::List(list);
                *held = held.saturating_add(value.held_bytes());
                values.push(value);
            }
            (ListItems::Constants(values, _), item) => {
                let mut items: Vec<Expr> = std::mem::take(values)
                    .into_iter()
                    .map(Expr::Const)
                    .collect();
                items.push(item);
                *self = ListItems::Expressions(items);
            }
            (ListItems::Expressions(items), item) => items.push(item),
        }
    }

    /// The literal at `pos`: made now when it is all constants and nests within the limit
    /// (a literal nested too deep stays an expression, whose evaluation reports it).
    fn into_expr(self, pos: Pos) -> Expr {
        match self {
            ListItems::Constants(values, held) => match ScriptList::try_new(values) {
                Ok(list) => Expr::ConstList(list, held, pos),
                Err(values) => Expr::List(values.into_iter().map(Expr::Const).collect(), pos),
            },
            ListItems::Expressions(items) => Expr::List(items, pos),
        }
    }
}

/// What the checker knows of a value a script writes as a literal.
fn value_kind(value: &Value) -> Arg {
    match value {
        Value::Void => Arg::Nil,
        Value::Int(_) => Arg::Int,
        Value::Float(_) => Arg::Float,
        Value::Bool(_) => Arg::Bool,
        Value::Str(s) => match s.to_str() {
            Ok(text) => Arg::Text(text.to_string()),
            Err(_) => Arg::String,
        },
        Value::List(items) => Arg::List(items.iter().map(value_kind).collect()),
        // Map literals are never constants (`literal_kind` reads them).
        Value::Map(_) | Value::Record(_) | Value::Object(_) => Arg::Unknown,
    }
}

/// What the checker knows of an argument: the kind of a literal (a negated number
/// literal included), nothing of anything else.
fn literal_kind(expr: &Expr) -> Arg {
    match expr {
        // A list constant comes only from a literal the parser made (`ConstList`).
        Expr::Const(Value::List(_)) => Arg::Unknown,
        Expr::Const(value) => value_kind(value),
        Expr::ConstList(list, _, _) => Arg::List(list.iter().map(value_kind).collect()),
        Expr::List(items, _) => Arg::List(items.iter().map(literal_kind).collect()),
        Expr::Map(entries, _) => entries
            .iter()
            .map(|(key, item)| Some((key.to_str().ok()?.to_string(), literal_kind(item))))
            .collect::<Option<Vec<_>>>()
            .map_or(Arg::Unknown, Arg::Map),
        Expr::Unary(Unary::Neg, inner, _) => match literal_kind(inner) {
            kind @ (Arg::Int | Arg::Float) => kind,
            _ => Arg::Unknown,
        },
        _ => Arg::Unknown,
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Int(n) => format!("`{n}`"),
        Tok::Float(x) => format!("`{}`", goost_bind::format_float(*x)),
        Tok::Str(_) => "a string".to_string(),
        Tok::Ident(name) => format!("`{name}`"),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::End => "end of line".to_string(),
        Tok::Eof => "end of file".to_string(),
    }
}

impl Parser<'_, '_, '_> {
    fn peek(&self) -> &Tok {
        &self.tokens.ahead[0].0
    }

    /// The token after the current one (the parser looks one token ahead).
    fn peek_next(&self) -> &Tok {
        &self.tokens.ahead[1].0
    }

    fn pos(&self) -> Pos {
        self.tokens.ahead_pos()
    }

    fn next(&mut self) -> (Tok, Pos) {
        self.tokens.next()
    }

    fn skip_ends(&mut self) {
        while self.peek() == &Tok::End {
            self.next();
        }
    }

    fn is(&self, symbol: &str) -> bool {
        matches!(self.peek(), Tok::Sym(s) if *s == symbol)
    }

    fn expect(&mut self, symbol: &str) -> Result<Pos, HostError> {
        if self.is(symbol) {
            return Ok(self.next().1);
        }
        Err(HostError::at(
            self.pos(),
            format!("expected `{symbol}`, found {}", describe(self.peek())),
        ))
    }

    /// A name after a `.` in a module path: any word, keywords included (a module's
    /// function may be called `nil` or `if`; only a module's own name must not be one).
    fn member_name(&mut self) -> Result<(String, Pos), HostError> {
        match self.peek() {
            Tok::Sym(word) if word.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                let word = (*word).to_string();
                Ok((word, self.next().1))
            }
            _ => self.ident("a name after `.`"),
        }
    }

    fn ident(&mut self, what: &str) -> Result<(String, Pos), HostError> {
        match self.next() {
            (Tok::Ident(name), pos) => Ok((name, pos)),
            (other, pos) => Err(HostError::at(
                pos,
                format!("expected {what}, found {}", describe(&other)),
            )),
        }
    }

    /// Whether `error` was raised at the end of the input: at or after the first of the
    /// line ends that close it (the rest of the input is lexed to know where that is; a
    /// lexer error there is the parse's result instead).
    fn reached_the_end(&mut self, error: &HostError) -> bool {
        if self.tokens.lex_rest() {
            return false;
        }
        let at = error.pos();
        self.tokens
            .lexer
            .trailing_end()
            .is_some_and(|end| (at.line, at.col) >= (end.line, end.col))
    }

    fn enter(&mut self) -> Result<(), HostError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(HostError::at(
                self.pos(),
                format!("nesting is deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn declare(&mut self, name: String) -> usize {
        let slot = self.names.slots;
        self.names.slots += 1;
        if let Some(scope) = self.names.scopes.last_mut() {
            scope.insert(name, slot);
        }
        slot
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        self.names
            .scopes
            .iter()
            .rev()
            .find_map(|scope| scope.get(name).copied())
    }

    /// A statement, and the end of it (newline, `;`, or a closing `}` left in place).
    fn statement(&mut self) -> Result<Stmt, HostError> {
        let stmt = self.statement_body()?;
        match self.peek() {
            Tok::End => {
                self.next();
            }
            Tok::Eof => {}
            Tok::Sym("}") => {}
            other => {
                return Err(HostError::at(
                    self.pos(),
                    format!(
                        "expected the end of the statement, found {}",
                        describe(other)
                    ),
                ));
            }
        }
        Ok(stmt)
    }

    fn statement_body(&mut self) -> Result<Stmt, HostError> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Sym("import") => {
                self.next();
                let (name, at) = self.ident("a module name")?;
                if !self.module_exists(&name) {
                    let message = match &self.resolver {
                        // Running, a module is missing because its crate is not linked.
                        Resolver::Run(registry) => registry.unknown_module(&name).to_string(),
                        Resolver::Check { .. } => format!("unknown module `{name}`"),
                    };
                    self.refuse(HostError::at(at, message))?;
                }
                self.names.imports.insert(name);
                Ok(Stmt::Block(Vec::new()))
            }
            Tok::Sym("let") => {
                self.next();
                let (name, _) = self.ident("a variable name")?;
                self.expect("=")?;
                let value = self.expression()?;
                let slot = self.declare(name);
                self.note_class(slot, &value);
                Ok(Stmt::Assign(slot, value, pos))
            }
            Tok::Ident(name) if matches!(self.peek_next(), Tok::Sym("=")) => {
                self.next();
                self.next();
                let slot = self.lookup(&name).ok_or_else(|| {
                    HostError::at(
                        pos,
                        format!("unknown variable `{name}`: declare it with `let {name} = ...`"),
                    )
                })?;
                let value = self.expression()?;
                self.note_class(slot, &value);
                Ok(Stmt::Assign(slot, value, pos))
            }
            Tok::Sym("if") => self.if_statement(),
            Tok::Sym("while") => {
                self.next();
                let condition = self.expression()?;
                self.loops += 1;
                let body = self.block();
                self.loops -= 1;
                Ok(Stmt::While(condition, body?, pos))
            }
            Tok::Sym("for") => {
                self.next();
                let (name, _) = self.ident("a loop variable")?;
                self.expect("in")?;
                let from = self.expression()?;
                self.expect("..")?;
                let to = self.expression()?;
                self.names.scopes.push(HashMap::new());
                let slot = self.declare(name);
                self.loops += 1;
                let body = self.block();
                self.loops -= 1;
                self.names.scopes.pop();
                Ok(Stmt::For(slot, from, to, body?, pos))
            }
            Tok::Sym(word @ ("break" | "continue")) => {
                self.next();
                if self.loops == 0 {
                    return Err(HostError::at(pos, format!("`{word}` outside a loop")));
                }
                Ok(if word == "break" {
                    Stmt::Break
                } else {
                    Stmt::Continue
                })
            }
            Tok::Sym("{") => Ok(Stmt::Block(self.block()?)),
            _ => Ok(Stmt::Expr(self.expression()?)),
        }
    }

    /// `if .. { } else if .. { } .. else { }`, every branch at the same depth.
    fn if_statement(&mut self) -> Result<Stmt, HostError> {
        let mut branches = Vec::new();
        loop {
            let pos = self.expect("if")?;
            let condition = self.expression()?;
            branches.push((condition, self.block()?, pos));
            if !self.is("else") {
                return Ok(Stmt::If(branches, Vec::new()));
            }
            self.next();
            if !self.is("if") {
                return Ok(Stmt::If(branches, self.block()?));
            }
        }
    }

    fn block(&mut self) -> Result<Vec<Stmt>, HostError> {
        self.enter()?;
        self.expect("{")?;
        self.names.scopes.push(HashMap::new());
        let mut body = Vec::new();
        loop {
            self.skip_ends();
            if self.is("}") {
                self.next();
                break;
            }
            if self.peek() == &Tok::Eof {
                self.names.scopes.pop();
                return Err(HostError::at(
                    self.pos(),
                    "expected `}` before the end of file".to_string(),
                ));
            }
            match self.statement() {
                Ok(stmt) => body.push(stmt),
                Err(error) => {
                    self.names.scopes.pop();
                    return Err(error);
                }
            }
        }
        if let Some(scope) = self.names.scopes.pop() {
            let mut declared: Vec<usize> = scope.into_values().collect();
            if !declared.is_empty() {
                declared.sort_unstable();
                body.push(Stmt::Release(declared));
            }
        }
        self.leave();
        Ok(body)
    }

    fn expression(&mut self) -> Result<Expr, HostError> {
        self.enter()?;
        let expr = self.binary(0);
        self.leave();
        expr
    }

    /// Precedence climbing over the levels, loosest first.
    fn binary(&mut self, level: usize) -> Result<Expr, HostError> {
        const LEVELS: [&[(&str, Binary)]; 6] = [
            &[("||", Binary::Or)],
            &[("&&", Binary::And)],
            &[("==", Binary::Eq), ("!=", Binary::Ne)],
            &[
                ("<", Binary::Lt),
                ("<=", Binary::Le),
                (">", Binary::Gt),
                (">=", Binary::Ge),
            ],
            &[("+", Binary::Add), ("-", Binary::Sub)],
            &[("*", Binary::Mul), ("/", Binary::Div), ("%", Binary::Rem)],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let first = self.binary(level + 1)?;
        let mut rest = Vec::new();
        while let Some(&(_, op)) = LEVELS[level].iter().find(|(symbol, _)| self.is(symbol)) {
            let pos = self.next().1;
            rest.push((op, self.binary(level + 1)?, pos));
        }
        Ok(match rest.len() {
            0 => first,
            1 => {
                let (op, right, pos) = rest.remove(0);
                Expr::Binary(op, Box::new(first), Box::new(right), pos)
            }
            _ => Expr::Chain(Box::new(first), rest),
        })
    }

    fn unary(&mut self) -> Result<Expr, HostError> {
        let op = if self.is("-") {
            Unary::Neg
        } else if self.is("!") {
            Unary::Not
        } else {
            return self.postfix();
        };
        let pos = self.next().1;
        self.enter()?;
        let operand = self.unary();
        self.leave();
        let operand = operand?;
        // Fold `-<literal>`: literals are never negative, so this cannot overflow.
        match (op, &operand) {
            (Unary::Neg, Expr::Const(Value::Int(n))) => return Ok(Expr::Const(Value::Int(-n))),
            (Unary::Neg, Expr::Const(Value::Float(x))) => {
                return Ok(Expr::Const(Value::Float(-x)));
            }
            _ => {}
        }
        Ok(Expr::Unary(op, Box::new(operand), pos))
    }

    /// A primary expression and the indexings and fields after it: `xs[i][j]`,
    /// `p.x`, `m["a"].b`, applied in a loop. Each nests the tree one level (the evaluator
    /// and `Drop` recurse through it), so a chain counts toward the nesting limit.
    fn postfix(&mut self) -> Result<Expr, HostError> {
        let mut expr = self.primary()?;
        let mut levels = 0;
        while self.is("[") || self.is(".") {
            self.enter()?;
            levels += 1;
            if self.is(".") {
                let pos = self.next().1;
                let (name, _) = self.member_name()?;
                expr = if self.is("(") {
                    let args = self.arguments()?;
                    self.check_method(&expr, &name, &args, pos);
                    Expr::Method(Box::new(expr), name.to_string(), args, pos)
                } else {
                    Expr::Field(Box::new(expr), ScriptString::from(name), pos)
                };
                continue;
            }
            let pos = self.next().1;
            let index = self.expression()?;
            self.expect("]")?;
            expr = Expr::Index(Box::new(expr), Box::new(index), pos);
        }
        for _ in 0..levels {
            self.leave();
        }
        Ok(expr)
    }

    fn primary(&mut self) -> Result<Expr, HostError> {
        let (tok, pos) = self.next();
        match tok {
            Tok::Int(n) => Ok(Expr::Const(Value::Int(n))),
            Tok::Float(x) => Ok(Expr::Const(Value::Float(x))),
            Tok::Str(s) => Ok(Expr::Const(Value::str(s))),
            Tok::Sym("true") => Ok(Expr::Const(Value::Bool(true))),
            Tok::Sym("false") => Ok(Expr::Const(Value::Bool(false))),
            Tok::Sym("nil") => Ok(Expr::Const(Value::Void)),
            Tok::Sym("[") => {
                let mut items = ListItems::default();
                while !self.is("]") {
                    items.push(self.expression()?);
                    if !self.is(",") {
                        break;
                    }
                    self.next();
                }
                self.expect("]")?;
                Ok(items.into_expr(pos))
            }
            Tok::Sym("(") => {
                let inner = self.expression()?;
                self.expect(")")?;
                Ok(inner)
            }
            Tok::Sym("{") => self.map_literal(pos),
            // A variable's `.` reads a field (`postfix`); any other name's starts a path.
            Tok::Ident(name) if self.is(".") && self.lookup(&name).is_none() => {
                self.native_call(name, pos)
            }
            Tok::Ident(name) if self.is("(") => {
                let builtin = match name.as_str() {
                    "print" => Builtin::Print,
                    "str" => Builtin::Str,
                    "len" => Builtin::Len,
                    "float" => Builtin::Float,
                    "int" => Builtin::Int,
                    _ => return Err(HostError::at(pos, format!("unknown function `{name}`"))),
                };
                let args = self.arguments()?;
                let wanted = match builtin {
                    Builtin::Print => None,
                    Builtin::Str | Builtin::Len | Builtin::Float | Builtin::Int => Some(1),
                };
                if let Some(wanted) = wanted.filter(|w| *w != args.len()) {
                    return Err(HostError::at(
                        pos,
                        format!("`{name}` takes {wanted} argument, got {}", args.len()),
                    ));
                }
                Ok(Expr::Builtin(builtin, args, pos))
            }
            Tok::Ident(name) => self
                .lookup(&name)
                .map(Expr::Var)
                .ok_or_else(|| HostError::at(pos, format!("unknown variable `{name}`"))),
            other => Err(HostError::at(
                pos,
                format!("expected an expression, found {}", describe(&other)),
            )),
        }
    }

    /// A map literal after its `{`: `name: value` or `"key": value` entries, separated by
    /// commas, over any number of lines, up to the `}`. A key written twice is an error.
    fn map_literal(&mut self, pos: Pos) -> Result<Expr, HostError> {
        let mut entries: Vec<(ScriptString, Expr)> = Vec::new();
        // Keys seen so far, found by hash: a literal of many entries parses in linear time.
        let mut keys: HashSet<ScriptString> = HashSet::new();
        loop {
            self.skip_ends();
            if self.is("}") {
                break;
            }
            let (key, at) = match self.peek().clone() {
                Tok::Str(text) => {
                    let at = self.next().1;
                    (ScriptString::from(text), at)
                }
                _ => {
                    let (name, at) = self.member_name()?;
                    (ScriptString::from(name), at)
                }
            };
            if !keys.insert(key.clone()) {
                return Err(HostError::at(
                    at,
                    format!("the key `{key}` appears twice in this map"),
                ));
            }
            self.expect(":")?;
            self.skip_ends();
            entries.push((key, self.expression()?));
            self.skip_ends();
            if !self.is(",") {
                break;
            }
            self.next();
        }
        self.skip_ends();
        self.expect("}")?;
        Ok(Expr::Map(entries, pos))
    }

    /// `module.path.fn(args)`, bound to its native now.
    fn native_call(&mut self, first: String, pos: Pos) -> Result<Expr, HostError> {
        let mut path = first;
        while self.is(".") {
            self.next();
            let (segment, _) = self.member_name()?;
            path.push('.');
            path.push_str(&segment);
        }
        let module = path.split('.').next().unwrap_or_default();
        if self.lookup(module).is_some() {
            self.refuse(HostError::at(
                pos,
                format!("`{module}` is a variable, not a module: `{path}` cannot be called"),
            ))?;
            // A check goes on after the call.
            if self.is("(") {
                self.arguments()?;
            }
            return Ok(Expr::Const(Value::Void));
        }
        if !self.names.imports.contains(module) {
            let hint = if self.module_exists(module) {
                format!("module `{module}` is not imported: add `import {module}`")
            } else {
                format!("unknown module `{module}` in `{path}`")
            };
            self.refuse(HostError::at(pos, hint))?;
        }
        let registry = match &self.resolver {
            Resolver::Run(registry) => *registry,
            Resolver::Check { .. } => return self.checked_call(path, pos),
        };
        let Some(native) = registry.get(&path) else {
            let near: Vec<String> = registry
                .nearest(&path, 3)
                .into_iter()
                .map(|n| format!("`{n}`"))
                .collect();
            return Err(HostError::at(
                pos,
                format!(
                    "unknown function `{path}`; the nearest names are {}",
                    near.join(", ")
                ),
            ));
        };
        if !self.is("(") {
            return Err(HostError::at(
                self.pos(),
                format!("`{path}` is a function: call it with `(...)`"),
            ));
        }
        let args = self.arguments()?;
        if args.len() < native.spec().required_params() || args.len() > native.spec().params.len() {
            return Err(HostError::at(
                pos,
                Error::arity(native.spec(), args.len()).to_string(),
            ));
        }
        let index = match self.natives.iter().position(|n| std::ptr::eq(*n, native)) {
            Some(index) => index,
            None => {
                self.natives.push(native);
                self.natives.len() - 1
            }
        };
        Ok(Expr::Native(index, args, pos))
    }

    /// In a check, remembers the class of the object that `value` (assigned to `slot`)
    /// holds, when it is a call of a function that returns one; forgets it otherwise.
    fn note_class(&mut self, slot: usize, value: &Expr) {
        if let Resolver::Check {
            classes, variables, ..
        } = &mut self.resolver
        {
            match value {
                Expr::Native(UNRESOLVED, _, at) if classes.contains_key(at) => {
                    let class = classes[at].clone();
                    variables.insert(slot, class);
                }
                _ => {
                    variables.remove(&slot);
                }
            }
        }
    }

    /// In a check, notes what is wrong with the method call `.name(args)` on `receiver`
    /// when the receiver is a variable last assigned an object of a known class.
    fn check_method(&mut self, receiver: &Expr, name: &str, args: &[Expr], pos: Pos) {
        if let Resolver::Check {
            checker,
            findings,
            variables,
            ..
        } = &mut self.resolver
            && let Expr::Var(slot) = receiver
            && let Some(class) = variables.get(slot)
            && let Some(message) = checker.check_method(
                class,
                name,
                &args.iter().map(literal_kind).collect::<Vec<Arg>>(),
            )
        {
            findings.push(Finding {
                line: pos.line,
                col: pos.col,
                message,
            });
        }
    }

    /// A module call in a check: its arguments are parsed, the call checked against the
    /// spec, and an unresolved native call ([`UNRESOLVED`]) stands for it, so a call
    /// passed to another is an argument of unknown type, not a literal `nil`.
    fn checked_call(&mut self, path: String, pos: Pos) -> Result<Expr, HostError> {
        if !self.is("(") {
            let error = HostError::at(
                self.pos(),
                format!("`{path}` is a function: call it with `(...)`"),
            );
            self.refuse(error)?;
            return Ok(Expr::Const(Value::Void));
        }
        let args = self.arguments()?;
        if let Resolver::Check {
            checker,
            findings,
            classes,
            ..
        } = &mut self.resolver
        {
            if let Some(class) = checker.returns_class(&path) {
                classes.insert(pos, class.to_string());
            }
            let kinds: Vec<Arg> = args.iter().map(literal_kind).collect();
            if let Some(message) = checker.check_call(Engine::Goost, &path, &kinds) {
                findings.push(Finding {
                    line: pos.line,
                    col: pos.col,
                    message,
                });
            }
        }
        Ok(Expr::Native(UNRESOLVED, args, pos))
    }

    fn arguments(&mut self) -> Result<Vec<Expr>, HostError> {
        self.expect("(")?;
        let mut args = Vec::new();
        if self.is(")") {
            self.next();
            return Ok(args);
        }
        loop {
            args.push(self.expression()?);
            if self.is(",") {
                self.next();
                continue;
            }
            self.expect(")")?;
            return Ok(args);
        }
    }
}
