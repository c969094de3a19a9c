//! The kiosk's loop: draw when something changed, sleep until a key or the
//! next thing the kiosk has to do by itself (go home after a while, count a
//! wait down). Generic over ratatui's backend, so tests run it on
//! `TestBackend` with scripted events.

use std::time::Duration;

use anyhow::Result;
use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event;

use super::draw::draw;
use super::update::Kiosk;
use crate::tui::{Events, TerminalEvents, TerminalGuard, restore_terminal, signals};

/// The longest sleep: nothing is waiting (the home screen), so only a key
/// wakes the loop, but an hour's sleep keeps a stuck clock from mattering.
const LONGEST_SLEEP: Duration = Duration::from_secs(3600);

/// Runs the kiosk until a staff PIN leaves it; `clock` gives the time.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    kiosk: &mut Kiosk,
    events: &mut dyn Events,
    clock: &dyn Fn() -> DateTime<Utc>,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    if let Ok(size) = terminal.size() {
        kiosk.resized(size.width, size.height);
    }
    kiosk.tick(clock());
    while !kiosk.quit() {
        if kiosk.dirty {
            terminal.draw(|f| draw(f, kiosk))?;
            kiosk.dirty = false;
        }
        let wait = match kiosk.next_wake() {
            Some(at) => (at - clock())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(LONGEST_SLEEP),
            None => LONGEST_SLEEP,
        };
        match events.next(wait)? {
            Some(ev) => kiosk.event(&ev, clock()),
            None => kiosk.tick(clock()),
        }
        // Handle what is already typed before drawing again.
        while !kiosk.quit() {
            match events.pending()? {
                Some(ev) => kiosk.event(&ev, clock()),
                None => break,
            }
        }
    }
    Ok(())
}

/// Runs the kiosk on the real terminal, restoring it on every way out.
pub fn run(kiosk: &mut Kiosk) -> Result<()> {
    // ratatui::try_init enters raw mode, which also turns off the
    // terminal's signal keys: Ctrl-C, Ctrl-Z and Ctrl-\ arrive as keys,
    // which the kiosk ignores. It installs a panic hook that restores the
    // terminal before ours reports the panic.
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    let _signals = signals::Watch::start(signals::Holder::Kiosk, restore_terminal)?;
    // Start listening for window-size changes before the first size is
    // read (see tui::run).
    event::poll(Duration::ZERO)?;
    run_loop(&mut terminal, kiosk, &mut TerminalEvents, &Utc::now)
}
