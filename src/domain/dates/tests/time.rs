//! Times of day.

use super::*;
use chrono::NaiveTime;

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

#[test]
fn clock_forms() {
    for (s, t) in [
        ("14:30", hm(14, 30)),
        ("1430", hm(14, 30)),
        (" 14:30 ", hm(14, 30)),
        ("１４：３０", hm(14, 30)),
        ("14：30", hm(14, 30)),
        ("9:05", hm(9, 5)),
        ("09:05", hm(9, 5)),
        ("930", hm(9, 30)),
        ("0:00", hm(0, 0)),
        ("23:59", hm(23, 59)),
        ("14点", hm(14, 0)),
        ("14点整", hm(14, 0)),
        ("14点30", hm(14, 30)),
        ("14点30分", hm(14, 30)),
        ("14点半", hm(14, 30)),
        ("9点5分", hm(9, 5)),
        ("14时30分", hm(14, 30)),
        ("下午2点", hm(14, 0)),
        ("下午2点半", hm(14, 30)),
        ("下午 2:30", hm(14, 30)),
        ("下午14:30", hm(14, 30)),
        ("下午12点", hm(12, 0)),
        ("上午9点", hm(9, 0)),
        ("早上7:30", hm(7, 30)),
        ("中午12点", hm(12, 0)),
        ("中午1点", hm(13, 0)),
        ("晚上8点", hm(20, 0)),
        ("傍晚6点半", hm(18, 30)),
        ("凌晨3点", hm(3, 0)),
        ("2pm", hm(14, 0)),
        ("2 PM", hm(14, 0)),
        ("2:30pm", hm(14, 30)),
        ("2:30 p.m.", hm(14, 30)),
        ("9am", hm(9, 0)),
        ("12am", hm(0, 0)),
        ("12:30am", hm(0, 30)),
        ("12pm", hm(12, 0)),
    ] {
        assert_eq!(parse_time(s), Ok(t), "{s:?}");
    }
}

#[test]
fn refusals() {
    assert_eq!(parse_time(""), Err(DateError::NoTime));
    assert_eq!(parse_time(" \u{3000}"), Err(DateError::NoTime));
    for s in [
        "7.30", "14", "2", "两点", "14:3", "14:300", "abc", "14:30:00", "下午",
    ] {
        assert_eq!(parse_time(s), Err(DateError::NotATime(s.into())), "{s:?}");
    }
    for s in [
        "25:00",
        "24:00",
        "14:60",
        "2460",
        "上午14点",
        "晚上12点",
        "0am",
        "凌晨8点",
    ] {
        assert_eq!(parse_time(s), Err(DateError::NoSuchTime(s.into())), "{s:?}");
    }
    let e = parse_time("7.30").unwrap_err();
    assert!(
        e.localized(Lang::En)
            .starts_with("'7.30' is not a time of day")
    );
    assert!(e.localized(Lang::ZhCn).starts_with("“7.30”不是时间"));
    let e = parse_time("25:00").unwrap_err();
    assert_eq!(
        e.localized(Lang::En),
        "'25:00': a time of day runs from 0:00 to 23:59"
    );
    assert_eq!(e.localized(Lang::ZhCn), "“25:00”：时间在0:00到23:59之间");
    assert_eq!(
        DateError::NoTime.localized(Lang::ZhCn),
        "没有填时间（例如 14:30）"
    );
}

proptest! {
    #[test]
    fn written_times_read_back(h in 0u32..24, m in 0u32..60) {
        let t = hm(h, m);
        for s in [t.format("%H:%M").to_string(), t.format("%-H:%M").to_string(), t.format("%H%M").to_string(), format!("{h}点{m}分")] {
            prop_assert_eq!(parse_time(&s), Ok(t), "{}", s);
        }
        let (h12, pm) = match h { 0 => (12, false), 1..=11 => (h, false), 12 => (12, true), _ => (h - 12, true) };
        let s = format!("{h12}:{m:02}{}", if pm { "pm" } else { "am" });
        prop_assert_eq!(parse_time(&s), Ok(t), "{}", s);
    }

    #[test]
    fn any_text_is_answered(s in "\\PC{0,12}") {
        let _ = parse_time(&s);
    }
}

#[test]
fn a_day_and_a_time() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let yesterday = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    for (s, day, t) in [
        ("23:50", today, hm(23, 50)),
        ("昨天 23:50", yesterday, hm(23, 50)),
        ("昨天23:50", yesterday, hm(23, 50)),
        ("昨天 晚上11点50", yesterday, hm(23, 50)),
        ("yesterday 11:50pm", yesterday, hm(23, 50)),
        ("12-06 23:50", yesterday, hm(23, 50)),
        ("2026-12-06 23:50", yesterday, hm(23, 50)),
        ("今天 1:05", today, hm(1, 5)),
    ] {
        assert_eq!(parse_day_time(s, today), Ok((day, t)), "{s}");
    }
    for bad in ["", "昨天", "昨天 25:00", "someday 23:50", "12-32 23:50"] {
        assert!(parse_day_time(bad, today).is_err(), "{bad}");
    }
}
