//! The words of sync and of the conflicts list, in both languages, shared
//! by the command line and the console.

use super::{entity, field};
use crate::i18n::Lang;
use crate::store::ConflictKind;
use crate::store::Hlc;
use crate::store::{Issue, Listed, Shown};

/// A value as people read it.
pub fn shown(v: &Shown, lang: Lang) -> String {
    match v {
        Shown::Empty => lang.pick("（空）", "(empty)").to_owned(),
        Shown::Yes => lang.pick("是", "yes").to_owned(),
        Shown::No => lang.pick("否", "no").to_owned(),
        Shown::Text(t) => t.clone(),
        Shown::Hidden => lang
            .pick("（仅咨询师可见）", "(for counsellors only)")
            .to_owned(),
        Shown::Fields(fs) => fs
            .iter()
            .map(|(f, v)| format!("{}={}", field(f, lang), shown(v, lang)))
            .collect::<Vec<_>>()
            .join(lang.pick("，", ", ")),
    }
}

/// A station name, or words for one not known here.
pub fn station(name: &Option<String>, lang: Lang) -> String {
    name.clone()
        .unwrap_or_else(|| lang.pick("另一台设备", "another device").to_owned())
}

/// One line that names the entry: kind of record and which.
pub fn title(l: &Listed, lang: Lang) -> String {
    match &l.issue {
        Issue::Record {
            conflict, record, ..
        } => match conflict.kind {
            ConflictKind::Field => format!(
                "{} {} · {}",
                entity(conflict.entity, lang),
                record,
                field(&conflict.field, lang)
            ),
            ConflictKind::DeletedWhileEdited => format!(
                "{} {} · {}",
                entity(conflict.entity, lang),
                record,
                lang.pick(
                    "已删除，但另一处同时修改了",
                    "removed while edited elsewhere"
                )
            ),
        },
        Issue::DoubleBooking {
            counsellor, date, ..
        } => format!(
            "{} {counsellor} {date} · {}",
            lang.pick("咨询师", "counsellor"),
            lang.pick("同一时段约了两次", "booked twice for one time")
        ),
        Issue::SameCaseNumber { number, cases } => format!(
            "{} {number} · {}",
            lang.pick("案件号", "case number"),
            match lang {
                Lang::ZhCn => format!("{} 个案件用了同一个号", cases.len()),
                Lang::En => format!("given to {} cases", cases.len()),
            }
        ),
    }
}

/// The lines under the title: what stands, what lost, what a choice does.
/// Times are shown in `tz`, the station's zone.
pub fn details(l: &Listed, lang: Lang, tz: chrono_tz::Tz) -> Vec<String> {
    match &l.issue {
        Issue::Record {
            conflict,
            winner_station,
            loser_station,
            winner_shown,
            loser_shown,
            ..
        } => {
            let side = |label: &str, value: Option<&Shown>, st: &Option<String>, h: Hlc| {
                let value = value.map(|v| format!("  {}", shown(v, lang)));
                format!(
                    "{label}{}  ({} {})",
                    value.unwrap_or_default(),
                    station(st, lang),
                    h.to_datetime().with_timezone(&tz).format("%Y-%m-%d %H:%M")
                )
            };
            let (w, l) = (conflict.winner.hlc, conflict.loser.hlc);
            match conflict.kind {
                ConflictKind::Field => vec![
                    side(lang.pick("现为：", "now:  "), Some(winner_shown), winner_station, w),
                    side(lang.pick("另一值：", "other:"), Some(loser_shown), loser_station, l),
                ],
                ConflictKind::DeletedWhileEdited => vec![
                    side(lang.pick("删除：", "removed:"), None, winner_station, w),
                    side(lang.pick("同时修改：", "edited: "), Some(loser_shown), loser_station, l),
                ],
            }
        }
        Issue::DoubleBooking { sessions, .. } => sessions
            .iter()
            .map(|(_, time, who)| format!("{time}  {who}"))
            .chain(std::iter::once(
                lang.pick(
                    "在排班（F3）里取消或改约其中一个",
                    "cancel or move one of them in the schedule (F3)",
                )
                .to_owned(),
            ))
            .collect(),
        Issue::SameCaseNumber { .. } => vec![
            lang.pick(
                "最早立案的保留这个号；选“采用另一值”给其他案件换下一个空号",
                "the first opened keeps the number; choosing the other value gives the others the next free numbers",
            )
            .to_owned(),
        ],
    }
}

/// What choosing the other value does, for this entry.
pub fn other_action(l: &Listed, lang: Lang) -> Option<&'static str> {
    match &l.issue {
        Issue::Record { conflict, .. } => Some(match conflict.kind {
            ConflictKind::Field => lang.pick("采用另一值", "take the other value"),
            ConflictKind::DeletedWhileEdited => lang.pick("恢复记录", "restore the record"),
        }),
        Issue::SameCaseNumber { .. } => Some(lang.pick("给其他案件换号", "renumber the others")),
        Issue::DoubleBooking { .. } => None,
    }
}

/// What keeping does, for this entry.
pub fn keep_action(l: &Listed, lang: Lang) -> Option<&'static str> {
    match &l.issue {
        Issue::Record { conflict, .. } => Some(match conflict.kind {
            ConflictKind::Field => lang.pick("保留现值", "keep the current value"),
            ConflictKind::DeletedWhileEdited => lang.pick("保持删除", "keep it removed"),
        }),
        _ => None,
    }
}
