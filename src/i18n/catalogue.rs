//! The console's words: catalogues in `locales/*.toml`, one file per area,
//! each key holding its Chinese and English text side by side:
//!
//! ```toml
//! [frame]
//! quit = { zh = "退出", en = "Quit" }
//! ```
//!
//! Keys are used as `t!(lang, "frame.quit")`; placeholders `{name}` are
//! filled by `t!(lang, "key", name = value)`. A test reads every `t!` in the
//! sources and every keymap binding, and fails on a key missing from either
//! language.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::i18n::Lang;

/// The catalogue files, compiled in.
const SOURCES: &[(&str, &str)] = &[
    ("frame", include_str!("../../locales/frame.toml")),
    ("checkin", include_str!("../../locales/checkin.toml")),
    ("cases", include_str!("../../locales/cases.toml")),
    ("schedule", include_str!("../../locales/schedule.toml")),
    ("sync", include_str!("../../locales/sync.toml")),
    ("held", include_str!("../../locales/held.toml")),
    ("figures", include_str!("../../locales/figures.toml")),
    ("report", include_str!("../../locales/report.toml")),
    ("kiosk", include_str!("../../locales/kiosk.toml")),
    ("admin", include_str!("../../locales/admin.toml")),
    ("signin", include_str!("../../locales/signin.toml")),
    ("records", include_str!("../../locales/records.toml")),
    ("glossary", include_str!("../../locales/glossary.toml")),
    ("cli", include_str!("../../locales/cli.toml")),
    ("errors", include_str!("../../locales/errors.toml")),
    ("export", include_str!("../../locales/export.toml")),
    ("import", include_str!("../../locales/import.toml")),
    ("people", include_str!("../../locales/people.toml")),
    ("slip", include_str!("../../locales/slip.toml")),
    ("handoffs", include_str!("../../locales/handoffs.toml")),
    (
        "respondents",
        include_str!("../../locales/respondents.toml"),
    ),
];

/// One entry: the Chinese and the English text.
#[derive(Debug, Clone)]
pub struct Entry {
    pub zh: String,
    pub en: String,
}

/// Everything that can go wrong reading a catalogue (found by a test, never
/// at run time: the files are compiled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueError {
    Parse { file: String, message: String },
    Missing { key: String, lang: &'static str },
    NotText { key: String },
    Twice { key: String },
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut HashMap<String, Entry>,
    errors: &mut Vec<CatalogueError>,
) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let Some(t) = v.as_table() else {
            errors.push(CatalogueError::NotText { key });
            continue;
        };
        let is_leaf = t.contains_key("zh") || t.contains_key("en");
        if !is_leaf {
            flatten(&key, t, out, errors);
            continue;
        }
        let get = |l: &'static str, errors: &mut Vec<CatalogueError>| match t.get(l) {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => s.clone(),
            _ => {
                errors.push(CatalogueError::Missing {
                    key: key.clone(),
                    lang: l,
                });
                String::new()
            }
        };
        let zh = get("zh", errors);
        let en = get("en", errors);
        if out.insert(key.clone(), Entry { zh, en }).is_some() {
            errors.push(CatalogueError::Twice { key });
        }
    }
}

/// Reads catalogue sources; returns the entries and what is wrong with them.
pub fn parse(sources: &[(&str, &str)]) -> (HashMap<String, Entry>, Vec<CatalogueError>) {
    let mut out = HashMap::new();
    let mut errors = Vec::new();
    for (file, text) in sources {
        match text.parse::<toml::Table>() {
            Ok(t) => flatten("", &t, &mut out, &mut errors),
            Err(e) => errors.push(CatalogueError::Parse {
                file: (*file).to_owned(),
                message: e.to_string(),
            }),
        }
    }
    (out, errors)
}

/// The compiled-in catalogue and its problems.
pub fn catalogue() -> &'static (HashMap<String, Entry>, Vec<CatalogueError>) {
    static CAT: OnceLock<(HashMap<String, Entry>, Vec<CatalogueError>)> = OnceLock::new();
    CAT.get_or_init(|| parse(SOURCES))
}

/// The text of `key` in `lang`, if the catalogue has it (for keys made at
/// run time, such as a field's stored name).
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue().0.get(key).map(|e| match lang {
        Lang::ZhCn => e.zh.as_str(),
        Lang::En => e.en.as_str(),
    })
}

/// A person's name as shown: an erased person's is empty, and shows as
/// "（已删除）" / "(erased)".
pub fn person_name(name: &str, lang: Lang) -> &str {
    if name.is_empty() {
        text(lang, "frame.erased")
    } else {
        name
    }
}

/// The text of `key` in `lang`; the key itself when it is missing (a test
/// makes sure none is).
pub fn text(lang: Lang, key: &str) -> &str {
    match catalogue().0.get(key) {
        Some(e) => match lang {
            Lang::ZhCn => &e.zh,
            Lang::En => &e.en,
        },
        None => {
            tracing::warn!("missing catalogue key {key}");
            // Leaks nothing: the key is usually 'static in callers, but a
            // borrowed str cannot be returned from here, so give a marker.
            "\u{fffd}"
        }
    }
}

/// Fills `{name}` placeholders, in one pass: a value is never read again,
/// so a path or a name holding `{…}` itself is shown as it is. A brace that
/// names no argument stays as written.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, value)| (close, value))
        });
        match arg {
            Some((close, value)) => {
                let _ = write!(out, "{value}");
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `t!(lang, "key")` gives `&str`; `t!(lang, "key", n = 3)` gives `String`.
#[macro_export]
macro_rules! t {
    ($lang:expr, $key:literal) => {
        $crate::i18n::catalogue::text($lang, $key)
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::catalogue::fill(
            $crate::i18n::catalogue::text($lang, $key),
            &[$((stringify!($name), &$value as &dyn std::fmt::Display)),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_parse_and_are_complete_in_both_languages() {
        let (_, errors) = catalogue();
        assert!(errors.is_empty(), "catalogue problems: {errors:?}");
    }

    #[test]
    fn a_missing_language_is_reported() {
        let (_, errors) = parse(&[(
            "x",
            "[a]\nb = { zh = \"乙\" }\nc = { zh = \"丙\", en = \" \" }",
        )]);
        assert_eq!(
            errors,
            vec![
                CatalogueError::Missing {
                    key: "a.b".into(),
                    lang: "en"
                },
                CatalogueError::Missing {
                    key: "a.c".into(),
                    lang: "en"
                },
            ]
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("今日 {n} 人", &[("n", &42)]), "今日 42 人");
        assert_eq!(fill("{a}/{a} {b}", &[("a", &1), ("b", &"x")]), "1/1 x");
        // A value is not filled again; an unknown or open brace stays.
        assert_eq!(
            fill(
                "{path}: {error}",
                &[("path", &"/tmp/{error}"), ("error", &"e")]
            ),
            "/tmp/{error}: e"
        );
        assert_eq!(fill("{x} {n} {", &[("n", &2)]), "{x} 2 {");
    }

    /// Every `t!(…, "key"…)` in the console's sources names a key that the
    /// catalogue has, in both languages.
    #[test]
    fn every_key_used_in_the_sources_exists() {
        let (cat, _) = catalogue();
        let mut missing = Vec::new();
        let mut used = 0;
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("catalogue.rs") {
                    continue;
                }
                let src = std::fs::read_to_string(&path).unwrap();
                for key in keys_in(&src) {
                    used += 1;
                    if !cat.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(used > 20, "found only {used} keys: is the scanner broken?");
        assert!(
            missing.is_empty(),
            "keys missing from locales/: {missing:#?}"
        );
    }

    /// The string literal right after each `t!(<lang>, `.
    fn keys_in(src: &str) -> Vec<&str> {
        let mut keys = Vec::new();
        let mut rest = src;
        while let Some(i) = rest.find("t!(") {
            // `assert!(` and the like end in `t!(` too: only a `t` that
            // starts a name counts.
            let starts_name = rest[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            rest = &rest[i + 3..];
            if !starts_name {
                continue;
            }
            // Skip the language argument up to the first comma.
            let Some(comma) = rest.find(',') else { break };
            let after = rest[comma + 1..].trim_start();
            if let Some(lit) = after.strip_prefix('"')
                && let Some(end) = lit.find('"')
            {
                keys.push(&lit[..end]);
            }
        }
        keys
    }

    #[test]
    fn key_scanner_finds_keys() {
        let src = r#"let a = t!(lang, "frame.quit"); assert!(x, "no"); let b = t!(self.lang, "x.y", n = 3);"#;
        assert_eq!(keys_in(src), vec!["frame.quit", "x.y"]);
    }
}
