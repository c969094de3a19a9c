//! The keys of the figures pane.

use ratatui::crossterm::event::KeyCode;

use crate::tui::action::{Action, commands};
use crate::tui::keymap::{Binding, Key, bind, bind_cmd};

commands! {
    /// The figures pane's single-key commands.
    pub enum Cmd {
        /// The figures of this month.
        ThisMonth = "figures.this_month",
        /// The figures of last month.
        LastMonth = "figures.last_month",
        /// The figures of today.
        Today = "figures.today",
        /// The figures of this week.
        ThisWeek = "figures.this_week",
        /// The figures of this year.
        ThisYear = "figures.this_year",
        /// The figures of a period typed in.
        Range = "figures.range",
        /// The period before the one shown.
        Earlier = "figures.earlier",
        /// The period after the one shown.
        Later = "figures.later",
        /// Choose the station counted.
        Station = "figures.station",
    }
}

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
    vec![
        bind_cmd(MAIN, &[c('m')], Cmd::ThisMonth, true),
        bind_cmd(MAIN, &[c('l')], Cmd::LastMonth, true),
        bind_cmd(MAIN, &[c('d')], Cmd::Today, false),
        bind_cmd(MAIN, &[c('w')], Cmd::ThisWeek, false),
        bind_cmd(MAIN, &[c('y')], Cmd::ThisYear, false),
        bind_cmd(MAIN, &[c('r')], Cmd::Range, true),
        bind_cmd(MAIN, &[p(Left)], Cmd::Earlier, true),
        bind_cmd(MAIN, &[p(Right)], Cmd::Later, false),
        bind_cmd(MAIN, &[c('t')], Cmd::Station, true),
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
