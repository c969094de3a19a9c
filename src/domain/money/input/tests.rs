use proptest::prelude::*;

use super::super::Fen;
use crate::domain::error::ValidationError as E;
use crate::i18n::{Lang, Localized};

fn p(s: &str) -> Result<Fen, E> {
    Fen::parse(s)
}

/// Each `(input, yuan, fen)` is read as that amount.
fn accepts(cases: &[(&str, i64, i64)]) {
    for &(input, yuan, fen) in cases {
        assert_eq!(p(input), Ok(Fen(yuan * 100 + fen)), "{input:?}");
    }
}

/// Each input is refused with `error`.
fn refuses(error: E, inputs: &[&str]) {
    for input in inputs {
        assert_eq!(p(input), Err(error.clone()), "{input:?}");
    }
}

fn misplaced(ch: char) -> E {
    E::MoneyMisplaced { ch }
}

fn ambiguous(unit: char) -> E {
    E::MoneyAmbiguous { unit }
}

// --- accepted -----------------------------------------------------------

#[test]
fn the_forms_found_refused() {
    accepts(&[
        ("一万", 10_000, 0),
        ("两千", 2_000, 0),
        ("三千五", 3_500, 0),
        ("1万2", 12_000, 0),
        ("500块", 500, 0),
        ("壹万贰仟元整", 12_000, 0),
    ]);
}

#[test]
fn spoken_short_forms_count_down_one_place() {
    accepts(&[
        ("三千五", 3_500, 0),
        ("两万三", 23_000, 0),
        ("1万2", 12_000, 0),
        ("一万二千五", 12_500, 0),
        ("三千五百五", 3_550, 0),
        ("一万二千五百五", 12_550, 0),
        ("12万5", 125_000, 0),
        ("十万五", 105_000, 0),
        ("二十万五", 205_000, 0),
        ("一百五", 150, 0),
        ("3千5", 3_500, 0),
        ("1亿", 100_000_000, 0),
    ]);
}

#[test]
fn money_words() {
    accepts(&[
        ("三块五", 3, 50),
        ("三块五毛", 3, 50),
        ("三块五毛二", 3, 52),
        ("三块五毛二分", 3, 52),
        ("三块零五", 3, 5),
        ("三块零五分", 3, 5),
        ("五毛", 0, 50),
        ("五毛五", 0, 55),
        ("五角五分", 0, 55),
        ("三分", 0, 3),
        ("五毛钱", 0, 50),
        ("三块钱", 3, 0),
        ("三块五毛钱", 3, 50),
        ("两百块", 200, 0),
        ("十块", 10, 0),
        ("3元5角", 3, 50),
        ("3元5", 3, 50),
        ("3元50", 3, 50),
        ("3元05", 3, 5),
        ("3元5角2分", 3, 52),
        ("500块", 500, 0),
        ("500圆", 500, 0),
        ("一千整", 1_000, 0),
        ("一千元正", 1_000, 0),
        ("1.5万元整", 15_000, 0),
        ("零元五角", 0, 50),
        ("零元整", 0, 0),
    ]);
}

#[test]
fn lower_case_numerals() {
    accepts(&[
        ("零", 0, 0),
        ("十", 10, 0),
        ("十五", 15, 0),
        ("一十五", 15, 0),
        ("一百二十三", 123, 0),
        ("一百一十五", 115, 0),
        ("一百十五", 115, 0),
        ("一千零五", 1_005, 0),
        ("一千〇五", 1_005, 0),
        ("一千零五十", 1_050, 0),
        ("一千五十", 1_050, 0),
        ("一万零五", 10_005, 0),
        ("一万零五百", 10_500, 0),
        ("十万零七千", 107_000, 0),
        ("十万七千", 107_000, 0),
        ("一百万五千", 1_005_000, 0),
        ("一百万零五千", 1_005_000, 0),
        ("一千零五万", 10_050_000, 0),
        ("一千二百万", 12_000_000, 0),
        ("二十五万", 250_000, 0),
        ("两万", 20_000, 0),
        ("兩萬", 20_000, 0),
        ("九千九百九十九万九千九百九十九", 99_999_999, 0),
        ("一亿", 100_000_000, 0),
        ("一万零一十五", 10_015, 0),
    ]);
}

#[test]
fn upper_case_numerals() {
    accepts(&[
        ("壹万贰仟叁佰肆拾伍元陆角柒分", 12_345, 67),
        ("壹拾万柒仟元伍角叁分", 107_000, 53),
        ("壹拾万零柒仟元零伍角叁分", 107_000, 53),
        ("壹仟元零伍分", 1_000, 5),
        ("壹仟元伍角", 1_000, 50),
        ("壹仟元零伍角", 1_000, 50),
        ("壹仟元伍角整", 1_000, 50),
        ("叁佰贰拾伍元零肆分", 325, 4),
        ("陆仟零柒元壹角肆分", 6_007, 14),
        ("壹仟肆佰零玖元伍角", 1_409, 50),
        ("壹佰零壹万零壹佰零壹元零壹分", 1_010_101, 1),
        ("壹元零伍分", 1, 5),
        ("伍角", 0, 50),
        ("贰角玖分", 0, 29),
        ("拾元整", 10, 0),
        ("壹萬圓整", 10_000, 0),
        ("壹亿元整", 100_000_000, 0),
        ("人民币壹万元整", 10_000, 0),
        ("人民币 12,000.00元", 12_000, 0),
        ("貳佰參拾元", 230, 0),
    ]);
}

#[test]
fn figures_and_numerals_mixed() {
    accepts(&[
        ("3千", 3_000, 0),
        ("2万5千", 25_000, 0),
        ("1万2千5", 12_500, 0),
        ("1万2500", 12_500, 0),
        ("1万0200", 10_200, 0),
        ("1万零200", 10_200, 0),
        ("3千500", 3_500, 0),
        ("3千零5", 3_005, 0),
        ("1200万", 12_000_000, 0),
        ("169万7400", 1_697_400, 0),
        ("1,000万", 10_000_000, 0),
        ("2十5", 25, 0),
        ("一千一百十五", 1_115, 0),
    ]);
}

#[test]
fn decimals_before_a_unit() {
    accepts(&[
        ("1.5万", 15_000, 0),
        ("169.74万", 1_697_400, 0),
        ("1.5千", 1_500, 0),
        ("0.5万元", 5_000, 0),
        ("三点五", 3, 50),
        ("零点五", 0, 50),
        ("一点五万", 15_000, 0),
        ("一点二五万", 12_500, 0),
        ("十二点五万", 125_000, 0),
        ("三点五千", 3_500, 0),
        ("一万点五", 10_000, 50),
        ("一千零五点五", 1_005, 50),
        ("三点五零", 3, 50),
        ("3点5万", 35_000, 0),
        ("3点14", 3, 14),
        ("三点一四", 3, 14),
        ("2.5百", 250, 0),
    ]);
}

#[test]
fn typed_the_way_an_ime_gives_it() {
    accepts(&[
        ("１２３４", 1_234, 0),
        ("１２，３４５．６元", 12_345, 60),
        ("１万２", 12_000, 0),
        ("￥一万", 10_000, 0),
        ("¥ 3千5", 3_500, 0),
        ("1 万 2", 12_000, 0),
        ("三 千 五", 3_500, 0),
        ("  五毛 ", 0, 50),
        ("1,234,567.89", 1_234_567, 89),
    ]);
}

// --- refused ------------------------------------------------------------

#[test]
fn units_out_of_order() {
    refuses(
        misplaced('十'),
        &["五百五十五十", "二十十", "一万十五", "一千十五"],
    );
    refuses(
        misplaced('万'),
        &["1万万", "５元万", "一亿万", "零万", "0万", "0万5"],
    );
    refuses(misplaced('0'), &["十0", "2十0", "3千0", "一亿0"]);
    refuses(misplaced('二'), &["一二三"]);
    refuses(misplaced('〇'), &["二〇〇〇"]);
    refuses(misplaced('五'), &["零五", "五五"]);
    refuses(misplaced('百'), &["百五"]);
    refuses(misplaced('千'), &["千五", "12千", "12.5千", "十二点五千"]);
    refuses(misplaced('角'), &["三千五角", "五分五角"]);
    refuses(misplaced('分'), &["十五分", "一千零五分"]);
    refuses(misplaced('3'), &["1.5万3"]);
    refuses(misplaced('十'), &["1.5十", "三点五十"]);
    refuses(misplaced('两'), &["三点两"]);
    refuses(misplaced('4'), &["三点一4"]);
    refuses(misplaced('5'), &["12.5元5角"]);
    refuses(misplaced('点'), &["点五", "三点", "三点五点"]);
    refuses(misplaced('元'), &["元五角"]);
    refuses(misplaced('钱'), &["三块五钱", "五千钱"]);
    refuses(misplaced('整'), &["整一千"]);
    refuses(misplaced('五'), &["一千整五"]);
    refuses(misplaced('万'), &["一万点五万"]);
}

#[test]
fn a_zero_must_stand_for_an_empty_place() {
    refuses(
        misplaced('零'),
        &[
            "一千零五百",
            "一万零七千",
            "一百零十",
            "一十零五",
            "一千零",
            "一千零零五",
            "1万零5000",
            "壹元零伍角",
            "三块零",
            "一千零点五",
        ],
    );
    refuses(misplaced('零'), &["五角零五分"]);
}

#[test]
fn ambiguous_short_forms() {
    refuses(ambiguous('万'), &["2万50", "2万500", "1万2,500", "2万05"]);
    refuses(ambiguous('千'), &["三千五万", "3千50", "3千5000"]);
    refuses(ambiguous('百'), &["一百二点五"]);
    refuses(ambiguous('元'), &["3元500", "3元5555"]);
    refuses(ambiguous('毛'), &["五毛55"]);
}

#[test]
fn thousands_separators_between_groups_of_three() {
    refuses(
        E::MoneyBadGrouping,
        &[
            "0,500", "12,34", "1,2345", "01,500", "00,500", "0,5", "1,00", ",100", "1,000,00",
            "0,500万",
        ],
    );
    accepts(&[("1,234,567.89", 1_234_567, 89), ("100,000", 100_000, 0)]);
}

#[test]
fn not_numbers() {
    refuses(
        E::MoneyNotNumber,
        &[
            "万",
            "元",
            "整",
            "毛",
            "¥",
            "人民币",
            "三斤",
            "五块五斤",
            "abc",
            "1 000",
            "十 万 abc",
            "--5",
            "¥¥5",
            "1,000.5,0",
        ],
    );
}

#[test]
fn finer_than_a_fen() {
    refuses(
        E::MoneyTooPrecise,
        &["1.005", "三点一四一", "1.0000001万", "一点零零零零零零一万"],
    );
}

#[test]
fn over_one_hundred_million_yuan() {
    let too_large = E::MoneyTooLarge {
        max_yuan: 100_000_000,
    };
    refuses(
        too_large,
        &[
            "一亿零一",
            "两亿",
            "1.5亿",
            "十亿",
            "壹亿元零壹分",
            "1亿2",
            "100000000.01",
            "一万亿",
        ],
    );
}

#[test]
fn negative_amounts() {
    refuses(E::MoneyNegative, &["负五百", "-三千五", "负 1万2", "-五毛"]);
    accepts(&[("负零", 0, 0), ("-零元整", 0, 0)]);
}

#[test]
fn refusals_read_in_both_languages() {
    for (input, needle) in [
        ("五百五十五十", "“十”"),
        ("一千零五百", "“零”"),
        ("2万50", "“万”"),
        ("3元500", "“元”"),
        ("0,500", ""),
    ] {
        let Err(e) = p(input) else {
            panic!("{input:?} was accepted");
        };
        let (zh, en) = (e.localized(Lang::ZhCn), e.localized(Lang::En));
        assert!(zh.contains("金额") && zh.contains(needle), "{zh}");
        assert!(en.contains("amount") && en.contains(needle), "{en}");
        assert_ne!(zh, en);
    }
    let ambiguous = ambiguous('万');
    assert!(ambiguous.localized(Lang::ZhCn).contains("1万2千或1万零2"));
    assert!(ambiguous.localized(Lang::En).contains("1万2千 or 1万零2"));
    // Each example offered is itself accepted.
    for unit in ['万', '千', '百', '元', '毛', '亿', '块'] {
        let text = E::MoneyAmbiguous { unit }.localized(Lang::En);
        let examples = text.rsplit("e.g. ").next().unwrap_or("");
        for example in examples.split(" or ") {
            assert!(p(example).is_ok(), "{unit}: {example:?}");
        }
    }
}

// --- properties -----------------------------------------------------------

const LOWER: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const UPPER: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];

/// Choices the renderer makes where the written form is free, one bit
/// each, taken in turn.
struct Choices(u64);

impl Choices {
    fn pick(&mut self) -> bool {
        let bit = self.0 & 1 == 1;
        self.0 = self.0.rotate_right(1);
        bit
    }
}

/// Writes `group` (1 to 9999) in Chinese numerals, the way the rules for
/// amounts say: one 零 for a run of empty places between figures, none at
/// the end; `leading` is whether it starts the number (where 一十 may be
/// 十).
fn write_group(group: u64, upper: bool, leading: bool, c: &mut Choices) -> String {
    let digits = if upper { UPPER } else { LOWER };
    let units = if upper {
        ["", "拾", "佰", "仟"]
    } else {
        ["", "十", "百", "千"]
    };
    let mut out = String::new();
    let mut gap = false;
    for place in (0..4).rev() {
        let d = (group / 10u64.pow(place)) % 10;
        if d == 0 {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push_str(digits[0]);
            gap = false;
        }
        let first = out.is_empty();
        let d = d as usize;
        let digit = match (d, place) {
            (1, 1) if first && leading && c.pick() => "",
            (2, 2 | 3) if !upper && c.pick() => "两",
            _ => digits[d],
        };
        out.push_str(digit);
        out.push_str(units[place as usize]);
    }
    out
}

/// Writes whole yuan `n` (0 to 1亿) in Chinese numerals.
fn write_yuan(n: u64, upper: bool, c: &mut Choices) -> String {
    if n == 100_000_000 {
        return format!("{}亿", if upper { "壹" } else { "一" });
    }
    if n == 0 {
        return "零".to_owned();
    }
    let (high, low) = (n / 10_000, n % 10_000);
    let mut out = String::new();
    if high > 0 {
        if high == 2 && !upper && c.pick() {
            out.push('两');
        } else {
            out.push_str(&write_group(high, upper, true, c));
        }
        out.push_str(if upper && c.pick() { "萬" } else { "万" });
    }
    if low > 0 {
        // 零 where the 千 place is empty (一万零五百); where only the 万
        // place is (十万零七千), it may be written or left out.
        if high > 0 && (low < 1_000 || (high % 10 == 0 && c.pick())) {
            out.push('零');
        }
        out.push_str(&write_group(low, upper, high == 0, c));
    }
    out
}

/// Writes `fen` as an amount in words: 壹万贰仟叁佰肆拾伍元陆角柒分 or
/// 一万二千三百四十五元六角七分, with the free choices taken from `c`.
fn write_amount(fen: u64, upper: bool, c: &mut Choices) -> String {
    let digits = if upper { UPPER } else { LOWER };
    let (n, jiao, fen) = (fen / 100, (fen / 10 % 10) as usize, (fen % 10) as usize);
    let yuan_word = match (upper, c.pick()) {
        (true, false) => "元",
        (true, true) => "圆",
        (false, false) => "元",
        (false, true) => "块",
    };
    let jiao_word = if !upper && c.pick() { "毛" } else { "角" };
    let mut out = String::new();
    if n > 0 || jiao + fen == 0 || c.pick() {
        out.push_str(&write_yuan(n, upper, c));
        out.push_str(yuan_word);
    }
    let wrote_yuan = !out.is_empty();
    if jiao > 0 {
        if wrote_yuan && n % 10 == 0 && c.pick() {
            out.push_str(digits[0]);
        }
        out.push_str(digits[jiao]);
        out.push_str(jiao_word);
    } else if fen > 0 && wrote_yuan && c.pick() {
        out.push_str(digits[0]);
    }
    if fen > 0 {
        out.push_str(digits[fen]);
        out.push('分');
    } else if wrote_yuan && c.pick() {
        out.push('整');
    }
    out
}

/// Amounts with empty places more often than uniform draws give.
fn amounts() -> impl Strategy<Value = i64> {
    prop_oneof![
        0..=Fen::MAX.0,
        proptest::collection::vec(prop_oneof![3 => Just(0i64), 1 => 1..=9i64], 10).prop_map(
            |digits| digits
                .iter()
                .fold(0i64, |acc, d| acc * 10 + d)
                .min(Fen::MAX.0)
        ),
        Just(Fen::MAX.0),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn chinese_numerals_read_as_their_figures(f in amounts(), upper: bool, bits: u64) {
        let words = write_amount(f as u64, upper, &mut Choices(bits));
        let figures = Fen(f).plain();
        prop_assert_eq!(p(&figures), Ok(Fen(f)));
        prop_assert_eq!(p(&words), Ok(Fen(f)), "{} for {}", words, figures);
    }

    #[test]
    fn whole_yuan_in_numerals_alone(n in 0u64..=100_000_000, upper: bool, bits: u64) {
        let words = write_yuan(n, upper, &mut Choices(bits));
        prop_assert_eq!(p(&words), Ok(Fen(n as i64 * 100)), "{}", words);
    }

    #[test]
    fn figures_in_every_layout(f in amounts(), full_width: bool, bits: u64) {
        let mut c = Choices(bits);
        let grouped = Fen(f).yuan_string();
        let mut forms = vec![
            Fen(f).plain(),
            grouped.clone(),
            format!("¥{grouped}元"),
            format!("￥ {} 元", Fen(f).plain()),
        ];
        let (yuan, cents) = (f / 100, f % 100);
        if (10_000..100_000_000).contains(&yuan) {
            let (high, low) = (yuan / 10_000, yuan % 10_000);
            let wan = match (low, c.pick()) {
                (0, _) => format!("{high}万"),
                (_, true) => format!("{high}万{low:04}"),
                (_, false) if low < 1_000 => format!("{high}万零{low}"),
                (_, false) => format!("{high}万{low}"),
            };
            let form = match cents {
                0 => wan,
                _ => format!("{wan}元{cents:02}"),
            };
            forms.push(form);
        }
        for form in forms {
            let typed: String = if full_width {
                form.chars()
                    .map(|ch| match ch {
                        '0'..='9' => char::from_u32(ch as u32 - '0' as u32 + 0xFF10).unwrap_or(ch),
                        ',' => '，',
                        '.' => '．',
                        _ => ch,
                    })
                    .collect()
            } else {
                form
            };
            prop_assert_eq!(p(&typed), Ok(Fen(f)), "{}", typed);
        }
    }

    #[test]
    fn short_forms_count_down_one_place(
        a in 1u64..=9,
        b in 1u64..=9,
        unit in 0usize..3,
        upper: bool,
    ) {
        let digits = if upper { UPPER } else { LOWER };
        let (word, place) = [("百", 2), ("千", 3), ("万", 4)][unit];
        let input = format!("{}{word}{}", digits[a as usize], digits[b as usize]);
        let yuan = a * 10u64.pow(place) + b * 10u64.pow(place - 1);
        prop_assert_eq!(p(&input), Ok(Fen(yuan as i64 * 100)), "{}", input);
        let figures = format!("{a}{word}{b}");
        prop_assert_eq!(p(&figures), Ok(Fen(yuan as i64 * 100)), "{}", figures);
    }

    #[test]
    fn money_words_never_panic(s in "[-负¥ 0-9,.零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬元块圆角毛分整正钱点]{0,16}") {
        if let Ok(f) = p(&s) {
            prop_assert!(f >= Fen(0) && f <= Fen::MAX, "{}", s);
        }
    }
}

// --- the reference fixture -------------------------------------------------

/// Amounts in words, each with the fen an independent converter gave for
/// it (see the file's header).
const REFERENCE: &str = include_str!("../../../../tests/fixtures/money-reference.tsv");

#[test]
fn agrees_with_the_reference_values() {
    let mut checked = 0;
    for (n, line) in REFERENCE.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (input, fen) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("line {}: no tab", n + 1));
        let fen: i64 = fen
            .parse()
            .unwrap_or_else(|_| panic!("line {}: {fen:?}", n + 1));
        assert_eq!(p(input), Ok(Fen(fen)), "line {}: {input:?}", n + 1);
        checked += 1;
    }
    assert!(checked >= 500, "only {checked} reference lines");
}
