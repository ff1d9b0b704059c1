//! How Rhai reads the names a spec gives, shared by the bridge and the check.

use rhai::Token;

/// The token mapping the bridge sets (and the check compiles with): Rhai's reserved word
/// `new` read as a plain name, every other token as it is.
pub(crate) fn reserved_new_as_name(token: Token) -> Token {
    match token {
        Token::Reserved(word) if word.as_str() == "new" => Token::Identifier(word),
        other => other,
    }
}
