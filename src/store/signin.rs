//! Staff PINs and sign-in. A PIN (4–8 digits) is kept only as an Argon2id
//! hash with a random salt; repeated wrong PINs make the next try wait
//! (the `throttle` table, local to this database). The same throttle
//! slows down the kiosk's case-status lookups.

use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};
use rand::RngCore;
use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::audit::AuditAction;
use super::{Result, Store, StoreError, id_col};
use crate::domain::access::Session;
use crate::domain::ids::StaffId;
use crate::domain::staff::{Role, Staff, parse_staff_name};

/// Argon2id cost of a PIN hash: 19 MiB, 2 passes, 1 lane (the OWASP
/// minimum; some 50 ms on a cheap laptop). Stored with each hash, so it can
/// be raised later without breaking the PINs already set.
const PIN_MEMORY_KIB: u32 = 19 * 1024;
const PIN_PASSES: u32 = 2;
const PIN_LANES: u32 = 1;
pub const SALT_LEN: usize = 16;
const HASH_LEN: usize = 32;
/// Prefix of the stored form: `a2id$<m>$<t>$<p>$<salt hex>$<hash hex>`.
const SCHEME: &str = "a2id";

/// Wrong tries that cost nothing; after them each try waits longer.
pub const FREE_FAILURES: u32 = 3;
/// The first wait, in seconds; it doubles with each further failure.
const FIRST_WAIT_SECS: u64 = 5;
/// The longest wait, in seconds.
pub const MAX_WAIT_SECS: u64 = 300;
/// Failures are forgotten this long after the last one, in seconds.
const FORGET_SECS: i64 = 3600;

/// Hashes a PIN for storage, with a random salt.
pub fn hash_pin(pin: &str) -> Result<String> {
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    hash_pin_salted(pin, salt)
}

/// Hashes a PIN with a given salt (generated demo data, which must come out
/// the same for the same seed).
pub fn hash_pin_salted(pin: &str, salt: [u8; SALT_LEN]) -> Result<String> {
    let hash = argon(PIN_MEMORY_KIB, PIN_PASSES, PIN_LANES, &salt, pin)?;
    Ok(format!(
        "{SCHEME}${PIN_MEMORY_KIB}${PIN_PASSES}${PIN_LANES}${}${}",
        hex(&salt),
        hex(&hash)
    ))
}

/// Whether `pin` is the PIN of the stored hash. A stored value that is not
/// a hash of this form never matches.
pub fn pin_matches(stored: &str, pin: &str) -> bool {
    let parts: Vec<&str> = stored.split('$').collect();
    let [SCHEME, m, t, p, salt, hash] = parts.as_slice() else {
        return false;
    };
    let (Ok(m), Ok(t), Ok(p), Some(salt), Some(want)) = (
        m.parse::<u32>(),
        t.parse::<u32>(),
        p.parse::<u32>(),
        unhex(salt),
        unhex(hash),
    ) else {
        return false;
    };
    // A hash read from a synced record: refuse costs no station could pay.
    if m > 1024 * 1024 || t > 64 || p > 16 || want.len() != HASH_LEN {
        return false;
    }
    match argon(m, t, p, &salt, pin) {
        // Compare in constant time.
        Ok(got) => got.iter().zip(&want).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0,
        Err(_) => false,
    }
}

fn argon(m: u32, t: u32, p: u32, salt: &[u8], pin: &str) -> Result<[u8; HASH_LEN]> {
    let params = Params::new(m, t, p, Some(HASH_LEN))
        .map_err(|e| StoreError::Corrupt(format!("PIN hash parameters: {e}")))?;
    let mut out = [0u8; HASH_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), salt, &mut out)
        .map_err(|e| StoreError::Corrupt(format!("PIN hash: {e}")))?;
    Ok(out)
}

/// Bytes as lower-case hex (PIN hashes, the key file).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// [`hex`] read back; `None` for anything else.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// How long the next try must wait after `failures` failures, in seconds.
pub fn wait_after(failures: u32) -> u64 {
    wait_after_free(failures, FREE_FAILURES)
}

/// The throttle of the whole station: every wrong PIN, under any name
/// and at the kiosk's exit, counts here too, so that trying names in turn
/// gives no more guesses than this. More are free than for one name:
/// several staff mistype in a day.
pub const STATION_KEY: &str = "pin:station";
/// Wrong PINs at a station, under any names, before its tries slow down.
pub const STATION_FREE_FAILURES: u32 = 2 * FREE_FAILURES;

fn wait_after_free(failures: u32, free: u32) -> u64 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(16);
    (FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS)
}

/// Why a sign-in did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Too many wrong tries lately: try again in this many seconds.
    #[error("too many wrong tries; wait {0} s")]
    Wait(u64),
    /// The PIN is wrong; the next try must wait this many seconds (0: none).
    #[error("wrong PIN")]
    Wrong { wait: u64 },
    /// No active staff member with a PIN has this id.
    #[error("no such staff member")]
    Unknown,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SignInError {
    fn from(e: rusqlite::Error) -> Self {
        SignInError::Store(e.into())
    }
}

fn staff_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Staff, Option<String>)> {
    Ok((
        Staff {
            id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
            name: r.get(1)?,
            role: r.get::<_, Role>(2)?,
            active: r.get(3)?,
        },
        r.get(4)?,
    ))
}

impl Store {
    /// Whether anyone can sign in: some active staff member has a PIN.
    /// A database where nobody can asks for its first admin.
    pub fn has_sign_in(&self) -> Result<bool> {
        Ok(self.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE active AND pin IS NOT NULL)",
            [],
            |r| r.get(0),
        )?)
    }

    /// The staff members who can sign in (active, with a PIN), by name.
    pub fn sign_in_roster(&self) -> Result<Vec<Staff>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, role, active, pin FROM staff
             WHERE active AND pin IS NOT NULL ORDER BY name",
        )?;
        let rows = stmt.query_map([], staff_row)?;
        Ok(rows
            .map(|r| r.map(|(s, _)| s))
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Whether staff member `id` has a PIN.
    pub fn has_pin(&self, id: StaffId) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT pin IS NOT NULL FROM staff WHERE id = ?1",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }

    /// Signs staff member `id` in with `pin`, at `now`: on success the
    /// store's session is theirs and the sign-in is in the audit log. A
    /// wrong PIN counts towards the wait of the next try.
    pub fn sign_in(
        &mut self,
        id: StaffId,
        pin: &str,
        now: DateTime<Utc>,
    ) -> Result<Session, SignInError> {
        let key = format!("pin:{}", id.0);
        let wait = self.throttle_wait(&key, now)?.max(self.station_wait(now)?);
        if wait > 0 {
            return Err(SignInError::Wait(wait));
        }
        let row = self
            .conn()
            .query_row(
                "SELECT id, name, role, active, pin FROM staff WHERE id = ?1",
                [id.as_bytes()],
                staff_row,
            )
            .optional()?;
        let Some((staff, Some(hash))) = row.filter(|(s, _)| s.active) else {
            return Err(SignInError::Unknown);
        };
        if !pin_matches(&hash, pin) {
            let failures = self.throttle_fail(&key, now)?;
            let station = self.throttle_fail(STATION_KEY, now)?;
            return Err(SignInError::Wrong {
                wait: wait_after(failures).max(wait_after_free(station, STATION_FREE_FAILURES)),
            });
        }
        self.throttle_clear(&key)?;
        let session = Session {
            staff: staff.id,
            name: staff.name,
            role: staff.role,
        };
        self.session = Some(session.clone());
        self.record_audit(
            AuditAction::SignIn,
            super::audit::About::staff(staff.id),
            &Value::Null,
        )?;
        Ok(session)
    }

    /// Every active staff member whose PIN `pin` is, by name (the kiosk's
    /// exit, where no name is shown), throttled under `key`. Usually one;
    /// two staff members may hold the same PIN (set apart at two stations
    /// and met by sync), and then the caller must not pick one of them as
    /// if it knew. Checks every PIN, so it takes a hash's time per staff
    /// member.
    pub fn anyone_with_pin(
        &mut self,
        pin: &str,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Session>, SignInError> {
        let wait = self.throttle_wait(key, now)?.max(self.station_wait(now)?);
        if wait > 0 {
            return Err(SignInError::Wait(wait));
        }
        let rows: Vec<(Staff, Option<String>)> = {
            let mut stmt = self.conn().prepare_cached(
                "SELECT id, name, role, active, pin FROM staff
                 WHERE active AND pin IS NOT NULL ORDER BY name, id",
            )?;
            stmt.query_map([], staff_row)?
                .collect::<rusqlite::Result<_>>()?
        };
        let owners: Vec<Session> = rows
            .into_iter()
            .filter(|(_, hash)| hash.as_deref().is_some_and(|h| pin_matches(h, pin)))
            .map(|(staff, _)| Session {
                staff: staff.id,
                name: staff.name,
                role: staff.role,
            })
            .collect();
        if !owners.is_empty() {
            self.throttle_clear(key)?;
            return Ok(owners);
        }
        let failures = self.throttle_fail(key, now)?;
        let station = self.throttle_fail(STATION_KEY, now)?;
        Err(SignInError::Wrong {
            wait: wait_after(failures).max(wait_after_free(station, STATION_FREE_FAILURES)),
        })
    }

    /// Seconds until the station's next PIN try is allowed, whoever's
    /// (0: now). Its failures are forgotten an hour after the last, not
    /// by a right PIN: one staff member's PIN must not open more guesses
    /// at another's.
    pub fn station_wait(&self, now: DateTime<Utc>) -> Result<u64> {
        self.throttle_wait_free(STATION_KEY, now, STATION_FREE_FAILURES)
    }

    /// Seconds until the next try under `key` is allowed (0: now).
    pub fn throttle_wait(&self, key: &str, now: DateTime<Utc>) -> Result<u64> {
        self.throttle_wait_free(key, now, FREE_FAILURES)
    }

    fn throttle_wait_free(&self, key: &str, now: DateTime<Utc>, free: u32) -> Result<u64> {
        let Some((failures, last)) = self.throttle_row(key)? else {
            return Ok(0);
        };
        let now = now.timestamp_millis();
        if now - last > FORGET_SECS * 1000 {
            return Ok(0);
        }
        let wait_ms = i64::try_from(wait_after_free(failures, free) * 1000).unwrap_or(i64::MAX);
        let left = (last + wait_ms - now).max(0);
        Ok(u64::try_from(left).unwrap_or(0).div_ceil(1000))
    }

    /// Counts a failure under `key`; returns the failures counted lately.
    pub fn throttle_fail(&mut self, key: &str, now: DateTime<Utc>) -> Result<u32> {
        let now = now.timestamp_millis();
        let failures = match self.throttle_row(key)? {
            Some((f, last)) if now - last <= FORGET_SECS * 1000 => f.saturating_add(1),
            _ => 1,
        };
        self.conn().execute(
            "INSERT INTO throttle (key, failures, last_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
                 last_at = excluded.last_at",
            params![key, failures, now],
        )?;
        Ok(failures)
    }

    /// Forgets the failures under `key`.
    pub fn throttle_clear(&mut self, key: &str) -> Result<()> {
        self.conn()
            .execute("DELETE FROM throttle WHERE key = ?1", [key])?;
        Ok(())
    }

    fn throttle_row(&self, key: &str) -> Result<Option<(u32, i64)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT failures, last_at FROM throttle WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Creates the first admin of a database where nobody can sign in yet,
    /// and signs them in.
    pub fn create_first_admin(&mut self, name: &str, pin: &str) -> Result<Session> {
        if self.has_sign_in()? {
            return Err(StoreError::NotAllowed(
                crate::domain::access::Act::ManageStaff,
            ));
        }
        let name = parse_staff_name(name)?;
        let mut w = self.begin(None)?;
        let id = w.new_staff(StaffId::new(), &name, Role::Admin)?;
        w.write_pin(id, pin)?;
        w.audit_staff(
            id,
            serde_json::json!({"change": "added", "role": Role::Admin.code(), "pin": true}),
        )?;
        w.commit()?;
        let session = Session {
            staff: id,
            name,
            role: Role::Admin,
        };
        self.session = Some(session.clone());
        self.record_audit(
            AuditAction::SignIn,
            super::audit::About::staff(id),
            &Value::Null,
        )?;
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ValidationError;

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        s
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn pins_are_hashed_salted_and_checked() {
        let a = hash_pin("2468").unwrap();
        let b = hash_pin("2468").unwrap();
        assert_ne!(a, b, "a random salt each time");
        assert!(!a.contains("2468"));
        assert!(pin_matches(&a, "2468"));
        assert!(pin_matches(&b, "2468"));
        assert!(!pin_matches(&a, "2469"));
        assert!(!pin_matches("2468", "2468"), "a clear PIN is no hash");
        assert!(!pin_matches("a2id$1$1$1$zz$zz", "2468"));
        // Too costly for a station: never computed.
        let costly = a.replacen("$19456$", "$99999999$", 1);
        assert!(!pin_matches(&costly, "2468"));
    }

    #[test]
    fn waits_grow_after_the_free_tries() {
        let waits: Vec<u64> = (0..12).map(wait_after).collect();
        assert_eq!(waits[..4], [0, 0, 0, 5]);
        assert_eq!(waits[4..7], [10, 20, 40]);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(wait_after(11), MAX_WAIT_SECS);
        assert_eq!(wait_after(u32::MAX), MAX_WAIT_SECS);
    }

    #[test]
    fn first_admin_then_sign_in() {
        let mut s = store();
        assert!(!s.has_sign_in().unwrap());
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        assert_eq!(admin.role, Role::Admin);
        assert_eq!(s.session(), Some(&admin));
        assert!(s.has_sign_in().unwrap());
        // A second "first admin" is refused.
        assert!(matches!(
            s.create_first_admin("李四", "1357"),
            Err(StoreError::NotAllowed(_))
        ));
        s.set_session(None);
        let back = s.sign_in(admin.staff, "2468", at(0)).unwrap();
        assert_eq!(back, admin);
        let log = s.audit_entries(10).unwrap();
        // The first admin's creation is a staff change; then two sign-ins.
        assert_eq!(log.last().unwrap().action, "staff");
        let log: Vec<_> = log.into_iter().filter(|e| e.action != "staff").collect();
        assert_eq!(log.len(), 2);
        assert!(log.iter().all(|e| e.action == "sign_in"
            && e.actor == Some(admin.staff)
            && e.subject == format!("staff:{}", admin.staff.0)));
    }

    #[test]
    fn bad_pins_are_refused_beside_the_field() {
        let mut s = store();
        assert!(matches!(
            s.create_first_admin("王芳", "12"),
            Err(StoreError::Invalid(ValidationError::PinLength { len: 2 }))
        ));
        assert!(!s.has_sign_in().unwrap(), "nothing half made");
        assert!(s.staff().unwrap().is_empty());
    }

    #[test]
    fn wrong_pins_slow_down_then_are_forgotten() {
        let mut s = store();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        let id = admin.staff;
        for i in 0..2 {
            assert!(matches!(
                s.sign_in(id, "0000", at(i)),
                Err(SignInError::Wrong { wait: 0 })
            ));
        }
        assert!(matches!(
            s.sign_in(id, "0000", at(2)),
            Err(SignInError::Wrong { wait: 5 })
        ));
        // Even the right PIN waits.
        assert!(matches!(
            s.sign_in(id, "2468", at(4)),
            Err(SignInError::Wait(3))
        ));
        assert!(matches!(
            s.sign_in(id, "1111", at(7)),
            Err(SignInError::Wrong { wait: 10 })
        ));
        assert!(matches!(
            s.sign_in(id, "2468", at(8)),
            Err(SignInError::Wait(9))
        ));
        assert!(s.sign_in(id, "2468", at(17)).is_ok());
        assert_eq!(
            s.throttle_wait(&format!("pin:{}", id.0), at(17)).unwrap(),
            0
        );
        // Failures an hour old are forgotten.
        for i in 0..3 {
            let _ = s.sign_in(id, "0000", at(100 + i * 10));
        }
        assert!(matches!(
            s.sign_in(id, "2468", at(121)),
            Err(SignInError::Wait(_))
        ));
        assert!(s.sign_in(id, "2468", at(120 + 3601)).is_ok());
    }

    /// Trying the names in turn gives no more guesses than the station's
    /// own count: three names do not give three times the tries.
    #[test]
    fn names_in_turn_share_the_stations_throttle() {
        let mut s = store();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        let mut w = s.begin(None).unwrap();
        let mut ids = vec![admin.staff];
        for (name, pin) in [("小李", "1357"), ("老张", "8642"), ("小赵", "9753")] {
            let id = w.add_staff(name, Role::Staff).unwrap();
            w.set_pin(id, pin).unwrap();
            ids.push(id);
        }
        w.commit().unwrap();
        // Two wrong tries a name, free for each name; the station's count
        // reaches its free tries after STATION_FREE_FAILURES of them.
        let free = STATION_FREE_FAILURES as usize;
        let mut waits = Vec::new();
        for (t, id) in ids.iter().cycle().take(free).enumerate() {
            match s.sign_in(*id, "0000", at(t as i64)) {
                Err(SignInError::Wrong { wait }) => waits.push(wait),
                other => panic!("{other:?}"),
            }
        }
        let t = free as i64;
        assert!(waits[..free - 1].iter().all(|w| *w == 0), "{waits:?}");
        assert_eq!(waits[free - 1], 5, "{waits:?}");
        // Now every name waits, the right PIN too, a name not tried yet
        // included; so does the kiosk's exit.
        for id in &ids {
            assert!(matches!(
                s.sign_in(*id, "2468", at(t)),
                Err(SignInError::Wait(_))
            ));
        }
        assert!(matches!(
            s.anyone_with_pin("2468", "kiosk:exit", at(t)),
            Err(SignInError::Wait(_))
        ));
        // A right PIN does not reset the station's count.
        assert!(s.sign_in(ids[1], "1357", at(t + 10)).is_ok());
        assert!(matches!(
            s.sign_in(ids[2], "0000", at(t + 11)),
            Err(SignInError::Wrong { wait: 10 })
        ));
    }

    #[test]
    fn inactive_staff_and_staff_without_pins_cannot_sign_in() {
        let mut s = store();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        let mut w = s.begin(None).unwrap();
        let vol = w.add_staff("小李", Role::Volunteer).unwrap();
        w.commit().unwrap();
        assert!(matches!(
            s.sign_in(vol, "2468", at(0)),
            Err(SignInError::Unknown)
        ));
        let mut w = s.begin(None).unwrap();
        w.set_pin(vol, "1357").unwrap();
        w.commit().unwrap();
        assert_eq!(s.sign_in(vol, "1357", at(0)).unwrap().role, Role::Volunteer);
        let names: Vec<String> = s
            .sign_in_roster()
            .unwrap()
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names.len(), 2);
        let mut w = s.begin(Some(admin.staff)).unwrap();
        w.set_staff_active(vol, false).unwrap();
        w.commit().unwrap();
        assert!(matches!(
            s.sign_in(vol, "1357", at(1)),
            Err(SignInError::Unknown)
        ));
        assert_eq!(s.sign_in_roster().unwrap().len(), 1);
    }

    #[test]
    fn writes_are_made_by_whoever_is_signed_in() {
        let mut s = store();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        let mut w = s.begin(None).unwrap();
        assert_eq!(w.actor(), Some(admin.staff));
        w.add_staff("小李", Role::Volunteer).unwrap();
        w.commit().unwrap();
        s.set_session(None);
        let w = s.begin(None).unwrap();
        assert_eq!(w.actor(), None);
    }

    #[test]
    fn the_kiosk_exit_takes_any_staff_pin() {
        let mut s = store();
        let admin = s.create_first_admin("王芳", "2468").unwrap();
        let mut w = s.begin(None).unwrap();
        let vol = w.add_staff("小李", Role::Volunteer).unwrap();
        w.set_pin(vol, "13579").unwrap();
        w.commit().unwrap();
        let key = "kiosk-exit";
        assert_eq!(
            s.anyone_with_pin("13579", key, at(0)).unwrap()[0].staff,
            vol
        );
        assert_eq!(
            s.anyone_with_pin("2468", key, at(0)).unwrap()[0].staff,
            admin.staff
        );
        // A PIN two staff members hold names both, never one of them.
        let mut w = s.begin(None).unwrap();
        let other = w.add_staff("赵强", Role::Staff).unwrap();
        w.set_pin(other, "13579").unwrap();
        w.commit().unwrap();
        let both: Vec<StaffId> = s
            .anyone_with_pin("13579", key, at(0))
            .unwrap()
            .iter()
            .map(|o| o.staff)
            .collect();
        assert_eq!(both.len(), 2);
        assert!(both.contains(&vol) && both.contains(&other));
        for i in 0..3 {
            assert!(matches!(
                s.anyone_with_pin("0000", key, at(i)),
                Err(SignInError::Wrong { .. })
            ));
        }
        assert!(matches!(
            s.anyone_with_pin("2468", key, at(3)),
            Err(SignInError::Wait(_))
        ));
    }
}
