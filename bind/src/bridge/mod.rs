//! What an engine's bridge needs beside the native ABI: one call's conversion of the
//! engine's tables or arrays into script lists ([`Conversion`]), and the words of the
//! errors a value that is no script value gets ([`Unconverted`]). The Lua and Rhai
//! bridges (`goost-lua`, `goost-rhai`) are built on it; a bridge to another engine uses
//! the same pieces, so that every engine refuses, bounds and shares alike.

mod conversion;

pub use conversion::{Container, Conversion, Place, Refusal, argument_type, container, records_of};

/// Why an engine's value did not convert to a script value: what it is, and where, if it
/// sits inside a table or array (the 1-based element positions, outermost first).
#[derive(Debug)]
pub struct Unconverted {
    path: Vec<usize>,
    what: String,
}

impl Unconverted {
    /// A value that is `what` (`is a Lua function`, `is a table nested more than 64 deep`).
    pub fn new(what: String) -> Self {
        Unconverted {
            path: Vec::new(),
            what,
        }
    }

    /// The same failure, found at element `position` of an enclosing table or array.
    pub fn in_element(mut self, position: usize) -> Self {
        self.path.insert(0, position);
        self
    }

    /// The error text of argument `position` (from 1, as the caller passes it: see
    /// [`Place`]) of `native` that did not convert: `SIGNATURE: argument 1 is a Lua
    /// function, ...`, `... argument 1 is a table whose element 2.1 is ...` for a failure
    /// inside a `container` (the engine's word for it), or `... the object it is called
    /// on is ...` for a method's object.
    pub fn argument_message(
        &self,
        native: &crate::Native,
        position: usize,
        container: &str,
    ) -> String {
        let spec = native.spec();
        let signature = spec.signature;
        let place = match Place::of(spec, position - 1) {
            Place::Receiver => "the object it is called on".to_string(),
            Place::Parameter(index) => format!("argument {}", index + 1),
        };
        if self.path.is_empty() {
            return format!("{signature}: {place} {}", self.what);
        }
        let path: Vec<String> = self.path.iter().map(usize::to_string).collect();
        format!(
            "{signature}: {place} is {} whose element {} {}",
            with_article(container),
            path.join("."),
            self.what
        )
    }
}

/// `container` (an engine's word for a table or array) with its article: `a table`,
/// `an array`.
fn with_article(container: &str) -> String {
    let article = if container.starts_with('a') {
        "an"
    } else {
        "a"
    };
    format!("{article} {container}")
}
