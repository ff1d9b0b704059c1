//! Turns goost source text into tokens with their line and column.

use super::HostError;

/// A place in the source: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Int(i64),
    Float(f64),
    /// A string literal's bytes (`\x..` escapes may make them any bytes).
    Str(Vec<u8>),
    Ident(String),
    /// Keywords and punctuation, by their text: `let`, `==`, `{`, `..`, ...
    Sym(&'static str),
    /// End of a statement: a newline (outside parentheses) or `;`.
    End,
    Eof,
}

const KEYWORDS: [&str; 12] = [
    "import", "let", "if", "else", "while", "for", "in", "break", "continue", "true", "false",
    "nil",
];

/// Longest first, so `<=` wins over `<` and `..` over `.`.
const SYMBOLS: [&str; 25] = [
    "..", "==", "!=", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "!", "=", "(",
    ")", "{", "}", "[", "]", ",", ".", ";",
];

/// The tokens of a source, made one at a time as a parser asks for them, so a parse
/// holds no token list: the tokens of a long script cost no more than its syntax tree.
/// Newlines inside `(...)` and `[...]` do not end a statement. A UTF-8 byte-order mark at
/// the very start is skipped (editors on some systems write one). The input ends with an
/// `End` and then `Eof`, which repeats.
pub struct Lexer {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
    /// How many `(` and `[` are open: newlines inside them do not end a statement.
    depth: usize,
    /// Which of the closing `End` and `Eof` have been made.
    closed: u8,
    /// Where the run of `End`s after the last other token starts, so far.
    trailing_end: Option<Pos>,
}

impl Lexer {
    /// A lexer at the start of `source` (past a byte-order mark).
    pub fn new(source: &str) -> Lexer {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        Lexer {
            chars: source.chars().collect(),
            i: 0,
            line: 1,
            col: 1,
            depth: 0,
            closed: 0,
            trailing_end: None,
        }
    }

    /// Where the line ends that close the input start (the `End`s and `Eof` after its
    /// last other token), once the lexer has made its `Eof`.
    pub fn trailing_end(&self) -> Option<Pos> {
        self.trailing_end
    }

    /// The next token; `Eof` again and again at the end.
    pub fn next_token(&mut self) -> Result<(Tok, Pos), HostError> {
        let token = self.scan()?;
        match token.0 {
            Tok::End | Tok::Eof => {
                self.trailing_end.get_or_insert(token.1);
            }
            _ => self.trailing_end = None,
        }
        Ok(token)
    }

    fn scan(&mut self) -> Result<(Tok, Pos), HostError> {
        let chars = &self.chars;
        while self.i < chars.len() {
            let (i, line, col) = (self.i, self.line, self.col);
            let c = chars[i];
            let pos = Pos { line, col };
            if c == '\n' {
                self.i += 1;
                self.line += 1;
                self.col = 1;
                if self.depth == 0 {
                    return Ok((Tok::End, pos));
                }
                continue;
            }
            if c.is_whitespace() {
                self.i += 1;
                self.col += 1;
                continue;
            }
            if c == '/' && chars.get(i + 1) == Some(&'/') {
                while self.i < chars.len() && chars[self.i] != '\n' {
                    self.i += 1;
                }
                continue;
            }
            if c.is_ascii_digit() {
                let (tok, used) = number(&chars[i..], pos)?;
                self.i += used;
                self.col += used;
                return Ok((tok, pos));
            }
            if c.is_alphabetic() || c == '_' {
                let mut end = i;
                while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                    end += 1;
                }
                let word: String = chars[i..end].iter().collect();
                self.col += end - i;
                self.i = end;
                let tok = match KEYWORDS.iter().find(|k| **k == word) {
                    Some(keyword) => Tok::Sym(keyword),
                    None => Tok::Ident(word),
                };
                return Ok((tok, pos));
            }
            if c == '"' {
                let (text, used, lines) = string_literal(&chars[i..], pos)?;
                let literal = &chars[i..i + used];
                match literal.iter().rposition(|&c| c == '\n') {
                    Some(last) => {
                        self.line += lines;
                        self.col = used - last;
                    }
                    None => self.col += used,
                }
                self.i += used;
                return Ok((Tok::Str(text), pos));
            }
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let Some(symbol) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
                return Err(HostError::at(pos, format!("unexpected character {c:?}")));
            };
            match *symbol {
                "(" | "[" => self.depth += 1,
                ")" | "]" => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            self.i += symbol.len();
            self.col += symbol.len();
            let tok = if *symbol == ";" {
                Tok::End
            } else {
                Tok::Sym(symbol)
            };
            return Ok((tok, pos));
        }
        let pos = Pos {
            line: self.line,
            col: self.col,
        };
        if self.closed == 0 {
            self.closed = 1;
            return Ok((Tok::End, pos));
        }
        self.closed = 2;
        Ok((Tok::Eof, pos))
    }
}

/// A number literal starting at `chars[0]` (a digit): an int (`42`) or a float (`1.5`,
/// `2e3`, `1.5e-7`), and the characters used. `1..3` is an int and a range, not a float.
fn number(chars: &[char], pos: Pos) -> Result<(Tok, usize), HostError> {
    let digits_from = |from: usize| {
        chars[from..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(chars.len(), |n| from + n)
    };
    let mut end = digits_from(0);
    let mut float = false;
    if chars.get(end) == Some(&'.') && chars.get(end + 1).is_some_and(char::is_ascii_digit) {
        end = digits_from(end + 1);
        float = true;
    }
    if matches!(chars.get(end), Some('e' | 'E')) {
        let sign = usize::from(matches!(chars.get(end + 1), Some('+' | '-')));
        if chars.get(end + 1 + sign).is_some_and(char::is_ascii_digit) {
            end = digits_from(end + 1 + sign);
            float = true;
        }
    }
    let text: String = chars[..end].iter().collect();
    if float {
        let value: f64 = text
            .parse()
            .map_err(|_| HostError::at(pos, format!("invalid float literal {text}")))?;
        if value.is_infinite() {
            return Err(HostError::at(
                pos,
                format!("float literal {text} is too large for a float (f64)"),
            ));
        }
        return Ok((Tok::Float(value), end));
    }
    let value = text.parse::<i64>().map_err(|_| {
        HostError::at(
            pos,
            format!("integer literal {text} does not fit in an int (i64)"),
        )
    })?;
    Ok((Tok::Int(value), end))
}

/// A string literal starting at `chars[0] == '"'`: its bytes, the characters used, and
/// the newlines inside it.
fn string_literal(chars: &[char], start: Pos) -> Result<(Vec<u8>, usize, usize), HostError> {
    let mut text = Vec::new();
    let mut utf8 = [0u8; 4];
    let mut push =
        |text: &mut Vec<u8>, c: char| text.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    let mut i = 1;
    let mut lines = 0;
    // Index of the last newline inside the literal, to place an escape on its own line.
    let mut last_newline: Option<usize> = None;
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(
                HostError::at(start, "unterminated string literal".to_string()).at_end_of_input(),
            );
        };
        i += 1;
        match c {
            '"' => return Ok((text, i, lines)),
            '\n' => {
                lines += 1;
                last_newline = Some(i - 1);
                text.push(b'\n');
            }
            '\\' => {
                let escape_pos = Pos {
                    line: start.line + lines,
                    col: match last_newline {
                        None => start.col + i - 1,
                        Some(newline) => i - 1 - newline,
                    },
                };
                let Some(&e) = chars.get(i) else {
                    return Err(
                        HostError::at(start, "unterminated string literal".to_string())
                            .at_end_of_input(),
                    );
                };
                i += 1;
                match e {
                    'n' => text.push(b'\n'),
                    't' => text.push(b'\t'),
                    '"' => text.push(b'"'),
                    '\\' => text.push(b'\\'),
                    'x' => {
                        let hex: String = chars[i..chars.len().min(i + 2)].iter().collect();
                        match u8::from_str_radix(&hex, 16) {
                            Ok(byte)
                                if hex.len() == 2 && hex.chars().all(|c| c.is_ascii_hexdigit()) =>
                            {
                                text.push(byte);
                                i += 2;
                            }
                            _ => {
                                return Err(HostError::at(
                                    escape_pos,
                                    "invalid byte escape: expected \\x and two hex digits"
                                        .to_string(),
                                ));
                            }
                        }
                    }
                    'u' => {
                        let close = chars[i..].iter().position(|&c| c == '}');
                        let valid = chars.get(i) == Some(&'{') && close.is_some();
                        let digits: String = match close {
                            Some(end) if valid => chars[i + 1..i + end].iter().collect(),
                            _ => String::new(),
                        };
                        let code = u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32);
                        let hex = digits.chars().all(|c| c.is_ascii_hexdigit());
                        match (valid, code) {
                            (true, Some(ch)) if hex && !digits.is_empty() && digits.len() <= 6 => {
                                push(&mut text, ch);
                                i += digits.len() + 2;
                            }
                            _ => {
                                return Err(HostError::at(
                                    escape_pos,
                                    "invalid unicode escape: expected \\u{XXXX} with 1 to 6 hex digits of a valid code point".to_string(),
                                ));
                            }
                        }
                    }
                    other => {
                        return Err(HostError::at(
                            escape_pos,
                            format!(
                                "unknown escape \\{other}: expected \\n, \\t, \\\", \\\\, \\x.. or \\u{{...}}"
                            ),
                        ));
                    }
                }
            }
            c => push(&mut text, c),
        }
    }
}
