//! Money in fen (1 yuan = 100 fen), parsed from what staff type in yuan and
//! shown back in yuan or 万. Never floating point.

use std::fmt;
use std::str::FromStr;

use crate::domain::error::ValidationError;

mod input;

/// An amount of money in fen (分), the smallest unit of the yuan.
///
/// Amounts parsed from input lie in `0..=Fen::MAX`; negative values arise
/// only from arithmetic and are formatted with a leading `-`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Fen(pub i64);

/// The largest amount accepted, in yuan (1亿元).
const MAX_YUAN: u64 = 100_000_000;
/// Fen in one yuan.
const FEN_PER_YUAN: u64 = 100;
/// Fen in one 万 (10,000 yuan).
const FEN_PER_WAN: u64 = 1_000_000;

impl Fen {
    /// The largest amount accepted from input: 100,000,000 yuan (1亿元).
    pub const MAX: Fen = Fen((MAX_YUAN * FEN_PER_YUAN) as i64);

    /// Parses an amount typed in yuan, as staff write it or say it.
    ///
    /// After NFKC (so full-width digits, `，` and `．` from an IME work),
    /// with spaces anywhere between the parts, and an optional leading `¥`
    /// / `￥` or `人民币`:
    ///
    /// - figures, plain (`1697400`) or in comma groups of three with a
    ///   first group not starting with 0 (`16,974.00`, `1,234,567.89`), with
    ///   up to 2 decimals (further trailing zeros are fine: `1.500`), `12.`
    ///   and `.5`;
    /// - Chinese numerals, 小写 (`一万二千五百`, with 零/〇 and 两) and 大写
    ///   (`壹万贰仟元整`), and figures mixed in (`3千`, `2万5千`);
    /// - the short spoken forms, which count down one place from the last
    ///   unit: `三千五` is 3500, `两万三` 23000, `1万2` 12000, `一万二千五`
    ///   12500, `三块五` 3.50, `五毛五` 0.55; figures filling every place
    ///   below a unit are read as written (`1万0200` is 10200, `3元05` 3.05);
    /// - a decimal before one unit (`169.74万`, `1.5万`, `一点五万`, `1.5千`),
    ///   up to the fen (`0.000001万`);
    /// - 元, 块 or 圆, then 角/毛 and 分 (`三元五角二分`, `壹仟元零伍分`),
    ///   and a closing 整 or 正, or 钱 after the currency word.
    ///
    /// Refused, never guessed: blank (`MoneyEmpty`); a minus (`-`, `−`,
    /// `负`) on a non-zero amount (`MoneyNegative`; `-0` is read as zero);
    /// misplaced commas (`MoneyBadGrouping`: `0,500`, `12,34`, `1,2345`);
    /// finer than a fen (`MoneyTooPrecise`); more than [`Fen::MAX`]
    /// (`MoneyTooLarge`); a unit or 零 out of place (`MoneyMisplaced`:
    /// `五百五十五十`, `一千零五百`, `三千五角`); a short form that could mean
    /// two amounts (`MoneyAmbiguous`: `2万50`, `三千五万`, `一百二点五`);
    /// anything else (`MoneyNotNumber`).
    pub fn parse(input: &str) -> Result<Fen, ValidationError> {
        input::parse(input)
    }

    /// The amount in yuan with comma groups and 2 decimals: `16,974.00`.
    pub fn yuan_string(self) -> String {
        let abs = self.0.unsigned_abs();
        format!(
            "{}{}.{:02}",
            self.sign(),
            group(abs / FEN_PER_YUAN),
            abs % FEN_PER_YUAN
        )
    }

    /// The amount in yuan with 2 decimals and no grouping: `16974.00`.
    pub fn plain(self) -> String {
        let abs = self.0.unsigned_abs();
        format!(
            "{}{}.{:02}",
            self.sign(),
            abs / FEN_PER_YUAN,
            abs % FEN_PER_YUAN
        )
    }

    /// A short form for reports: from 10,000 yuan up, in 万 with at most 2
    /// decimals, trailing zeros dropped, rounded half up (away from zero for
    /// negative amounts): `169.74万`, `1.2万`, `1万`. The 万 figure has no
    /// comma groups. Below 10,000 yuan: `9,800.00元`.
    pub fn wan_string(self) -> String {
        let abs = self.0.unsigned_abs();
        if abs < FEN_PER_WAN {
            return format!("{}元", self.yuan_string());
        }
        let per_hundredth = FEN_PER_WAN / 100;
        let hundredths =
            (abs / per_hundredth) + u64::from(abs % per_hundredth >= per_hundredth / 2);
        let (whole, frac) = (hundredths / 100, hundredths % 100);
        let decimals = match (frac / 10, frac % 10) {
            (0, 0) => String::new(),
            (tenths, 0) => format!(".{tenths}"),
            _ => format!(".{frac:02}"),
        };
        format!("{}{whole}{decimals}万", self.sign())
    }

    /// The sum, or `None` on `i64` overflow.
    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    /// The difference, or `None` on `i64` overflow.
    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// The total of `amounts`, saturating at the `i64` bounds instead of
    /// overflowing.
    pub fn saturating_sum<I: IntoIterator<Item = Fen>>(amounts: I) -> Fen {
        Fen(amounts
            .into_iter()
            .fold(0i64, |acc, f| acc.saturating_add(f.0)))
    }

    fn sign(self) -> &'static str {
        if self.0 < 0 { "-" } else { "" }
    }
}

impl fmt::Display for Fen {
    /// Same as [`Fen::yuan_string`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.yuan_string())
    }
}

impl FromStr for Fen {
    type Err = ValidationError;

    /// Same as [`Fen::parse`].
    fn from_str(s: &str) -> Result<Fen, ValidationError> {
        Fen::parse(s)
    }
}

/// Same as [`Fen::parse`].
pub fn parse(input: &str) -> Result<Fen, ValidationError> {
    Fen::parse(input)
}

/// `n` with comma groups: `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .filter_map(|g| std::str::from_utf8(g).ok())
        .collect();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValidationError as E;
    use proptest::prelude::*;

    fn p(s: &str) -> Result<Fen, ValidationError> {
        Fen::parse(s)
    }

    fn yuan(y: i64) -> Fen {
        Fen(y * 100)
    }

    #[test]
    fn brief_examples() {
        assert_eq!(p("1697400"), Ok(yuan(1_697_400)));
        assert_eq!(p("16,974.00"), Ok(yuan(16_974)));
        assert_eq!(p("169.74万"), Ok(yuan(1_697_400)));
        assert_eq!(p("1.2万元"), Ok(yuan(12_000)));
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(p("0"), Ok(Fen(0)));
        assert_eq!(p("  12.34 "), Ok(Fen(1234)));
        assert_eq!(p("1.5"), Ok(Fen(150)));
        assert_eq!(p("1.500"), Ok(Fen(150)));
        assert_eq!(p("1.5000000000"), Ok(Fen(150)));
        assert_eq!(p("12."), Ok(yuan(12)));
        assert_eq!(p(".5"), Ok(Fen(50)));
        assert_eq!(p("007"), Ok(yuan(7)));
        assert_eq!(p("¥16,974.00"), Ok(yuan(16_974)));
        assert_eq!(p("￥ 500"), Ok(yuan(500)));
        assert_eq!(p("500元"), Ok(yuan(500)));
        assert_eq!(p("500 元"), Ok(yuan(500)));
        assert_eq!(p("1,000,000"), Ok(yuan(1_000_000)));
        assert_eq!(p("999,999.99"), Ok(Fen(99_999_999)));
        assert_eq!(p("2万"), Ok(yuan(20_000)));
        assert_eq!(p("2 万元"), Ok(yuan(20_000)));
        assert_eq!(p("1,000万"), Ok(yuan(10_000_000)));
        assert_eq!(p("0.000001万"), Ok(Fen(1)));
        assert_eq!(p("0.0000010万"), Ok(Fen(1)));
        assert_eq!(p("¥1.2万元"), Ok(yuan(12_000)));
        assert_eq!(p("100000000"), Ok(Fen::MAX));
        assert_eq!(p("10000万"), Ok(Fen::MAX));
    }

    #[test]
    fn full_width_input_from_an_ime() {
        assert_eq!(p("１６９７４００"), Ok(yuan(1_697_400)));
        assert_eq!(p("１６，９７４．００"), Ok(yuan(16_974)));
        assert_eq!(p("￥１．２万元"), Ok(yuan(12_000)));
        assert_eq!(p("\u{3000}８００元\u{3000}"), Ok(yuan(800)));
    }

    #[test]
    fn negative_amounts() {
        assert_eq!(p("-5"), Err(E::MoneyNegative));
        assert_eq!(p("-0.01"), Err(E::MoneyNegative));
        assert_eq!(p("¥-5"), Err(E::MoneyNegative));
        assert_eq!(p("-¥5"), Err(E::MoneyNegative));
        assert_eq!(p("−5"), Err(E::MoneyNegative));
        assert_eq!(p("－5万"), Err(E::MoneyNegative));
        assert_eq!(p("-99999999999999999999999"), Err(E::MoneyNegative));
        // A minus on zero is harmless and reads as zero.
        assert_eq!(p("-0"), Ok(Fen(0)));
        assert_eq!(p("-0.00元"), Ok(Fen(0)));
        assert_eq!(p("-abc"), Err(E::MoneyNotNumber));
        assert_eq!(p("--5"), Err(E::MoneyNotNumber));
    }

    #[test]
    fn refused_forms() {
        for empty in ["", "   ", "\u{3000}"] {
            assert_eq!(p(empty), Err(E::MoneyEmpty), "{empty:?}");
        }
        for bad in [
            "abc",
            "12a",
            "1.2.3",
            "1e5",
            ".",
            "万",
            "元",
            "¥",
            "万元",
            "1 000",
            "+5",
            "0x10",
            "1,000.5,0",
            "NaN",
            "1_000",
        ] {
            assert_eq!(p(bad), Err(E::MoneyNotNumber), "{bad:?}");
        }
        // A second 万, or 万 after 元, is named as what is out of place.
        for bad in ["1万万", "５元万"] {
            assert_eq!(p(bad), Err(E::MoneyMisplaced { ch: '万' }), "{bad:?}");
        }
        for bad in [
            "1,00", "1,0000", "1234,567", ",100", "100,", "1,,000", "1,000,00", "0,5", "0,500",
        ] {
            assert_eq!(p(bad), Err(E::MoneyBadGrouping), "{bad:?}");
        }
        for bad in ["1.234", "0.001", "1.2345678万", "0.0000001万", "1.005"] {
            assert_eq!(p(bad), Err(E::MoneyTooPrecise), "{bad:?}");
        }
        let too_large = Err(E::MoneyTooLarge {
            max_yuan: 100_000_000,
        });
        for bad in [
            "100000000.01",
            "10000.000001万",
            "9223372036854775807",
            "99999999999999999999999999",
            "184467440737095516.16",
        ] {
            assert_eq!(p(bad), too_large, "{bad:?}");
        }
    }

    #[test]
    fn formatting() {
        assert_eq!(yuan(16_974).yuan_string(), "16,974.00");
        assert_eq!(yuan(16_974).plain(), "16974.00");
        assert_eq!(Fen(5).yuan_string(), "0.05");
        assert_eq!(Fen(0).plain(), "0.00");
        assert_eq!(Fen::MAX.yuan_string(), "100,000,000.00");
        assert_eq!(yuan(123).yuan_string(), "123.00");
        assert_eq!(yuan(1234).to_string(), "1,234.00");
        assert_eq!(Fen(-123_456).yuan_string(), "-1,234.56");
        assert_eq!(Fen(-5).plain(), "-0.05");
        assert_eq!(Fen(i64::MIN).plain(), "-92233720368547758.08");
        assert_eq!(Fen(i64::MAX).yuan_string(), "92,233,720,368,547,758.07");
    }

    #[test]
    fn wan_formatting() {
        assert_eq!(yuan(1_697_400).wan_string(), "169.74万");
        assert_eq!(yuan(12_000).wan_string(), "1.2万");
        assert_eq!(yuan(10_000).wan_string(), "1万");
        assert_eq!(yuan(9_800).wan_string(), "9,800.00元");
        assert_eq!(Fen(999_999).wan_string(), "9,999.99元");
        assert_eq!(yuan(12_349).wan_string(), "1.23万");
        assert_eq!(yuan(12_350).wan_string(), "1.24万"); // half up
        assert_eq!(Fen(1_004_999).wan_string(), "1万");
        assert_eq!(Fen(1_005_000).wan_string(), "1.01万");
        assert_eq!(yuan(19_999).wan_string(), "2万");
        assert_eq!(Fen::MAX.wan_string(), "10000万");
        assert_eq!(yuan(-12_000).wan_string(), "-1.2万");
        assert_eq!(yuan(-12_350).wan_string(), "-1.24万");
        assert_eq!(Fen(-5).wan_string(), "-0.05元");
        assert!(Fen(i64::MIN).wan_string().starts_with("-922337203685"));
    }

    #[test]
    fn arithmetic_helpers() {
        assert_eq!(Fen(1).checked_add(Fen(2)), Some(Fen(3)));
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), None);
        assert_eq!(Fen(1).checked_sub(Fen(3)), Some(Fen(-2)));
        assert_eq!(Fen::saturating_sum([Fen(1), Fen(2), Fen(3)]), Fen(6));
        assert_eq!(Fen::saturating_sum(Vec::new()), Fen(0));
        assert_eq!(Fen::saturating_sum([Fen(i64::MAX), Fen(5)]), Fen(i64::MAX));
        assert_eq!(Fen::saturating_sum([Fen(i64::MIN), Fen(-5)]), Fen(i64::MIN));
    }

    #[test]
    fn from_str_serde_and_free_parse() {
        assert_eq!("1.2万".parse::<Fen>(), Ok(yuan(12_000)));
        assert_eq!(parse("3"), Ok(yuan(3)));
        assert_eq!(serde_json::to_string(&Fen(150)).unwrap(), "150");
        assert_eq!(serde_json::from_str::<Fen>("150").unwrap(), Fen(150));
    }

    proptest! {
        #[test]
        fn plain_and_yuan_string_round_trip(f in 0..=Fen::MAX.0) {
            prop_assert_eq!(p(&Fen(f).plain()), Ok(Fen(f)));
            prop_assert_eq!(p(&Fen(f).yuan_string()), Ok(Fen(f)));
            prop_assert_eq!(p(&format!("¥{}元", Fen(f).yuan_string())), Ok(Fen(f)));
        }

        #[test]
        fn wan_string_is_close(f in 0..=Fen::MAX.0) {
            let back = p(Fen(f).wan_string().trim_end_matches('元')).unwrap();
            prop_assert!((back.0 - f).abs() <= 5_000);
        }

        #[test]
        fn wan_is_ten_thousand_times_yuan(f in 0..=Fen::MAX.0 / 10_000) {
            let x = Fen(f).plain();
            prop_assert_eq!(p(&format!("{x}万")), Ok(Fen(f * 10_000)));
            prop_assert_eq!(p(&format!("{x}万元")), p(&x).map(|v| Fen(v.0 * 10_000)));
        }

        #[test]
        fn wan_decimals(whole in 0u64..10_000, micro in 0u64..1_000_000) {
            let input = format!("{whole}.{micro:06}万");
            let expected = Fen::parse(&whole.to_string()).map(|w| Fen(w.0 * 10_000 + micro as i64));
            prop_assert_eq!(p(&input), expected);
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = p(&s);
        }

        #[test]
        fn parse_never_panics_on_money_like_text(s in "[-−¥￥ 0-9０-９,，.．万元]{0,30}") {
            if let Ok(f) = p(&s) {
                prop_assert!(f >= Fen(0) && f <= Fen::MAX);
            }
        }
    }
}
