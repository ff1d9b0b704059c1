//! Runs the seed example in this host's Lua, then a buffer in Rhai.

fn main() {
    println!("-- {}", embedder::LUA);
    match embedder::lua_prints(include_str!("../../seed.lua")) {
        Ok(lines) => lines.iter().for_each(|line| println!("{line}")),
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
    println!("-- Rhai");
    match embedder::rhai_eval(
        r#"let b = memory::buffer::new(); memory::buffer::write(b, "hi"); memory::buffer::read(b)"#,
    ) {
        Ok(text) => println!("{text}"),
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
