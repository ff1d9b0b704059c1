//! Which Lua the bridge is built on, named by exactly one of goost-lua's features (each
//! turns on mlua's feature of the same name), and the one rule that differs between them:
//! how an `int` crosses.
//!
//! Lua 5.3 and 5.4 have an integer subtype, so an `int` is a Lua integer both ways. Lua
//! 5.1, 5.2, LuaJIT and Luau have only doubles; there an `int` crosses as a number whose
//! value is integral and within ±(2^53 − 1), the integers a double holds exactly and
//! unambiguously (JavaScript's safe integers). Any other number given for an `int` is a
//! float to the glue, so it reports the argument; an `int` result outside that range is
//! an error naming the function, never a rounded number.

use goost_bind::{Error, FnSpec};

/// How many Luas the features name; the bridge needs exactly one.
const NAMED: usize = cfg!(feature = "lua54") as usize
    + cfg!(feature = "lua53") as usize
    + cfg!(feature = "lua52") as usize
    + cfg!(feature = "lua51") as usize
    + cfg!(feature = "luajit") as usize
    + cfg!(feature = "luau") as usize;

const _: () = assert!(
    NAMED == 1,
    "goost-lua's bridge needs its Lua named by exactly one of its features lua54, lua53, \
     lua52, lua51, luajit, luau (mlua's feature of the same name is then turned on too); \
     the facade goost-memory has the same features, and its `lua` is lua54 built from source"
);

/// The Lua's name, as errors and docs say it.
pub const NAME: &str = if cfg!(feature = "lua54") {
    "Lua 5.4"
} else if cfg!(feature = "lua53") {
    "Lua 5.3"
} else if cfg!(feature = "lua52") {
    "Lua 5.2"
} else if cfg!(feature = "lua51") {
    "Lua 5.1"
} else if cfg!(feature = "luajit") {
    "LuaJIT"
} else {
    "Luau"
};

/// Whether the Lua is Luau, whose `require` takes paths and `@` aliases (the bridge
/// registers each module under both `@name` and `name`).
pub const IS_LUAU: bool = cfg!(feature = "luau");

/// Whether the Lua has an integer subtype (5.3 and 5.4); the others have only doubles.
pub const HAS_INTEGERS: bool = cfg!(any(feature = "lua54", feature = "lua53"));

/// The largest `int` a Lua without integers takes or gives: 2^53 − 1. Every integer up to
/// it is held exactly by a double, and no double in that range stands for two of them.
pub const MAX_EXACT_INT: i64 = (1 << 53) - 1;

/// A number of a Lua without integers as an `int`: `Some` if integral and within
/// ±[`MAX_EXACT_INT`], `None` otherwise (a fraction, a larger magnitude, NaN, infinity).
#[inline(always)]
pub(crate) fn int_of_double(x: f64) -> Option<i64> {
    // The cast saturates (NaN becomes 0), so only an integral `x` in i64's range comes
    // back equal; no call to `trunc`, which needs SSE4.1 to be an instruction.
    let n = x as i64;
    (n as f64 == x && n.unsigned_abs() <= MAX_EXACT_INT as u64).then_some(n)
}

/// An `int` result as a number of a Lua without integers: `Some` within ±[`MAX_EXACT_INT`].
#[inline(always)]
pub(crate) fn double_of_int(n: i64) -> Option<f64> {
    (n.unsigned_abs() <= MAX_EXACT_INT as u64).then_some(n as f64)
}

/// The error of an `int` result of `spec`'s native that this Lua's numbers cannot hold.
#[cold]
pub(crate) fn inexact_result(spec: &'static FnSpec, n: i64) -> Error {
    Error::msg(format!(
        "result {n} has no exact {NAME} number: {NAME} numbers are doubles, which hold ints \
         only within ±{MAX_EXACT_INT} (2^53 - 1)"
    ))
    .in_native(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_doubles_within_two_to_the_53_are_ints_and_nothing_else_is() {
        assert_eq!(int_of_double(3.0), Some(3));
        assert_eq!(int_of_double(-0.0), Some(0));
        assert_eq!(int_of_double(9_007_199_254_740_991.0), Some(MAX_EXACT_INT));
        assert_eq!(
            int_of_double(-9_007_199_254_740_991.0),
            Some(-MAX_EXACT_INT)
        );
        assert_eq!(int_of_double(9_007_199_254_740_992.0), None);
        assert_eq!(int_of_double(2f64.powi(60)), None);
        assert_eq!(int_of_double(1.5), None);
        assert_eq!(int_of_double(1e-17), None);
        assert_eq!(int_of_double(f64::NAN), None);
        assert_eq!(int_of_double(f64::INFINITY), None);
    }

    #[test]
    fn ints_within_two_to_the_53_are_doubles_and_larger_ones_are_not() {
        assert_eq!(double_of_int(MAX_EXACT_INT), Some(9_007_199_254_740_991.0));
        assert_eq!(
            double_of_int(-MAX_EXACT_INT),
            Some(-9_007_199_254_740_991.0)
        );
        assert_eq!(double_of_int(MAX_EXACT_INT + 1), None);
        assert_eq!(double_of_int(i64::MIN), None);
    }
}
