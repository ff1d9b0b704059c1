//! Why a run failed, as [`run`](crate::run) reports it to a host.

use std::fmt;

use crate::HostError;

/// Why [`run`](crate::run) failed: the script, at a place in it, or writing its output.
///
/// It displays as the command prints it (`FILE:LINE:COL: message`, or
/// `FILE: cannot write the output: ...`), converts into that `String`, and compares equal
/// to it, so a host that treats the error as text keeps working. When a native's call
/// failed, [`source`](std::error::Error::source) is the native's [`goost_bind::Error`],
/// in which the host finds its module's own error type:
///
/// ```no_run
/// # use goost_bind::Context;
/// # #[derive(Debug)] struct MyError; impl std::fmt::Display for MyError {
/// #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("mine") } }
/// # impl std::error::Error for MyError {}
/// # let ctx = Context::new();
/// if let Err(error) = goost_host::run("t.goost", "import geo\nprint(geo.point.dist2(3, 4))\n", &ctx, std::io::stdout()) {
///     let mine = error.native_error().and_then(|native| native.downcast_ref::<MyError>());
/// }
/// ```
#[derive(Debug)]
pub struct RunError {
    file: String,
    why: Why,
}

#[derive(Debug)]
enum Why {
    Script(HostError),
    Output(std::io::Error),
}

impl RunError {
    /// `error` in the script named `file`.
    pub(crate) fn script(file: &str, error: HostError) -> RunError {
        RunError {
            file: file.to_string(),
            why: Why::Script(error),
        }
    }

    /// The script named `file` ran, but its output could not be written.
    pub(crate) fn output(file: &str, error: std::io::Error) -> RunError {
        RunError {
            file: file.to_string(),
            why: Why::Output(error),
        }
    }

    /// The name the script was run under.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The error in the script, with its place; `None` when the output failed.
    pub fn script_error(&self) -> Option<&HostError> {
        match &self.why {
            Why::Script(error) => Some(error),
            Why::Output(_) => None,
        }
    }

    /// The native's own error, when a native's call failed.
    pub fn native_error(&self) -> Option<&goost_bind::Error> {
        self.script_error().and_then(HostError::native_error)
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.why {
            Why::Script(error) => write!(f, "{}:{error}", self.file),
            Why::Output(error) => write!(f, "{}: cannot write the output: {error}", self.file),
        }
    }
}

impl std::error::Error for RunError {
    /// The native's error when a native's call failed; the I/O error when the output
    /// could not be written; else none.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.why {
            Why::Script(error) => std::error::Error::source(error),
            Why::Output(error) => Some(error),
        }
    }
}

impl From<RunError> for String {
    fn from(error: RunError) -> String {
        error.to_string()
    }
}

impl RunError {
    /// Whether the error displays as exactly `text` (compared piece by piece as it is
    /// written, without building the text).
    fn displays_as(&self, text: &str) -> bool {
        /// What is left of the text to match.
        struct Rest<'a>(&'a str);
        impl fmt::Write for Rest<'_> {
            fn write_str(&mut self, piece: &str) -> fmt::Result {
                self.0 = self.0.strip_prefix(piece).ok_or(fmt::Error)?;
                Ok(())
            }
        }
        let mut rest = Rest(text);
        fmt::write(&mut rest, format_args!("{self}")).is_ok() && rest.0.is_empty()
    }
}

impl PartialEq<str> for RunError {
    fn eq(&self, text: &str) -> bool {
        self.displays_as(text)
    }
}

impl PartialEq<&str> for RunError {
    fn eq(&self, text: &&str) -> bool {
        self.displays_as(text)
    }
}

impl PartialEq<String> for RunError {
    fn eq(&self, text: &String) -> bool {
        self.displays_as(text)
    }
}
