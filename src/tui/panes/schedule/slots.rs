//! The keys of the week and day views: moving, switching views, the
//! session under the cursor (arrived, done, no-show, cancelled, follow-up),
//! and the next free slot.

use chrono::{Datelike, Duration, NaiveDate};

use super::{
    AppointmentStatus, Booked, Cell, Cmd, Dialog, HORIZON_DAYS, Mode, RowKey, SchedulePane,
    ViewMode, Who, weekday_short,
};
use crate::domain::access::Act;
use crate::domain::ids::CounsellorId;
use crate::domain::schedule::{CounsellorKind, Slot};
use crate::i18n::Localized;
use crate::store::SlotFilter;
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::Ctx;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;

impl SchedulePane {
    pub(super) fn update_slots(&mut self, cx: &mut Ctx, action: &Action) {
        match action {
            Action::Up | Action::Down | Action::Home | Action::End if self.side_focus => {
                let items = self.side_items();
                let at = items.iter().position(|w| *w == self.who).unwrap_or(0);
                let to = match action {
                    Action::Up => at.saturating_sub(1),
                    Action::Down => (at + 1).min(items.len().saturating_sub(1)),
                    Action::Home => 0,
                    _ => items.len().saturating_sub(1),
                };
                if let Some(w) = items.get(to)
                    && *w != self.who
                {
                    self.who = *w;
                    self.due = true;
                }
            }
            Action::Up | Action::Down | Action::Home | Action::End => {
                let (cur, len) = match self.view {
                    ViewMode::Week => (self.wrow, self.week.rows.len()),
                    ViewMode::Day => (self.drow, self.week.day(self.date).len()),
                };
                let to = match action {
                    Action::Up => cur.saturating_sub(1),
                    Action::Down => (cur + 1).min(len.saturating_sub(1)),
                    Action::Home => 0,
                    _ => len.saturating_sub(1),
                };
                match self.view {
                    ViewMode::Week => self.wrow = to,
                    ViewMode::Day => self.drow = to,
                }
            }
            Action::Left => self.go_by(-1),
            Action::Right => self.go_by(1),
            Action::PageUp => self.go_by(-7),
            Action::PageDown => self.go_by(7),
            Action::Pane(PaneCmd::Schedule(Cmd::ToSlots)) => self.side_focus = false,
            Action::Pane(PaneCmd::Schedule(Cmd::ToSide)) => self.side_focus = true,
            Action::Pane(PaneCmd::Schedule(Cmd::DayView)) => {
                let key = self.key();
                self.view = ViewMode::Day;
                self.place(key);
            }
            Action::Pane(PaneCmd::Schedule(Cmd::WeekView)) => {
                let key = self.key();
                self.view = ViewMode::Week;
                self.place(key);
            }
            Action::Pane(PaneCmd::Schedule(Cmd::Today)) => self.go_to(cx.today()),
            Action::Pane(PaneCmd::Schedule(Cmd::Book)) => self.open_booking(cx),
            Action::Pane(PaneCmd::Schedule(Cmd::NextFree)) => self.next_free(cx),
            Action::Pane(PaneCmd::Schedule(Cmd::Arrived)) => {
                self.set_status(cx, AppointmentStatus::Arrived)
            }
            Action::Pane(PaneCmd::Schedule(Cmd::Done)) => {
                self.set_status(cx, AppointmentStatus::Done)
            }
            Action::Pane(PaneCmd::Schedule(Cmd::NoShow)) => {
                self.set_status(cx, AppointmentStatus::NoShow)
            }
            Action::Pane(PaneCmd::Schedule(Cmd::Reset)) => {
                self.set_status(cx, AppointmentStatus::Booked)
            }
            Action::Pane(PaneCmd::Schedule(Cmd::Cancel)) => self.ask_cancel(cx),
            Action::Pane(PaneCmd::Schedule(Cmd::FollowUp)) => self.open_follow_up(cx),
            Action::Pane(PaneCmd::Schedule(Cmd::SessionNotes)) => self.open_notes(cx),
            Action::Pane(PaneCmd::Schedule(Cmd::Waitlist)) => {
                self.mode = Mode::Waitlist;
                self.load_waitlist(cx);
                // A full week: straight to putting someone on the list.
                if self.week_full(Self::now_local(cx)) {
                    self.open_wait_add();
                }
            }
            Action::Pane(PaneCmd::Schedule(Cmd::Manage)) if !Self::may(cx, Act::ManageSchedule) => {
                cx.error(Act::ManageSchedule.needs(self.lang));
            }
            Action::Pane(PaneCmd::Schedule(Cmd::Manage)) => {
                self.mode = Mode::Manage;
                self.load_manage(cx);
            }
            _ => {}
        }
    }

    /// The session under the cursor, or a message saying there is none.
    pub(super) fn selected_booking(&self, cx: &mut Ctx) -> Option<(Cell, Booked)> {
        let cell = self.selected().cloned();
        match cell {
            Some(c) => match c.booked.clone() {
                Some(b) => Some((c, b)),
                None => {
                    cx.error(t!(self.lang, "schedule.no_booking"));
                    None
                }
            },
            None => {
                cx.error(t!(self.lang, "schedule.no_slot"));
                None
            }
        }
    }

    pub(super) fn about(&self, c: &Cell, name: &str) -> String {
        format!(
            "{} {} {} {} {}",
            name,
            weekday_short(self.lang, c.date.weekday()),
            c.date.format("%m-%d"),
            c.slot.start.format("%H:%M"),
            c.counsellor_name
        )
    }

    pub(super) fn set_status(&mut self, cx: &mut Ctx, to: AppointmentStatus) {
        let Some((cell, b)) = self.selected_booking(cx) else {
            return;
        };
        if to == AppointmentStatus::Booked && b.status == AppointmentStatus::Booked {
            cx.error(t!(self.lang, "schedule.nothing_to_reset"));
            return;
        }
        let now = Self::now_local(cx);
        match cx.store.write(|w| w.mark_appointment(b.id, to, now)) {
            Ok(()) => {
                let about = self.about(&cell, &b.name);
                cx.info(t!(
                    self.lang,
                    "schedule.status_set",
                    about = about,
                    status = to.label(self.lang)
                ));
                self.reload(cx);
            }
            Err(e) => cx.store_error(e),
        }
    }

    pub(super) fn ask_cancel(&mut self, cx: &mut Ctx) {
        let Some((cell, b)) = self.selected_booking(cx) else {
            return;
        };
        if let Err(e) = b.status.transition(AppointmentStatus::Cancelled) {
            let mut msg = e.localized(self.lang);
            if b.status.transition(AppointmentStatus::Booked).is_ok() {
                msg.push_str(t!(self.lang, "schedule.reset_first"));
            }
            cx.error(msg);
            return;
        }
        let about = self.about(&cell, &b.name);
        self.dialog = Some(Dialog::ConfirmCancel { id: b.id, about });
    }

    pub(super) fn open_follow_up(&mut self, cx: &mut Ctx) {
        let Some((cell, b)) = self.selected_booking(cx) else {
            return;
        };
        let value = b.follow_up.map(|d| d.to_string()).unwrap_or_default();
        let field = Field::text(t!(self.lang, "schedule.fu.label"), &value)
            .with_hint(t!(self.lang, "schedule.fu.hint"));
        let about = self.about(&cell, &b.name);
        self.dialog = Some(Dialog::FollowUp {
            id: b.id,
            about,
            form: Form::new(vec![field]),
        });
    }

    /// Finds the first free slot after the cursor (or now) for the selected
    /// counsellor or kind, and moves there.
    pub(super) fn next_free(&mut self, cx: &mut Ctx) {
        let now = Self::now_local(cx);
        let from = match self.selected() {
            Some(c) if c.starts() >= now => c.starts() + Duration::minutes(1),
            _ => self.date.and_time(chrono::NaiveTime::MIN).max(now),
        };
        if let Who::One(id) = self.who
            && self.stopped(id)
        {
            cx.error(t!(self.lang, "schedule.stopped_no_slots"));
            return;
        }
        let filters = match self.who {
            Who::One(id) => vec![SlotFilter::Counsellor(id)],
            Who::Kind(k) => vec![SlotFilter::Kind(k)],
            Who::All => CounsellorKind::ALL
                .iter()
                .map(|k| SlotFilter::Kind(*k))
                .collect(),
        };
        let mut best: Option<(CounsellorId, NaiveDate, Slot)> = None;
        for filter in filters {
            match cx.store.next_free_slot(filter, from, HORIZON_DAYS) {
                Ok(Some(found)) => {
                    if best.is_none_or(|b| (found.1, found.2.start) < (b.1, b.2.start)) {
                        best = Some(found);
                    }
                }
                Ok(None) => {}
                Err(e) => return cx.store_error(e),
            }
        }
        let Some((counsellor, date, slot)) = best else {
            cx.error(t!(self.lang, "schedule.next_none", days = HORIZON_DAYS));
            return;
        };
        self.date = date;
        self.want = Some(RowKey {
            start: slot.start,
            counsellor,
        });
        self.side_focus = false;
        self.reload(cx);
        let name = self
            .counsellor(counsellor)
            .map_or("", |c| c.name.as_str())
            .to_owned();
        let when = format!(
            "{} {} {}–{}",
            date.format("%Y-%m-%d"),
            weekday_short(self.lang, date.weekday()),
            slot.start.format("%H:%M"),
            slot.end.format("%H:%M")
        );
        cx.info(t!(
            self.lang,
            "schedule.next_found",
            when = when,
            counsellor = name
        ));
    }

    pub(super) fn update_dialog(&mut self, cx: &mut Ctx, dialog: Dialog, action: &Action) {
        match dialog {
            Dialog::Book(b) => self.update_booking(cx, b, action),
            Dialog::WaitAdd(w) => self.update_wait_add(cx, w, action),
            Dialog::Manage(m) => self.update_manage_form(cx, m, action),
            Dialog::Notes(n) => self.update_notes(cx, n, action),
            Dialog::ConfirmRemove(about) => self.update_confirm_remove(cx, about, action),
            Dialog::ConfirmLate(cell) => match action {
                Action::Yes => self.open_booking_dialog(cx, *cell, true),
                Action::No | Action::Back => {}
                _ => self.dialog = Some(Dialog::ConfirmLate(cell)),
            },
            Dialog::ConfirmCancel { id, about } => match action {
                Action::Yes => match cx
                    .store
                    .write(|w| w.set_appointment_status(id, AppointmentStatus::Cancelled))
                {
                    Ok(()) => {
                        cx.info(t!(self.lang, "schedule.cancelled", about = about));
                        self.reload(cx);
                    }
                    Err(e) => cx.store_error(e),
                },
                Action::No | Action::Back => {}
                _ => self.dialog = Some(Dialog::ConfirmCancel { id, about }),
            },
            Dialog::FollowUp {
                id,
                about,
                mut form,
            } => match action {
                Action::Back => {}
                Action::Confirm | Action::Save => {
                    form.clear_errors();
                    let text = form.field(0).text_value().trim().to_owned();
                    let date = if text.is_empty() {
                        Ok(None)
                    } else {
                        crate::domain::dates::parse_date(&text, cx.today()).map(Some)
                    };
                    match date {
                        Err(e) => {
                            form.refuse(0, e.localized(self.lang));
                            self.dialog = Some(Dialog::FollowUp { id, about, form });
                        }
                        Ok(d) => match cx.store.write(|w| w.set_appointment_follow_up(id, d)) {
                            Ok(()) => {
                                match d {
                                    Some(d) => cx.info(t!(
                                        self.lang,
                                        "schedule.fu.set",
                                        about = about,
                                        date = d
                                    )),
                                    None => {
                                        cx.info(t!(self.lang, "schedule.fu.cleared", about = about))
                                    }
                                }
                                self.reload(cx);
                            }
                            Err(e) => {
                                form.refuse(0, e.localized(self.lang));
                                self.dialog = Some(Dialog::FollowUp { id, about, form });
                            }
                        },
                    }
                }
                other => {
                    form.handle(other);
                    self.dialog = Some(Dialog::FollowUp { id, about, form });
                }
            },
        }
    }
}
