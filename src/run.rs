//! Running the subcommands; everything the binary prints comes from here.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};

use crate::cli::{Cli, Command, DemoArgs};
use crate::i18n::{Lang, Localized};
use crate::store::search::{CaseHit, Hit, Match, PersonHit};
use crate::store::{Store, StoreError};

/// Runs one command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    let Some(command) = cli.command else {
        let path = db_path(cli.db)?;
        let store = Store::open(&path).map_err(|e| explain(e, lang))?;
        return console(store, &path, lang, cli.lock_after);
    };
    let demo_db = matches!(command, Command::Demo(_));
    let path = match cli.db {
        Some(p) => p,
        None if demo_db => default_path(crate::paths::default_demo_db())?,
        None => db_path(None)?,
    };
    tracing::info!(db = %path.display(), ?command, "start");
    let mut store = Store::open(&path).map_err(|e| explain(e, lang))?;
    match command {
        Command::Init { code, name, tz } => {
            let s = store
                .init_station(&code, &name, &tz)
                .map_err(|e| explain(e, lang))?;
            println!(
                "{} {} {} ({}) — {}",
                lang.pick("已设置站点", "Station set up:"),
                s.code,
                s.name,
                s.time_zone,
                path.display()
            );
        }
        Command::Demo(args) => {
            let open = args.open;
            // With --open, a demo database that already has its records is
            // opened as it is: the one-line start stays quick the second time.
            if !(open && store.station().map_err(|e| explain(e, lang))?.is_some()) {
                demo(&mut store, &path, lang, args)?;
            }
            if open {
                return console(store, &path, lang, cli.lock_after);
            }
        }
        Command::Lookup { query, limit } => {
            let hits = store.lookup(&query, limit).map_err(|e| explain(e, lang))?;
            print_hits(&store, &query, &hits, lang)?;
        }
        Command::Check => return check(&store, lang),
        Command::Sync { folder, status } => {
            return crate::sync_cmd::sync(&mut store, &folder, status, lang);
        }
        Command::Conflicts { action } => {
            return crate::sync_cmd::conflicts(&mut store, action, lang);
        }
        Command::Station { code, name } => {
            let s = store
                .update_station(&code, name.as_deref())
                .map_err(|e| explain(e, lang))?;
            println!("{} {} {}", lang.pick("站点：", "Station:"), s.code, s.name);
        }
        Command::Report(args) => return crate::report_cmd::report(&store, args, lang),
        Command::Export(args) => return crate::export_cmd::export(&mut store, args, lang),
        Command::Kiosk(args) => return crate::kiosk::run(store, &path, args, cli.lang),
        Command::Audit(args) => return crate::audit_cmd::audit(&mut store, args, lang),
    }
    Ok(ExitCode::SUCCESS)
}

fn demo(store: &mut Store, path: &std::path::Path, lang: Lang, args: DemoArgs) -> Result<()> {
    let today = match args.today {
        Some(d) => d,
        None => demo_day(chrono::Utc::now().with_timezone(&store.time_zone()?)),
    };
    let spec = crate::demo::DemoSpec {
        code: args.code,
        name: None,
        people: args.people,
        visits: args.visits,
        cases: args.cases,
        seed: args.seed,
        today,
    };
    let started = std::time::Instant::now();
    let tty = std::io::stderr().is_terminal();
    let mut last = String::new();
    let mut progress = |stage: &str, done: u64, total: u64| {
        if tty {
            eprint!("\r{stage}: {done}/{total}        ");
        } else if stage != last {
            eprintln!("{stage} …");
            last = stage.to_owned();
        }
    };
    let summary =
        crate::demo::generate(store, &spec, &mut progress).map_err(|e| explain(e, lang))?;
    if tty {
        eprint!("\r{:40}\r", "");
    }
    let counts = [
        (u64::from(summary.people), lang.pick("人", "people")),
        (u64::from(summary.visits), lang.pick("次来访", "visits")),
        (u64::from(summary.cases), lang.pick("个案件", "cases")),
        (
            u64::from(summary.counsellors),
            lang.pick("名咨询师", "counsellors"),
        ),
        (
            u64::from(summary.appointments),
            lang.pick("个预约", "appointments"),
        ),
        (summary.ops, lang.pick("条操作记录", "operations")),
    ];
    let counts: Vec<String> = counts
        .iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
    println!(
        "{} {}: {} ({:.1} s)",
        lang.pick("已生成演示数据于", "Demo records written to"),
        path.display(),
        counts.join(", "),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// How many records wait for a record they refer to (said only when some do).
pub(crate) fn write_waiting(out: &mut impl Write, waiting: u64, lang: Lang) -> Result<()> {
    if waiting > 0 {
        writeln!(
            out,
            "{}: {waiting}",
            lang.pick(
                "等待关联记录同步到达的记录",
                "records waiting for a record they refer to"
            )
        )?;
    }
    Ok(())
}

fn check(store: &Store, lang: Lang) -> Result<ExitCode> {
    let report = store.check().map_err(|e| explain(e, lang))?;
    let mut out = std::io::stdout().lock();
    for (entity, n) in &report.counts {
        writeln!(out, "{}: {n}", entity.table().name)?;
    }
    writeln!(out, "operations: {}", report.ops)?;
    write_waiting(&mut out, report.waiting, lang)?;
    for p in &report.problems {
        writeln!(out, "problem: {p}")?;
    }
    writeln!(
        out,
        "{}",
        if report.is_ok() {
            lang.pick("检查通过", "check: ok")
        } else {
            lang.pick("检查发现问题", "check: FAILED")
        }
    )?;
    writeln!(out, "digest: {}", report.digest)?;
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_hits(store: &Store, query: &str, hits: &[Hit], lang: Lang) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if hits.is_empty() {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::ZhCn => format!("没有找到与“{query}”匹配的人或案件。"),
                Lang::En => format!("No person or case matches “{query}”."),
            }
        )?;
        return Ok(());
    }
    let tz = store.time_zone()?;
    for hit in hits {
        match hit {
            Hit::Person(p) => writeln!(out, "{}", person_line(p, lang, tz))?,
            Hit::Case(c) => writeln!(out, "{}", case_line(c, lang))?,
        }
    }
    Ok(())
}

fn person_line(p: &PersonHit, lang: Lang, tz: chrono_tz::Tz) -> String {
    let mut parts = vec![
        lang.pick("人员", "person").to_owned(),
        p.name.clone(),
        p.mobile
            .as_ref()
            .map_or_else(|| "-".to_owned(), |m| m.masked()),
        p.trade.label(lang).to_owned(),
    ];
    if let Some(e) = &p.employer {
        parts.push(e.clone());
    }
    if matches!(p.matched, Match::ResidentId | Match::ResidentIdTail)
        && let Some(r) = &p.resident_id
    {
        parts.push(format!("{} {}", lang.pick("身份证", "ID"), r.masked()));
    }
    if let Some(v) = p.last_visit {
        parts.push(format!(
            "{} {}",
            lang.pick("最近来访", "last visit"),
            v.with_timezone(&tz).format("%Y-%m-%d %H:%M")
        ));
    }
    parts.join("  ")
}

fn case_line(c: &CaseHit, lang: Lang) -> String {
    let claimants = match (&c.first_claimant, c.claimants) {
        (Some(n), 1) => n.clone(),
        (Some(n), k) => match lang {
            Lang::ZhCn => format!("{n}等{k}人"),
            Lang::En => format!("{n} +{}", k - 1),
        },
        (None, _) => "-".to_owned(),
    };
    let mut parts = vec![
        lang.pick("案件", "case").to_owned(),
        c.number.to_string(),
        c.case_type.label(lang).to_owned(),
        c.status.label(lang).to_owned(),
        claimants,
    ];
    if let Some(r) = &c.respondent {
        parts.push(format!("{} {r}", lang.pick("被申请方", "against")));
    }
    if c.claimed.0 > 0 {
        parts.push(format!(
            "{} {} / {} {}",
            lang.pick("请求", "claimed"),
            c.claimed.wan_string(),
            lang.pick("追回", "recovered"),
            c.recovered.wan_string()
        ));
    }
    parts.push(format!(
        "{} {}",
        lang.pick("承办", "handler"),
        c.handler.as_deref().unwrap_or("-")
    ));
    parts.push(format!(
        "{} {}",
        lang.pick("回访", "follow-up"),
        c.follow_up
            .map_or_else(|| "-".to_owned(), |d| d.to_string())
    ));
    parts.join("  ")
}

/// The day demo records lead up to when none is given: today once its
/// demo afternoon (up to [`crate::demo::NOW_HOUR`]) has passed, yesterday
/// before that, so that nothing is recorded later than now.
fn demo_day(now: chrono::DateTime<chrono_tz::Tz>) -> chrono::NaiveDate {
    use chrono::Timelike;
    let today = now.date_naive();
    if now.hour() >= crate::demo::NOW_HOUR {
        today
    } else {
        today.pred_opt().unwrap_or(today)
    }
}

/// Opens the console on the database at `path`; refuses a database
/// without a station.
fn console(store: Store, path: &std::path::Path, lang: Lang, lock_after: u32) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    if !std::io::stdout().is_terminal() {
        return Err(anyhow!(lang.pick(
            "控制台需要在终端中运行",
            "the console needs a terminal to run in"
        )));
    }
    let mut app = crate::tui::app::App::new(store, lang, chrono::Utc::now);
    app.lock_after = (lock_after > 0).then(|| chrono::Duration::minutes(i64::from(lock_after)));
    // A sync runs on a connection of its own, then the app's is opened
    // again (see tui::work).
    app.db_path = Some(path.to_owned());
    app.marks = crate::paths::data_dir();
    crate::tui::run(&mut app)?;
    Ok(ExitCode::SUCCESS)
}

fn db_path(given: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p);
    }
    default_path(crate::paths::default_db())
}

fn default_path(path: Option<PathBuf>) -> Result<PathBuf> {
    let path = path.ok_or_else(|| {
        anyhow!("no home folder to keep the database in; give one with --db PATH")
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    }
    Ok(path)
}

/// A store error in the user's language where it has a translation.
pub(crate) fn explain(e: StoreError, lang: Lang) -> anyhow::Error {
    match (&e, lang) {
        (StoreError::Invalid(v), _) => anyhow!(v.localized(lang)),
        (StoreError::NotAllowed(act), _) => anyhow!(act.needs(lang)),
        (StoreError::NotFound(_), Lang::ZhCn) => {
            anyhow!("找不到这条记录（可能已被删除或清除了个人信息）")
        }
        (StoreError::NoStation, Lang::ZhCn) => anyhow!(
            "这个数据库还没有设置站点；请先运行：waystation init --code 站点代码 --name 站点名称"
        ),
        (StoreError::NotADatabase(p), Lang::ZhCn) => {
            anyhow!("{} 不是数据库文件（已损坏或是其他类型的文件）", p.display())
        }
        (StoreError::NoFolder(p), Lang::ZhCn) => anyhow!("文件夹 {} 不存在", p.display()),
        (StoreError::CannotOpen(p), Lang::ZhCn) => {
            anyhow!(
                "无法打开 {}：文件不可读、只读，或所在文件夹不可写",
                p.display()
            )
        }
        (StoreError::IsFolder(p), Lang::ZhCn) => {
            anyhow!("{} 是文件夹，不是数据库文件", p.display())
        }
        (StoreError::StationExists(s), Lang::ZhCn) => anyhow!("这个数据库已经设置了站点：{s}"),
        (StoreError::Foreign, Lang::ZhCn) => {
            anyhow!("这是其他程序的 SQLite 数据库，不是 waystation 数据库")
        }
        (StoreError::TooNew { found, supported }, Lang::ZhCn) => anyhow!(
            "这个数据库由更新版本的 waystation 写入（结构版本 {found}，本版本最高支持 {supported}），请升级 waystation"
        ),
        _ => anyhow!(e),
    }
}

/// Reads a secret typed on the terminal (a passphrase, a PIN) after
/// `prompt` on stderr, without echo; Esc or Ctrl-C gives `cancelled` as
/// the error. The caller has checked that stdin is a terminal.
pub fn read_secret(prompt: &str, cancelled: &str) -> Result<String> {
    use ratatui::crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    use ratatui::crossterm::terminal;
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    terminal::enable_raw_mode()?;
    let mut typed = String::new();
    let result = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => match k.code {
                KeyCode::Enter => break Ok(()),
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Err(anyhow!(cancelled.to_owned()));
                }
                KeyCode::Esc => break Err(anyhow!(cancelled.to_owned())),
                KeyCode::Backspace => {
                    typed.pop();
                }
                KeyCode::Char(c) => typed.push(c),
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(e.into()),
        }
    };
    let _ = terminal::disable_raw_mode();
    eprintln!();
    result?;
    Ok(typed.trim().to_owned())
}

/// A store error as a message in the user's language.
pub fn store_message(e: StoreError, lang: Lang) -> String {
    explain(e, lang).to_string()
}

/// An error on one line: the message and its causes, joined.
pub fn one_line(e: &anyhow::Error) -> String {
    format!("{e:#}").replace('\n', " ")
}

/// Reports a command-line error on one line (help and version print as
/// usual) and gives the exit code.
pub fn clap_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let text = e.to_string();
            let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
            let first = lines.next().unwrap_or("bad command line");
            let mut first = first.strip_prefix("error: ").unwrap_or(first).to_owned();
            // "the following required arguments were not provided:" names
            // them on the next lines.
            if first.ends_with(':')
                && let Some(next) = lines.next()
            {
                first = format!("{first} {next}");
            }
            eprintln!("waystation: {first} (see waystation --help)");
            ExitCode::from(2)
        }
    }
}

/// Makes a panic print one line and log the details instead of a backtrace.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(%at, "panic: {msg}");
        eprintln!("waystation: internal error: {msg} (please report it; details are in the log)");
    }));
}

/// Sends `tracing` output to a daily log file in the data folder. Logging
/// is best effort: without a writable folder nothing is logged.
pub fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = crate::paths::log_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::daily(dir, "waystation.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("WAYSTATION_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_env_filter(filter)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn demo_records_never_lie_in_the_future() {
        let tz = chrono_tz::Asia::Shanghai;
        let morning = tz.with_ymd_and_hms(2026, 11, 23, 6, 20, 0).unwrap();
        assert_eq!(
            demo_day(morning),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
        );
        let evening = tz.with_ymd_and_hms(2026, 11, 23, 18, 0, 0).unwrap();
        assert_eq!(
            demo_day(evening),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
        );
    }
}
