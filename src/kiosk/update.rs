//! The kiosk's state machine: [`Kiosk::update`] applies one key,
//! [`Kiosk::tick`] the passing of time. Both take the time as an argument,
//! so tests drive them with a fixed clock and no terminal.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use ratatui::crossterm::event::Event;

use super::state::{
    Action, IDLE_SECS, MOBILE_MAX, Screen, WELCOME_SECS, action_of, choice_of, secs_left,
};
use crate::domain::Mobile;
use crate::domain::access::Session;
use crate::domain::person::Trade;
use crate::domain::visit::{Service, Services};
use crate::i18n::{Lang, Localized};
use crate::store::KioskCheckIn;
use crate::store::{Store, StoreError};

/// The kiosk: its database, what it shows, and when it last heard a key.
pub struct Kiosk {
    store: Store,
    pub lang: Lang,
    pub tz: chrono_tz::Tz,
    /// The station's name, shown at the top.
    pub station: String,
    pub screen: Screen,
    /// The time of the last update or tick (what the screen shows counts
    /// down from it).
    pub now: DateTime<Utc>,
    last_key: DateTime<Utc>,
    /// Something went wrong with the database: said on the screen, so a
    /// worker asks the staff rather than trying again and again.
    pub trouble: bool,
    /// The terminal is smaller than the screens need.
    pub too_small: bool,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// A staff member's PIN opened the exit.
    pub left_by: Option<Session>,
    /// Why the exit could not be written to the audit log (the kiosk is
    /// left all the same: staff must be able to get at a failing station).
    pub audit_error: Option<String>,
}

impl Kiosk {
    /// A kiosk on `store`, at its home screen.
    pub fn new(store: Store, lang: Lang, now: DateTime<Utc>) -> Result<Kiosk, StoreError> {
        let station = store.require_station()?;
        let tz = store.time_zone()?;
        Ok(Kiosk {
            store,
            lang,
            tz,
            station: station.name,
            screen: Screen::home(),
            now,
            last_key: now,
            trouble: false,
            too_small: false,
            dirty: true,
            left_by: None,
            audit_error: None,
        })
    }

    /// The database (tests look at what the kiosk wrote).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Whether a staff PIN has opened the exit.
    pub fn quit(&self) -> bool {
        self.left_by.is_some()
    }

    /// Today in the station's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }

    /// Notes the terminal's size.
    pub fn resized(&mut self, width: u16, height: u16) {
        self.too_small = width < super::draw::MIN_WIDTH || height < super::draw::MIN_HEIGHT;
        self.dirty = true;
    }

    /// One terminal event.
    pub fn event(&mut self, ev: &Event, now: DateTime<Utc>) {
        match ev {
            Event::Resize(w, h) => self.resized(*w, *h),
            _ => match action_of(ev) {
                Some(a) => self.update(a, now),
                None => self.tick(now),
            },
        }
    }

    /// Time has passed without a key: the confirmation and idle screens go
    /// home, and waits count down.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        let before = self.now;
        self.now = now;
        let idle = now - self.last_key >= Duration::seconds(IDLE_SECS);
        let welcome_over = matches!(&self.screen, Screen::Welcome { until, .. } if now >= *until);
        if !self.screen.is_home() && (idle || welcome_over) {
            self.go_home();
            return;
        }
        if let Some(until) = self.screen.wait_until() {
            if now >= until {
                match &mut self.screen {
                    Screen::Lookup(f) => f.wait_until = None,
                    Screen::Exit {
                        wait_until,
                        message,
                        ..
                    } => {
                        *wait_until = None;
                        *message = None;
                    }
                    _ => {}
                }
            }
            self.dirty = true;
        } else if let Screen::Welcome { until, .. } = &self.screen
            && secs_left(*until, before) != secs_left(*until, now)
        {
            self.dirty = true;
        }
    }

    /// When the kiosk next has something to do without a key: an idle
    /// screen to clear, a confirmation to end, a countdown to show.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        if self.screen.is_home() {
            return None;
        }
        let mut at = self.last_key + Duration::seconds(IDLE_SECS);
        let counting = match &self.screen {
            Screen::Welcome { until, .. } => {
                at = at.min(*until);
                true
            }
            s => s.wait_until().is_some(),
        };
        if counting {
            // The next whole second of the countdown.
            let ms = 1000 - self.now.timestamp_subsec_millis().min(999);
            at = at.min(self.now + Duration::milliseconds(i64::from(ms)));
        }
        Some(at)
    }

    /// Applies one key at `now`.
    pub fn update(&mut self, action: Action, now: DateTime<Utc>) {
        self.tick(now);
        self.last_key = now;
        self.dirty = true;
        if action == Action::Exit {
            if !matches!(self.screen, Screen::Exit { .. }) {
                self.open_exit();
            }
            return;
        }
        // A message about trouble stays until the next key.
        self.trouble = false;
        match &self.screen {
            Screen::Home { .. } => self.home(action),
            Screen::Trade { .. } => self.trade(action),
            Screen::Services { .. } => self.services(action),
            Screen::Mobile { .. } => self.mobile(action),
            Screen::Choose { .. } => self.choose(action),
            Screen::Welcome { .. } | Screen::Status(_) => self.go_home(),
            Screen::Lookup(_) => self.lookup(action),
            Screen::Exit { .. } => self.exit(action),
        }
    }

    /// Back to the home screen, forgetting everything typed.
    fn go_home(&mut self) {
        self.screen = Screen::home();
        self.dirty = true;
    }

    /// Esc, or 0 where no text field takes digits: home.
    fn is_back(&self, action: Action) -> bool {
        action == Action::Back || (action == Action::Char('0') && !self.screen.typing())
    }

    fn home(&mut self, action: Action) {
        let Screen::Home { selected } = &mut self.screen else {
            return;
        };
        match action {
            Action::Left | Action::Up | Action::Prev => *selected = 0,
            Action::Right | Action::Down | Action::Next => *selected = 1,
            Action::Char('1') => self.start_check_in(),
            Action::Char('2') => self.start_lookup(),
            Action::Enter if *selected == 0 => self.start_check_in(),
            Action::Enter => self.start_lookup(),
            _ => {}
        }
    }

    fn start_check_in(&mut self) {
        self.screen = Screen::Trade { selected: 0 };
    }

    fn trade(&mut self, action: Action) {
        if self.is_back(action) {
            return self.go_home();
        }
        let Screen::Trade { selected } = &mut self.screen else {
            return;
        };
        let n = Trade::ALL.len();
        let picked = match action {
            Action::Char(c) => choice_of(c, n),
            Action::Enter => Some(*selected),
            _ => {
                *selected = step_grid(*selected, n, action);
                None
            }
        };
        if let Some(i) = picked {
            self.screen = Screen::Services {
                trade: Trade::ALL[i],
                services: Services::EMPTY,
                selected: 0,
            };
        }
    }

    fn services(&mut self, action: Action) {
        if self.is_back(action) {
            return self.go_home();
        }
        let Screen::Services {
            trade,
            services,
            selected,
        } = &mut self.screen
        else {
            return;
        };
        let n = Service::ALL.len();
        match action {
            Action::Char(' ') => services.toggle(Service::ALL[*selected]),
            Action::Char(c) => {
                if let Some(i) = choice_of(c, n) {
                    services.toggle(Service::ALL[i]);
                    *selected = i;
                }
            }
            Action::Enter => {
                self.screen = Screen::Mobile {
                    trade: *trade,
                    services: *services,
                    input: String::new(),
                    error: None,
                }
            }
            _ => *selected = step_grid(*selected, n, action),
        }
    }

    fn mobile(&mut self, action: Action) {
        if self.is_back(action) {
            return self.go_home();
        }
        let Screen::Mobile {
            trade,
            services,
            input,
            error,
        } = &mut self.screen
        else {
            return;
        };
        match action {
            Action::Char(c)
                if (c.is_ascii_digit() || matches!(c, '+' | '-' | ' '))
                    && input.chars().count() < MOBILE_MAX =>
            {
                input.push(c);
            }
            Action::Backspace => {
                input.pop();
            }
            Action::Enter => {
                let (trade, services) = (*trade, *services);
                let mobile = if input.trim().is_empty() {
                    None
                } else {
                    match Mobile::parse(input) {
                        Ok(m) => Some(m),
                        Err(e) => {
                            // Beside the field, with what was typed kept.
                            *error = Some(e.localized(self.lang));
                            return;
                        }
                    }
                };
                let input = input.clone();
                let done = self
                    .store
                    .kiosk_check_in(mobile.as_ref(), trade, services, self.now);
                self.checked_in(done, trade, services, input);
            }
            _ => {}
        }
    }

    /// The people sharing the number typed: a digit (or the arrows and
    /// Enter) says which one is checking in; Esc (or 0) goes back to the
    /// number.
    fn choose(&mut self, action: Action) {
        let back = self.is_back(action) || action == Action::Backspace;
        let Screen::Choose {
            trade,
            services,
            input,
            people,
            selected,
        } = &mut self.screen
        else {
            return;
        };
        if back {
            self.screen = Screen::Mobile {
                trade: *trade,
                services: *services,
                input: std::mem::take(input),
                error: None,
            };
            return;
        }
        let n = people.len();
        let picked = match action {
            Action::Char(c) => choice_of(c, n),
            Action::Enter => Some(*selected),
            Action::Up | Action::Left | Action::Prev => {
                *selected = selected.saturating_sub(1);
                None
            }
            Action::Down | Action::Right | Action::Next => {
                *selected = (*selected + 1).min(n.saturating_sub(1));
                None
            }
            _ => None,
        };
        let Some(person) = picked.and_then(|i| people.get(i)).map(|p| p.person) else {
            return;
        };
        let (trade, services, input) = (*trade, *services, input.clone());
        // The number was read once already to come here.
        let Ok(mobile) = Mobile::parse(&input) else {
            return self.go_home();
        };
        let done = self
            .store
            .kiosk_check_in_as(&mobile, person, trade, services, self.now);
        self.checked_in(done, trade, services, input);
    }

    /// What the store made of a check-in: the greeting, or (a number
    /// several people share) the list to choose from.
    fn checked_in(
        &mut self,
        done: Result<KioskCheckIn, StoreError>,
        trade: Trade,
        services: Services,
        input: String,
    ) {
        let done = match done {
            Ok(d) => d,
            Err(e) => return self.fail(e),
        };
        let unregistered = done == KioskCheckIn::Unregistered;
        let greeting = match done {
            KioskCheckIn::Shared(people) => {
                self.screen = Screen::Choose {
                    trade,
                    services,
                    input,
                    people,
                    selected: 0,
                };
                return;
            }
            KioskCheckIn::Known { masked_name } if !masked_name.is_empty() => Some(masked_name),
            _ => None,
        };
        self.screen = Screen::Welcome {
            greeting,
            unregistered,
            trade,
            services,
            until: self.now + Duration::seconds(WELCOME_SECS),
        };
    }

    /// A database error: logged, said on the screen in plain words, and
    /// the kiosk goes on (a worker cannot do anything about it, the staff
    /// can).
    fn fail(&mut self, e: StoreError) {
        tracing::error!("kiosk: {e}");
        self.trouble = true;
    }
}

/// Seconds as a duration argument (waits are at most minutes).
fn secs_i64(secs: u64) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX / 1000)
}

/// Moves a highlight in a two-column grid of `n` items laid out column by
/// column (the first column holds the first half).
pub fn step_grid(at: usize, n: usize, action: Action) -> usize {
    let rows = n.div_ceil(2);
    let next = match action {
        Action::Up | Action::Prev => at.checked_sub(1),
        Action::Down | Action::Next => Some(at + 1),
        Action::Left => at.checked_sub(rows),
        Action::Right => Some(at + rows),
        _ => None,
    };
    next.filter(|i| *i < n).unwrap_or(at)
}

mod exit;
mod lookup;
#[cfg(test)]
mod tests;
