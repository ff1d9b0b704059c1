//! Turns goost source text into tokens with their line and column.

use super::HostError;

/// A place in the source: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
const SYMBOLS: [&str; 26] = [
    "..", "==", "!=", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "!", "=", "(",
    ")", "{", "}", "[", "]", ",", ".", ";", ":",
];

/// The tokens of a source, made one at a time as a parser asks for them, so a parse
/// holds no token list: the tokens of a long script cost no more than its syntax tree.
/// Newlines inside `(...)` and `[...]` do not end a statement. A UTF-8 byte-order mark at
/// the very start is skipped (editors on some systems write one). The input ends with an
/// `End` and then `Eof`, which repeats.
pub struct Lexer<'s> {
    source: &'s str,
    /// The byte offset of the next character.
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

impl<'s> Lexer<'s> {
    /// A lexer at the start of `source` (past a byte-order mark).
    pub fn new(source: &'s str) -> Lexer<'s> {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        Lexer {
            source,
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
        let source = self.source;
        let bytes = source.as_bytes();
        while let Some(c) = source[self.i..].chars().next() {
            let i = self.i;
            let pos = Pos {
                line: self.line,
                col: self.col,
            };
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
                self.i += c.len_utf8();
                self.col += 1;
                continue;
            }
            if source[i..].starts_with("//") {
                // To the end of the line (a newline is one byte and never inside another
                // character's encoding).
                let end = source[i..].find('\n').map_or(source.len(), |at| i + at);
                self.col += source[i..end].chars().count();
                self.i = end;
                continue;
            }
            if c.is_ascii_digit() {
                let (tok, used) = number(&bytes[i..], pos)?;
                self.i += used;
                self.col += used;
                return Ok((tok, pos));
            }
            if c.is_alphabetic() || c == '_' {
                let word_len: usize = source[i..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .map(char::len_utf8)
                    .sum();
                let word = &source[i..i + word_len];
                self.col += word.chars().count();
                self.i += word_len;
                let tok = match KEYWORDS.iter().find(|k| **k == word) {
                    Some(keyword) => Tok::Sym(keyword),
                    None => Tok::Ident(word.to_string()),
                };
                return Ok((tok, pos));
            }
            if c == '"' {
                // The literal's characters only: up to its closing quote (a quote after a
                // backslash does not close it), or the rest of the input.
                let end = literal_end(&bytes[i..]).map_or(source.len(), |at| i + at);
                let chars: Vec<char> = source[i..end].chars().collect();
                let (text, used, lines) = string_literal(&chars, pos)?;
                match chars[..used].iter().rposition(|&c| c == '\n') {
                    Some(last) => {
                        self.line += lines;
                        self.col = used - last;
                    }
                    None => self.col += used,
                }
                self.i += chars[..used].iter().map(|c| c.len_utf8()).sum::<usize>();
                return Ok((Tok::Str(text), pos));
            }
            let Some(symbol) = SYMBOLS.iter().find(|s| source[i..].starts_with(**s)) else {
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

/// A number literal starting at `bytes[0]` (a digit): an int (`42`) or a float (`1.5`,
/// `2e3`, `1.5e-7`), and the bytes used (each a character: a literal is ASCII). `1..3` is
/// an int and a range, not a float.
fn number(bytes: &[u8], pos: Pos) -> Result<(Tok, usize), HostError> {
    let digits_from = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| from + n)
    };
    let mut end = digits_from(0);
    let mut float = false;
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits_from(end + 1);
        float = true;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'+' | b'-')));
        if bytes.get(end + 1 + sign).is_some_and(u8::is_ascii_digit) {
            end = digits_from(end + 1 + sign);
            float = true;
        }
    }
    // ASCII digits, signs, `.` and `e` only.
    let text = String::from_utf8_lossy(&bytes[..end]);
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

/// The byte offset just past the closing quote of the string literal at `bytes[0] ==
/// b'"'`, if it has one. A backslash and the byte after it are skipped (`"` and `\\` are
/// ASCII, so they are never part of another character's encoding).
fn literal_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'"' => return Some(at + 1),
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A token and its line and column.
    type Placed = (Tok, (usize, usize));

    /// Every token of `source`, to its `Eof`.
    fn tokens(source: &str) -> Result<Vec<Placed>, HostError> {
        let mut lexer = Lexer::new(source);
        let mut out = Vec::new();
        loop {
            let (token, pos) = lexer.next_token()?;
            let end = token == Tok::Eof;
            out.push((token, (pos.line, pos.col)));
            if end {
                return Ok(out);
            }
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(
            tokens("let é = \"ü→\" // ünï\nx").unwrap(),
            [
                (Tok::Sym("let"), (1, 1)),
                (Tok::Ident("é".to_string()), (1, 5)),
                (Tok::Sym("="), (1, 7)),
                (Tok::Str("ü→".as_bytes().to_vec()), (1, 9)),
                (Tok::End, (1, 20)),
                (Tok::Ident("x".to_string()), (2, 1)),
                (Tok::End, (2, 2)),
                (Tok::Eof, (2, 2)),
            ]
        );
        // A string over two lines: the column after it counts from its last line.
        assert_eq!(
            tokens("\"a\nü\" y").unwrap()[..2],
            [
                (Tok::Str("a\nü".as_bytes().to_vec()), (1, 1)),
                (Tok::Ident("y".to_string()), (2, 4)),
            ]
        );
        let error = tokens("x ≥").unwrap_err();
        assert_eq!(error.to_string(), "1:3: unexpected character '≥'");
    }

    #[test]
    fn a_quote_after_a_backslash_does_not_end_a_string() {
        assert_eq!(
            tokens("\"a\\\"b\" 1").unwrap()[..2],
            [(Tok::Str(b"a\"b".to_vec()), (1, 1)), (Tok::Int(1), (1, 8)),]
        );
        let error = tokens("\"abc\\\"").unwrap_err();
        assert_eq!(error.to_string(), "1:1: unterminated string literal");
        assert!(error.is_incomplete());
    }
}
