//! `waystation audit`: the audit log for admins, as aligned text for the
//! terminal or CSV for the office, and the words of its lines, which the
//! console's admin pane (F6) shows the same way.
//!
//! Only an admin reads it: the command signs the person named with `--as`
//! in with their PIN (typed without echo, or `WAYSTATION_PIN` for
//! scripts), so the reading is itself a sign-in in the log. A wrong PIN
//! counts towards the wait of the next try, as at the console.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::cli::explain;
use crate::domain::access::Act;
use crate::domain::dates::{DateError, parse_ends};
use crate::domain::day::day_start;
use crate::domain::ids::StaffId;
use crate::i18n::{Lang, Localized};
use crate::store::AuditFilter;
use crate::store::SignInError;
use crate::store::Store;
use crate::t;
use crate::words::audit::{Described, action_codes, describe};

/// The environment variable that gives scripts the PIN.
pub const PIN_ENV: &str = "WAYSTATION_PIN";

/// Lines listed when `--limit` is not given.
pub const DEFAULT_LIMIT: u32 = 200;

/// The ways the log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for the terminal.
    Text,
    /// CSV, UTF-8 with a byte-order mark (Excel reads it right).
    Csv,
}

/// Options of `waystation audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Who is reading: an admin's name, exactly as the console lists it.
    /// The PIN is asked on the terminal, or read from WAYSTATION_PIN.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// From this day, or the start of this period (2026-11-01, 11-01,
    /// 今天/today, 本月/this month, 2026-11); default: from the first entry.
    #[arg(long, value_name = "DATE|PERIOD")]
    pub from: Option<String>,
    /// Up to this day, or the end of this period (included); default: up
    /// to now.
    #[arg(long, value_name = "DATE|PERIOD")]
    pub to: Option<String>,
    /// Only what this staff member did (their name, exactly).
    #[arg(long, value_name = "NAME")]
    pub staff: Option<String>,
    /// Only this action: export, export_unmasked, sign_in, view, unmask,
    /// staff, erase, kiosk_exit, or change (the changes to records).
    #[arg(long, value_name = "CODE")]
    pub action: Option<String>,
    /// Only entries about exactly this subject (person:<id>, case:<id>,
    /// staff:<id>, or the kind exported: people, visits, cases,
    /// appointments), and the changes to that record.
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
    /// List the changes to records too (the default).
    #[arg(long, overrides_with = "no_changes")]
    pub changes: bool,
    /// List the audit entries only, not the changes to records.
    #[arg(long, overrides_with = "changes")]
    pub no_changes: bool,
    /// Lines at most, the newest first.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_LIMIT,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
    /// text or csv.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Runs `waystation audit`.
pub fn audit(store: &mut Store, args: AuditArgs, lang: Lang) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    let tz = store.time_zone().map_err(|e| explain(e, lang))?;
    let now = Utc::now();
    // What needs no data is checked before the PIN is asked for.
    let today = now.with_timezone(&tz).date_naive();
    let (from, to) = read_period(args.from.as_deref(), args.to.as_deref(), today, tz, lang)?;
    let action = read_action(args.action.as_deref(), lang)?;
    sign_in(store, args.as_name.as_deref(), now, lang, Act::Audit)?;
    let actor = match args.staff.as_deref() {
        Some(name) => Some(find_staff(store, name, lang)?),
        None => None,
    };
    let filter = AuditFilter {
        from,
        to,
        actor,
        action,
        subject: args
            .subject
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
    };
    let limit = args.limit as usize;
    let page = store
        .audit_view(&filter, !args.no_changes, limit)
        .map_err(|e| explain(e, lang))?;
    let rows: Vec<Described> = page.lines.iter().map(|l| describe(l, lang, tz)).collect();
    let bytes = match args.format {
        Format::Text => text(&rows, page.more, limit, lang).into_bytes(),
        Format::Csv => csv(&rows, lang)?,
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    if page.more && args.format == Format::Csv {
        eprintln!("{}", t!(lang, "admin.cli.more", n = args.limit));
    }
    Ok(ExitCode::SUCCESS)
}

/// From (included) and to (excluded), each open when not given.
type Bounds = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// `--from` and `--to` as instants: the start of `--from`'s period, and
/// the end of `--to`'s (excluded).
fn read_period(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
    tz: Tz,
    lang: Lang,
) -> Result<Bounds> {
    let bad = |option: &'static str| {
        move |e: DateError| {
            anyhow!(t!(
                lang,
                "report.bad_option",
                option = option,
                why = e.localized(lang)
            ))
        }
    };
    let (from, to) =
        parse_ends(from, to, today).map_err(|(end, e)| bad(super::report::option(end))(e))?;
    let (from, to) = (from.map(|p| p.from), to.map(|p| p.to));
    Ok((
        from.map(|d| day_start(d, tz)),
        to.and_then(|d| d.succ_opt()).map(|d| day_start(d, tz)),
    ))
}

fn read_action(action: Option<&str>, lang: Lang) -> Result<Option<String>> {
    let Some(code) = action.map(str::trim) else {
        return Ok(None);
    };
    let code = code.to_lowercase();
    if action_codes().contains(&code.as_str()) {
        return Ok(Some(code));
    }
    Err(anyhow!(t!(
        lang,
        "admin.cli.bad_action",
        code = code,
        codes = action_codes().join(", ")
    )))
}

/// Signs the staff member named by `--as` in for a command that needs
/// `act` (the PIN typed without echo, or `WAYSTATION_PIN`), or refuses in
/// one line. On a database where nobody can sign in yet, the audit log is
/// refused (nobody could be an admin) and anything else goes on as before
/// sign-in existed, made by nobody.
pub fn sign_in(
    store: &mut Store,
    name: Option<&str>,
    now: DateTime<Utc>,
    lang: Lang,
    act: Act,
) -> Result<()> {
    if !store.has_sign_in().map_err(|e| explain(e, lang))? {
        if act != Act::Audit {
            return Ok(());
        }
        return Err(anyhow!(t!(lang, "admin.cli.no_admin_yet")));
    }
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Err(anyhow!(if act == Act::Audit {
            t!(lang, "admin.cli.need_as")
        } else {
            t!(lang, "admin.cli.need_as_any")
        }));
    };
    let roster = store.sign_in_roster().map_err(|e| explain(e, lang))?;
    let named: Vec<StaffId> = roster
        .iter()
        .filter(|s| s.name == name)
        .map(|s| s.id)
        .collect();
    let id = match named.as_slice() {
        [id] => *id,
        [] => return Err(anyhow!(t!(lang, "admin.cli.unknown_signer", name = name))),
        many => {
            return Err(anyhow!(t!(
                lang,
                "admin.cli.same_name",
                n = many.len(),
                name = name
            )));
        }
    };
    // Wait before asking: a PIN typed only to be refused is a PIN shown.
    let key = format!("pin:{}", id.0);
    let wait = store
        .throttle_wait(&key, now)
        .map_err(|e| explain(e, lang))?;
    if wait > 0 {
        return Err(anyhow!(t!(lang, "admin.cli.wait", secs = wait)));
    }
    let pin = match std::env::var(PIN_ENV) {
        Ok(p) if !p.trim().is_empty() => p.trim().to_owned(),
        _ => ask_pin(name, lang)?,
    };
    let session = match store.sign_in(id, &pin, now) {
        Ok(s) => s,
        Err(SignInError::Wait(secs)) => {
            return Err(anyhow!(t!(lang, "admin.cli.wait", secs = secs)));
        }
        Err(SignInError::Wrong { wait: 0 }) => {
            return Err(anyhow!(t!(lang, "admin.cli.wrong_pin")));
        }
        Err(SignInError::Wrong { wait }) => {
            return Err(anyhow!(t!(lang, "admin.cli.wrong_pin_wait", secs = wait)));
        }
        Err(SignInError::Unknown) => {
            return Err(anyhow!(t!(lang, "admin.cli.unknown_signer", name = name)));
        }
        Err(SignInError::Store(e)) => return Err(explain(e, lang)),
    };
    if !session.may(act) {
        store.set_session(None);
        return Err(anyhow!(act.needs(lang)));
    }
    Ok(())
}

/// Asks for the PIN on the terminal, without echoing it.
fn ask_pin(name: &str, lang: Lang) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        return Err(anyhow!(t!(lang, "admin.cli.pin_needed")));
    }
    let pin = super::prompt::read_secret(
        &t!(lang, "admin.cli.pin_prompt", name = name),
        t!(lang, "admin.cli.cancelled"),
    )?;
    if pin.is_empty() {
        return Err(anyhow!(t!(lang, "admin.cli.no_pin")));
    }
    Ok(pin)
}

/// The staff member `--staff` names (exactly; inactive ones too, since the
/// log outlives them).
fn find_staff(store: &Store, name: &str, lang: Lang) -> Result<StaffId> {
    let staff = store.staff().map_err(|e| explain(e, lang))?;
    let name = name.trim();
    let named: Vec<StaffId> = staff
        .iter()
        .filter(|s| s.name == name)
        .map(|s| s.id)
        .collect();
    match named.as_slice() {
        [id] => Ok(*id),
        [] => {
            let names: Vec<&str> = staff.iter().map(|s| s.name.as_str()).collect();
            Err(anyhow!(t!(
                lang,
                "admin.cli.unknown_staff",
                name = name,
                names = names.join(t!(lang, "admin.fields_sep"))
            )))
        }
        many => Err(anyhow!(t!(
            lang,
            "admin.cli.same_name",
            n = many.len(),
            name = name
        ))),
    }
}

/// The columns of the text and CSV forms, in order.
fn headings(lang: Lang) -> [&'static str; 8] {
    [
        t!(lang, "admin.col_time"),
        t!(lang, "admin.col_station"),
        t!(lang, "admin.col_who"),
        t!(lang, "admin.col_action"),
        t!(lang, "admin.col_subject"),
        t!(lang, "admin.col_detail"),
        t!(lang, "admin.col_code"),
        t!(lang, "admin.col_subject_id"),
    ]
}

/// Aligned text: time, station, who, action, subject, detail (the last
/// one as long as it is), then how many lines.
fn text(rows: &[Described], more: bool, limit: usize, lang: Lang) -> String {
    use crate::tui::widgets::{pad, width};
    let h = headings(lang);
    let cells = |d: &Described| -> [String; 6] {
        [
            d.at.clone(),
            d.station.clone(),
            d.who.clone(),
            d.action.clone(),
            d.subject.clone(),
            d.detail.clone(),
        ]
    };
    let mut widths: Vec<usize> = h[..5].iter().map(|s| width(s)).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(cells(r)) {
            *w = (*w).max(width(&c));
        }
    }
    let mut out = String::new();
    let mut line = |cols: [String; 6]| {
        let mut l = String::new();
        for (c, w) in cols[..5].iter().zip(&widths) {
            l.push_str(&pad(c, *w));
            l.push_str("  ");
        }
        l.push_str(&cols[5]);
        out.push_str(l.trim_end());
        out.push('\n');
    };
    if !rows.is_empty() {
        line(std::array::from_fn(|i| h[i].to_owned()));
        for r in rows {
            line(cells(r));
        }
    }
    let footer = if rows.is_empty() {
        t!(lang, "admin.cli.none").to_owned()
    } else if more {
        t!(lang, "admin.cli.more", n = limit)
    } else {
        t!(lang, "admin.cli.count", n = rows.len())
    };
    out.push_str(&footer);
    out.push('\n');
    out
}

/// CSV for a spreadsheet: UTF-8 with a byte-order mark, CRLF, one row a
/// line, with the stored codes and ids for scripts.
fn csv(rows: &[Described], lang: Lang) -> Result<Vec<u8>> {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(crate::report::csv::BOM.to_vec());
    w.write_record(headings(lang))?;
    for r in rows {
        w.write_record([
            &r.at,
            &r.station,
            &r.who,
            &r.action,
            &r.subject,
            &r.detail,
            &r.code,
            &r.subject_id,
        ])?;
    }
    w.into_inner().map_err(|e| anyhow!("{}", e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Entity;
    use crate::store::Hlc;
    use crate::store::{AuditAction, AuditLine, Subject};
    use crate::store::{AuditEntry, Change};
    use crate::words::audit::entry_detail;
    use crate::words::{entity as entity_words, field as field_words};
    use serde_json::Value;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn every_field_of_every_record_has_words() {
        let (cat, _) = crate::i18n::catalogue::catalogue();
        for e in Entity::ALL {
            assert!(!entity_words(e, Lang::En).starts_with("record."), "{e:?}");
            for (name, _) in e.table().cols {
                assert!(
                    cat.contains_key(&format!("record.field.{name}")),
                    "{e:?}.{name}"
                );
            }
        }
        assert_eq!(field_words("mobile", Lang::ZhCn), "手机");
        assert_eq!(
            field_words("from_a_newer_version", Lang::ZhCn),
            "from_a_newer_version"
        );
    }

    #[test]
    fn periods_run_from_the_first_day_to_the_end_of_the_last() {
        let tz = chrono_tz::Asia::Shanghai;
        let (from, to) =
            read_period(Some("2026-11"), Some("11-20"), d(11, 25), tz, Lang::En).unwrap();
        // Midnight in Shanghai is 16:00 UTC the day before.
        assert_eq!(from.unwrap().to_rfc3339(), "2026-10-31T16:00:00+00:00");
        assert_eq!(to.unwrap().to_rfc3339(), "2026-11-20T16:00:00+00:00");
        assert_eq!(
            read_period(None, None, d(11, 25), tz, Lang::En).unwrap(),
            (None, None)
        );
        let e = read_period(Some("11-20"), Some("11-01"), d(11, 25), tz, Lang::En).unwrap_err();
        assert!(e.to_string().starts_with("--to: "), "{e}");
        let e = read_period(Some("2026-13-01"), None, d(11, 25), tz, Lang::ZhCn).unwrap_err();
        assert!(e.to_string().starts_with("--from："), "{e}");
    }

    #[test]
    fn actions_are_codes_or_change() {
        assert_eq!(
            read_action(Some(" Export "), Lang::En).unwrap().as_deref(),
            Some("export")
        );
        assert_eq!(
            read_action(Some("change"), Lang::En).unwrap().as_deref(),
            Some("change")
        );
        assert_eq!(read_action(None, Lang::En).unwrap(), None);
        let e = read_action(Some("exprt"), Lang::En)
            .unwrap_err()
            .to_string();
        assert!(e.contains("export_unmasked") && e.contains("change"), "{e}");
    }

    fn entry(action: AuditAction, subject: &str, detail: Value) -> AuditLine {
        AuditLine::Entry {
            entry: AuditEntry {
                id: crate::domain::ids::AuditId::new(),
                at: DateTime::from_timestamp(1_795_680_000, 0).unwrap(),
                station: crate::domain::ids::StationId::new(),
                station_code: Some("FT".into()),
                actor: None,
                actor_name: Some("王芳".into()),
                action: action.code().into(),
                subject: subject.into(),
                detail,
            },
            subject: Subject::Staff("李强".into()),
        }
    }

    #[test]
    fn lines_in_words() {
        let tz = chrono_tz::Asia::Shanghai;
        let role = entry(
            AuditAction::StaffChange,
            "staff:x",
            serde_json::json!({"change": "role", "from": "staff", "to": "admin"}),
        );
        let d = describe(&role, Lang::ZhCn, tz);
        assert_eq!(d.at, "2026-11-26 16:00:00");
        assert_eq!(
            (d.who.as_str(), d.action.as_str()),
            ("王芳", "工作人员变更")
        );
        assert_eq!(d.detail, "角色：工作人员 → 管理员");
        let added = serde_json::json!({"change": "added", "role": "volunteer", "pin": true});
        assert_eq!(
            entry_detail(Some(AuditAction::StaffChange), &added, Lang::En),
            "added as Volunteer"
        );
        let off = serde_json::json!({"change": "active", "active": false});
        assert_eq!(
            entry_detail(Some(AuditAction::StaffChange), &off, Lang::En),
            "deactivated"
        );
        let other = serde_json::json!({"a": 1, "b": "x", "c": null});
        assert_eq!(
            entry_detail(Some(AuditAction::Erase), &other, Lang::En),
            "a=1, b=x"
        );
        let change = AuditLine::Change {
            change: Change {
                at: DateTime::from_timestamp(1_795_680_000, 0).unwrap(),
                hlc: Hlc::default(),
                origin: crate::domain::ids::ReplicaId::new(),
                seq: 1,
                station_code: None,
                actor: None,
                actor_name: None,
                entity: Entity::Person,
                record: uuid::Uuid::nil(),
                created: false,
                fields: vec!["name".into(), "mobile".into()],
            },
            subject: Subject::Erased,
        };
        let d = describe(&change, Lang::ZhCn, tz);
        assert_eq!(
            (
                d.who.as_str(),
                d.action.as_str(),
                d.subject.as_str(),
                d.detail.as_str()
            ),
            ("（未登录）", "修改人员", "（已删除）", "姓名、手机")
        );
        assert_eq!(d.station, "-");
        assert_eq!(d.subject_id, format!("person:{}", uuid::Uuid::nil()));
    }

    #[test]
    fn text_columns_line_up_in_cells() {
        let tz = chrono_tz::Asia::Shanghai;
        let rows = vec![
            describe(
                &entry(AuditAction::SignIn, "staff:x", Value::Null),
                Lang::ZhCn,
                tz,
            ),
            describe(
                &entry(AuditAction::Export, "people", Value::Null),
                Lang::ZhCn,
                tz,
            ),
        ];
        let out = text(&rows, false, 200, Lang::ZhCn);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert_eq!(lines[3], "共 2 条");
        // The subject column starts at the same cell on every line.
        let at = |l: &str, col: &str| crate::tui::widgets::width(&l[..l.find(col).unwrap()]);
        assert_eq!(at(lines[0], "对象"), at(lines[1], "李强"));
        assert_eq!(at(lines[1], "李强"), at(lines[2], "李强"));
        assert!(text(&rows, true, 2, Lang::En).ends_with("or raise --limit\n"));
        assert_eq!(text(&[], false, 2, Lang::En), "Nothing matches\n");
    }
}
