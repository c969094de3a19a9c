//! Applying the keys of the figures pane.

use std::cell::Cell;

use chrono::{Datelike, Duration, Months, NaiveDate};

use super::rows::Target;
use super::{Cmd, Dialog, FiguresPane, Listed, RECORDS_PAGE, STATION_SETTING};
use crate::domain::dates::{NamedPeriod, Period};
use crate::i18n::Localized;
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::{CaseSet, Ctx, Jump};
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::range;

/// Entries of the station list moved by PgUp/PgDn.
const STATION_PAGE: usize = 10;

impl FiguresPane {
    pub(super) fn apply(&mut self, cx: &mut Ctx, action: &Action) {
        match self.dialog.take() {
            Some(Dialog::Range(form)) => self.range_dialog(cx, form, action),
            Some(Dialog::Stations { filter, selected }) => {
                self.stations_dialog(cx, filter, selected, action);
            }
            Some(Dialog::Records {
                title,
                target,
                listed,
                selected,
                page,
            }) => self.records_dialog(cx, (title, target), listed, selected, page, action),
            None => self.main(cx, action),
        }
    }

    fn main(&mut self, cx: &mut Ctx, action: &Action) {
        let today = cx.today();
        let named = |n: NamedPeriod| Some(n.period(today));
        let new_period = match action {
            Action::Pane(PaneCmd::Figures(Cmd::Today)) => named(NamedPeriod::Today),
            Action::Pane(PaneCmd::Figures(Cmd::ThisWeek)) => named(NamedPeriod::ThisWeek),
            Action::Pane(PaneCmd::Figures(Cmd::ThisMonth)) => named(NamedPeriod::ThisMonth),
            Action::Pane(PaneCmd::Figures(Cmd::LastMonth)) => named(NamedPeriod::LastMonth),
            Action::Pane(PaneCmd::Figures(Cmd::ThisYear)) => named(NamedPeriod::ThisYear),
            Action::Pane(PaneCmd::Figures(Cmd::Earlier)) => Some(step(self.period, false)),
            Action::Pane(PaneCmd::Figures(Cmd::Later)) => Some(step(self.period, true)),
            _ => None,
        };
        if let Some(p) = new_period {
            if p != self.period {
                self.period = p;
                self.count(cx);
            }
            return;
        }
        let items = self.items(cx.lang);
        let last = items.len().saturating_sub(1);
        let moved = |from: usize, forward: bool, by: usize| -> usize {
            // The next selectable row `by` rows on (or the nearest one).
            let mut at = from;
            let mut left = by;
            let mut i = from;
            while left > 0 {
                let next = if forward {
                    (i < last).then_some(i + 1)
                } else {
                    i.checked_sub(1)
                };
                let Some(n) = next else { break };
                i = n;
                if items[i].selectable() {
                    at = i;
                    left -= 1;
                }
            }
            at
        };
        match action {
            Action::Up => self.selected = moved(self.selected, false, 1),
            Action::Down => self.selected = moved(self.selected, true, 1),
            Action::PageUp => self.selected = moved(self.selected, false, 10),
            Action::PageDown => self.selected = moved(self.selected, true, 10),
            Action::Home => self.selected = moved(items.len(), false, items.len()),
            Action::End => self.selected = moved(0, true, items.len()),
            Action::NextField | Action::PrevField => {
                self.section = self.section.step(*action == Action::NextField);
                self.selected = 0;
                self.scroll.set(0);
                self.fix_selection();
            }
            Action::Pane(PaneCmd::Figures(Cmd::Range)) => {
                self.dialog = Some(Dialog::Range(self.range_form(cx)))
            }
            Action::Pane(PaneCmd::Figures(Cmd::Station)) => {
                if self.stations.len() < 2 {
                    cx.info(t!(cx.lang, "figures.one_station"));
                } else {
                    let choices = self.station_choices("");
                    let selected = choices
                        .iter()
                        .position(|s| s.map(|s| s.id) == self.station)
                        .unwrap_or(0);
                    self.dialog = Some(Dialog::Stations {
                        filter: Field::text(t!(cx.lang, "figures.station_filter"), ""),
                        selected,
                    });
                }
            }
            Action::Confirm => self.behind(cx),
            _ => {}
        }
    }

    fn range_form(&self, cx: &Ctx) -> Form {
        range::form(self.period, cx.lang)
    }

    fn range_dialog(&mut self, cx: &mut Ctx, mut form: Form, action: &Action) {
        match action {
            Action::Back => return,
            Action::Confirm | Action::Save => {
                if let Some(p) = range::read(&mut form, cx.today(), cx.lang) {
                    self.period = p;
                    self.count(cx);
                    return;
                }
            }
            other => {
                form.handle(other);
            }
        }
        self.dialog = Some(Dialog::Range(form));
    }

    fn stations_dialog(
        &mut self,
        cx: &mut Ctx,
        mut filter: Field,
        selected: usize,
        action: &Action,
    ) {
        let choices = self.station_choices(filter.text_value());
        let last = choices.len().saturating_sub(1);
        let selected = match action {
            Action::Back => return,
            Action::Confirm => {
                let chosen = choices
                    .get(selected.min(last))
                    .copied()
                    .flatten()
                    .map(|s| (s.id, s.code.clone()));
                self.station = chosen.as_ref().map(|(id, _)| *id);
                let kept = chosen.map_or_else(|| "*".to_owned(), |(_, code)| code);
                if let Err(e) = cx.store.set_setting(STATION_SETTING, Some(&kept)) {
                    cx.store_error(e);
                }
                self.count(cx);
                return;
            }
            Action::Up => selected.saturating_sub(1),
            Action::Down => (selected + 1).min(last),
            Action::PageUp => selected.saturating_sub(STATION_PAGE),
            Action::PageDown => (selected + STATION_PAGE).min(last),
            Action::Edit(req) => {
                filter.edit(*req);
                // A new filter starts at its first match.
                usize::from(!filter.text_value().trim().is_empty())
                    .min(self.station_choices(filter.text_value()).len() - 1)
            }
            _ => selected,
        };
        self.dialog = Some(Dialog::Stations { filter, selected });
    }

    #[allow(clippy::too_many_arguments)]
    fn records_dialog(
        &mut self,
        cx: &mut Ctx,
        (title, target): (String, Target),
        listed: Listed,
        selected: usize,
        page: Cell<usize>,
        action: &Action,
    ) {
        let last = listed.len().saturating_sub(1);
        let by = page.get().max(1);
        let selected = match action {
            Action::Back => return,
            Action::Up => selected.saturating_sub(1),
            Action::Down => (selected + 1).min(last),
            Action::PageUp => selected.saturating_sub(by),
            Action::PageDown => (selected + by).min(last),
            Action::Home => 0,
            Action::End => last,
            Action::Confirm => {
                let person = match &listed {
                    Listed::Visits(p) => p.rows.get(selected).and_then(|r| r.person.clone()),
                    Listed::Sessions(p) => p.rows.get(selected).and_then(|r| r.person.clone()),
                };
                match person {
                    Some((id, _)) => {
                        *cx.jump = Some(Jump::Person(id));
                        return;
                    }
                    None => {
                        cx.info(t!(cx.lang, "figures.no_person"));
                        selected
                    }
                }
            }
            _ => selected,
        };
        self.dialog = Some(Dialog::Records {
            title,
            target,
            listed,
            selected,
            page,
        });
    }

    /// The records of an open list, read again (the pane is shown again).
    pub(super) fn reread_records(&mut self, cx: &mut Ctx) {
        let Some(f) = self.current().cloned() else {
            return;
        };
        let Some(Dialog::Records {
            target,
            listed,
            selected,
            ..
        }) = &mut self.dialog
        else {
            return;
        };
        let fresh = match *target {
            Target::Visits(filter) => cx
                .store
                .visits_for(&f, filter, RECORDS_PAGE)
                .map(Listed::Visits),
            Target::Sessions(filter, kind) => cx
                .store
                .sessions_for(&f, filter, kind, RECORDS_PAGE)
                .map(Listed::Sessions),
            Target::Cases(..) => return,
        };
        match fresh {
            Ok(l) => {
                *selected = (*selected).min(l.len().saturating_sub(1));
                *listed = l;
            }
            Err(e) => cx.error(e.localized(cx.lang)),
        }
    }

    /// Enter on a figure: the records it counts.
    fn behind(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        let Some(f) = self.current().cloned() else {
            cx.info(t!(lang, "figures.wait"));
            return;
        };
        let items = self.items(lang);
        let Some(item) = items.get(self.selected) else {
            return;
        };
        let Some(target) = item.target else {
            cx.info(t!(lang, "figures.no_records"));
            return;
        };
        let title = format!("{} · {}", self.period_label(lang, cx.today()), item.label);
        match target {
            Target::Cases(figure, case_type) => match cx.store.cases_for(&f, figure, case_type) {
                Ok(ids) if ids.is_empty() => cx.info(t!(lang, "figures.no_records")),
                Ok(ids) => *cx.jump = Some(Jump::Cases(Box::new(CaseSet { title, ids }))),
                Err(e) => cx.error(e.localized(lang)),
            },
            Target::Visits(filter) => match cx.store.visits_for(&f, filter, RECORDS_PAGE) {
                Ok(p) => self.open_records(cx, title, target, Listed::Visits(p)),
                Err(e) => cx.error(e.localized(lang)),
            },
            Target::Sessions(filter, kind) => {
                match cx.store.sessions_for(&f, filter, kind, RECORDS_PAGE) {
                    Ok(p) => self.open_records(cx, title, target, Listed::Sessions(p)),
                    Err(e) => cx.error(e.localized(lang)),
                }
            }
        }
    }

    fn open_records(&mut self, cx: &mut Ctx, title: String, target: Target, listed: Listed) {
        if listed.is_empty() {
            cx.info(t!(cx.lang, "figures.no_records"));
            return;
        }
        self.dialog = Some(Dialog::Records {
            title,
            target,
            listed,
            selected: 0,
            page: Cell::new(10),
        });
    }

    /// The period in words: its name when it is one (本月), else its
    /// days ([`FiguresPane::range_text`]).
    pub fn period_label(&self, lang: crate::i18n::Lang, today: NaiveDate) -> String {
        match NamedPeriod::matching(self.period, today) {
            Some(n) => n.label(lang).to_owned(),
            None => self.range_text(lang),
        }
    }

    /// The period's days: one day, or `2026-12-06 至 2026-12-07`.
    pub fn range_text(&self, lang: crate::i18n::Lang) -> String {
        let p = self.period;
        if p.from == p.to {
            p.from.to_string()
        } else {
            t!(lang, "figures.from_to", from = p.from, to = p.to)
        }
    }
}

/// The period before or after `p`: the same month, year or week when `p`
/// is a whole one, else as many days.
pub(super) fn step(p: Period, forward: bool) -> Period {
    let whole_month = p.from.day() == 1
        && p.to.month() == p.from.month()
        && p.to.year() == p.from.year()
        && (p.to + Duration::days(1)).day() == 1;
    let whole_year = p.from.ordinal() == 1
        && p.to.year() == p.from.year()
        && (p.to + Duration::days(1)).ordinal() == 1;
    let shift_months = |d: NaiveDate, n: u32| {
        if forward {
            d.checked_add_months(Months::new(n))
        } else {
            d.checked_sub_months(Months::new(n))
        }
    };
    let moved = if whole_year || whole_month {
        let n = if whole_year { 12 } else { 1 };
        shift_months(p.from, n).and_then(|from| {
            let to = from.checked_add_months(Months::new(n))? - Duration::days(1);
            Period::new(from, to).ok()
        })
    } else {
        let days = Duration::days(p.days());
        let (from, to) = if forward {
            (p.from + days, p.to + days)
        } else {
            (p.from - days, p.to - days)
        };
        Period::new(from, to).ok()
    };
    moved.unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn stepping_keeps_months_years_and_lengths() {
        let feb = Period::new(d(2, 1), d(2, 28)).unwrap();
        assert_eq!(step(feb, true), Period::new(d(3, 1), d(3, 31)).unwrap());
        assert_eq!(step(feb, false), Period::new(d(1, 1), d(1, 31)).unwrap());
        let year = Period::new(d(1, 1), d(12, 31)).unwrap();
        let next = step(year, true);
        assert_eq!((next.from.year(), next.days()), (2027, 365));
        let week = Period::new(d(11, 16), d(11, 22)).unwrap();
        assert_eq!(step(week, false), Period::new(d(11, 9), d(11, 15)).unwrap());
        let day = Period::day(d(3, 1));
        assert_eq!(step(day, false), Period::day(d(2, 28)));
    }
}
