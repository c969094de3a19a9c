//! Every form staff type, every refusal, and properties over all days.

use super::words::KEYWORDS;
use super::*;
use DateError as E;
use proptest::prelude::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A Wednesday.
fn today() -> NaiveDate {
    ymd(2026, 11, 18)
}

fn date(s: &str) -> Result<NaiveDate, DateError> {
    parse_date(s, today())
}

fn period(s: &str) -> Result<Period, DateError> {
    parse_period(s, today())
}

fn span(a: NaiveDate, b: NaiveDate) -> Result<Period, DateError> {
    Ok(Period { from: a, to: b })
}

#[test]
fn issue_examples() {
    let nov1 = Ok(ymd(2026, 11, 1));
    assert_eq!(date("2026-11-01"), nov1);
    assert_eq!(date("2026/11/1"), nov1);
    assert_eq!(date("11-01"), nov1);
    assert_eq!(date("今天"), Ok(today()));
    assert_eq!(date("today"), Ok(today()));
    assert_eq!(period("本月"), span(ymd(2026, 11, 1), ymd(2026, 11, 30)));
    assert_eq!(period("this month"), period("本月"));
}

#[test]
fn date_forms() {
    let nov1 = Ok(ymd(2026, 11, 1));
    for s in [
        "2026-11-01",
        "2026-11-1",
        "2026/11/1",
        "2026/11/01",
        "2026.11.1",
        "20261101",
        "11-01",
        "11-1",
        "11/1",
        "11.1",
        "2026年11月1日",
        "2026年11月01日",
        "2026年11月1号",
        "2026年11月1",
        "2026 年 11 月 1 日",
        "11月1日",
        "11月1号",
        "  2026-11-01 ",
        "\u{3000}2026-11-01\u{3000}",
        "\t11/1\n",
        "２０２６－１１－０１",
        "２０２６／１１／１",
        "２０２６．１１．１",
        "２０２６１１０１",
        "１１／１",
        "２０２６年１１月１日",
    ] {
        assert_eq!(date(s), nov1, "{s:?}");
    }
}

#[test]
fn relative_days() {
    for s in ["今天", "今日", "today", "Today", "TODAY", " today "] {
        assert_eq!(date(s), Ok(today()), "{s}");
    }
    for s in ["昨天", "昨日", "yesterday", "Yesterday"] {
        assert_eq!(date(s), Ok(ymd(2026, 11, 17)), "{s}");
    }
    assert_eq!(date("前天"), Ok(ymd(2026, 11, 16)));
    for s in ["明天", "明日", "tomorrow"] {
        assert_eq!(date(s), Ok(ymd(2026, 11, 19)), "{s}");
    }
    let new_year = ymd(2027, 1, 1);
    assert_eq!(parse_date("yesterday", new_year), Ok(ymd(2026, 12, 31)));
    assert_eq!(parse_date("01-01", new_year), Ok(new_year));
}

#[test]
fn leap_days() {
    assert_eq!(date("2028-02-29"), Ok(ymd(2028, 2, 29)));
    assert_eq!(date("2000-02-29"), Ok(ymd(2000, 2, 29)));
    assert_eq!(parse_date("2/29", ymd(2028, 5, 1)), Ok(ymd(2028, 2, 29)));
    assert!(matches!(
        date("2100-02-29"),
        Err(E::NoSuchDay { last: 28, .. })
    ));
}

#[test]
fn date_refusals() {
    assert_eq!(date(""), Err(E::NoDate));
    assert_eq!(date(" \u{3000} "), Err(E::NoDate));
    assert_eq!(
        date("2026-02-30"),
        Err(E::NoSuchDay {
            text: "2026-02-30".into(),
            year: 2026,
            month: 2,
            day: 30,
            last: 28
        })
    );
    assert_eq!(
        date("13-01"),
        Err(E::NoSuchMonth {
            text: "13-01".into(),
            month: 13
        })
    );
    assert_eq!(
        date("2026-00-10"),
        Err(E::NoSuchMonth {
            text: "2026-00-10".into(),
            month: 0
        })
    );
    assert!(matches!(
        date("20261301"),
        Err(E::NoSuchMonth { month: 13, .. })
    ));
    assert!(matches!(
        date("2026年13月1日"),
        Err(E::NoSuchMonth { month: 13, .. })
    ));
    assert!(matches!(
        date("2026-11-00"),
        Err(E::NoSuchDay { day: 0, .. })
    ));
    assert!(matches!(
        date("2026-04-31"),
        Err(E::NoSuchDay { last: 30, .. })
    ));
    assert!(matches!(
        date("11月31日"),
        Err(E::NoSuchDay { last: 30, .. })
    ));
    // A year left out is this year, which has no 29 February.
    assert_eq!(
        date("02-29"),
        Err(E::NoSuchDay {
            text: "02-29".into(),
            year: 2026,
            month: 2,
            day: 29,
            last: 28
        })
    );
    assert_eq!(
        date("1999-12-31"),
        Err(E::YearOutOfRange {
            text: "1999-12-31".into(),
            year: 1999
        })
    );
    assert!(matches!(
        date("2101-01-01"),
        Err(E::YearOutOfRange { year: 2101, .. })
    ));
    assert!(matches!(date("19991231"), Err(E::YearOutOfRange { .. })));
    assert!(matches!(
        date("0000/1/1"),
        Err(E::YearOutOfRange { year: 0, .. })
    ));
    // What was typed is quoted as typed, full-width and all.
    assert!(matches!(date(" ２０２６－０２－３０ "),
        Err(E::NoSuchDay { text, .. }) if text == "２０２６－０２－３０"));
    // A period where one day is wanted: which day?
    for s in [
        "2026-11",
        "2026",
        "2026年11月",
        "11月",
        "2026年",
        "本月",
        "this week",
        "下周",
        "本季度",
        "上半年",
        "2026-11-01..2026-11-30",
        "11月1日至今",
    ] {
        assert_eq!(date(s), Err(E::NotOneDay(s.to_owned())), "{s:?}");
    }
    for s in [
        "hello",
        "2026-13",
        "1101",
        "2026-11/01",
        "2026-11-01-",
        "2026--11-01",
        "26-11-01",
        "2026-011-01",
        "2026-11-001",
        "2026 11 01",
        "2026 1101",
        "202611",
        "2026年1日",
        "1日",
        "年11月1日",
        "2026年11月1日日",
        "11月1日 2026",
        "-11-01",
        "+2026-11-01",
        "2026-11-01T00:00",
        "١١-٠١",
    ] {
        let expected = Err(E::NotADate(s.trim().to_owned()));
        assert_eq!(date(s), expected, "{s:?}");
    }
}

#[test]
fn long_input_is_quoted_short() {
    let long = "x".repeat(500);
    let Err(E::NotADate(q)) = date(&long) else {
        panic!("refused");
    };
    assert_eq!(q.chars().count(), QUOTE_MAX + 1);
    assert!(q.ends_with('…'));
}

#[test]
fn weeks_run_monday_to_sunday() {
    let this = span(ymd(2026, 11, 16), ymd(2026, 11, 22));
    let last = span(ymd(2026, 11, 9), ymd(2026, 11, 15));
    for s in [
        "本周",
        "这周",
        "本星期",
        "这个星期",
        "this week",
        "This  Week",
    ] {
        assert_eq!(period(s), this, "{s}");
    }
    for s in ["上周", "上星期", "上个星期", "last week", "LAST WEEK"] {
        assert_eq!(period(s), last, "{s}");
    }
    // From the Monday and from the Sunday of the same week.
    assert_eq!(parse_period("本周", ymd(2026, 11, 16)), this);
    assert_eq!(parse_period("本周", ymd(2026, 11, 22)), this);
    assert_eq!(parse_period("上周", ymd(2026, 11, 22)), last);
    // Across a year's end.
    assert_eq!(
        parse_period("this week", ymd(2027, 1, 1)),
        span(ymd(2026, 12, 28), ymd(2027, 1, 3))
    );
}

#[test]
fn months_and_years() {
    let nov = span(ymd(2026, 11, 1), ymd(2026, 11, 30));
    for s in [
        "本月",
        "这个月",
        "this month",
        "2026-11",
        "2026/11",
        "2026.11",
        "2026年11月",
        "11月",
        "２０２６－１１",
        "１１月",
    ] {
        assert_eq!(period(s), nov, "{s}");
    }
    let oct = span(ymd(2026, 10, 1), ymd(2026, 10, 31));
    for s in ["上月", "上个月", "last month"] {
        assert_eq!(period(s), oct, "{s}");
    }
    assert_eq!(
        parse_period("上月", ymd(2027, 1, 15)),
        span(ymd(2026, 12, 1), ymd(2026, 12, 31))
    );
    assert_eq!(
        parse_period("本月", ymd(2028, 2, 10)),
        span(ymd(2028, 2, 1), ymd(2028, 2, 29))
    );
    assert_eq!(period("2026-2"), span(ymd(2026, 2, 1), ymd(2026, 2, 28)));
    let y2026 = span(ymd(2026, 1, 1), ymd(2026, 12, 31));
    for s in ["今年", "本年", "this year", "2026", "2026年", "２０２６"] {
        assert_eq!(period(s), y2026, "{s}");
    }
    let y2025 = span(ymd(2025, 1, 1), ymd(2025, 12, 31));
    for s in ["去年", "last year", "2025", "2025年"] {
        assert_eq!(period(s), y2025, "{s}");
    }
}

#[test]
fn a_day_is_a_period() {
    let nov1 = span(ymd(2026, 11, 1), ymd(2026, 11, 1));
    for s in ["2026-11-01", "11/1", "20261101", "2026年11月1日", "11月1号"] {
        assert_eq!(period(s), nov1, "{s}");
    }
    assert_eq!(period("今天"), Ok(Period::day(today())));
    assert_eq!(period("today"), Ok(Period::day(today())));
    assert_eq!(period("昨天"), Ok(Period::day(ymd(2026, 11, 17))));
}

#[test]
fn ranges() {
    let nov = span(ymd(2026, 11, 1), ymd(2026, 11, 30));
    for s in [
        "2026-11-01..2026-11-30",
        "2026-11-01...2026-11-30",
        "2026-11-01 .. 2026-11-30",
        "2026-11-01 至 2026-11-30",
        "2026-11-01至2026-11-30",
        "2026-11-01到2026-11-30",
        "2026-11-01~2026-11-30",
        "2026-11-01 ~ 2026-11-30",
        "2026-11-01～2026-11-30",
        "2026-11-01〜2026-11-30",
        "2026-11-01 - 2026-11-30",
        "2026-11-01\u{3000}－\u{3000}2026-11-30",
        "2026-11-01—2026-11-30",
        "2026-11-01——2026-11-30",
        "2026-11-01–2026-11-30",
        "2026-11-01 to 2026-11-30",
        "2026-11-01 TO 2026-11-30",
        "2026/11/1..2026/11/30",
        "2026.11.1..2026.11.30",
        "20261101..20261130",
        "2026年11月1日至2026年11月30日",
        "2026年11月1日-2026年11月30日",
        "11月1日-11月30日",
        "11-01~11-30",
        "11/1 - 11/30",
        "11/1..2026-11-30",
        "2026-11-01..11-30",
        "2026-11-01..本月",
        "本月..2026-11-30",
        "２０２６－１１－０１～２０２６－１１－３０",
        "2026-11..2026-11",
        "2026-11-01 至 11月30日",
    ] {
        assert_eq!(period(s), nov, "{s:?}");
    }
    assert_eq!(period("2026-11-01..今天"), span(ymd(2026, 11, 1), today()));
    assert_eq!(period("2026-11-01至今"), span(ymd(2026, 11, 1), today()));
    assert_eq!(
        period("上月..本月"),
        span(ymd(2026, 10, 1), ymd(2026, 11, 30))
    );
    assert_eq!(
        period("2026-09..2026-11"),
        span(ymd(2026, 9, 1), ymd(2026, 11, 30))
    );
    assert_eq!(
        period("2025..2026"),
        span(ymd(2025, 1, 1), ymd(2026, 12, 31))
    );
    assert_eq!(period("today to today"), Ok(Period::day(today())));
    assert_eq!(
        period("2026-11-15..2026-11"),
        span(ymd(2026, 11, 15), ymd(2026, 11, 30))
    );
}

#[test]
fn a_side_without_a_year_takes_the_others() {
    assert_eq!(
        period("2025-12-01..12-31"),
        span(ymd(2025, 12, 1), ymd(2025, 12, 31))
    );
    assert_eq!(
        period("2025年11月至12月"),
        span(ymd(2025, 11, 1), ymd(2025, 12, 31))
    );
    assert_eq!(
        period("11-01..2025-11-30"),
        span(ymd(2025, 11, 1), ymd(2025, 11, 30))
    );
    assert_eq!(
        period("2028-01-01..02-29"),
        span(ymd(2028, 1, 1), ymd(2028, 2, 29))
    );
    // Never moved to another year to make the range run forwards.
    assert_eq!(
        period("2025-12-01..01-31"),
        Err(E::EndBeforeStart {
            from: ymd(2025, 12, 1),
            to: ymd(2025, 1, 31)
        })
    );
    assert!(matches!(
        period("12-01..2026-01-31"),
        Err(E::EndBeforeStart { .. })
    ));
    assert!(matches!(
        period("2027-03-01..02-29"),
        Err(E::NoSuchDay { year: 2027, .. })
    ));
    // With no year on either side, both are this year.
    assert_eq!(period("3-1..3-31"), span(ymd(2026, 3, 1), ymd(2026, 3, 31)));
}

#[test]
fn period_refusals() {
    assert_eq!(period(""), Err(E::NoPeriod));
    assert_eq!(period("  "), Err(E::NoPeriod));
    let backwards = Err(E::EndBeforeStart {
        from: ymd(2026, 11, 30),
        to: ymd(2026, 11, 1),
    });
    assert_eq!(period("2026-11-30..2026-11-01"), backwards);
    assert_eq!(period("2026年11月30日至11月1日"), backwards);
    assert_eq!(period("11-30 - 11-01"), backwards);
    assert!(matches!(
        period("12-01..01-31"),
        Err(E::EndBeforeStart { .. })
    ));
    assert!(matches!(
        period("今天..昨天"),
        Err(E::EndBeforeStart { .. })
    ));
    for s in [
        "2026-11-01..",
        "..2026-11-30",
        "至2026-11-30",
        "2026-11-01 至 ",
        "~",
    ] {
        assert_eq!(period(s), Err(E::HalfRange(s.trim().into())), "{s:?}");
    }
    // The wrong side is quoted alone.
    assert!(matches!(period("2026-11-01..2026-02-30"),
        Err(E::NoSuchDay { text, .. }) if text == "2026-02-30"));
    assert!(matches!(period("2026-13-01 至 2026-11-30"),
        Err(E::NoSuchMonth { text, month: 13 }) if text == "2026-13-01"));
    assert_eq!(period("2026-11-01..foo"), Err(E::NotADate("foo".into())));
    assert_eq!(period("11月1日-30日"), Err(E::NotADate("30日".into())));
    assert!(matches!(
        period("2026-13"),
        Err(E::NoSuchMonth { month: 13, .. })
    ));
    assert!(matches!(
        period("13月"),
        Err(E::NoSuchMonth { month: 13, .. })
    ));
    assert!(matches!(
        period("1999"),
        Err(E::YearOutOfRange { year: 1999, .. })
    ));
    assert!(matches!(
        period("2101年"),
        Err(E::YearOutOfRange { year: 2101, .. })
    ));
    for s in [
        "abc",
        "next next month",
        "2026-11-01..2026-11-15..2026-11-30",
        "2026-11-01 - 2026-11-15 - 2026-11-30",
        "2026-11-01至2026-11-15到2026-11-30",
        "202611",
        "2026-11-01-2026-11-30",
    ] {
        assert_eq!(period(s), Err(E::NotAPeriod(s.into())), "{s:?}");
    }
}

#[test]
fn checked_period() {
    let (a, b) = (ymd(2026, 11, 1), ymd(2026, 11, 30));
    assert_eq!(Period::new(a, b), Ok(Period { from: a, to: b }));
    assert_eq!(Period::new(a, a), Ok(Period::day(a)));
    assert_eq!(Period::new(b, a), Err(E::EndBeforeStart { from: b, to: a }));
    let p = Period::new(a, b).unwrap();
    assert_eq!(p.days(), 30);
    assert!(p.contains(a) && p.contains(b) && !p.contains(ymd(2026, 12, 1)));
    assert_eq!(Period::day(a).days(), 1);
    assert_eq!(p.to_string(), "2026-11-01..2026-11-30");
    assert_eq!(Period::day(a).to_string(), "2026-11-01");
}

#[test]
fn named_periods() {
    let t = today();
    assert_eq!(NamedPeriod::Today.period(t), Period::day(t));
    assert_eq!(Ok(NamedPeriod::ThisWeek.period(t)), period("本周"));
    assert_eq!(Ok(NamedPeriod::ThisMonth.period(t)), period("本月"));
    assert_eq!(Ok(NamedPeriod::LastMonth.period(t)), period("上月"));
    assert_eq!(Ok(NamedPeriod::ThisYear.period(t)), period("今年"));
    for n in NamedPeriod::ALL {
        // Each label reads back as its own period, in both languages.
        for lang in [Lang::ZhCn, Lang::En] {
            assert_eq!(parse_period(n.label(lang), t), Ok(n.period(t)), "{n:?}");
            assert_eq!(n.localized(lang), n.label(lang));
        }
        assert_eq!(NamedPeriod::matching(n.period(t), t), Some(n));
    }
    assert_eq!(NamedPeriod::ThisMonth.label(Lang::ZhCn), "本月");
    assert_eq!(NamedPeriod::LastMonth.label(Lang::En), "Last month");
    assert_eq!(
        NamedPeriod::matching(period("2026-11-02..2026-11-30").unwrap(), t),
        None
    );
}

#[test]
fn the_ends_of_the_calendar_cut_periods_short() {
    for t in [NaiveDate::MIN, NaiveDate::MAX] {
        for n in NamedPeriod::ALL {
            let p = n.period(t);
            assert!(p.from <= p.to, "{n:?} {t}");
            assert!(n == NamedPeriod::LastMonth || p.contains(t), "{n:?} {t}");
        }
        for (k, _) in KEYWORDS {
            let p = parse_period(k, t).unwrap();
            assert!(p.from <= p.to, "{k} {t}");
        }
    }
    assert_eq!(parse_date("tomorrow", NaiveDate::MAX), Ok(NaiveDate::MAX));
    assert_eq!(parse_date("yesterday", NaiveDate::MIN), Ok(NaiveDate::MIN));
}

#[test]
fn messages_quote_what_was_typed_in_both_languages() {
    let cases = [
        (
            date("2026-02-30").err(),
            "2026-02-30",
            "2026年2月只有28天",
            "February 2026 has only 28 days",
        ),
        (
            date("13-01").err(),
            "13-01",
            "没有13月",
            "there is no month 13",
        ),
        (
            date("2026-11-00").err(),
            "2026-11-00",
            "没有0日",
            "there is no day 0",
        ),
        (
            date("1999-01-01").err(),
            "1999-01-01",
            "2000到2100",
            "between 2000 and 2100",
        ),
        (date("明年").err(), "明年", "不是日期", "is not a date"),
        (date("本月").err(), "本月", "请填某一天", "type one day"),
        (
            period("下下个月").err(),
            "下下个月",
            "不是时间段",
            "is not a period",
        ),
        (
            period("2026-11-01..").err(),
            "2026-11-01..",
            "两边都要有日期",
            "on both sides",
        ),
    ];
    for (result, typed, zh, en) in cases {
        let e = result.unwrap();
        let (in_zh, in_en) = (e.localized(Lang::ZhCn), e.localized(Lang::En));
        assert!(
            in_zh.contains(&format!("“{typed}”")) && in_zh.contains(zh),
            "{in_zh}"
        );
        assert!(
            in_en.contains(&format!("'{typed}'")) && in_en.contains(en),
            "{in_en}"
        );
        assert_eq!(in_en, e.to_string());
    }
    let e = period("2026-11-30..2026-11-01").unwrap_err();
    assert_eq!(
        e.localized(Lang::ZhCn),
        "结束日期（2026-11-01）早于开始日期（2026-11-30）"
    );
    assert_eq!(
        e.localized(Lang::En),
        "the period ends (2026-11-01) before it starts (2026-11-30)"
    );
    for e in [E::NoDate, E::NoPeriod] {
        assert!(e.localized(Lang::ZhCn).starts_with("没有填"));
        assert!(e.localized(Lang::En).starts_with("no "));
    }
}

/// Any day, the ends of the calendar included.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        1 => Just(NaiveDate::MIN),
        1 => Just(NaiveDate::MAX),
        8 => (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
    ]
}

/// A day from 2000-01-01 to 2100-12-31.
fn day_in_range() -> impl Strategy<Value = NaiveDate> {
    let first = ymd(2000, 1, 1).num_days_from_ce();
    let last = ymd(2100, 12, 31).num_days_from_ce();
    (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

/// Text as typed: anything, or what is near a date or a period.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9０-９年月日号./／．\\-－~～〜—至到 \u{3000}]{0,24}",
        "(today|本月|上周|2026|11|-|\\.\\.| to | - |至|年|月|日|\u{FF10}| ){0,8}",
        "(下|上|本|这个|周|星期|五|天|后|前|个月|季度|半年|q|h|1|3|friday|next|in|days|ago|of|dec| ){0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn written_dates_read_back(d in day_in_range(), t in any_day()) {
        for fmt in ["%Y-%m-%d", "%Y/%-m/%-d", "%Y年%-m月%-d日", "%Y.%-m.%-d", "%Y%m%d"] {
            let s = d.format(fmt).to_string();
            prop_assert_eq!(parse_date(&s, t), Ok(d), "{}", s);
            prop_assert_eq!(parse_period(&s, t), Ok(Period::day(d)), "{}", s);
        }
        // Without the year, read in the same year.
        for fmt in ["%m-%d", "%-m/%-d", "%-m月%-d日"] {
            let s = d.format(fmt).to_string();
            prop_assert_eq!(parse_date(&s, d), Ok(d), "{}", s);
        }
    }

    #[test]
    fn month_periods_are_whole_months(
        y in 2000i32..=2100,
        m in 1u32..=12,
        t in day_in_range(),
    ) {
        let month = |p: Period| {
            p.from.day() == 1
                && (p.from.year(), p.from.month()) == (p.to.year(), p.to.month())
                && p.to.succ_opt().is_some_and(|n| n.day() == 1)
        };
        for s in [format!("{y}-{m:02}"), format!("{y}/{m}"), format!("{y}年{m}月")] {
            let p = parse_period(&s, t).unwrap();
            prop_assert!(month(p), "{} {:?}", s, p);
            prop_assert_eq!((p.from.year(), p.from.month()), (y, m));
        }
        let p = parse_period(&format!("{m}月"), t).unwrap();
        prop_assert!(month(p) && p.from.year() == t.year());
        prop_assert!(month(parse_period("本月", t).unwrap()));
        prop_assert!(month(parse_period("上月", t).unwrap()));
        prop_assert!(parse_period("本月", t).unwrap().contains(t));
    }

    #[test]
    fn weeks_are_monday_to_sunday(t in day_in_range()) {
        for (s, back) in [("本周", 0), ("上周", 7)] {
            let p = parse_period(s, t).unwrap();
            prop_assert_eq!(p.from.weekday(), chrono::Weekday::Mon);
            prop_assert_eq!(p.days(), 7);
            prop_assert!(p.contains(t - chrono::Days::new(back)));
        }
    }

    #[test]
    fn periods_read_back_from_display(a in day_in_range(), b in day_in_range(), t in any_day()) {
        let p = Period::new(a.min(b), a.max(b)).unwrap();
        prop_assert_eq!(parse_period(&p.to_string(), t), Ok(p));
    }

    #[test]
    fn any_text_is_answered(s in typed(), t in any_day()) {
        let _ = parse_date(&s, t);
        let _ = parse_time(&s);
        if let Ok((Some(a), Some(b))) = parse_ends(Some(&s), Some(&s), t) {
            prop_assert!(a.from <= b.to);
        }
        if let Ok(p) = parse_period(&s, t) {
            prop_assert!(p.from <= p.to);
        }
        if let Err(e) = parse_period(&s, t) {
            prop_assert!(!e.localized(Lang::ZhCn).is_empty());
            prop_assert!(!e.localized(Lang::En).is_empty());
        }
    }
}

mod ends;
mod forms;
mod round_trip;
mod time;
