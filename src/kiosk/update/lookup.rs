//! The case lookup: the number and the digits, not-found, the wait.

use chrono::{DateTime, Duration, Utc};

use super::{Kiosk, secs_i64};
use crate::kiosk::state::{Action, LookupField, LookupForm, NUMBER_MAX, Screen};
use crate::store::LOOKUP_THROTTLE;
use crate::t;

impl Kiosk {
    pub(super) fn start_lookup(&mut self) {
        let mut form = LookupForm::new();
        // A wait left by earlier misses shows at once, whoever made them.
        form.wait_until = self.lookup_wait();
        self.screen = Screen::Lookup(form);
    }

    /// Until when lookups wait, if they do now.
    fn lookup_wait(&mut self) -> Option<DateTime<Utc>> {
        match self.store.throttle_wait(LOOKUP_THROTTLE, self.now) {
            Ok(0) => None,
            Ok(secs) => Some(self.now + Duration::seconds(secs_i64(secs))),
            Err(e) => {
                self.fail(e);
                None
            }
        }
    }

    pub(super) fn lookup(&mut self, action: Action) {
        if self.is_back(action) {
            return self.go_home();
        }
        let Screen::Lookup(f) = &mut self.screen else {
            return;
        };
        match (action, f.focus) {
            (Action::Char(c), LookupField::Number)
                if (c.is_ascii_alphanumeric() || matches!(c, '-' | ' '))
                    && f.number.chars().count() < NUMBER_MAX =>
            {
                f.number.push(c.to_ascii_uppercase());
                f.number_error = None;
            }
            (Action::Char(c), LookupField::Last4) if c.is_ascii_digit() && f.last4.len() < 4 => {
                f.last4.push(c);
                f.last4_error = None;
            }
            // Backspace in the empty digits goes back to the number.
            (Action::Backspace, LookupField::Last4) if f.last4.is_empty() => {
                f.focus = LookupField::Number;
            }
            (Action::Backspace, LookupField::Last4) => {
                f.last4.pop();
            }
            (Action::Backspace, LookupField::Number) => {
                f.number.pop();
            }
            (Action::Next | Action::Down | Action::Enter, LookupField::Number) => {
                if action == Action::Enter && f.number.trim().is_empty() {
                    f.number_error = Some(t!(self.lang, "kiosk.lookup.need_number").to_owned());
                } else {
                    f.focus = LookupField::Last4;
                }
            }
            (Action::Prev | Action::Up, LookupField::Last4) => f.focus = LookupField::Number,
            (Action::Enter, LookupField::Last4) => self.look_up(),
            _ => {}
        }
    }

    /// Enter on the digits: looks the case up, unless a field is left
    /// incomplete or lookups must wait. A miss counts towards the wait of
    /// the next try; a hit does not take misses back (an attacker could
    /// mix in a case of their own).
    fn look_up(&mut self) {
        let lang = self.lang;
        let now = self.now;
        let Screen::Lookup(f) = &mut self.screen else {
            return;
        };
        f.not_found = false;
        if f.number.trim().is_empty() {
            f.number_error = Some(t!(lang, "kiosk.lookup.need_number").to_owned());
            f.focus = LookupField::Number;
            return;
        }
        if f.last4.len() != 4 {
            f.last4_error = Some(t!(lang, "kiosk.lookup.need_last4").to_owned());
            return;
        }
        if f.wait_until.is_some_and(|u| u > now) {
            return;
        }
        let (number, last4) = (f.number.clone(), f.last4.clone());
        let wait = match self.store.throttle_wait(LOOKUP_THROTTLE, now) {
            Ok(w) => w,
            Err(e) => return self.fail(e),
        };
        if wait > 0 {
            if let Screen::Lookup(f) = &mut self.screen {
                f.wait_until = Some(now + Duration::seconds(secs_i64(wait)));
            }
            return;
        }
        match self.store.case_status(&number, &last4) {
            Ok(Some(view)) => self.screen = Screen::Status(view),
            Ok(None) => {
                if let Err(e) = self.store.throttle_fail(LOOKUP_THROTTLE, now) {
                    return self.fail(e);
                }
                let wait = self.lookup_wait();
                if let Screen::Lookup(f) = &mut self.screen {
                    f.not_found = true;
                    f.wait_until = wait;
                }
            }
            Err(e) => self.fail(e),
        }
    }
}
