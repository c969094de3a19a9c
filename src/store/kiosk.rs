//! What the kiosk (`waystation kiosk`) may read and write, and nothing more.
//!
//! A worker at the kiosk is nobody the database knows: every answer here is
//! already reduced to what may be shown to whoever stands at the screen. A
//! recognised phone gives a name masked to its first character (a phone
//! several people share: each one's, to choose from, with the last
//! character too where two would read alike, and the trade they
//! registered); a case
//! lookup gives the status, the next step and the handler's first
//! character, never an amount, a respondent, a summary, a note or another
//! claimant. Nothing of this module needs a signed-in staff member, and
//! its visits are recorded without one.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use unicode_normalization::UnicodeNormalization;

use super::{Result, Store, id_col};
use crate::domain::Mobile;
use crate::domain::case::{CaseNumber, CaseStatus, CloseReason, Outcome, Referral};
use crate::domain::ids::{CaseId, PersonId, VisitId};
use crate::domain::person::Trade;
use crate::domain::visit::{Services, Visit};

/// Throttle key of the kiosk's case-status lookups (see
/// [`Store::throttle_wait`]).
pub const LOOKUP_THROTTLE: &str = "kiosk-lookup";
/// Throttle key of the kiosk's staff-PIN exit.
pub const EXIT_THROTTLE: &str = "kiosk-exit";

/// A case as the kiosk shows it to one of its claimants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStatusView {
    pub number: CaseNumber,
    pub status: CaseStatus,
    pub follow_up: Option<NaiveDate>,
    pub referral: Option<Referral>,
    pub outcome: Option<Outcome>,
    pub close_reason: Option<CloseReason>,
    /// The first character of the handler's name; `None` while nobody
    /// handles the case.
    pub handler_initial: Option<String>,
}

/// What a self check-in recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KioskCheckIn {
    /// The phone belongs to a registered person: the visit is theirs.
    /// `masked_name` is all the kiosk learns of them ("张**"); empty for a
    /// person whose name was erased.
    Known { masked_name: String },
    /// No phone: an anonymous headcount of one.
    Anonymous,
    /// A phone nobody registered: an anonymous headcount of one too (the
    /// kiosk registers nobody, it asks no name), and the worker is told to
    /// register at the desk to be known next time.
    Unregistered,
    /// Several people are registered with this phone (a family sharing
    /// one): nothing is recorded, the kiosk does not guess. The worker
    /// says which one they are ([`Store::kiosk_check_in_as`]).
    Shared(Vec<KioskHolder>),
}

/// One of the people sharing a phone, as the kiosk lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskHolder {
    pub person: PersonId,
    /// "刘*", or "刘*洋" where two of the list would read alike.
    pub masked_name: String,
    /// The trade they registered.
    pub trade: Trade,
}

/// A name with every character after the first hidden: "张三丰" → "张**".
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// Names masked for a list to choose from: each as [`mask_name`], and with
/// its last character too ("刘建国" → "刘*国") where two would read alike
/// (a father and son of one surname). Two-character names stay "刘*":
/// their last character would be the whole given name.
pub fn mask_names(names: &[&str]) -> Vec<String> {
    let masked: Vec<String> = names.iter().map(|n| mask_name(n)).collect();
    names
        .iter()
        .zip(&masked)
        .map(|(name, m)| {
            let alike = masked.iter().filter(|o| *o == m).count() > 1;
            let chars: Vec<char> = name.trim().chars().collect();
            match chars.as_slice() {
                [first, middle @ .., last] if alike && !middle.is_empty() => {
                    let mut s = first.to_string();
                    s.extend(middle.iter().map(|_| '*'));
                    s.push(*last);
                    s
                }
                _ => m.clone(),
            }
        })
        .collect()
}

/// Reads a case number as a worker may type it at the kiosk: as staff
/// write it (`FT-2026-0042`, any case, full-width characters and other
/// dashes accepted), with spaces instead of dashes (`FT 2026 0042`), or
/// run together (`FT20260042`) when the station code is letters only — a
/// code with digits in it would make the run-together form ambiguous.
pub fn parse_case_number(input: &str) -> Option<CaseNumber> {
    let s: String = input
        .nfkc()
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '_' => '-',
            c => c,
        })
        .collect();
    let s = s.trim();
    if s.contains('-') {
        return s.parse().ok();
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() == 3 {
        return words.join("-").parse().ok();
    }
    if words.len() != 1 {
        return None;
    }
    let word = words[0];
    let letters = word
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(word.len());
    let (code, digits) = word.split_at(letters);
    if digits.len() < 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, seq) = digits.split_at(4);
    format!("{code}-{year}-{seq}").parse().ok()
}

/// Whether `s` is exactly four ASCII digits.
fn is_last4(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

impl Store {
    /// The status of case `number` for someone who also knows the last four
    /// digits of the mobile of one of its current claimants. `None` when
    /// the number is malformed, names no case, or the digits match no
    /// current claimant: the caller cannot tell these apart, so the kiosk
    /// is no oracle of which numbers exist.
    ///
    /// Reads the cases of that number through `cases_by_number` (two
    /// stations may have minted one number, so there can be more than one)
    /// and their claimants through `claimants_by_case`; scans nothing.
    pub fn case_status(&self, number: &str, last4: &str) -> Result<Option<CaseStatusView>> {
        let last4 = last4.trim();
        let Some(number) = parse_case_number(number).filter(|_| is_last4(last4)) else {
            return Ok(None);
        };
        let candidates: Vec<(CaseId, CaseStatusView, i64)> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT c.id, c.status, c.follow_up, c.referral, c.outcome, c.close_reason,
                        (SELECT name FROM staff WHERE id = c.handler), c.opened_at
                 FROM cases c INDEXED BY cases_by_number
                 WHERE c.code = ?1 AND c.year = ?2 AND c.seq = ?3",
            )?;
            let rows = stmt.query_map(params![number.code, number.year, number.seq], |r| {
                let handler: Option<String> = r.get(6)?;
                Ok((
                    id_col(&r.get::<_, Vec<u8>>(0)?)?,
                    CaseStatusView {
                        number: number.clone(),
                        status: r.get::<_, CaseStatus>(1)?,
                        follow_up: r
                            .get::<_, Option<String>>(2)?
                            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                        referral: r.get::<_, Option<Referral>>(3)?,
                        outcome: r.get::<_, Option<Outcome>>(4)?,
                        close_reason: r.get::<_, Option<CloseReason>>(5)?,
                        handler_initial: handler
                            .as_deref()
                            .and_then(|n| n.trim().chars().next())
                            .map(String::from),
                    },
                    r.get(7)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // Of several cases with one number (a conflict sync keeps for staff
        // to resolve), the newest one this claimant belongs to.
        let mut best: Option<(CaseStatusView, i64)> = None;
        for (id, view, opened) in candidates {
            if best.as_ref().is_some_and(|(_, at)| *at >= opened) {
                continue;
            }
            if self.claimant_ends_with(id, last4)? {
                best = Some((view, opened));
            }
        }
        Ok(best.map(|(v, _)| v))
    }

    /// Whether a current (not removed, not erased) claimant of `case` has a
    /// mobile ending in `last4`: his own, or that of the worker his record
    /// was merged into (`store/merge.rs`).
    fn claimant_ends_with(&self, case: CaseId, last4: &str) -> Result<bool> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT p.mobile FROM case_claimants k JOIN people p ON p.id = k.person_id
             WHERE k.case_id = ?1 AND k.removed = 0 AND p.erased IS NOT 1
             UNION ALL
             SELECT sp.mobile FROM case_claimants k
             JOIN person_survivor s ON s.id = k.person_id
             JOIN people sp ON sp.id = s.survivor
             WHERE k.case_id = ?1 AND k.removed = 0 AND sp.erased IS NOT 1",
        )?;
        let rows = stmt.query_map([case.as_bytes()], |r| r.get::<_, Option<String>>(0))?;
        for mobile in rows {
            if mobile?
                .and_then(Mobile::from_stored)
                .is_some_and(|m| m.last4() == last4)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Records a worker's own check-in at the kiosk, made by nobody (no
    /// staff member is signed in at a kiosk). With the mobile of a
    /// registered person the visit is theirs (a person never created here:
    /// the kiosk asks no name); one still here at this station (the one
    /// rule, [`crate::domain::day::is_here`]) gets the new services added to that visit instead
    /// of a second visit, so they are counted once. Without a mobile, or
    /// with one nobody registered, it is an anonymous headcount of one with
    /// this trade and these services. With a mobile several people share,
    /// nothing is recorded: [`KioskCheckIn::Shared`] lists them to choose
    /// from.
    pub fn kiosk_check_in(
        &mut self,
        mobile: Option<&Mobile>,
        trade: Trade,
        services: Services,
        now: DateTime<Utc>,
    ) -> Result<KioskCheckIn> {
        let Some(m) = mobile else {
            self.kiosk_anonymous(trade, services, now)?;
            return Ok(KioskCheckIn::Anonymous);
        };
        let mut people = self.people_by_mobile(m)?;
        match people.len() {
            0 => {
                self.kiosk_anonymous(trade, services, now)?;
                Ok(KioskCheckIn::Unregistered)
            }
            1 => {
                let person = people.remove(0);
                self.kiosk_visit(person.id, trade, services, now)?;
                Ok(KioskCheckIn::Known {
                    masked_name: mask_name(&person.details.name),
                })
            }
            _ => {
                let names: Vec<&str> = people.iter().map(|p| p.details.name.as_str()).collect();
                let masked = mask_names(&names);
                Ok(KioskCheckIn::Shared(
                    people
                        .iter()
                        .zip(masked)
                        .map(|(p, masked_name)| KioskHolder {
                            person: p.id,
                            masked_name,
                            trade: p.details.trade,
                        })
                        .collect(),
                ))
            }
        }
    }

    /// The check-in of `person`, chosen at the kiosk among the people who
    /// share `mobile`. Only one of them may be chosen: when `person` no
    /// longer has that number (changed at the desk meanwhile), the number
    /// is taken as typed again ([`Store::kiosk_check_in`]), so no other
    /// record can be checked in from the kiosk.
    pub fn kiosk_check_in_as(
        &mut self,
        mobile: &Mobile,
        person: PersonId,
        trade: Trade,
        services: Services,
        now: DateTime<Utc>,
    ) -> Result<KioskCheckIn> {
        let people = self.people_by_mobile(mobile)?;
        let Some(p) = people.iter().find(|p| p.id == person) else {
            return self.kiosk_check_in(Some(mobile), trade, services, now);
        };
        let masked_name = mask_name(&p.details.name);
        self.kiosk_visit(person, trade, services, now)?;
        Ok(KioskCheckIn::Known { masked_name })
    }

    /// An anonymous headcount of one.
    fn kiosk_anonymous(
        &mut self,
        trade: Trade,
        services: Services,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let station = self.require_station()?.id;
        let mut w = self.begin(None)?;
        w.record_visit(&Visit {
            id: VisitId::new(),
            station,
            person: None,
            headcount: 1,
            trade,
            services,
            arrived_at: now,
            // An anonymous visitor is nobody to mark leaving later.
            left_at: Some(now),
        })?;
        w.commit()
    }

    /// The visit of a registered person: a new one, or the services added
    /// to the one they are still here on.
    fn kiosk_visit(
        &mut self,
        person: PersonId,
        trade: Trade,
        services: Services,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let station = self.require_station()?.id;
        let tz = self.time_zone()?;
        let here = self
            .visits_of(person, 5)?
            .into_iter()
            .find(|v| v.station == station && v.is_here(now, tz));
        let mut w = self.begin(None)?;
        match here {
            Some(v) => {
                let more = Services::from_bits(v.services.bits() | services.bits());
                if more != v.services {
                    w.set_services(v.id, more)?;
                }
            }
            None => w.record_visit(&Visit::check_in(station, person, trade, services, now))?,
        }
        w.commit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::CaseType;
    use crate::domain::ids::PersonId;
    use crate::domain::money::Fen;
    use crate::domain::person::PersonInput;
    use crate::domain::staff::Role;
    use crate::domain::visit::Service;
    use crate::store::cases::{NewCase, StatusChange};

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        s
    }

    fn person(s: &mut Store, name: &str, mobile: &str) -> PersonId {
        let d = PersonInput {
            name: name.into(),
            mobile: mobile.into(),
            trade: Some(Trade::Courier),
            ..PersonInput::default()
        }
        .validate()
        .unwrap();
        let mut w = s.begin(None).unwrap();
        let id = w.add_person(&d).unwrap();
        w.commit().unwrap();
        id
    }

    fn case(s: &mut Store, claimants: Vec<PersonId>, handler: Option<&str>) -> (CaseId, String) {
        let mut w = s.begin(None).unwrap();
        let handler = handler.map(|n| w.add_staff(n, Role::Staff).unwrap());
        let (id, number) = w
            .open_case(&NewCase {
                case_type: CaseType::WageArrears,
                hardship_kind: None,
                claimants: claimants.into_iter().map(Into::into).collect(),
                respondent: Some("某某物流有限公司".into()),
                summary: Some("拖欠三个月工资".into()),
                claimed: Fen(1_697_400),
                handler,
                follow_up: None,
                opened_at: at(0),
            })
            .unwrap();
        w.commit().unwrap();
        (id, number.to_string())
    }

    #[test]
    fn names_are_masked_after_the_first_character() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name("王"), "王");
        assert_eq!(mask_name(" 欧阳娜娜 "), "欧***");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn case_numbers_as_workers_type_them() {
        let n = |s: &str| parse_case_number(s).map(|n| n.to_string());
        let want = Some("FT-2026-0042".to_owned());
        for s in [
            "FT-2026-0042",
            "ft-2026-42",
            " FT 2026 0042 ",
            "FT20260042",
            "ft202642",
            "ＦＴ－２０２６－００４２",
            "FT—2026—0042",
        ] {
            assert_eq!(n(s), want, "{s}");
        }
        for s in [
            "",
            "FT",
            "FT2026",
            "2026-0042",
            "FT-2026-0000",
            "FT 2026",
            "F T 2026 42",
        ] {
            assert_eq!(n(s), None, "{s}");
        }
        // Odd input is no number, and no panic.
        for s in [
            "FT🙂20260001",
            "FT١٢٣٤٥٦",
            "é20260001",
            "--",
            "   ",
            "FT 2026 0042 1",
            "张三",
        ] {
            assert_eq!(n(s), None, "{s}");
        }
        // A code with digits must keep its dashes.
        assert_eq!(n("ZB1-2026-0007"), Some("ZB1-2026-0007".to_owned()));
    }

    #[test]
    fn status_for_the_right_number_and_digits_only() {
        let mut s = store();
        let a = person(&mut s, "张三", "13812345678");
        let b = person(&mut s, "李四", "13900001111");
        let (_, number) = case(&mut s, vec![a, b], Some("王芳"));
        let view = s.case_status(&number, "5678").unwrap().unwrap();
        assert_eq!(view.number.to_string(), number);
        assert_eq!(view.status, CaseStatus::New);
        assert_eq!(view.handler_initial.as_deref(), Some("王"));
        // Any current claimant's digits will do, and the number may be
        // typed without dashes, in lower case.
        assert!(
            s.case_status(&number.to_lowercase(), "1111")
                .unwrap()
                .is_some()
        );
        assert!(
            s.case_status(&number.replace('-', ""), " 1111 ")
                .unwrap()
                .is_some()
        );
        // Wrong digits, no such case, malformed input: all the same None.
        for (n, d) in [
            (number.as_str(), "5679"),
            (number.as_str(), "0000"),
            ("FT-2026-9999", "5678"),
            ("XX-2026-0001", "5678"),
            ("garbage", "5678"),
            (number.as_str(), "678"),
            (number.as_str(), "56789"),
            (number.as_str(), "56a8"),
            (number.as_str(), ""),
        ] {
            assert_eq!(s.case_status(n, d).unwrap(), None, "{n} {d}");
        }
    }

    #[test]
    fn a_removed_or_erased_claimant_no_longer_opens_the_case() {
        let mut s = store();
        let a = person(&mut s, "张三", "13812345678");
        let b = person(&mut s, "李四", "13900001111");
        let (id, number) = case(&mut s, vec![a, b], None);
        assert_eq!(
            s.case_status(&number, "1111")
                .unwrap()
                .unwrap()
                .handler_initial,
            None
        );
        let mut w = s.begin(None).unwrap();
        w.remove_claimant(id, b).unwrap();
        w.commit().unwrap();
        assert_eq!(s.case_status(&number, "1111").unwrap(), None);
        assert!(s.case_status(&number, "5678").unwrap().is_some());
        let admin = s.create_first_admin("管理员", "2468").unwrap();
        assert_eq!(s.session(), Some(&admin));
        s.erase_person(a).unwrap();
        s.set_session(None);
        assert_eq!(s.case_status(&number, "5678").unwrap(), None);
    }

    #[test]
    fn the_view_carries_what_the_next_step_needs() {
        let mut s = store();
        let a = person(&mut s, "张三", "13812345678");
        let (id, number) = case(&mut s, vec![a], Some("Li Hua"));
        let follow = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let mut w = s.begin(None).unwrap();
        w.set_status(id, StatusChange::To(CaseStatus::Waiting), at(60))
            .unwrap();
        w.refer(id, Some(Referral::Arbitration)).unwrap();
        w.set_follow_up(id, Some(follow)).unwrap();
        w.commit().unwrap();
        let v = s.case_status(&number, "5678").unwrap().unwrap();
        assert_eq!(v.status, CaseStatus::Waiting);
        assert_eq!(v.referral, Some(Referral::Arbitration));
        assert_eq!(v.follow_up, Some(follow));
        assert_eq!(v.handler_initial.as_deref(), Some("L"));
    }

    #[test]
    fn the_lookup_reads_the_number_index() {
        let s = store();
        let plan: Vec<String> = s
            .conn()
            .prepare(
                "EXPLAIN QUERY PLAN SELECT c.id FROM cases c INDEXED BY cases_by_number
                 WHERE c.code = ?1 AND c.year = ?2 AND c.seq = ?3",
            )
            .unwrap()
            .query_map(params!["FT", 2026, 42], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(plan.iter().all(|p| !p.starts_with("SCAN")), "{plan:?}");
        let plan: Vec<String> = s
            .conn()
            .prepare(
                "EXPLAIN QUERY PLAN SELECT p.mobile FROM case_claimants k
                 JOIN people p ON p.id = k.person_id
                 WHERE k.case_id = ?1 AND k.removed = 0 AND p.erased IS NOT 1",
            )
            .unwrap()
            .query_map([vec![0u8; 16]], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(plan.iter().all(|p| !p.starts_with("SCAN")), "{plan:?}");
    }

    #[test]
    fn a_known_phone_checks_its_person_in_once_and_unknown_ones_anonymously() {
        let mut s = store();
        let a = person(&mut s, "张三丰", "13812345678");
        let water: Services = [Service::Water].into_iter().collect();
        let charge: Services = [Service::Charging].into_iter().collect();
        let m = Mobile::parse("13812345678").unwrap();
        let got = s
            .kiosk_check_in(Some(&m), Trade::FoodDelivery, water, at(0))
            .unwrap();
        assert_eq!(
            got,
            KioskCheckIn::Known {
                masked_name: "张**".into()
            }
        );
        let visits = s.visits_of(a, 10).unwrap();
        assert_eq!(visits.len(), 1);
        assert_eq!(visits[0].trade, Trade::FoodDelivery);
        assert_eq!(visits[0].services, water);
        assert!(visits[0].is_present());
        // Checking in again while still here adds the services instead of
        // counting them twice.
        s.kiosk_check_in(Some(&m), Trade::FoodDelivery, charge, at(60))
            .unwrap();
        let visits = s.visits_of(a, 10).unwrap();
        assert_eq!(visits.len(), 1);
        assert!(visits[0].services.contains(Service::Charging));
        assert!(visits[0].services.contains(Service::Water));
        // Nobody is signed in: the visit was made by nobody.
        let actor: Option<Vec<u8>> = s
            .conn()
            .query_row(
                "SELECT actor FROM ops WHERE entity = ?1 ORDER BY hlc DESC LIMIT 1",
                [crate::store::Entity::Visit.code()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(actor, None);

        let before = s.headcount_on(at(0).date_naive()).unwrap();
        let unknown = Mobile::parse("13700000000").unwrap();
        for (m, said) in [
            (Some(&unknown), KioskCheckIn::Unregistered),
            (None, KioskCheckIn::Anonymous),
        ] {
            assert_eq!(
                s.kiosk_check_in(m, Trade::Sanitation, water, at(120))
                    .unwrap(),
                said
            );
        }
        assert_eq!(s.headcount_on(at(0).date_naive()).unwrap(), before + 2);
        assert_eq!(s.people_by_mobile(&unknown).unwrap(), [], "no person made");
        let tally: (i64, String, i64) = s
            .conn()
            .query_row(
                "SELECT headcount, trade, services FROM visits
                 WHERE person_id IS NULL ORDER BY arrived_at LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(tally, (1, "sanitation".into(), i64::from(water.bits())));
    }

    #[test]
    fn names_alike_in_a_list_show_their_last_character() {
        assert_eq!(mask_names(&["刘洋", "王芳"]), ["刘*", "王*"]);
        assert_eq!(mask_names(&["刘建国", "刘建军"]), ["刘*国", "刘*军"]);
        // Only the ones alike; a two-character name keeps its given name.
        assert_eq!(
            mask_names(&["刘建国", "刘洋", "刘小军", "王芳"]),
            ["刘*国", "刘*", "刘*军", "王*"]
        );
        assert_eq!(mask_names(&["刘洋", "刘明"]), ["刘*", "刘*"]);
    }

    #[test]
    fn a_shared_phone_records_nothing_until_one_of_them_is_chosen() {
        let mut s = store();
        let father = person(&mut s, "刘建国", "13812345678");
        let son = person(&mut s, "刘建军", "13812345678");
        let other = person(&mut s, "王芳", "13900001111");
        let m = Mobile::parse("13812345678").unwrap();
        let water: Services = [Service::Water].into_iter().collect();
        let day = at(0).date_naive();
        let before = s.headcount_on(day).unwrap();
        let got = s
            .kiosk_check_in(Some(&m), Trade::Courier, water, at(0))
            .unwrap();
        let KioskCheckIn::Shared(list) = got else {
            panic!("{got:?}")
        };
        assert_eq!(
            list.iter()
                .map(|h| (h.person, h.masked_name.as_str()))
                .collect::<Vec<_>>(),
            [(father, "刘*国"), (son, "刘*军")],
            "oldest registration first"
        );
        assert_eq!(s.headcount_on(day).unwrap(), before, "nothing recorded");

        let got = s
            .kiosk_check_in_as(&m, son, Trade::Courier, water, at(10))
            .unwrap();
        assert_eq!(
            got,
            KioskCheckIn::Known {
                masked_name: "刘**".into()
            }
        );
        assert_eq!(s.visits_of(son, 5).unwrap().len(), 1);
        assert!(s.visits_of(father, 5).unwrap().is_empty());
        // Someone without that number cannot be checked in through it:
        // the number is taken as typed again.
        let got = s
            .kiosk_check_in_as(&m, other, Trade::Courier, water, at(20))
            .unwrap();
        assert!(matches!(got, KioskCheckIn::Shared(_)), "{got:?}");
        assert!(s.visits_of(other, 5).unwrap().is_empty());
        assert_eq!(s.headcount_on(day).unwrap(), before + 1);
    }
}
