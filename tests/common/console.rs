//! Driving the console without a terminal: a fixed demo database, a fixed
//! clock, keys sent through the keymap, the screen rendered to text.

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::style::Color;
pub use waystation::domain::access::Session;
pub use waystation::domain::staff::Role;
use waystation::i18n::Lang;
use waystation::store::Store;
use waystation::tui::app::App;

/// The day the fixture's records lead up to.
pub fn fixture_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// 16:00 in Shanghai on the fixture day (the demo's "now").
pub fn fixture_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap()
}

pub fn fixture_millis() -> u64 {
    fixture_now().timestamp_millis() as u64
}

/// A template demo database, made once per test binary.
fn template() -> &'static PathBuf {
    static T: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &T.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        let mut store = Store::open(&path).unwrap();
        store.set_clock(fixture_millis);
        let spec = waystation::demo::DemoSpec {
            code: "FT".into(),
            name: None,
            people: 400,
            visits: 3000,
            cases: 60,
            seed: 7,
            today: fixture_day(),
        };
        waystation::demo::generate(&mut store, &spec, &mut |_, _, _| {}).unwrap();
        drop(store);
        (dir, path)
    })
    .1
}

/// Where [`fixture_store`] puts its copy.
pub fn fixture_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("console.db")
}

/// A copy of the fixture database, open, with the fixed clock.
pub fn fixture_store(dir: &tempfile::TempDir) -> Store {
    let path = fixture_path(dir);
    let _ = Store::open(template()).unwrap(); // checkpoint the WAL of the template
    std::fs::copy(template(), &path).unwrap();
    let mut store = Store::open(&path).unwrap();
    store.set_clock(fixture_millis);
    store
}

/// A console over a fresh copy of the fixture, loaded as after the first
/// frame.
pub fn fixture_app(dir: &tempfile::TempDir, lang: Lang) -> App {
    let mut app = App::new(fixture_store(dir), lang, fixture_now);
    app.db = Some(waystation::store::DbFile::clear(fixture_path(dir)));
    app.store_clock = Some(fixture_millis);
    sign_in_as_role(&mut app, Role::Admin);
    app.load();
    app
}

/// The fixture's first staff member with `role`, as a session.
pub fn session_of(store: &Store, role: Role) -> Session {
    let s = store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == role && s.active)
        .unwrap_or_else(|| panic!("the fixture has no {role:?}"));
    Session {
        staff: s.id,
        name: s.name,
        role: s.role,
    }
}

/// Signs the fixture's first staff member with `role` in, without the
/// sign-in screen.
pub fn sign_in_as_role(app: &mut App, role: Role) {
    let session = session_of(&app.store, role);
    app.sign_in_as(session);
}

/// A key press event.
pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new_with_kind(
        code,
        KeyModifiers::NONE,
        KeyEventKind::Press,
    ))
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new_with_kind(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
        KeyEventKind::Press,
    ))
}

/// Sends one event as the event loop would: handle, then the deferred
/// searches.
pub fn send(app: &mut App, ev: Event) {
    app.handle_event(&ev);
    app.refresh();
}

/// Types text, one key press per character.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        send(app, key(KeyCode::Char(c)));
    }
}

/// Presses one key.
pub fn press(app: &mut App, code: KeyCode) {
    send(app, key(code));
}

/// The screen as text, one line per row (trailing spaces trimmed), with
/// the cursor position when it is shown.
pub fn render(app: &App, width: u16, height: u16) -> String {
    render_with(width, height, |f| waystation::tui::view::draw(f, app))
}

/// What `draw` puts on a `width`×`height` screen, as [`render`] writes it.
pub fn render_with(width: u16, height: u16, draw: impl FnOnce(&mut ratatui::Frame)) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let frame = terminal.draw(draw).unwrap();
    let buf = frame.buffer.clone();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let backend = terminal.backend();
    if backend.cursor_visible() {
        let p = backend.cursor_position();
        out.push_str(&format!("cursor: {},{}\n", p.x, p.y));
    }
    out
}

/// Whether the rendered screen contains `text`.
pub fn shows(app: &App, text: &str) -> bool {
    render(app, 120, 40).contains(text)
}

/// The screen's text with every space and box line taken out, rows run
/// together: a message wrapped over several rows reads as one.
pub fn unbroken(screen: &str) -> String {
    screen
        .chars()
        .filter(|c| !c.is_whitespace() && !"│┌┐└┘─".contains(*c))
        .collect()
}

/// Fails when `message` is not on the screen whole at 80×24 and 120×40
/// (cut with `…`, or run off the edge), however it is wrapped.
pub fn assert_whole(app: &App, message: &str) {
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(app, w, h);
        assert!(
            unbroken(&screen).contains(&unbroken(message)),
            "{message:?} is cut at {w}×{h}:\n{screen}"
        );
    }
}

/// A case just opened shows the worker's slip over its detail: it is
/// there, and Esc puts it away.
pub fn slip_away(app: &mut App) {
    assert!(app.cases.slip().is_some(), "{}", render(app, 120, 40));
    press(app, ratatui::crossterm::event::KeyCode::Esc);
    assert!(app.cases.slip().is_none());
}

/// The screen's cells: each cell's symbol, foreground and background.
pub fn cells(app: &App, width: u16, height: u16) -> Vec<Vec<(String, Color, Color)>> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let frame = terminal
        .draw(|f| waystation::tui::view::draw(f, app))
        .unwrap();
    let buf = frame.buffer.clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| {
                    let c = &buf[(x, y)];
                    (c.symbol().to_owned(), c.fg, c.bg)
                })
                .collect()
        })
        .collect()
}

/// Opens case `id` through the global lookup, as staff would (Ctrl-F, its
/// number, Enter).
pub fn jump_to_case(app: &mut App, id: waystation::domain::ids::CaseId) {
    let number = app.store.case(id).unwrap().unwrap().number.to_string();
    send(app, ctrl('f'));
    type_text(app, &number);
    press(app, ratatui::crossterm::event::KeyCode::Enter);
    assert_eq!(app.cases.shown_case(), Some(id), "{}", render(app, 120, 40));
}
