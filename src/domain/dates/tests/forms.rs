//! The forms in words, in both languages, seen from a fixed today (a
//! Wednesday, 2026-11-18) and from the edges: month and year ends, a leap
//! day, a Sunday and a Monday.

use super::*;

fn on(s: &str, t: NaiveDate) -> Result<NaiveDate, DateError> {
    parse_date(s, t)
}

fn all_read(forms: &[&str], t: NaiveDate, expected: NaiveDate) {
    for s in forms {
        assert_eq!(parse_date(s, t), Ok(expected), "{s:?} on {t}");
        assert_eq!(
            parse_period(s, t),
            Ok(Period::day(expected)),
            "{s:?} on {t}"
        );
    }
}

fn all_periods(forms: &[&str], t: NaiveDate, from: NaiveDate, to: NaiveDate) {
    for s in forms {
        assert_eq!(parse_period(s, t), span(from, to), "{s:?} on {t}");
    }
}

#[test]
fn days_near_today() {
    let t = today();
    all_read(&["今天", "今日", "today", "TODAY"], t, t);
    all_read(
        &["明天", "明日", "tomorrow", "Tomorrow"],
        t,
        ymd(2026, 11, 19),
    );
    all_read(
        &["后天", "day after tomorrow", "the day after tomorrow"],
        t,
        ymd(2026, 11, 20),
    );
    all_read(&["大后天"], t, ymd(2026, 11, 21));
    all_read(&["昨天", "昨日", "yesterday"], t, ymd(2026, 11, 17));
    all_read(
        &["前天", "day before yesterday", "the day before yesterday"],
        t,
        ymd(2026, 11, 16),
    );
    all_read(&["大前天"], t, ymd(2026, 11, 15));
}

#[test]
fn days_near_today_across_month_and_year_ends() {
    let eve = ymd(2026, 12, 31);
    all_read(&["明天", "tomorrow"], eve, ymd(2027, 1, 1));
    all_read(&["后天"], eve, ymd(2027, 1, 2));
    let new_year = ymd(2027, 1, 1);
    all_read(&["昨天", "yesterday"], new_year, eve);
    all_read(&["前天"], new_year, ymd(2026, 12, 30));
    // Into and out of a leap day.
    all_read(&["明天"], ymd(2028, 2, 28), ymd(2028, 2, 29));
    all_read(&["后天"], ymd(2028, 2, 28), ymd(2028, 3, 1));
    all_read(&["昨天"], ymd(2028, 3, 1), ymd(2028, 2, 29));
    all_read(&["明天"], ymd(2026, 2, 28), ymd(2026, 3, 1));
    all_read(&["大后天"], ymd(2026, 4, 29), ymd(2026, 5, 2));
}

#[test]
fn counted_days_weeks_and_months() {
    let t = today();
    all_read(
        &[
            "3天后",
            "3天以后",
            "三天后",
            "3 天后",
            "in 3 days",
            "3 days later",
        ],
        t,
        ymd(2026, 11, 21),
    );
    all_read(&["3天前", "三天以前", "3 days ago"], t, ymd(2026, 11, 15));
    all_read(
        &["十天后", "10天之后", "in 10 days", "10 days from now"],
        t,
        ymd(2026, 11, 28),
    );
    all_read(&["二十一天后", "21天后"], t, ymd(2026, 12, 9));
    all_read(
        &[
            "两周后",
            "2周后",
            "两个星期后",
            "两个礼拜以后",
            "in 2 weeks",
        ],
        t,
        ymd(2026, 12, 2),
    );
    all_read(
        &["一周前", "1 week ago", "a week ago"],
        t,
        ymd(2026, 11, 11),
    );
    all_read(
        &["一个月后", "1个月后", "in a month", "in 1 month"],
        t,
        ymd(2026, 12, 18),
    );
    all_read(&["两个月前", "2 months ago"], t, ymd(2026, 9, 18));
    // A month on from the 31st: the next month's last day.
    all_read(&["一个月后"], ymd(2026, 1, 31), ymd(2026, 2, 28));
    all_read(&["一个月后"], ymd(2028, 1, 31), ymd(2028, 2, 29));
    all_read(&["一个月前"], ymd(2026, 3, 31), ymd(2026, 2, 28));
    all_read(&["三个月后"], ymd(2026, 11, 30), ymd(2027, 2, 28));
    // Across a year's end.
    all_read(&["3天后"], ymd(2026, 12, 30), ymd(2027, 1, 2));
    for s in [
        "天后",
        "0.5天后",
        "几天后",
        "一百天后",
        "3月后",
        "in days",
        "3 days",
    ] {
        assert!(parse_date(s, t).is_err(), "{s:?}");
    }
}

#[test]
fn weekdays_are_the_next_such_day_today_included() {
    // Today is a Wednesday.
    let t = today();
    all_read(&["周三", "星期三", "礼拜三", "wednesday", "wed"], t, t);
    all_read(
        &[
            "周四",
            "星期四",
            "礼拜四",
            "周4",
            "thursday",
            "thu",
            "Thurs",
        ],
        t,
        ymd(2026, 11, 19),
    );
    all_read(
        &["周五", "星期五", "礼拜五", "周5", "friday", "fri", "FRIDAY"],
        t,
        ymd(2026, 11, 20),
    );
    all_read(&["周六", "saturday", "sat"], t, ymd(2026, 11, 21));
    all_read(
        &[
            "周日",
            "周天",
            "星期日",
            "星期天",
            "礼拜天",
            "礼拜日",
            "周7",
            "sunday",
            "sun",
        ],
        t,
        ymd(2026, 11, 22),
    );
    // Gone by this week: next week's.
    all_read(&["周一", "星期一", "monday", "mon"], t, ymd(2026, 11, 23));
    all_read(&["周二", "tuesday", "tue", "tues"], t, ymd(2026, 11, 24));
}

#[test]
fn weekdays_of_this_next_and_last_week() {
    let t = today();
    all_read(
        &[
            "这周五",
            "本周五",
            "这星期五",
            "本星期五",
            "这个星期五",
            "这礼拜五",
            "这个礼拜五",
            "this friday",
        ],
        t,
        ymd(2026, 11, 20),
    );
    // This week's Monday, though it is behind today.
    all_read(&["本周一", "这周一", "this monday"], t, ymd(2026, 11, 16));
    all_read(&["本周日", "本周天", "this sunday"], t, ymd(2026, 11, 22));
    all_read(
        &[
            "下周一",
            "下星期一",
            "下个星期一",
            "下礼拜一",
            "下个礼拜一",
            "next monday",
            "Next Monday",
            "next mon",
        ],
        t,
        ymd(2026, 11, 23),
    );
    all_read(&["下周五", "下星期五", "next friday"], t, ymd(2026, 11, 27));
    all_read(&["下周日", "next sunday"], t, ymd(2026, 11, 29));
    all_read(
        &["上周五", "上星期五", "上个礼拜五", "last friday"],
        t,
        ymd(2026, 11, 13),
    );
    all_read(&["上周一", "last monday"], t, ymd(2026, 11, 9));
}

#[test]
fn weekdays_from_a_sunday_and_a_monday() {
    // A week runs Monday to Sunday: on a Sunday, 下周一 is tomorrow.
    let sunday = ymd(2026, 11, 22);
    all_read(&["周日", "sunday", "本周日"], sunday, sunday);
    all_read(
        &["下周一", "next monday", "周一", "monday"],
        sunday,
        ymd(2026, 11, 23),
    );
    all_read(&["本周一", "this monday"], sunday, ymd(2026, 11, 16));
    all_read(&["下周日"], sunday, ymd(2026, 11, 29));
    all_read(&["上周日"], sunday, ymd(2026, 11, 15));
    all_read(&["周六"], sunday, ymd(2026, 11, 28));
    let monday = ymd(2026, 11, 23);
    all_read(&["周一", "monday", "本周一", "this monday"], monday, monday);
    all_read(&["下周一", "next monday"], monday, ymd(2026, 11, 30));
    all_read(&["上周一", "last monday"], monday, ymd(2026, 11, 16));
    all_read(&["周日", "本周日"], monday, ymd(2026, 11, 29));
    all_read(&["上周日"], monday, ymd(2026, 11, 22));
}

#[test]
fn weekdays_across_a_year_end() {
    // 2026-12-31 is a Thursday; its week runs to Sunday 2027-01-03.
    let eve = ymd(2026, 12, 31);
    all_read(&["周五", "friday"], eve, ymd(2027, 1, 1));
    all_read(&["本周日"], eve, ymd(2027, 1, 3));
    all_read(&["下周一", "next monday"], eve, ymd(2027, 1, 4));
    all_read(&["本周一"], eve, ymd(2026, 12, 28));
    all_read(&["上周五"], ymd(2027, 1, 1), ymd(2026, 12, 25));
    // And around a leap day (2028-02-28 is a Monday).
    all_read(&["周二", "tuesday"], ymd(2028, 2, 28), ymd(2028, 2, 29));
    all_read(&["下周一"], ymd(2028, 2, 29), ymd(2028, 3, 6));
}

#[test]
fn weeks() {
    let t = today();
    all_periods(
        &[
            "下周",
            "下星期",
            "下个星期",
            "下礼拜",
            "next week",
            "Next  Week",
        ],
        t,
        ymd(2026, 11, 23),
        ymd(2026, 11, 29),
    );
    all_periods(
        &["本礼拜", "这个礼拜"],
        t,
        ymd(2026, 11, 16),
        ymd(2026, 11, 22),
    );
    all_periods(&["上礼拜"], t, ymd(2026, 11, 9), ymd(2026, 11, 15));
    all_periods(
        &["下周"],
        ymd(2026, 12, 31),
        ymd(2027, 1, 4),
        ymd(2027, 1, 10),
    );
}

#[test]
fn next_month_as_a_period_and_as_a_day() {
    let t = today();
    let dec = (ymd(2026, 12, 1), ymd(2026, 12, 31));
    all_periods(
        &["下月", "下个月", "next month", "Next Month"],
        t,
        dec.0,
        dec.1,
    );
    // Where one day is wanted: the first day of next month.
    for s in ["下月", "下个月", "next month"] {
        assert_eq!(on(s, t), Ok(dec.0), "{s}");
        assert_eq!(on(s, ymd(2026, 12, 31)), Ok(ymd(2027, 1, 1)), "{s}");
        assert_eq!(on(s, ymd(2026, 1, 31)), Ok(ymd(2026, 2, 1)), "{s}");
        assert_eq!(on(s, ymd(2028, 2, 29)), Ok(ymd(2028, 3, 1)), "{s}");
    }
    all_periods(
        &["下月"],
        ymd(2026, 12, 15),
        ymd(2027, 1, 1),
        ymd(2027, 1, 31),
    );
    all_periods(
        &["下月"],
        ymd(2028, 1, 31),
        ymd(2028, 2, 1),
        ymd(2028, 2, 29),
    );
    // The other months named by word are not one day.
    for s in ["本月", "上月", "this month", "last month"] {
        assert_eq!(on(s, t), Err(DateError::NotOneDay(s.into())), "{s}");
    }
}

#[test]
fn a_day_of_a_month_near_today() {
    let t = today();
    all_read(&["下月15号", "下个月15日", "下月15"], t, ymd(2026, 12, 15));
    all_read(&["本月20日", "这个月20号"], t, ymd(2026, 11, 20));
    all_read(&["上月1日", "上个月1号"], t, ymd(2026, 10, 1));
    all_read(&["下月31日"], t, ymd(2026, 12, 31));
    all_read(&["下月1号"], ymd(2026, 12, 31), ymd(2027, 1, 1));
    all_read(&["下月29日"], ymd(2028, 1, 10), ymd(2028, 2, 29));
    assert_eq!(
        on("下月31日", ymd(2026, 1, 10)),
        Err(DateError::NoSuchDay {
            text: "下月31日".into(),
            year: 2026,
            month: 2,
            day: 31,
            last: 28
        })
    );
    assert!(matches!(
        on("下月29日", ymd(2026, 1, 10)),
        Err(DateError::NoSuchDay { last: 28, .. })
    ));
    assert!(matches!(
        on("本月0日", t),
        Err(DateError::NoSuchDay { day: 0, .. })
    ));
}

#[test]
fn chinese_dates() {
    let t = today();
    all_read(
        &[
            "12月15日",
            "12月15号",
            "12月15",
            "2026年12月15日",
            "2026年12月15号",
            "今年12月15日",
        ],
        t,
        ymd(2026, 12, 15),
    );
    all_read(&["明年1月5日", "2027年1月5号"], t, ymd(2027, 1, 5));
    all_read(&["去年12月31日"], t, ymd(2025, 12, 31));
    // A year left out is this year, even when the day has gone by.
    all_read(&["1月5日", "1/5", "01-05"], t, ymd(2026, 1, 5));
    all_read(&["2月29日"], ymd(2028, 7, 1), ymd(2028, 2, 29));
    assert!(matches!(
        on("2月29日", t),
        Err(DateError::NoSuchDay { last: 28, .. })
    ));
    all_periods(&["去年11月"], t, ymd(2025, 11, 1), ymd(2025, 11, 30));
    all_periods(
        &["明年2月"],
        ymd(2027, 6, 1),
        ymd(2028, 2, 1),
        ymd(2028, 2, 29),
    );
}

#[test]
fn english_dates() {
    let t = today();
    all_read(
        &[
            "dec 15",
            "Dec 15",
            "december 15",
            "15 dec",
            "15 December",
            "dec 15th",
            "15th of december",
        ],
        t,
        ymd(2026, 12, 15),
    );
    all_read(
        &[
            "december 15, 2026",
            "dec 15 2026",
            "15 dec 2026",
            "15th of December 2026",
        ],
        t,
        ymd(2026, 12, 15),
    );
    all_read(&["feb 29 2028", "29 feb 2028"], t, ymd(2028, 2, 29));
    all_read(&["sept 1", "sep 1st"], t, ymd(2026, 9, 1));
    all_periods(
        &["december", "dec", "dec 2026", "december 2026"],
        t,
        ymd(2026, 12, 1),
        ymd(2026, 12, 31),
    );
    assert!(matches!(
        on("feb 29 2027", t),
        Err(DateError::NoSuchDay { last: 28, .. })
    ));
    assert!(matches!(
        on("dec 15 1999", t),
        Err(DateError::YearOutOfRange { year: 1999, .. })
    ));
    for s in ["dec 32", "decem 15", "15 15", "dec dec"] {
        assert!(on(s, t).is_err(), "{s}");
    }
}

#[test]
fn quarters() {
    let t = today();
    all_periods(
        &[
            "本季度",
            "本季",
            "这季度",
            "这个季度",
            "this quarter",
            "This Quarter",
        ],
        t,
        ymd(2026, 10, 1),
        ymd(2026, 12, 31),
    );
    all_periods(
        &["上季度", "上个季度", "上季", "last quarter"],
        t,
        ymd(2026, 7, 1),
        ymd(2026, 9, 30),
    );
    all_periods(
        &["下季度", "下个季度", "next quarter"],
        t,
        ymd(2027, 1, 1),
        ymd(2027, 3, 31),
    );
    // Across a year's end, both ways.
    all_periods(
        &["上季度"],
        ymd(2027, 1, 10),
        ymd(2026, 10, 1),
        ymd(2026, 12, 31),
    );
    all_periods(
        &["本季度"],
        ymd(2027, 3, 31),
        ymd(2027, 1, 1),
        ymd(2027, 3, 31),
    );
    all_periods(
        &["下季度"],
        ymd(2027, 3, 31),
        ymd(2027, 4, 1),
        ymd(2027, 6, 30),
    );
    all_periods(
        &["本季度"],
        ymd(2028, 2, 29),
        ymd(2028, 1, 1),
        ymd(2028, 3, 31),
    );
    // By number.
    all_periods(
        &[
            "第一季度",
            "一季度",
            "1季度",
            "第1季度",
            "第一季",
            "Q1",
            "q1",
            "first quarter",
            "1st quarter",
        ],
        t,
        ymd(2026, 1, 1),
        ymd(2026, 3, 31),
    );
    all_periods(
        &[
            "2026年第三季度",
            "2026年三季度",
            "2026年Q3",
            "2026Q3",
            "2026-Q3",
            "2026 q3",
            "Q3 2026",
            "q3 of 2026",
            "third quarter of 2026",
        ],
        t,
        ymd(2026, 7, 1),
        ymd(2026, 9, 30),
    );
    all_periods(
        &[
            "去年四季度",
            "去年第四季度",
            "q4 last year",
            "fourth quarter of last year",
        ],
        t,
        ymd(2025, 10, 1),
        ymd(2025, 12, 31),
    );
    for s in ["第五季度", "Q5", "Q0", "2026Q", "季度"] {
        assert!(parse_period(s, t).is_err(), "{s}");
    }
    assert!(matches!(
        parse_period("1999年第一季度", t),
        Err(DateError::YearOutOfRange { year: 1999, .. })
    ));
}

#[test]
fn halves_of_a_year() {
    let t = today();
    all_periods(
        &[
            "上半年",
            "今年上半年",
            "first half",
            "First Half",
            "h1",
            "1st half",
            "first half of this year",
        ],
        t,
        ymd(2026, 1, 1),
        ymd(2026, 6, 30),
    );
    all_periods(
        &["下半年", "今年下半年", "second half", "H2"],
        t,
        ymd(2026, 7, 1),
        ymd(2026, 12, 31),
    );
    all_periods(
        &[
            "2025年上半年",
            "去年上半年",
            "first half of 2025",
            "h1 2025",
            "2025 H1",
            "2025h1",
            "first half of last year",
        ],
        t,
        ymd(2025, 1, 1),
        ymd(2025, 6, 30),
    );
    all_periods(
        &["明年下半年", "second half of next year"],
        t,
        ymd(2027, 7, 1),
        ymd(2027, 12, 31),
    );
    for s in ["third half", "中半年", "上半月"] {
        assert!(parse_period(s, t).is_err(), "{s}");
    }
}

#[test]
fn years_in_words() {
    let t = today();
    all_periods(
        &["今年", "本年", "this year"],
        t,
        ymd(2026, 1, 1),
        ymd(2026, 12, 31),
    );
    all_periods(
        &["去年", "last year"],
        t,
        ymd(2025, 1, 1),
        ymd(2025, 12, 31),
    );
    all_periods(&["前年"], t, ymd(2024, 1, 1), ymd(2024, 12, 31));
    all_periods(
        &["明年", "next year"],
        t,
        ymd(2027, 1, 1),
        ymd(2027, 12, 31),
    );
    all_periods(&["后年"], t, ymd(2028, 1, 1), ymd(2028, 12, 31));
    all_periods(
        &["去年"],
        ymd(2027, 1, 1),
        ymd(2026, 1, 1),
        ymd(2026, 12, 31),
    );
}

#[test]
fn words_in_ranges() {
    let t = today();
    all_periods(
        &["本周一至本周五", "this monday to this friday"],
        t,
        ymd(2026, 11, 16),
        ymd(2026, 11, 20),
    );
    all_periods(
        &["今天到下周五", "today..next friday"],
        t,
        t,
        ymd(2026, 11, 27),
    );
    all_periods(&["上季度..本季度"], t, ymd(2026, 7, 1), ymd(2026, 12, 31));
    all_periods(&["上半年至今"], t, ymd(2026, 1, 1), t);
    all_periods(
        &["12月1日至下月15号"],
        t,
        ymd(2026, 12, 1),
        ymd(2026, 12, 15),
    );
    // A side without a year takes the other's, a quarter's too.
    all_periods(
        &["2025年Q4..12月15日"],
        t,
        ymd(2025, 10, 1),
        ymd(2025, 12, 15),
    );
    // 周一 is next Monday, after this Friday: refused, not guessed at.
    assert!(matches!(
        parse_period("周一至周五", t),
        Err(DateError::EndBeforeStart { .. })
    ));
}

#[test]
fn refusals_in_both_languages() {
    let t = today();
    for (s, zh, en) in [
        ("下下周一", "不是日期", "is not a date"),
        ("周八", "不是日期", "is not a date"),
        ("下周", "请填某一天", "type one day"),
        ("本季度", "请填某一天", "type one day"),
        ("next week", "不是日期", "is not a date"),
    ] {
        let e = on(s, t).unwrap_err();
        let (in_zh, in_en) = (e.localized(Lang::ZhCn), e.localized(Lang::En));
        assert!(
            in_zh.contains(&format!("“{s}”")) && in_zh.contains(zh),
            "{in_zh}"
        );
        assert!(
            in_en.contains(&format!("'{s}'")) && in_en.contains(en),
            "{in_en}"
        );
    }
    assert_eq!(
        on("下周", t).unwrap_err().localized(Lang::En),
        "'下周' is not a date but a period: type one day (e.g. next monday, 12/15)"
    );
    assert_eq!(
        on("下周", t).unwrap_err().localized(Lang::ZhCn),
        "“下周”是一段时间，不是日期：请填某一天（例如 下周一、12月15日）"
    );
}
