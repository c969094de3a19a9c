//! One claimant typed on one line, as staff take down a group from a team
//! leader's list: `王小二 13912345678 外卖 8500`. The name comes first; the
//! rest may come in any order and each is known by its shape: a mobile, an
//! ID number (GB 11643, check character verified), a trade, an amount owed.
//! Each value is read by the same parser as its own field.

use super::error::ValidationError;
use super::money::Fen;
use super::person::{Trade, parse_name};
use super::phone::Mobile;
use super::resident_id::ResidentId;

/// What one line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeLine {
    pub name: String,
    pub mobile: Option<Mobile>,
    pub resident_id: Option<ResidentId>,
    pub trade: Option<Trade>,
    pub claimed: Option<Fen>,
}

impl IntakeLine {
    /// Whether the line says more than a name (a name alone is a lookup).
    pub fn has_more(&self) -> bool {
        self.mobile.is_some()
            || self.resident_id.is_some()
            || self.trade.is_some()
            || self.claimed.is_some()
    }
}

/// Why a line cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeError {
    /// The name is refused (digits in it, too long …).
    Name(ValidationError),
    /// A word that is none of the things a line holds.
    Unknown(String),
    /// Two values of one kind (two mobiles, two amounts …).
    Twice(String),
    /// A word that looks like a mobile, an ID or an amount but is not a
    /// valid one: what its own field would say.
    Bad(String, ValidationError),
}

impl crate::i18n::Localized for IntakeError {
    fn localized(&self, lang: crate::i18n::Lang) -> String {
        use crate::t;
        match self {
            IntakeError::Name(e) => e.localized(lang),
            IntakeError::Unknown(w) => t!(lang, "cases.intake_unknown", word = w),
            IntakeError::Twice(w) => t!(lang, "cases.intake_twice", word = w),
            IntakeError::Bad(w, e) => {
                t!(lang, "cases.intake_bad", word = w, why = e.localized(lang))
            }
        }
    }
}

/// The words of a line: spaces, tabs, commas (also full-width), the
/// Chinese enumeration comma and semicolons separate them; a comma between
/// a digit and exactly three more (`8,500`) groups thousands instead.
pub fn words(line: &str) -> Vec<&str> {
    let bytes: Vec<(usize, char)> = line.char_indices().collect();
    let mut out = Vec::new();
    let mut start = None;
    for (k, &(i, c)) in bytes.iter().enumerate() {
        let grouping = c == ','
            && k > 0
            && bytes[k - 1].1.is_ascii_digit()
            && bytes.len() >= k + 4
            && bytes[k + 1..k + 4].iter().all(|(_, d)| d.is_ascii_digit())
            && bytes.get(k + 4).is_none_or(|(_, d)| !d.is_ascii_digit());
        let sep = !grouping && (c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'));
        match (sep, start) {
            (true, Some(s)) => {
                out.push(&line[s..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

/// Reads one line. The first word is the name; the others are classed by
/// their shape.
pub fn parse_line(line: &str) -> Result<IntakeLine, IntakeError> {
    let ws = words(line);
    if ws.is_empty() {
        return Err(IntakeError::Name(ValidationError::TextEmpty {
            field: super::error::Field::Name,
        }));
    }
    // A name written in Latin letters may have several words (Li Da,
    // Maria Lopez): they run until a word of another kind.
    let latin = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
    };
    let mut n = 1;
    if latin(ws[0]) {
        while n < ws.len() && latin(ws[n]) && Trade::from_word(ws[n]).is_none() {
            n += 1;
        }
    }
    let (first, rest) = (ws[..n].join(" "), &ws[n..]);
    let name = parse_name(&first).map_err(IntakeError::Name)?;
    let mut out = IntakeLine {
        name,
        mobile: None,
        resident_id: None,
        trade: None,
        claimed: None,
    };
    for w in rest {
        let digits = w.chars().filter(char::is_ascii_digit).count();
        let plain = w
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+'));
        if let Some(t) = Trade::from_word(w) {
            set(&mut out.trade, t, w)?;
        } else if w.chars().count() == 18 && digits >= 17 {
            let r = ResidentId::parse(w).map_err(|e| IntakeError::Bad((*w).to_owned(), e))?;
            set(&mut out.resident_id, r, w)?;
        } else if plain && (9..=16).contains(&digits) {
            // No wage claim runs to nine digits of yuan: a mobile, maybe
            // mistyped, and its field says what is wrong with it.
            let m = Mobile::parse(w).map_err(|e| IntakeError::Bad((*w).to_owned(), e))?;
            set(&mut out.mobile, m, w)?;
        } else {
            match Fen::parse(w) {
                Ok(f) => set(&mut out.claimed, f, w)?,
                // Digits that are no amount: say what the amount field
                // would; a word without any is not understood.
                Err(e) if digits > 0 => return Err(IntakeError::Bad((*w).to_owned(), e)),
                Err(_) => return Err(IntakeError::Unknown((*w).to_owned())),
            }
        }
    }
    Ok(out)
}

fn set<T>(slot: &mut Option<T>, v: T, word: &str) -> Result<(), IntakeError> {
    if slot.is_some() {
        return Err(IntakeError::Twice(word.to_owned()));
    }
    *slot = Some(v);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_in_any_order() {
        let l = parse_line("王小二 13912345678 外卖 8500").unwrap();
        assert_eq!(l.name, "王小二");
        assert_eq!(l.mobile.unwrap().as_str(), "13912345678");
        assert_eq!(l.trade, Some(Trade::FoodDelivery));
        assert_eq!(l.claimed, Some(Fen(850_000)));
        let m = parse_line("王小二，8,500元，139-1234-5678").unwrap();
        assert_eq!(m.claimed, Some(Fen(850_000)));
        assert_eq!(m.mobile.unwrap().as_str(), "13912345678");
        assert_eq!(
            words("a,1,234,b 13912345678,8500"),
            ["a", "1,234", "b", "13912345678", "8500"]
        );
        let t = parse_line("李四\t11010519491231002X\t三千五").unwrap();
        assert_eq!(t.resident_id.unwrap().as_str(), "11010519491231002X");
        assert_eq!(t.claimed, Some(Fen(350_000)));
        assert!(!parse_line("张三").unwrap().has_more());
        // A name in Latin letters keeps its words; a trade word ends it.
        let l = parse_line("Li Da 13912345670 courier 4500").unwrap();
        assert_eq!(l.name, "Li Da");
        assert_eq!(l.trade, Some(Trade::Courier));
        assert!(matches!(parse_line("王五 明天"), Err(IntakeError::Unknown(w)) if w == "明天"));
    }

    #[test]
    fn what_is_refused_says_which_word() {
        assert!(matches!(
            parse_line("周大福8140 13912345678"),
            Err(IntakeError::Name(ValidationError::NameDigit { .. }))
        ));
        // Ten digits: a mobile one short, not an amount of a billion.
        assert!(matches!(
            parse_line("王五 1391234567"),
            Err(IntakeError::Bad(w, ValidationError::MobileLength { digits: 10 })) if w == "1391234567"
        ));
        assert!(matches!(
            parse_line("王五 110105194912310021"),
            Err(IntakeError::Bad(w, _)) if w == "110105194912310021"
        ));
        assert!(matches!(parse_line("王五 明天"), Err(IntakeError::Unknown(w)) if w == "明天"));
        assert!(matches!(parse_line("王五 100 200"), Err(IntakeError::Twice(w)) if w == "200"));
        assert!(matches!(parse_line("王五 0,500"), Err(IntakeError::Bad(w, _)) if w == "0,500"));
    }
}
