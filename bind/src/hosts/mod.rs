//! The registry's natives in other embedding engines, through one generic bridge per
//! engine (no per-function code): each walks the registry's module tree and converts
//! arguments and results through [`Value`](crate::Value).

#[cfg(any(feature = "lua", feature = "rhai"))]
mod conversion;
#[cfg(feature = "lua")]
pub mod lua;
#[cfg(feature = "rhai")]
pub mod rhai;

/// Why an engine's value did not convert to a script value: what it is, and where, if it
/// sits inside a table or array (the 1-based element positions, outermost first).
#[cfg(any(feature = "lua", feature = "rhai"))]
struct Unconverted {
    path: Vec<usize>,
    what: String,
}

#[cfg(any(feature = "lua", feature = "rhai"))]
impl Unconverted {
    fn new(what: String) -> Self {
        Unconverted {
            path: Vec::new(),
            what,
        }
    }

    /// The same failure, found at element `position` of an enclosing table or array.
    fn in_element(mut self, position: usize) -> Self {
        self.path.insert(0, position);
        self
    }

    /// The error text of argument `position` (from 1) of `native` that did not convert:
    /// `SIGNATURE: argument 1 is a Lua function, ...`, or `... argument 1 is a table whose
    /// element 2.1 is ...` for a failure inside a `container` (the engine's word for it).
    fn argument_message(&self, native: &crate::Native, position: usize, container: &str) -> String {
        let signature = native.spec().signature;
        if self.path.is_empty() {
            return format!("{signature}: argument {position} {}", self.what);
        }
        let path: Vec<String> = self.path.iter().map(usize::to_string).collect();
        format!(
            "{signature}: argument {position} is {} whose element {} {}",
            with_article(container),
            path.join("."),
            self.what
        )
    }
}

/// `container` (an engine's word for a table or array) with its article: `a table`,
/// `an array`.
#[cfg(any(feature = "lua", feature = "rhai"))]
fn with_article(container: &str) -> String {
    let article = if container.starts_with('a') {
        "an"
    } else {
        "a"
    };
    format!("{article} {container}")
}
