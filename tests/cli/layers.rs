//! The layers point one way (docs/architecture.md):
//!
//! ```text
//! i18n ← domain ← store ← {sync, report, demo, import} ← words ← {tui ← kiosk} ← cli
//! (tui reads rosters through import: the claimants of a new case)
//! ```
//!
//! This test reads every source file under `src/` (test code left out:
//! `tests.rs` files and what follows `#[cfg(test)]`), finds which top-level
//! modules it names (`crate::x`, `use crate::{x, …}`, `$crate::x`) and
//! fails on a name a layer may not use.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each top-level module may name. A module not listed may name
/// nothing of the crate.
fn allowed() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("i18n", &[][..]),
        ("paths", &[][..]),
        ("caught", &[][..]),
        ("domain", &["i18n"][..]),
        ("store", &["domain", "i18n"][..]),
        ("sync", &["store", "domain", "i18n"][..]),
        ("report", &["store", "domain", "i18n", "caught"][..]),
        ("demo", &["store", "domain", "i18n"][..]),
        ("import", &["store", "domain", "i18n"][..]),
        ("words", &["report", "store", "domain", "i18n"][..]),
        (
            "tui",
            &[
                "words", "sync", "report", "import", "store", "domain", "i18n", "paths",
            ][..],
        ),
        (
            "kiosk",
            &["tui", "words", "store", "domain", "i18n", "paths"][..],
        ),
        (
            "cli",
            &[
                "kiosk", "tui", "words", "demo", "import", "sync", "report", "store", "domain",
                "i18n", "paths",
            ][..],
        ),
        ("lib", &[][..]),
    ])
}

/// The source without its test code.
fn without_tests(src: &str) -> &str {
    match src.find("#[cfg(test)]") {
        Some(i) => &src[..i],
        None => src,
    }
}

/// The top-level modules a piece of source names.
fn named(src: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for prefix in ["crate::", "$crate::"] {
        let mut rest = src;
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `use crate::{a::b, c, d::{e, f}}`: the first name of each
                // top-level item of the group.
                let mut depth = 0usize;
                let mut item_start = true;
                let mut word = String::new();
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if c.is_alphanumeric() || c == '_' => {
                            if item_start {
                                word.push(c);
                            }
                            continue;
                        }
                        _ => {}
                    }
                    if !word.is_empty() {
                        if modules.contains(&word) {
                            out.insert(std::mem::take(&mut word));
                        }
                        word.clear();
                        item_start = c == ',' && depth == 0;
                    }
                }
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                out.insert(name);
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/store/figures/mod.rs` → `store`; `src/lib.rs` → `lib`.
fn top_module(src: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// Every arrow that runs the wrong way, as `file: module → module`.
fn violations(src: &Path) -> Vec<String> {
    let allowed = allowed();
    let mut files = Vec::new();
    sources(src, &mut files);
    files.sort();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| top_module(src, p))
        .filter(|m| m != "main" && m != "lib")
        .collect();
    for m in &modules {
        assert!(
            allowed.contains_key(m.as_str()),
            "the module {m} has no place in the layers: add it to allowed()"
        );
    }
    let mut bad = Vec::new();
    for path in &files {
        let from = top_module(src, path);
        if from == "main" || path.file_name().is_some_and(|f| f == "tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let may = allowed[from.as_str()];
        for to in named(without_tests(&text), &modules) {
            if to != from && !may.contains(&to.as_str()) {
                bad.push(format!(
                    "{}: {from} → {to}",
                    path.strip_prefix(src).unwrap().display()
                ));
            }
        }
    }
    bad
}

#[test]
fn layers_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bad = violations(&src);
    assert!(bad.is_empty(), "arrows that run back up: {bad:#?}");
}

#[test]
fn the_allowed_arrows_have_no_circle() {
    // A module may name only modules strictly below it: walking the allowed
    // arrows from any module never comes back to it.
    let allowed = allowed();
    fn reaches(
        from: &str,
        target: &str,
        allowed: &BTreeMap<&str, &[&str]>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for to in allowed[from] {
            if *to == target
                || (seen.insert((*to).to_owned()) && reaches(to, target, allowed, seen))
            {
                return true;
            }
        }
        false
    }
    for m in allowed.keys() {
        assert!(
            !reaches(m, m, &allowed, &mut BTreeSet::new()),
            "{m} reaches itself"
        );
    }
}

#[test]
fn the_scanner_sees_every_form_of_naming() {
    let modules: BTreeSet<String> = ["tui", "cli", "store", "domain", "kiosk"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let src = "use crate::store::Store;\nuse crate::{domain::x, tui::{a, b}};\n\
               fn f() { crate::cli::run(); }\nmacro_rules! m { () => { $crate::kiosk::k() } }";
    let found: Vec<String> = named(src, &modules).into_iter().collect();
    assert_eq!(found, ["cli", "domain", "kiosk", "store", "tui"]);
    assert!(named("use crate::{a::tui, b};", &modules).is_empty());
    // A made-up tree with one arrow back up is caught.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("store")).unwrap();
    std::fs::write(dir.path().join("store/mod.rs"), "use crate::tui::App;\n").unwrap();
    std::fs::create_dir_all(dir.path().join("tui")).unwrap();
    std::fs::write(
        dir.path().join("tui/mod.rs"),
        "use crate::store::Store;\n#[cfg(test)]\nmod tests { use crate::cli::x; }\n",
    )
    .unwrap();
    assert_eq!(violations(dir.path()), ["store/mod.rs: store → tui"]);
}
