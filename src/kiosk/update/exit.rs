//! The staff exit: F12, a PIN, the audit entry.

use chrono::Duration;
use serde_json::Value;

use super::{Kiosk, secs_i64};
use crate::domain::access::Session;
use crate::i18n::Localized;
use crate::kiosk::state::{Action, PIN_MAX, Screen};
use crate::store::AuditAction;
use crate::store::EXIT_THROTTLE;
use crate::store::SignInError;
use crate::t;

impl Kiosk {
    pub(super) fn open_exit(&mut self) {
        self.screen = Screen::Exit {
            pin: String::new(),
            message: None,
            wait_until: None,
        };
    }

    pub(super) fn exit(&mut self, action: Action) {
        if action == Action::Back {
            return self.go_home();
        }
        let Screen::Exit { pin, message, .. } = &mut self.screen else {
            return;
        };
        match action {
            Action::Char(c) if c.is_ascii_digit() && pin.len() < PIN_MAX => pin.push(c),
            Action::Backspace => {
                pin.pop();
            }
            Action::Enter if pin.len() < crate::domain::staff::PIN_MIN => {
                *message = Some(t!(self.lang, "kiosk.exit.short").to_owned());
            }
            Action::Enter => {
                let pin = std::mem::take(pin);
                self.try_pin(&pin);
            }
            _ => {}
        }
    }

    /// Checks a staff PIN: the right one leaves the kiosk, recorded in the
    /// audit log as made by its owner.
    fn try_pin(&mut self, pin: &str) {
        let now = self.now;
        let lang = self.lang;
        let (text, wait) = match self.store.anyone_with_pin(pin, EXIT_THROTTLE, now) {
            Ok(owners) => return self.leave(owners),
            Err(SignInError::Wait(secs)) => (t!(lang, "kiosk.exit.wait", n = secs), secs),
            Err(SignInError::Wrong { wait }) => (t!(lang, "kiosk.exit.wrong").to_owned(), wait),
            Err(SignInError::Unknown) => (t!(lang, "kiosk.exit.wrong").to_owned(), 0),
            Err(SignInError::Store(e)) => return self.fail(e),
        };
        if let Screen::Exit {
            message,
            wait_until,
            ..
        } = &mut self.screen
        {
            *message = Some(text);
            *wait_until = (wait > 0).then(|| now + Duration::seconds(secs_i64(wait)));
        }
    }

    /// Leaves the kiosk, recorded in the audit log as made by the owner of
    /// the PIN. A PIN that several staff members hold (set apart at two
    /// stations) is recorded as made by none of them, naming all: the log
    /// never guesses who it was.
    fn leave(&mut self, owners: Vec<Session>) {
        let (session, subject, detail) = match owners.as_slice() {
            [one] => (
                Some(one.clone()),
                crate::store::About::staff(one.staff),
                Value::Null,
            ),
            several => (
                None,
                crate::store::About::Records("staff"),
                serde_json::json!({
                    "pin_shared_by": several.iter().map(|o| o.name.as_str()).collect::<Vec<_>>()
                }),
            ),
        };
        self.store.set_session(session.clone());
        if let Err(e) = self
            .store
            .record_audit(AuditAction::KioskExit, subject, &detail)
        {
            tracing::error!("kiosk exit not in the audit log: {e}");
            self.audit_error = Some(e.localized(self.lang));
        }
        self.store.set_session(None);
        self.left_by = owners.into_iter().next();
        if session.is_none() {
            tracing::warn!("kiosk left with a PIN that several staff members hold");
        }
    }
}
