//! Round trips: every form that can name a day, written for random days,
//! reads back as that day.

use super::*;
use chrono::Weekday;

const ZH_DAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
const EN_DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const EN_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `n` (1–99) in Chinese numerals.
fn numeral(n: i64) -> String {
    let digit = |d: i64| ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"][d as usize];
    match (n / 10, n % 10) {
        (0, d) => digit(d).to_owned(),
        (1, d) => format!("十{}", digit(d)),
        (t, d) => format!("{}十{}", digit(t), digit(d)),
    }
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// Every relative form that names `d` seen from `t`.
fn relative_forms(d: NaiveDate, t: NaiveDate) -> Vec<String> {
    let k = (d - t).num_days();
    let mut out: Vec<String> = Vec::new();
    let words: &[&str] = match k {
        0 => &["今天", "今日", "today"],
        1 => &["明天", "明日", "tomorrow"],
        2 => &["后天", "day after tomorrow"],
        3 => &["大后天"],
        -1 => &["昨天", "昨日", "yesterday"],
        -2 => &["前天", "day before yesterday"],
        -3 => &["大前天"],
        _ => &[],
    };
    out.extend(words.iter().map(|w| (*w).to_owned()));
    let n = k.abs();
    if k > 0 {
        out.push(format!("{n}天后"));
        out.push(format!("{}天以后", numeral(n)));
        out.push(format!("in {n} days"));
        out.push(format!("{n} days later"));
        if n % 7 == 0 {
            out.push(format!("{}周后", numeral(n / 7)));
            out.push(format!("in {} weeks", n / 7));
        }
    } else if k < 0 {
        out.push(format!("{n}天前"));
        out.push(format!("{}天之前", numeral(n)));
        out.push(format!("{n} days ago"));
        if n % 7 == 0 {
            out.push(format!("{}个星期前", numeral(n / 7)));
            out.push(format!("{} weeks ago", n / 7));
        }
    }
    let day = d.weekday().num_days_from_monday() as usize;
    let (zh, en) = (ZH_DAYS[day], EN_DAYS[day]);
    if (0..7).contains(&k) {
        out.extend([
            format!("周{zh}"),
            format!("星期{zh}"),
            format!("礼拜{zh}"),
            en.to_owned(),
        ]);
        out.push(en[..3].to_owned());
    }
    let weeks = (monday_of(d) - monday_of(t)).num_days() / 7;
    let (zh_week, zh_long, en_week) = match weeks {
        -1 => ("上", "上个", "last"),
        0 => ("本", "这个", "this"),
        1 => ("下", "下个", "next"),
        _ => ("", "", ""),
    };
    if !zh_week.is_empty() {
        out.push(format!("{zh_week}周{zh}"));
        out.push(format!("{zh_long}星期{zh}"));
        out.push(format!("{en_week} {en}"));
    }
    let months = (d.year() - t.year()) * 12 + d.month() as i32 - t.month() as i32;
    let month_word = match months {
        -1 => Some("上个月"),
        0 => Some("本月"),
        1 => Some("下月"),
        _ => None,
    };
    if let Some(w) = month_word {
        out.push(format!("{w}{}号", d.day()));
    }
    if months == 1 && d.day() == 1 {
        out.extend([
            "下月".to_owned(),
            "下个月".to_owned(),
            "next month".to_owned(),
        ]);
    }
    if t.checked_add_months(chrono::Months::new(1)) == Some(d) {
        out.extend(["一个月后".to_owned(), "in a month".to_owned()]);
    }
    if t.checked_sub_months(chrono::Months::new(1)) == Some(d) {
        out.extend(["一个月前".to_owned(), "1 month ago".to_owned()]);
    }
    out
}

/// A day from 2000-01-31 to 2100-12-01, so that ±30 days stay in range.
fn day() -> impl Strategy<Value = NaiveDate> {
    let first = ymd(2000, 1, 31).num_days_from_ce();
    let last = ymd(2100, 12, 1).num_days_from_ce();
    (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn written_days_read_back(d in day(), t in any_day(), same_year in 0u32..366) {
        for s in [
            d.format("%Y-%m-%d").to_string(),
            d.format("%Y/%m/%d").to_string(),
            d.format("%Y/%-m/%-d").to_string(),
            d.format("%Y年%m月%d日").to_string(),
            d.format("%Y年%-m月%-d日").to_string(),
            d.format("%Y年%-m月%-d号").to_string(),
            d.format("%Y%m%d").to_string(),
            format!("{} {}, {}", EN_MONTHS[d.month0() as usize], d.day(), d.year()),
        ] {
            prop_assert_eq!(parse_date(&s, t), Ok(d), "{}", s);
            prop_assert_eq!(parse_period(&s, t), Ok(Period::day(d)), "{}", s);
        }
        // Without the year, read on any day of the same year.
        let days = if d.leap_year() { 366 } else { 365 };
        let t = NaiveDate::from_yo_opt(d.year(), same_year % days + 1).unwrap();
        for s in [
            d.format("%-m月%-d日").to_string(),
            d.format("%m月%d号").to_string(),
            d.format("%-m/%-d").to_string(),
            d.format("%m-%d").to_string(),
            d.format("%-m.%-d").to_string(),
            format!("{} {}", &EN_MONTHS[d.month0() as usize][..3], d.day()),
        ] {
            prop_assert_eq!(parse_date(&s, t), Ok(d), "{} on {}", s, t);
        }
    }

    #[test]
    fn relative_days_read_back(t in day(), k in -30i64..=30) {
        let d = t + chrono::TimeDelta::days(k);
        let forms = relative_forms(d, t);
        prop_assert!(!forms.is_empty());
        for s in &forms {
            prop_assert_eq!(parse_date(s, t), Ok(d), "{} on {} ({:?})", s, t, t.weekday());
            // (As a period, 下月 is the whole month.)
            if !["下月", "下个月", "next month"].contains(&s.as_str()) {
                prop_assert_eq!(parse_period(s, t), Ok(Period::day(d)), "{} on {}", s, t);
            }
        }
    }

    #[test]
    fn a_weekday_is_never_behind_today_nor_a_week_ahead(t in day(), w in 0u8..7) {
        let day = Weekday::try_from(w).unwrap();
        let zh = ZH_DAYS[day.num_days_from_monday() as usize];
        let d = parse_date(&format!("周{zh}"), t).unwrap();
        prop_assert_eq!(d.weekday(), day);
        prop_assert!((0..7).contains(&(d - t).num_days()));
        let next = parse_date(&format!("下周{zh}"), t).unwrap();
        prop_assert_eq!(next.weekday(), day);
        prop_assert_eq!(monday_of(next), monday_of(t) + chrono::Days::new(7));
    }

    #[test]
    fn quarters_and_halves_are_whole(t in day()) {
        for (s, months) in [("本季度", 3), ("上季度", 3), ("下季度", 3), ("上半年", 6), ("下半年", 6)] {
            let p = parse_period(s, t).unwrap();
            prop_assert_eq!(p.from.day(), 1);
            prop_assert_eq!(p.from.month0() % months, 0);
            prop_assert!(p.to.succ_opt().is_some_and(|n| n.day() == 1));
            prop_assert_eq!(
                (p.to.year() - p.from.year()) * 12 + p.to.month() as i32 - p.from.month() as i32 + 1,
                months as i32
            );
        }
        prop_assert!(parse_period("本季度", t).unwrap().contains(t));
        let this = parse_period("本季度", t).unwrap();
        prop_assert_eq!(parse_period("上季度", t).unwrap().to.succ_opt(), Some(this.from));
        prop_assert_eq!(this.to.succ_opt(), Some(parse_period("下季度", t).unwrap().from));
    }

    #[test]
    fn two_ends_read_as_one_range(a in day(), b in day()) {
        let (a, b) = (a.min(b), a.max(b));
        let (from, to) = (a.format("%Y-%m-%d").to_string(), b.format("%Y-%m-%d").to_string());
        let p = Period::new(a, b).unwrap();
        prop_assert_eq!(parse_from_to(&from, Some(&to), ymd(2026, 11, 18)), Ok(p));
        prop_assert_eq!(parse_period(&format!("{from}..{to}"), ymd(2026, 11, 18)), Ok(p));
        // Within one year, the end may leave its year out.
        if a.year() == b.year() {
            let short = b.format("%-m/%-d").to_string();
            prop_assert_eq!(parse_from_to(&from, Some(&short), ymd(2026, 11, 18)), Ok(p));
            prop_assert_eq!(parse_period(&format!("{from} 至 {short}"), ymd(2026, 11, 18)), Ok(p));
        }
    }
}
