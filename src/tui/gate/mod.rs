//! The sign-in screen in front of the console: who you are, then your PIN.
//! A database where nobody can sign in asks for its first admin instead.
//! Locking (Ctrl-L, or idle time) puts the screen back in front of the
//! panes, which keep whatever was typed in them; the person who locked is
//! chosen already.

mod draw;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyCode;

use super::action::Action;
use super::keymap::{Binding, Key, bind};
use super::widgets::field::Field;
use super::widgets::form::Form;
use crate::domain::access::Session;
use crate::domain::staff::Staff;
use crate::i18n::{Lang, Localized};
use crate::store::SignInError;
use crate::store::{Store, StoreError};
use crate::t;

pub use draw::draw;

/// Scopes of the screen's keys.
pub const LIST: &str = "signin.list";
pub const PIN: &str = "signin.pin";
pub const FIRST: &str = "signin.first";

/// Fields of the first-admin form.
const NAME: usize = 0;
const FIRST_PIN: usize = 1;
const AGAIN: usize = 2;

/// The screen's keys.
#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    vec![
        bind(LIST, &[p(Up)], Action::Up, "key.up", false),
        bind(LIST, &[p(Down)], Action::Down, "key.down", false),
        bind(LIST, &[p(Home)], Action::Home, "key.home", false),
        bind(LIST, &[p(End)], Action::End, "key.end", false),
        bind(LIST, &[p(Enter)], Action::Confirm, "signin.choose", true),
        bind(LIST, &[Key::ctrl('q')], Action::Quit, "key.quit", true),
        bind(PIN, &[p(Enter)], Action::Confirm, "signin.enter", true),
        bind(PIN, &[p(Esc)], Action::Back, "signin.other", true),
        bind(PIN, &[Key::ctrl('q')], Action::Quit, "key.quit", true),
        bind(FIRST, &[p(Tab), p(Down)], Action::NextField, "key.next_field", true),
        bind(FIRST, &[p(BackTab), p(Up)], Action::PrevField, "key.prev_field", false),
        bind(FIRST, &[p(Enter)], Action::Confirm, "key.confirm", true),
        bind(FIRST, &[Key::ctrl('s')], Action::Save, "signin.create", true),
        bind(FIRST, &[Key::ctrl('q')], Action::Quit, "key.quit", true),
    ]
}

/// What is in front of the panes.
#[derive(Debug, Clone)]
pub enum Gate {
    /// Not read yet whether anyone can sign in (the first frame).
    Pending,
    /// Nobody can sign in: name and PIN of the first admin.
    FirstAdmin(Form),
    /// Choose who you are, then type the PIN.
    SignIn(SignIn),
}

/// The sign-in list and the PIN.
#[derive(Debug, Clone)]
pub struct SignIn {
    /// Who can sign in, by name.
    pub roster: Vec<Staff>,
    pub selected: usize,
    /// The PIN field, once someone is chosen.
    pub pin: Option<Form>,
    /// The console was locked while this person was signed in.
    pub locked: Option<Session>,
    /// A message under the list (the roster could not be read …).
    pub note: Option<String>,
}

impl Gate {
    /// Reads whether anyone can sign in and opens the right screen.
    /// `locked`: who was signed in when the console locked.
    pub fn open(store: &Store, lang: Lang, locked: Option<Session>) -> Gate {
        match store.has_sign_in() {
            Ok(false) => Gate::FirstAdmin(first_admin_form(lang)),
            Ok(true) => {
                let (roster, note) = match store.sign_in_roster() {
                    Ok(r) => (r, None),
                    Err(e) => (Vec::new(), Some(e.localized(lang))),
                };
                let selected = locked
                    .as_ref()
                    .and_then(|l| roster.iter().position(|s| s.id == l.staff))
                    .unwrap_or(0);
                // The person who locked types their PIN straight away.
                let pin = locked.as_ref().map(|_| pin_form(lang));
                Gate::SignIn(SignIn {
                    roster,
                    selected,
                    pin,
                    locked,
                    note,
                })
            }
            Err(e) => Gate::SignIn(SignIn {
                roster: Vec::new(),
                selected: 0,
                pin: None,
                locked,
                note: Some(e.localized(lang)),
            }),
        }
    }

    /// The keymap scope in force.
    pub fn scope(&self) -> &'static str {
        match self {
            Gate::Pending => LIST,
            Gate::FirstAdmin(_) => FIRST,
            Gate::SignIn(s) if s.pin.is_some() => PIN,
            Gate::SignIn(_) => LIST,
        }
    }

    /// Whether keys type into a field.
    pub fn typing(&self) -> bool {
        match self {
            Gate::Pending => false,
            Gate::FirstAdmin(f) => f.typing(),
            Gate::SignIn(s) => s.pin.is_some(),
        }
    }

    /// Who was signed in when the console locked.
    pub fn locked(&self) -> Option<&Session> {
        match self {
            Gate::SignIn(s) => s.locked.as_ref(),
            _ => None,
        }
    }

    /// Applies an action; returns the session when someone signed in.
    pub fn update(
        &mut self,
        store: &mut Store,
        lang: Lang,
        now: DateTime<Utc>,
        action: &Action,
    ) -> Option<Session> {
        match self {
            Gate::Pending => None,
            Gate::FirstAdmin(form) => first_admin(form, store, lang, action),
            Gate::SignIn(s) => s.update(store, lang, now, action),
        }
    }
}

impl SignIn {
    fn update(
        &mut self,
        store: &mut Store,
        lang: Lang,
        now: DateTime<Utc>,
        action: &Action,
    ) -> Option<Session> {
        let n = self.roster.len();
        if let Some(form) = &mut self.pin {
            match action {
                Action::Back => self.pin = None,
                Action::Confirm => return self.try_pin(store, lang, now),
                other => {
                    form.handle(other);
                }
            }
            return None;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down if n > 0 => self.selected = (self.selected + 1).min(n - 1),
            Action::Home => self.selected = 0,
            Action::End => self.selected = n.saturating_sub(1),
            Action::Confirm if n > 0 => self.pin = Some(pin_form(lang)),
            _ => {}
        }
        None
    }

    fn try_pin(&mut self, store: &mut Store, lang: Lang, now: DateTime<Utc>) -> Option<Session> {
        let staff = self.roster.get(self.selected)?;
        let form = self.pin.as_mut()?;
        let pin = form.field(0).text_value().to_owned();
        form.field_mut(0).set_text("");
        let refuse = |form: &mut Form, text: String| form.refuse(0, text);
        if let Err(e) = crate::domain::staff::parse_pin(&pin) {
            refuse(form, crate::i18n::Localized::localized(&e, lang));
            return None;
        }
        match store.sign_in(staff.id, &pin, now) {
            Ok(session) => Some(session),
            Err(SignInError::Wrong { wait: 0 }) => {
                refuse(form, t!(lang, "signin.wrong").to_owned());
                None
            }
            Err(SignInError::Wrong { wait } | SignInError::Wait(wait)) => {
                refuse(form, t!(lang, "signin.wait", n = wait));
                None
            }
            Err(SignInError::Unknown) => {
                refuse(form, t!(lang, "signin.unknown").to_owned());
                None
            }
            Err(SignInError::Store(e)) => {
                refuse(form, e.localized(lang));
                None
            }
        }
    }
}

fn pin_form(lang: Lang) -> Form {
    Form::new(vec![Field::text(t!(lang, "signin.pin"), "").secret()])
}

fn first_admin_form(lang: Lang) -> Form {
    Form::new(vec![
        Field::text(t!(lang, "signin.name"), ""),
        Field::text(t!(lang, "signin.new_pin"), "")
            .secret()
            .with_hint(t!(lang, "signin.pin_hint")),
        Field::text(t!(lang, "signin.pin_again"), "").secret(),
    ])
}

/// The first-admin form: Enter moves on, and on the last field (or
/// Ctrl-S) creates the admin; refusals stay beside their fields.
fn first_admin(form: &mut Form, store: &mut Store, lang: Lang, action: &Action) -> Option<Session> {
    match action {
        Action::Confirm if form.focus + 1 < form.fields.len() => {
            form.focus += 1;
            None
        }
        Action::Confirm | Action::Save => create_first_admin(form, store, lang),
        other => {
            form.handle(other);
            None
        }
    }
}

fn create_first_admin(form: &mut Form, store: &mut Store, lang: Lang) -> Option<Session> {
    use crate::i18n::Localized;
    form.clear_errors();
    let name = form.field(NAME).text_value().to_owned();
    let pin = form.field(FIRST_PIN).text_value().to_owned();
    let again = form.field(AGAIN).text_value().to_owned();
    if let Err(e) = crate::domain::staff::parse_staff_name(&name) {
        form.refuse(NAME, e.localized(lang));
    }
    if let Err(e) = crate::domain::staff::parse_pin(&pin) {
        form.refuse(FIRST_PIN, e.localized(lang));
    } else if pin != again {
        form.refuse(
            AGAIN,
            crate::domain::ValidationError::PinMismatch.localized(lang),
        );
    }
    if form.has_errors() {
        return None;
    }
    match store.create_first_admin(&name, &pin) {
        Ok(s) => Some(s),
        Err(StoreError::Invalid(e)) => {
            form.refuse(NAME, e.localized(lang));
            None
        }
        Err(e) => {
            form.refuse(NAME, e.localized(lang));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::staff::Role;
    use tui_input::InputRequest;

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        s
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap()
    }

    fn type_text(g: &mut Gate, s: &mut Store, text: &str) -> Option<Session> {
        let mut out = None;
        for c in text.chars() {
            out = out.or(g.update(
                s,
                Lang::En,
                now(),
                &Action::Edit(InputRequest::InsertChar(c)),
            ));
        }
        out
    }

    #[test]
    fn a_fresh_database_asks_for_its_first_admin() {
        let mut s = store();
        let mut g = Gate::open(&s, Lang::En, None);
        assert!(matches!(g, Gate::FirstAdmin(_)));
        assert_eq!(g.scope(), FIRST);
        type_text(&mut g, &mut s, "王芳");
        g.update(&mut s, Lang::En, now(), &Action::Confirm);
        type_text(&mut g, &mut s, "24");
        g.update(&mut s, Lang::En, now(), &Action::Confirm);
        type_text(&mut g, &mut s, "25");
        assert_eq!(g.update(&mut s, Lang::En, now(), &Action::Confirm), None);
        let Gate::FirstAdmin(form) = &g else { panic!() };
        assert_eq!(form.field(NAME).text_value(), "王芳", "kept");
        assert!(
            form.field(FIRST_PIN)
                .error
                .as_deref()
                .unwrap()
                .contains("4 to 8")
        );
        assert!(!s.has_sign_in().unwrap());
        // Mend both PINs.
        let Gate::FirstAdmin(form) = &mut g else {
            panic!()
        };
        form.field_mut(FIRST_PIN).set_text("2468");
        form.field_mut(AGAIN).set_text("2469");
        assert_eq!(g.update(&mut s, Lang::En, now(), &Action::Save), None);
        let Gate::FirstAdmin(form) = &mut g else {
            panic!()
        };
        assert_eq!(
            form.field(AGAIN).error.as_deref(),
            Some("the two PINs typed differ")
        );
        form.field_mut(AGAIN).set_text("2468");
        let session = g.update(&mut s, Lang::En, now(), &Action::Save).unwrap();
        assert_eq!((session.name.as_str(), session.role), ("王芳", Role::Admin));
    }

    #[test]
    fn choose_then_pin_with_refusals_beside_the_field() {
        let mut s = store();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        let mut w = s.begin(None).unwrap();
        let vol = w.add_staff("小李", Role::Volunteer).unwrap();
        w.set_pin(vol, "1357").unwrap();
        w.commit().unwrap();
        s.set_session(None);
        let mut g = Gate::open(&s, Lang::En, None);
        assert_eq!(g.scope(), LIST);
        let Gate::SignIn(si) = &g else { panic!() };
        let names: Vec<&str> = si.roster.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), 2);
        let vol_at = names.iter().position(|n| *n == "小李").unwrap();
        for _ in 0..vol_at {
            g.update(&mut s, Lang::En, now(), &Action::Down);
        }
        g.update(&mut s, Lang::En, now(), &Action::Confirm);
        assert_eq!(g.scope(), PIN);
        assert!(g.typing());
        type_text(&mut g, &mut s, "2468");
        assert_eq!(g.update(&mut s, Lang::En, now(), &Action::Confirm), None);
        let Gate::SignIn(si) = &g else { panic!() };
        let field = si.pin.as_ref().unwrap().field(0);
        assert_eq!(field.error.as_deref(), Some(t!(Lang::En, "signin.wrong")));
        assert_eq!(field.text_value(), "", "a wrong PIN is not kept");
        type_text(&mut g, &mut s, "1357");
        let session = g.update(&mut s, Lang::En, now(), &Action::Confirm).unwrap();
        assert_eq!(session.staff, vol);
        assert_ne!(session.staff, admin.staff);
    }

    #[test]
    fn a_locked_console_asks_the_same_person_first() {
        let mut s = store();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        s.set_session(None);
        let g = Gate::open(&s, Lang::ZhCn, Some(admin.clone()));
        assert_eq!(g.scope(), PIN);
        assert_eq!(g.locked(), Some(&admin));
        // Esc goes to the list, to let someone else sign in.
        let mut g = g;
        g.update(&mut s, Lang::ZhCn, now(), &Action::Back);
        assert_eq!(g.scope(), LIST);
    }
}
