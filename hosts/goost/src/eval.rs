//! Runs a resolved [`Program`] on a [`Context`].

use std::io::Write;

use goost_bind::{BoundNative, Context, Registry, ScriptMap, ScriptObject, ScriptString, Value};

use super::HostError;
use super::ast::{Binary, Builtin, Expr, Program, Stmt, Unary};
use super::lexer::Pos;

/// `a op b` on ints, when it is defined and does not overflow; `None` leaves the case
/// (errors included) to the general path.
fn int_op(op: Binary, a: i64, b: i64) -> Option<Value> {
    Some(match op {
        Binary::Add => Value::Int(a.checked_add(b)?),
        Binary::Sub => Value::Int(a.checked_sub(b)?),
        Binary::Mul => Value::Int(a.checked_mul(b)?),
        Binary::Div => Value::Int(a.checked_div(b)?),
        // `i64::MIN % -1` is 0, as in Go: the remainder fits even where the quotient does not.
        Binary::Rem if b != 0 => Value::Int(a.wrapping_rem(b)),
        Binary::Rem => return None,
        Binary::Lt => Value::Bool(a < b),
        Binary::Le => Value::Bool(a <= b),
        Binary::Gt => Value::Bool(a > b),
        Binary::Ge => Value::Bool(a >= b),
        Binary::Eq => Value::Bool(a == b),
        Binary::Ne => Value::Bool(a != b),
        Binary::And | Binary::Or => return None,
    })
}

/// What `--max-steps` counts, as its error says.
pub const STEP_UNIT: &str = "one per loop iteration, operator and call, one per KiB a string or list operation copies or compares or a native call passes or returns, and one per 16 bytes of a list formatted";

/// The steps charged for formatting `value` for `print` or `str`: a string's bytes as a
/// copy (one per KiB); a list's one per 16 bytes it holds (about one per element, each
/// formatted on its own, floats the costliest); a scalar none beyond the call's own.
fn format_steps(value: &Value) -> u64 {
    match value {
        Value::Str(s) => steps_for_bytes(s.len()),
        Value::List(_) => (value.held_bytes() / 16) as u64,
        _ => 0,
    }
}

/// The steps charged for `bytes` bytes copied or compared (one per KiB, rounded down).
fn steps_for_bytes(bytes: usize) -> u64 {
    (bytes / 1024) as u64
}

#[cold]
#[inline(never)]
fn step_limit(pos: Pos, max_steps: u64) -> HostError {
    HostError::at(
        pos,
        format!("step limit reached: {max_steps} steps (--max-steps counts {STEP_UNIT})"),
    )
}

/// How a block ended.
enum Flow {
    Normal,
    Break,
    Continue,
}

/// The running state of one script.
pub struct Machine<'a, W: Write> {
    ctx: &'a Context,
    /// The running program's natives, bound to `ctx` (numbered as in [`Program::natives`]).
    bound: Vec<BoundNative>,
    /// The methods bound so far (class, method, index into `bound`), after the program's
    /// natives.
    methods: Vec<(&'static str, String, usize)>,
    out: W,
    slots: Vec<Value>,
    /// Arguments of native calls in progress (reused: a call allocates nothing here).
    stack: Vec<Value>,
    /// Steps run so far, and the most allowed (the unit is [`STEP_UNIT`]).
    steps: u64,
    max_steps: u64,
    /// The longest string `+` may build, in bytes.
    max_string: usize,
    /// Bytes of the strings and lists held in variables (a string held by two variables
    /// counts twice), and the most they may take: the context's value limit, if any.
    held_strings: usize,
    max_held_strings: usize,
}

/// The default longest script string (1 GiB): past it `+` is an error, not an abort.
pub const DEFAULT_MAX_STRING: usize = 1 << 30;

impl<'a, W: Write> Machine<'a, W> {
    /// A machine running on `ctx`, printing to `out`. A value limit on `ctx`
    /// ([`ContextBuilder::value_limit`](goost_bind::ContextBuilder::value_limit), which a
    /// memory limit sets) bounds the script's own strings: no string `+` builds is longer than the limit, and the
    /// strings held in variables together take no more than it.
    pub fn new(ctx: &'a Context, out: W) -> Self {
        let limit = ctx.value_limit();
        Machine {
            ctx,
            bound: Vec::new(),
            methods: Vec::new(),
            out,
            slots: Vec::new(),
            stack: Vec::new(),
            steps: 0,
            max_steps: u64::MAX,
            max_string: limit.map_or(DEFAULT_MAX_STRING, |l| l.min(DEFAULT_MAX_STRING)),
            held_strings: 0,
            max_held_strings: limit.unwrap_or(usize::MAX),
        }
    }

    /// Stores `value` in variable `slot`, keeping the strings held in variables within
    /// the memory limit: past it, the store is an error and the variable keeps its value.
    fn store(&mut self, slot: usize, value: Value, pos: Pos) -> Result<(), HostError> {
        let held = self.held_strings - self.slots[slot].held_bytes() + value.held_bytes();
        if held > self.max_held_strings {
            return Err(HostError::at(
                pos,
                format!(
                    "the strings and lists held in variables would take {held} bytes, past the memory limit of {} bytes",
                    self.max_held_strings
                ),
            ));
        }
        self.held_strings = held;
        self.slots[slot] = value;
        Ok(())
    }

    /// Caps the strings `+` may build at `bytes`.
    pub fn with_max_string(mut self, bytes: usize) -> Self {
        self.max_string = bytes;
        self
    }

    /// Stops the script with an error once it has run `max` loop iterations.
    pub fn with_max_steps(mut self, max: u64) -> Self {
        self.max_steps = max;
        self
    }

    /// Counts one step: a loop iteration, an operator, a call.
    #[inline]
    fn step(&mut self, pos: Pos) -> Result<(), HostError> {
        self.charge(1, pos)
    }

    /// Counts `steps` steps, and stops the script once they pass the limit. The unit is
    /// [`STEP_UNIT`]: one per loop iteration, operator and call, plus one per KiB a string
    /// or list operation copies or compares or a native call passes or returns, and about
    /// one per list element formatted, so the limit bounds a script's time roughly
    /// linearly whatever it does.
    #[inline]
    fn charge(&mut self, steps: u64, pos: Pos) -> Result<(), HostError> {
        self.steps = self.steps.saturating_add(steps);
        if self.steps > self.max_steps {
            return Err(step_limit(pos, self.max_steps));
        }
        Ok(())
    }

    /// The variables' values, to put back with [`Machine::restore_variables`].
    pub fn variables(&self) -> Vec<Value> {
        self.slots.clone()
    }

    /// Puts back the variables' values taken by [`Machine::variables`] (a failed REPL
    /// entry changes none).
    pub fn restore_variables(&mut self, values: Vec<Value>) {
        self.held_strings = values.iter().map(Value::held_bytes).sum();
        self.slots = values;
    }

    /// Flushes what `print` wrote and gives the output back: a write that failed late (a
    /// full disk under a buffered writer) is reported here, not lost.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }

    /// Runs a whole program. A native may copy out of a list's strings at most the
    /// context's conversion limit ([`copy_allowance`](goost_bind::copy_allowance)).
    pub fn run(&mut self, program: &Program) -> Result<(), HostError> {
        self.prepare(program);
        goost_bind::with_copy_allowance(self.ctx.conversion_limit(), || {
            self.block(&program.body).map(drop)
        })
    }

    /// Sizes the frame for `program` and binds its natives to the context.
    fn prepare(&mut self, program: &Program) {
        if self.slots.len() < program.slots {
            self.slots.resize(program.slots, Value::Void);
        }
        self.bound = program.natives.iter().map(|n| n.bind(self.ctx)).collect();
        self.methods.clear();
    }

    /// Evaluates one expression (the REPL prints its value).
    pub fn value_of(&mut self, program: &Program) -> Result<Option<Value>, HostError> {
        self.prepare(program);
        goost_bind::with_copy_allowance(self.ctx.conversion_limit(), || {
            match program.body.as_slice() {
                [Stmt::Expr(expr)] => self.eval(expr).map(Some),
                body => self.block(body).map(|_| None),
            }
        })
    }

    fn block(&mut self, body: &[Stmt]) -> Result<Flow, HostError> {
        for stmt in body {
            match self.statement(stmt)? {
                Flow::Normal => {}
                flow => {
                    // A `break` or `continue` still ends the block: its variables go.
                    if let Some(Stmt::Release(slots)) = body.last() {
                        self.release(slots);
                    }
                    return Ok(flow);
                }
            }
        }
        Ok(Flow::Normal)
    }

    /// Empties the variable `slots` of a block that ended.
    fn release(&mut self, slots: &[usize]) {
        for &slot in slots {
            if let Some(value) = self.slots.get_mut(slot) {
                let value = std::mem::replace(value, Value::Void);
                self.held_strings = self.held_strings.saturating_sub(value.held_bytes());
            }
        }
    }

    fn statement(&mut self, stmt: &Stmt) -> Result<Flow, HostError> {
        match stmt {
            Stmt::Assign(slot, expr, pos) => {
                let value = self.eval(expr)?;
                self.store(*slot, value, *pos)?;
            }
            Stmt::Expr(expr) => {
                self.eval(expr)?;
            }
            Stmt::If(branches, otherwise) => {
                for (condition, body, pos) in branches {
                    if self.condition(condition, "if", *pos)? {
                        return self.block(body);
                    }
                }
                return self.block(otherwise);
            }
            Stmt::While(condition, body, pos) => {
                while self.condition(condition, "while", *pos)? {
                    self.step(*pos)?;
                    if let Flow::Break = self.block(body)? {
                        break;
                    }
                }
            }
            Stmt::For(slot, from, to, body, pos) => {
                let from = self.int(from, "for", *pos)?;
                let to = self.int(to, "for", *pos)?;
                for i in from..to {
                    self.step(*pos)?;
                    self.store(*slot, Value::Int(i), *pos)?;
                    if let Flow::Break = self.block(body)? {
                        break;
                    }
                }
            }
            Stmt::Block(body) => return self.block(body),
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Release(slots) => self.release(slots),
        }
        Ok(Flow::Normal)
    }

    fn condition(&mut self, expr: &Expr, what: &str, pos: Pos) -> Result<bool, HostError> {
        match self.eval(expr)? {
            Value::Bool(b) => Ok(b),
            other => Err(HostError::at(
                pos,
                format!(
                    "`{what}` condition must be a bool, got {}",
                    other.type_name()
                ),
            )),
        }
    }

    fn int(&mut self, expr: &Expr, what: &str, pos: Pos) -> Result<i64, HostError> {
        match self.eval(expr)? {
            Value::Int(n) => Ok(n),
            other => Err(HostError::at(
                pos,
                format!(
                    "`{what}` range bounds must be ints, got {}",
                    other.type_name()
                ),
            )),
        }
    }

    fn eval(&mut self, expr: &Expr) -> Result<Value, HostError> {
        match expr {
            Expr::Const(value) => Ok(value.clone()),
            Expr::Var(slot) => Ok(self.slots[*slot].clone()),
            Expr::Unary(op, operand, pos) => {
                let value = self.eval(operand)?;
                match (op, value) {
                    (Unary::Neg, Value::Int(n)) => n
                        .checked_neg()
                        .map(Value::Int)
                        .ok_or_else(|| HostError::at(*pos, format!("integer overflow: -({n})"))),
                    (Unary::Neg, Value::Float(x)) => Ok(Value::Float(-x)),
                    (Unary::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
                    (Unary::Neg, other) => Err(HostError::at(
                        *pos,
                        format!("`-` expects an int or a float, got {}", other.type_name()),
                    )),
                    (Unary::Not, other) => Err(HostError::at(
                        *pos,
                        format!("`!` expects a bool, got {}", other.type_name()),
                    )),
                }
            }
            Expr::Binary(op, left, right, pos) => self.binary(*op, left, right, *pos),
            Expr::Chain(first, rest) => {
                let mut value = self.eval(first)?;
                for (op, right, pos) in rest {
                    self.step(*pos)?;
                    value = self.combine(*op, value, right, *pos)?;
                }
                Ok(value)
            }
            Expr::Builtin(builtin, args, pos) => self.builtin(*builtin, args, *pos),
            Expr::List(items, pos) => {
                self.charge(1 + items.len() as u64 / 64, *pos)?;
                let mut values = Vec::with_capacity(items.len());
                let mut held = 0usize;
                for item in items {
                    let value = self.eval(item)?;
                    held = held.saturating_add(value.held_bytes());
                    if held > self.max_string {
                        return Err(list_too_large(*pos, self.max_string));
                    }
                    values.push(value);
                }
                Value::list(values).map_err(|too_deep| HostError::at(*pos, too_deep.to_string()))
            }
            Expr::ConstList(list, held, pos) => {
                // Charged and bounded as the same literal of expressions would be.
                self.charge(1 + list.len() as u64 / 64, *pos)?;
                if *held > self.max_string {
                    return Err(list_too_large(*pos, self.max_string));
                }
                Ok(Value::List(list.clone()))
            }
            Expr::Index(list, index, pos) => {
                self.step(*pos)?;
                let list = self.eval(list)?;
                let index = self.eval(index)?;
                match (&list, &index) {
                    (Value::List(items), Value::Int(i)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| items.get(i))
                        .cloned()
                        .ok_or_else(|| {
                            HostError::at(
                                *pos,
                                format!(
                                    "index {i} is out of range for a list of {} elements",
                                    items.len()
                                ),
                            )
                        }),
                    (Value::List(_), other) => Err(HostError::at(
                        *pos,
                        format!("a list index must be an int, got {}", other.type_name()),
                    )),
                    // An absent key reads as nil, as an absent optional field does.
                    (Value::Map(entries), Value::Str(key)) => {
                        Ok(entries.get(key.as_bytes()).cloned().unwrap_or(Value::Void))
                    }
                    (Value::Record(record), Value::Str(key)) => {
                        Ok(record.get(key.as_bytes()).cloned().unwrap_or(Value::Void))
                    }
                    (Value::Map(_) | Value::Record(_), other) => Err(HostError::at(
                        *pos,
                        format!("a map key must be a string, got {}", other.type_name()),
                    )),
                    (other, _) => Err(HostError::at(
                        *pos,
                        format!(
                            "only a list or a map can be indexed, not {}",
                            other.type_name()
                        ),
                    )),
                }
            }
            Expr::Map(entries, pos) => {
                self.charge(1 + entries.len() as u64 / 64, *pos)?;
                let mut values = Vec::with_capacity(entries.len());
                let mut held = 0usize;
                for (key, item) in entries {
                    let value = self.eval(item)?;
                    held = held
                        .saturating_add(key.len())
                        .saturating_add(value.held_bytes());
                    if held > self.max_string {
                        return Err(map_too_large(*pos, self.max_string));
                    }
                    values.push((key.clone(), value));
                }
                ScriptMap::new(values)
                    .map(Value::Map)
                    .map_err(|error| HostError::at(*pos, error.to_string()))
            }
            Expr::Field(map, key, pos) => {
                self.step(*pos)?;
                match self.eval(map)? {
                    Value::Map(entries) => {
                        Ok(entries.get(key.as_bytes()).cloned().unwrap_or(Value::Void))
                    }
                    Value::Record(record) => {
                        Ok(record.get(key.as_bytes()).cloned().unwrap_or(Value::Void))
                    }
                    other => Err(HostError::at(
                        *pos,
                        format!("only a map has fields: `.{key}` of {}", other.type_name()),
                    )),
                }
            }
            Expr::Native(native, args, pos) => {
                self.step(*pos)?;
                self.call(*native, None, args, *pos)
            }
            Expr::Method(receiver, name, args, pos) => {
                self.step(*pos)?;
                let object = match self.eval(receiver)? {
                    Value::Object(object) => object,
                    other => {
                        return Err(HostError::at(
                            *pos,
                            format!(
                                "only an object has methods: `.{name}(..)` of {}",
                                other.type_name()
                            ),
                        ));
                    }
                };
                let method = self.method(&object, name, *pos)?;
                self.call(method, Some(Value::Object(object)), args, *pos)
            }
        }
    }

    /// Calls bound native number `native` with `receiver` (the object a method is called
    /// on) and then `args`, evaluated onto the argument stack.
    fn call(
        &mut self,
        native: usize,
        receiver: Option<Value>,
        args: &[Expr],
        pos: Pos,
    ) -> Result<Value, HostError> {
        let base = self.stack.len();
        self.stack.extend(receiver);
        for arg in args {
            let value = self.eval(arg);
            match value {
                Ok(value) => self.stack.push(value),
                Err(error) => {
                    self.stack.truncate(base);
                    return Err(error);
                }
            }
        }
        // A native may read, hash or copy each argument's bytes: charged before the call,
        // as a copy of them would be.
        let read: usize = self.stack[base..].iter().map(Value::held_bytes).sum();
        if let Err(error) = self.charge(steps_for_bytes(read), pos) {
            self.stack.truncate(base);
            return Err(error);
        }
        let result = match self.bound.get(native) {
            Some(bound) => bound.call(&self.stack[base..]),
            None => Err(goost_bind::Error::msg(format!(
                "native {native} of a program this machine did not prepare"
            ))),
        };
        self.stack.truncate(base);
        let value = result.map_err(|error| HostError::of_native(pos, error))?;
        // A result the native made (a read's copy) is charged as that copy.
        self.charge(steps_for_bytes(value.held_bytes()), pos)?;
        Ok(value)
    }

    /// The bound native of the method `name` of `object`'s class, bound on first use and
    /// numbered after the program's own natives; an error naming the nearest methods when
    /// the class has none of that name.
    fn method(&mut self, object: &ScriptObject, name: &str, pos: Pos) -> Result<usize, HostError> {
        let class = object.class().name;
        if let Some((_, _, index)) = self
            .methods
            .iter()
            .find(|(c, m, _)| *c == class && m == name)
        {
            return Ok(*index);
        }
        let registry = Registry::global();
        let Some(native) = registry.method(class, name) else {
            return Err(HostError::at(pos, registry.no_such_method(class, name)));
        };
        self.bound.push(native.bind(self.ctx));
        let index = self.bound.len() - 1;
        self.methods.push((class, name.to_string(), index));
        Ok(index)
    }

    fn binary(
        &mut self,
        op: Binary,
        left: &Expr,
        right: &Expr,
        pos: Pos,
    ) -> Result<Value, HostError> {
        self.step(pos)?;
        // Fast path: both sides a variable or a literal holding ints (loop counters and
        // bounds), computed without cloning or dropping a `Value`.
        if let (Some(Value::Int(a)), Some(Value::Int(b))) = (self.peek(left), self.peek(right)) {
            if let Some(value) = int_op(op, *a, *b) {
                return Ok(value);
            }
        }
        let left = self.eval(left)?;
        self.combine(op, left, right, pos)
    }

    /// `left op right`, with `left` already a value (`right` is evaluated only if needed).
    fn combine(
        &mut self,
        op: Binary,
        left: Value,
        right: &Expr,
        pos: Pos,
    ) -> Result<Value, HostError> {
        // `&&` and `||` short-circuit.
        match (op, &left) {
            (Binary::And, Value::Bool(false)) => return Ok(Value::Bool(false)),
            (Binary::Or, Value::Bool(true)) => return Ok(Value::Bool(true)),
            _ => {}
        }
        let right = self.eval(right)?;
        let symbol = op.symbol();
        let overflow =
            |a: i64, b: i64| HostError::at(pos, format!("integer overflow: {a} {symbol} {b}"));
        if matches!(
            op,
            Binary::Eq | Binary::Ne | Binary::Lt | Binary::Le | Binary::Gt | Binary::Ge
        ) {
            // Comparing strings or lists reads them: at most the smaller one's bytes.
            let read = left.held_bytes().min(right.held_bytes());
            self.charge(steps_for_bytes(read), pos)?;
        }
        let value = match (op, &left, &right) {
            (Binary::Eq, a, b) => Value::Bool(a == b),
            (Binary::Ne, a, b) => Value::Bool(a != b),
            (Binary::And | Binary::Or, Value::Bool(_), Value::Bool(b)) => Value::Bool(*b),
            (Binary::Add, Value::Str(a), Value::Str(b)) => {
                let total = a.len().saturating_add(b.len());
                if total > self.max_string {
                    let limit = if self.max_string == self.max_held_strings {
                        "the memory limit"
                    } else {
                        "the longest string allowed"
                    };
                    return Err(HostError::at(
                        pos,
                        format!(
                            "string too long: `+` would make {total} bytes, past {limit} ({} bytes)",
                            self.max_string
                        ),
                    ));
                }
                self.charge(steps_for_bytes(total), pos)?;
                // Copied once, straight into the shared string.
                Value::Str(ScriptString::concat(a, b))
            }
            (Binary::Add, Value::Float(a), Value::Float(b)) => Value::Float(a + b),
            (Binary::Sub, Value::Float(a), Value::Float(b)) => Value::Float(a - b),
            (Binary::Mul, Value::Float(a), Value::Float(b)) => Value::Float(a * b),
            // As in Go, a float divided by zero is an infinity (or NaN), not an error.
            (Binary::Div, Value::Float(a), Value::Float(b)) => Value::Float(a / b),
            (Binary::Lt, Value::Float(a), Value::Float(b)) => Value::Bool(a < b),
            (Binary::Le, Value::Float(a), Value::Float(b)) => Value::Bool(a <= b),
            (Binary::Gt, Value::Float(a), Value::Float(b)) => Value::Bool(a > b),
            (Binary::Ge, Value::Float(a), Value::Float(b)) => Value::Bool(a >= b),
            (_, Value::Int(_), Value::Float(_)) | (_, Value::Float(_), Value::Int(_))
                if op.is_numeric() =>
            {
                return Err(HostError::at(
                    pos,
                    format!(
                        "`{symbol}` cannot mix {} and {}: convert one with float(..) or int(..), as in Go",
                        left.type_name(),
                        right.type_name()
                    ),
                ));
            }
            (Binary::Add, Value::Int(a), Value::Int(b)) => {
                Value::Int(a.checked_add(*b).ok_or_else(|| overflow(*a, *b))?)
            }
            (Binary::Sub, Value::Int(a), Value::Int(b)) => {
                Value::Int(a.checked_sub(*b).ok_or_else(|| overflow(*a, *b))?)
            }
            (Binary::Mul, Value::Int(a), Value::Int(b)) => {
                Value::Int(a.checked_mul(*b).ok_or_else(|| overflow(*a, *b))?)
            }
            (Binary::Div | Binary::Rem, Value::Int(_), Value::Int(0)) => {
                return Err(HostError::at(
                    pos,
                    format!("division by zero in `{symbol}`"),
                ));
            }
            (Binary::Div, Value::Int(a), Value::Int(b)) => {
                Value::Int(a.checked_div(*b).ok_or_else(|| overflow(*a, *b))?)
            }
            (Binary::Rem, Value::Int(a), Value::Int(b)) => Value::Int(a.wrapping_rem(*b)),
            (Binary::Lt, Value::Int(a), Value::Int(b)) => Value::Bool(a < b),
            (Binary::Le, Value::Int(a), Value::Int(b)) => Value::Bool(a <= b),
            (Binary::Gt, Value::Int(a), Value::Int(b)) => Value::Bool(a > b),
            (Binary::Ge, Value::Int(a), Value::Int(b)) => Value::Bool(a >= b),
            (Binary::Lt, Value::Str(a), Value::Str(b)) => Value::Bool(a < b),
            (Binary::Le, Value::Str(a), Value::Str(b)) => Value::Bool(a <= b),
            (Binary::Gt, Value::Str(a), Value::Str(b)) => Value::Bool(a > b),
            (Binary::Ge, Value::Str(a), Value::Str(b)) => Value::Bool(a >= b),
            (_, a, b) => {
                return Err(HostError::at(
                    pos,
                    format!(
                        "`{symbol}` cannot take {} and {}",
                        a.type_name(),
                        b.type_name()
                    ),
                ));
            }
        };
        Ok(value)
    }

    /// The value of a variable or literal, borrowed; `None` for other expressions.
    fn peek<'e>(&'e self, expr: &'e Expr) -> Option<&'e Value> {
        match expr {
            Expr::Const(value) => Some(value),
            Expr::Var(slot) => self.slots.get(*slot),
            _ => None,
        }
    }

    fn builtin(&mut self, builtin: Builtin, args: &[Expr], pos: Pos) -> Result<Value, HostError> {
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(self.eval(arg)?);
        }
        match builtin {
            Builtin::Print => {
                // Charged before anything is written, then written value by value (no
                // whole line is built): strings as their exact bytes.
                let steps = values
                    .iter()
                    .map(format_steps)
                    .fold(1u64, u64::saturating_add);
                self.charge(steps, pos)?;
                let written = (|| {
                    for (i, value) in values.iter().enumerate() {
                        if i > 0 {
                            self.out.write_all(b" ")?;
                        }
                        value.write_to(&mut self.out)?;
                    }
                    self.out.write_all(b"\n")
                })();
                written
                    .map_err(|e| HostError::at(pos, format!("print: cannot write output: {e}")))?;
                Ok(Value::Void)
            }
            Builtin::Str => {
                let text = match &values[0] {
                    Value::Str(s) => return Ok(Value::Str(s.clone())),
                    other => {
                        self.charge(1 + format_steps(other), pos)?;
                        let mut bytes = Vec::new();
                        let _ = other.write_to(&mut bytes);
                        bytes
                    }
                };
                self.charge(steps_for_bytes(text.len()), pos)?;
                Ok(Value::str(text))
            }
            Builtin::Len => {
                self.step(pos)?;
                match &values[0] {
                    Value::Str(s) => Ok(Value::Int(s.len() as i64)),
                    Value::List(items) => Ok(Value::Int(items.len() as i64)),
                    Value::Map(entries) => Ok(Value::Int(entries.len() as i64)),
                    Value::Record(record) => Ok(Value::Int(record.len() as i64)),
                    other => Err(HostError::at(
                        pos,
                        format!(
                            "`len` expects a string, a list or a map, got {}",
                            other.type_name()
                        ),
                    )),
                }
            }
            Builtin::Float => {
                self.step(pos)?;
                match &values[0] {
                    Value::Int(n) => Ok(Value::Float(*n as f64)),
                    Value::Float(x) => Ok(Value::Float(*x)),
                    other => Err(HostError::at(
                        pos,
                        format!(
                            "`float` expects an int or a float, got {}",
                            other.type_name()
                        ),
                    )),
                }
            }
            Builtin::Int => {
                self.step(pos)?;
                match &values[0] {
                    Value::Int(n) => Ok(Value::Int(*n)),
                    // In range when -2^63 <= x < 2^63; truncated toward zero, as Go does.
                    Value::Float(x)
                        if x.is_finite() && *x >= -(2f64.powi(63)) && *x < 2f64.powi(63) =>
                    {
                        Ok(Value::Int(x.trunc() as i64))
                    }
                    Value::Float(x) => Err(HostError::at(
                        pos,
                        format!(
                            "`int` cannot convert {}: it is outside the range of an int",
                            goost_bind::format_float(*x)
                        ),
                    )),
                    other => Err(HostError::at(
                        pos,
                        format!("`int` expects a float or an int, got {}", other.type_name()),
                    )),
                }
            }
        }
    }
}

/// The error of a list literal whose items would hold more than `limit` bytes.
#[cold]
fn map_too_large(pos: Pos, limit: usize) -> HostError {
    HostError::at(
        pos,
        format!("map too large: it would hold more than {limit} bytes"),
    )
}

fn list_too_large(pos: Pos, limit: usize) -> HostError {
    HostError::at(
        pos,
        format!("list too large: it would hold more than {limit} bytes"),
    )
}
