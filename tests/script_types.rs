//! Issue 16: a module with a function for each script type shape (`float`, `list<T>`,
//! `T?`, bytes) is bound from its spec and called from goost, Lua and Rhai, with right
//! and wrong arguments; results and error texts are exact.

use goost_memory::{Context, Error, ListRef, host, native};

#[native("shapes.num.hypot", spec = "tests/fixture/shapes.spec")]
fn hypot(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

#[native("shapes.num.sum", spec = "tests/fixture/shapes.spec")]
fn sum(xs: ListRef<i64>) -> Result<i64, Error> {
    xs.iter()
        .try_fold(0i64, |total, x| total.checked_add(x))
        .ok_or_else(|| Error::msg("the sum overflows an int"))
}

#[native("shapes.text.pad", spec = "tests/fixture/shapes.spec")]
fn pad(s: &str, width: Option<i64>) -> Result<String, Error> {
    let width = width.unwrap_or(8);
    let width =
        usize::try_from(width).map_err(|_| Error::msg(format!("width {width} is negative")))?;
    Ok(format!("{s:>width$}"))
}

#[native("shapes.text.first", spec = "tests/fixture/shapes.spec")]
fn first(xs: Vec<String>) -> Option<String> {
    xs.into_iter().next()
}

#[native("shapes.text.checksum", spec = "tests/fixture/shapes.spec")]
fn checksum(data: &[u8]) -> i64 {
    data.iter().map(|b| i64::from(*b)).sum()
}

#[native("shapes.wide.total", spec = "tests/fixture/shapes.spec")]
fn total(a: i64, b: i64, c: i64, d: i64, e: i64, f: i64) -> i64 {
    a + b + c + d + e + f
}

#[native("shapes.wide.digits", spec = "tests/fixture/shapes.spec")]
#[allow(clippy::too_many_arguments)]
fn digits(
    a: i64,
    b: i64,
    c: i64,
    d: i64,
    e: i64,
    f: i64,
    g: i64,
    h: i64,
    i: i64,
    j: i64,
    k: i64,
    l: i64,
    m: i64,
    n: i64,
    o: i64,
    suffix: Option<&str>,
) -> String {
    let ints = [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o];
    let mut out: String = ints.iter().map(i64::to_string).collect();
    out.push_str(suffix.unwrap_or(""));
    out
}

/// What a goost script prints, or its error.
fn goost(source: &str) -> Result<String, String> {
    let mut out = Vec::new();
    host::run(
        "t.goost",
        &format!("import shapes\n{source}"),
        &Context::new(),
        &mut out,
    )?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn goost_calls_each_shape_with_right_arguments() {
    assert_eq!(
        goost(
            "print(shapes.num.hypot(3.0, 4.0))\n\
             print(shapes.num.hypot(3, 4))\n\
             print(shapes.num.sum([1, 2, 39]))\n\
             print(shapes.num.sum([]))\n\
             print(shapes.text.pad(\"ab\", 5) + \"|\")\n\
             print(shapes.text.pad(\"ab\") + \"|\")\n\
             print(shapes.text.pad(\"ab\", nil) + \"|\")\n\
             print(shapes.text.first([\"x\", \"y\"]))\n\
             print(shapes.text.first([]))\n\
             print(shapes.text.checksum(\"\\x00\\xff\\x01\"))\n\
             print(shapes.wide.total(1, 2, 3, 4, 5, 6))\n"
        ),
        Ok("5\n5\n42\n0\n   ab|\n      ab|\n      ab|\nx\nnil\n256\n21\n".to_string())
    );
}

#[test]
fn goost_reports_wrong_arguments_exactly() {
    let cases = [
        (
            "shapes.num.hypot(\"3\", 4.0)",
            "t.goost:2:1: shapes.num.hypot(x: float, y: float) -> float: argument 1 (x) expects float, got string",
        ),
        (
            "shapes.num.sum([1, \"2\"])",
            "t.goost:2:1: shapes.num.sum(xs: list<int>) -> int: argument 1 (xs) expects list<int>, got a list whose element 2 is string",
        ),
        (
            "shapes.num.sum(1)",
            "t.goost:2:1: shapes.num.sum(xs: list<int>) -> int: argument 1 (xs) expects list<int>, got int",
        ),
        (
            "shapes.text.pad(\"a\", 1.5)",
            "t.goost:2:1: shapes.text.pad(s: string, width: int?) -> string: argument 2 (width) expects int?, got float",
        ),
        (
            "shapes.text.pad(\"\\xff\")",
            "t.goost:2:1: shapes.text.pad(s: string, width: int?) -> string: argument 1 (s) expects string, got a string that is not UTF-8 text (invalid at byte 0)",
        ),
        (
            "shapes.text.pad(\"a\", -1)",
            "t.goost:2:1: shapes.text.pad: width -1 is negative",
        ),
        (
            "shapes.text.pad()",
            "t.goost:2:1: shapes.text.pad(s: string, width: int?) -> string: expects 1 to 2 arguments, got 0",
        ),
        (
            "shapes.text.first([\"a\", 2])",
            "t.goost:2:1: shapes.text.first(xs: list<string>) -> string?: argument 1 (xs) expects list<string>, got a list whose element 2 is int",
        ),
        (
            "shapes.text.checksum(7)",
            "t.goost:2:1: shapes.text.checksum(data: string) -> int: argument 1 (data) expects string, got int",
        ),
    ];
    for (call, error) in cases {
        assert_eq!(goost(call), Err(error.to_string()), "{call}");
    }
}

#[test]
fn goost_errors_keep_the_natives_error_value() {
    let error = host::run(
        "t.goost",
        "import memory
let b = memory.buffer.new()
memory.buffer.free(b)
print(memory.buffer.len(b))
",
        &Context::new(),
        std::io::sink(),
    )
    .unwrap_err();
    // The text is the command's, and a host that treats the error as text still can.
    assert_eq!(error, "t.goost:4:7: memory.buffer.len: handle 1 was freed");
    assert_eq!(error.file(), "t.goost");
    // `source()` is the native's own error, in which the module's error type is found.
    let source = std::error::Error::source(&error).expect("a native's error has a source");
    let native = source
        .downcast_ref::<goost_memory::Error>()
        .expect("the source is the native's goost_memory::Error");
    assert_eq!(
        native.downcast_ref::<goost_memory::MemoryError>(),
        Some(&goost_memory::MemoryError::FreedHandle { handle: 1 })
    );
    assert_eq!(error.native_error(), Some(native));
    // An error of the script itself has no source.
    let error = host::run("t.goost", "print(1 / 0)", &Context::new(), std::io::sink()).unwrap_err();
    assert_eq!(error, "t.goost:1:9: division by zero in `/`");
    assert!(std::error::Error::source(&error).is_none());
}

#[test]
fn goost_strings_are_bytes_through_the_memory_module() {
    assert_eq!(
        goost(
            "import memory\n\
             let b = memory.buffer.new()\n\
             memory.buffer.write(b, \"\\x00\\xff\\x01\")\n\
             let back = memory.buffer.read(b)\n\
             print(memory.buffer.len(b), len(back), shapes.text.checksum(back))\n\
             print(back == \"\\x00\\xff\\x01\")\n"
        ),
        Ok("3 3 256\ntrue\n".to_string())
    );
    // `print` writes the bytes as they are.
    let mut out = Vec::new();
    host::run(
        "t.goost",
        "print(\"\\xff\\x00\")\n",
        &Context::new(),
        &mut out,
    )
    .unwrap();
    assert_eq!(out, b"\xff\x00\n");
}

#[cfg(feature = "lua")]
mod lua {
    use goost_memory::Context;
    use goost_memory::hosts::lua::{self, mlua};

    fn lua_vm() -> mlua::Lua {
        let vm = mlua::Lua::new();
        lua::install(&vm, Context::new()).unwrap();
        vm
    }

    fn error(vm: &mlua::Lua, script: &str) -> String {
        match vm.load(script).exec().unwrap_err() {
            mlua::Error::CallbackError { cause, .. } => cause.to_string(),
            other => other.to_string(),
        }
    }

    #[test]
    fn lua_calls_each_shape_with_right_arguments() {
        let vm = lua_vm();
        let results: (
            f64,
            f64,
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            i64,
            i64,
        ) = vm
            .load(
                "local s = require('shapes')
                 return s.num.hypot(3, 4), s.num.hypot(1.5, 2), s.num.sum({1, 2, 39}),
                        s.text.pad('ab', 5), s.text.pad('ab'), s.text.first({'x', 'y'}),
                        s.text.first({}), s.text.checksum('\\0\\255\\1'),
                        s.wide.total(1, 2, 3, 4, 5, 6)",
            )
            .eval()
            .unwrap();
        assert_eq!(
            results,
            (
                5.0,
                2.5,
                42,
                "   ab".to_string(),
                "      ab".to_string(),
                Some("x".to_string()),
                None,
                256,
                21
            )
        );
    }

    const DIGITS: &str = "shapes.wide.digits(a: int, b: int, c: int, d: int, e: int, f: int, g: int, h: int, i: int, j: int, k: int, l: int, m: int, n: int, o: int, suffix: string?) -> string";

    #[test]
    fn lua_calls_a_native_of_sixteen_parameters() {
        let vm = lua_vm();
        let (with, without, trailing_nil): (String, String, String) = vm
            .load(
                "local w = require('shapes').wide
                 return w.digits(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, '!'),
                        w.digits(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5),
                        w.digits(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, nil)",
            )
            .eval()
            .unwrap();
        assert_eq!(
            (with.as_str(), without.as_str(), trailing_nil.as_str()),
            ("123456789012345!", "123456789012345", "123456789012345")
        );
    }

    #[test]
    fn lua_tables_longer_than_luas_stack_convert_because_each_element_is_popped() {
        // Lua's stack holds at most 1,000,000 values: were an element or a table entry
        // left on it, this conversion would be refused as too deep for Lua's stack.
        let vm = lua_vm();
        let (sum, keys): (i64, String) = vm
            .load(
                "local t = {} for i = 1, 1100000 do t[i] = 1 end
                 local u = {} for i = 1, 1100000 do u[i] = 1 end u.k = true
                 local ok, err = pcall(require('shapes').num.sum, u)
                 return require('shapes').num.sum(t), tostring(err)",
            )
            .eval()
            .unwrap();
        assert_eq!(sum, 1_100_000);
        assert_eq!(
            keys.lines().next(),
            Some(
                "shapes.num.sum(xs: list<int>) -> int: argument 1 is a Lua table that is not a sequence (it has the key \"k\"), so not a list"
            )
        );
    }

    #[test]
    fn lua_tables_and_values_without_a_script_type_are_refused_whole() {
        let vm = lua_vm();
        let cases = [
            (
                "require('shapes').num.sum(print)",
                "shapes.num.sum(xs: list<int>) -> int: argument 1 is a Lua function, which has no script type",
            ),
            (
                "local t = {} t[1] = t require('shapes').num.sum(t)",
                // Converted only as far as `list<int>` asks: its element is a table, not an int.
                "shapes.num.sum(xs: list<int>) -> int: argument 1 (xs) expects list<int>, got a list whose element 1 is table",
            ),
            (
                "require('shapes').num.sum({1, nil, 3})",
                "shapes.num.sum(xs: list<int>) -> int: argument 1 is a Lua table with holes, so not a list",
            ),
            (
                "require('shapes').num.sum({[1.5] = 1})",
                "shapes.num.sum(xs: list<int>) -> int: argument 1 is a Lua table that is not a sequence (it has the key 1.5), so not a list",
            ),
            (
                "require('shapes').num.sum({1, {2}})",
                "shapes.num.sum(xs: list<int>) -> int: argument 1 (xs) expects list<int>, got a list whose element 2 is table",
            ),
            (
                "require('shapes').text.first({'a', coroutine.create(print)})",
                "shapes.text.first(xs: list<string>) -> string?: argument 1 is a table whose element 2 is a Lua thread, which has no script type",
            ),
            (
                "require('shapes').num.hypot(table.unpack({}, 1, 300))",
                "shapes.num.hypot(x: float, y: float) -> float: expects 2 arguments, got 300",
            ),
        ];
        for (script, expected) in cases {
            assert_eq!(error(&vm, script), expected, "{script}");
        }
        // The state goes on after each refusal.
        let sum: i64 = vm
            .load("return require('shapes').num.sum({1, 2, 3.0})")
            .eval()
            .unwrap();
        assert_eq!(sum, 6);
    }

    #[test]
    fn lua_calls_natives_from_coroutines_and_under_pcall() {
        let vm = lua_vm();
        let (padded, ok, message): (String, bool, String) = vm
            .load(
                "local text = require('shapes').text
                 local co = coroutine.wrap(function(s)
                     coroutine.yield(text.pad(s, 4))
                 end)
                 local ok, err = pcall(text.pad, 'a', -1)
                 return co('ab'), ok, tostring(err)",
            )
            .eval()
            .unwrap();
        assert_eq!((padded.as_str(), ok), ("  ab", false));
        assert!(
            message.contains("shapes.text.pad: width -1 is negative"),
            "{message}"
        );
    }

    #[test]
    fn lua_string_results_within_a_memory_limit_fail_as_errors() {
        let vm = lua_vm();
        vm.load(
            "m = require('memory')
             b = m.buffer.new()
             m.buffer.write(b, string.rep('x', 200000))",
        )
        .exec()
        .unwrap();
        let read = || vm.load("return m.buffer.read(b)").eval::<mlua::String>();
        assert_eq!(read().unwrap().as_bytes().len(), 200_000);
        vm.gc_collect().unwrap();
        vm.set_memory_limit(vm.used_memory() + 50_000).unwrap();
        let error = read().unwrap_err();
        // Lua's own memory error, raised from the string the result needed (made with
        // Lua's C API, so it reaches the host as Lua raised it).
        assert!(
            matches!(&error, mlua::Error::MemoryError(message) if message == "not enough memory"),
            "{error:?}"
        );
        vm.set_memory_limit(0).unwrap();
        assert_eq!(read().unwrap().as_bytes().len(), 200_000);
    }

    #[test]
    fn lua_install_while_the_hosts_app_data_is_borrowed_is_an_error_not_a_panic() {
        let vm = mlua::Lua::new();
        vm.set_app_data(7u32);
        let guard = vm.app_data_ref::<u32>().unwrap();
        let error = lua::install(&vm, Context::new()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "runtime error: cannot install into this Lua state while its app data is borrowed (a `Lua::app_data_ref` or `app_data_mut` guard is alive)"
        );
        assert!(vm.load("return require('memory')").exec().is_err());
        drop(guard);
        lua::install(&vm, Context::new()).unwrap();
        let n: i64 = vm
            .load("local m = require('memory') return m.buffer.len(m.buffer.new())")
            .eval()
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn lua_errors_keep_the_natives_error_value() {
        let vm = lua_vm();
        let error = vm
            .load(
                "local m = require('memory')
                 local b = m.buffer.new()
                 m.buffer.free(b)
                 return m.buffer.len(b)",
            )
            .exec()
            .unwrap_err();
        let mlua::Error::CallbackError { cause, .. } = &error else {
            panic!("expected a callback error, got {error:?}");
        };
        let native = cause
            .downcast_ref::<goost_memory::Error>()
            .expect("the native's own error travels whole");
        assert_eq!(
            native.downcast_ref::<goost_memory::MemoryError>(),
            Some(&goost_memory::MemoryError::FreedHandle { handle: 1 })
        );
        assert_eq!(native.to_string(), "memory.buffer.len: handle 1 was freed");
        // A wrong argument is the glue's own error, of kind `Arity`.
        let error = vm
            .load("require('shapes').num.hypot(1)")
            .exec()
            .unwrap_err();
        let mlua::Error::CallbackError { cause, .. } = &error else {
            panic!("expected a callback error, got {error:?}");
        };
        let glue = cause.downcast_ref::<goost_memory::Error>().unwrap();
        assert_eq!(
            glue.kind(),
            &goost_memory::ErrorKind::Arity {
                min: 2,
                expected: 2,
                got: 1
            }
        );
    }

    #[test]
    fn lua_reports_wrong_arguments_exactly() {
        let vm = lua_vm();
        let cases = [
            (
                "require('shapes').num.hypot('3', 4)",
                "shapes.num.hypot(x: float, y: float) -> float: argument 1 (x) expects float, got string",
            ),
            (
                "require('shapes').num.sum({1, 'x'})",
                "shapes.num.sum(xs: list<int>) -> int: argument 1 (xs) expects list<int>, got a list whose element 2 is string",
            ),
            (
                "require('shapes').num.sum({1, 2, k = 3})",
                "shapes.num.sum(xs: list<int>) -> int: argument 1 is a Lua table that is not a sequence (it has the key \"k\"), so not a list",
            ),
            (
                "require('shapes').text.pad('a', 1.5)",
                "shapes.text.pad(s: string, width: int?) -> string: argument 2 (width) expects int?, got float",
            ),
            (
                "require('shapes').text.pad()",
                "shapes.text.pad(s: string, width: int?) -> string: expects 1 to 2 arguments, got 0",
            ),
            (
                "require('shapes').text.checksum(true)",
                "shapes.text.checksum(data: string) -> int: argument 1 (data) expects string, got bool",
            ),
            // Counts: too many, too few; a `nil` passed is an argument, not a left-out one.
            (
                "require('shapes').num.hypot(1, 2, 3)",
                "shapes.num.hypot(x: float, y: float) -> float: expects 2 arguments, got 3",
            ),
            (
                "require('shapes').num.hypot(1)",
                "shapes.num.hypot(x: float, y: float) -> float: expects 2 arguments, got 1",
            ),
            (
                "require('shapes').num.hypot(1, nil)",
                "shapes.num.hypot(x: float, y: float) -> float: argument 2 (y) expects float, got nil",
            ),
            (
                "require('shapes').num.hypot(nil, 2)",
                "shapes.num.hypot(x: float, y: float) -> float: argument 1 (x) expects float, got nil",
            ),
            (
                "require('shapes').wide.total(1, 2, 3, 4, 5)",
                "shapes.wide.total(a: int, b: int, c: int, d: int, e: int, f: int) -> int: expects 6 arguments, got 5",
            ),
            // Sixteen parameters: more than the bridge lends from a buffer on the stack.
            (
                "require('shapes').wide.digits(1, 2, 3)",
                &format!("{DIGITS}: expects 15 to 16 arguments, got 3"),
            ),
            (
                "require('shapes').wide.digits(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 'x', 7)",
                &format!("{DIGITS}: expects 15 to 16 arguments, got 17"),
            ),
            (
                "require('shapes').wide.digits(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6)",
                &format!("{DIGITS}: argument 16 (suffix) expects string?, got int"),
            ),
        ];
        for (script, expected) in cases {
            assert_eq!(error(&vm, script), expected, "{script}");
        }
    }
}

#[cfg(feature = "rhai")]
mod rhai {
    use goost_memory::Context;
    use goost_memory::hosts::rhai::{self, rhai::Engine};

    fn engine() -> Engine {
        let mut engine = Engine::new();
        rhai::install(&mut engine, Context::new()).unwrap();
        engine
    }

    #[test]
    fn rhai_calls_each_shape_with_right_arguments() {
        let engine = engine();
        let eval = |script: &str| {
            engine
                .eval::<goost_memory::hosts::rhai::rhai::Dynamic>(script)
                .unwrap()
                .to_string()
        };
        assert_eq!(eval("shapes::num::hypot(3.0, 4.0)"), "5.0");
        assert_eq!(eval("shapes::num::hypot(3, 4)"), "5.0");
        assert_eq!(eval("shapes::num::sum([1, 2, 39])"), "42");
        assert_eq!(eval("shapes::text::pad(\"ab\", 5)"), "   ab");
        assert_eq!(eval("shapes::text::pad(\"ab\")"), "      ab");
        assert_eq!(eval("shapes::text::pad(\"ab\", ())"), "      ab");
        assert_eq!(eval("shapes::text::first([\"x\", \"y\"])"), "x");
        let nothing = engine
            .eval::<goost_memory::hosts::rhai::rhai::Dynamic>("shapes::text::first([])")
            .unwrap();
        assert!(nothing.is_unit(), "{nothing:?}");
        // A Blob passes any bytes; a string passes its UTF-8 bytes.
        assert_eq!(
            eval("let b = blob(3, 0); b[1] = 255; b[2] = 1; shapes::text::checksum(b)"),
            "256"
        );
        assert_eq!(eval("shapes::text::checksum(\"é\")"), "364");
        // Natives of any arity (up to Rhai's 20).
        assert_eq!(eval("shapes::wide::total(1, 2, 3, 4, 5, 6)"), "21");
        assert_eq!(
            eval("shapes::wide::digits(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, \"!\")"),
            "123456789012345!"
        );
    }

    #[test]
    fn rhai_gets_bytes_that_are_not_text_as_a_blob() {
        let engine = engine();
        let read: goost_memory::hosts::rhai::rhai::Blob = engine
            .eval(
                "let b = memory::buffer::new();
                 let bytes = blob(3, 0); bytes[1] = 255; bytes[2] = 1;
                 memory::buffer::write(b, bytes);
                 memory::buffer::read(b)",
            )
            .unwrap();
        assert_eq!(read, vec![0, 255, 1]);
        let text: String = engine
            .eval("let b = memory::buffer::new(); memory::buffer::write(b, \"hi\"); memory::buffer::read(b)")
            .unwrap();
        assert_eq!(text, "hi");
    }

    #[test]
    fn rhai_native_errors_are_placed_at_their_call_as_rhais_own_are() {
        let engine = engine();
        let error = engine
            .run("let b = memory::buffer::new();\nmemory::buffer::free(b);\nlet n =  memory::buffer::len(b);")
            .unwrap_err();
        assert_eq!(error.position(), rhai::rhai::Position::new(3, 26));
        assert_eq!(
            error.to_string(),
            "Runtime error: memory.buffer.len: handle 1 was freed (line 3, position 26)"
        );
        // At the called name, as Rhai places its own errors of a call (an unknown
        // function, a wrong argument type); its operators at the operator.
        let own = engine.run("let b = 1;\n\nlet n =  b / 0;").unwrap_err();
        assert_eq!(
            own.to_string(),
            "Division by zero: 1 / 0 (line 3, position 12)"
        );
    }

    #[test]
    fn rhai_errors_as_values_reach_the_host_whole_and_scripts_as_text() {
        let mut valued = Engine::new();
        rhai::Installer::new(Context::new())
            .error_values()
            .install(&mut valued)
            .unwrap();
        let error = valued
            .run("let b = memory::buffer::new(); memory::buffer::free(b); memory::buffer::len(b)")
            .unwrap_err();
        let rhai::rhai::EvalAltResult::ErrorRuntime(value, position) = *error else {
            panic!("expected a runtime error");
        };
        assert_eq!(position, rhai::rhai::Position::new(1, 73));
        let native = value
            .try_cast::<goost_memory::Error>()
            .expect("the value is the native's goost_memory::Error");
        assert_eq!(
            native.downcast_ref::<goost_memory::MemoryError>(),
            Some(&goost_memory::MemoryError::FreedHandle { handle: 1 })
        );
        // A script that catches it sees its text (the slot of handle 1 reused: a new
        // generation).
        let caught: String = valued
            .eval(
                "let b = memory::buffer::new(); memory::buffer::free(b);
                 let r = \"\";
                 try { memory::buffer::len(b); } catch (e) { r = `${e} | ` + e.to_string(); }
                 r",
            )
            .unwrap();
        assert_eq!(
            caught,
            "memory.buffer.len: handle 4294967297 was freed | memory.buffer.len: handle 4294967297 was freed"
        );
        // By default the value is the text.
        let error = engine().run("memory::buffer::len(7)").unwrap_err();
        let rhai::rhai::EvalAltResult::ErrorRuntime(value, _) = *error else {
            panic!("expected a runtime error");
        };
        assert_eq!(
            value.into_string().as_deref(),
            Ok("memory.buffer.len: handle 7 is not a buffer handle: this context never issued it")
        );
    }

    #[test]
    #[allow(deprecated)] // Rhai marks `on_parse_token` volatile, not deprecated.
    fn rhai_install_never_replaces_a_hosts_token_mapper_and_chains_one_handed_over() {
        use goost_memory::hosts::rhai::rhai::{LexError, Token};
        let refuse_forbidden = |token: Token| match token {
            Token::Identifier(name) if name.as_str() == "forbidden" => Token::LexError(Box::new(
                LexError::ImproperSymbol(name.to_string(), "no".to_string()),
            )),
            other => other,
        };
        // A mapper set on the engine: install refuses and leaves the engine as it was.
        let mut engine = Engine::new();
        engine.on_parse_token(move |token, _, _| refuse_forbidden(token));
        let error = rhai::install(&mut engine, Context::new()).unwrap_err();
        assert!(
            matches!(error, rhai::InstallError::TokenMapperSet),
            "{error}"
        );
        assert!(engine.compile("forbidden").is_err());
        assert!(
            engine.eval::<i64>("shapes::num::sum([1])").is_err(),
            "nothing was installed"
        );
        // The same mapper handed to the installer: both mappings apply.
        let mut engine = Engine::new();
        rhai::Installer::new(Context::new())
            .modules(&["memory", "shapes"])
            .chain_token_mapper(move |token, _, _| refuse_forbidden(token))
            .install(&mut engine)
            .unwrap();
        assert!(engine.compile("forbidden").is_err());
        assert_eq!(engine.eval::<i64>("shapes::num::sum([1, 2])").unwrap(), 3);
        let b: i64 = engine.eval("memory::buffer::new()").unwrap();
        assert!(b > 0);
        // Installing twice keeps the mapper the first install set.
        let mut engine = Engine::new();
        rhai::install_modules(&mut engine, Context::new(), &["shapes"]).unwrap();
        rhai::install_modules(&mut engine, Context::new(), &["memory"]).unwrap();
        assert!(engine.eval::<i64>("memory::buffer::new()").is_ok());
        assert_eq!(engine.eval::<i64>("shapes::num::sum([4])").unwrap(), 4);
        // The refusal's text names the way out.
        let mut engine = Engine::new();
        engine.on_parse_token(|token, _, _| token);
        assert_eq!(
            rhai::install(&mut engine, Context::new())
                .unwrap_err()
                .to_string(),
            "the Rhai engine already has a token mapper (Engine::on_parse_token), which Rhai gives no way to read back; pass it to Installer::chain_token_mapper instead of setting it on the engine, so that it runs before the bridge's own mapping"
        );
    }

    #[test]
    fn rhai_reports_wrong_arguments_exactly() {
        let engine = engine();
        let error = |script: &str| engine.run(script).unwrap_err().to_string();
        assert_eq!(
            error("shapes::num::sum([1, \"x\"])"),
            "Runtime error: shapes.num.sum(xs: list<int>) -> int: argument 1 (xs) expects list<int>, got a list whose element 2 is string (line 1, position 14)"
        );
        assert_eq!(
            error("shapes::num::hypot(\"3\", 4.0)"),
            "Runtime error: shapes.num.hypot(x: float, y: float) -> float: argument 1 (x) expects float, got string (line 1, position 14)"
        );
        // A wrong count is the native's own error, not Rhai's "function not found".
        assert_eq!(
            error("shapes::num::hypot(1.0)"),
            "Runtime error: shapes.num.hypot(x: float, y: float) -> float: expects 2 arguments, got 1 (line 1, position 14)"
        );
        assert_eq!(
            error("shapes::wide::total(1, 2, 3, 4, 5)"),
            "Runtime error: shapes.wide.total(a: int, b: int, c: int, d: int, e: int, f: int) -> int: expects 6 arguments, got 5 (line 1, position 15)"
        );
        assert_eq!(
            error("shapes::text::pad(\"a\", 1.5)"),
            "Runtime error: shapes.text.pad(s: string, width: int?) -> string: argument 2 (width) expects int?, got float (line 1, position 15)"
        );
    }
}

/// Any arguments, of any shape and count, through both bridges: every call either returns
/// or fails with an error naming the function, and the engine goes on.
#[cfg(all(feature = "lua", feature = "rhai"))]
mod any_arguments {
    use goost_memory::Context;
    use goost_memory::hosts::lua::{self, mlua};
    use goost_memory::hosts::rhai::{self, rhai::Engine};
    use proptest::prelude::*;

    /// A script argument, written out in each engine's syntax.
    #[derive(Clone, Debug)]
    enum Arg {
        Nil,
        Bool(bool),
        Int(i64),
        Float(f64),
        Text(Vec<u8>),
        List(Vec<Arg>),
        Keyed(Box<Arg>),
        Function,
    }

    fn arg() -> impl Strategy<Value = Arg> {
        let leaf = prop_oneof![
            Just(Arg::Nil),
            any::<bool>().prop_map(Arg::Bool),
            any::<i64>().prop_map(Arg::Int),
            prop_oneof![
                any::<f64>(),
                Just(f64::NAN),
                Just(f64::INFINITY),
                Just(2f64.powi(63))
            ]
            .prop_map(Arg::Float),
            proptest::collection::vec(any::<u8>(), 0..12).prop_map(Arg::Text),
            Just(Arg::Function),
        ];
        leaf.prop_recursive(4, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Arg::List),
                inner.prop_map(|a| Arg::Keyed(Box::new(a))),
            ]
        })
    }

    fn float(x: f64, nan: &str, inf: &str) -> String {
        if x.is_nan() {
            nan.to_string()
        } else if x.is_infinite() {
            format!("{}{inf}", if x < 0.0 { "-" } else { "" })
        } else {
            format!("{x:?}")
        }
    }

    fn lua(arg: &Arg) -> String {
        match arg {
            Arg::Nil => "nil".into(),
            Arg::Bool(b) => b.to_string(),
            Arg::Int(n) => format!("math.tointeger({n})"),
            Arg::Float(x) => float(*x, "(0/0)", "(1/0)"),
            Arg::Text(bytes) => {
                let escaped: String = bytes.iter().map(|b| format!("\\{b}")).collect();
                format!("\"{escaped}\"")
            }
            Arg::List(items) => {
                let items: Vec<String> = items.iter().map(lua).collect();
                format!("{{{}}}", items.join(", "))
            }
            Arg::Keyed(inner) => format!("{{k = {}}}", lua(inner)),
            Arg::Function => "print".into(),
        }
    }

    fn rhai_text(arg: &Arg) -> String {
        match arg {
            Arg::Nil => "()".into(),
            Arg::Bool(b) => b.to_string(),
            Arg::Int(n) if *n == i64::MIN => "(-9223372036854775807 - 1)".into(),
            Arg::Int(n) => format!("({n})"),
            Arg::Float(x) => float(*x, "(0.0/0.0)", "(1.0/0.0)"),
            Arg::Text(bytes) => {
                let escaped: String = bytes.iter().map(|b| format!("\\x{b:02x}")).collect();
                format!("blob_of(\"{escaped}\")")
            }
            Arg::List(items) => {
                let items: Vec<String> = items.iter().map(rhai_text).collect();
                format!("[{}]", items.join(", "))
            }
            Arg::Keyed(inner) => format!("#{{k: {}}}", rhai_text(inner)),
            Arg::Function => "|x| x".into(),
        }
    }

    /// Natives of every parameter shape, by their dotted names.
    const NATIVES: [&str; 8] = [
        "shapes.num.hypot",
        "shapes.num.sum",
        "shapes.text.pad",
        "shapes.text.first",
        "shapes.text.checksum",
        "memory.buffer.write",
        "memory.pool.intern",
        "memory.alloc.numGC",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn any_call_returns_or_names_the_function(
            native in 0..NATIVES.len(),
            args in proptest::collection::vec(arg(), 0..5),
        ) {
            let name = NATIVES[native];
            let vm = mlua::Lua::new();
            lua::install(&vm, Context::new()).unwrap();
            let (module, path) = name.split_once('.').unwrap();
            let lua_args: Vec<String> = args.iter().map(lua).collect();
            let script = format!(
                "return require('{module}').{path}({})",
                lua_args.join(", ")
            );
            if let Err(error) = vm.load(&script).exec() {
                let text = match &error {
                    mlua::Error::CallbackError { cause, .. } => cause.to_string(),
                    other => other.to_string(),
                };
                prop_assert!(text.starts_with(name), "{script}: {text}");
            }
            prop_assert_eq!(vm.load("return 1 + 1").eval::<i64>().unwrap(), 2);

            let mut engine = Engine::new();
            rhai::install(&mut engine, Context::new()).unwrap();
            // Rhai script text is UTF-8: any bytes travel as a `Blob`.
            engine.register_fn("blob_of", |text: &str| -> Vec<u8> {
                text.chars().map(|c| c as u32 as u8).collect()
            });
            let rhai_args: Vec<String> = args.iter().map(rhai_text).collect();
            let script = format!("{}({})", name.replace('.', "::"), rhai_args.join(", "));
            if let Err(error) = engine.run(&script) {
                let text = error.to_string();
                prop_assert!(
                    text.starts_with(&format!("Runtime error: {name}")),
                    "{script}: {text}"
                );
            }
            prop_assert_eq!(engine.eval::<i64>("1 + 1").unwrap(), 2);
        }
    }
}
