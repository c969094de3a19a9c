//! The audit log in words: who did what to which record, in a few words
//! that hold no personal data. Shared by F6 and `waystation audit`.

use chrono_tz::Tz;
use serde_json::Value;

use crate::domain::staff::Role;
use crate::i18n::Lang;
use crate::store::{AuditAction, AuditLine, CHANGE_ACTION, Subject};
use crate::t;

/// The codes `--action` takes.
pub fn action_codes() -> Vec<&'static str> {
    AuditAction::ALL
        .iter()
        .map(|a| a.code())
        .chain([CHANGE_ACTION])
        .collect()
}

/// One line of the audit log in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    /// In the station's zone, to the second.
    pub at: String,
    pub station: String,
    pub who: String,
    pub action: String,
    /// The stored action code, or `create` / `update` for a change.
    pub code: String,
    pub subject: String,
    /// The subject as stored (`person:<id>`, `people`), or the changed
    /// record as `kind:<id>`.
    pub subject_id: String,
    pub detail: String,
}

/// A line of the audit log in words, in `lang`, times in `tz`.
pub fn describe(line: &AuditLine, lang: Lang, tz: Tz) -> Described {
    let at = line
        .at()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let station = line.station_code().unwrap_or("-").to_owned();
    let who = match (line.actor_name(), line.actor()) {
        (Some(n), _) => n.to_owned(),
        (None, Some(id)) => t!(lang, "admin.unknown_staff", id = short(&id.0)),
        (None, None) => t!(lang, "admin.nobody").to_owned(),
    };
    let subject = subject_words(line.subject(), lang);
    match line {
        AuditLine::Entry { entry, .. } => Described {
            at,
            station,
            who,
            action: entry
                .action_kind()
                .map_or_else(|| entry.action.clone(), |a| a.label(lang).to_owned()),
            code: entry.action.clone(),
            subject,
            subject_id: entry.subject.clone(),
            detail: entry_detail(entry.action_kind(), &entry.detail, lang),
        },
        AuditLine::Change { change, .. } => {
            let kind = super::entity(change.entity, lang);
            let (action, code) = if change.created {
                (t!(lang, "admin.created", kind = kind), "create")
            } else {
                (t!(lang, "admin.changed", kind = kind), "update")
            };
            // A creation sets every field it has: which ones is in the
            // line's details, not worth a column.
            let fields: Vec<&str> = if change.created {
                Vec::new()
            } else {
                change
                    .fields
                    .iter()
                    .map(|f| super::field(f, lang))
                    .collect()
            };
            Described {
                at,
                station,
                who,
                action,
                code: code.to_owned(),
                subject,
                subject_id: format!("{}:{}", change.entity.name(), change.record),
                detail: fields.join(t!(lang, "admin.fields_sep")),
            }
        }
    }
}

/// The first eight hex digits of an id.
fn short(id: &uuid::Uuid) -> String {
    id.simple().to_string().chars().take(8).collect()
}

/// What a line is about, in words that hold no personal data.
pub fn subject_words(s: &Subject, lang: Lang) -> String {
    match s {
        Subject::Person(masked) => masked.clone(),
        Subject::Erased => t!(lang, "admin.erased_person").to_owned(),
        Subject::Case(n) | Subject::Staff(n) | Subject::Counsellor(n) | Subject::Station(n) => {
            n.clone()
        }
        Subject::Missing(e, id) => t!(
            lang,
            "admin.missing",
            kind = super::entity(*e, lang),
            id = id
        ),
        Subject::Record(e, id) => t!(
            lang,
            "admin.record",
            kind = super::entity(*e, lang),
            id = id
        ),
        Subject::Text(code) => {
            use crate::report::export::Kind;
            use clap::ValueEnum;
            Kind::value_variants()
                .iter()
                .find(|k| k.code() == code)
                .map_or_else(|| code.clone(), |k| k.label(lang).to_owned())
        }
    }
}

/// An entry's particulars in a few words.
pub fn entry_detail(action: Option<AuditAction>, detail: &Value, lang: Lang) -> String {
    let text = |k: &str| detail.get(k).and_then(Value::as_str);
    let role = |k: &str| {
        text(k).and_then(Role::from_code).map_or_else(
            || text(k).unwrap_or("?").to_owned(),
            |r| r.label(lang).to_owned(),
        )
    };
    match action {
        Some(AuditAction::Export | AuditAction::ExportUnmasked) if detail.get("rows").is_some() => {
            t!(
                lang,
                "admin.detail_export",
                rows = detail["rows"],
                format = text("format").unwrap_or("-"),
                file = text("file").unwrap_or("-")
            )
        }
        Some(AuditAction::KioskExit) if detail.get("pin_shared_by").is_some() => {
            let names: Vec<&str> = detail["pin_shared_by"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            t!(
                lang,
                "admin.detail_pin_shared",
                names = names.join(t!(lang, "admin.fields_sep"))
            )
        }
        Some(AuditAction::Erase) if detail.get("operations_redacted").is_some() => t!(
            lang,
            "admin.detail_erased",
            n = detail["operations_redacted"]
        ),
        Some(AuditAction::NetworkCreate) => t!(
            lang,
            "admin.detail_network_create",
            network = text("network").unwrap_or("-"),
            folder = text("folder").unwrap_or("-")
        ),
        Some(AuditAction::NetworkLeave) => t!(
            lang,
            "admin.detail_network_leave",
            network = text("network").unwrap_or("-"),
            n = detail.get("unsynced").and_then(Value::as_i64).unwrap_or(0)
        ),
        Some(AuditAction::NetworkRestore) => match text("set_aside") {
            Some(aside) => t!(
                lang,
                "admin.detail_network_restore",
                folder = text("folder").unwrap_or("-"),
                aside = aside
            ),
            None => t!(
                lang,
                "admin.detail_network_restore_none",
                folder = text("folder").unwrap_or("-")
            ),
        },
        Some(AuditAction::HeldAccept) => t!(
            lang,
            "admin.detail_held_accept",
            station = text("station").unwrap_or_else(|| short_id(text("origin"))),
            n = detail.get("count").and_then(Value::as_i64).unwrap_or(0)
        ),
        Some(AuditAction::StaffChange) => match text("change") {
            Some("added") => t!(lang, "admin.detail_added", role = role("role")),
            Some("role") => t!(
                lang,
                "admin.detail_role",
                from = role("from"),
                to = role("to")
            ),
            Some("pin") => t!(lang, "admin.detail_pin").to_owned(),
            Some("active") if detail.get("active") == Some(&Value::Bool(false)) => {
                t!(lang, "admin.detail_deactivated").to_owned()
            }
            Some("active") => t!(lang, "admin.detail_activated").to_owned(),
            _ => plain(detail),
        },
        _ => plain(detail),
    }
}

/// The first 8 hex digits of an id as stored, as `network show` and
/// `conflicts accept` name them.
fn short_id(id: Option<&str>) -> &str {
    id.map_or("-", |s| s.get(..8).unwrap_or(s))
}

/// A detail this version has no words for: `key=value` pairs, or the text.
fn plain(detail: &Value) -> String {
    match detail {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
