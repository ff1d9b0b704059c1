//! The Lua front end: the script is parsed (never run) by full_moon as Lua 5.4. A module
//! is reached through a name bound to `require("memory")` (`local memory =
//! require("memory")`, or a global assignment); each call through such a name with a
//! dotted path (`memory.buffer.write(..)`) is checked.
//!
//! Deeply nested input is refused before parsing, with a finding: full_moon's parser
//! recurses once per nesting level, so the depth is bounded first from the token stream.

use std::collections::HashMap;

use full_moon::LuaVersion;
use full_moon::ast::{
    Call, Expression, Field, FunctionArgs, FunctionCall, Index, LocalAssignment, Prefix, Suffix,
    Var,
};
use full_moon::tokenizer::{
    Lexer, LexerResult, StringLiteralQuoteType, Token, TokenReference, TokenType,
};
use full_moon::visitors::Visitor;
use goost_spec::Engine;
use goost_spec::check::{Arg, Checker, Finding, MAX_TOKENS};

/// The deepest nesting (brackets, blocks), and the longest run of unary or
/// right-associative operators, the checker parses.
pub const MAX_NESTING: usize = 200;

/// Every finding in the Lua script `source`, in the order of the script. A script that
/// does not parse gives full_moon's errors, each at its position.
pub fn check(source: &str, checker: &Checker) -> Vec<Finding> {
    // A byte-order mark is skipped, as Lua's own loader skips it.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if let Some(refused) = refused_before_parsing(source) {
        return vec![refused];
    }
    let parsed = full_moon::parse_fallible(source, LuaVersion::lua54());
    if !parsed.errors().is_empty() {
        return parsed
            .errors()
            .iter()
            .map(|error| {
                let (start, _) = error.range();
                Finding {
                    line: start.line(),
                    col: start.character(),
                    message: error.error_message().into_owned(),
                }
            })
            .collect();
    }
    let mut aliases = Aliases {
        checker,
        names: HashMap::new(),
    };
    aliases.visit_ast(parsed.ast());
    let mut calls = Calls {
        checker,
        aliases: aliases.names,
        objects: HashMap::new(),
        findings: Vec::new(),
    };
    calls.visit_ast(parsed.ast());
    calls.findings
}

/// What stops `source` before it is parsed, as a finding: the first place where it nests
/// deeper than [`MAX_NESTING`], passes [`MAX_TOKENS`], or a backtick string (not Lua 5.4;
/// full_moon reads one only as the CfxLua dialect, which it is built with so that its
/// lexer does not panic). The tokens are read one at a time, never all held.
fn refused_before_parsing(source: &str) -> Option<Finding> {
    let mut lexer = Lexer::new(source, LuaVersion::lua54());
    let mut count: usize = 0;
    let mut depth: usize = 0;
    let mut run: usize = 0;
    // Binary operators in the expression open at each bracket depth: left-associative
    // ones nest the tree one level each however they are spaced (`1 + f(x) + 1 + ...`).
    let mut chains: Vec<usize> = vec![0];
    while let Some(next) = lexer.consume() {
        let token = match &next {
            LexerResult::Ok(token) | LexerResult::Recovered(token, _) => token.token(),
            // Tokenizer errors are reported by the parse, with their positions; the lexer
            // goes on after one (as full_moon's own parse does), and so does the count,
            // or the parse would meet whatever nests after it unchecked.
            LexerResult::Fatal(_) => continue,
        };
        count += 1;
        if count > MAX_TOKENS {
            return Some(finding_at(
                token,
                format!(
                    "the script has more than {MAX_TOKENS} tokens: not checked (the check's parser takes about a kilobyte per token)"
                ),
            ));
        }
        if let TokenType::StringLiteral {
            quote_type: StringLiteralQuoteType::Backtick,
            ..
        } = token.token_type()
        {
            return Some(finding_at(
                token,
                "a string in backticks is not Lua 5.4: use quotes".to_string(),
            ));
        }
        let text = match token.token_type() {
            TokenType::Symbol { symbol } => symbol.to_string(),
            // Names and literals do not end a run of operators: `a .. b .. c` is one.
            _ => continue,
        };
        match text.as_str() {
            "(" | "{" | "[" | "function" | "if" | "do" | "repeat" => {
                depth += 1;
                chains.push(0);
            }
            ")" | "}" | "]" | "end" | "until" => {
                depth = depth.saturating_sub(1);
                if chains.len() > 1 {
                    chains.pop();
                }
            }
            _ => {}
        }
        // `while`/`for` open their block at `do`, counted above. A run of operators the
        // parser may recurse on (unary ones, and the right-associative `..` and `^`) ends
        // at any other symbol.
        match text.as_str() {
            "-" | "not" | "#" | "~" | ".." | "^" => run += 1,
            _ => run = 0,
        }
        let chain = chains.last_mut().map_or(0, |chain| {
            match text.as_str() {
                "+" | "-" | "*" | "/" | "//" | "%" | "&" | "|" | "~" | "<<" | ">>" | "=="
                | "~=" | "<" | "<=" | ">" | ">=" | "and" | "or" | ".." | "^" => *chain += 1,
                // What ends an expression: a new statement, an assignment, a separator.
                "=" | "," | ";" | "local" | "return" | "then" | "else" | "elseif" | "while"
                | "for" | "in" | "break" | "goto" => *chain = 0,
                _ => {}
            }
            *chain
        });
        if depth > MAX_NESTING || run > MAX_NESTING || chain > MAX_NESTING {
            return Some(finding_at(
                token,
                format!(
                    "the script nests or chains operators deeper than {MAX_NESTING} levels here: not checked"
                ),
            ));
        }
    }
    None
}

/// A finding at `token`'s start.
fn finding_at(token: &Token, message: String) -> Finding {
    let at = token.start_position();
    Finding {
        line: at.line(),
        col: at.character(),
        message,
    }
}

/// Finds the names bound to `require("module")` for a module the checker knows.
struct Aliases<'c, 's> {
    checker: &'c Checker<'s>,
    names: HashMap<String, String>,
}

impl Aliases<'_, '_> {
    fn bind(&mut self, name: &TokenReference, value: &Expression) {
        if let Some(module) = required_module(value)
            && self.checker.module(&module).is_some()
        {
            self.names.insert(name.token().to_string(), module);
        }
    }
}

impl Visitor for Aliases<'_, '_> {
    fn visit_local_assignment(&mut self, local: &LocalAssignment) {
        for (name, value) in local.names().iter().zip(local.expressions().iter()) {
            self.bind(name, value);
        }
    }

    fn visit_assignment(&mut self, assignment: &full_moon::ast::Assignment) {
        for (var, value) in assignment
            .variables()
            .iter()
            .zip(assignment.expressions().iter())
        {
            if let Var::Name(name) = var {
                self.bind(name, value);
            }
        }
    }
}

/// `require("m")`, `require "m"` or `require("m")` in parentheses: the module's name.
fn required_module(value: &Expression) -> Option<String> {
    let Expression::FunctionCall(call) = value else {
        return None;
    };
    let Prefix::Name(name) = call.prefix() else {
        return None;
    };
    if name.token().to_string() != "require" {
        return None;
    }
    let mut suffixes = call.suffixes();
    let Some(Suffix::Call(Call::AnonymousCall(args))) = suffixes.next() else {
        return None;
    };
    if suffixes.next().is_some() {
        return None;
    }
    let literal = match &**args {
        FunctionArgs::String(text) => text,
        FunctionArgs::Parentheses { arguments, .. } if arguments.len() == 1 => {
            match arguments.iter().next() {
                Some(Expression::String(text)) => text,
                _ => return None,
            }
        }
        _ => return None,
    };
    string_literal(literal.token())
}

fn string_literal(token: &Token) -> Option<String> {
    match token.token_type() {
        TokenType::StringLiteral { literal, .. } => Some(literal.to_string()),
        _ => None,
    }
}

/// Checks each call through an alias, and each method call on a name last assigned an
/// object (the result of a call through an alias whose function returns a class).
struct Calls<'c, 's> {
    checker: &'c Checker<'s>,
    aliases: HashMap<String, String>,
    /// Names holding an object of a known class, as the script reads in order.
    objects: HashMap<String, String>,
    findings: Vec<Finding>,
}

impl Calls<'_, '_> {
    /// The dotted path (`memory.buffer.write`) and the arguments of a call through an
    /// alias, if `call` is one.
    fn module_call<'a>(&self, call: &'a FunctionCall) -> Option<(String, &'a FunctionArgs)> {
        let Prefix::Name(root) = call.prefix() else {
            return None;
        };
        let mut dotted = self.aliases.get(&root.token().to_string())?.clone();
        for suffix in call.suffixes() {
            match suffix {
                Suffix::Index(Index::Dot { name, .. }) => {
                    dotted.push('.');
                    dotted.push_str(&name.token().to_string());
                }
                // `m.g["repeat"]`: how Lua reaches a name that is one of its keywords.
                Suffix::Index(Index::Brackets { expression, .. }) => match &**expression {
                    Expression::String(key) => {
                        dotted.push('.');
                        dotted.push_str(&string_literal(key.token())?);
                    }
                    _ => return None,
                },
                Suffix::Call(Call::AnonymousCall(call_args)) => {
                    return dotted.contains('.').then_some((dotted, &**call_args));
                }
                // A method call or a computed index: not a path the spec names.
                _ => return None,
            }
        }
        None
    }

    /// Notes that `name` now holds what `value` gives: an object of a class when `value`
    /// calls a function that returns one; nothing known otherwise.
    fn assign(&mut self, name: &TokenReference, value: Option<&Expression>) {
        let name = name.token().to_string();
        let class = match value {
            Some(Expression::FunctionCall(call)) => self
                .module_call(call)
                .and_then(|(path, _)| self.checker.returns_class(&path)),
            _ => None,
        };
        match class {
            Some(class) => self.objects.insert(name, class.to_string()),
            None => self.objects.remove(&name),
        };
    }

    /// Checks `p:name(args)` when `p` holds an object of a known class.
    fn method_call(&mut self, call: &FunctionCall) {
        let Prefix::Name(root) = call.prefix() else {
            return;
        };
        let Some(class) = self.objects.get(&root.token().to_string()) else {
            return;
        };
        let mut suffixes = call.suffixes();
        let Some(Suffix::Call(Call::MethodCall(method))) = suffixes.next() else {
            return;
        };
        let name = method.name().token().to_string();
        let args = lua_args(method.args());
        if let Some(message) = self.checker.check_method(class, &name, &args) {
            self.findings
                .push(finding_at(method.name().token(), message));
        }
    }
}

impl Visitor for Calls<'_, '_> {
    fn visit_local_assignment(&mut self, local: &LocalAssignment) {
        let mut values = local.expressions().iter();
        for name in local.names() {
            self.assign(name, values.next());
        }
    }

    fn visit_assignment(&mut self, assignment: &full_moon::ast::Assignment) {
        let mut values = assignment.expressions().iter();
        for var in assignment.variables() {
            let value = values.next();
            if let Var::Name(name) = var {
                self.assign(name, value);
            }
        }
    }

    fn visit_function_call(&mut self, call: &FunctionCall) {
        self.method_call(call);
        let Some((dotted, args)) = self.module_call(call) else {
            return;
        };
        let Prefix::Name(root) = call.prefix() else {
            return;
        };
        if let Some(message) = self
            .checker
            .check_call(Engine::Lua, &dotted, &lua_args(args))
        {
            self.findings.push(finding_at(root.token(), message));
        }
    }
}

/// What the checker knows of a call's arguments.
fn lua_args(args: &FunctionArgs) -> Vec<Arg> {
    match args {
        FunctionArgs::Parentheses { arguments, .. } => arguments.iter().map(arg).collect(),
        FunctionArgs::String(token) => vec![string_arg(token.token().token_type())],
        FunctionArgs::TableConstructor(table) => vec![table_arg(table)],
        _ => vec![Arg::Unknown],
    }
}

/// A string literal with its text when the text is what the script says: no escapes (a
/// `\` sequence would need Lua's rules to read); its text unknown otherwise.
fn string_arg(token: &TokenType) -> Arg {
    match token {
        TokenType::StringLiteral { literal, .. } if !literal.contains('\\') => {
            Arg::Text(literal.to_string())
        }
        _ => Arg::String,
    }
}

/// What the checker knows of an argument, as the Lua bridge converts it: a number with a
/// whole value is an int, any other a float; a table of positional fields only is a list.
fn arg(expr: &Expression) -> Arg {
    match expr {
        Expression::Number(token) => number(&token.token().to_string()),
        Expression::String(token) => string_arg(token.token().token_type()),
        Expression::Symbol(token) => match token.token().to_string().as_str() {
            "true" | "false" => Arg::Bool,
            "nil" => Arg::Nil,
            _ => Arg::Unknown,
        },
        Expression::Parentheses { expression, .. } => arg(expression),
        Expression::UnaryOperator { unop, expression } if unop.to_string().trim() == "-" => {
            match arg(expression) {
                found @ (Arg::Int | Arg::Float) => found,
                _ => Arg::Unknown,
            }
        }
        Expression::TableConstructor(table) => table_arg(table),
        _ => Arg::Unknown,
    }
}

/// A table constructor as the bridge converts it: of positional fields only, a list; of
/// `name = value` and `["name"] = value` fields only, a map; anything else unknown.
fn table_arg(table: &full_moon::ast::TableConstructor) -> Arg {
    let (mut items, mut entries) = (Vec::new(), Vec::new());
    for field in table.fields() {
        match field {
            Field::NoKey(value) => items.push(arg(value)),
            Field::NameKey { key, value, .. } => {
                entries.push((key.token().to_string(), arg(value)));
            }
            Field::ExpressionKey { key, value, .. } => match string_arg(key_token(key)) {
                Arg::Text(name) => entries.push((name, arg(value))),
                _ => return Arg::Unknown,
            },
            _ => return Arg::Unknown,
        }
    }
    match (items.is_empty(), entries.is_empty()) {
        (_, true) => Arg::List(items),
        (true, false) => Arg::Map(entries),
        (false, false) => Arg::Unknown,
    }
}

/// The token of a key expression that is a string literal (any other key reads as no
/// string).
fn key_token(key: &Expression) -> &TokenType {
    match key {
        Expression::String(token) => token.token().token_type(),
        _ => &TokenType::Eof,
    }
}

/// A Lua number literal's kind: decimal or hexadecimal, whole or not.
fn number(text: &str) -> Arg {
    let lower = text.trim().to_ascii_lowercase();
    if lower.starts_with("0x") {
        return if lower.contains('.') || lower.contains('p') {
            Arg::Unknown
        } else {
            Arg::Int
        };
    }
    match lower.parse::<f64>() {
        Ok(value) if value.fract() == 0.0 && value.is_finite() => Arg::Int,
        Ok(_) => Arg::Float,
        Err(_) => Arg::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> goost_spec::Spec {
        goost_spec::parse(
            "module m\ngroup m.g\n  fn new() -> int\n    | N\n  fn put(id: int, s: string) -> void\n    | P\n  fn at(xs: list<int>, i: int) -> int\n    | A\n",
        )
        .unwrap()
    }

    #[test]
    fn finds_calls_through_names_bound_to_require() {
        let spec = spec();
        let checker = Checker::new([&spec]);
        let findings = check(
            "local mod = require(\"m\")\nlocal id = mod.g.new()\nmod.g.put(id, 5.5)\n  mod.g.pot(id)\nprint(mod.g.put(id))\nlocal s = string.format(\"%d\", 1)\nmod.g.at({1, \"x\"}, 2.0)\n",
            &checker,
        );
        let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "3:1: m.g.put(id: int, s: string) -> void: argument 2 (s) expects string, got float",
                "4:3: unknown function `m.g.pot`; the nearest names are `m.g.put`, `m.g.at`, `m.g.new`",
                "5:7: m.g.put(id: int, s: string) -> void: expects 2 arguments, got 1",
                "7:1: m.g.at(xs: list<int>, i: int) -> int: argument 1 (xs) expects list<int>, got a list whose element 2 is string",
            ]
        );
    }

    /// Issue 26, item 1: a function whose name is a Lua keyword is called by indexing,
    /// and checked as any other.
    #[test]
    fn calls_through_a_keyword_index_are_checked() {
        let spec = goost_spec::parse(
            "module text\ngroup text.fmt\n  fn repeat(s: string, times: int) -> string\n    | R\n",
        )
        .unwrap();
        let checker = Checker::new([&spec]);
        let findings = check(
            "local text = require(\"text\")\nlocal ok = text.fmt[\"repeat\"](\"ab\", 2)\nlocal bad = text.fmt[\"repeat\"](42, 2)\nlocal gone = text.fmt[\"repeats\"](\"ab\", 2)\n",
            &checker,
        );
        let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "3:13: text.fmt.repeat(s: string, times: int) -> string: argument 1 (s) expects string, got int",
                "4:14: unknown function `text.fmt.repeats`; the nearest names are `text.fmt[\"repeat\"]`",
            ]
        );
    }

    /// docs/history/reliability.md, round 3, item 13: a byte-order mark was a syntax error.
    #[test]
    fn a_byte_order_mark_is_skipped_as_lua_skips_it() {
        let spec = spec();
        let findings = check(
            "\u{feff}local mod = require(\"m\")\nmod.g.put(1)\n",
            &Checker::new([&spec]),
        );
        let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["2:1: m.g.put(id: int, s: string) -> void: expects 2 arguments, got 1"]
        );
    }

    #[test]
    fn a_script_that_does_not_parse_gives_full_moons_errors() {
        let spec = spec();
        let findings = check("local x = = 1\n", &Checker::new([&spec]));
        assert!(!findings.is_empty());
        assert_eq!(findings[0].line, 1);
    }

    #[test]
    fn a_backtick_string_is_a_finding_not_a_panic() {
        let spec = spec();
        let checker = Checker::new([&spec]);
        let findings = check("local x = 1\nlocal s = `text`\n", &checker);
        let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["2:11: a string in backticks is not Lua 5.4: use quotes"]
        );
        // An unclosed one, as the fuzzer found it.
        assert_eq!(check("print(`", &checker).len(), 1);
        // Inside a quoted string or a comment, a backtick is only a character.
        assert!(check("local s = \"`\" -- `\n", &checker).is_empty());
    }

    /// docs/history/reliability.md, round 3, item 10: 1,000,000 lines of `x = 1` (6 MB) took the check
    /// to 3.9 GB; it is refused at the token past the limit, the tokens read one at a time.
    #[test]
    fn a_script_past_the_token_limit_is_a_finding() {
        let spec = spec();
        let findings = check(&"x = 1\n".repeat(1_000_000), &Checker::new([&spec]));
        let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [format!(
                "83334:3: the script has more than {MAX_TOKENS} tokens: not checked (the check's parser takes about a kilobyte per token)"
            )]
        );
    }

    /// Many short expressions are not one long chain.
    #[test]
    fn many_statements_with_operators_are_checked() {
        let spec = spec();
        let body = "x = 1 + 2 * 3\nt[x + 1] = x - 1, x .. 'a'\nprint(x == 1 and x or 2)\n";
        let source = format!("local t = {{}}\n{}", body.repeat(5_000));
        assert_eq!(check(&source, &Checker::new([&spec])), []);
    }

    #[test]
    fn deep_nesting_is_a_finding_not_a_stack_overflow() {
        let spec = spec();
        let checker = Checker::new([&spec]);
        for source in [
            format!("x = {}1{}", "(".repeat(100_000), ")".repeat(100_000)),
            format!("x = {}1", "- ".repeat(100_000)),
            format!("x = {}", vec!["'a'"; 100_000].join(" .. ")),
            format!("{}{}", "do ".repeat(100_000), "end ".repeat(100_000)),
            // docs/history/reliability.md, round 3, item 9: left-associative chains overflowed too.
            format!("x = {}", vec!["1"; 200_000].join(" + ")),
            format!("x = {}", vec!["a"; 200_000].join(" and ")),
            format!("x = {}", vec!["f(1)"; 200_000].join(" * ")),
            // Found by the `check` fuzz target with long inputs: a character Lua does not
            // lex stopped the count, and the parse then recursed into 800 brackets.
            format!("x = \u{2}{}1", "f(".repeat(100_000)),
        ] {
            let findings = check(&source, &checker);
            assert_eq!(findings.len(), 1, "{}", &source[..20]);
            assert!(
                findings[0].message.ends_with("levels here: not checked"),
                "{}",
                findings[0]
            );
        }
    }
}
