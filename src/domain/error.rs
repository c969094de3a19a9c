//! Typed validation errors, worded for station staff in both languages.

use chrono::NaiveDate;

use crate::i18n::{Lang, Localized};

/// Which field a text rule applies to, so the message can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    StationName,
    Employer,
    Respondent,
    Note,
    Reason,
    CounsellorName,
    StaffName,
    /// The name of an outside body a case is referred to.
    Agency,
    /// A body's reference number for a case.
    Reference,
    Address,
    Contact,
    Platform,
}

impl Localized for Field {
    fn localized(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Field::Name => ("姓名", "Name"),
            Field::StationName => ("站点名称", "Station name"),
            Field::Employer => ("单位/平台", "Employer or platform"),
            Field::Respondent => ("被申请方（用人单位）", "Respondent (employer)"),
            Field::Note => ("备注", "Note"),
            Field::Reason => ("原因", "Reason"),
            Field::CounsellorName => ("咨询师姓名", "Counsellor name"),
            Field::StaffName => ("工作人员姓名", "Staff name"),
            Field::Agency => ("接收机构", "Receiving body"),
            Field::Reference => ("受理号/案号", "Reference number"),
            Field::Address => ("地址", "Address"),
            Field::Contact => ("联系人/电话", "Contact"),
            Field::Platform => ("平台/工地", "Platform or site"),
        };
        lang.pick(zh, en).to_owned()
    }
}

/// A value typed by a user (or read from a file) that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    // --- free text ------------------------------------------------------
    #[error("{} is empty", field.localized(Lang::En))]
    TextEmpty { field: Field },
    #[error("{} is longer than {max} characters ({len})", field.localized(Lang::En))]
    TextTooLong {
        field: Field,
        max: usize,
        len: usize,
    },
    #[error("{} contains a control character", field.localized(Lang::En))]
    TextControlChar { field: Field },
    #[error("{name} cannot handle cases: a case's handler is a staff member, counsellor or admin")]
    NotAHandler { name: String },
    #[error("a name has no digits ('{ch}'): a phone number goes in the mobile field")]
    NameDigit { ch: char },

    // --- mobile -----------------------------------------------------------
    #[error("mobile number is empty")]
    MobileEmpty,
    #[error("mobile number contains '{ch}'; only digits, spaces, dashes and +86 are allowed")]
    MobileBadChar { ch: char },
    #[error("mobile number has {digits} digits; it needs 11")]
    MobileLength { digits: usize },
    #[error("a mobile number starts with 13–19")]
    MobilePrefix,

    // --- unified social credit code (GB 32100) ----------------------------
    #[error("this unified social credit code is already {name}'s")]
    CreditCodeTaken { name: String },
    #[error("{name} is in the register already")]
    RespondentExists { name: String },
    #[error("a respondent cannot be merged into itself")]
    RespondentMergeSelf,
    #[error("a unified social credit code has 18 characters, this one {len}")]
    CreditCodeLength { len: usize },
    #[error(
        "a unified social credit code has no '{ch}' (digits and capitals but I, O, S, V and Z)"
    )]
    CreditCodeBadChar { ch: char },
    #[error("characters 3–8 of a unified social credit code are the region's 6 digits")]
    CreditCodeRegion,
    #[error(
        "the last character of this unified social credit code should be '{expected}': one character is mistyped"
    )]
    CreditCodeCheck { expected: char },

    // --- resident ID (GB 11643) -----------------------------------------
    #[error("ID number has {len} characters; it needs 18")]
    ResidentIdLength { len: usize },
    #[error("ID number may hold only digits and a final X")]
    ResidentIdBadChar,
    #[error("ID number does not start with a valid region code")]
    ResidentIdRegion,
    #[error("ID number holds no valid date of birth")]
    ResidentIdBirthDate,
    #[error("ID number check digit is wrong (a typo?)")]
    ResidentIdCheckDigit,

    // --- PIN -----------------------------------------------------------------
    #[error("the PIN is empty")]
    PinEmpty,
    #[error("a PIN holds only digits")]
    PinNotDigits,
    #[error("a PIN has 4 to 8 digits ({len} typed)")]
    PinLength { len: usize },
    #[error("the two PINs typed differ")]
    PinMismatch,

    // --- money --------------------------------------------------------------
    #[error("amount is empty")]
    MoneyEmpty,
    #[error("amount is not a number (e.g. 16974, 1.2万, 三千五)")]
    MoneyNotNumber,
    #[error("amount cannot be negative")]
    MoneyNegative,
    #[error("amount has more than 2 decimal places (the smallest unit is 1 fen)")]
    MoneyTooPrecise,
    #[error("amount is over {max_yuan} yuan; please check it")]
    MoneyTooLarge { max_yuan: u64 },
    #[error("amount has thousands separators in the wrong places")]
    MoneyBadGrouping,
    #[error("amount: “{ch}” is out of place (e.g. 3千5百, 三块五毛)")]
    MoneyMisplaced { ch: char },
    #[error("ambiguous amount after “{unit}”: write e.g. {}", ambiguity_example(*.unit, Lang::En))]
    MoneyAmbiguous { unit: char },

    // --- station --------------------------------------------------------
    #[error("station code must be 2–6 capital letters or digits, starting with a letter (e.g. FT)")]
    StationCode,
    #[error("unknown time zone '{0}' (e.g. Asia/Shanghai)")]
    TimeZone(String),

    // --- dates and times ------------------------------------------------------
    #[error("leaving time is before arrival")]
    LeftBeforeArrived,
    #[error("headcount must be between 1 and {max}")]
    Headcount { max: u32 },
    #[error("only an anonymous headcount can be undone, not a named visit")]
    NotATally,

    // --- cases ------------------------------------------------------------------
    #[error("'{0}' is not a case number (e.g. FT-2026-0042)")]
    CaseNumber(String),
    #[error(
        "a case cannot go from “{}” to “{}”",
        crate::domain::case::CaseStatus::en_of(from),
        crate::domain::case::CaseStatus::en_of(to)
    )]
    StatusTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("a case needs at least one claimant")]
    NoClaimant,
    #[error(
        "this case keeps its amounts per claimant (their sum is {sum} yuan): change each claimant's amount"
    )]
    AmountsPerClaimant { sum: String },
    #[error("{name} is a claimant twice")]
    ClaimantTwice { name: String },
    #[error("the follow-up date {date} is before today ({today})")]
    FollowUpPast { date: NaiveDate, today: NaiveDate },

    // --- referrals and escalations ---------------------------------------------
    #[error(
        "a referral cannot go from “{}” to “{}”",
        crate::domain::handoff::HandoffStatus::en_of(from),
        crate::domain::handoff::HandoffStatus::en_of(to)
    )]
    HandoffStep {
        from: &'static str,
        to: &'static str,
    },
    #[error(
        "“{}” is for {}",
        crate::domain::handoff::HandoffStatus::en_of(to),
        if *receiver { "the station it was handed to" } else { "the station that sent it" }
    )]
    HandoffNotYours { to: &'static str, receiver: bool },
    #[error("this station neither holds this case nor was it handed to it")]
    HandoffNotHeld,
    #[error("choose where the case goes: an outside body's kind, or a station")]
    HandoffNoTarget,
    #[error("a case is handed to another station, not to this one")]
    HandoffToSelf,
    #[error("say why it was rejected")]
    HandoffNoReason,
    #[error("{date} is after today ({today}): the day the worker knew cannot be ahead")]
    InfringedFuture { date: NaiveDate, today: NaiveDate },
    #[error("the due date {due} is before the day it was sent ({sent_on})")]
    DueBeforeSent { due: NaiveDate, sent_on: NaiveDate },

    // --- schedule -------------------------------------------------------------
    #[error("end time must be after start time")]
    EndBeforeStart,
    #[error("slot length must be between 10 and 240 minutes and fit the period")]
    SlotLength,
    #[error("week of the month must be 1–5 or last")]
    WeekOfMonth,
    #[error("this time is outside the counsellor's availability")]
    OutsideAvailability,
    #[error("this slot is already booked")]
    SlotTaken,
    #[error(
        "an appointment cannot go from “{}” to “{}”",
        crate::domain::schedule::AppointmentStatus::en_of(from),
        crate::domain::schedule::AppointmentStatus::en_of(to)
    )]
    AppointmentTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error(
        "a waitlist entry cannot go from “{}” to “{}”",
        crate::domain::schedule::WaitlistStatus::en_of(from),
        crate::domain::schedule::WaitlistStatus::en_of(to)
    )]
    WaitlistTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("this counsellor does not give that kind of help")]
    CounsellorKind,
    #[error(
        "this session has not started yet: arrived, done and no-show can be marked from its start"
    )]
    SessionNotStarted,
    #[error("the person has an overlapping session: {counsellor} {start}–{end}")]
    PersonDoubleBooked {
        counsellor: String,
        start: String,
        end: String,
    },
    #[error("the follow-up date is before the session ({session})")]
    FollowUpBeforeSession { session: String },
    #[error("the follow-up date {date} is before the case was opened ({opened})")]
    FollowUpBeforeOpening { date: NaiveDate, opened: NaiveDate },
    #[error("overlaps hours this counsellor already has: {} {start}–{end}", weekday_name(*.weekday, Lang::En))]
    RuleOverlaps {
        weekday: chrono::Weekday,
        start: String,
        end: String,
    },
}

/// How to write out an amount that is ambiguous after `unit`: the forms
/// with every place named.
fn ambiguity_example(unit: char, lang: Lang) -> String {
    let (a, b) = match unit {
        '万' | '萬' => ("1万2千", "1万零2"),
        '千' | '仟' => ("3千5百", "3千零5"),
        '百' | '佰' => ("1百5十", "1百零5"),
        '亿' | '億' => ("1亿", "100000000"),
        '角' | '毛' => ("5角5分", "0.55"),
        // 元, 块, 圆 and anything else.
        _ => ("3元5角", "3元零5分"),
    };
    format!("{a}{}{b}", lang.pick("或", " or "))
}

/// "周二" / "Tue".
fn weekday_name(d: chrono::Weekday, lang: Lang) -> &'static str {
    const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = d.num_days_from_monday() as usize;
    match lang {
        Lang::En => EN.get(i).copied().unwrap_or(""),
        _ => ZH.get(i).copied().unwrap_or(""),
    }
}

impl Localized for ValidationError {
    fn localized(&self, lang: Lang) -> String {
        use ValidationError as E;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            E::TextEmpty { field } => format!("{}不能为空", field.localized(lang)),
            E::TextTooLong { field, max, len } => {
                format!("{}最多{max}个字（现在{len}个）", field.localized(lang))
            }
            E::TextControlChar { field } => {
                format!("{}含有不可见的控制字符", field.localized(lang))
            }
            E::NotAHandler { name } => {
                format!("{name} 不能做案件经办人：经办人须为工作人员、咨询师或管理员")
            }
            E::NameDigit { ch } => format!("姓名里不能有数字（“{ch}”）；手机号请填在手机栏"),
            E::MobileEmpty => "手机号为空".into(),
            E::MobileBadChar { ch } => {
                format!("手机号中有“{ch}”；只能填数字、空格、短横线和+86")
            }
            E::MobileLength { digits } => format!("手机号是{digits}位，应为11位"),
            E::MobilePrefix => "手机号应以13–19开头".into(),
            E::CreditCodeTaken { name } => format!("这个统一社会信用代码已登记为“{name}”"),
            E::RespondentExists { name } => format!("“{name}”已在被申请单位登记册中"),
            E::RespondentMergeSelf => "不能把被申请单位并入它自己".into(),
            E::CreditCodeLength { len } => format!("统一社会信用代码是{len}位，应为18位"),
            E::CreditCodeBadChar { ch } => {
                format!("统一社会信用代码里不会有“{ch}”（数字和大写字母，不含 I、O、S、V、Z）")
            }
            E::CreditCodeRegion => "统一社会信用代码第3–8位应是6位数字的地区码".into(),
            E::CreditCodeCheck { expected } => {
                format!("统一社会信用代码最后一位应为“{expected}”：有一位输错了")
            }
            E::ResidentIdLength { len } => format!("身份证号是{len}位，应为18位"),
            E::ResidentIdBadChar => "身份证号只能是数字，最后一位可以是X".into(),
            E::ResidentIdRegion => "身份证号开头的地区码不对".into(),
            E::ResidentIdBirthDate => "身份证号中的出生日期不对".into(),
            E::ResidentIdCheckDigit => "身份证号校验位不对（可能输错了一位）".into(),
            E::PinEmpty => "PIN 码为空".into(),
            E::PinNotDigits => "PIN 码只能是数字".into(),
            E::PinLength { len } => format!("PIN 码为 4 到 8 位数字（现在 {len} 位）"),
            E::PinMismatch => "两次输入的 PIN 码不一致".into(),
            E::MoneyEmpty => "金额为空".into(),
            E::MoneyNotNumber => "金额不是数字（例如 16974、1.2万、三千五）".into(),
            E::MoneyNegative => "金额不能为负数".into(),
            E::MoneyTooPrecise => "金额最多两位小数（最小单位是分）".into(),
            E::MoneyTooLarge { max_yuan } => format!("金额超过{max_yuan}元，请核对"),
            E::MoneyBadGrouping => "金额的千位分隔符位置不对".into(),
            E::MoneyMisplaced { ch } => {
                format!("金额中的“{ch}”位置不对（如 3千5百、三块五毛）")
            }
            E::MoneyAmbiguous { unit } => format!(
                "金额在“{unit}”后面有歧义，请写完整，如 {}",
                ambiguity_example(*unit, lang)
            ),
            E::StationCode => "站点代码应为2–6位大写字母或数字，以字母开头（如 FT）".into(),
            E::TimeZone(tz) => format!("未知时区“{tz}”（例如 Asia/Shanghai）"),
            E::LeftBeforeArrived => "离开时间早于到达时间".into(),
            E::Headcount { max } => format!("人数应在1到{max}之间"),
            E::NotATally => "只能撤销匿名人数登记，不能撤销实名来访".into(),
            E::CaseNumber(s) => format!("“{s}”不是案件编号（例如 FT-2026-0042）"),
            E::StatusTransition { from, to } => format!(
                "案件不能从“{}”改为“{}”",
                crate::domain::case::CaseStatus::zh_of(from),
                crate::domain::case::CaseStatus::zh_of(to)
            ),
            E::NoClaimant => "案件至少要有一名申请人".into(),
            E::AmountsPerClaimant { sum } => {
                format!("此案件的金额按申请人分别记录（合计 {sum} 元）：请逐人修改")
            }
            E::ClaimantTwice { name } => format!("{name} 重复列为申请人"),
            E::FollowUpPast { date, today } => {
                format!("回访日期 {date} 早于今天（{today}），应为今天或以后")
            }
            E::HandoffStep { from, to } => format!(
                "转介/上报不能从“{}”改为“{}”",
                crate::domain::handoff::HandoffStatus::zh_of(from),
                crate::domain::handoff::HandoffStatus::zh_of(to)
            ),
            E::HandoffNotYours { to, receiver } => format!(
                "“{}”应由{}办理",
                crate::domain::handoff::HandoffStatus::zh_of(to),
                if *receiver { "接收方" } else { "发出方" }
            ),
            E::HandoffNotHeld => "本站既不是此案件的受理站，也未收到它的转交".into(),
            E::HandoffNoTarget => "请选择去向：外部机构的类别，或接收的站点".into(),
            E::HandoffToSelf => "不能转交给本站自己".into(),
            E::HandoffNoReason => "请写明不予受理的原因".into(),
            E::InfringedFuture { date, today } => {
                format!("{date} 晚于今天（{today}）：知道权利受侵害之日不能在将来")
            }
            E::DueBeforeSent { due, sent_on } => {
                format!("答复期限 {due} 早于发出日期（{sent_on}）")
            }
            E::EndBeforeStart => "结束时间应晚于开始时间".into(),
            E::SlotLength => "每个时段应为10到240分钟，且不超出排班时间".into(),
            E::WeekOfMonth => "每月第几周应为1–5或“最后一周”".into(),
            E::OutsideAvailability => "这个时间不在咨询师的排班内".into(),
            E::SlotTaken => "这个时段已经有预约了".into(),
            E::AppointmentTransition { from, to } => format!(
                "预约不能从“{}”改为“{}”",
                crate::domain::schedule::AppointmentStatus::zh_of(from),
                crate::domain::schedule::AppointmentStatus::zh_of(to)
            ),
            E::WaitlistTransition { from, to } => format!(
                "候补不能从“{}”改为“{}”",
                crate::domain::schedule::WaitlistStatus::zh_of(from),
                crate::domain::schedule::WaitlistStatus::zh_of(to)
            ),
            E::CounsellorKind => "这位咨询师不提供这类咨询".into(),
            E::SessionNotStarted => "这次咨询还没开始：开始后才能标记已到达、已完成或未到".into(),
            E::PersonDoubleBooked {
                counsellor,
                start,
                end,
            } => format!("此人当天 {start}–{end} 已约了{counsellor}，时间重叠"),
            E::FollowUpBeforeSession { session } => {
                format!("复访日期早于这次咨询（{session}）")
            }
            E::FollowUpBeforeOpening { date, opened } => {
                format!("回访日期 {date} 早于立案日期（{opened}）")
            }
            E::RuleOverlaps {
                weekday,
                start,
                end,
            } => format!(
                "与这位咨询师已有的排班重叠：{} {start}–{end}",
                weekday_name(*weekday, lang)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::CaseStatus;
    use crate::domain::schedule::{AppointmentStatus, WaitlistStatus};

    /// Messages name states by their labels in each language, never by
    /// their storage codes.
    #[test]
    fn transition_errors_use_labels_not_codes() {
        let mut errors = Vec::new();
        for a in CaseStatus::ALL {
            for b in CaseStatus::ALL {
                errors.push((
                    ValidationError::StatusTransition {
                        from: a.code(),
                        to: b.code(),
                    },
                    [a.label(Lang::En), b.label(Lang::En)],
                    a.code(),
                ));
            }
        }
        for a in AppointmentStatus::ALL {
            for b in AppointmentStatus::ALL {
                errors.push((
                    ValidationError::AppointmentTransition {
                        from: a.code(),
                        to: b.code(),
                    },
                    [a.label(Lang::En), b.label(Lang::En)],
                    a.code(),
                ));
            }
        }
        use crate::domain::handoff::HandoffStatus;
        for a in HandoffStatus::ALL {
            for b in HandoffStatus::ALL {
                errors.push((
                    ValidationError::HandoffStep {
                        from: a.code(),
                        to: b.code(),
                    },
                    [a.label(Lang::En), b.label(Lang::En)],
                    a.code(),
                ));
            }
        }
        for a in WaitlistStatus::ALL {
            errors.push((
                ValidationError::WaitlistTransition {
                    from: a.code(),
                    to: a.code(),
                },
                [a.label(Lang::En), a.label(Lang::En)],
                a.code(),
            ));
        }
        for (e, labels, code) in errors {
            let en = e.localized(Lang::En);
            for l in labels {
                assert!(en.contains(&format!("“{l}”")), "{en}");
            }
            if !labels.contains(&code) {
                assert!(!en.contains(&format!("“{code}”")), "{en}");
            }
            assert!(!e.localized(Lang::ZhCn).contains('?'), "{e:?}");
        }
    }
}
