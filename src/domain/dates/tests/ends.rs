//! A period typed apart, in two fields or as `--from` and `--to`: the two
//! ends are read together, like the two sides of a range.

use super::*;

fn from_to(a: &str, b: Option<&str>) -> Result<Period, (End, DateError)> {
    parse_from_to(a, b, today())
}

fn ends(
    a: Option<&str>,
    b: Option<&str>,
) -> Result<(Option<Period>, Option<Period>), (End, DateError)> {
    parse_ends(a, b, today())
}

fn whole(a: NaiveDate, b: NaiveDate) -> Result<Period, (End, DateError)> {
    Ok(Period { from: a, to: b })
}

#[test]
fn an_end_without_a_year_takes_the_others() {
    // Not thirteen months, 2025-11-01 to 2026-11-30.
    assert_eq!(
        from_to("2025-11-01", Some("11-30")),
        whole(ymd(2025, 11, 1), ymd(2025, 11, 30))
    );
    assert_eq!(
        from_to("11-01", Some("2025-11-30")),
        whole(ymd(2025, 11, 1), ymd(2025, 11, 30))
    );
    assert_eq!(
        from_to("2025年11月1日", Some("11月30日")),
        whole(ymd(2025, 11, 1), ymd(2025, 11, 30))
    );
    assert_eq!(
        from_to("2025-11-01", Some("12/31")),
        whole(ymd(2025, 11, 1), ymd(2025, 12, 31))
    );
    assert_eq!(
        from_to("2025-10", Some("12月")),
        whole(ymd(2025, 10, 1), ymd(2025, 12, 31))
    );
    assert_eq!(
        from_to("2025年Q3", Some("q4")),
        whole(ymd(2025, 7, 1), ymd(2025, 12, 31))
    );
    assert_eq!(
        from_to("2028-02-01", Some("2/29")),
        whole(ymd(2028, 2, 1), ymd(2028, 2, 29))
    );
    // With no year on either end, both are this year.
    assert_eq!(
        from_to("3-1", Some("3-31")),
        whole(ymd(2026, 3, 1), ymd(2026, 3, 31))
    );
    // An end with a year of its own keeps it.
    assert_eq!(
        from_to("2025-11-01", Some("2026-01-31")),
        whole(ymd(2025, 11, 1), ymd(2026, 1, 31))
    );
}

#[test]
fn an_end_before_the_start_is_refused_not_moved() {
    assert_eq!(
        from_to("2025-12-01", Some("01-31")),
        Err((
            End::To,
            DateError::EndBeforeStart {
                from: ymd(2025, 12, 1),
                to: ymd(2025, 1, 31)
            }
        ))
    );
    assert_eq!(
        from_to("2026-11-30", Some("2026-11-01")),
        Err((
            End::To,
            DateError::EndBeforeStart {
                from: ymd(2026, 11, 30),
                to: ymd(2026, 11, 1)
            }
        ))
    );
    assert!(matches!(
        from_to("2027-03-01", Some("02-29")),
        Err((End::To, DateError::NoSuchDay { year: 2027, .. }))
    ));
    let e = from_to("2025-12-01", Some("01-31")).unwrap_err().1;
    assert_eq!(
        e.localized(Lang::ZhCn),
        "结束日期（2025-01-31）早于开始日期（2025-12-01）"
    );
    assert_eq!(
        e.localized(Lang::En),
        "the period ends (2025-01-31) before it starts (2025-12-01)"
    );
}

#[test]
fn each_refusal_names_its_end() {
    assert_eq!(
        from_to("2026-02-30", Some("2026-03-01")),
        Err((
            End::From,
            DateError::NoSuchDay {
                text: "2026-02-30".into(),
                year: 2026,
                month: 2,
                day: 30,
                last: 28
            }
        ))
    );
    assert_eq!(
        from_to("2026-11-01", Some("下下周")),
        Err((End::To, DateError::NotAPeriod("下下周".into())))
    );
    assert_eq!(from_to(" ", None), Err((End::From, DateError::NoPeriod)));
    assert_eq!(
        from_to("2026-11-01", Some("")),
        Err((End::To, DateError::NoPeriod))
    );
    assert!(matches!(
        from_to("2026-11-01..foo", None),
        Err((End::From, DateError::NotADate(s))) if s == "foo"
    ));
}

#[test]
fn periods_count_to_their_ends() {
    let t = today();
    assert_eq!(
        from_to("本月", None),
        whole(ymd(2026, 11, 1), ymd(2026, 11, 30))
    );
    assert_eq!(
        from_to("2026-09", Some("2026-11")),
        whole(ymd(2026, 9, 1), ymd(2026, 11, 30))
    );
    assert_eq!(from_to("上月", Some("今天")), whole(ymd(2026, 10, 1), t));
    assert_eq!(
        from_to("本季度", Some("下月")),
        whole(ymd(2026, 10, 1), ymd(2026, 12, 31))
    );
    // A range in one field.
    assert_eq!(
        from_to("2026-11-01..11-15", None),
        whole(ymd(2026, 11, 1), ymd(2026, 11, 15))
    );
    assert_eq!(
        from_to("2026-10-01..10-15", Some("11-30")),
        whole(ymd(2026, 10, 1), ymd(2026, 11, 30))
    );
}

#[test]
fn either_end_may_be_left_out() {
    let nov = Period::new(ymd(2026, 11, 1), ymd(2026, 11, 30)).unwrap();
    assert_eq!(ends(None, None), Ok((None, None)));
    assert_eq!(ends(Some("本月"), None), Ok((Some(nov), None)));
    assert_eq!(ends(None, Some("2026-11")), Ok((None, Some(nov))));
    assert_eq!(
        ends(Some("2025-11-01"), Some("11-30")),
        Ok((
            Some(Period::day(ymd(2025, 11, 1))),
            Some(Period::day(ymd(2025, 11, 30)))
        ))
    );
    // Alone, a year left out is this year's.
    assert_eq!(
        ends(None, Some("11-30")),
        Ok((None, Some(Period::day(ymd(2026, 11, 30)))))
    );
}
