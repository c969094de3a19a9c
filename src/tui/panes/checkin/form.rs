//! The check-in form: the "find / phone" field with its matches, the
//! person's details, the arrival time and the services of this visit.
//! Pure state: the pane reads and writes the store around it.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use tui_input::InputRequest;
use unicode_normalization::UnicodeNormalization;

use crate::domain::ids::PersonId;
use crate::domain::person::{Person, PersonDetails, PersonField, PersonInput, Trade};
use crate::domain::visit::{Service, Services};
use crate::i18n::{Lang, Localized};
use crate::t;
use crate::tui::action::Action;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::picker::{Picker, PickerKind};

/// Indexes of the fields of [`CheckinForm::fields`].
pub const NAME: usize = 0;
pub const MOBILE: usize = 1;
pub const RESIDENT_ID: usize = 2;
pub const TRADE: usize = 3;
pub const EMPLOYER: usize = 4;
pub const UNION: usize = 5;
pub const ARRIVAL: usize = 6;
/// How many fields follow the find field.
pub const FIELDS: usize = 7;

/// How many people the find field offers.
pub const HITS: usize = 8;

/// Where the keyboard is in the form, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The find / phone field.
    Find,
    /// One of the fields, by index.
    Field(usize),
    /// The services: single keys toggle them.
    Services,
}

/// A registered person picked in the find field (or jumped to).
#[derive(Debug, Clone)]
pub struct Known {
    pub id: PersonId,
    pub details: PersonDetails,
    pub last_visit: Option<DateTime<Utc>>,
    /// The names of the others registered with their mobile number (a
    /// family sharing a phone).
    pub shares_with: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CheckinForm {
    lang: Lang,
    pub find: Picker,
    pub fields: Form,
    pub stop: Stop,
    pub services: Services,
    pub known: Option<Known>,
    /// The mobile field shows a stored number masked; typing replaces it.
    pub masked_mobile: bool,
    /// The ID field shows a stored number masked; typing replaces it.
    pub masked_id: bool,
    /// Whether the arrival time was typed (otherwise it is "now").
    pub arrival_edited: bool,
    /// Whether anything was typed or picked since the form was cleared.
    pub touched: bool,
    /// Whether a person's detail (name, numbers, trade, employer,
    /// membership) was typed or changed since the form was cleared or a
    /// person picked: picking someone would lose it.
    pub person_edited: bool,
    /// Beside the mobile: the number is someone else's too. Shown by a
    /// save, which saved nothing; see [`CheckinForm::shared_ok`].
    pub mobile_warning: Option<String>,
    /// The number that warning was about: a second save with it unchanged
    /// registers the person with it (a family sharing a phone). Typing in
    /// the mobile field forgets it.
    pub shared_ok: Option<String>,
    /// Beside the name of a new person: people with exactly that name are
    /// registered already. Set when the name field is left or on saving;
    /// typing in the name field clears it.
    pub namesakes: Option<String>,
    /// Beside the field that matched (name, mobile or ID): a registered
    /// worker the new person's details may be (`store::likely_same`).
    /// Worked out when a field of a new person is left and on saving;
    /// typing in a person's field clears it.
    pub likely: Option<LikelyNote>,
    /// The worker a first save warned about: a second save with the
    /// details unchanged registers the new person anyway.
    pub likely_ok: Option<PersonId>,
}

/// A registered worker a new person may be, as said beside a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikelyNote {
    pub id: PersonId,
    /// The field it is shown beside.
    pub field: usize,
    pub text: String,
}

impl CheckinForm {
    pub fn new(lang: Lang) -> CheckinForm {
        let mut find = Picker::new(PickerKind::People, t!(lang, "checkin.f_find"));
        find.field.hint = Some(t!(lang, "checkin.hint_find").to_owned());
        find.limit = HITS;
        find.with_sharers = true;
        let trades = Trade::ALL
            .iter()
            .map(|t| t.label(lang).to_owned())
            .collect();
        let other = Trade::ALL
            .iter()
            .position(|t| *t == Trade::Other)
            .unwrap_or(0);
        let fields = Form::new(vec![
            Field::text(t!(lang, "checkin.f_name"), ""),
            Field::text(t!(lang, "checkin.f_mobile"), "")
                .with_hint(t!(lang, "checkin.hint_mobile")),
            Field::text(t!(lang, "checkin.f_resident_id"), "")
                .with_hint(t!(lang, "checkin.hint_resident_id")),
            Field::choice(t!(lang, "checkin.f_trade"), trades, other),
            Field::text(t!(lang, "checkin.f_employer"), "")
                .with_hint(t!(lang, "checkin.hint_employer")),
            Field::check(t!(lang, "checkin.f_union"), false),
            Field::text(t!(lang, "checkin.f_arrival"), "")
                .with_hint(t!(lang, "checkin.hint_arrival")),
        ]);
        CheckinForm {
            lang,
            find,
            fields,
            stop: Stop::Find,
            services: Services::EMPTY,
            known: None,
            masked_mobile: false,
            masked_id: false,
            arrival_edited: false,
            touched: false,
            person_edited: false,
            mobile_warning: None,
            shared_ok: None,
            namesakes: None,
            likely: None,
            likely_ok: None,
        }
    }

    /// Empties the form, focus on the find field.
    pub fn clear(&mut self) {
        *self = CheckinForm::new(self.lang);
    }

    pub fn field(&self, i: usize) -> Option<&Field> {
        self.fields.fields.get(i)
    }

    fn field_mut(&mut self, i: usize) -> Option<&mut Field> {
        self.fields.fields.get_mut(i)
    }

    /// The typed text of field `i`.
    pub fn text(&self, i: usize) -> &str {
        self.field(i).map_or("", Field::text_value)
    }

    fn set_text(&mut self, i: usize, s: &str) {
        if let Some(f) = self.field_mut(i) {
            f.set_text(s);
            f.error = None;
        }
    }

    /// The chosen trade.
    pub fn trade(&self) -> Trade {
        let i = self.field(TRADE).map_or(0, Field::selected);
        Trade::ALL.get(i).copied().unwrap_or(Trade::Other)
    }

    /// Whether keys type into a text field now.
    pub fn typing(&self) -> bool {
        match self.stop {
            Stop::Find => true,
            Stop::Field(i) => self.field(i).is_some_and(Field::is_text),
            Stop::Services => false,
        }
    }

    /// Whether the matches of the find field show under it.
    pub fn dropdown(&self) -> bool {
        self.stop == Stop::Find && !self.find.query().trim().is_empty()
    }

    /// Whether the focused stop is a choice or a yes/no field.
    /// Chooses the trade (its key in the trade field, as in the tally row
    /// and at the kiosk).
    pub fn pick_trade(&mut self, t: Trade) {
        let n = Trade::ALL.iter().position(|x| *x == t).unwrap_or(0);
        if let Some(f) = self.field_mut(TRADE)
            && f.selected() != n
        {
            f.select(n);
            self.touched = true;
            self.person_edited = true;
            self.forget_notes(TRADE);
        }
    }

    /// Whether the focus is on the trade field.
    pub fn on_trade(&self) -> bool {
        self.stop == Stop::Field(TRADE)
    }

    pub fn on_choice(&self) -> bool {
        matches!(self.stop, Stop::Field(i) if self.field(i).is_some_and(|f| !f.is_text()))
    }

    /// Moves to `stop`; entering the arrival time fills in "now" to edit.
    pub fn go(&mut self, stop: Stop, now: DateTime<Utc>, tz: Tz) {
        self.stop = stop;
        if let Stop::Field(i) = stop {
            self.fields.focus = i;
            if i == ARRIVAL && !self.arrival_edited {
                let s = now_text(now, tz);
                self.set_text(ARRIVAL, &s);
            }
        }
    }

    /// The stop after this one (wrapping).
    pub fn next_stop(&self) -> Stop {
        match self.stop {
            Stop::Find => Stop::Field(0),
            Stop::Field(i) if i + 1 < FIELDS => Stop::Field(i + 1),
            Stop::Field(_) => Stop::Services,
            Stop::Services => Stop::Find,
        }
    }

    /// The stop before this one (wrapping).
    pub fn prev_stop(&self) -> Stop {
        match self.stop {
            Stop::Find => Stop::Services,
            Stop::Field(0) => Stop::Find,
            Stop::Field(i) => Stop::Field(i - 1),
            Stop::Services => Stop::Field(FIELDS - 1),
        }
    }

    /// Typing, caret moves, ←/→ on a choice, ↑/↓ in the matches.
    pub fn edit(&mut self, action: &Action) {
        match self.stop {
            // A lookup is no unsaved input: quitting after only a search
            // asks nothing (what was typed into the fields does count).
            Stop::Find => {
                self.find.handle(action);
            }
            Stop::Field(i) => {
                if let Action::Edit(req) = action
                    && self.unmask(i, *req)
                {
                    return;
                }
                let before = self
                    .field(i)
                    .map(|f| (f.text_value().to_owned(), f.selected(), f.checked()));
                self.fields.focus = i;
                self.fields.handle(action);
                let after = self
                    .field(i)
                    .map(|f| (f.text_value().to_owned(), f.selected(), f.checked()));
                if before != after {
                    self.touched = true;
                    self.forget_notes(i);
                    if i == ARRIVAL {
                        self.arrival_edited = true;
                    } else {
                        self.person_edited = true;
                    }
                }
            }
            Stop::Services => {}
        }
    }

    /// What was said about field `i`'s value no longer holds once it is
    /// typed over: the warning of a shared number (and its confirmation),
    /// the hint of namesakes.
    fn forget_notes(&mut self, i: usize) {
        if matches!(i, NAME | MOBILE | RESIDENT_ID | TRADE | EMPLOYER) {
            self.likely = None;
            self.likely_ok = None;
        }
        match i {
            MOBILE => {
                self.mobile_warning = None;
                self.shared_ok = None;
            }
            NAME => self.namesakes = None,
            _ => {}
        }
    }

    /// Whether the mobile field still holds the known person's number on
    /// file (masked, or shown in full and not typed over).
    pub fn mobile_on_file(&self) -> bool {
        let stored = self.known.as_ref().and_then(|k| k.details.mobile.as_ref());
        match stored {
            Some(m) => self.masked_mobile || self.text(MOBILE) == m.as_str(),
            None => false,
        }
    }

    /// Space on a choice or a yes/no field.
    pub fn toggle(&mut self) {
        if self.on_choice() {
            self.edit(&Action::Right);
        }
    }

    /// The first edit of a masked stored number replaces it. Returns
    /// whether the edit was used.
    fn unmask(&mut self, i: usize, req: InputRequest) -> bool {
        let masked = match i {
            MOBILE => &mut self.masked_mobile,
            RESIDENT_ID => &mut self.masked_id,
            _ => return false,
        };
        if !*masked {
            return false;
        }
        use InputRequest as R;
        match req {
            R::SetCursor(_)
            | R::GoToPrevChar
            | R::GoToNextChar
            | R::GoToPrevWord
            | R::GoToNextWord
            | R::GoToStart
            | R::GoToEnd => return true,
            _ => {}
        }
        *masked = false;
        self.touched = true;
        self.person_edited = true;
        self.forget_notes(i);
        self.set_text(i, "");
        if let Some(f) = self.field_mut(i)
            && matches!(req, R::InsertChar(_) | R::Yank)
        {
            f.edit(req);
        }
        true
    }

    /// Toggles service `s`; enrolling in the union here also ticks "union
    /// member".
    pub fn toggle_service(&mut self, s: Service) {
        self.services.toggle(s);
        self.touched = true;
        if s == Service::UnionEnrolment
            && self.services.contains(s)
            && let Some(f) = self.field_mut(UNION)
        {
            f.set_checked(true);
        }
    }

    /// Takes what was typed in the find field as a new person: digits go
    /// to the mobile, an ID-like text to the ID number, a name (with a
    /// Chinese character, say) to the name. Latin letters alone are pinyin
    /// or initials searched for, not a name: the name is left empty (see
    /// [`letters_only`]). Returns the stop to go to next.
    pub fn carry(&mut self) -> Stop {
        let q = self.find.query().trim().to_owned();
        self.find.clear();
        if q.is_empty() {
            return Stop::Field(NAME);
        }
        if self.known.is_some() {
            // The details shown are someone else's.
            self.clear_person();
        }
        self.touched = true;
        let kind = kind_of(&q);
        if kind != Typed::Letters {
            self.person_edited = true;
        }
        match kind {
            Typed::Phone => {
                self.set_text(MOBILE, &q);
                self.forget_notes(MOBILE);
                self.masked_mobile = false;
                Stop::Field(NAME)
            }
            Typed::ResidentId => {
                self.set_text(RESIDENT_ID, &q);
                self.masked_id = false;
                Stop::Field(NAME)
            }
            Typed::Name => {
                self.set_text(NAME, &q);
                self.forget_notes(NAME);
                Stop::Field(MOBILE)
            }
            Typed::Letters => Stop::Field(NAME),
        }
    }

    /// Empties the person's fields (not the visit's).
    fn clear_person(&mut self) {
        let fresh = CheckinForm::new(self.lang);
        for i in [NAME, MOBILE, RESIDENT_ID, TRADE, EMPLOYER, UNION] {
            if let (Some(f), Some(new)) =
                (self.fields.fields.get_mut(i), fresh.fields.fields.get(i))
            {
                *f = new.clone();
            }
        }
        self.known = None;
        self.masked_mobile = false;
        self.masked_id = false;
        self.mobile_warning = None;
        self.shared_ok = None;
        self.namesakes = None;
        self.likely = None;
        self.likely_ok = None;
    }

    /// Whether a stored number shows masked.
    pub fn masked(&self) -> bool {
        self.masked_mobile || self.masked_id
    }

    /// Shows the stored numbers of the known person in full (the caller
    /// has checked the role and noted it in the audit log).
    pub fn reveal(&mut self) {
        let Some(d) = self.known.as_ref().map(|k| k.details.clone()) else {
            return;
        };
        if self.masked_mobile
            && let Some(m) = &d.mobile
        {
            self.set_text(MOBILE, m.as_str());
            self.masked_mobile = false;
        }
        if self.masked_id
            && let Some(r) = &d.resident_id
        {
            self.set_text(RESIDENT_ID, r.as_str());
            self.masked_id = false;
        }
    }

    /// Masks again the numbers [`CheckinForm::reveal`] showed (someone else
    /// signed in at the lock), unless they were edited since.
    pub fn mask_again(&mut self) {
        let Some(d) = self.known.as_ref().map(|k| k.details.clone()) else {
            return;
        };
        if !self.masked_mobile
            && let Some(m) = &d.mobile
            && self.text(MOBILE) == m.as_str()
        {
            self.set_text(MOBILE, &m.masked());
            self.masked_mobile = true;
        }
        if !self.masked_id
            && let Some(r) = &d.resident_id
            && self.text(RESIDENT_ID) == r.as_str()
        {
            self.set_text(RESIDENT_ID, &r.masked());
            self.masked_id = true;
        }
    }

    /// Fills the form with a registered person; the stored numbers show
    /// masked. `shares_with`: the names of the others registered with
    /// their mobile number.
    pub fn prefill(
        &mut self,
        p: Person,
        last_visit: Option<DateTime<Utc>>,
        shares_with: Vec<String>,
    ) {
        self.clear_person();
        self.find.clear();
        let d = &p.details;
        self.set_text(NAME, &d.name);
        if let Some(m) = &d.mobile {
            self.set_text(MOBILE, &m.masked());
            self.masked_mobile = true;
        }
        if let Some(r) = &d.resident_id {
            self.set_text(RESIDENT_ID, &r.masked());
            self.masked_id = true;
        }
        let trade = Trade::ALL.iter().position(|t| *t == d.trade).unwrap_or(0);
        if let Some(f) = self.field_mut(TRADE) {
            f.select(trade);
        }
        self.set_text(EMPLOYER, d.employer.as_deref().unwrap_or(""));
        if let Some(f) = self.field_mut(UNION) {
            f.set_checked(d.union_member);
        }
        self.known = Some(Known {
            id: p.id,
            details: p.details,
            last_visit,
            shares_with,
        });
        self.touched = true;
        self.person_edited = false;
    }

    /// What picking another person would lose, as the question names it:
    /// the name typed, else the number, else "no name yet". `None` when
    /// no person's detail was typed (the services and the arrival time
    /// stay through a pick anyway).
    pub fn draft(&self, lang: Lang) -> Option<String> {
        if !self.person_edited {
            return None;
        }
        let typed = [NAME, MOBILE, RESIDENT_ID]
            .into_iter()
            .map(|i| self.text(i).trim())
            .find(|t| !t.is_empty());
        Some(typed.map_or_else(
            || t!(lang, "checkin.draft_unnamed").to_owned(),
            str::to_owned,
        ))
    }

    /// The name typed for a new person, when it is the only detail typed
    /// (no number, no employer, the trade and membership as a fresh form
    /// has them): picking someone of that name loses nothing.
    pub fn only_name(&self) -> Option<&str> {
        let fresh = CheckinForm::new(self.lang);
        let untouched = [MOBILE, RESIDENT_ID, EMPLOYER]
            .into_iter()
            .all(|i| self.text(i).trim().is_empty())
            && self.trade() == fresh.trade()
            && self.field(UNION).is_some_and(Field::checked)
                == fresh.field(UNION).is_some_and(Field::checked);
        let name = self.text(NAME).trim();
        (self.known.is_none() && untouched && !name.is_empty()).then_some(name)
    }

    /// What was typed, as the domain takes it (masked numbers stand for
    /// the stored ones). Enrolling in the union here dates the membership.
    pub fn person_input(&self, today: NaiveDate) -> PersonInput {
        let known = self.known.as_ref().map(|k| &k.details);
        let mobile = match known.and_then(|d| d.mobile.as_ref()) {
            Some(m) if self.masked_mobile => m.as_str().to_owned(),
            _ => self.text(MOBILE).to_owned(),
        };
        let resident_id = match known.and_then(|d| d.resident_id.as_ref()) {
            Some(r) if self.masked_id => r.as_str().to_owned(),
            _ => self.text(RESIDENT_ID).to_owned(),
        };
        let joined = known.and_then(|d| d.union_joined).or_else(|| {
            self.services
                .contains(Service::UnionEnrolment)
                .then_some(today)
        });
        PersonInput {
            name: self.text(NAME).to_owned(),
            mobile,
            resident_id,
            trade: Some(self.trade()),
            employer: self.text(EMPLOYER).to_owned(),
            union_member: self.field(UNION).is_some_and(Field::checked),
            union_joined: joined,
        }
    }

    /// The arrival time: now, or the time typed today (not later than now).
    pub fn arrival(&self, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, String> {
        if !self.arrival_edited {
            return Ok(now);
        }
        let lang = self.lang;
        let today = now.with_timezone(&tz).date_naive();
        let (day, time) = crate::domain::dates::parse_day_time(self.text(ARRIVAL), today)
            .map_err(|e| e.localized(lang))?;
        let at = tz
            .from_local_datetime(&day.and_time(time))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| t!(lang, "checkin.arrival_bad").to_owned())?;
        if at > now {
            return Err(t!(lang, "checkin.arrival_future").to_owned());
        }
        // A visit that began before midnight is entered as `昨天 23:50`;
        // an older one is no arrival to record now.
        if now - at > chrono::Duration::hours(24) {
            return Err(t!(lang, "checkin.arrival_old").to_owned());
        }
        Ok(at)
    }

    /// Shows a refusal next to its field and moves there.
    pub fn refuse(&mut self, i: usize, message: String) {
        self.fields.refuse(i, message);
        self.stop = Stop::Field(self.fields.focus);
    }

    /// The field a validation error belongs to.
    pub fn field_of(f: PersonField) -> usize {
        match f {
            PersonField::Name => NAME,
            PersonField::Mobile => MOBILE,
            PersonField::ResidentId => RESIDENT_ID,
            PersonField::Employer => EMPLOYER,
        }
    }
}

/// The local time of day, as the arrival field shows it.
pub fn now_text(now: DateTime<Utc>, tz: Tz) -> String {
    now.with_timezone(&tz).format("%H:%M").to_string()
}

/// What a query typed in the find field looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typed {
    Phone,
    ResidentId,
    /// Pinyin or initials ("zs", "zhang san"): a search, not a name.
    Letters,
    Name,
}

/// Whether a query is Latin letters (and spaces) only, as pinyin or
/// initials are typed; full-width letters count as their ASCII forms, as
/// the lookup takes them.
pub fn letters_only(q: &str) -> bool {
    let q: String = q.nfkc().collect();
    q.chars().any(|c| c.is_ascii_alphabetic())
        && q.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
}

fn kind_of(q: &str) -> Typed {
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let digits = q.chars().filter(|c| digit(*c)).count();
    if digits == 0 {
        return if letters_only(q) {
            Typed::Letters
        } else {
            Typed::Name
        };
    }
    if q.chars()
        .all(|c| digit(c) || matches!(c, ' ' | '-' | '+' | '(' | ')'))
    {
        return if digits >= 15 {
            Typed::ResidentId
        } else {
            Typed::Phone
        };
    }
    let last_x = q.ends_with(['x', 'X']) && q.chars().count() >= 15;
    if last_x && q.chars().rev().skip(1).all(|c| digit(c) || c == ' ') {
        return Typed::ResidentId;
    }
    Typed::Name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Mobile;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap()
    }

    fn type_in(f: &mut CheckinForm, s: &str) {
        for c in s.chars() {
            f.edit(&Action::Edit(InputRequest::InsertChar(c)));
        }
    }

    #[test]
    fn queries_are_carried_to_the_right_field() {
        assert_eq!(kind_of("13812345678"), Typed::Phone);
        assert_eq!(kind_of("138 1234-5678"), Typed::Phone);
        assert_eq!(kind_of("11010519491231002X"), Typed::ResidentId);
        assert_eq!(kind_of("张三"), Typed::Name);
        assert_eq!(kind_of("zs"), Typed::Letters);
        assert_eq!(kind_of("zhang san"), Typed::Letters);
        assert_eq!(kind_of("ＺＳ"), Typed::Letters);
        assert_eq!(kind_of("张san"), Typed::Name);
        assert_eq!(kind_of("阿依·买买提"), Typed::Name);
        let mut f = CheckinForm::new(Lang::ZhCn);
        type_in(&mut f, "13812345678");
        let to = f.carry();
        assert_eq!(to, Stop::Field(NAME));
        assert_eq!(f.text(MOBILE), "13812345678");
        assert_eq!(f.find.query(), "");
        f.stop = to;
        type_in(&mut f, "王五");
        assert_eq!(f.text(NAME), "王五");
        f.stop = Stop::Find;
        type_in(&mut f, "李四");
        assert_eq!(f.carry(), Stop::Field(MOBILE));
        assert_eq!(f.text(NAME), "李四");
        // Initials are what was searched for, not the new person's name.
        let mut f = CheckinForm::new(Lang::ZhCn);
        type_in(&mut f, "zs");
        assert_eq!(f.carry(), Stop::Field(NAME));
        assert_eq!(f.text(NAME), "");
        assert_eq!(f.find.query(), "");
    }

    #[test]
    fn a_masked_number_stands_for_the_stored_one_until_typed_over() {
        let mut f = CheckinForm::new(Lang::En);
        let details = PersonInput {
            name: "张三".into(),
            mobile: "13812345678".into(),
            resident_id: "11010519491231002X".into(),
            ..PersonInput::default()
        }
        .validate()
        .unwrap();
        f.prefill(
            Person {
                id: PersonId::new(),
                details: details.clone(),
            },
            None,
            Vec::new(),
        );
        assert_eq!(f.text(MOBILE), "138****5678");
        assert_eq!(f.text(RESIDENT_ID), "**************002X");
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(f.person_input(today).validate().unwrap(), details);
        f.stop = Stop::Field(MOBILE);
        f.edit(&Action::Edit(InputRequest::GoToStart));
        assert_eq!(f.text(MOBILE), "138****5678");
        type_in(&mut f, "13900001111");
        assert_eq!(f.text(MOBILE), "13900001111");
        let d = f.person_input(today).validate().unwrap();
        assert_eq!(d.mobile, Mobile::parse("13900001111").ok());
        assert_eq!(d.resident_id, details.resident_id);
    }

    #[test]
    fn arrival_is_now_unless_typed_and_never_in_the_future() {
        let tz = chrono_tz::Asia::Shanghai;
        let mut f = CheckinForm::new(Lang::En);
        assert_eq!(f.arrival(now(), tz), Ok(now()));
        f.go(Stop::Field(ARRIVAL), now(), tz);
        assert_eq!(f.text(ARRIVAL), "16:00");
        f.edit(&Action::Edit(InputRequest::DeletePrevChar));
        f.edit(&Action::Edit(InputRequest::DeletePrevChar));
        type_in(&mut f, "30");
        assert!(f.arrival(now(), tz).is_err(), "16:30 is later than now");
        f.edit(&Action::Edit(InputRequest::DeleteLine));
        type_in(&mut f, "9:05");
        assert_eq!(
            f.arrival(now(), tz),
            Ok(Utc.with_ymd_and_hms(2026, 11, 20, 1, 5, 0).unwrap())
        );
        f.edit(&Action::Edit(InputRequest::DeleteLine));
        type_in(&mut f, "25:00");
        assert!(f.arrival(now(), tz).is_err());
        // A visit that began before midnight, typed at 02:15.
        let small_hours = Utc.with_ymd_and_hms(2026, 11, 20, 18, 15, 0).unwrap();
        f.edit(&Action::Edit(InputRequest::DeleteLine));
        type_in(&mut f, "昨天 23:50");
        assert_eq!(
            f.arrival(small_hours, tz),
            Ok(Utc.with_ymd_and_hms(2026, 11, 20, 15, 50, 0).unwrap())
        );
        // More than a day back is no arrival to record now.
        f.edit(&Action::Edit(InputRequest::DeleteLine));
        type_in(&mut f, "前天 23:50");
        assert!(f.arrival(small_hours, tz).is_err());
    }

    #[test]
    fn enrolling_here_ticks_membership_and_dates_it() {
        let mut f = CheckinForm::new(Lang::ZhCn);
        f.toggle_service(Service::UnionEnrolment);
        assert!(f.field(UNION).unwrap().checked());
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(f.person_input(today).union_joined, Some(today));
    }

    #[test]
    fn tab_order_wraps_through_services() {
        let mut f = CheckinForm::new(Lang::ZhCn);
        let mut seen = vec![f.stop];
        for _ in 0..FIELDS + 1 {
            f.stop = f.next_stop();
            seen.push(f.stop);
        }
        assert_eq!(seen.last(), Some(&Stop::Services));
        assert_eq!(f.next_stop(), Stop::Find);
        f.stop = Stop::Find;
        assert_eq!(f.prev_stop(), Stop::Services);
    }

    #[test]
    fn a_draft_is_what_a_pick_would_lose() {
        let mut f = CheckinForm::new(Lang::En);
        assert_eq!(f.draft(Lang::En), None);
        // Services and the arrival time stay through a pick: no draft.
        f.toggle_service(Service::Water);
        assert_eq!(f.draft(Lang::En), None);
        // Initials searched for are no draft either.
        type_in(&mut f, "zs");
        f.carry();
        assert_eq!(f.draft(Lang::En), None);
        f.stop = Stop::Field(MOBILE);
        type_in(&mut f, "13711112222");
        assert_eq!(f.draft(Lang::En).as_deref(), Some("13711112222"));
        f.stop = Stop::Field(NAME);
        type_in(&mut f, "草稿人");
        assert_eq!(f.draft(Lang::En).as_deref(), Some("草稿人"));
        // A person picked: nothing typed over yet.
        let details = PersonInput {
            name: "张三".into(),
            ..PersonInput::default()
        }
        .validate()
        .unwrap();
        f.prefill(
            Person {
                id: PersonId::new(),
                details,
            },
            None,
            Vec::new(),
        );
        assert_eq!(f.draft(Lang::En), None);
        f.stop = Stop::Field(EMPLOYER);
        type_in(&mut f, "京东");
        assert_eq!(f.draft(Lang::En).as_deref(), Some("张三"));
    }
}
