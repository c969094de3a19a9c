//! The keys of the sync pane.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key, bind};

/// Scopes of the pane's keys.
pub const FOLDER: &str = "sync.folder";
pub const LIST: &str = "sync.list";
pub const SECRET: &str = "sync.secret";

/// The single keys of the list, also named on screen beside the choices.
pub const RUN_KEY: char = 's';
pub const OTHER_KEY: char = 'o';
pub const KEEP_KEY: char = 'k';
pub const FOLDER_KEY: char = 'f';

/// The pane's keys, one binding a line.
#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    let c = Key::ch;
    let cmd = Action::Cmd;
    vec![
        bind(FOLDER, &[p(Enter)], cmd("sync.run"), "sync.run", true),
        bind(FOLDER, &[p(Tab), p(Down)], cmd("sync.to_list"), "sync.to_list", true),
        bind(FOLDER, &[p(Esc)], cmd("sync.to_list"), "sync.to_list", false),
        bind(LIST, &[c(RUN_KEY)], cmd("sync.run"), "sync.run", true),
        bind(LIST, &[c(OTHER_KEY)], cmd("sync.other"), "sync.other", true),
        bind(LIST, &[c(KEEP_KEY)], cmd("sync.keep"), "sync.keep", true),
        bind(LIST, &[c(FOLDER_KEY), p(Tab)], cmd("sync.to_folder"), "sync.to_folder", true),
        bind(LIST, &[p(Esc)], cmd("sync.to_folder"), "sync.to_folder", false),
        bind(LIST, &[p(Up)], Action::Up, "key.up", false),
        bind(LIST, &[p(Down)], Action::Down, "key.down", false),
        bind(LIST, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(LIST, &[p(PageDown)], Action::PageDown, "key.page_down", false),
        bind(LIST, &[p(Home)], Action::Home, "key.home", false),
        bind(LIST, &[p(End)], Action::End, "key.end", false),
        bind(SECRET, &[p(Enter)], Action::Confirm, "sync.secret_ok", true),
        bind(SECRET, &[p(Esc)], Action::Back, "key.cancel", true),
    ]
}
