//! Workers who visit a station or ask for help.

use chrono::NaiveDate;

use super::error::{Field, ValidationError};
use super::ids::PersonId;
use super::phone::Mobile;
use super::resident_id::ResidentId;
use super::text::{clean_optional, clean_text, pinyin_of};

/// Longest accepted name, in characters.
pub const NAME_MAX: usize = 50;
/// Longest accepted employer or platform name, in characters.
pub const EMPLOYER_MAX: usize = 100;

crate::code_enum! {
    /// The trade of an outdoor worker.
    pub enum Trade {
        Courier = "courier", "快递员", "Courier";
        FoodDelivery = "food_delivery", "外卖骑手", "Food-delivery rider";
        RideHail = "ride_hail", "网约车司机", "Ride-hail driver";
        Truck = "truck", "货车司机", "Truck driver";
        Sanitation = "sanitation", "环卫工人", "Sanitation worker";
        Construction = "construction", "建筑工人", "Construction worker";
        Landscaping = "landscaping", "园林绿化", "Landscaping worker";
        Security = "security", "保安", "Security guard";
        HomeService = "home_service", "家政", "Home-service worker";
        Other = "other", "其他", "Other";
    }
}

impl Trade {
    /// The trade a word names: its label in either language, or the short
    /// words staff and rosters use (外卖, 骑手, 快递, 网约车, 环卫 …), case and
    /// width aside; or a longer Chinese word holding the words of exactly
    /// one trade (美团外卖骑手). None for anything else, and for a word that
    /// holds two trades' (never a guess).
    pub fn from_word(word: &str) -> Option<Trade> {
        use unicode_normalization::UnicodeNormalization;
        let w: String = word.nfkc().collect::<String>().trim().to_lowercase();
        if w.is_empty() {
            return None;
        }
        for t in Trade::ALL {
            for lang in [crate::i18n::Lang::ZhCn, crate::i18n::Lang::En] {
                if t.label(lang).to_lowercase() == w {
                    return Some(*t);
                }
            }
        }
        const WORDS: &[(&str, Trade)] = &[
            ("快递", Trade::Courier),
            ("快递小哥", Trade::Courier),
            ("快递员", Trade::Courier),
            ("courier", Trade::Courier),
            ("外卖", Trade::FoodDelivery),
            ("骑手", Trade::FoodDelivery),
            ("外卖员", Trade::FoodDelivery),
            ("送餐员", Trade::FoodDelivery),
            ("rider", Trade::FoodDelivery),
            ("网约车", Trade::RideHail),
            ("网约车司机", Trade::RideHail),
            ("货车", Trade::Truck),
            ("货车司机", Trade::Truck),
            ("卡车司机", Trade::Truck),
            ("环卫", Trade::Sanitation),
            ("环卫工", Trade::Sanitation),
            ("建筑", Trade::Construction),
            ("建筑工", Trade::Construction),
            ("工地", Trade::Construction),
            ("园林", Trade::Landscaping),
            ("绿化", Trade::Landscaping),
            ("保安", Trade::Security),
            ("保安员", Trade::Security),
            ("家政", Trade::HomeService),
            ("家政工", Trade::HomeService),
            ("保洁", Trade::HomeService),
            ("其他", Trade::Other),
            ("其它", Trade::Other),
            ("other", Trade::Other),
        ];
        if let Some((_, t)) = WORDS.iter().find(|(k, _)| *k == w) {
            return Some(*t);
        }
        // A longer word holding the words of one trade only, as rosters
        // write them: 美团外卖骑手, 顺丰快递员, 滴滴网约车司机.
        let mut found = Trade::ALL.iter().filter(|t| {
            **t != Trade::Other
                && (w.contains(&t.label(crate::i18n::Lang::ZhCn).to_lowercase())
                    || WORDS.iter().any(|(k, kt)| {
                        kt == *t && k.chars().count() >= 2 && !k.is_ascii() && w.contains(k)
                    }))
        });
        match (found.next(), found.next()) {
            (Some(t), None) => Some(*t),
            _ => None,
        }
    }
}

/// A person as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub details: PersonDetails,
}

/// The validated fields of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    pub name: String,
    pub mobile: Option<Mobile>,
    pub resident_id: Option<ResidentId>,
    pub trade: Trade,
    pub employer: Option<String>,
    pub union_member: bool,
    /// When the person joined the union at this station, if they did.
    pub union_joined: Option<NaiveDate>,
}

/// A detail that two records of one worker may hold differently: what
/// staff choose, field by field, when merging them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Name,
    Mobile,
    ResidentId,
    Trade,
    Employer,
    /// Union membership and the date of joining, together.
    Union,
}

impl Detail {
    pub const ALL: [Detail; 6] = [
        Detail::Name,
        Detail::Mobile,
        Detail::ResidentId,
        Detail::Trade,
        Detail::Employer,
        Detail::Union,
    ];

    /// Its name on the command line (`--take name,mobile`).
    pub fn code(self) -> &'static str {
        match self {
            Detail::Name => "name",
            Detail::Mobile => "mobile",
            Detail::ResidentId => "id",
            Detail::Trade => "trade",
            Detail::Employer => "employer",
            Detail::Union => "union",
        }
    }

    pub fn parse(s: &str) -> Option<Detail> {
        Detail::ALL.into_iter().find(|d| d.code() == s.trim())
    }

    /// Whether `a` and `b` hold it differently.
    pub fn differs(self, a: &PersonDetails, b: &PersonDetails) -> bool {
        match self {
            Detail::Name => a.name != b.name,
            Detail::Mobile => a.mobile != b.mobile,
            Detail::ResidentId => a.resident_id != b.resident_id,
            Detail::Trade => a.trade != b.trade,
            Detail::Employer => a.employer != b.employer,
            Detail::Union => (a.union_member, a.union_joined) != (b.union_member, b.union_joined),
        }
    }
}

/// `keep`'s details with those of `take` from `other`: the survivor of a
/// merge as staff chose it, field by field.
pub fn combine(keep: &PersonDetails, other: &PersonDetails, take: &[Detail]) -> PersonDetails {
    let mut d = keep.clone();
    for t in take {
        match t {
            Detail::Name => d.name = other.name.clone(),
            Detail::Mobile => d.mobile = other.mobile.clone(),
            Detail::ResidentId => d.resident_id = other.resident_id.clone(),
            Detail::Trade => d.trade = other.trade,
            Detail::Employer => d.employer = other.employer.clone(),
            Detail::Union => {
                d.union_member = other.union_member;
                d.union_joined = other.union_joined;
            }
        }
    }
    d
}

impl PersonDetails {
    /// Someone new as a group's list gives them (a claimant line, a
    /// roster row): what the list says, trade "other" when it says none,
    /// no employer, not a union member.
    pub fn newcomer(
        name: &str,
        mobile: Option<Mobile>,
        resident_id: Option<ResidentId>,
        trade: Option<Trade>,
    ) -> PersonDetails {
        PersonDetails {
            name: name.to_owned(),
            mobile,
            resident_id,
            trade: trade.unwrap_or(Trade::Other),
            employer: None,
            union_member: false,
            union_joined: None,
        }
    }

    /// Full pinyin of the name, e.g. `zhangsan`.
    pub fn pinyin(&self) -> String {
        pinyin_of(&self.name).full()
    }
    /// Pinyin initials of the name, e.g. `zs`.
    pub fn initials(&self) -> String {
        pinyin_of(&self.name).initials()
    }
}

/// A field of the person form, to put an error next to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonField {
    Name,
    Mobile,
    ResidentId,
    Employer,
}

/// What was typed into a person form, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub name: String,
    pub mobile: String,
    pub resident_id: String,
    pub trade: Option<Trade>,
    pub employer: String,
    pub union_member: bool,
    /// The day of joining the union at this station: set by the form
    /// (enrolling dates it today), never typed.
    pub union_joined: Option<NaiveDate>,
}

impl PersonInput {
    /// Validates every field, returning all the refusals at once so that a
    /// form can show each next to its field.
    pub fn validate(&self) -> Result<PersonDetails, Vec<(PersonField, ValidationError)>> {
        let mut errors = Vec::new();
        let name = parse_name(&self.name).map_err(|e| errors.push((PersonField::Name, e)));
        let mobile = optional(&self.mobile, Mobile::parse)
            .map_err(|e| errors.push((PersonField::Mobile, e)));
        let resident_id = optional(&self.resident_id, ResidentId::parse)
            .map_err(|e| errors.push((PersonField::ResidentId, e)));
        let employer = clean_optional(Field::Employer, &self.employer, EMPLOYER_MAX)
            .map_err(|e| errors.push((PersonField::Employer, e)));
        let union_joined = self.union_joined;
        match (name, mobile, resident_id, employer) {
            (Ok(name), Ok(mobile), Ok(resident_id), Ok(employer)) => Ok(PersonDetails {
                name,
                mobile,
                resident_id,
                trade: self.trade.unwrap_or(Trade::Other),
                employer,
                union_member: self.union_member || union_joined.is_some(),
                union_joined,
            }),
            _ => Err(errors),
        }
    }
}

/// Checks a person's name: trimmed, normalised, 1–50 characters, no control
/// characters, no digits (ASCII, full-width or any other script's: digits
/// typed into a name are a phone number in the wrong field).
pub fn parse_name(input: &str) -> Result<String, ValidationError> {
    let name = clean_text(Field::Name, input, NAME_MAX)?;
    if let Some(ch) = name.chars().find(|c| c.is_numeric()) {
        return Err(ValidationError::NameDigit { ch });
    }
    Ok(name)
}

fn optional<T>(
    input: &str,
    parse: impl Fn(&str) -> Result<T, ValidationError>,
) -> Result<Option<T>, ValidationError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trades_by_word_label_and_roster_wording() {
        assert_eq!(Trade::from_word("外卖"), Some(Trade::FoodDelivery));
        assert_eq!(Trade::from_word("Courier"), Some(Trade::Courier));
        assert_eq!(Trade::from_word("美团外卖骑手"), Some(Trade::FoodDelivery));
        assert_eq!(Trade::from_word("顺丰快递员"), Some(Trade::Courier));
        assert_eq!(Trade::from_word("滴滴网约车司机"), Some(Trade::RideHail));
        // Two trades' words, or none: no guess.
        assert_eq!(Trade::from_word("快递外卖"), None);
        assert_eq!(Trade::from_word("明天"), None);
        assert_eq!(Trade::from_word("司机"), None);
    }

    fn input(name: &str) -> PersonInput {
        PersonInput {
            name: name.into(),
            ..PersonInput::default()
        }
    }

    #[test]
    fn a_name_with_digits_is_refused() {
        for (typed, digit) in [
            ("周大福8140", '8'),
            ("李１", '１'),
            ("王五3", '3'),
            ("张二〇", '〇'),
        ] {
            assert_eq!(
                parse_name(typed),
                Err(ValidationError::NameDigit { ch: digit }),
                "{typed}"
            );
        }
        // Numerals that are part of names stay names.
        for ok in ["张三", "王五", "李十一", "赵一", "Ahmad", "阿卜杜·热合曼"] {
            assert!(parse_name(ok).is_ok(), "{ok}");
        }
        let e = parse_name("周大福8140").unwrap_err();
        assert!(crate::i18n::Localized::localized(&e, crate::i18n::Lang::ZhCn).contains("手机"));
    }

    #[test]
    fn minimal_person_is_a_name() {
        let d = input(" 张三 ").validate().unwrap();
        assert_eq!(d.name, "张三");
        assert_eq!(d.pinyin(), "zhangsan");
        assert_eq!(d.initials(), "zs");
        assert_eq!(d.trade, Trade::Other);
        assert!(d.mobile.is_none() && d.resident_id.is_none());
    }

    #[test]
    fn every_bad_field_is_reported_with_its_field() {
        let i = PersonInput {
            name: "".into(),
            mobile: "123".into(),
            resident_id: "11010519491231002Y".into(),
            employer: "x".repeat(101),
            ..PersonInput::default()
        };
        let errs = i.validate().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                PersonField::Name,
                PersonField::Mobile,
                PersonField::ResidentId,
                PersonField::Employer,
            ]
        );
    }

    #[test]
    fn full_person_validates() {
        let i = PersonInput {
            name: "王 小明".into(),
            mobile: "+86 138-1234-5678".into(),
            resident_id: "11010519491231002x".into(),
            trade: Some(Trade::FoodDelivery),
            employer: " 美团 ".into(),
            union_member: false,
            union_joined: NaiveDate::from_ymd_opt(2026, 3, 1),
        };
        let d = i.validate().unwrap();
        assert_eq!(d.mobile.unwrap().as_str(), "13812345678");
        assert_eq!(d.resident_id.unwrap().as_str(), "11010519491231002X");
        assert_eq!(d.employer.as_deref(), Some("美团"));
        assert!(d.union_member, "a join date implies membership");
    }

    #[test]
    fn trade_codes_are_stable() {
        assert_eq!(Trade::FoodDelivery.code(), "food_delivery");
        for t in Trade::ALL {
            assert_eq!(Trade::from_code(t.code()), Some(*t));
        }
    }
}
