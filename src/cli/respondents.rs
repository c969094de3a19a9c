//! `waystation respondents`: the register of employers and other parties
//! claims are made against. Without a subcommand it finds respondents by
//! name, pinyin, initials or code; `show` prints one's page (every case
//! against it at every station); `set` records its code, platform, address
//! and contact; `duplicates`, `merge` and `unmerge` make two spellings one;
//! `several` lists those with open cases at several stations.

use std::process::ExitCode;

use anyhow::{Result, anyhow};

use super::explain;
use crate::domain::access::Act;
use crate::domain::ids::RespondentId;
use crate::i18n::{Lang, Localized};
use crate::store::{Respondent, RespondentInput, Store, StoreError, name_key, parse_respondent_id};
use crate::t;

/// Options of `waystation respondents`.
#[derive(Debug, clap::Args)]
pub struct RespondentsArgs {
    #[command(subcommand)]
    pub action: Option<RespondentsAction>,
    /// What to look for: a part of the name, its pinyin or initials, or the
    /// start of its unified social credit code.
    pub query: Option<String>,
    /// At most this many.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Who is doing it (for changes): a staff member's name as listed. The
    /// PIN is asked for, or read from WAYSTATION_PIN.
    #[arg(long = "as", value_name = "NAME", global = true)]
    pub as_name: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum RespondentsAction {
    /// A respondent's page: what the register says of it, the spellings
    /// merged into it, and every case against it at every station.
    Show {
        /// Its name (as registered), code, or a search that finds it alone.
        who: String,
    },
    /// Record what is known of a respondent; a code is checked (GB 32100)
    /// and refused when another respondent holds it.
    Set {
        who: String,
        /// Its unified social credit code (18 characters).
        #[arg(long)]
        code: Option<String>,
        /// A new name for it.
        #[arg(long)]
        name: Option<String>,
        /// The platform or site (美团、某工地).
        #[arg(long)]
        platform: Option<String>,
        #[arg(long)]
        address: Option<String>,
        /// A contact person or number.
        #[arg(long)]
        contact: Option<String>,
    },
    /// Respondents that may be one: the same code, or the same name once
    /// spaces, brackets and letter case are set aside.
    Duplicates,
    /// Make two respondents one: FROM reads as INTO everywhere the change
    /// reaches; its cases count as INTO's.
    Merge { from: String, into: String },
    /// Undo the merge of a respondent.
    Unmerge { who: String },
    /// Respondents with open cases at several stations.
    Several,
}

/// The respondent `who` names: an id, its exact name or code, or the one
/// a search finds alone.
fn find(store: &Store, who: &str, lang: Lang) -> Result<Respondent> {
    if let Some(id) = parse_respondent_id(who)
        && let Some(r) = store.respondent(id).map_err(|e| explain(e, lang))?
    {
        return Ok(r);
    }
    let hits = store
        .find_respondents(who, 10)
        .map_err(|e| explain(e, lang))?;
    let key = name_key(who);
    let exact: Vec<_> = hits
        .iter()
        .filter(|h| {
            name_key(&h.respondent.name) == key
                || h.respondent.credit_code.as_deref().map(name_key) == Some(key.clone())
        })
        .collect();
    match (exact.as_slice(), hits.as_slice()) {
        ([one], _) => Ok(one.respondent.clone()),
        ([], [one]) => Ok(one.respondent.clone()),
        (_, []) => Err(anyhow!(t!(lang, "respondents.none", q = who))),
        _ => Err(anyhow!(t!(
            lang,
            "respondents.several",
            q = who,
            names = hits
                .iter()
                .map(|h| h.respondent.name.as_str())
                .collect::<Vec<_>>()
                .join(t!(lang, "cases.name_sep"))
        ))),
    }
}

fn line(r: &Respondent, lang: Lang) -> String {
    let mut s = r.name.clone();
    if let Some(c) = &r.credit_code {
        s.push_str(&format!("  {c}"));
    }
    if let Some(p) = &r.platform {
        s.push_str(&format!(
            "  {}{}{p}",
            t!(lang, "respondents.platform"),
            t!(lang, "cases.colon")
        ));
    }
    s
}

fn refused(e: StoreError, lang: Lang) -> anyhow::Error {
    anyhow!(e.localized(lang))
}

/// Runs `waystation respondents`.
pub fn respondents(store: &mut Store, args: RespondentsArgs, lang: Lang) -> Result<ExitCode> {
    store.require_station().map_err(|e| explain(e, lang))?;
    let now = chrono::Utc::now();
    match args.action {
        None => {
            let q = args.query.unwrap_or_default();
            if q.trim().is_empty() {
                return Err(anyhow!(t!(lang, "respondents.ask")));
            }
            let hits = store
                .find_respondents(&q, args.limit)
                .map_err(|e| explain(e, lang))?;
            if hits.is_empty() {
                println!("{}", t!(lang, "respondents.none", q = q));
            }
            for h in hits {
                println!(
                    "{}  {}",
                    line(&h.respondent, lang),
                    t!(
                        lang,
                        "respondents.counts",
                        open = h.open,
                        all = h.cases,
                        stations = h.stations
                    )
                );
            }
        }
        Some(RespondentsAction::Show { who }) => {
            let r = find(store, &who, lang)?;
            let page = store
                .respondent_page(r.id)
                .map_err(|e| explain(e, lang))?
                .ok_or_else(|| anyhow!(t!(lang, "respondents.none", q = who)))?;
            let p = &page.respondent;
            println!("{}", p.name);
            let colon = t!(lang, "cases.colon");
            for (label, value) in [
                ("respondents.code", &p.credit_code),
                ("respondents.platform", &p.platform),
                ("respondents.address", &p.address),
                ("respondents.contact", &p.contact),
            ] {
                println!(
                    "  {}{colon}{}",
                    crate::i18n::catalogue::text(lang, label),
                    value.as_deref().unwrap_or("-")
                );
            }
            if !page.merged.is_empty() {
                let names: Vec<&str> = page.merged.iter().map(|m| m.name.as_str()).collect();
                println!(
                    "  {}{colon}{}",
                    t!(lang, "respondents.merged"),
                    names.join(t!(lang, "cases.name_sep"))
                );
            }
            let open = page.cases.iter().filter(|c| c.row.status.is_open()).count();
            println!(
                "{}",
                t!(
                    lang,
                    "respondents.cases_head",
                    all = page.cases.len(),
                    open = open
                )
            );
            for c in &page.cases {
                println!(
                    "  {}  {}  {}  {}  {}  {}/{}",
                    c.row.number,
                    c.station.as_deref().unwrap_or("?"),
                    c.row.case_type.label(lang),
                    c.row.status.label(lang),
                    c.row.opened_at.format("%Y-%m-%d"),
                    c.row.claimed.yuan_string(),
                    c.row.recovered.yuan_string()
                );
            }
        }
        Some(RespondentsAction::Set {
            who,
            code,
            name,
            platform,
            address,
            contact,
        }) => {
            let r = find(store, &who, lang)?;
            super::audit::sign_in(store, args.as_name.as_deref(), now, lang, Act::Cases)?;
            let keep = |new: Option<String>, old: Option<String>| match new {
                Some(s) if s.trim().is_empty() => None,
                Some(s) => Some(s),
                None => old,
            };
            let input = RespondentInput {
                name: name.unwrap_or(r.name.clone()),
                credit_code: keep(code, r.credit_code.clone()),
                platform: keep(platform, r.platform.clone()),
                address: keep(address, r.address.clone()),
                contact: keep(contact, r.contact.clone()),
            };
            store
                .write(|w| w.update_respondent(r.id, &input))
                .map_err(|e| refused(e, lang))?;
            println!("{}", t!(lang, "respondents.saved", name = input.name));
        }
        Some(RespondentsAction::Duplicates) => {
            let pairs = store
                .respondent_duplicates()
                .map_err(|e| explain(e, lang))?;
            if pairs.is_empty() {
                println!("{}", t!(lang, "respondents.no_duplicates"));
            }
            for p in pairs {
                let why = if p.same_code {
                    t!(lang, "respondents.same_code")
                } else {
                    t!(lang, "respondents.same_name")
                };
                println!("{}  ⇄  {}  ({why})", line(&p.a, lang), line(&p.b, lang));
                println!(
                    "    {} {} {}",
                    p.a.id,
                    p.b.id,
                    t!(lang, "respondents.merge_hint")
                );
            }
        }
        Some(RespondentsAction::Merge { from, into }) => {
            let a = find(store, &from, lang)?;
            let b = find(store, &into, lang)?;
            super::audit::sign_in(store, args.as_name.as_deref(), now, lang, Act::Cases)?;
            store
                .write(|w| w.merge_respondents(a.id, b.id))
                .map_err(|e| refused(e, lang))?;
            println!(
                "{}",
                t!(
                    lang,
                    "respondents.merged_done",
                    from = a.name,
                    into = b.name
                )
            );
        }
        Some(RespondentsAction::Unmerge { who }) => {
            // By id, or by the name it was registered under (a search
            // finds the one it was merged into).
            let id: RespondentId = match parse_respondent_id(&who) {
                Some(id) => id,
                None => {
                    let survivor = find(store, &who, lang)?;
                    let page = store
                        .respondent_page(survivor.id)
                        .map_err(|e| explain(e, lang))?;
                    page.and_then(|p| {
                        p.merged
                            .into_iter()
                            .find(|m| name_key(&m.name) == name_key(&who))
                    })
                    .map(|m| m.id)
                    .ok_or_else(|| anyhow!(t!(lang, "respondents.not_merged", q = who)))?
                }
            };
            super::audit::sign_in(store, args.as_name.as_deref(), now, lang, Act::Cases)?;
            store
                .write(|w| w.unmerge_respondent(id))
                .map_err(|e| refused(e, lang))?;
            println!("{}", t!(lang, "respondents.unmerged"));
        }
        Some(RespondentsAction::Several) => {
            let list = store
                .respondents_at_several_stations()
                .map_err(|e| explain(e, lang))?;
            if list.is_empty() {
                println!("{}", t!(lang, "respondents.none_several"));
            }
            for s in list {
                println!(
                    "{}  {}",
                    s.name,
                    t!(
                        lang,
                        "respondents.several_line",
                        stations = s.stations,
                        open = s.open
                    )
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
