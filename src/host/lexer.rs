//! Turns goost source text into tokens with their line and column.

use super::HostError;

/// A place in the source: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// One token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Int(i64),
    Str(String),
    Ident(String),
    /// Keywords and punctuation, by their text: `let`, `==`, `{`, `..`, ...
    Sym(&'static str),
    /// End of a statement: a newline (outside parentheses) or `;`.
    End,
    Eof,
}

const KEYWORDS: [&str; 11] = [
    "import", "let", "if", "else", "while", "for", "in", "break", "continue", "true", "false",
];

/// Longest first, so `<=` wins over `<` and `..` over `.`.
const SYMBOLS: [&str; 23] = [
    "..", "==", "!=", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "!", "=", "(",
    ")", "{", "}", ",", ".", ";",
];

/// Tokenizes `source`. Newlines inside `(...)` do not end a statement. A UTF-8 byte-order
/// mark at the very start is skipped (editors on some systems write one).
pub fn lex(source: &str) -> Result<Vec<(Tok, Pos)>, HostError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    let mut depth = 0usize;
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        if c == '\n' {
            if depth == 0 {
                tokens.push((Tok::End, pos));
            }
            i += 1;
            line += 1;
            col = 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            col += 1;
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let value = text.parse::<i64>().map_err(|_| {
                HostError::at(
                    pos,
                    format!("integer literal {text} does not fit in an int (i64)"),
                )
            })?;
            col += i - start;
            tokens.push((Tok::Int(value), pos));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            col += i - start;
            let tok = match KEYWORDS.iter().find(|k| **k == word) {
                Some(keyword) => Tok::Sym(keyword),
                None => Tok::Ident(word),
            };
            tokens.push((tok, pos));
            continue;
        }
        if c == '"' {
            let (text, used, lines) = string_literal(&chars[i..], pos)?;
            let literal = &chars[i..i + used];
            i += used;
            match literal.iter().rposition(|&c| c == '\n') {
                Some(last) => {
                    line += lines;
                    col = used - last;
                }
                None => col += used,
            }
            tokens.push((Tok::Str(text), pos));
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let Some(symbol) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
            return Err(HostError::at(pos, format!("unexpected character {c:?}")));
        };
        match *symbol {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += symbol.len();
        col += symbol.len();
        tokens.push((
            if *symbol == ";" {
                Tok::End
            } else {
                Tok::Sym(symbol)
            },
            pos,
        ));
    }
    tokens.push((Tok::End, Pos { line, col }));
    tokens.push((Tok::Eof, Pos { line, col }));
    Ok(tokens)
}

/// A string literal starting at `chars[0] == '"'`: its text, the characters used, and
/// the newlines inside it.
fn string_literal(chars: &[char], start: Pos) -> Result<(String, usize, usize), HostError> {
    let mut text = String::new();
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
                text.push('\n');
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
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    '"' => text.push('"'),
                    '\\' => text.push('\\'),
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
                                text.push(ch);
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
                                "unknown escape \\{other}: expected \\n, \\t, \\\", \\\\ or \\u{{...}}"
                            ),
                        ));
                    }
                }
            }
            c => text.push(c),
        }
    }
}
