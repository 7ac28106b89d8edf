//! Minified output, with node as the oracle: modules full of what a printer without
//! whitespace gets wrong (ASI, `in` in a `for` initializer, a regular expression after a
//! division, keywords as property and export names, `</script`, unicode escapes, getters
//! and setters, class fields and private names, labels) print the same in node unbundled and
//! bundled with `--minify-whitespace --minify-identifiers`, and with `--minify`, which also
//! compresses them. The bundles are also snapshots, to review.

mod common;

#[test]
fn minified_tricky_code_behaves_as_node_runs_it_unbundled() {
    // Whitespace and names only: the printer sees each tricky case as written.
    check_tricky_code(
        &["--minify-whitespace", "--minify-identifiers"],
        "minified_tricky_code",
    );
}

#[test]
fn compressed_tricky_code_behaves_as_node_runs_it_unbundled() {
    // Syntax too: the compressor folds some cases away and rewrites others (statements
    // joined into sequences, `if`s into expressions), which the printer must then get
    // right as well.
    check_tricky_code(&["--minify"], "compressed_tricky_code");
}

fn check_tricky_code(flags: &[&str], snapshot: &str) {
    let dir = copy_fixture("tests/minify", &format!("tricky-{snapshot}"));
    let expected = common::run_node(&dir.join("main.mjs"));
    assert!(expected.starts_with("[\"iife after ASI\""), "{expected}");
    let out = build(&dir, flags);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    // No module headers, no line between items (a template literal may hold a line break).
    assert!(
        !bundle.contains("// main.mjs") && !bundle.contains(";\n"),
        "{bundle}"
    );
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(snapshot, bundle);
    });
}

/// With `--keep-names`, mangling keeps every name a program can observe (a function's or
/// class's `.name`, also when inferred from a variable, an assignment or a default, and a
/// renamed top-level class's), and shortens the names of functions that are only ever
/// called.
#[test]
fn minifying_with_keep_names_keeps_observable_names_only() {
    let (dir, expected) = names_fixture("minify-keep-names");
    let out = build(&dir, &["--minify", "--keep-names"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    for shortened in ["onlyEverCalledHelper", "onlyEverCalledArrow", "input"] {
        assert!(
            !bundle.contains(shortened),
            "{shortened} stays in:\n{bundle}"
        );
    }
}

/// Without `--keep-names`, minifying renames functions and classes as esbuild, terser and
/// SWC do: their `.name` is what they are called in the bundle, and no original name is
/// kept for it. Everything else behaves as node runs it unbundled.
#[test]
fn minifying_renames_functions_and_classes_unless_told_to_keep_names() {
    let (dir, expected) = names_fixture("minify-names");
    let out = build(&dir, &["--minify"]);
    let names = |log: &str| -> Vec<serde_json::Value> { serde_json::from_str(log).unwrap() };
    let (expected, bundled) = (names(&expected), names(&common::run_node(&out)));
    assert_eq!(bundled.len(), expected.len(), "{bundled:?}");
    // The two computed values, then names.
    assert_eq!(bundled[..2], expected[..2]);
    let bundle = std::fs::read_to_string(&out).unwrap();
    for (bundled, original) in bundled[2..].iter().zip(&expected[2..]) {
        let original = original.as_str().unwrap();
        if !original.is_empty() {
            assert_ne!(bundled.as_str(), Some(original), "{bundle}");
            assert!(!bundle.contains(original), "{original} stays in:\n{bundle}");
        }
    }
}

/// `tests/minify_names` copied to a scratch directory, and what node logs running it.
fn names_fixture(scratch: &str) -> (std::path::PathBuf, String) {
    let dir = common::scratch_dir(scratch);
    let main = dir.join("main.mjs");
    std::fs::copy(
        common::repo_root().join("tests/minify_names/main.mjs"),
        &main,
    )
    .unwrap();
    let expected = common::run_node(&main);
    assert!(
        expected.contains("\"nameIsRead\",\"passedAsValue\",\"arrowPassedAsValue\"")
            && expected.contains("\"TopLevelClass\""),
        "{expected}"
    );
    (dir, expected)
}

/// A module with a direct `eval` keeps its top-level names when minified (the evaluated
/// code reads them by name), and the bundle's most used bindings get the shortest names.
#[test]
fn short_names_go_to_the_most_used_bindings_but_not_to_evals_module() {
    let dir = common::scratch_dir("minify-short-names");
    std::fs::write(
        dir.join("main.mjs"),
        "import { helper } from './evaluating.mjs';\n\
         function rarelyUsed() { console.log('rare'); }\n\
         function oftenUsed(n) { console.log('often', n); }\n\
         rarelyUsed();\n\
         oftenUsed(1);\n\
         oftenUsed(2);\n\
         oftenUsed(3);\n\
         helper();\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("evaluating.mjs"),
        "const secret = 41;\nexport function helper() { console.log(eval('secret + 1')); }\n",
    )
    .unwrap();
    let expected = common::run_node(&dir.join("main.mjs"));
    let out = build(&dir, &["--minify-identifiers"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    assert!(bundle.contains("const secret = 41"), "{bundle}");
    // The first short name is `e`, which the parameters take: `t`, the second.
    assert!(bundle.contains("function t(e) {"), "{bundle}");
}

/// `import()` of a module the bundle runs eagerly reads its namespace object in the
/// importer's code: its short name stays clear of the importer's nested names. Sixty
/// parameters take every one-character name there; before, the namespace took one of them
/// and the parameter captured it.
#[test]
fn a_dynamically_imported_namespace_is_named_clear_of_the_importers_locals() {
    let dir = common::scratch_dir("minify-dynamic-namespace");
    let parameters: Vec<String> = (0..60).map(|n| format!("a{n}")).collect();
    std::fs::write(
        dir.join("main.mjs"),
        format!(
            "import {{ value }} from './dep.mjs';\n\
             async function run({}) {{\n\
             \tconst namespace = await import('./dep.mjs');\n\
             \tconsole.log(JSON.stringify([namespace.value, value, {}]));\n\
             }}\n\
             run(...Array.from({{ length: 60 }}, (_, index) => index));\n",
            parameters.join(", "),
            parameters.join(" + ")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("dep.mjs"),
        "export const value = { answer: 42 };\n",
    )
    .unwrap();
    let expected = common::run_node(&dir.join("main.mjs"));
    assert_eq!(expected.trim(), r#"[{"answer":42},{"answer":42},1770]"#);
    let out = build(&dir, &["--minify"]);
    assert_eq!(common::run_node(&out), expected);
}

/// Use is counted in items, but an item that refers to a binding dozens of times counts as
/// that many (to a power of two): `frequent`, called 40 times by one statement, gets the
/// shortest name, ahead of `spread`, called by three.
#[test]
fn short_names_count_an_item_that_refers_to_a_binding_dozens_of_times() {
    let dir = common::scratch_dir("minify-frequent-names");
    let calls: Vec<String> = (0..40).map(|n| format!("frequent({n})")).collect();
    std::fs::write(
        dir.join("main.mjs"),
        format!(
            "function spread(n) {{ return n + 1; }}\n\
             function frequent(n) {{ return n * 2; }}\n\
             console.log(spread(1));\n\
             console.log(spread(2));\n\
             console.log(spread(3));\n\
             console.log([{}].length);\n",
            calls.join(", ")
        ),
    )
    .unwrap();
    let expected = common::run_node(&dir.join("main.mjs"));
    let out = build(&dir, &["--minify-identifiers"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    // The first short name is `e`, which the parameters take: `t`, the second.
    assert!(
        bundle.contains("function t(e) {\n\treturn e * 2;"),
        "{bundle}"
    );
}

/// Minified, declarations of neighbouring modules join into one (each module's text is
/// left open at its ends, and the chunk writes `,` between them), and a private object used
/// once by an exported declaration is written where it is used (the compressor sees the
/// export as a plain declaration). node runs the bundle as it runs the modules.
#[test]
fn declarations_join_across_modules_and_private_objects_inline_into_exports() {
    let dir = common::scratch_dir("minify-join-modules");
    common::parse_fixture(
        r#"
//- /build.mjs
export function build(options) { return () => options.formats.full + options.width; }
//- /locale.mjs
import { build } from './build.mjs';
const formats = { full: 'EEEE', long: 'MMMM' };
export const formatLong = { date: build({ formats, width: 'full' }) };
//- /sizes.mjs
export const sizes = [1, 2, 3].map((n) => n * 2);
//- /main.mjs
import { formatLong } from './locale.mjs';
import { sizes } from './sizes.mjs';
const total = sizes.reduce((a, b) => a + b, 0);
console.log(formatLong.date(), total, total * 2);
"#,
    )
    .write_to(&dir);
    let expected = common::run_node(&dir.join("main.mjs"));
    assert_eq!(expected.trim(), "EEEEfull 12 24");
    let out = build(&dir, &["--minify"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    // `formatLong`, `sizes` and `total`, from three modules, in one declaration.
    assert_eq!(bundle.matches("let ").count(), 1, "{bundle}");
    assert!(bundle.contains("formats:{full:`EEEE`"), "{bundle}");
}

/// `verde build main.mjs --outfile out.mjs FLAGS...` in `dir`, which must succeed; the
/// bundle's path.
/// With `--minify`, a short constant another module imports is read in place, as the
/// compressor does inside its module: its literal is written where the importer reads it
/// (parenthesized before a `.`), and its declaration goes when nothing else needs it. A
/// longer literal is read in place only where its reads in the bundle are few enough that
/// this costs no more than a declaration (`link::literal_reads_pay`): a long string only
/// where it is read once; read more often, it is read by name, as negative numbers and
/// assigned bindings are. A namespace object's getter reads a constant as an importer does.
#[test]
fn imported_short_constants_are_read_in_place() {
    let dir = copy_fixture("tests/minify_constants", "minify-constants");
    let expected = common::run_node(&dir.join("main.mjs"));
    let out = build(&dir, &["--minify"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    for read_in_place in [
        "(0).toString()",
        "(1e3).toFixed(1)",
        "(.5).toFixed(2)",
        // No space between a keyword and a string.
        "typeof`a`",
        "`a`.length",
        "typeof (1e3).toFixed",
    ] {
        assert!(
            bundle.contains(read_in_place),
            "{read_in_place} is not in:\n{bundle}"
        );
    }
    // The constants' declarations come first (after the namespace object), joined: `HALF`
    // and `K` have none left; `ZERO` keeps its own for the entry's export.
    let declarations = bundle
        .split(';')
        .find(|statement| statement.starts_with("let "))
        .unwrap();
    assert!(
        !declarations.contains("=.5") && !declarations.contains("=1e3"),
        "{declarations}"
    );
    let first = declarations.strip_prefix("let ").unwrap_or_default();
    assert!(
        first.chars().nth(1) == Some('=') && first[2..].starts_with("0,"),
        "{declarations}"
    );
    // Five digits read twice cost less at both reads than declared once and named there.
    assert_eq!(bundle.matches("12345").count(), 2, "{bundle}");
    assert!(!bundle.contains("=12345"), "{bundle}");
    // Each longer literal is written once: where its one read is, or declared and read by
    // name.
    for literal in [
        "a long string",
        "read once through a namespace",
        "#ifdef A_CHUNK",
        "read by two items",
        "read twice by one item",
        "read twice through a namespace",
    ] {
        assert_eq!(
            bundle.matches(literal).count(),
            1,
            "{literal} in:\n{bundle}"
        );
    }
    // Read once: in place, no declaration left.
    for read_in_place in [
        "[`a long string`,",
        "`read once through a namespace`]",
        ",`\n#ifdef A_CHUNK",
    ] {
        assert!(
            bundle.contains(read_in_place),
            "{read_in_place} is not in:\n{bundle}"
        );
    }
    // A namespace object's getters return literals as importers read them; the
    // declarations go.
    for getter in [
        ":()=>1,",
        ":()=>`x`,",
        ":()=>`a longer literal, read by a getter only`,",
    ] {
        assert!(bundle.contains(getter), "{getter} is not in:\n{bundle}");
    }
    assert_eq!(bundle.matches("`x`").count(), 1, "{bundle}");
    assert_eq!(
        bundle.matches("read by a getter only").count(),
        1,
        "{bundle}"
    );
    assert_eq!(
        bundle.matches("read by a getter and an item").count(),
        1,
        "{bundle}"
    );
    for declared in [
        "=`a longer literal, read by a getter and an item`",
        "=`read by two items`",
        "=`read twice by one item`",
        "=`read twice through a namespace`",
    ] {
        assert!(bundle.contains(declared), "{declared} is not in:\n{bundle}");
    }
}

/// With `--minify`, a module's `var` constants that no code of it runs before (lodash-es's
/// flags) are read in place by its own functions, which the compressor leaves alone in a
/// module that imports (a cycle could call them early); link does so where no cycle can.
/// Where one can, or where code runs before the `var`, they are read by name, `undefined`
/// when read early, as node reads them.
#[test]
fn var_constants_are_read_in_place_where_nothing_reads_them_early() {
    let dir = copy_fixture("tests/minify_hoisted", "minify-hoisted");
    let expected = common::run_node(&dir.join("main.mjs"));
    assert_eq!(
        expected.trim(),
        r#"[11,"a long flag, read once",null,3,null,5]"#
    );
    let out = build(&dir, &["--minify"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    // (The functions reading them are called once: written as arrow functions where they
    // are called.)
    for read_in_place in ["e|1|2)", "=>`a long flag, read once`)"] {
        assert!(
            bundle.contains(read_in_place),
            "{read_in_place} is not in:\n{bundle}"
        );
    }
    // In the cycle and after code that runs: declared and read by name.
    for declared in ["=3;", "=5;"] {
        assert!(bundle.contains(declared), "{declared} is not in:\n{bundle}");
    }
}

/// Minified, a declaration whose value only makes something new (an arrow function, an
/// object of literals) is written where its binding's one read is, in another module or
/// its own, and so is one that calls something when no code runs between it and the read
/// (with a value moved into it first);
/// one read by a function or a loop (which would make it again), read twice, exported by
/// the entry, or calling something with code running in between is kept. node runs the
/// bundle as it runs the modules (and logs the calls in the same order).
#[test]
fn values_read_once_are_written_where_they_are_read() {
    let dir = copy_fixture("tests/minify_single_use", "minify-single-use");
    let expected = common::run_node(&dir.join("main.mjs"));
    assert_eq!(
        expected.trim(),
        r#"["moved:in a moment","after",1,2,true,true,true,true,"long",["early value","noise","built long","built A"]]"#
    );
    let out = build(&dir, &["--minify"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    // `eraPatterns` goes into `match`, which goes into `locale`.
    for moved in [
        "formatDistance:e=>`moved:",
        "values:{narrow:[",
        "match:{era:",
        "{any:/^(before|after)/i})}",
        "formatLong:{date:",
    ] {
        assert!(bundle.contains(moved), "{moved} is not in:\n{bundle}");
    }
    for kept in [
        "={count:0}",
        "={tag:`same object`}",
        "=()=>`twice`",
        "=()=>`exported`",
    ] {
        assert!(bundle.contains(kept), "{kept} is not in:\n{bundle}");
    }
    // `early` is read by its name.
    let early = bundle.split("early:").nth(1).unwrap_or_default();
    let value = early.split([',', '}']).next().unwrap_or_default();
    assert!(
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '$' || c == '_'),
        "{bundle}"
    );
    // Functions keep their names with `--keep-names`: then nothing moves.
    let out = build(&dir, &["--minify", "--keep-names"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    assert!(!bundle.contains("formatDistance:e=>"), "{bundle}");
}

/// With `--minify-syntax`, a function declaration read once is written where it is read: in
/// a slot anywhere, as a function expression; at a call, even in a loop or a function
/// (which then makes it on every call), as an arrow function in parentheses, unless it
/// reads `this` or `arguments`. In a function of another module, the bindings it refers to
/// are named clear of that module's nested names (sixty parameters take every one-letter
/// name), and it stays where it is when its module reads a global such a name could
/// capture. Functions that call themselves, are read twice or are called with `new` keep
/// their names. Node is the oracle.
#[test]
fn functions_read_once_are_written_where_they_are_read() {
    let dir = copy_fixture(
        "tests/minify_single_use_functions",
        "minify-single-use-functions",
    );
    let expected = common::run_node(&dir.join("main.mjs"));
    assert!(
        expected.starts_with(r#"["moved:once 41","0moved:loop1""#),
        "{expected}"
    );
    let out = build(&dir, &["--minify"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    for moved in [
        // Called: an arrow function, the expression it returns alone (in parentheses when
        // it is a sequence or an object), or its body.
        "push(`moved:once `+e),e+1))(41)",
        "((e=>e.map(String).join(`moved:loop`))([",
        "(e=>`moved:early `+e)(1)",
        "(e=>(e=>`moved:nested#${e}`)(e)+`!`)(7)",
        "return(()=>{let e=0;return()=>`moved:counter `+(e+=1)})()",
        "=>(e=>`moved:arrow `+e*e)(e)+`!`",
        "(e=>({v:e,tag:`moved:object`}))(typeof this)",
        // A name written last: `new` keeps its space.
        "(()=>new ",
        // Reading `this` or `arguments`: a function.
        "(function(){return`moved:this `+typeof this})()",
        "(function(){return`moved:arguments `+arguments.length})(e)",
        // In a slot: a function.
        "lerp:function(e,t,n){return`moved:slot ",
        // In functions of another module.
        "(e=>e+` moved:nested elsewhere`)(e)",
        ".calls+=1,`moved:touch ${",
    ] {
        assert!(bundle.contains(moved), "{moved} is not in:\n{bundle}");
    }
    for kept in [
        "kept:recursive",
        "kept:twice",
        "kept:constructor",
        "kept:global",
    ] {
        assert_eq!(
            named_function_holding(&bundle, kept),
            Some(true),
            "{kept}:\n{bundle}"
        );
    }
    // Functions keep their names with `--keep-names`: then nothing moves.
    let out = build(&dir, &["--minify", "--keep-names"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        named_function_holding(&bundle, "moved:once"),
        Some(true),
        "{bundle}"
    );
}

/// Whether the innermost `function` before `marker` in `code` has a name (`None`: no
/// function before it).
fn named_function_holding(code: &str, marker: &str) -> Option<bool> {
    let at = code.find(marker)?;
    let function = code[..at].rfind("function")?;
    let after = code[function + "function".len()..].trim_start_matches('*');
    Some(!after.starts_with('('))
}

/// With `--minify-syntax`, an importer reads the binding an imported object's member holds
/// in place of the member (lodash-es's `object.assign`), and the object goes; an object that
/// is written, listed, called through (which passes it as `this`) or holds a binding that
/// changes stays, and is read through as written.
#[test]
fn imported_objects_members_are_read_in_place() {
    let dir = copy_fixture("tests/minify_objects", "minify-objects");
    let expected = common::run_node(&dir.join("main.mjs"));
    assert!(expected.starts_with("[5,\"function\","), "{expected}");
    let out = build(&dir, &["--minify"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    // Read only through members: no object is made.
    for gone in ["label:", "twice:", "version:"] {
        assert!(!bundle.contains(gone), "{gone} is in:\n{bundle}");
    }
    for kept in ["value:", "other:", "describe:", "tag:", "count:"] {
        assert!(bundle.contains(kept), "{kept} is not in:\n{bundle}");
    }
    // Without `--minify-syntax` every object stays.
    let out = build(&dir, &["--minify-whitespace", "--minify-identifiers"]);
    assert_eq!(common::run_node(&out), expected);
    let bundle = std::fs::read_to_string(&out).unwrap();
    assert!(bundle.contains("label:"), "{bundle}");
}

/// A scratch directory named `scratch` holding a copy of the files of `fixture` (a folder
/// of the repository).
fn copy_fixture(fixture: &str, scratch: &str) -> std::path::PathBuf {
    let dir = common::scratch_dir(scratch);
    for entry in std::fs::read_dir(common::repo_root().join(fixture)).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

fn build(dir: &std::path::Path, flags: &[&str]) -> std::path::PathBuf {
    let out = dir.join("out.mjs");
    common::run_successfully(
        common::verde()
            .args(["build", "main.mjs", "--outfile"])
            .arg(&out)
            .args(flags)
            .current_dir(dir),
        &format!("verde build {}", flags.join(" ")),
    );
    out
}
