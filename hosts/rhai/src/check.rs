//! The Rhai front end: the script is compiled (never run) by a Rhai engine that reads
//! `new` as a name, as the bridge's engine does, and its syntax tree is walked for calls
//! with a namespace whose root is a known module (`memory::buffer::write(..)`).

use std::collections::HashMap;

use goost_spec::Engine;
use goost_spec::check::{Arg, Checker, Finding, MAX_TOKENS};
use rhai::{ASTNode, BinaryExpr, Expr, FnCallExpr, OptimizationLevel, Position, Stmt};

/// A finding at the first token past [`MAX_TOKENS`], if the script has that many: Rhai
/// builds its whole syntax tree, so the tokens are counted one at a time first.
fn past_the_token_limit(source: &str) -> Option<Finding> {
    let engine = rhai::Engine::new_raw();
    let sources = [source];
    let (tokens, _) = engine.lex(&sources);
    // Rhai's token stream repeats its end token forever: counting stops there.
    let (_, position) = tokens
        .take_while(|(token, _)| !matches!(token, rhai::Token::EOF))
        .enumerate()
        .find(|(count, _)| *count >= MAX_TOKENS)?
        .1;
    let (line, col) = place(position);
    Some(Finding {
        line,
        col,
        message: format!(
            "the script has more than {MAX_TOKENS} tokens: not checked (the check builds the whole syntax tree)"
        ),
    })
}

/// Every finding in the Rhai script `source`, in the order of the script. A script that
/// does not compile is one finding: Rhai's own error, at its position.
pub fn check(source: &str, checker: &Checker) -> Vec<Finding> {
    if let Some(refused) = past_the_token_limit(source) {
        return vec![refused];
    }
    let mut engine = rhai::Engine::new_raw();
    engine.set_optimization_level(OptimizationLevel::None);
    #[allow(deprecated)] // Rhai marks this API volatile, not deprecated.
    engine.on_parse_token(|token, _, _| crate::names::reserved_words_as_names(token));
    let ast = match engine.compile(source) {
        Ok(ast) => ast,
        Err(error) => {
            let (line, col) = place(error.1);
            return vec![Finding {
                line,
                col,
                message: error.0.to_string(),
            }];
        }
    };
    let mut findings = Vec::new();
    // Variables last assigned an object of a known class, as the walk reads the script.
    let mut objects: HashMap<String, String> = HashMap::new();
    ast.walk(&mut |path: &[ASTNode]| {
        match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, pos))) if !call.namespace.is_empty() => {
                let dotted = dotted_path(call);
                let args: Vec<Arg> = call.args.iter().map(arg).collect();
                if let Some(message) = checker.check_call(Engine::Rhai, &dotted, &args) {
                    let at = call.namespace.path.first().map_or(*pos, |s| s.pos);
                    let (line, col) = place(at);
                    findings.push(Finding { line, col, message });
                }
            }
            Some(ASTNode::Stmt(Stmt::Var(var, ..))) => {
                let (name, value, _) = &**var;
                assign(&mut objects, checker, name.name.as_str(), value);
            }
            Some(ASTNode::Stmt(Stmt::Assignment(assignment))) => {
                let (_, BinaryExpr { lhs, rhs }) = &**assignment;
                if let Expr::Variable(variable, ..) = lhs {
                    assign(&mut objects, checker, variable.1.as_str(), rhs);
                }
            }
            Some(ASTNode::Expr(Expr::Dot(dot, ..))) => {
                if let (Expr::Variable(variable, ..), Expr::MethodCall(call, pos)) =
                    (&dot.lhs, &dot.rhs)
                    && let Some(class) = objects.get(variable.1.as_str())
                {
                    let args: Vec<Arg> = call.args.iter().map(arg).collect();
                    if let Some(message) = checker.check_method(class, call.name.as_str(), &args) {
                        let (line, col) = place(*pos);
                        findings.push(Finding { line, col, message });
                    }
                }
            }
            _ => {}
        }
        true
    });
    findings
}

/// `memory.buffer.write` for the call `memory::buffer::write(..)`.
fn dotted_path(call: &FnCallExpr) -> String {
    call.namespace
        .path
        .iter()
        .map(|segment| segment.name.as_str())
        .chain([call.name.as_str()])
        .collect::<Vec<_>>()
        .join(".")
}

/// Notes that the variable `name` now holds what `value` gives: an object of a class when
/// `value` calls a module function that returns one; nothing known otherwise.
fn assign(objects: &mut HashMap<String, String>, checker: &Checker, name: &str, value: &Expr) {
    let class = match value {
        Expr::FnCall(call, _) if !call.namespace.is_empty() => {
            checker.returns_class(&dotted_path(call))
        }
        _ => None,
    };
    match class {
        Some(class) => objects.insert(name.to_string(), class.to_string()),
        None => objects.remove(name),
    };
}

/// A Rhai position as a 1-based line and column (1:1 when Rhai has none).
fn place(pos: Position) -> (usize, usize) {
    (pos.line().unwrap_or(1), pos.position().unwrap_or(1))
}

/// What the checker knows of an argument: the literals the bridge converts.
fn arg(expr: &Expr) -> Arg {
    match expr {
        Expr::IntegerConstant(..) => Arg::Int,
        Expr::FloatConstant(..) => Arg::Float,
        Expr::StringConstant(text, _) => Arg::Text(text.to_string()),
        Expr::BoolConstant(..) => Arg::Bool,
        Expr::Unit(..) => Arg::Nil,
        Expr::Array(items, _) => Arg::List(items.iter().map(arg).collect()),
        Expr::Map(map, _) => Arg::Map(
            map.0
                .iter()
                .map(|(name, item)| (name.name.to_string(), arg(item)))
                .collect(),
        ),
        _ => Arg::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_in_namespaces_of_known_modules_only() {
        let spec = goost_spec::parse(
            "module m\ngroup m.g\n  fn new() -> int\n    | N\n  fn put(id: int, s: string) -> void\n    | P\n",
        )
        .unwrap();
        let checker = Checker::new([&spec]);
        let findings = check(
            "let id = m::g::new();\nm::g::put(id, 5);\n  m::g::pot(id);\nother::f(1);\nprint(m::g::put(id));",
            &checker,
        );
        let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "2:1: m.g.put(id: int, s: string) -> void: argument 2 (s) expects string, got int",
                "3:3: unknown function `m::g::pot`; the nearest names are `m::g::put`, `m::g::new`",
                "5:7: m.g.put(id: int, s: string) -> void: expects 2 arguments, got 1",
            ]
        );
    }

    #[test]
    fn a_script_that_does_not_compile_is_one_finding_at_rhais_position() {
        let spec = goost_spec::parse("module m\n").unwrap();
        let findings = check("let x = ;", &Checker::new([&spec]));
        assert_eq!(findings.len(), 1);
        assert_eq!((findings[0].line, findings[0].col), (1, 9));
    }

    /// docs/history/reliability.md, round 3, item 10: the Rhai check builds a whole syntax tree, so a
    /// script is bounded by its token count first.
    #[test]
    fn a_script_past_the_token_limit_is_a_finding() {
        let spec = goost_spec::parse("module m\n").unwrap();
        let findings = check(&"x = 1;\n".repeat(100_000), &Checker::new([&spec]));
        let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [format!(
                "62501:1: the script has more than {MAX_TOKENS} tokens: not checked (the check builds the whole syntax tree)"
            )]
        );
    }

    #[test]
    fn deep_nesting_is_rhais_own_error_not_a_stack_overflow() {
        let spec = goost_spec::parse("module m\n").unwrap();
        let checker = Checker::new([&spec]);
        for source in [
            format!("let x = {}1{};", "(".repeat(100_000), ")".repeat(100_000)),
            format!("let x = {}1;", "-".repeat(100_000)),
            format!("{}{}", "{".repeat(100_000), "}".repeat(100_000)),
        ] {
            let findings = check(&source, &checker);
            assert_eq!(findings.len(), 1, "{}", &source[..20]);
        }
    }
}
