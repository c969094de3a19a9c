//! What the kiosk shows and holds, and the keys it listens to.
//!
//! The kiosk listens to very few keys: printable characters, Enter,
//! Backspace, Esc, Tab, the arrows, and F12 (the staff exit). Every key
//! with Ctrl, Alt or another modifier, every other function key, pastes,
//! mouse events and key releases are dropped here, at the one boundary,
//! so no combination a worker can press reaches anything but the screens
//! below.

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use unicode_normalization::UnicodeNormalization;

use crate::domain::person::Trade;
use crate::domain::visit::Services;
use crate::store::{CaseStatusView, KioskHolder};

/// Seconds without a key after which the kiosk goes back to its home
/// screen and forgets everything typed: the next worker must not see it.
pub const IDLE_SECS: i64 = 60;
/// Seconds the check-in confirmation stays before the home screen.
pub const WELCOME_SECS: i64 = 10;

/// Longest mobile number as typed (with +86 and separators).
pub const MOBILE_MAX: usize = 20;
/// Longest case number as typed.
pub const NUMBER_MAX: usize = 20;
/// Longest PIN.
pub const PIN_MAX: usize = crate::domain::staff::PIN_MAX;

/// What a key does at the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A printable character (full-width forms already narrowed).
    Char(char),
    Backspace,
    Enter,
    /// Esc: back to the home screen.
    Back,
    Up,
    Down,
    Left,
    Right,
    /// Tab.
    Next,
    /// Shift-Tab.
    Prev,
    /// F12: the staff exit.
    Exit,
}

/// The action of a terminal event, if the kiosk listens to it.
pub fn action_of(ev: &Event) -> Option<Action> {
    let Event::Key(key) = ev else {
        return None;
    };
    if key.kind != KeyEventKind::Press {
        return None;
    }
    // Shift only changes a letter's case; any other modifier makes the key
    // one the kiosk ignores (Ctrl-C, Ctrl-Z, Ctrl-\, Ctrl-D, Alt-x …).
    if !(key.modifiers - KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    Some(match key.code {
        KeyCode::F(12) => Action::Exit,
        KeyCode::Enter => Action::Enter,
        KeyCode::Esc => Action::Back,
        KeyCode::Backspace | KeyCode::Delete => Action::Backspace,
        KeyCode::Tab => Action::Next,
        KeyCode::BackTab => Action::Prev,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::Left => Action::Left,
        KeyCode::Right => Action::Right,
        KeyCode::Char(c) if !c.is_control() => {
            // A Chinese input method may send full-width digits and letters.
            let mut narrow = std::iter::once(c).nfkc();
            match (narrow.next(), narrow.next()) {
                (Some(n), None) => Action::Char(n),
                _ => Action::Char(c),
            }
        }
        _ => return None,
    })
}

pub use crate::tui::widgets::{choice_key, choice_of};

/// The two fields of the case lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupField {
    Number,
    Last4,
}

/// What was typed into the case lookup, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupForm {
    pub number: String,
    pub last4: String,
    pub focus: LookupField,
    /// A field left empty or incomplete (no lookup was made).
    pub number_error: Option<String>,
    pub last4_error: Option<String>,
    /// The last lookup found nothing.
    pub not_found: bool,
    /// Lookups wait until then (too many misses lately).
    pub wait_until: Option<DateTime<Utc>>,
}

impl LookupForm {
    pub fn new() -> LookupForm {
        LookupForm {
            number: String::new(),
            last4: String::new(),
            focus: LookupField::Number,
            number_error: None,
            last4_error: None,
            not_found: false,
            wait_until: None,
        }
    }
}

impl Default for LookupForm {
    fn default() -> Self {
        Self::new()
    }
}

/// The screen shown, with everything typed on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// Two choices: check in, or look up a case.
    Home {
        selected: usize,
    },
    /// Check-in, step 1.
    Trade {
        selected: usize,
    },
    /// Check-in, step 2.
    Services {
        trade: Trade,
        services: Services,
        selected: usize,
    },
    /// Check-in, step 3.
    Mobile {
        trade: Trade,
        services: Services,
        input: String,
        error: Option<String>,
    },
    /// Check-in, step 3 still: several people share the number typed (a
    /// family's phone); the worker says which of them they are, by digit
    /// or with the arrows and Enter. Nothing is recorded yet; Esc goes
    /// back to the number, as typed.
    Choose {
        trade: Trade,
        services: Services,
        /// The number as typed (shown again on going back).
        input: String,
        /// Them, oldest registration first, masked.
        people: Vec<KioskHolder>,
        selected: usize,
    },
    /// The check-in is recorded. `greeting`: the masked name of a
    /// recognised phone's owner.
    Welcome {
        greeting: Option<String>,
        /// A phone was given that nobody registered: say how to be known.
        unregistered: bool,
        trade: Trade,
        services: Services,
        until: DateTime<Utc>,
    },
    Lookup(LookupForm),
    /// A case found by its number and the claimant's digits.
    Status(CaseStatusView),
    /// The staff PIN prompt (F12).
    Exit {
        pin: String,
        message: Option<String>,
        wait_until: Option<DateTime<Utc>>,
    },
}

impl Screen {
    pub fn home() -> Screen {
        Screen::Home { selected: 0 }
    }

    pub fn is_home(&self) -> bool {
        matches!(self, Screen::Home { .. })
    }

    /// Whether a text field on this screen has the keyboard (and so 0 is a
    /// digit, not "back").
    pub fn typing(&self) -> bool {
        matches!(
            self,
            Screen::Mobile { .. } | Screen::Lookup(_) | Screen::Exit { .. }
        )
    }

    /// Until when a wait is shown counting down, if one is.
    pub fn wait_until(&self) -> Option<DateTime<Utc>> {
        match self {
            Screen::Lookup(f) => f.wait_until,
            Screen::Exit { wait_until, .. } => *wait_until,
            _ => None,
        }
    }
}

/// Whole seconds left until `until` at `now`, rounded up (0: over).
pub fn secs_left(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds().max(0);
    u64::try_from(ms).unwrap_or(0).div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyEvent, KeyEventState};

    fn key(code: KeyCode, modifiers: KeyModifiers) -> Event {
        Event::Key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn escape_keys_do_nothing() {
        let ctrl = KeyModifiers::CONTROL;
        let alt = KeyModifiers::ALT;
        for ev in [
            key(KeyCode::Char('c'), ctrl),
            key(KeyCode::Char('z'), ctrl),
            key(KeyCode::Char('\\'), ctrl),
            key(KeyCode::Char('4'), ctrl),
            key(KeyCode::Char('d'), ctrl),
            key(KeyCode::Char('q'), ctrl),
            key(KeyCode::Char('x'), alt),
            key(KeyCode::Char('x'), ctrl | alt),
            key(KeyCode::F(12), ctrl),
            key(KeyCode::F(12), alt),
            key(KeyCode::Enter, alt),
            key(KeyCode::Char('\u{3}'), KeyModifiers::NONE),
            Event::Paste("FT-2026-0001".into()),
            Event::FocusLost,
        ] {
            assert_eq!(action_of(&ev), None, "{ev:?}");
        }
        for n in 1..=11 {
            assert_eq!(action_of(&key(KeyCode::F(n), KeyModifiers::NONE)), None);
        }
        for code in [
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::Insert,
        ] {
            assert_eq!(action_of(&key(code, KeyModifiers::NONE)), None);
        }
    }

    #[test]
    fn only_presses_count() {
        let mut k = KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE);
        assert_eq!(action_of(&Event::Key(k)), Some(Action::Char('1')));
        k.kind = KeyEventKind::Release;
        assert_eq!(action_of(&Event::Key(k)), None);
        k.kind = KeyEventKind::Repeat;
        k.state = KeyEventState::NONE;
        assert_eq!(action_of(&Event::Key(k)), None);
    }

    #[test]
    fn the_keys_the_kiosk_listens_to() {
        let none = KeyModifiers::NONE;
        assert_eq!(action_of(&key(KeyCode::F(12), none)), Some(Action::Exit));
        assert_eq!(action_of(&key(KeyCode::Esc, none)), Some(Action::Back));
        assert_eq!(
            action_of(&key(KeyCode::Char('F'), KeyModifiers::SHIFT)),
            Some(Action::Char('F'))
        );
        // Full-width digits from an input method are plain digits.
        assert_eq!(
            action_of(&key(KeyCode::Char('８'), none)),
            Some(Action::Char('8'))
        );
        assert_eq!(
            action_of(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::Prev)
        );
    }

    #[test]
    fn choices_are_numbered_then_lettered() {
        assert_eq!(choice_key(0), '1');
        assert_eq!(choice_key(8), '9');
        assert_eq!(choice_key(9), 'A');
        assert_eq!(choice_key(10), 'B');
        assert_eq!(choice_of('1', 10), Some(0));
        assert_eq!(choice_of('a', 10), Some(9));
        assert_eq!(choice_of('B', 11), Some(10));
        assert_eq!(choice_of('B', 10), None);
        assert_eq!(choice_of('0', 10), None);
        assert_eq!(choice_of('-', 10), None);
    }

    #[test]
    fn seconds_left_round_up() {
        let t = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        assert_eq!(secs_left(t, t), 0);
        assert_eq!(secs_left(t + chrono::Duration::milliseconds(4001), t), 5);
        assert_eq!(secs_left(t, t + chrono::Duration::seconds(3)), 0);
    }
}
