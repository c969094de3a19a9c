//! The staff section: the list, adding a staff member, a new role, a new
//! PIN, deactivating and reactivating. Each change is one write that also
//! records what changed in the audit log (never the PIN).

use super::{AdminPane, Cmd, Dialog, StaffRow};
use crate::domain::ValidationError;
use crate::domain::access::ROLES;
use crate::domain::ids::StaffId;
use crate::domain::staff::{parse_pin, parse_staff_name};
use crate::i18n::Localized;
use crate::store::{Result as StoreResult, Store, StoreError};
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::Ctx;
use crate::tui::widgets::field::Field;
use crate::tui::widgets::form::Form;

/// The fields of the form that adds a staff member.
const NAME: usize = 0;
const ROLE: usize = 1;
const PIN: usize = 2;
const AGAIN: usize = 3;

/// The fields of the form that sets a PIN.
const NEW_PIN: usize = 0;
const NEW_AGAIN: usize = 1;

impl AdminPane {
    pub(super) fn read_staff(&mut self, cx: &mut Ctx) {
        match staff_rows(cx.store) {
            Ok(rows) => {
                self.staff = rows;
                self.staff_selected = self.staff_selected.min(self.staff.len().saturating_sub(1));
            }
            Err(e) => {
                self.staff.clear();
                self.error = Some(e.localized(cx.lang));
            }
        }
    }

    /// The staff member selected in the list.
    pub fn selected_staff(&self) -> Option<&StaffRow> {
        self.staff.get(self.staff_selected)
    }

    pub(super) fn staff_key(&mut self, cx: &mut Ctx, action: &Action) {
        let lang = cx.lang;
        match action {
            Action::Pane(PaneCmd::Admin(Cmd::Add)) => self.dialog = Some(Dialog::Add(add_form(cx))),
            Action::Pane(PaneCmd::Admin(Cmd::Role)) => {
                let Some(row) = self.selected_staff().cloned() else {
                    return cx.info(t!(lang, "admin.no_staff"));
                };
                let at = ROLES.iter().position(|r| *r == row.staff.role).unwrap_or(0);
                let form = Form::new(vec![Field::choice(
                    t!(lang, "admin.f_role"),
                    role_labels(cx),
                    at,
                )]);
                self.dialog = Some(Dialog::Role {
                    id: row.staff.id,
                    name: row.staff.name,
                    form,
                });
            }
            Action::Pane(PaneCmd::Admin(Cmd::Pin)) => {
                let Some(row) = self.selected_staff().cloned() else {
                    return cx.info(t!(lang, "admin.no_staff"));
                };
                self.dialog = Some(Dialog::Pin {
                    id: row.staff.id,
                    name: row.staff.name,
                    form: pin_form(cx),
                });
            }
            Action::Pane(PaneCmd::Admin(Cmd::Active)) => {
                let Some(row) = self.selected_staff().cloned() else {
                    return cx.info(t!(lang, "admin.no_staff"));
                };
                // Asked before the question; the store checks it again.
                if row.staff.active && cx.store.is_last_admin(row.staff.id).unwrap_or(false) {
                    return cx.error(t!(lang, "admin.last_admin", name = row.staff.name));
                }
                self.dialog = Some(Dialog::Active {
                    id: row.staff.id,
                    name: row.staff.name,
                    active: !row.staff.active,
                });
            }
            other => self.staff_selected = self.moved(self.staff_selected, self.staff.len(), other),
        }
    }

    pub(super) fn add_dialog(&mut self, cx: &mut Ctx, mut form: Form, action: &Action) {
        match action {
            Action::Back => return,
            Action::Confirm | Action::Save => {
                form.clear_errors();
                let name = parse_staff_name(form.field(NAME).text_value());
                if let Err(e) = &name {
                    form.refuse(NAME, e.localized(cx.lang));
                }
                let pin = check_pins(&mut form, PIN, AGAIN, cx);
                let role = ROLES.get(form.field(ROLE).selected()).copied();
                if let (Ok(name), Some(pin), Some(role)) = (name, pin, role) {
                    let saved = cx.store.add_staff_member(&name, role, &pin);
                    match saved {
                        Ok(id) => {
                            self.read_staff(cx);
                            if let Some(at) = self.staff.iter().position(|r| r.staff.id == id) {
                                self.staff_selected = at;
                            }
                            *cx.changed = true;
                            return cx.info(t!(cx.lang, "admin.added", name = name));
                        }
                        Err(e) => cx.store_error(e),
                    }
                }
            }
            other => {
                form.handle(other);
            }
        }
        self.dialog = Some(Dialog::Add(form));
    }

    pub(super) fn role_dialog(
        &mut self,
        cx: &mut Ctx,
        id: StaffId,
        name: String,
        mut form: Form,
        action: &Action,
    ) {
        match action {
            Action::Back => return,
            Action::Confirm | Action::Save => {
                form.clear_errors();
                let Some(role) = ROLES.get(form.field(0).selected()).copied() else {
                    return;
                };
                let Some(from) = self
                    .staff
                    .iter()
                    .find(|r| r.staff.id == id)
                    .map(|r| r.staff.role)
                else {
                    return cx.info(t!(cx.lang, "admin.no_staff"));
                };
                if role == from {
                    return;
                }
                // The store keeps the last admin and audits the change.
                match cx.store.change_role(id, role) {
                    Err(e @ StoreError::LastAdmin(_)) => form.refuse(0, e.localized(cx.lang)),
                    Ok(()) => {
                        self.read_staff(cx);
                        *cx.changed = true;
                        return cx.info(t!(
                            cx.lang,
                            "admin.role_set",
                            name = name,
                            role = role.label(cx.lang)
                        ));
                    }
                    Err(e) => cx.store_error(e),
                }
            }
            other => {
                form.handle(other);
            }
        }
        self.dialog = Some(Dialog::Role { id, name, form });
    }

    pub(super) fn pin_dialog(
        &mut self,
        cx: &mut Ctx,
        id: StaffId,
        name: String,
        mut form: Form,
        action: &Action,
    ) {
        match action {
            Action::Back => return,
            Action::Confirm | Action::Save => {
                form.clear_errors();
                if let Some(pin) = check_pins(&mut form, NEW_PIN, NEW_AGAIN, cx) {
                    match cx.store.change_pin(id, &pin) {
                        Ok(_) => {
                            self.read_staff(cx);
                            *cx.changed = true;
                            return cx.info(t!(cx.lang, "admin.pin_set", name = name));
                        }
                        Err(e) => cx.store_error(e),
                    }
                }
            }
            other => {
                form.handle(other);
            }
        }
        self.dialog = Some(Dialog::Pin { id, name, form });
    }

    pub(super) fn active_dialog(
        &mut self,
        cx: &mut Ctx,
        id: StaffId,
        name: String,
        active: bool,
        action: &Action,
    ) {
        match action {
            Action::Yes => {
                // The store keeps the last admin and audits the change.
                match cx.store.change_active(id, active) {
                    Ok(()) => {
                        self.read_staff(cx);
                        *cx.changed = true;
                        let key = if active {
                            t!(cx.lang, "admin.activated", name = name)
                        } else {
                            t!(cx.lang, "admin.deactivated", name = name)
                        };
                        cx.info(key);
                    }
                    Err(e) => {
                        // The list may be older than the last sync.
                        self.read_staff(cx);
                        cx.store_error(e);
                    }
                }
            }
            Action::No | Action::Back => {}
            _ => self.dialog = Some(Dialog::Active { id, name, active }),
        }
    }
}

/// Every staff member, by name, and whether they have a PIN.
fn staff_rows(store: &Store) -> StoreResult<Vec<StaffRow>> {
    store
        .staff()?
        .into_iter()
        .map(|staff| {
            let has_pin = store.has_pin(staff.id)?;
            Ok(StaffRow { staff, has_pin })
        })
        .collect()
}

fn role_labels(cx: &Ctx) -> Vec<String> {
    ROLES.iter().map(|r| r.label(cx.lang).to_owned()).collect()
}

fn add_form(cx: &Ctx) -> Form {
    let lang = cx.lang;
    // The least a new member may do; an admin raises it on purpose.
    Form::new(vec![
        Field::text(t!(lang, "admin.f_name"), ""),
        Field::choice(t!(lang, "admin.f_role"), role_labels(cx), 0),
        Field::text(t!(lang, "admin.f_pin"), "")
            .secret()
            .with_hint(t!(lang, "admin.pin_hint")),
        Field::text(t!(lang, "admin.f_again"), "").secret(),
    ])
}

fn pin_form(cx: &Ctx) -> Form {
    let lang = cx.lang;
    Form::new(vec![
        Field::text(t!(lang, "admin.f_pin"), "")
            .secret()
            .with_hint(t!(lang, "admin.pin_hint")),
        Field::text(t!(lang, "admin.f_again"), "").secret(),
    ])
}

/// The PIN typed twice, or `None` with the refusal beside its field.
fn check_pins(form: &mut Form, pin: usize, again: usize, cx: &Ctx) -> Option<String> {
    let typed = form.field(pin).text_value().to_owned();
    match parse_pin(&typed) {
        Err(e) => {
            form.refuse(pin, e.localized(cx.lang));
            None
        }
        Ok(p) if form.field(again).text_value() != p => {
            form.refuse(again, ValidationError::PinMismatch.localized(cx.lang));
            None
        }
        Ok(p) => Some(p.to_owned()),
    }
}
