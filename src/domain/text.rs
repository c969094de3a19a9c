//! Cleaning of free text typed by staff, and the pinyin keys used to look
//! people up by name (张三 → `zhangsan`, `zs`).

use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;

use crate::domain::error::{Field, ValidationError};

/// Whitespace that single-line fields collapse: everything Unicode calls
/// whitespace, except the control characters other than tab, LF and CR.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
}

/// A control character that is refused (tab, LF and CR count as whitespace).
fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Refuses control characters, before and after normalisation.
fn check_controls(field: Field, raw: &str, normalised: &str) -> Result<(), ValidationError> {
    if raw
        .chars()
        .chain(normalised.chars())
        .any(is_refused_control)
    {
        return Err(ValidationError::TextControlChar { field });
    }
    Ok(())
}

/// Refuses an empty result or one longer than `max_chars` scalar values.
fn check_length(field: Field, text: String, max_chars: usize) -> Result<String, ValidationError> {
    if text.is_empty() {
        return Err(ValidationError::TextEmpty { field });
    }
    let len = text.chars().count();
    if len > max_chars {
        return Err(ValidationError::TextTooLong {
            field,
            max: max_chars,
            len,
        });
    }
    Ok(text)
}

/// Collapses every run of whitespace in `line` to one ASCII space and trims
/// both ends.
fn collapse(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split(is_blank).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Cleans a single-line text field.
///
/// NFC-normalises, trims, collapses every run of whitespace (tab, newline,
/// ideographic space U+3000, …) to one ASCII space, and refuses any other
/// control character (`TextControlChar`), an empty result (`TextEmpty`) or
/// more than `max_chars` Unicode scalar values (`TextTooLong`, counted after
/// cleaning).
pub fn clean_text(field: Field, input: &str, max_chars: usize) -> Result<String, ValidationError> {
    let normalised: String = input.nfc().collect();
    check_controls(field, input, &normalised)?;
    check_length(field, collapse(&normalised), max_chars)
}

/// Cleans a multi-line text field such as a case note.
///
/// Like [`clean_text`], but line breaks are kept: `\r\n`, lone `\r`, U+2028
/// and U+2029 become `\n`. In each line, runs of whitespace inside the text
/// collapse to one ASCII space, indentation is kept as one ASCII space per
/// leading whitespace character (the text as a whole is trimmed first), and
/// trailing whitespace is trimmed. Blank
/// lines at the start and end are removed, and a run of blank lines inside
/// collapses to a single blank line (a paragraph break). The length limit
/// counts the `\n` characters too.
pub fn clean_multiline(
    field: Field,
    input: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    let normalised: String = input.nfc().collect();
    check_controls(field, input, &normalised)?;
    let unified = normalised
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    let mut lines: Vec<String> = Vec::new();
    // The note as a whole is trimmed; indentation inside it is kept.
    for raw in unified.trim_matches(is_blank).split('\n') {
        let indent = raw.chars().take_while(|&c| is_blank(c)).count();
        let body = collapse(raw);
        let line = if body.is_empty() {
            String::new()
        } else {
            " ".repeat(indent) + &body
        };
        let previous_blank = lines.last().is_none_or(|l| l.is_empty());
        if line.is_empty() && previous_blank {
            continue; // leading blank line, or a second blank line in a row
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    check_length(field, lines.join("\n"), max_chars)
}

/// Cleans an optional single-line field: blank input gives `Ok(None)`,
/// anything else is cleaned as by [`clean_text`].
pub fn clean_optional(
    field: Field,
    input: &str,
    max_chars: usize,
) -> Result<Option<String>, ValidationError> {
    match clean_text(field, input, max_chars) {
        Ok(text) => Ok(Some(text)),
        Err(ValidationError::TextEmpty { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The pinyin of a name, one syllable per Han character or ASCII word.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Pinyin {
    /// Lower-case syllables without tones, `ü` written as `v`.
    pub syllables: Vec<String>,
}

impl Pinyin {
    /// All syllables run together: 张三 → `zhangsan`.
    pub fn full(&self) -> String {
        self.syllables.concat()
    }

    /// The first letter of each syllable: 张三 → `zs`.
    pub fn initials(&self) -> String {
        self.syllables
            .iter()
            .filter_map(|s| s.chars().next())
            .collect()
    }
}

/// Surnames read differently from the character's usual reading, keyed by
/// their characters. Two-character surnames come first.
const SURNAMES: &[(&str, &[&str])] = &[
    ("长孙", &["zhang", "sun"]),
    ("万俟", &["mo", "qi"]),
    ("单", &["shan"]),
    ("曾", &["zeng"]),
    ("解", &["xie"]),
    ("仇", &["qiu"]),
    ("区", &["ou"]),
    ("朴", &["piao"]),
    ("查", &["zha"]),
    ("盖", &["ge"]),
    ("缪", &["miao"]),
    ("乐", &["yue"]),
    ("覃", &["qin"]),
    ("翟", &["zhai"]),
    ("尉", &["yu"]),
    ("召", &["shao"]),
    ("种", &["chong"]),
    ("秘", &["bi"]),
    ("员", &["yun"]),
    ("黑", &["he"]),
    ("句", &["gou"]),
    ("重", &["chong"]),
    ("过", &["guo"]),
    ("繁", &["po"]),
    ("郇", &["huan"]),
    ("隗", &["wei"]),
    ("冼", &["xian"]),
    ("沈", &["shen"]),
    ("褚", &["chu"]),
];

/// The pinyin reading of one Han character, lower case, `ü` as `v`.
fn han_reading(c: char) -> Option<String> {
    c.to_pinyin().map(|p| p.plain().replace('ü', "v"))
}

/// The ASCII letter or digit a character stands for, if any: `é` → `e`,
/// `Ｔ` (after NFKC) → `t`.
fn ascii_base(c: char) -> Option<char> {
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() {
            base = Some(d);
        }
    });
    base.filter(char::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase())
}

/// The pinyin of a name, for look-up by full pinyin or initials.
///
/// Han characters give their plain reading without tone (`ü` as `v`, as an
/// IME types it); when the first Han character starts a surname with a
/// special reading (单 shan, 曾 zeng, 长孙 zhangsun, 万俟 moqi, …) that
/// reading is used, elsewhere the dictionary's default reading. Each run of
/// ASCII letters and digits (accents dropped, full-width folded) gives one
/// syllable; everything else (`·`, spaces, punctuation) is skipped.
pub fn pinyin_of(name: &str) -> Pinyin {
    let chars: Vec<char> = name.nfkc().collect();
    let mut syllables = Vec::new();
    let mut word = String::new();
    let mut seen_han = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(b) = ascii_base(c) {
            word.push(b);
            i += 1;
            continue;
        }
        if !word.is_empty() {
            syllables.push(std::mem::take(&mut word));
        }
        if c.to_pinyin().is_none() {
            i += 1;
            continue;
        }
        if !seen_han {
            seen_han = true;
            let special = SURNAMES.iter().find(|(surname, _)| {
                surname
                    .chars()
                    .enumerate()
                    .all(|(k, s)| chars.get(i + k) == Some(&s))
            });
            if let Some((surname, readings)) = special {
                syllables.extend(readings.iter().map(|r| (*r).to_owned()));
                i += surname.chars().count();
                continue;
            }
        }
        if let Some(reading) = han_reading(c) {
            syllables.push(reading);
        }
        i += 1;
    }
    if !word.is_empty() {
        syllables.push(word);
    }
    Pinyin { syllables }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const F: Field = Field::Name;

    fn py(name: &str) -> (String, String) {
        let p = pinyin_of(name);
        (p.full(), p.initials())
    }

    #[test]
    fn clean_text_trims_and_collapses() {
        assert_eq!(clean_text(F, "  张三  ", 10).unwrap(), "张三");
        assert_eq!(clean_text(F, "Tom \t\n  Lee", 20).unwrap(), "Tom Lee");
        assert_eq!(
            clean_text(F, "\u{3000}张\u{3000}\u{3000}三\u{3000}", 10).unwrap(),
            "张 三"
        );
        assert_eq!(clean_text(F, "a\r\nb\u{a0}c", 10).unwrap(), "a b c");
    }

    #[test]
    fn clean_text_normalises_to_nfc() {
        // "e" + combining acute accent becomes the single scalar "é".
        assert_eq!(clean_text(F, "Jose\u{301}", 4).unwrap(), "Jos\u{e9}");
    }

    #[test]
    fn clean_text_refuses_controls() {
        for bad in [
            "a\u{0}b",
            "\u{7}",
            "a\u{1b}[31m",
            "a\u{b}b",
            "a\u{c}b",
            "x\u{85}",
            "\u{7f}",
        ] {
            assert_eq!(
                clean_text(F, bad, 50),
                Err(ValidationError::TextControlChar { field: F }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn clean_text_refuses_empty() {
        for blank in ["", "   ", "\t\n\r", "\u{3000}"] {
            assert_eq!(
                clean_text(Field::Note, blank, 5),
                Err(ValidationError::TextEmpty { field: Field::Note })
            );
        }
    }

    #[test]
    fn clean_text_counts_scalars_after_cleaning() {
        assert_eq!(clean_text(F, "  欧阳娜娜  ", 4).unwrap(), "欧阳娜娜");
        assert_eq!(
            clean_text(F, "欧阳 娜娜", 4),
            Err(ValidationError::TextTooLong {
                field: F,
                max: 4,
                len: 5
            })
        );
    }

    #[test]
    fn clean_multiline_keeps_lines() {
        let input = "\r\n\n  first  line  \r\nsecond\t\r\n\r\n\r\n\n  - item\u{3000}\n\n";
        assert_eq!(
            clean_multiline(Field::Note, input, 100).unwrap(),
            "first line\nsecond\n\n  - item"
        );
        assert_eq!(
            clean_multiline(Field::Note, "a\rb\u{2028}c", 100).unwrap(),
            "a\nb\nc"
        );
        assert_eq!(
            clean_multiline(Field::Note, "a \n \n b", 100).unwrap(),
            "a\n\n b"
        );
    }

    #[test]
    fn clean_multiline_refusals() {
        let n = Field::Note;
        assert_eq!(
            clean_multiline(n, " \n\r\n ", 9),
            Err(ValidationError::TextEmpty { field: n })
        );
        assert_eq!(
            clean_multiline(n, "a\u{0}", 9),
            Err(ValidationError::TextControlChar { field: n })
        );
        assert_eq!(
            clean_multiline(n, "ab\ncd", 4),
            Err(ValidationError::TextTooLong {
                field: n,
                max: 4,
                len: 5
            })
        );
    }

    #[test]
    fn clean_optional_blank_is_none() {
        assert_eq!(clean_optional(Field::Employer, "", 10), Ok(None));
        assert_eq!(clean_optional(Field::Employer, " \u{3000}\t", 10), Ok(None));
        assert_eq!(
            clean_optional(Field::Employer, " 美团 ", 10),
            Ok(Some("美团".into()))
        );
        assert_eq!(
            clean_optional(Field::Employer, "\u{0}", 10),
            Err(ValidationError::TextControlChar {
                field: Field::Employer
            })
        );
        assert!(matches!(
            clean_optional(Field::Employer, "abc", 2),
            Err(ValidationError::TextTooLong { .. })
        ));
    }

    #[test]
    fn pinyin_of_common_names() {
        assert_eq!(py("张三"), ("zhangsan".into(), "zs".into()));
        assert_eq!(pinyin_of("张三").syllables, ["zhang", "san"]);
        assert_eq!(py("吕布"), ("lvbu".into(), "lb".into()));
        assert_eq!(py("欧阳娜娜"), ("ouyangnana".into(), "oynn".into()));
        assert_eq!(py("女略").0, "nvlve");
    }

    #[test]
    fn pinyin_of_polyphonic_surnames() {
        assert_eq!(py("单雄信").0, "shanxiongxin");
        assert_eq!(py("曾国藩").0, "zengguofan");
        assert_eq!(py("解缙").0, "xiejin");
        assert_eq!(py("区").0, "ou");
        assert_eq!(py("长孙无忌"), ("zhangsunwuji".into(), "zswj".into()));
        assert_eq!(pinyin_of("万俟卨").syllables[..2], ["mo", "qi"]);
        assert_eq!(py("尉迟").0, "yuchi");
        assert_eq!(py("黑").0, "he");
        // Only the first Han character is read as a surname.
        assert_eq!(py("王单").0, "wangdan");
        assert_eq!(py("王万俟").0, "wangwanqi");
        // 长 not followed by 孙 keeps its usual reading.
        assert_eq!(py("长江").0, "zhangjiang");
    }

    #[test]
    fn pinyin_of_latin_and_mixed() {
        let p = pinyin_of("Tom Lee");
        assert_eq!(p.syllables, ["tom", "lee"]);
        assert_eq!(p.initials(), "tl");
        assert_eq!(pinyin_of("李Tom").syllables, ["li", "tom"]);
        assert_eq!(pinyin_of("Ｔｏｍ２号").syllables, ["tom2", "hao"]);
        assert_eq!(pinyin_of("José").syllables, ["jose"]);
        assert_eq!(
            pinyin_of("迪丽热巴·迪力木拉提").full(),
            "dilirebadilimulati"
        );
        assert_eq!(pinyin_of("").syllables, Vec::<String>::new());
        assert_eq!(pinyin_of("·, !").initials(), "");
        // The surname rule looks at the first Han character even after Latin.
        assert_eq!(pinyin_of("Tom单").syllables, ["tom", "shan"]);
    }

    proptest! {
        #[test]
        fn clean_text_never_panics_and_is_clean(s in any::<String>(), max in 0usize..40) {
            if let Ok(t) = clean_text(F, &s, max) {
                prop_assert!(!t.is_empty() && t.chars().count() <= max);
                prop_assert!(!t.starts_with(' ') && !t.ends_with(' ') && !t.contains("  "));
                prop_assert!(!t.chars().any(|c| c.is_control() || (c.is_whitespace() && c != ' ')));
                prop_assert_eq!(clean_text(F, &t, max), Ok(t.clone()));
            }
        }

        #[test]
        fn clean_multiline_never_panics_and_is_idempotent(s in any::<String>()) {
            if let Ok(t) = clean_multiline(Field::Note, &s, 1000) {
                prop_assert!(!t.starts_with('\n') && !t.ends_with('\n') && !t.contains("\n\n\n"));
                prop_assert!(!t.chars().any(|c| c != '\n' && c.is_control()));
                prop_assert_eq!(clean_multiline(Field::Note, &t, 1000), Ok(t.clone()));
            }
        }

        #[test]
        fn pinyin_of_never_panics(s in any::<String>()) {
            let p = pinyin_of(&s);
            prop_assert_eq!(p.initials().chars().count(), p.syllables.len());
            prop_assert!(p.full().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        }
    }
}
