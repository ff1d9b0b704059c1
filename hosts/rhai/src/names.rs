//! How Rhai reads the names a spec gives, shared by the bridge and the check.

use goost_spec::keywords::{RHAI_RESERVED, is_rhai_reserved};
use rhai::{Engine, Token};

/// The token mapping the bridge sets (and the check compiles with): each word Rhai only
/// reserves for later use ([`RHAI_RESERVED`]: `new`, `match`, `default`, ...) read as a
/// plain name, so a module's function or group may be named so; every other token as it
/// is. Rhai's keywords are left alone (a spec may not use them as names).
///
/// The cost, for scripts: a reserved word used as Rhai syntax (`var x = 1`) is reported
/// as the name it now is (an unknown variable, a missing `;`) rather than as a reserved
/// word.
pub(crate) fn reserved_words_as_names(token: Token) -> Token {
    match token {
        Token::Reserved(word) if is_rhai_reserved(&word) => Token::Identifier(word),
        other => other,
    }
}

/// Whether `engine`'s tokenizer, token mapper included, reads every reserved word as a
/// name (an engine installed into before).
pub(crate) fn reads_reserved_words_as_names(engine: &Engine) -> bool {
    let words = RHAI_RESERVED.join(" ");
    let input = [words.as_str()];
    let (tokens, _) = engine.lex(&input);
    let mut names = 0;
    for (token, _) in tokens {
        match token {
            Token::Identifier(_) => names += 1,
            Token::EOF => break,
            _ => return false,
        }
    }
    names == RHAI_RESERVED.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use goost_spec::keywords::RHAI_KEYWORDS;

    /// goost-spec's lists of Rhai's words are held to the Rhai this crate is built with:
    /// each keyword lexes as a keyword or a reserved word (never a name), each reserved
    /// word as a reserved word, and the mapping reads exactly the reserved ones as names.
    #[test]
    fn the_spec_lists_of_rhai_words_agree_with_rhai() {
        let engine = Engine::new();
        let lex = |word: &str| {
            let input = [word];
            let (mut tokens, _) = engine.lex(&input);
            tokens.next().map(|(token, _)| token)
        };
        for word in RHAI_KEYWORDS {
            let token = lex(word);
            assert!(
                !matches!(token, Some(Token::Identifier(_))),
                "{word} lexes as a name: {token:?}"
            );
            assert!(
                matches!(token.map(reserved_words_as_names), Some(ref t) if !matches!(t, Token::Identifier(_))),
                "{word} is mapped to a name"
            );
        }
        for word in RHAI_RESERVED {
            let token = lex(word);
            assert!(
                matches!(token, Some(Token::Reserved(_))),
                "{word} is not reserved: {token:?}"
            );
            assert!(
                matches!(token.map(reserved_words_as_names), Some(Token::Identifier(ref name)) if name.as_str() == *word),
                "{word} is not mapped to a name"
            );
        }
    }
}
