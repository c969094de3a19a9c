//! The erasure section: the latest erasures, finding the person to erase,
//! and the confirmation that says what goes and what stays, which takes a
//! typed word rather than a key that could be hit by mistake.

use super::{AdminPane, Cmd, Dialog, ERASED_LIMIT};
use crate::domain::access::Act;
use crate::i18n::Localized;
use crate::store::PersonHit;
use crate::store::StoreError;
use crate::store::{AuditAction, AuditFilter, masked_name};
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::Ctx;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::picker::{Picked, Picker, PickerKind};

impl AdminPane {
    pub(super) fn read_erased(&mut self, cx: &mut Ctx) {
        let filter = AuditFilter {
            action: Some(AuditAction::Erase.code().to_owned()),
            ..AuditFilter::default()
        };
        match cx.store.audit_search(&filter, ERASED_LIMIT) {
            Ok(e) => self.erased = e,
            Err(e) => {
                self.erased.clear();
                self.error = Some(e.localized(cx.lang));
            }
        }
    }

    pub(super) fn erase_key(&mut self, cx: &mut Ctx, action: &Action) {
        if *action != Action::Pane(PaneCmd::Admin(Cmd::Erase)) {
            return;
        }
        if !cx.store.session().is_some_and(|s| s.may(Act::Erase)) {
            return cx.error(Act::Erase.needs(cx.lang));
        }
        self.dialog = Some(Dialog::Pick(Box::new(Picker::new(
            PickerKind::People,
            t!(cx.lang, "admin.find_person"),
        ))));
    }

    pub(super) fn pick_dialog(&mut self, cx: &mut Ctx, mut picker: Box<Picker>, action: &Action) {
        if *action == Action::Back {
            return;
        }
        let (_, picked) = picker.handle(action);
        match picked {
            Some(Picked::Person(person)) => {
                self.dialog = Some(Dialog::Erase {
                    person: Box::new(person),
                    typed: Field::text(t!(cx.lang, "admin.type_word_label"), ""),
                });
            }
            _ => self.dialog = Some(Dialog::Pick(picker)),
        }
    }

    pub(super) fn erase_dialog(
        &mut self,
        cx: &mut Ctx,
        person: Box<PersonHit>,
        mut typed: Field,
        action: &Action,
    ) {
        let lang = cx.lang;
        match action {
            Action::Back => return,
            Action::Confirm => {
                let word = t!(lang, "admin.erase_word");
                if typed.text_value().trim() != word {
                    typed.error = Some(t!(lang, "admin.wrong_word", word = word));
                } else {
                    match cx.store.erase_person(person.id) {
                        Ok(()) => {
                            let shown = masked_name(&person.name).unwrap_or_default();
                            *cx.changed = true;
                            self.read_erased(cx);
                            return cx.info(t!(lang, "admin.erased", name = shown));
                        }
                        Err(StoreError::NotFound(_)) => {
                            typed.error = Some(t!(lang, "admin.erase_not_found").to_owned());
                        }
                        Err(e) => typed.error = Some(e.localized(lang)),
                    }
                }
            }
            Action::Edit(req) => {
                typed.edit(*req);
            }
            _ => {}
        }
        self.dialog = Some(Dialog::Erase { person, typed });
    }
}
