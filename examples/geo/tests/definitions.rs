//! What Rhai's own `Engine::definitions()` prints for an install, against the committed
//! `.d.rhai` files the generator writes from the specs (kept fresh by the docs tests): the
//! memory module's (functions in modules), and this module's (records, enums, maps and
//! lists as Rhai passes them, and a class: its type functions and methods in Rhai's
//! static part). The registrations that only refuse (a wrong count or type, another
//! class's method) are left out of the comparison: the files list what a script may call.
#![cfg(feature = "rhai-metadata")]

use goost_memory::Context;
use goost_memory::hosts::rhai::{self as bridge, rhai};

// Links the module's natives.
use geo_module as _;

/// The doc comments of the registrations that only refuse, as a Rhai user sees them.
const REFUSING_COMMENTS: [&str; 2] = [
    "/// (any other argument count or types: refused with the function's signature)",
    "/// (a method of another class: refused, naming this class's methods)",
];

/// The entries of a Rhai definition text (an item with its comments, as Rhai separates
/// them by a blank line), each `module NAME {` that opens a module and each `}` that
/// closes one as an entry of its own, without the registrations that only refuse.
fn entries(text: &str) -> Vec<String> {
    let mut entries = Vec::new();
    for mut entry in text.split("\n\n").map(str::trim).filter(|e| !e.is_empty()) {
        while let Some((header, rest)) = entry.split_once('\n').filter(|(h, _)| h.ends_with('{')) {
            entries.push(header.to_string());
            entry = rest;
        }
        let body = entry.trim_end_matches('}');
        let closings = entry.len() - body.len();
        if !REFUSING_COMMENTS.iter().any(|c| body.starts_with(c)) && !body.is_empty() {
            entries.push(body.to_string());
        }
        entries.extend(std::iter::repeat_n("}".to_string(), closings));
    }
    entries
}

/// Rhai's definitions of `module` after an install of it on a plain engine: its module
/// text, and the entries of its static part that name one of `classes`.
fn printed(module: &str, classes: &[&str]) -> (String, Vec<String>) {
    let mut engine = rhai::Engine::new();
    bridge::install_modules(&mut engine, Context::builder().build(), &[module]).unwrap();
    let definitions = engine.definitions();
    let text = definitions
        .modules()
        .find(|(name, _)| name == module)
        .map(|(_, text)| text)
        .expect("the module is installed");
    let statics: Vec<String> = definitions
        .iter_files()
        .filter(|(file, _)| file == "__static__.d.rhai")
        .flat_map(|(_, text)| entries(&text))
        .filter(|entry| classes.iter().any(|class| entry.contains(class)))
        .collect();
    (text, statics)
}

/// A generated definition file without its leading `//` lines: its static part (empty
/// for a module without classes) and its module's part.
fn generated(file: &'static str) -> (&'static str, &'static str) {
    let start = file
        .find("\nmodule ")
        .expect("a module line after the comments");
    let body = &file[start + "\nmodule ".len()..];
    match body.strip_prefix("static;\n\n") {
        Some(rest) => {
            let (statics, module) = rest.split_once("\n\nmodule ").expect("the module block");
            let (_, module) = module.split_once(" {\n").expect("the block's brace");
            (
                statics,
                module
                    .trim_end()
                    .strip_suffix('}')
                    .expect("the block's end"),
            )
        }
        None => (
            "",
            body.split_once(";\n\n").expect("the module line's end").1,
        ),
    }
}

#[test]
fn the_memory_modules_definitions_are_what_rhai_prints_for_its_typed_registration() {
    let (printed, _) = printed("memory", &[]);
    let (statics, module) = generated(include_str!("../../../defs/memory.d.rhai"));
    assert_eq!(statics, "");
    assert_eq!(entries(&printed), entries(module));
    // Spot-check the text a Rhai user sees.
    assert!(
        printed.contains("/// Append data to the buffer\nfn write(id: int, data: string) -> bool;")
    );
    assert!(printed.contains("/// Release the buffer\nfn free(id: int) -> ();"));
}

#[test]
fn the_geo_modules_definitions_are_what_rhai_prints_for_its_functions_and_class() {
    let (printed, statics) = printed("geo", &["geo.Path"]);
    let (our_statics, module) = generated(include_str!("../defs/geo.d.rhai"));
    assert_eq!(entries(&printed), entries(module));
    assert_eq!(statics, entries(our_statics));
    // Spot-check the text a Rhai user sees: the object first, as `this`.
    let push = "/// Appends the point (x, y); the number of points\n\
                fn push(this: geo.Path, x: float, y: float) -> int;";
    assert!(statics.contains(&push.to_string()), "{statics:#?}");
}
