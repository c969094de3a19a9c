//! Cleaning of free text typed by staff, and the pinyin keys used to look
//! people up by name (张三 → `zhangsan`, `zs`).

use pinyin::ToPinyinMulti;
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

/// Surnames and their readings as surnames, keyed by their characters, one
/// list of readings per character. Two-character surnames come first.
///
/// A surname is listed when the dictionary's first reading of its character
/// is not how the surname is read (单 dān, as a surname shàn), or when the
/// order of its readings should be pinned; where two readings are in use for
/// the surname (薄 bó and báo), both are listed, the more usual first. The
/// character's usual dictionary reading follows these, if it is not one of
/// them (see [`name_readings`]). Checked against the surname readings of
/// the 百家姓 (the surname mode of pinyin-pro, which lists 492 of them):
/// every surname whose reading differs from the `pinyin` crate's first
/// reading is here.
const SURNAMES: &[(&str, &[&[&str]])] = &[
    ("长孙", &[&["zhang"], &["sun"]]),
    ("万俟", &[&["mo"], &["qi"]]),
    ("尉迟", &[&["yu"], &["chi"]]),
    ("单于", &[&["chan"], &["yu"]]),
    ("澹台", &[&["tan"], &["tai"]]),
    ("子车", &[&["zi"], &["ju"]]),
    ("乐正", &[&["yue"], &["zheng"]]),
    ("句龙", &[&["gou"], &["long"]]),
    ("单", &[&["shan"]]),
    ("曾", &[&["zeng"]]),
    ("解", &[&["xie"]]),
    ("仇", &[&["qiu"]]),
    ("区", &[&["ou"]]),
    ("朴", &[&["piao"]]),
    ("查", &[&["zha"]]),
    ("盖", &[&["ge"]]),
    ("缪", &[&["miao"]]),
    ("乐", &[&["yue", "le"]]),
    ("覃", &[&["qin", "tan"]]),
    ("翟", &[&["zhai", "di"]]),
    ("尉", &[&["wei"]]),
    ("召", &[&["shao"]]),
    ("种", &[&["chong"]]),
    ("秘", &[&["bi"]]),
    ("员", &[&["yun"]]),
    ("黑", &[&["he"]]),
    ("句", &[&["gou"]]),
    ("重", &[&["chong"]]),
    ("过", &[&["guo"]]),
    ("繁", &[&["po"]]),
    ("郇", &[&["huan"]]),
    ("隗", &[&["wei"]]),
    ("冼", &[&["xian"]]),
    ("沈", &[&["shen"]]),
    ("褚", &[&["chu"]]),
    ("能", &[&["nai"]]),
    ("薄", &[&["bo", "bao"]]),
    ("都", &[&["du", "dou"]]),
    ("阚", &[&["kan"]]),
    ("折", &[&["she", "zhe"]]),
    ("粘", &[&["nian", "zhan"]]),
    ("卜", &[&["bu", "bo"]]),
    ("宓", &[&["mi"]]),
    ("阿", &[&["a", "e"]]),
    ("乜", &[&["nie"]]),
    ("六", &[&["lu"]]),
];

/// At most this many spellings of a name (or of the part of it from one
/// syllable on) are indexed, and as many strings of initials.
///
/// Names are two to four characters. Sixteen covers every combination of a
/// three-character name with two characters of up to four readings each,
/// or of four characters with two readings each (李长江: `lizhangjiang`,
/// `lichangjiang`); past that, the combinations made of the less usual
/// readings are the ones left out (see [`NameReadings::spellings`]). Of the
/// 200,000 names of the district-scale demo, 53 % have one spelling, 95 %
/// at most 4, and 0.2 % reach the cap. It bounds the pinyin lookup terms of
/// one person to 16 per syllable per kind (the most any demo name has is 62
/// in all, the mean 8.2 against 5.6 with one reading per character).
pub const MAX_SPELLINGS: usize = 16;

/// Every reading of each syllable of a name, the most usual first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameReadings {
    /// One entry per syllable, each holding at least one reading: lower
    /// case, without tones, `ü` as `v`, without repeats.
    pub syllables: Vec<Vec<String>>,
}

impl NameReadings {
    /// The most usual reading of each syllable.
    pub fn usual(&self) -> Pinyin {
        Pinyin {
            syllables: self
                .syllables
                .iter()
                .filter_map(|r| r.first().cloned())
                .collect(),
        }
    }

    /// The spellings of the name from syllable `from` on, each syllable by
    /// each of its readings: all the combinations when there are at most
    /// [`MAX_SPELLINGS`], otherwise the [`MAX_SPELLINGS`] most usual. The
    /// usual spelling comes first, then those with the fewest and most usual
    /// other readings (ranked by the sum of the readings' positions in
    /// their lists, then by the highest of them, then earlier in the name
    /// first: 薄熙 `boxi`, `baoxi`, `boyi`). Empty past the last syllable.
    pub fn spellings(&self, from: usize) -> Vec<String> {
        let options = self.syllables.get(from..).unwrap_or_default();
        combinations(options)
    }

    /// The initials of the name from syllable `from` on, for each reading
    /// of each syllable (长 gives `z` and `c`): the combinations of the
    /// distinct first letters, chosen as in [`NameReadings::spellings`].
    pub fn initials(&self, from: usize) -> Vec<String> {
        let options: Vec<Vec<String>> = self
            .syllables
            .get(from..)
            .unwrap_or_default()
            .iter()
            .map(|readings| {
                let mut letters: Vec<String> = Vec::with_capacity(readings.len());
                for r in readings {
                    let first: String = r.chars().take(1).collect();
                    if !first.is_empty() && !letters.contains(&first) {
                        letters.push(first);
                    }
                }
                letters
            })
            .collect();
        combinations(&options)
    }
}

/// The [`MAX_SPELLINGS`] most usual combinations of one option per
/// position, concatenated, without repeats. A combination is ranked by the
/// sum of its options' indexes, then the highest index, then by the first
/// position where their indexes differ (the higher index there first); it
/// is found best first (each successor raises one index by one,
/// so its rank is lower than every combination before it).
fn combinations(options: &[Vec<String>]) -> Vec<String> {
    use std::cmp::Reverse;
    use std::collections::{BTreeSet, BinaryHeap};

    if options.is_empty() || options.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    let key = |ix: Vec<usize>| {
        let sum: usize = ix.iter().sum();
        let max = ix.iter().copied().max().unwrap_or(0);
        // Of two alike, the one whose other reading comes earlier in the
        // name: a surname's second reading before a given name's.
        Reverse((sum, max, Reverse(ix)))
    };
    let mut heap = BinaryHeap::new();
    let mut seen = BTreeSet::new();
    let start = vec![0; options.len()];
    seen.insert(start.clone());
    heap.push(key(start));
    let mut out: Vec<String> = Vec::new();
    let mut taken = 0;
    while taken < MAX_SPELLINGS {
        let Some(Reverse((_, _, Reverse(ix)))) = heap.pop() else {
            break;
        };
        taken += 1;
        let spelling: String = ix
            .iter()
            .zip(options)
            .filter_map(|(&i, o)| o.get(i).map(String::as_str))
            .collect();
        if !out.contains(&spelling) {
            out.push(spelling);
        }
        for (pos, o) in options.iter().enumerate() {
            if ix[pos] + 1 < o.len() {
                let mut next = ix.clone();
                next[pos] += 1;
                if seen.insert(next.clone()) {
                    heap.push(key(next));
                }
            }
        }
    }
    out
}

/// Every reading of one Han character, the dictionary's most usual first:
/// lower case, without tone, `ü` as `v`, without repeats.
fn han_readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let r = p.plain().replace('ü', "v");
            if !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
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

/// The readings of a name, for look-up by full pinyin or initials.
///
/// Each Han character gives one syllable with every reading the dictionary
/// has for it (the `pinyin` crate's heteronyms: 长 `zhang`, `chang`), plain
/// without tone (`ü` as `v`, as an IME types it). When the first Han
/// character starts a surname of [`SURNAMES`] (单 shan, 尉 wei, 尉迟 yuchi,
/// 长孙 zhangsun, 薄 bo and bao, …), each of its characters has its readings
/// as a surname, then its usual dictionary reading (单 shan, dan; 尉迟 yu or
/// wei, chi; 单于 chan, shan or dan, yu, as 单于飞 may be 单 于飞): the name is found by the surname's reading, and by the
/// character read as written (by a clerk who reads it so, or when the
/// first character is no surname, as 查 cha in 查干巴拉); its other
/// dictionary readings (单 chan, 尉 yun) are left out. Each run of ASCII
/// letters and digits (accents dropped, full-width folded) gives one
/// syllable with one reading; everything else (`·`, spaces, punctuation) is
/// skipped.
pub fn name_readings(name: &str) -> NameReadings {
    let chars: Vec<char> = name.nfkc().collect();
    let mut syllables: Vec<Vec<String>> = Vec::new();
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
            syllables.push(vec![std::mem::take(&mut word)]);
        }
        let readings = han_readings(c);
        if readings.is_empty() {
            i += 1;
            continue;
        }
        if !seen_han {
            seen_han = true;
            // 单于飞 may be 单于 (chanyu) or 单 (shan) 于飞: every surname
            // the name may start with, the longest first.
            let surnames: Vec<_> = SURNAMES
                .iter()
                .filter(|(surname, _)| {
                    surname
                        .chars()
                        .enumerate()
                        .all(|(k, s)| chars.get(i + k) == Some(&s))
                })
                .collect();
            if let Some((longest, _)) = surnames.first() {
                for (k, s) in longest.chars().enumerate() {
                    let mut all: Vec<String> = Vec::new();
                    let as_surnames = surnames.iter().filter_map(|(_, read)| read.get(k));
                    let as_written = han_readings(s).into_iter().take(1);
                    for r in as_surnames
                        .flat_map(|read| read.iter().map(|r| (*r).to_owned()))
                        .chain(as_written)
                    {
                        if !all.contains(&r) {
                            all.push(r);
                        }
                    }
                    syllables.push(all);
                }
                i += longest.chars().count();
                continue;
            }
        }
        syllables.push(readings);
        i += 1;
    }
    if !word.is_empty() {
        syllables.push(vec![word]);
    }
    NameReadings { syllables }
}

/// The usual pinyin of a name: each syllable by its first reading in
/// [`name_readings`] (a surname by its reading as a surname, 单雄信
/// `shanxiongxin`; elsewhere the dictionary's most usual reading).
pub fn pinyin_of(name: &str) -> Pinyin {
    name_readings(name).usual()
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
    fn surnames_read_as_surnames() {
        // 尉 is yu only in 尉迟; alone it is wei.
        assert_eq!(py("尉建国").0, "weijianguo");
        assert_eq!(py("尉迟恭").0, "yuchigong");
        for (name, usual) in [
            ("能文", "naiwen"),
            ("薄一波", "boyibo"),
            ("都安", "duan"),
            ("阚泽", "kanze"),
            ("折克行", "shekexing"),
            ("粘良", "nianliang"),
            ("卜凡", "bufan"),
            ("单于飞", "chanyufei"),
            ("乐天", "yuetian"),
            ("翟明", "zhaiming"),
            ("覃明", "qinming"),
            ("仇英", "qiuying"),
            ("查良镛", "zhaliangyong"),
            ("朴树", "piaoshu"),
            ("盖聂", "genie"),
            ("缪明", "miaoming"),
            ("召明", "shaoming"),
            ("秘明", "biming"),
            ("员明", "yunming"),
            ("繁明", "poming"),
            ("句明", "gouming"),
            ("隗明", "weiming"),
            ("种明", "chongming"),
            ("澹台明", "tantaiming"),
            ("乜明", "nieming"),
        ] {
            assert_eq!(py(name).0, usual, "{name}");
        }
    }

    fn spelled(name: &str) -> Vec<String> {
        name_readings(name).spellings(0)
    }

    #[test]
    fn every_reading_of_each_character_is_spelled() {
        let r = name_readings("李长江");
        let all = r.spellings(0);
        assert_eq!(all[0], "lizhangjiang", "the dictionary's first reading");
        assert!(all.contains(&"lichangjiang".to_owned()), "{all:?}");
        assert_eq!(all.len(), 2);
        let initials = r.initials(0);
        assert_eq!(initials, ["lzj", "lcj"]);
        assert_eq!(r.spellings(1), ["zhangjiang", "changjiang"]);
        assert_eq!(r.initials(1), ["zj", "cj"]);
        assert_eq!(r.spellings(3), Vec::<String>::new());

        let all = spelled("王重阳");
        assert!(all.contains(&"wangchongyang".to_owned()), "{all:?}");
        assert!(all.contains(&"wangzhongyang".to_owned()), "{all:?}");
        assert!(
            name_readings("王重阳")
                .initials(0)
                .contains(&"wcy".to_owned())
        );
        // Readings that differ only in tone are one spelling.
        assert_eq!(spelled("华"), ["hua"]);
    }

    #[test]
    fn a_surname_is_spelled_as_a_surname_first_then_as_written() {
        // Two readings in use: both, the usual one first.
        let bo = spelled("薄熙");
        assert_eq!(bo[..2], ["boxi".to_owned(), "baoxi".to_owned()]);
        for (name, first, then) in [
            ("都安", "duan", "douan"),
            ("折明", "sheming", "zheming"),
            ("粘明", "nianming", "zhanming"),
            ("卜明", "buming", "boming"),
            ("乐明", "yueming", "leming"),
            ("翟明", "zhaiming", "diming"),
            ("覃明", "qinming", "tanming"),
            ("阿明", "aming", "eming"),
        ] {
            let all = spelled(name);
            assert_eq!(all[0], first, "{name}");
            assert_eq!(all[1], then, "{name}");
        }
        // As written, for a clerk who reads the character so; not by its
        // other readings.
        let shan = spelled("单雄信");
        assert_eq!(shan[..2], ["shanxiongxin", "danxiongxin"]);
        assert!(!shan.iter().any(|s| s.starts_with("chan")), "{shan:?}");
        let chanyu = name_readings("单于飞");
        assert_eq!(chanyu.syllables[0], ["chan", "shan", "dan"]);
        assert_eq!(chanyu.syllables[1], ["yu"]);
        assert_eq!(name_readings("查干巴拉").syllables[0], ["zha", "cha"]);
        assert_eq!(name_readings("仇英").syllables[0], ["qiu", "chou"]);
        assert_eq!(spelled("尉迟恭"), ["yuchigong", "weichigong"]);
        assert_eq!(spelled("尉建国")[0], "weijianguo");
        let initials = name_readings("单雄信").initials(0);
        assert_eq!(initials[..2], ["sxx".to_owned(), "dxx".to_owned()]);
    }

    #[test]
    fn spellings_are_capped_most_usual_first() {
        // 长 2 readings, 重 3, 行 3, 乐 2, 朝 3: 108 combinations.
        let r = name_readings("长重行乐朝");
        let all = r.spellings(0);
        assert_eq!(all.len(), MAX_SPELLINGS);
        assert_eq!(all[0], r.usual().full());
        let unique: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        // Then each with one character by its second reading, before any
        // with more or rarer other readings.
        let mut next: Vec<&str> = all[1..6].iter().map(String::as_str).collect();
        next.sort_unstable();
        assert_eq!(
            next,
            [
                "changzhongxinglechao",
                "zhangchongxinglechao",
                "zhangzhonghanglechao",
                "zhangzhongxinglezhao",
                "zhangzhongxingyuechao",
            ]
        );
        assert!(!all.contains(&"changchonghangyuezhao".to_owned()));
        assert!(r.initials(0).len() <= MAX_SPELLINGS);
        // A name short enough has every combination.
        assert_eq!(spelled("长重乐").len(), 2 * 3 * 2);
    }

    #[test]
    fn latin_words_have_one_reading() {
        let r = name_readings("Tom李");
        assert_eq!(r.syllables, [vec!["tom".to_owned()], vec!["li".to_owned()]]);
        assert_eq!(r.spellings(0), ["tomli"]);
        assert_eq!(r.initials(0), ["tl"]);
        assert_eq!(name_readings("").spellings(0), Vec::<String>::new());
        assert_eq!(name_readings("·").initials(0), Vec::<String>::new());
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
            let r = name_readings(&s);
            for from in 0..=r.syllables.len() {
                let all = r.spellings(from);
                prop_assert!(all.len() <= MAX_SPELLINGS);
                prop_assert!(r.initials(from).len() <= MAX_SPELLINGS);
                prop_assert!(all.iter().flat_map(|s| s.chars()).all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
            }
        }

        /// Within the cap, a name of characters with several readings is
        /// spelled every way; past it, by the most usual ways, the usual
        /// spelling first.
        #[test]
        fn spellings_are_every_combination_within_the_cap(
            name in proptest::collection::vec(
                proptest::sample::select("长重行乐朝曾单解仇都折卜薄强传会和少正大广伯柏华明".chars().collect::<Vec<_>>()),
                1..5,
            )
        ) {
            let name: String = std::iter::once('王').chain(name).collect();
            let r = name_readings(&name);
            let all = r.spellings(0);
            let product: usize = r.syllables.iter().map(Vec::len).product();
            prop_assert_eq!(all.len(), product.min(MAX_SPELLINGS));
            prop_assert_eq!(&all[0], &pinyin_of(&name).full());
            if product <= MAX_SPELLINGS {
                let mut every = vec![String::new()];
                for readings in &r.syllables {
                    every = every
                        .iter()
                        .flat_map(|s| readings.iter().map(move |x| format!("{s}{x}")))
                        .collect();
                }
                let mut a = all.clone();
                a.sort();
                every.sort();
                prop_assert_eq!(a, every);
            }
        }
    }
}
