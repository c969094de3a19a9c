//! The audit log section: its filters (period, staff member, action,
//! changes to records shown or not), the list, one line in full.

use super::{AdminPane, Choosing, Cmd, Dialog, LOG_LIMIT};
use crate::domain::dates::NamedPeriod;
use crate::domain::day::day_start;
use crate::i18n::Lang;
use crate::i18n::Localized;
use crate::store::{AuditAction, AuditFilter, CHANGE_ACTION};
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::Ctx;
use crate::tui::widgets::form::Form;
use crate::tui::widgets::range;
use crate::words::audit::action_codes;

impl AdminPane {
    /// The filter of the log as chosen.
    pub fn filter(&self, cx: &Ctx) -> AuditFilter {
        AuditFilter {
            from: Some(day_start(self.period.from, cx.tz)),
            to: self.period.to.succ_opt().map(|d| day_start(d, cx.tz)),
            actor: self.actor.as_ref().map(|(id, _)| *id),
            action: self.action.clone(),
            subject: None,
        }
    }

    pub(super) fn read_log(&mut self, cx: &mut Ctx) {
        // The chooser of staff lists everyone, also those no longer active.
        if self.staff.is_empty() {
            self.read_staff(cx);
        }
        let filter = self.filter(cx);
        match cx.store.audit_view(&filter, self.with_changes, LOG_LIMIT) {
            Ok(page) => {
                self.log = page;
                self.log_selected = self
                    .log_selected
                    .min(self.log.lines.len().saturating_sub(1));
            }
            Err(e) => {
                self.log = Default::default();
                self.error = Some(e.localized(cx.lang));
            }
        }
    }

    /// Reads the log again from its newest line.
    fn reread(&mut self, cx: &mut Ctx) {
        self.log_selected = 0;
        self.scroll.set(0);
        self.error = None;
        self.read_log(cx);
    }

    pub(super) fn log_key(&mut self, cx: &mut Ctx, action: &Action) {
        let today = cx.today();
        let period = match action {
            Action::Pane(PaneCmd::Admin(Cmd::ThisMonth)) => {
                Some(NamedPeriod::ThisMonth.period(today))
            }
            Action::Pane(PaneCmd::Admin(Cmd::Today)) => Some(NamedPeriod::Today.period(today)),
            _ => None,
        };
        if let Some(p) = period {
            self.period = p;
            return self.reread(cx);
        }
        match action {
            Action::Pane(PaneCmd::Admin(Cmd::Range)) => {
                self.dialog = Some(Dialog::Range(self.range_form(cx)))
            }
            Action::Pane(PaneCmd::Admin(Cmd::ByStaff)) => {
                let selected = self
                    .actor
                    .as_ref()
                    .and_then(|(id, _)| self.staff.iter().position(|r| r.staff.id == *id))
                    .map_or(0, |i| i + 1);
                self.dialog = Some(Dialog::Choose {
                    what: Choosing::Staff,
                    selected,
                });
            }
            Action::Pane(PaneCmd::Admin(Cmd::ByAction)) => {
                let selected = self
                    .action
                    .as_deref()
                    .and_then(|a| action_codes().iter().position(|c| *c == a))
                    .map_or(0, |i| i + 1);
                self.dialog = Some(Dialog::Choose {
                    what: Choosing::Action,
                    selected,
                });
            }
            Action::Pane(PaneCmd::Admin(Cmd::Changes)) => {
                self.with_changes = !self.with_changes;
                self.reread(cx);
            }
            Action::Confirm => {
                if self.log.lines.get(self.log_selected).is_some() {
                    self.dialog = Some(Dialog::Line {
                        index: self.log_selected,
                    });
                }
            }
            other => {
                self.log_selected = self.moved(self.log_selected, self.log.lines.len(), other);
            }
        }
    }

    fn range_form(&self, cx: &Ctx) -> Form {
        range::form(self.period, cx.lang)
    }

    pub(super) fn range_dialog(&mut self, cx: &mut Ctx, mut form: Form, action: &Action) {
        match action {
            Action::Back => return,
            Action::Confirm | Action::Save => {
                if let Some(p) = range::read(&mut form, cx.today(), cx.lang) {
                    self.period = p;
                    return self.reread(cx);
                }
            }
            other => {
                form.handle(other);
            }
        }
        self.dialog = Some(Dialog::Range(form));
    }

    /// The entries of a chooser, "all" first.
    pub fn choices(&self, what: Choosing, lang: Lang) -> Vec<String> {
        let all = t!(lang, "admin.all").to_owned();
        let rest: Vec<String> = match what {
            Choosing::Staff => self.staff.iter().map(|r| r.staff.name.clone()).collect(),
            Choosing::Action => action_codes()
                .into_iter()
                .map(|c| action_words(c, lang).to_owned())
                .collect(),
        };
        std::iter::once(all).chain(rest).collect()
    }

    pub(super) fn choose_dialog(
        &mut self,
        cx: &mut Ctx,
        what: Choosing,
        selected: usize,
        action: &Action,
    ) {
        let len = self.choices(what, cx.lang).len();
        let selected = match action {
            Action::Back => return,
            Action::Confirm => {
                let at = selected.checked_sub(1);
                match what {
                    Choosing::Staff => {
                        self.actor = at
                            .and_then(|i| self.staff.get(i))
                            .map(|r| (r.staff.id, r.staff.name.clone()));
                    }
                    Choosing::Action => {
                        self.action = at
                            .and_then(|i| action_codes().get(i).copied())
                            .map(str::to_owned);
                    }
                }
                return self.reread(cx);
            }
            other => self.moved(selected, len, other),
        };
        self.dialog = Some(Dialog::Choose { what, selected });
    }

    pub(super) fn line_dialog(&mut self, index: usize, action: &Action) {
        let last = self.log.lines.len().saturating_sub(1);
        let index = match action {
            Action::Back => return,
            Action::Up => index.saturating_sub(1),
            Action::Down => (index + 1).min(last),
            _ => index,
        };
        // The list follows, so Esc lands on the line last read.
        self.log_selected = index;
        self.dialog = Some(Dialog::Line { index });
    }
}

/// An action code of the filter in words.
pub fn action_words(code: &str, lang: Lang) -> &str {
    if code == CHANGE_ACTION {
        return t!(lang, "admin.change_action");
    }
    AuditAction::from_code(code).map_or(code, |a| a.label(lang))
}
