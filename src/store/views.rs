//! Noting in the audit log who looked at whom: a person's or a case's
//! detail opened, one person's numbers shown in full.

use serde_json::Value;

use super::audit::About;
use super::audit::AuditAction;
use super::{Result, Store, StoreError};
use crate::domain::access::Act;
use crate::domain::ids::PersonId;

/// The same person opening the same record again within this many
/// milliseconds is not noted again (moving through a case's dialogs
/// re-reads it many times).
const VIEW_AGAIN_MS: u64 = 10 * 60 * 1000;

impl Store {
    /// Notes that whoever is signed in opened the detail of `subject`
    /// (`person:<id>`, `case:<id>`), at most once in ten minutes each.
    pub fn note_view(&mut self, subject: About) -> Result<()> {
        let now = (self.clock)();
        let who = self.session.as_ref().map(|s| s.staff);
        let key = (who, subject.stored());
        if let Some(at) = self.viewed.get(&key)
            && now.saturating_sub(*at) < VIEW_AGAIN_MS
        {
            return Ok(());
        }
        self.record_audit(AuditAction::View, subject, &Value::Null)?;
        if self.viewed.len() > 10_000 {
            self.viewed.clear();
        }
        self.viewed.insert(key, now);
        Ok(())
    }

    /// Allows showing person `id`'s full ID number and mobile to whoever is
    /// signed in (staff and above), and notes it in the audit log first.
    pub fn unmask_person(&mut self, id: PersonId) -> Result<()> {
        let allowed = self.session.as_ref().is_some_and(|s| s.may(Act::Unmask));
        if !allowed {
            return Err(StoreError::NotAllowed(Act::Unmask));
        }
        self.record_audit(AuditAction::Unmask, About::person(id), &Value::Null)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Session;
    use crate::domain::staff::Role;

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        s
    }

    fn as_role(s: &mut Store, role: Role) -> Session {
        let mut w = s.begin(None).unwrap();
        let id = w.add_staff(&format!("{role:?}"), role).unwrap();
        w.commit().unwrap();
        let session = Session {
            staff: id,
            name: format!("{role:?}"),
            role,
        };
        s.set_session(Some(session.clone()));
        session
    }

    #[test]
    fn unmasking_needs_staff_and_is_audited() {
        let mut s = store();
        let person = PersonId::new();
        assert!(matches!(
            s.unmask_person(person),
            Err(StoreError::NotAllowed(Act::Unmask))
        ));
        as_role(&mut s, Role::Volunteer);
        assert!(matches!(
            s.unmask_person(person),
            Err(StoreError::NotAllowed(Act::Unmask))
        ));
        // Only the staff changes that made the test's staff are logged.
        assert!(
            s.audit_entries(10)
                .unwrap()
                .iter()
                .all(|e| e.action == "staff")
        );
        for role in [Role::Staff, Role::Counsellor, Role::Admin] {
            let who = as_role(&mut s, role);
            s.unmask_person(person).unwrap();
            let e = &s.audit_entries(1).unwrap()[0];
            assert_eq!(e.action, "unmask");
            assert_eq!(e.actor, Some(who.staff));
            assert_eq!(e.subject, format!("person:{}", person.0));
        }
    }

    #[test]
    fn views_are_noted_once_per_person_and_record() {
        let mut s = store();
        let a = as_role(&mut s, Role::Staff);
        s.note_view(About::Records("case:1")).unwrap();
        s.note_view(About::Records("case:1")).unwrap();
        s.note_view(About::Records("person:2")).unwrap();
        let b = as_role(&mut s, Role::Volunteer);
        s.note_view(About::Records("person:2")).unwrap();
        let log = s.audit_entries(10).unwrap();
        let seen: Vec<(Option<_>, &str)> = log
            .iter()
            .filter(|e| e.action == "view")
            .map(|e| (e.actor, e.subject.as_str()))
            .collect();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(seen.contains(&(Some(a.staff), "case:1")));
        assert!(seen.contains(&(Some(a.staff), "person:2")));
        assert!(seen.contains(&(Some(b.staff), "person:2")));
        assert!(
            log.iter()
                .all(|e| e.action == "view" || e.action == "staff")
        );
    }
}
