//! The keys of the sync pane.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::{Action, commands};
use crate::tui::keymap::{Binding, Key, bind, bind_cmd};

commands! {
    /// The sync pane's single-key commands.
    pub enum Cmd {
        /// Sync with the folder now.
        Run = "sync.run",
        /// From the folder to the list of conflicts.
        ToList = "sync.to_list",
        /// Take the other value of the selected conflict.
        Other = "sync.other",
        /// Keep the current value of the selected conflict.
        Keep = "sync.keep",
        /// From the list of conflicts to the folder.
        ToFolder = "sync.to_folder",
        /// Apply the operations held apart (dated far in the future).
        AcceptHeld = "held.accept",
        /// Create the district's sync network in the folder (admins, once,
        /// at the district office), then sync.
        Create = "sync.create",
        /// Open the list of people who may be one worker registered twice.
        Duplicates = "sync.duplicates",
        /// Merge the selected pair (choosing what the record keeps).
        DupsMerge = "dups.merge",
        /// Mark the selected pair two workers.
        DupsDismiss = "dups.dismiss",
        /// Undo the last merge made in the list.
        DupsUndo = "dups.undo",
        /// Close the list.
        DupsClose = "dups.close",
        /// While merging: take the other record's value of the row.
        DupsToggle = "dups.toggle",
    }
}

/// Scopes of the pane's keys.
pub const FOLDER: &str = "sync.folder";
pub const LIST: &str = "sync.list";
pub const SECRET: &str = "sync.secret";
/// The dialog that creates a network.
pub const NEW: &str = "sync.new";
/// The list of possible duplicates (`dups.rs`).
pub const DUPS: &str = "sync.dups";
/// Choosing what a merged worker's record keeps.
pub const DUPS_MERGE: &str = "sync.dups_merge";
/// The key that opens the list from the conflicts list.
pub const DUPS_KEY: char = 'd';

/// The single keys of the list, also named on screen beside the choices.
pub const RUN_KEY: char = 's';
pub const OTHER_KEY: char = 'o';
pub const KEEP_KEY: char = 'k';
pub const FOLDER_KEY: char = 'f';
pub const CREATE_KEY: char = 'n';

/// The pane's keys, one binding a line.
#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    let c = Key::ch;
    vec![
        bind_cmd(FOLDER, &[p(Enter)], Cmd::Run, true),
        bind_cmd(FOLDER, &[p(Tab), p(Down)], Cmd::ToList, true),
        bind_cmd(FOLDER, &[p(Esc)], Cmd::ToList, false),
        bind_cmd(FOLDER, &[Key::ctrl(CREATE_KEY)], Cmd::Create, false),
        bind_cmd(LIST, &[c(RUN_KEY)], Cmd::Run, true),
        bind_cmd(LIST, &[c(OTHER_KEY)], Cmd::Other, true),
        bind_cmd(LIST, &[c(KEEP_KEY)], Cmd::Keep, true),
        bind_cmd(LIST, &[c(super::held::ACCEPT_KEY)], Cmd::AcceptHeld, false),
        bind_cmd(LIST, &[c(FOLDER_KEY), p(Tab)], Cmd::ToFolder, true),
        bind_cmd(LIST, &[p(Esc)], Cmd::ToFolder, false),
        bind_cmd(LIST, &[c(CREATE_KEY)], Cmd::Create, false),
        bind_cmd(LIST, &[c(DUPS_KEY)], Cmd::Duplicates, true),
        bind_cmd(DUPS, &[c('m')], Cmd::DupsMerge, true),
        bind_cmd(DUPS, &[c('x')], Cmd::DupsDismiss, true),
        bind_cmd(DUPS, &[c('u')], Cmd::DupsUndo, true),
        bind_cmd(DUPS, &[p(Esc), c('q')], Cmd::DupsClose, true),
        bind(DUPS, &[p(Up)], Action::Up, "key.up", false),
        bind(DUPS, &[p(Down)], Action::Down, "key.down", false),
        bind(DUPS, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(DUPS, &[p(PageDown)], Action::PageDown, "key.page_down", false),
        bind(DUPS, &[p(Home)], Action::Home, "key.home", false),
        bind(DUPS, &[p(End)], Action::End, "key.end", false),
        bind(DUPS_MERGE, &[p(Enter)], Action::Confirm, "dups.merge_now", true),
        bind_cmd(DUPS_MERGE, &[c(' '), p(Left), p(Right)], Cmd::DupsToggle, true),
        bind(DUPS_MERGE, &[p(Up), p(BackTab)], Action::Up, "dups.row_prev", false),
        bind(DUPS_MERGE, &[p(Down), p(Tab)], Action::Down, "dups.row_next", true),
        bind(DUPS_MERGE, &[p(Esc)], Action::Back, "key.cancel", true),
        bind(LIST, &[p(Up)], Action::Up, "key.up", false),
        bind(LIST, &[p(Down)], Action::Down, "key.down", false),
        bind(LIST, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(LIST, &[p(PageDown)], Action::PageDown, "key.page_down", false),
        bind(LIST, &[p(Home)], Action::Home, "key.home", false),
        bind(LIST, &[p(End)], Action::End, "key.end", false),
        bind(SECRET, &[p(Enter)], Action::Confirm, "sync.secret_ok", true),
        bind(SECRET, &[p(Esc)], Action::Back, "key.cancel", true),
        bind(NEW, &[p(Enter)], Action::Confirm, "sync.create_ok", true),
        bind(NEW, &[p(Tab)], Action::NextField, "sync.create_next", true),
        bind(NEW, &[p(BackTab), p(Down), p(Up)], Action::NextField, "sync.create_next", false),
        bind(NEW, &[p(Esc)], Action::Back, "key.cancel", true),
    ]
}
