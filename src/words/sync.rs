//! The words of sync and of the conflicts list, in both languages, shared
//! by the command line and the console (`[sync.value]` and `[sync.issue]`
//! in locales/sync.toml).

use super::{entity, field};
use crate::i18n::Lang;
use crate::store::ConflictKind;
use crate::store::Hlc;
use crate::store::{Issue, Listed, Shown, SplitListed, SplitNoted};
use crate::t;

/// A value as people read it.
pub fn shown(v: &Shown, lang: Lang) -> String {
    match v {
        Shown::Empty => t!(lang, "sync.value.empty").to_owned(),
        Shown::Yes => t!(lang, "sync.value.yes").to_owned(),
        Shown::No => t!(lang, "sync.value.no").to_owned(),
        Shown::Text(t) => t.clone(),
        Shown::Hidden => t!(lang, "sync.value.hidden").to_owned(),
        Shown::Fields(fs) => fs
            .iter()
            .map(|(f, v)| format!("{}={}", field(f, lang), shown(v, lang)))
            .collect::<Vec<_>>()
            .join(t!(lang, "sync.value.fields_sep")),
    }
}

/// A station name, or words for one not known here.
pub fn station(name: &Option<String>, lang: Lang) -> String {
    name.clone()
        .unwrap_or_else(|| t!(lang, "sync.value.another_device").to_owned())
}

/// What a sync says of an origin it found split (two copies of one
/// database writing under one replica id).
pub fn split(s: &SplitNoted, lang: Lang) -> String {
    if s.own {
        t!(lang, "sync.split_own").to_owned()
    } else {
        t!(
            lang,
            "sync.split",
            station = station(&s.station, lang),
            from = s.from,
            n = s.carried
        )
    }
}

/// A split found lately, as staff are told of it: when, whose, from where.
pub fn split_listed(s: &SplitListed, lang: Lang, tz: chrono_tz::Tz) -> String {
    t!(
        lang,
        "sync.split_listed",
        date = s.noted.with_timezone(&tz).format("%Y-%m-%d"),
        station = station(&s.station, lang),
        from = s.from
    )
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
                t!(lang, "sync.issue.removed_while_edited")
            ),
        },
        Issue::DoubleBooking {
            counsellor, date, ..
        } => format!(
            "{} {counsellor} {date} · {}",
            t!(lang, "sync.issue.counsellor"),
            t!(lang, "sync.issue.booked_twice")
        ),
        Issue::SameCaseNumber { number, cases } => format!(
            "{} {number} · {}",
            t!(lang, "sync.issue.case_number"),
            t!(lang, "sync.issue.same_number", n = cases.len())
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
                    side(
                        t!(lang, "sync.issue.now"),
                        Some(winner_shown),
                        winner_station,
                        w,
                    ),
                    side(
                        t!(lang, "sync.issue.other"),
                        Some(loser_shown),
                        loser_station,
                        l,
                    ),
                ],
                ConflictKind::DeletedWhileEdited => vec![
                    side(t!(lang, "sync.issue.removed"), None, winner_station, w),
                    side(
                        t!(lang, "sync.issue.edited"),
                        Some(loser_shown),
                        loser_station,
                        l,
                    ),
                ],
            }
        }
        Issue::DoubleBooking { sessions, .. } => sessions
            .iter()
            .map(|(_, time, who)| format!("{time}  {who}"))
            .chain(std::iter::once(
                t!(lang, "sync.issue.double_booking_how").to_owned(),
            ))
            .collect(),
        Issue::SameCaseNumber { .. } => vec![t!(lang, "sync.issue.same_number_how").to_owned()],
    }
}

/// What choosing the other value does, for this entry.
pub fn other_action(l: &Listed, lang: Lang) -> Option<&'static str> {
    match &l.issue {
        Issue::Record { conflict, .. } => Some(match conflict.kind {
            ConflictKind::Field => t!(lang, "sync.issue.take_other"),
            ConflictKind::DeletedWhileEdited => t!(lang, "sync.issue.restore"),
        }),
        Issue::SameCaseNumber { .. } => Some(t!(lang, "sync.issue.renumber")),
        Issue::DoubleBooking { .. } => None,
    }
}

/// What keeping does, for this entry.
pub fn keep_action(l: &Listed, lang: Lang) -> Option<&'static str> {
    match &l.issue {
        Issue::Record { conflict, .. } => Some(match conflict.kind {
            ConflictKind::Field => t!(lang, "sync.issue.keep_current"),
            ConflictKind::DeletedWhileEdited => t!(lang, "sync.issue.keep_removed"),
        }),
        _ => None,
    }
}
