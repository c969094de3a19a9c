//! Changes to the staff list, and the rules that hold whoever makes them:
//!
//! - **Only an admin changes staff** (adds, renames, sets a role or a PIN,
//!   lets in or stops someone), checked against the staff table inside the
//!   write, not against what a pane remembers. The one exception is setting
//!   up: a write that begins while nobody can sign in (no active staff
//!   member with a PIN) may add staff and PINs, as `init`, the first admin
//!   and `demo` do; so may a bulk load ([`Store::bulk_load`], which only
//!   the demo generator runs: it is no way in for a person at the console).
//! - **The last admin who can sign in stays**: a write that would leave no
//!   active admin with a PIN, where there was one, is refused and nothing of
//!   it is kept.
//! - **Every change is in the audit log**, written by the store in the same
//!   write as the change: what changed (role from → to, PIN set, let in or
//!   stopped), never a PIN.

use rusqlite::{OptionalExtension, params};
use serde_json::{Value, json};

use super::audit::{About, AuditAction};
use super::signin::hash_pin;
use super::{Entity, Result, Store, StoreError, Writer};
use crate::domain::access::Act;
use crate::domain::ids::StaffId;
use crate::domain::staff::{Role, parse_pin, parse_staff_name};

impl Store {
    /// Whether `id` is the last active admin who can sign in: taking their
    /// role or their sign-in away would be refused. For a pane to say so
    /// before asking; the write checks it again.
    pub fn is_last_admin(&self, id: StaffId) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE id = ?1 AND active AND pin IS NOT NULL
                 AND role = ?2)
             AND NOT EXISTS (SELECT 1 FROM staff WHERE id <> ?1 AND active
                 AND pin IS NOT NULL AND role = ?2)",
            params![id.as_bytes(), Role::Admin.code()],
            |r| r.get(0),
        )?)
    }

    /// Adds a staff member with a PIN, in one write with its audit entry.
    pub fn add_staff_member(&mut self, name: &str, role: Role, pin: &str) -> Result<StaffId> {
        let mut w = self.begin(None)?;
        let id = w.new_staff(StaffId::new(), name, role)?;
        w.write_pin(id, pin)?;
        w.audit_staff(
            id,
            json!({"change": "added", "role": role.code(), "pin": true}),
        )?;
        w.commit()?;
        Ok(id)
    }

    /// Changes a staff member's role. Whoever changes their own role works
    /// on with the new one.
    pub fn change_role(&mut self, id: StaffId, role: Role) -> Result<()> {
        let mut w = self.begin(None)?;
        w.set_role(id, role)?;
        w.commit()?;
        if let Some(s) = self.session.as_mut()
            && s.staff == id
        {
            s.role = role;
        }
        Ok(())
    }

    /// Sets a new PIN for a staff member.
    pub fn change_pin(&mut self, id: StaffId, pin: &str) -> Result<()> {
        let mut w = self.begin(None)?;
        w.set_pin(id, pin)?;
        w.commit()
    }

    /// Lets a staff member sign in again, or stops them (they stay in the
    /// records they made).
    pub fn change_active(&mut self, id: StaffId, active: bool) -> Result<()> {
        let mut w = self.begin(None)?;
        w.set_staff_active(id, active)?;
        w.commit()
    }
}

impl Writer<'_> {
    /// Adds a staff member (no PIN yet: they cannot sign in until one is set).
    pub fn add_staff(&mut self, name: &str, role: Role) -> Result<StaffId> {
        self.add_staff_with_id(StaffId::new(), name, role)
    }

    /// As [`Writer::add_staff`] with a given id (demo data, imports).
    pub fn add_staff_with_id(&mut self, id: StaffId, name: &str, role: Role) -> Result<StaffId> {
        self.new_staff(id, name, role)?;
        self.audit_staff(
            id,
            json!({"change": "added", "role": role.code(), "pin": false}),
        )?;
        Ok(id)
    }

    /// Sets (or replaces) a staff member's PIN.
    pub fn set_pin(&mut self, id: StaffId, pin: &str) -> Result<()> {
        self.write_pin(id, pin)?;
        self.audit_staff(id, json!({"change": "pin"}))
    }

    /// Sets a PIN hash made by [`super::signin::hash_pin_salted`] (generated
    /// demo data).
    pub fn set_pin_hash(&mut self, id: StaffId, hash: &str) -> Result<()> {
        self.may_change_staff()?;
        self.staff_exists(id)?;
        self.update(Entity::Staff, &id.0, &[("pin", Value::from(hash))])?;
        self.audit_staff(id, json!({"change": "pin"}))
    }

    /// Changes a staff member's role.
    pub fn set_role(&mut self, id: StaffId, role: Role) -> Result<()> {
        self.may_change_staff()?;
        let from = self.staff_role(id)?;
        if from == role {
            return Ok(());
        }
        let was = self.signs_in_as_admin(id)?;
        self.update(Entity::Staff, &id.0, &[("role", Value::from(role.code()))])?;
        self.keep_an_admin(id, was)?;
        self.audit_staff(
            id,
            json!({"change": "role", "from": from.code(), "to": role.code()}),
        )
    }

    /// Lets a staff member sign in, or stops them.
    pub fn set_staff_active(&mut self, id: StaffId, active: bool) -> Result<()> {
        self.may_change_staff()?;
        self.staff_exists(id)?;
        let was = self.signs_in_as_admin(id)?;
        self.update(Entity::Staff, &id.0, &[("active", Value::Bool(active))])?;
        self.keep_an_admin(id, was)?;
        self.audit_staff(id, json!({"change": "active", "active": active}))
    }

    /// Renames a staff member.
    pub fn rename_staff(&mut self, id: StaffId, name: &str) -> Result<()> {
        self.may_change_staff()?;
        self.staff_exists(id)?;
        let name = parse_staff_name(name)?;
        self.update(Entity::Staff, &id.0, &[("name", Value::from(name))])?;
        self.audit_staff(id, json!({"change": "name"}))
    }

    pub(super) fn new_staff(&mut self, id: StaffId, name: &str, role: Role) -> Result<StaffId> {
        self.may_change_staff()?;
        let name = parse_staff_name(name)?;
        self.create(
            Entity::Staff,
            &id.0,
            &[
                ("name", Value::from(name)),
                ("role", Value::from(role.code())),
                ("active", Value::Bool(true)),
            ],
        )?;
        Ok(id)
    }

    pub(super) fn write_pin(&mut self, id: StaffId, pin: &str) -> Result<()> {
        self.may_change_staff()?;
        self.staff_exists(id)?;
        let hash = hash_pin(parse_pin(pin)?)?;
        self.update(Entity::Staff, &id.0, &[("pin", Value::from(hash))])
    }

    /// The audit entry of a staff change (none in a bulk load: generated
    /// demo staff are no one's change, and the same seed must give the
    /// same records).
    pub(super) fn audit_staff(&mut self, id: StaffId, detail: Value) -> Result<()> {
        if self.bulk {
            return Ok(());
        }
        self.record_audit(AuditAction::StaffChange, About::staff(id), &detail)?;
        Ok(())
    }

    /// Whether anyone could sign in (an active staff member with a PIN).
    fn anyone_can_sign_in(&self) -> Result<bool> {
        Ok(self.tx().query_row(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE active AND pin IS NOT NULL)",
            [],
            |r| r.get(0),
        )?)
    }

    /// Refuses a staff change unless this write's actor is an active admin
    /// now, or the write set up a database where nobody could sign in.
    fn may_change_staff(&mut self) -> Result<()> {
        if self.bulk {
            return Ok(());
        }
        let setup = match self.staff_setup {
            Some(s) => s,
            None => {
                let s = !self.anyone_can_sign_in()?;
                self.staff_setup = Some(s);
                s
            }
        };
        if setup {
            return Ok(());
        }
        let Some(actor) = self.actor() else {
            return Err(StoreError::NotAllowed(Act::ManageStaff));
        };
        let row: Option<(Role, bool)> = self
            .tx()
            .query_row(
                "SELECT role, active FROM staff WHERE id = ?1",
                params![actor.as_bytes()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((role, true)) => {
                if Act::ManageStaff.allows(role) {
                    Ok(())
                } else {
                    Err(StoreError::NotAllowed(Act::ManageStaff))
                }
            }
            _ => Err(StoreError::NotAllowed(Act::ManageStaff)),
        }
    }

    fn staff_exists(&self, id: StaffId) -> Result<()> {
        self.staff_role(id).map(|_| ())
    }

    /// A staff member's role as stored now.
    fn staff_role(&self, id: StaffId) -> Result<Role> {
        let role: Option<Role> = self
            .tx()
            .query_row(
                "SELECT role FROM staff WHERE id = ?1",
                params![id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?;
        role.ok_or(StoreError::NotFound("staff member"))
    }

    /// Whether `id` is now an active admin with a PIN.
    fn signs_in_as_admin(&self, id: StaffId) -> Result<bool> {
        Ok(self.tx().query_row(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE id = ?1 AND active
                 AND pin IS NOT NULL AND role = ?2)",
            params![id.as_bytes(), Role::Admin.code()],
            |r| r.get(0),
        )?)
    }

    /// After a change to `id`, who `was` an admin who could sign in: refuses
    /// it when it left no such admin (the write is then dropped, nothing of
    /// it kept).
    fn keep_an_admin(&mut self, id: StaffId, was: bool) -> Result<()> {
        if !was || self.staff_setup == Some(true) {
            return Ok(());
        }
        let admins: i64 = self.tx().query_row(
            "SELECT count(*) FROM staff WHERE active AND pin IS NOT NULL AND role = ?1",
            [Role::Admin.code()],
            |r| r.get(0),
        )?;
        if admins > 0 {
            return Ok(());
        }
        let name: String = self.tx().query_row(
            "SELECT name FROM staff WHERE id = ?1",
            params![id.as_bytes()],
            |r| r.get(0),
        )?;
        Err(StoreError::LastAdmin(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Session;

    fn store() -> (Store, Session) {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        (s, admin)
    }

    fn staff_changes(s: &Store) -> Vec<String> {
        s.audit_entries(100)
            .unwrap()
            .into_iter()
            .filter(|e| e.action == AuditAction::StaffChange.code())
            .map(|e| e.detail.to_string())
            .collect()
    }

    #[test]
    fn an_admin_adds_staff_with_one_audit_entry() {
        let (mut s, _) = store();
        let before = staff_changes(&s).len();
        let id = s.add_staff_member("李华", Role::Staff, "1357").unwrap();
        let after = staff_changes(&s);
        assert_eq!(after.len(), before + 1);
        assert!(after[0].contains("\"added\"") && after[0].contains("\"staff\""));
        assert!(!after[0].contains("1357"), "no PIN in the log");
        assert!(s.has_pin(id).unwrap());
    }

    #[test]
    fn nobody_but_an_admin_changes_staff_whatever_the_caller() {
        let (mut s, admin) = store();
        let clerk = s.add_staff_member("李华", Role::Staff, "1357").unwrap();
        // Signed in as the clerk: every staff change is refused by the store.
        s.set_session(Some(Session {
            staff: clerk,
            name: "李华".into(),
            // What the session believes does not matter: the table says staff.
            role: Role::Admin,
        }));
        let refused = |r: Result<()>| matches!(r, Err(StoreError::NotAllowed(Act::ManageStaff)));
        assert!(refused(
            s.add_staff_member("赵强", Role::Admin, "1111").map(|_| ())
        ));
        assert!(refused(s.change_role(clerk, Role::Admin)));
        assert!(refused(s.change_pin(admin.staff, "0000")));
        assert!(refused(s.change_active(admin.staff, false)));
        let mut w = s.begin(None).unwrap();
        assert!(refused(w.add_staff("赵强", Role::Admin).map(|_| ())));
        drop(w);
        // Nobody signed in, on a database where someone can: refused too.
        s.set_session(None);
        assert!(refused(s.change_role(clerk, Role::Admin)));
        assert_eq!(s.staff().unwrap().len(), 2);
    }

    #[test]
    fn the_last_admin_who_can_sign_in_stays() {
        let (mut s, admin) = store();
        assert!(s.is_last_admin(admin.staff).unwrap());
        let e = s.change_role(admin.staff, Role::Staff).unwrap_err();
        assert!(
            matches!(&e, StoreError::LastAdmin(n) if n == "王芳"),
            "{e:?}"
        );
        let e = s.change_active(admin.staff, false).unwrap_err();
        assert!(matches!(e, StoreError::LastAdmin(_)));
        // Nothing of the refused writes was kept, in the table or the log.
        let me = s
            .staff()
            .unwrap()
            .into_iter()
            .find(|m| m.id == admin.staff)
            .unwrap();
        assert_eq!((me.role, me.active), (Role::Admin, true));
        assert!(
            !staff_changes(&s)
                .iter()
                .any(|d| d.contains("\"change\":\"role\""))
        );
        // With a second admin, the first may step down.
        let other = s.add_staff_member("赵强", Role::Admin, "1111").unwrap();
        assert!(!s.is_last_admin(admin.staff).unwrap());
        s.change_role(admin.staff, Role::Staff).unwrap();
        assert!(s.is_last_admin(other).unwrap());
        assert_eq!(s.session().unwrap().role, Role::Staff);
        // …and then the second is the last.
        s.set_session(Some(Session {
            staff: other,
            name: "赵强".into(),
            role: Role::Admin,
        }));
        assert!(matches!(
            s.change_active(other, false),
            Err(StoreError::LastAdmin(_))
        ));
    }

    #[test]
    fn setting_up_needs_nobody_signed_in_once() {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        // One write adds several staff with PINs, as demo data does.
        let mut w = s.begin(None).unwrap();
        let a = w.add_staff("甲", Role::Admin).unwrap();
        w.set_pin(a, "1234").unwrap();
        let b = w.add_staff("乙", Role::Staff).unwrap();
        w.set_pin(b, "1234").unwrap();
        w.commit().unwrap();
        // Now someone can sign in: the next write without an admin is refused.
        let mut w = s.begin(None).unwrap();
        assert!(matches!(
            w.add_staff("丙", Role::Staff),
            Err(StoreError::NotAllowed(Act::ManageStaff))
        ));
    }
}
