//! `map<T>` across the boundary (issue 29): a module whose natives take and give maps
//! (`HashMap<String, T>`, `BTreeMap<String, T>`), called from goost (map literals, `m.k`,
//! `m["k"]`), Lua (tables with string keys) and Rhai (object maps), with right and wrong
//! arguments; results and error texts are exact.

use std::collections::{BTreeMap, HashMap};

use goost_memory::{Context, host, native, spec_enum, spec_record};

/// The spec's `tally.Entry`: its fields by name, `note` optional.
#[spec_record("tally.Entry", spec = "tests/fixture/tally.spec")]
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    word: String,
    count: i64,
    note: Option<String>,
}

#[native("tally.words.entries", spec = "tests/fixture/tally.spec")]
fn entries(counts: BTreeMap<String, i64>) -> Vec<Entry> {
    counts
        .into_iter()
        .map(|(word, count)| Entry {
            word,
            count,
            note: None,
        })
        .collect()
}

/// The spec's `tally.Ranked`: a record with a record in it.
#[spec_record("tally.Ranked", spec = "tests/fixture/tally.spec")]
#[derive(Clone, Debug, PartialEq)]
struct Ranked {
    entry: Entry,
    rank: i64,
}

#[native("tally.words.best", spec = "tests/fixture/tally.spec")]
fn best(ranked: BTreeMap<String, Ranked>) -> String {
    ranked
        .into_values()
        .min_by_key(|ranked| ranked.rank)
        .map(|ranked| ranked.entry.word)
        .unwrap_or_default()
}

#[native("tally.words.words", spec = "tests/fixture/tally.spec")]
fn words(entries: Vec<Entry>) -> Vec<String> {
    entries.into_iter().map(|entry| entry.word).collect()
}

#[native("tally.words.find", spec = "tests/fixture/tally.spec")]
fn find(entries: Vec<Entry>, word: &str) -> Option<Entry> {
    entries.into_iter().find(|entry| entry.word == word)
}

#[native("tally.words.rank", spec = "tests/fixture/tally.spec")]
fn rank(entry: Entry, place: i64) -> Result<Ranked, goost_memory::Error> {
    if place < 1 {
        return Err(goost_memory::Error::msg(format!(
            "place {place} is below 1"
        )));
    }
    Ok(Ranked { entry, rank: place })
}

/// What each engine's script of record results gives, a line per result: an entry found
/// without its optional note (left out, so `nil`), one found with it, none found (`nil`),
/// and a record with a record in it. A record result reaches Lua and Rhai as its fields,
/// with no record made.
const RECORD_RESULTS: &str = "ab 2 nil\ncd 1 x\nnil\nab 3\n";

/// The entries the scripts of record results search, in goost's literal syntax (Rhai's
/// object maps open with `#{`, Lua's tables take `=` for `:` and braces for brackets).
const ENTRIES: &str = r#"[{word: "ab", count: 2}, {word: "cd", count: 1, note: "x"}]"#;

/// The error of `tally.words.rank` at place 0: the native's own, naming it.
const RANK_REFUSED: &str = "tally.words.rank: place 0 is below 1";

/// The signature of `tally.words.words`.
const WORDS: &str = "tally.words.words(entries: list<tally.Entry>) -> list<string>";

/// A list of records with a mistake in element 2, in each engine's literal syntax, and
/// the words of the error (a list of records reaches the glue lent as the records'
/// fields in Lua and Rhai, as a list of maps in goost: the same words).
const LIST_MISTAKES: [Mistake; 3] = [
    (
        r#"[{word: "a", count: 1}, 7]"#,
        r#"{ { word = "a", count = 1 }, 7 }"#,
        r#"[#{word: "a", count: 1}, 7]"#,
        "argument 1 (entries) expects list<tally.Entry>, got a list whose element 2 is int",
    ),
    (
        r#"[{word: "a", count: 1}, {word: "b"}]"#,
        r#"{ { word = "a", count = 1 }, { word = "b" } }"#,
        r#"[#{word: "a", count: 1}, #{word: "b"}]"#,
        "argument 1 (entries) element 2 expects tally.Entry, got a map without the field `count`",
    ),
    (
        r#"[{word: "a", count: 1}, {word: "b", count: "2"}]"#,
        r#"{ { word = "a", count = 1 }, { word = "b", count = "2" } }"#,
        r#"[#{word: "a", count: 1}, #{word: "b", count: "2"}]"#,
        "argument 1 (entries) element 2 field count expects int, got string",
    ),
];

/// A mistake in each engine's literal syntax (goost, Lua, Rhai) and the words its error
/// ends with.
type Mistake = (&'static str, &'static str, &'static str, &'static str);

/// Asserts, for each of `mistakes`, that `error_of` the literal `pick` takes from it is
/// `expected` of its words.
fn assert_each_mistake(
    mistakes: &[Mistake],
    pick: fn(&Mistake) -> &'static str,
    error_of: impl Fn(&str) -> String,
    expected: impl Fn(&str) -> String,
) {
    for mistake in mistakes {
        let literal = pick(mistake);
        assert_eq!(error_of(literal), expected(mistake.3), "{literal}");
    }
}

#[test]
fn goost_names_the_element_of_a_list_of_records_that_is_wrong() {
    assert_eq!(
        goost(r#"print(tally.words.words([{word: "a", count: 1}, {word: "b", count: 2}]))"#),
        Ok("[a b]\n".to_string())
    );
    assert_each_mistake(
        &LIST_MISTAKES,
        |m| m.0,
        |literal| goost(&format!("tally.words.words({literal})")).unwrap_err(),
        |words| format!("t.goost:2:1: {WORDS}: {words}"),
    );
}

/// The signature of `tally.words.best`, which the path errors are reported under.
const BEST: &str = "tally.words.best(ranked: map<tally.Ranked>) -> string";

/// A mistake deep in an argument, in each engine's literal syntax, with the path the
/// error names (`{goost}`, `{lua}`, `{rhai}` argument texts; the expected words).
const DEEP_MISTAKES: [Mistake; 3] = [
    (
        r#"{a: {entry: {word: "x", count: "2"}, rank: 1}}"#,
        r#"{ a = { entry = { word = "x", count = "2" }, rank = 1 } }"#,
        r#"#{a: #{entry: #{word: "x", count: "2"}, rank: 1}}"#,
        r#"argument 1 (ranked) entry "a" field entry.count expects int, got string"#,
    ),
    (
        r#"{a: {entry: {word: "x"}, rank: 1}}"#,
        r#"{ a = { entry = { word = "x" }, rank = 1 } }"#,
        r#"#{a: #{entry: #{word: "x"}, rank: 1}}"#,
        "argument 1 (ranked) entry \"a\" field entry expects tally.Entry, got a map without the field `count`",
    ),
    (
        r#"{a: {entry: {word: "x", count: 2}, rnak: 1}}"#,
        r#"{ a = { entry = { word = "x", count = 2 }, rnak = 1 } }"#,
        r#"#{a: #{entry: #{word: "x", count: 2}, rnak: 1}}"#,
        "argument 1 (ranked) entry \"a\" expects tally.Ranked, got a map with a field the record does not have (the nearest is `rank`)",
    ),
];

#[test]
fn goost_names_the_path_to_a_mistake_deep_in_an_argument() {
    assert_eq!(
        goost(r#"print(tally.words.best({a: {entry: {word: "x", count: 2}, rank: 1}}))"#),
        Ok("x\n".to_string())
    );
    assert_each_mistake(
        &DEEP_MISTAKES,
        |m| m.0,
        |literal| goost(&format!("tally.words.best({literal})")).unwrap_err(),
        |words| format!("t.goost:2:1: {BEST}: {words}"),
    );
}

#[native("tally.words.weight", spec = "tests/fixture/tally.spec")]
fn weight(entry: Entry) -> i64 {
    entry.count * entry.word.len() as i64 + entry.note.map_or(0, |n| n.len() as i64)
}

/// The spec's `tally.Order`: each variant is its value in CamelCase.
#[spec_enum("tally.Order", spec = "tests/fixture/tally.spec")]
#[derive(Clone, Copy, Debug, PartialEq)]
enum Order {
    Most,
    ByName,
}

#[native("tally.words.top", spec = "tests/fixture/tally.spec")]
fn top(counts: BTreeMap<String, i64>, order: Option<Order>) -> Vec<String> {
    let mut words: Vec<(String, i64)> = counts.into_iter().collect();
    if order.unwrap_or(Order::Most) == Order::Most {
        words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    words.into_iter().map(|(word, _)| word).collect()
}

#[native("tally.words.default_order", spec = "tests/fixture/tally.spec")]
fn default_order() -> Order {
    Order::Most
}

#[native("tally.words.count", spec = "tests/fixture/tally.spec")]
fn count(words: Vec<String>) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for word in words {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}

#[native("tally.words.total", spec = "tests/fixture/tally.spec")]
fn total(counts: HashMap<String, i64>) -> i64 {
    counts.values().sum()
}

#[native("tally.words.sizes", spec = "tests/fixture/tally.spec")]
fn sizes(groups: BTreeMap<String, Vec<String>>) -> HashMap<String, i64> {
    groups
        .into_iter()
        .map(|(name, words)| (name, words.len() as i64))
        .collect()
}

#[native("tally.words.pick", spec = "tests/fixture/tally.spec")]
fn pick(key: &str, counts: Option<HashMap<String, i64>>) -> Option<i64> {
    counts.and_then(|counts| counts.get(key).copied())
}

fn goost(source: &str) -> Result<String, String> {
    let mut out = Vec::new();
    host::run(
        "t.goost",
        &format!("import tally\n{source}"),
        &Context::new(),
        &mut out,
    )?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn goost_passes_and_reads_maps() {
    assert_eq!(
        goost(
            "let c = tally.words.count([\"a\", \"b\", \"a\"])\n\
             print(c, c.a, c[\"b\"], c.z, len(c))\n\
             print(tally.words.total(c), tally.words.total({}))\n\
             print(tally.words.total({x: 2, \"two words\": 40}))\n\
             print(tally.words.sizes({odd: [\"a\"], even: [\"b\", \"c\"]}))\n\
             print(tally.words.pick(\"a\"), tally.words.pick(\"a\", c), tally.words.pick(\"q\", c))\n\
             let m = {\n\
               x: 1,\n\
               y: 2,\n\
             }\n\
             print(m.x + m.y)\n"
        ),
        Ok("map[a:2 b:1] 2 1 nil 2\n3 0\n42\nmap[even:2 odd:1]\nnil 2 nil\n3\n".to_string())
    );
}

/// A map literal's keys are checked for repeats by hash: a first version compared each
/// key with every earlier one and took over seven minutes on this literal.
#[test]
fn goost_parses_a_map_literal_of_200_000_entries() {
    let entries: Vec<String> = (0..200_000).map(|i| format!("k{i}: {i}")).collect();
    let source = format!(
        "let m = {{{}}}\nprint(len(m), m.k199999)\n",
        entries.join(", ")
    );
    assert_eq!(goost(&source), Ok("200000 199999\n".to_string()));
}

#[test]
fn an_enum_crosses_as_its_values_strings_in_goost() {
    assert_eq!(
        goost(
            "let c = {b: 1, a: 1, c: 5}\n\
             print(tally.words.top(c), tally.words.top(c, \"by_name\"), tally.words.default_order())\n"
        ),
        Ok("[c a b] [a b c] most\n".to_string())
    );
    assert_eq!(
        goost("tally.words.top({}, \"fastest\")"),
        Err("t.goost:2:1: tally.words.top(counts: map<int>, order: tally.Order?) -> list<string>: argument 2 (order) expects tally.Order?, got a string that is not one of \"most\", \"by_name\"".to_string())
    );
    assert_eq!(
        goost("tally.words.top({}, 1)"),
        Err("t.goost:2:1: tally.words.top(counts: map<int>, order: tally.Order?) -> list<string>: argument 2 (order) expects tally.Order?, got int".to_string())
    );
}

/// The checks of goost, Lua and Rhai scripts report a string literal that is none of an
/// enum parameter's values before the script runs, in the run-time error's words.
#[test]
fn every_check_reports_a_bad_enum_string_before_the_script_runs() {
    let spec = goost_spec::parse(include_str!("fixture/tally.spec")).unwrap();
    let checker = goost_spec::check::Checker::new([&spec]);
    let expected = "tally.words.top(counts: map<int>, order: tally.Order?) -> list<string>: argument 2 (order) expects tally.Order?, got a string that is not one of \"most\", \"by_name\"";
    let goost = goost_memory::host::check(
        "import tally\ntally.words.top({}, \"most\")\ntally.words.top({}, \"fastest\")\n",
        &checker,
    );
    let found: Vec<String> = goost.iter().map(ToString::to_string).collect();
    assert_eq!(found, [format!("3:1: {expected}")]);
    #[cfg(feature = "lua")]
    {
        let lua = goost_memory::hosts::lua::check::check(
            "local tally = require('tally')\ntally.words.top({}, 'by_name')\ntally.words.top({}, 'fastest')\ntally.words.top({}, 'esc\\97ped')\n",
            &checker,
        );
        let found: Vec<String> = lua.iter().map(|f| f.message.clone()).collect();
        assert_eq!(found, [expected.to_string()]);
    }
    #[cfg(feature = "rhai")]
    {
        let rhai = goost_memory::hosts::rhai::check::check(
            "tally::words::top(#{}, \"most\");\ntally::words::top(#{}, \"fastest\");\n",
            &checker,
        );
        let found: Vec<String> = rhai.iter().map(|f| f.message.clone()).collect();
        assert_eq!(found, [expected.to_string()]);
    }
}

/// The checks of goost, Lua and Rhai scripts report a map literal that is not the record
/// a parameter expects (a required field left out, a field of the wrong type, a key that
/// is no field) or whose values a `map<T>` does not take, before the script runs, in the
/// run-time error's words; a literal that fits is not reported.
#[test]
fn every_check_reports_record_and_map_literal_mistakes_before_the_script_runs() {
    let spec = goost_spec::parse(include_str!("fixture/tally.spec")).unwrap();
    let checker = goost_spec::check::Checker::new([&spec]);
    let weight = "tally.words.weight(entry: tally.Entry) -> int";
    let total = "tally.words.total(counts: map<int>) -> int";
    let expected = [
        format!(
            "{weight}: argument 1 (entry) expects tally.Entry, got a map without the field `count`"
        ),
        format!("{weight}: argument 1 (entry) field count expects int, got string"),
        format!(
            "{weight}: argument 1 (entry) expects tally.Entry, got a map with a field the record does not have (the nearest is `note`)"
        ),
        format!(
            "{total}: argument 1 (counts) expects map<int>, got a map with a value that is string"
        ),
    ];
    let goost = goost_memory::host::check(
        "import tally\n\
         tally.words.weight({word: \"a\", count: 2, note: \"n\"})\n\
         tally.words.weight({word: \"a\"})\n\
         tally.words.weight({word: \"a\", count: \"2\"})\n\
         tally.words.weight({word: \"a\", count: 2, nots: \"x\"})\n\
         tally.words.total({a: \"1\"})\n",
        &checker,
    );
    let found: Vec<String> = goost.iter().map(ToString::to_string).collect();
    let at_lines: Vec<String> = expected
        .iter()
        .zip(3..)
        .map(|(message, line)| format!("{line}:1: {message}"))
        .collect();
    assert_eq!(found, at_lines);
    #[cfg(feature = "lua")]
    {
        let lua = goost_memory::hosts::lua::check::check(
            "local tally = require('tally')\n\
             tally.words.weight({word = 'a', count = 2})\n\
             tally.words.weight({word = 'a'})\n\
             tally.words.weight({word = 'a', ['count'] = '2'})\n\
             tally.words.weight({word = 'a', count = 2, nots = 'x'})\n\
             tally.words.total({a = '1'})\n",
            &checker,
        );
        let found: Vec<String> = lua.iter().map(|f| f.message.clone()).collect();
        assert_eq!(found, expected);
    }
    #[cfg(feature = "rhai")]
    {
        let rhai = goost_memory::hosts::rhai::check::check(
            "tally::words::weight(#{word: \"a\", count: 2});\n\
             tally::words::weight(#{word: \"a\"});\n\
             tally::words::weight(#{word: \"a\", count: \"2\"});\n\
             tally::words::weight(#{word: \"a\", count: 2, nots: \"x\"});\n\
             tally::words::total(#{a: \"1\"});\n",
            &checker,
        );
        let found: Vec<String> = rhai.iter().map(|f| f.message.clone()).collect();
        assert_eq!(found, expected);
    }
}

/// The checks of goost, Lua and Rhai name a mistake deep in a literal by the same path,
/// in the same words, as the run-time error does.
#[test]
fn every_check_names_the_path_the_run_time_error_names() {
    let spec = goost_spec::parse(include_str!("fixture/tally.spec")).unwrap();
    let checker = goost_spec::check::Checker::new([&spec]);
    for (goost, lua, rhai, words) in DEEP_MISTAKES {
        let expected = vec![format!("{BEST}: {words}")];
        let source = format!("import tally\ntally.words.best({goost})\n");
        let found = goost_memory::host::check(&source, &checker);
        let found: Vec<String> = found.iter().map(|f| f.message.clone()).collect();
        assert_eq!(found, expected, "{goost}");
        #[cfg(feature = "lua")]
        {
            let source = format!("local tally = require('tally')\ntally.words.best({lua})\n");
            let found = goost_memory::hosts::lua::check::check(&source, &checker);
            let found: Vec<String> = found.iter().map(|f| f.message.clone()).collect();
            assert_eq!(found, expected, "{lua}");
        }
        #[cfg(feature = "rhai")]
        {
            let source = format!("tally::words::best({rhai});\n");
            let found = goost_memory::hosts::rhai::check::check(&source, &checker);
            let found: Vec<String> = found.iter().map(|f| f.message.clone()).collect();
            assert_eq!(found, expected, "{rhai}");
        }
        let _ = (lua, rhai);
    }
}

#[test]
fn goost_gets_record_results_and_their_errors() {
    let script = format!(
        "let es = {ENTRIES}\n\
         let a = tally.words.find(es, \"ab\")\n\
         print(a.word, a.count, a.note)\n\
         let c = tally.words.find(es, \"cd\")\n\
         print(c.word, c.count, c.note)\n\
         print(tally.words.find(es, \"zz\"))\n\
         let r = tally.words.rank(a, 3)\n\
         print(r.entry.word, r.rank)\n"
    );
    assert_eq!(goost(&script), Ok(RECORD_RESULTS.to_string()));
    assert_eq!(
        goost("tally.words.rank({word: \"ab\", count: 2}, 0)\n"),
        Err(format!("t.goost:2:1: {RANK_REFUSED}"))
    );
}

/// What a bridge gets from `call_lent_fields`: a record result's type and fields, handed
/// over with nothing returned; a record left out, or any other result, as a value.
#[test]
fn a_record_result_is_handed_over_as_its_fields() {
    use goost_memory::{ArgRef, RecordType, Registry, ScriptList, ScriptMap, ScriptString, Value};
    let ctx = Context::new();
    let bound = |name: &str| Registry::global().get(name).unwrap().bind(&ctx);
    let mut handed = Vec::new();
    let mut take = |ty: &'static RecordType, values: &mut [Value]| {
        handed.push(format!("{} {values:?}", ty.name));
    };
    let rank = bound("tally.words.rank");
    let fields = Value::Map(
        ScriptMap::new(vec![
            (ScriptString::from("word"), Value::str("ab")),
            (ScriptString::from("count"), Value::Int(2)),
        ])
        .unwrap(),
    );
    let given = rank.call_lent_fields(&[fields.lend(), ArgRef::Int(3)], &mut take);
    assert_eq!(given, Ok(None));
    let given = rank.call_lent_fields(&[fields.lend(), ArgRef::Int(0)], &mut take);
    assert_eq!(given.unwrap_err().to_string(), RANK_REFUSED);
    let list = Value::List(ScriptList::new(vec![fields.clone()]).unwrap());
    let find = bound("tally.words.find");
    let given = find.call_lent_fields(&[list.lend(), ArgRef::Bytes(b"zz")], &mut take);
    assert_eq!(given, Ok(Some(Value::Void)));
    let given = find.call_lent_fields(&[list.lend(), ArgRef::Bytes(b"ab")], &mut take);
    assert_eq!(given, Ok(None));
    let weight = bound("tally.words.weight");
    let given = weight.call_lent_fields(&[fields.lend()], &mut take);
    assert_eq!(given, Ok(Some(Value::Int(4))));
    // A list of records: each record in turn; none for an empty list.
    let entries = bound("tally.words.entries");
    let counts = |entries: Vec<(&str, i64)>| {
        let entries = entries.into_iter();
        let entries = entries.map(|(word, n)| (ScriptString::from(word), Value::Int(n)));
        Value::Map(ScriptMap::new(entries.collect()).unwrap())
    };
    let given = entries.call_lent_fields(&[counts(vec![("b", 1), ("a", 2)]).lend()], &mut take);
    assert_eq!(given, Ok(None));
    let given = entries.call_lent_fields(&[counts(vec![]).lend()], &mut take);
    assert_eq!(given, Ok(None));
    assert_eq!(
        handed,
        [
            "tally.Ranked [Record(tally.Entry { word: Str(\"ab\"), count: Int(2) }), Int(3)]",
            "tally.Entry [Str(\"ab\"), Int(2), Void]",
            "tally.Entry [Str(\"a\"), Int(2), Void]",
            "tally.Entry [Str(\"b\"), Int(1), Void]",
        ]
    );
}

#[test]
fn a_record_crosses_as_a_map_of_its_fields_in_goost() {
    assert_eq!(
        goost(
            "let e = tally.words.entries({ab: 2, c: 1})\n\
             print(e, e[0].word, e[0].note)\n\
             print(tally.words.weight(e[0]), tally.words.weight({word: \"abc\", count: 2, note: \"xy\"}))\n"
        ),
        Ok("[map[count:2 word:ab] map[count:1 word:c]] ab nil\n4 8\n".to_string())
    );
    let signature = "tally.words.weight(entry: tally.Entry) -> int";
    let cases = [
        (
            "tally.words.weight({word: \"a\"})",
            format!(
                "t.goost:2:1: {signature}: argument 1 (entry) expects tally.Entry, got a map without the field `count`"
            ),
        ),
        (
            "tally.words.weight({word: \"a\", count: \"2\"})",
            format!(
                "t.goost:2:1: {signature}: argument 1 (entry) field count expects int, got string"
            ),
        ),
        (
            "tally.words.weight({word: \"a\", count: 2, nots: \"x\"})",
            format!(
                "t.goost:2:1: {signature}: argument 1 (entry) expects tally.Entry, got a map with a field the record does not have (the nearest is `note`)"
            ),
        ),
        (
            "tally.words.weight(5)",
            format!("t.goost:2:1: {signature}: argument 1 (entry) expects tally.Entry, got int"),
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(goost(source), Err(expected), "{source}");
    }
}

#[test]
fn goost_reports_wrong_maps_exactly() {
    let cases = [
        (
            "tally.words.total({a: \"1\"})",
            "t.goost:2:1: tally.words.total(counts: map<int>) -> int: argument 1 (counts) expects map<int>, got a map with a value that is string",
        ),
        (
            "tally.words.total([1])",
            "t.goost:2:1: tally.words.total(counts: map<int>) -> int: argument 1 (counts) expects map<int>, got list",
        ),
        (
            "tally.words.count({a: 1})",
            "t.goost:2:1: tally.words.count(words: list<string>) -> map<int>: argument 1 (words) expects list<string>, got map",
        ),
        (
            "tally.words.total({\"\\xff\": 1})",
            "t.goost:2:1: tally.words.total(counts: map<int>) -> int: argument 1 (counts) expects map<int>, got a map with a key or value that is not UTF-8 text",
        ),
        (
            "let m = {a: 1, a: 2}",
            "t.goost:2:16: the key `a` appears twice in this map",
        ),
        (
            "let n = 5\nprint(n.x)",
            "t.goost:3:8: only a map has fields: `.x` of int",
        ),
        (
            "print({a: 1}[0])",
            "t.goost:2:13: a map key must be a string, got int",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(goost(source), Err(expected.to_string()), "{source}");
    }
}

#[cfg(feature = "lua")]
mod lua {
    use goost_memory::Context;
    use goost_memory::hosts::lua::{self, mlua};

    fn lua_vm() -> mlua::Lua {
        let vm = mlua::Lua::new();
        lua::install_modules(&vm, Context::new(), &["tally"]).unwrap();
        vm
    }

    fn error(vm: &mlua::Lua, script: &str) -> String {
        match vm.load(script).exec().unwrap_err() {
            mlua::Error::CallbackError { cause, .. } => cause.to_string(),
            other => other.to_string(),
        }
    }

    #[test]
    fn lua_tables_with_string_keys_are_maps_both_ways() {
        let vm = lua_vm();
        let (a, b, total, empty, odd, picked): (i64, i64, i64, i64, i64, Option<i64>) = vm
            .load(
                r#"local t = require("tally").words
                   local c = t.count({ "a", "b", "a" })
                   local s = t.sizes({ odd = { "a" }, even = { "b", "c" } })
                   return c.a, c.b, t.total({ x = 2, ["two words"] = 40 }), t.total({}),
                          s.odd, t.pick("a", c)"#,
            )
            .eval()
            .unwrap();
        assert_eq!((a, b, total, empty, odd, picked), (2, 1, 42, 0, 1, Some(2)));
    }

    #[test]
    fn lua_passes_and_gets_an_enum_as_a_string() {
        let vm = lua_vm();
        let (first, order): (String, String) = vm
            .load(
                r#"local t = require("tally").words
                   return t.top({ b = 1, a = 3 })[1], t.default_order()"#,
            )
            .eval()
            .unwrap();
        assert_eq!((first.as_str(), order.as_str()), ("a", "most"));
        assert_eq!(
            error(&vm, "require('tally').words.top({}, 'fastest')"),
            "tally.words.top(counts: map<int>, order: tally.Order?) -> list<string>: argument 2 (order) expects tally.Order?, got a string that is not one of \"most\", \"by_name\""
        );
    }

    #[test]
    fn lua_gets_record_results_and_their_errors() {
        let vm = lua_vm();
        let entries = super::ENTRIES
            .replace(": ", " = ")
            .replace('[', "{")
            .replace(']', "}");
        let script = format!(
            r#"local t = require("tally").words
               local es = {entries}
               local a, c = t.find(es, "ab"), t.find(es, "cd")
               local r = t.rank(a, 3)
               return table.concat({{
                 a.word .. " " .. a.count .. " " .. tostring(a.note),
                 c.word .. " " .. c.count .. " " .. tostring(c.note),
                 tostring(t.find(es, "zz")),
                 r.entry.word .. " " .. r.rank, ""}}, "\n")"#
        );
        let lines: String = vm.load(script).eval().unwrap();
        assert_eq!(lines, super::RECORD_RESULTS);
        assert_eq!(
            error(
                &vm,
                "require('tally').words.rank({ word = 'ab', count = 2 }, 0)"
            ),
            super::RANK_REFUSED
        );
    }

    #[test]
    fn lua_passes_and_gets_a_record_as_a_table() {
        let vm = lua_vm();
        let (word, note, weight): (String, Option<String>, i64) = vm
            .load(
                r#"local t = require("tally").words
                   local e = t.entries({ ab = 2 })[1]
                   return e.word, e.note, t.weight({ word = "abc", count = 2, note = "xy" })"#,
            )
            .eval()
            .unwrap();
        assert_eq!((word.as_str(), note, weight), ("ab", None, 8));
        let signature = "tally.words.weight(entry: tally.Entry) -> int";
        assert_eq!(
            error(
                &vm,
                "require('tally').words.weight({ word = 'a', count = '2' })"
            ),
            format!("{signature}: argument 1 (entry) field count expects int, got string")
        );
        assert_eq!(
            error(
                &vm,
                "require('tally').words.weight({ word = 'a', count = 2, nots = 1 })"
            ),
            format!(
                "{signature}: argument 1 (entry) expects tally.Entry, got a map with a field the record does not have (the nearest is `note`)"
            )
        );
        assert_eq!(
            error(&vm, "require('tally').words.weight({ count = 2 })"),
            format!(
                "{signature}: argument 1 (entry) expects tally.Entry, got a map without the field `word`"
            )
        );
    }

    #[test]
    fn lua_names_the_path_to_a_mistake_deep_in_an_argument() {
        let vm = lua_vm();
        super::assert_each_mistake(
            &super::DEEP_MISTAKES,
            |m| m.1,
            |literal| error(&vm, &format!("require('tally').words.best({literal})")),
            |words| format!("{}: {words}", super::BEST),
        );
    }

    #[test]
    fn lua_names_the_element_of_a_list_of_records_that_is_wrong() {
        let vm = lua_vm();
        let t = "local t = require('tally').words; ";
        let ok = format!(
            "{t}return table.concat(t.words({{ {{ word = 'a', count = 1 }}, {{ word = 'b', count = 2 }} }}), ',')"
        );
        assert_eq!(vm.load(&ok).eval::<String>().unwrap(), "a,b");
        super::assert_each_mistake(
            &super::LIST_MISTAKES,
            |m| m.1,
            |literal| error(&vm, &format!("{t}t.words({literal})")),
            |words| format!("{}: {words}", super::WORDS),
        );
    }

    /// A list of records is charged against the context's conversion limit before its
    /// fields are made, as a list is.
    #[test]
    fn lua_bounds_a_list_of_records_by_the_conversion_limit() {
        let vm = mlua::Lua::new();
        let ctx = Context::builder().conversion_limit(64 << 10).build();
        lua::install_modules(&vm, ctx, &["tally"]).unwrap();
        let make = |n: usize| {
            format!(
                "local es = {{}} for i = 1, {n} do es[i] = {{ word = 'w', count = i }} end \
                 return #require('tally').words.words(es)"
            )
        };
        assert_eq!(vm.load(make(100)).eval::<i64>().unwrap(), 100);
        assert_eq!(
            error(&vm, &make(10_000)),
            format!(
                "{}: argument 1 (entries) would take more than 65536 bytes to convert (the \
                 context's conversion limit)",
                super::WORDS
            )
        );
    }

    #[test]
    fn lua_tables_that_are_not_maps_get_the_glues_errors() {
        let vm = lua_vm();
        let t = "local t = require('tally').words; ";
        assert_eq!(
            error(&vm, &format!("{t}t.total({{ a = 'x' }})")),
            "tally.words.total(counts: map<int>) -> int: argument 1 (counts) expects map<int>, got a map with a value that is string"
        );
        assert_eq!(
            error(&vm, &format!("{t}t.total({{ 5 }})")),
            "tally.words.total(counts: map<int>) -> int: argument 1 is a Lua table with the key 1, which is not a string, so not a map"
        );
        assert_eq!(
            error(&vm, &format!("{t}t.total(5)")),
            "tally.words.total(counts: map<int>) -> int: argument 1 (counts) expects map<int>, got int"
        );
        assert_eq!(
            error(&vm, &format!("{t}t.sizes({{ g = {{ 1 }} }})")),
            "tally.words.sizes(groups: map<list<string>>) -> map<int>: argument 1 (groups) expects map<list<string>>, got a map with a value that is int"
        );
    }
}

#[cfg(feature = "rhai")]
mod rhai {
    use goost_memory::Context;
    use goost_memory::hosts::rhai::{self as bridge, rhai};

    fn engine() -> rhai::Engine {
        let mut engine = rhai::Engine::new();
        bridge::Installer::new(Context::new())
            .modules(&["tally"])
            .install(&mut engine)
            .unwrap();
        engine
    }

    #[test]
    fn rhai_object_maps_are_maps_both_ways() {
        let engine = engine();
        let result: rhai::Array = engine
            .eval(
                r#"let c = tally::words::count(["a", "b", "a"]);
                   let s = tally::words::sizes(#{odd: ["a"], even: ["b", "c"]});
                   [c.a, c.b, tally::words::total(#{x: 2, "two words": 40}),
                    tally::words::total(#{}), s.odd, tally::words::pick("a", c)]"#,
            )
            .unwrap();
        let result: Vec<i64> = result.into_iter().map(|v| v.as_int().unwrap()).collect();
        assert_eq!(result, [2, 1, 42, 0, 1, 2]);
    }

    #[test]
    fn rhai_passes_and_gets_an_enum_as_a_string() {
        let engine = engine();
        let result: String = engine
            .eval(
                r#"tally::words::top(#{b: 1, a: 3}, "by_name")[0] + tally::words::default_order()"#,
            )
            .unwrap();
        assert_eq!(result, "amost");
        let error = engine
            .run(r#"tally::words::top(#{}, "fastest")"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "Runtime error: tally.words.top(counts: map<int>, order: tally.Order?) -> list<string>: argument 2 (order) expects tally.Order?, got a string that is not one of \"most\", \"by_name\" (line 1, position 15)"
        );
    }

    #[test]
    fn rhai_gets_record_results_and_their_errors() {
        let engine = engine();
        // A field left out is no key of the object map.
        let script = format!(
            r#"let es = {entries};
               let t = |e| if "note" in e {{ e.note }} else {{ "nil" }};
               let a = tally::words::find(es, "ab");
               let c = tally::words::find(es, "cd");
               let r = tally::words::rank(a, 3);
               let none = tally::words::find(es, "zz");
               [`${{a.word}} ${{a.count}} ${{t.call(a)}}`,
                `${{c.word}} ${{c.count}} ${{t.call(c)}}`,
                if none == () {{ "nil" }} else {{ "?" }},
                `${{r.entry.word}} ${{r.rank}}`, ""]"#,
            entries = super::ENTRIES.replace('{', "#{")
        );
        let lines: rhai::Array = engine.eval(&script).unwrap();
        let lines: Vec<String> = lines.into_iter().map(|line| line.to_string()).collect();
        assert_eq!(lines.join("\n"), super::RECORD_RESULTS);
        let error = engine
            .run(r#"tally::words::rank(#{word: "ab", count: 2}, 0)"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            format!(
                "Runtime error: {} (line 1, position 15)",
                super::RANK_REFUSED
            )
        );
    }

    #[test]
    fn rhai_passes_and_gets_a_record_as_an_object_map() {
        let engine = engine();
        let result: String = engine
            .eval(
                r#"let e = tally::words::entries(#{ab: 2})[0];
                   e.word + ":" + tally::words::weight(#{word: "abc", count: 2, note: "xy"})"#,
            )
            .unwrap();
        assert_eq!(result, "ab:8");
        let error = engine
            .run(r#"tally::words::weight(#{word: "a"})"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "Runtime error: tally.words.weight(entry: tally.Entry) -> int: argument 1 (entry) expects tally.Entry, got a map without the field `count` (line 1, position 15)"
        );
        let message = |script: &str| engine.run(script).unwrap_err().to_string();
        assert_eq!(
            message(r#"tally::words::weight(#{word: "a", count: "2"})"#),
            "Runtime error: tally.words.weight(entry: tally.Entry) -> int: argument 1 (entry) field count expects int, got string (line 1, position 15)"
        );
        assert_eq!(
            message(r#"tally::words::weight(#{word: "a", count: 2, nots: 1})"#),
            "Runtime error: tally.words.weight(entry: tally.Entry) -> int: argument 1 (entry) expects tally.Entry, got a map with a field the record does not have (the nearest is `note`) (line 1, position 15)"
        );
    }

    #[test]
    fn rhai_names_the_path_to_a_mistake_deep_in_an_argument() {
        let engine = engine();
        super::assert_each_mistake(
            &super::DEEP_MISTAKES,
            |m| m.2,
            |literal| {
                let script = format!("tally::words::best({literal})");
                engine.run(&script).unwrap_err().to_string()
            },
            |words| {
                format!(
                    "Runtime error: {}: {words} (line 1, position 15)",
                    super::BEST
                )
            },
        );
    }

    #[test]
    fn rhai_names_the_element_of_a_list_of_records_that_is_wrong() {
        let engine = engine();
        let words: rhai::Array = engine
            .eval(r#"tally::words::words([#{word: "a", count: 1}, #{word: "b", count: 2}])"#)
            .unwrap();
        assert_eq!(format!("{words:?}"), r#"["a", "b"]"#);
        super::assert_each_mistake(
            &super::LIST_MISTAKES,
            |m| m.2,
            |literal| {
                let script = format!("tally::words::words({literal})");
                engine.run(&script).unwrap_err().to_string()
            },
            |words| {
                format!(
                    "Runtime error: {}: {words} (line 1, position 15)",
                    super::WORDS
                )
            },
        );
    }

    /// A list of records is charged against the context's conversion limit before its
    /// fields are made, as a list is.
    #[test]
    fn rhai_bounds_a_list_of_records_by_the_conversion_limit() {
        let mut engine = rhai::Engine::new();
        let ctx = Context::builder().conversion_limit(64 << 10).build();
        bridge::install_modules(&mut engine, ctx, &["tally"]).unwrap();
        let make = |n: usize| {
            format!(
                "let es = []; for i in 0..{n} {{ es.push(#{{word: \"w\", count: i}}); }} \
                 tally::words::words(es).len()"
            )
        };
        assert_eq!(engine.eval::<i64>(&make(100)).unwrap(), 100);
        assert_eq!(
            engine.run(&make(10_000)).unwrap_err().to_string(),
            format!(
                "Runtime error: {}: argument 1 (entries) would take more than 65536 bytes to \
                 convert (the context's conversion limit) (line 1, position 83)",
                super::WORDS
            )
        );
    }

    #[test]
    fn rhai_maps_of_the_wrong_shape_get_the_glues_errors() {
        let engine = engine();
        let error = engine
            .run(r#"tally::words::total(#{a: "x"})"#)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "Runtime error: tally.words.total(counts: map<int>) -> int: argument 1 (counts) expects map<int>, got a map with a value that is string (line 1, position 15)"
        );
    }
}
