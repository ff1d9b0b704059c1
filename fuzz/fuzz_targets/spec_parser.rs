//! The spec parser on arbitrary text: never a panic; an error always has a position.
#![no_main]

use libfuzzer_sys::fuzz_target;

use goost_spec as spec;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match spec::parse(text) {
        Ok(parsed) => {
            for function in parsed.functions() {
                assert!(function.signature().starts_with(&parsed.module));
            }
        }
        Err(error) => {
            assert!(error.line >= 1 && error.col >= 1, "{error:?}");
            assert!(error.line <= text.lines().count().max(1) + 1, "{error:?}");
        }
    }
});
