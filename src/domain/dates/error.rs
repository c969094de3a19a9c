//! Why typed text is not a date, a period or a time of day, in both
//! languages.

use chrono::NaiveDate;

use crate::i18n::{Lang, Localized};

/// Why typed text is not a date, a period or a time of day; the message
/// quotes what was typed (or the side of a range that is wrong).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing typed where a date was wanted.
    #[error("no date was typed (e.g. 2026-12-15, 12/15, tomorrow)")]
    NoDate,
    /// Nothing typed where a period was wanted.
    #[error("no period was typed (e.g. this month, 2026-11, 2026-11-01..2026-11-30)")]
    NoPeriod,
    /// Not in any form of date.
    #[error(
        "'{0}' is not a date (e.g. 2026-12-15, 12/15, 12月15日, tomorrow, next monday, friday)"
    )]
    NotADate(String),
    /// A period (a week, a month …) where one day is wanted.
    #[error("'{0}' is not a date but a period: type one day (e.g. next monday, 12/15)")]
    NotOneDay(String),
    /// Not in any form of period.
    #[error(
        "'{0}' is not a period (e.g. this month, last month, this quarter, 2026-11, 2026, 2026-11-01..2026-11-30)"
    )]
    NotAPeriod(String),
    /// A month outside 1–12.
    #[error("'{text}' is not a date: there is no month {month} (months run from 1 to 12)")]
    NoSuchMonth { text: String, month: u32 },
    /// A day the month does not have; `last` is the month's last day.
    #[error("'{text}': {}", no_such_day_en(*.year, *.month, *.day, *.last))]
    NoSuchDay {
        text: String,
        year: i32,
        month: u32,
        day: u32,
        last: u32,
    },
    /// A typed year outside 2000–2100.
    #[error("'{text}': the year {year} is not between 2000 and 2100")]
    YearOutOfRange { text: String, year: i32 },
    /// A range with nothing on one side of its separator.
    #[error("'{0}' needs a date on both sides (e.g. 2026-11-01..2026-11-30)")]
    HalfRange(String),
    /// A period that would end before it starts.
    #[error("the period ends ({to}) before it starts ({from})")]
    EndBeforeStart { from: NaiveDate, to: NaiveDate },
    /// Nothing typed where a time of day was wanted.
    #[error("no time was typed (e.g. 14:30)")]
    NoTime,
    /// Not in any form of time of day.
    #[error("'{0}' is not a time of day (e.g. 14:30, 1430, 9:05, 2pm, 下午2点)")]
    NotATime(String),
    /// An hour or minute the clock does not have (`25:00`, `下午14点`).
    #[error("'{0}': a time of day runs from 0:00 to 23:59")]
    NoSuchTime(String),
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn no_such_day_en(year: i32, month: u32, day: u32, last: u32) -> String {
    if day == 0 {
        return "there is no day 0".into();
    }
    let name = month
        .checked_sub(1)
        .and_then(|i| MONTHS_EN.get(i as usize))
        .copied()
        .unwrap_or("this month");
    format!("{name} {year} has only {last} days")
}

impl Localized for DateError {
    fn localized(&self, lang: Lang) -> String {
        use DateError as E;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            E::NoDate => "没有填日期（例如 2026-12-15、12/15、明天）".into(),
            E::NoPeriod => "没有填时间段（例如 本月、2026-11、2026-11-01至2026-11-30）".into(),
            E::NotADate(s) => {
                format!("“{s}”不是日期（例如 2026-12-15、12/15、12月15日、明天、下周一、周五）")
            }
            E::NotOneDay(s) => {
                format!("“{s}”是一段时间，不是日期：请填某一天（例如 下周一、12月15日）")
            }
            E::NotAPeriod(s) => format!(
                "“{s}”不是时间段（例如 本月、上月、本季度、2026-11、2026、2026-11-01至2026-11-30）"
            ),
            E::NoSuchMonth { text, month } => {
                format!("“{text}”：没有{month}月（月份是1到12）")
            }
            E::NoSuchDay {
                text,
                year,
                month,
                day,
                last,
            } => {
                if *day == 0 {
                    format!("“{text}”：没有0日")
                } else {
                    format!("“{text}”：{year}年{month}月只有{last}天")
                }
            }
            E::YearOutOfRange { text, year } => {
                format!("“{text}”：年份{year}不在2000到2100之间")
            }
            E::HalfRange(s) => format!("“{s}”两边都要有日期（例如 2026-11-01至2026-11-30）"),
            E::EndBeforeStart { from, to } => {
                format!("结束日期（{to}）早于开始日期（{from}）")
            }
            E::NoTime => "没有填时间（例如 14:30）".into(),
            E::NotATime(s) => {
                format!("“{s}”不是时间（例如 14:30、1430、9:05、下午2点）")
            }
            E::NoSuchTime(s) => format!("“{s}”：时间在0:00到23:59之间"),
        }
    }
}
