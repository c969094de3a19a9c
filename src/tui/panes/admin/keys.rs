//! The keys of the admin pane.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key, bind};

/// Scopes of the pane's keys: one per section, one per kind of dialog.
pub const STAFF: &str = "admin.staff";
pub const LOG: &str = "admin.log";
pub const ERASE: &str = "admin.erase";
pub const FORM: &str = "admin.form";
pub const CHOOSE: &str = "admin.choose";
pub const LINE: &str = "admin.line";
pub const PICK: &str = "admin.pick";
pub const CONFIRM: &str = "admin.confirm";

/// The pane's keys, one binding a line.
#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    let c = Key::ch;
    let cmd = Action::Cmd;
    let mut b = vec![
        bind(STAFF, &[c('a')], cmd("admin.add"), "admin.add", true),
        bind(STAFF, &[c('r')], cmd("admin.role"), "admin.role", true),
        bind(STAFF, &[c('p')], cmd("admin.pin"), "admin.pin", true),
        bind(STAFF, &[c('x')], cmd("admin.active"), "admin.active", true),
        bind(LOG, &[c('m')], cmd("admin.this_month"), "admin.this_month", true),
        bind(LOG, &[c('d')], cmd("admin.today"), "admin.today", false),
        bind(LOG, &[c('r')], cmd("admin.range"), "admin.range", true),
        bind(LOG, &[c('s')], cmd("admin.by_staff"), "admin.by_staff", true),
        bind(LOG, &[c('a')], cmd("admin.by_action"), "admin.by_action", true),
        bind(LOG, &[c('c')], cmd("admin.changes"), "admin.changes", true),
        bind(LOG, &[p(Enter)], Action::Confirm, "admin.details", true),
        bind(ERASE, &[c('e')], cmd("admin.erase"), "admin.erase", true),
        bind(FORM, &[p(Enter)], Action::Confirm, "admin.save", true),
        bind(CHOOSE, &[p(Enter)], Action::Confirm, "admin.choose", true),
        bind(CHOOSE, &[p(Esc)], Action::Back, "key.cancel", true),
        bind(CHOOSE, &[p(Up)], Action::Up, "key.up", false),
        bind(CHOOSE, &[p(Down)], Action::Down, "key.down", false),
        bind(CHOOSE, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(CHOOSE, &[p(PageDown)], Action::PageDown, "key.page_down", false),
        bind(LINE, &[p(Esc), p(Enter)], Action::Back, "key.back", true),
        bind(LINE, &[p(Up)], Action::Up, "admin.line_prev", true),
        bind(LINE, &[p(Down)], Action::Down, "admin.line_next", true),
        bind(PICK, &[p(Enter)], Action::Confirm, "admin.pick_person", true),
        bind(PICK, &[p(Esc)], Action::Back, "key.cancel", true),
        bind(PICK, &[p(Up)], Action::Up, "key.up", false),
        bind(PICK, &[p(Down)], Action::Down, "key.down", false),
        bind(CONFIRM, &[p(Enter)], Action::Confirm, "admin.erase_now", true),
        bind(CONFIRM, &[p(Esc)], Action::Back, "key.cancel", true),
    ];
    // Every section: the next and previous section, and moving in its list.
    for scope in [STAFF, LOG, ERASE] {
        b.extend([
            bind(scope, &[p(Tab)], Action::NextField, "admin.next_section", true),
            bind(scope, &[p(BackTab)], Action::PrevField, "admin.prev_section", false),
            bind(scope, &[p(Up)], Action::Up, "key.up", false),
            bind(scope, &[p(Down)], Action::Down, "key.down", false),
            bind(scope, &[p(PageUp)], Action::PageUp, "key.page_up", false),
            bind(scope, &[p(PageDown)], Action::PageDown, "key.page_down", false),
            bind(scope, &[p(Home)], Action::Home, "key.home", false),
            bind(scope, &[p(End)], Action::End, "key.end", false),
        ]);
    }
    b
}
