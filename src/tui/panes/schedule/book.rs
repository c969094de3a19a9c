//! Booking a person into a slot (the person picked with a lookup, or given
//! by the waitlist).

use chrono::{Datelike, NaiveTime};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::{Cell, Dialog, Mode, SchedulePane, Who, dialog_frame, weekday_short};
use crate::domain::ValidationError;
use crate::domain::ids::{PersonId, WaitlistId};
use crate::domain::schedule::WaitlistStatus;
use crate::i18n::{Lang, Localized};
use crate::t;
use crate::tui::action::Action;
use crate::tui::panes::{Ctx, View};
use crate::tui::widgets::picker::{Picked, Picker, PickerKind};
use crate::tui::widgets::{centered, fit};

/// The booking dialog of one slot.
#[derive(Debug, Clone)]
pub struct Booking {
    pub cell: Cell,
    pub picker: Picker,
    /// A person chosen beforehand (from the waitlist): Enter books them.
    pub person: Option<(PersonId, String)>,
    pub from_waitlist: Option<WaitlistId>,
    /// Who holds the slot already, when someone does.
    pub taken: Option<String>,
    /// Why the last Enter was refused.
    pub error: Option<String>,
    /// The slot has gone by: this records a session after the fact.
    pub late: bool,
}

impl Booking {
    pub fn new(cell: Cell, lang: Lang) -> Booking {
        let taken = cell
            .booked
            .as_ref()
            .filter(|b| b.status.holds_slot())
            .map(|b| b.name.clone());
        Booking {
            cell,
            picker: Picker::new(PickerKind::People, t!(lang, "schedule.booking.person")),
            person: None,
            from_waitlist: None,
            taken,
            error: None,
            late: false,
        }
    }

    /// "王芳 · 2026-11-24 周二 14:00–15:00".
    pub fn slot_line(&self, lang: Lang) -> String {
        let c = &self.cell;
        format!(
            "{} · {} {} {}–{}",
            c.counsellor_name,
            c.date.format("%Y-%m-%d"),
            weekday_short(lang, c.date.weekday()),
            c.slot.start.format("%H:%M"),
            c.slot.end.format("%H:%M")
        )
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, lang: Lang, v: &View) {
        let r = centered(area, area.width.min(84), area.height.min(17));
        let title = if self.late {
            t!(lang, "schedule.booking.late_title")
        } else {
            t!(lang, "schedule.booking.title")
        };
        let inner = dialog_frame(f, r, title);
        if inner.height < 6 {
            return;
        }
        let w = inner.width as usize;
        let mut y = inner.y;
        let line = |f: &mut Frame, y: u16, text: &str, style: Style| {
            f.render_widget(
                Paragraph::new(Span::styled(fit(text, w), style)),
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
            );
        };
        line(
            f,
            y,
            &self.slot_line(lang),
            Style::new().add_modifier(Modifier::BOLD),
        );
        y += 1;
        if self.late {
            line(
                f,
                y,
                t!(lang, "schedule.booking.late_note"),
                Style::new().fg(Color::Yellow),
            );
            y += 1;
        }
        if let Some(name) = &self.taken {
            let text = t!(
                lang,
                "schedule.booking.taken",
                reason = ValidationError::SlotTaken.localized(lang),
                name = name
            );
            line(
                f,
                y,
                &format!("✗ {text}"),
                Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            );
            y += 1;
        }
        // The refusal in full above the hint (at most three lines).
        let error: Vec<String> = self
            .error
            .as_deref()
            .map(|e| crate::tui::widgets::wrap::wrap(&format!("✗ {e}"), w))
            .unwrap_or_default()
            .into_iter()
            .take(3)
            .collect();
        let bottom = inner
            .bottom()
            .saturating_sub(1 + (error.len() as u16).max(1));
        match &self.person {
            Some((_, name)) => {
                line(
                    f,
                    y + 1,
                    &t!(lang, "schedule.booking.from_waitlist", name = name),
                    Style::new(),
                );
            }
            None => {
                let pr = Rect {
                    y,
                    height: bottom.saturating_sub(y),
                    ..inner
                };
                self.picker.draw(f, pr, lang, v.tz, true);
            }
        }
        let red = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
        for (i, text) in error.iter().enumerate() {
            line(f, bottom + i as u16, text, red);
        }
        line(
            f,
            inner.bottom().saturating_sub(1),
            t!(lang, "schedule.booking.hint"),
            Style::new().fg(Color::DarkGray),
        );
    }
}

impl SchedulePane {
    /// `b`: opens the booking dialog on the slot under the cursor. A slot
    /// that is taken says so at once (and the store refuses it again on
    /// Enter); one that has gone by asks first whether to record a session
    /// after the fact.
    pub(super) fn open_booking(&mut self, cx: &mut Ctx) {
        let lang = self.lang;
        let Some(mut cell) = self.selected().cloned() else {
            cx.error(t!(lang, "schedule.no_slot"));
            return;
        };
        if !cell.in_grid() {
            // A cancelled session: book the slot itself, if it is offered.
            match self.week.at(cell.key(), cell.date) {
                Some(c) => cell = c.clone(),
                None => {
                    cx.error(t!(
                        lang,
                        "schedule.booking.refused",
                        reason = ValidationError::OutsideAvailability.localized(lang)
                    ));
                    return;
                }
            }
        }
        let free = cell.booked.as_ref().is_none_or(|b| !b.status.holds_slot());
        if free && cell.gone_by(Self::now_local(cx)) {
            self.dialog = Some(Dialog::ConfirmLate(Box::new(cell)));
            return;
        }
        self.open_booking_dialog(cx, cell, false);
    }

    /// The booking dialog of `cell`; `late` when it records a session
    /// after the fact.
    pub(super) fn open_booking_dialog(&mut self, cx: &mut Ctx, cell: Cell, late: bool) {
        let lang = self.lang;
        let mut b = Booking::new(cell, lang);
        b.late = late;
        if let Some(name) = &b.taken {
            cx.error(t!(
                lang,
                "schedule.booking.taken",
                reason = ValidationError::SlotTaken.localized(lang),
                name = name
            ));
        }
        self.dialog = Some(Dialog::Book(Box::new(b)));
    }

    pub(super) fn update_booking(&mut self, cx: &mut Ctx, mut b: Box<Booking>, action: &Action) {
        let lang = self.lang;
        match action {
            Action::Back => {}
            Action::Confirm => {
                let person = match &b.person {
                    Some(p) => Some(p.clone()),
                    None => match b.picker.current() {
                        Some(Picked::Person(p)) => Some((p.id, p.name)),
                        _ => None,
                    },
                };
                let Some((person, name)) = person else {
                    let msg = t!(lang, "schedule.booking.need_person").to_owned();
                    cx.error(msg.clone());
                    b.error = Some(msg);
                    self.dialog = Some(Dialog::Book(b));
                    return;
                };
                let (cell, now, wl) = (b.cell.clone(), cx.now, b.from_waitlist);
                let done = cx.store.write(|w| {
                    let id = w.book(cell.counsellor, person, cell.date, cell.slot, now)?;
                    if let Some(wl) = wl {
                        w.set_waitlist_status(wl, WaitlistStatus::Booked)?;
                    }
                    Ok(id)
                });
                match done {
                    Ok(_) => {
                        let about = self.about(&cell, &name);
                        if b.late {
                            cx.info(t!(lang, "schedule.booking.late_done", about = about));
                        } else {
                            cx.info(t!(lang, "schedule.booking.done", about = about));
                        }
                        self.mode = Mode::Slots;
                        self.date = cell.date;
                        self.want = Some(cell.key());
                        self.reload(cx);
                    }
                    Err(e) => {
                        let msg = t!(lang, "schedule.booking.refused", reason = e.localized(lang));
                        cx.error(msg.clone());
                        b.error = Some(msg);
                        self.dialog = Some(Dialog::Book(b));
                    }
                }
            }
            other => {
                if b.person.is_none()
                    && b.picker.handle(other).0
                    && matches!(other, Action::Edit(_))
                {
                    b.error = None;
                }
                self.dialog = Some(Dialog::Book(b));
            }
        }
    }

    /// Books the highlighted waitlist entry into the first free slot from
    /// its week on: shows that slot and opens the booking dialog with the
    /// person already chosen.
    pub(super) fn book_from_waitlist(&mut self, cx: &mut Ctx) {
        let lang = self.lang;
        let Some(row) = self.waitlist.rows.get(self.waitlist.sel).cloned() else {
            cx.error(t!(lang, "schedule.wl.none_selected"));
            return;
        };
        let now = Self::now_local(cx);
        let from = row.week.and_time(NaiveTime::MIN).max(now);
        let filter = match row.counsellor {
            Some(c) => crate::store::SlotFilter::Counsellor(c),
            None => crate::store::SlotFilter::Kind(row.kind),
        };
        let found = match cx.store.next_free_slot(filter, from, super::HORIZON_DAYS) {
            Ok(f) => f,
            Err(e) => return cx.store_error(e),
        };
        let Some((counsellor, date, slot)) = found else {
            cx.error(t!(lang, "schedule.next_none", days = super::HORIZON_DAYS));
            return;
        };
        self.who = match row.counsellor {
            Some(c) => Who::One(c),
            None => Who::Kind(row.kind),
        };
        self.mode = Mode::Slots;
        self.side_focus = false;
        self.date = date;
        self.want = Some(super::RowKey {
            start: slot.start,
            counsellor,
        });
        self.reload(cx);
        let Some(cell) = self
            .week
            .at(
                super::RowKey {
                    start: slot.start,
                    counsellor,
                },
                date,
            )
            .cloned()
        else {
            cx.error(t!(lang, "schedule.no_slot"));
            return;
        };
        let mut b = Booking::new(cell, lang);
        b.person = Some((row.person, row.name));
        b.from_waitlist = Some(row.id);
        self.dialog = Some(Dialog::Book(Box::new(b)));
    }
}
