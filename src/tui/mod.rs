//! The full-screen console: check-in, the case queue, the counselling
//! schedule and sync, keyboard only.
//!
//! Keys become [`action::Action`]s through the [`keymap`]; [`app::App::update`]
//! applies them; [`view::draw`] draws the state. The loop draws first and
//! loads after, redraws only when something changed, and drains pending keys
//! before running a search. While a sync runs on its thread the loop wakes
//! a few times a second to show its progress, and not otherwise. After
//! each batch of keys and on the minute tick it asks whether another
//! writer changed the file (`App::notice_writers`).

pub mod action;
pub mod app;
pub mod gate;
pub mod keymap;
pub mod panes;
pub mod signals;

pub mod view;
pub mod widgets;
mod work;

use std::io;
use std::time::Duration;

use anyhow::Result;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};

use app::App;

/// How often the loop wakes to show the progress of background work.
pub const WORK_TICK: Duration = Duration::from_millis(100);

/// Where events come from: the terminal, or a script in tests.
pub trait Events {
    /// The next event, waiting at most `timeout`; `None` when none came.
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>>;
    /// An event that is already waiting, without blocking.
    fn pending(&mut self) -> io::Result<Option<Event>>;
}

/// Events of the real terminal.
pub struct TerminalEvents;

impl Events for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if event::poll(timeout)? {
            event::read().map(Some)
        } else {
            Ok(None)
        }
    }
    fn pending(&mut self) -> io::Result<Option<Event>> {
        self.next(Duration::ZERO)
    }
}

/// Runs the console until the user quits. Generic over the backend, so
/// tests run it on `TestBackend`.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &mut dyn Events,
) -> Result<()>
where
    B::Error: Send + Sync + 'static,
{
    if let Ok(size) = terminal.size() {
        app.resized(size.width, size.height);
    }
    // The first frame, before any query.
    terminal.draw(|f| view::draw(f, app))?;
    // Debug builds only: lets the end-to-end tests prove that a panic
    // restores the terminal.
    #[cfg(debug_assertions)]
    #[allow(clippy::panic)] // the one deliberate panic, for that test
    if std::env::var_os("WAYSTATION_TEST_PANIC").is_some() {
        panic!("test panic after the first frame");
    }
    app.load();
    let mut minute = app.now().timestamp() / 60;
    while !app.quit {
        if app.dirty {
            terminal.draw(|f| view::draw(f, app))?;
            app.dirty = false;
        }
        // Wake at the next minute to keep the clock in the header true,
        // and often while a sync runs, to show how far it is.
        let secs = 60 - app.now().timestamp().rem_euclid(60) as u64;
        let mut wait = Duration::from_secs(secs.max(1));
        if app.busy() {
            wait = wait.min(WORK_TICK);
        }
        let next = events.next(wait)?;
        app.poll_work();
        let Some(ev) = next else {
            let m = app.now().timestamp() / 60;
            if m != minute {
                minute = m;
                app.dirty = true;
                // The minute tick: what another console or the kiosk wrote.
                app.notice_writers();
            }
            app.tick();
            continue;
        };
        app.handle_event(&ev);
        // Drain what is already typed before searching.
        while !app.quit {
            match events.pending()? {
                Some(ev) => app.handle_event(&ev),
                None => break,
            }
        }
        // After the keys, which acted on what the screen showed: what
        // another console or the kiosk wrote meanwhile.
        app.notice_writers();
        app.refresh();
    }
    Ok(())
}

/// Restores the terminal when dropped, also when unwinding from a panic.
pub struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Puts the terminal back as it was before the console or the kiosk took
/// it: no bracketed paste, the cursor shown, the main screen, cooked mode.
/// Also called from the signal watcher's thread ([`signals::Watch`]).
pub fn restore_terminal() {
    // Nothing to do about a terminal that cannot be written to.
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste,
        ratatui::crossterm::cursor::Show
    );
    ratatui::restore();
}

/// Opens the console on the real terminal.
pub fn run(app: &mut App) -> Result<()> {
    // ratatui::init installs a panic hook that restores the terminal before
    // the previous hook (ours: one line to the user, details to the log).
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    let _signals = signals::Watch::start(signals::Holder::Console, restore_terminal)?;
    // A paste arrives as one event: a list pasted into the claimants of a
    // new case is one claimant a line, and its tabs are not Tab keys.
    ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    )?;
    // crossterm starts listening for window-size changes on its first poll;
    // poll once now, before the size is read for the first frame, so a
    // resize in between is queued rather than lost.
    event::poll(Duration::ZERO)?;
    run_loop(&mut terminal, app, &mut TerminalEvents)
}
