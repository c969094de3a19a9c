//! The keys of the admin pane.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::{Action, commands};
use crate::tui::keymap::{Binding, Key, bind, bind_cmd};

commands! {
    /// The admin pane's single-key commands.
    pub enum Cmd {
        /// Add a staff member.
        Add = "admin.add",
        /// Give the selected staff member another role.
        Role = "admin.role",
        /// Set the selected staff member's PIN.
        Pin = "admin.pin",
        /// Deactivate or reactivate the selected staff member.
        Active = "admin.active",
        /// The audit log of this month.
        ThisMonth = "admin.this_month",
        /// The audit log of today.
        Today = "admin.today",
        /// The audit log of a period typed in.
        Range = "admin.range",
        /// The audit log of one staff member.
        ByStaff = "admin.by_staff",
        /// The audit log of one kind of action.
        ByAction = "admin.by_action",
        /// Show or hide the changes to records.
        Changes = "admin.changes",
        /// Erase a person on request.
        Erase = "admin.erase",
    }
}

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
    let mut b = vec![
        bind_cmd(STAFF, &[c('a')], Cmd::Add, true),
        bind_cmd(STAFF, &[c('r')], Cmd::Role, true),
        bind_cmd(STAFF, &[c('p')], Cmd::Pin, true),
        bind_cmd(STAFF, &[c('x')], Cmd::Active, true),
        bind_cmd(LOG, &[c('m')], Cmd::ThisMonth, true),
        bind_cmd(LOG, &[c('d')], Cmd::Today, false),
        bind_cmd(LOG, &[c('r')], Cmd::Range, true),
        bind_cmd(LOG, &[c('s')], Cmd::ByStaff, true),
        bind_cmd(LOG, &[c('a')], Cmd::ByAction, true),
        bind_cmd(LOG, &[c('c')], Cmd::Changes, true),
        bind(LOG, &[p(Enter)], Action::Confirm, "admin.details", true),
        bind_cmd(ERASE, &[c('e')], Cmd::Erase, true),
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
