//! The keys of the figures pane.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key, bind};

/// Scopes of the pane's keys.
pub const MAIN: &str = "figures.main";
pub const RANGE: &str = "figures.range";
pub const STATIONS: &str = "figures.stations";
pub const RECORDS: &str = "figures.records";

/// The pane's keys, one binding a line.
#[rustfmt::skip]
pub fn bindings() -> Vec<Binding> {
    use KeyCode::*;
    let p = Key::plain;
    let c = Key::ch;
    let cmd = Action::Cmd;
    vec![
        bind(MAIN, &[c('m')], cmd("figures.this_month"), "figures.this_month", true),
        bind(MAIN, &[c('l')], cmd("figures.last_month"), "figures.last_month", true),
        bind(MAIN, &[c('d')], cmd("figures.today"), "figures.today", false),
        bind(MAIN, &[c('w')], cmd("figures.this_week"), "figures.this_week", false),
        bind(MAIN, &[c('y')], cmd("figures.this_year"), "figures.this_year", false),
        bind(MAIN, &[c('r')], cmd("figures.range"), "figures.range", true),
        bind(MAIN, &[p(Left)], cmd("figures.earlier"), "figures.earlier", true),
        bind(MAIN, &[p(Right)], cmd("figures.later"), "figures.later", false),
        bind(MAIN, &[c('t')], cmd("figures.station"), "figures.station", true),
        bind(MAIN, &[p(Tab)], Action::NextField, "figures.next_section", true),
        bind(MAIN, &[p(BackTab)], Action::PrevField, "figures.prev_section", false),
        bind(MAIN, &[p(Enter)], Action::Confirm, "figures.behind", true),
        bind(MAIN, &[p(Up)], Action::Up, "key.up", false),
        bind(MAIN, &[p(Down)], Action::Down, "key.down", false),
        bind(MAIN, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(MAIN, &[p(PageDown)], Action::PageDown, "key.page_down", false),
        bind(MAIN, &[p(Home)], Action::Home, "key.home", false),
        bind(MAIN, &[p(End)], Action::End, "key.end", false),
        bind(RANGE, &[p(Enter)], Action::Confirm, "figures.range_ok", true),
        bind(STATIONS, &[p(Enter)], Action::Confirm, "figures.station_ok", true),
        bind(STATIONS, &[p(Esc)], Action::Back, "key.cancel", true),
        bind(STATIONS, &[p(Up)], Action::Up, "key.up", false),
        bind(STATIONS, &[p(Down)], Action::Down, "key.down", false),
        bind(STATIONS, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(STATIONS, &[p(PageDown)], Action::PageDown, "key.page_down", false),
        bind(RECORDS, &[p(Enter)], Action::Confirm, "figures.open_person", true),
        bind(RECORDS, &[p(Esc)], Action::Back, "key.back", true),
        bind(RECORDS, &[p(Up)], Action::Up, "key.up", false),
        bind(RECORDS, &[p(Down)], Action::Down, "key.down", false),
        bind(RECORDS, &[p(PageUp)], Action::PageUp, "key.page_up", false),
        bind(RECORDS, &[p(PageDown)], Action::PageDown, "key.page_down", false),
        bind(RECORDS, &[p(Home)], Action::Home, "key.home", false),
        bind(RECORDS, &[p(End)], Action::End, "key.end", false),
    ]
}
