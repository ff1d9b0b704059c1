//! The script checker on arbitrary text, in each language (the first byte picks goost,
//! Lua or Rhai): findings with positions, never a panic or a stack overflow.
#![no_main]

use goost_spec::check::Checker;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&language, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(spec) = goost_memory::MEMORY_SPEC.parsed() else {
        return;
    };
    let checker = Checker::new([&spec]);
    let findings = match language % 3 {
        0 => goost_memory::host::check(text, &checker),
        1 => goost_lua::check::check(text, &checker),
        _ => goost_rhai::check::check(text, &checker),
    };
    for finding in findings {
        assert!(finding.line >= 1 && finding.col >= 1, "{finding}");
    }
});
