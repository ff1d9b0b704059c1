//! The resolved program: names are bound before anything runs. Variables are slots in
//! one frame; natives are resolved in the registry and numbered, and the machine binds
//! each to its context once, so a call costs no lookup.

use goost_bind::{Native, ScriptList, ScriptString, Value};

use super::lexer::Pos;

/// A unary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unary {
    Neg,
    Not,
}

/// A binary operator (`&&` and `||` short-circuit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl Binary {
    /// Whether the operator works on numbers: arithmetic and ordering.
    pub fn is_numeric(self) -> bool {
        !matches!(self, Binary::Or | Binary::And | Binary::Eq | Binary::Ne)
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Binary::Or => "||",
            Binary::And => "&&",
            Binary::Eq => "==",
            Binary::Ne => "!=",
            Binary::Lt => "<",
            Binary::Le => "<=",
            Binary::Gt => ">",
            Binary::Ge => ">=",
            Binary::Add => "+",
            Binary::Sub => "-",
            Binary::Mul => "*",
            Binary::Div => "/",
            Binary::Rem => "%",
        }
    }
}

/// The host's own functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Print,
    Str,
    Len,
    /// `float(x)`: an int as a float.
    Float,
    /// `int(x)`: a float as an int, truncated toward zero (as Go converts).
    Int,
}

/// An expression.
#[derive(Debug)]
pub enum Expr {
    Const(Value),
    /// A variable's slot in the frame.
    Var(usize),
    Unary(Unary, Box<Expr>, Pos),
    Binary(Binary, Box<Expr>, Box<Expr>, Pos),
    /// Three or more operands of one precedence level, `a + b - c + ...`, applied left to
    /// right: flat, so a chain of any length is neither nesting nor recursion (in the
    /// parser, the evaluator or `Drop`).
    Chain(Box<Expr>, Vec<(Binary, Expr, Pos)>),
    Builtin(Builtin, Vec<Expr>, Pos),
    /// A list literal `[a, b, ...]`.
    List(Vec<Expr>, Pos),
    /// A list literal of constants only, made once by the parser: the list (shared by
    /// each evaluation), the bytes its elements hold (a literal is bounded by them, as a
    /// `List` is), and its place. A long literal costs one value a element, not a tree.
    ConstList(ScriptList, usize, Pos),
    /// `list[index]`, or `map[key]`.
    Index(Box<Expr>, Box<Expr>, Pos),
    /// A map literal `{x: 1.0, "a b": 2}`: each key (a name or a string) and its value.
    Map(Vec<(ScriptString, Expr)>, Pos),
    /// `map.key`: the value under a key written as a name.
    Field(Box<Expr>, ScriptString, Pos),
    /// `object.method(args)`: a method of the object's class, found when the call runs
    /// (the object's class is known only then).
    Method(Box<Expr>, String, Vec<Expr>, Pos),
    /// A call of the program's native number `.0` (an index into [`Program::natives`]).
    Native(usize, Vec<Expr>, Pos),
}

/// A statement.
#[derive(Debug)]
pub enum Stmt {
    /// `let x = e` and `x = e` both store into a slot (the place is the statement's).
    Assign(usize, Expr, Pos),
    Expr(Expr),
    /// `if c1 { .. } else if c2 { .. } .. else { .. }`: every `(condition, body, place)`
    /// in order, then the `else` body (empty without one). Flat, so a chain of any length
    /// is neither nesting nor recursion.
    If(Vec<(Expr, Vec<Stmt>, Pos)>, Vec<Stmt>),
    While(Expr, Vec<Stmt>, Pos),
    /// `for x in from..to { body }`: slot of `x`, the bounds, the body.
    For(usize, Expr, Expr, Vec<Stmt>, Pos),
    Block(Vec<Stmt>),
    Break,
    Continue,
    /// The end of a block (always its last statement, run however the block ends): the
    /// slots of the variables it declared are emptied, so what they held is dropped (an
    /// object's Rust value with it, when nothing else holds it).
    Release(Vec<usize>),
}

/// A whole resolved script.
#[derive(Debug)]
pub struct Program {
    /// The statements, in order.
    pub body: Vec<Stmt>,
    /// Number of variable slots the frame needs.
    pub slots: usize,
    /// The natives the program calls, each once, numbered as its calls name them.
    pub natives: Vec<&'static Native>,
}
