//! The words each engine keeps for itself, and what a spec may name with them.
//!
//! A spec names a module, its groups, its functions and their parameters once, for every
//! engine, so a name that is a keyword somewhere has to work there too, or be refused at
//! the spec (never at run time):
//!
//! | name | goost | Lua | Rhai | Rust |
//! |---|---|---|---|---|
//! | module | refused if a keyword of any engine | | | |
//! | group, function | taken after a `.` | indexed: `m.g["repeat"]` | refused if a [`RHAI_KEYWORDS`] word; a [`RHAI_RESERVED`] word is read as a name by the bridge's token mapper | any name (the Rust function's own name is free) |
//! | parameter | any name | renamed in the definitions: `end_` | any name | `r#type`, or `_self` |
//!
//! Rhai's lists are Rhai 1.27's; `goost-rhai`'s tests lex every word of them to hold them
//! to the Rhai the bridge is built with.

/// The goost language's keywords.
pub const GOOST_KEYWORDS: &[&str] = &[
    "import", "let", "if", "else", "while", "for", "in", "break", "continue", "true", "false",
    "nil",
];

/// Lua 5.4's keywords: a name spelled so is reached by indexing (`m.g["end"]`), and is
/// renamed where it would be a Lua name (a parameter in the definitions).
pub const LUA_KEYWORDS: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

/// Rhai's keywords, and the reserved words Rhai calls as its own functions (`print`,
/// `eval`, ...): a module function or group named so cannot be called from Rhai.
pub const RHAI_KEYWORDS: &[&str] = &[
    "as",
    "break",
    "catch",
    "const",
    "continue",
    "do",
    "else",
    "export",
    "false",
    "fn",
    "for",
    "if",
    "import",
    "in",
    "let",
    "loop",
    "private",
    "return",
    "switch",
    "throw",
    "true",
    "try",
    "until",
    "while",
    "this",
    "print",
    "debug",
    "eval",
    "call",
    "curry",
    "Fn",
    "type_of",
    "is_def_var",
    "is_def_fn",
    "is_shared",
];

/// The words Rhai reserves for later use and otherwise leaves alone: a function or group
/// named so is called through the bridge's token mapper, which reads the word as a name
/// (only the words the installed modules use; `new` in the memory module).
pub const RHAI_RESERVED: &[&str] = &[
    "use",
    "case",
    "async",
    "public",
    "package",
    "super",
    "var",
    "protected",
    "spawn",
    "shared",
    "is",
    "sync",
    "static",
    "default",
    "thread",
    "yield",
    "new",
    "match",
    "await",
    "null",
    "with",
    "void",
    "nil",
    "module",
    "go",
    "goto",
];

/// Whether `word` is a Lua keyword.
pub fn is_lua_keyword(word: &str) -> bool {
    LUA_KEYWORDS.contains(&word)
}

/// Whether Rhai reserves `word` for later use (and the bridge maps it to a name).
pub fn is_rhai_reserved(word: &str) -> bool {
    RHAI_RESERVED.contains(&word)
}

/// Why a module may not be named `word`: the engines that keep it (`goost, Lua and
/// Rhai`), or `None` when none does.
pub fn module_name_refusal(word: &str) -> Option<String> {
    let engines: Vec<&str> = [
        ("goost", GOOST_KEYWORDS.contains(&word)),
        ("Lua", LUA_KEYWORDS.contains(&word)),
        (
            "Rhai",
            RHAI_KEYWORDS.contains(&word) || RHAI_RESERVED.contains(&word),
        ),
    ]
    .into_iter()
    .filter_map(|(engine, keeps)| keeps.then_some(engine))
    .collect();
    (!engines.is_empty()).then(|| {
        format!(
            "a module cannot be named `{word}`: it is a keyword in {}, where scripts name the module on its own",
            join_and(&engines)
        )
    })
}

/// Why a group or function may not be named `word` (its last part), or `None`.
pub fn member_name_refusal(word: &str, what: &str) -> Option<String> {
    RHAI_KEYWORDS.contains(&word).then(|| {
        format!(
            "a {what} cannot be named `{word}`: it is a keyword in Rhai, where `m::{word}` does not parse; choose another name"
        )
    })
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A parameter's name where it must be a Lua name (the definitions): a Lua keyword gets
/// a `_` after it (`end_`).
pub fn lua_param_name(name: &str) -> String {
    if is_lua_keyword(name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

/// The Lua expression of the dotted path `m.g.f`: each part that is a Lua keyword indexed
/// by its string (`text.fmt["repeat"]`), the others after a `.`.
pub fn lua_path(dotted: &str) -> String {
    let mut out = String::with_capacity(dotted.len() + 4);
    for (index, part) in dotted.split('.').enumerate() {
        if index > 0 && is_lua_keyword(part) {
            out.push_str("[\"");
            out.push_str(part);
            out.push_str("\"]");
        } else {
            if index > 0 {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lua_path_indexes_each_keyword_part() {
        assert_eq!(lua_path("text.fmt.repeat"), "text.fmt[\"repeat\"]");
        assert_eq!(lua_path("m.end.f"), "m[\"end\"].f");
        assert_eq!(lua_path("memory.buffer.new"), "memory.buffer.new");
    }

    #[test]
    fn a_module_named_like_a_keyword_names_the_engines_that_keep_it() {
        assert_eq!(
            module_name_refusal("if").as_deref(),
            Some(
                "a module cannot be named `if`: it is a keyword in goost, Lua and Rhai, where scripts name the module on its own"
            )
        );
        assert_eq!(
            module_name_refusal("end").as_deref(),
            Some(
                "a module cannot be named `end`: it is a keyword in Lua, where scripts name the module on its own"
            )
        );
        assert_eq!(module_name_refusal("text"), None);
    }

    #[test]
    fn a_function_named_like_a_rhai_keyword_is_refused_and_a_reserved_word_is_not() {
        assert_eq!(
            member_name_refusal("fn", "function").as_deref(),
            Some(
                "a function cannot be named `fn`: it is a keyword in Rhai, where `m::fn` does not parse; choose another name"
            )
        );
        assert_eq!(member_name_refusal("match", "function"), None);
        assert_eq!(member_name_refusal("repeat", "function"), None);
    }

    #[test]
    fn no_word_is_both_a_rhai_keyword_and_reserved() {
        for word in RHAI_KEYWORDS {
            assert!(!RHAI_RESERVED.contains(word), "{word}");
        }
    }
}
