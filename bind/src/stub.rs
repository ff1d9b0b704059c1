//! The Rust function to write for a spec function the registry finds unbound: what
//! `Registry::check_against_spec` shows beside each missing native.

use goost_spec::Engine;

use crate::FnSpec;

/// The Rust function to write for a spec function: `#[native("m.g.f")]` and a signature
/// with the usual Rust type of each script type.
pub(crate) fn stub(function: &FnSpec) -> String {
    let params: Vec<String> = function
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, Engine::usual_rust_type(p.ty, true)))
        .collect();
    let ret = format!(
        " -> Result<{}, Error>",
        Engine::usual_rust_type(function.ret, false)
    );
    format!(
        "#[native(\"{}\")]\nfn {}({}){ret} {{\n    todo!()\n}}",
        function.name,
        function.short_name(),
        params.join(", ")
    )
}
