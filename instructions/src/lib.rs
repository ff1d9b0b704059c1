//! Nothing but a home for `benches/glue_instructions.rs`: the callgrind instruction counts
//! of the memory natives' glue, each row with a ceiling that fails the run (`.ci/run` runs
//! it). Run it with `cargo bench -p goost-instructions` after
//! `cargo install --version 0.18.2 gungraun-runner`.
