//! Who may do what. Four roles: volunteers at the front desk, staff who
//! handle cases, counsellors who also keep session notes, admins who also
//! manage staff, read the audit log and erase people on request. The
//! console and the commands ask [`Act::allows`] before acting, and say
//! [`Act::needs`] when they refuse.

use super::ids::StaffId;
use super::staff::Role;
use crate::i18n::Lang;

/// Who is signed in at a console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub staff: StaffId,
    pub name: String,
    pub role: Role,
}

impl Session {
    /// Whether the person signed in may do `act`.
    pub fn may(&self, act: Act) -> bool {
        act.allows(self.role)
    }
}

/// Something a signed-in person may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// Register and check visitors in, see today's list and the tally,
    /// find people (masked), book and move counselling sessions.
    FrontDesk,
    /// See case details, open and handle cases.
    Cases,
    /// See one person's full ID number and mobile.
    Unmask,
    /// The figures of a period (F4, `waystation report`).
    Figures,
    /// Exchange records with other stations (F5, `waystation sync`).
    Sync,
    /// Write records out to files (`waystation export`).
    Export,
    /// Manage counsellors and their availability.
    ManageSchedule,
    /// Read and write the confidential notes of counselling sessions.
    SessionNotes,
    /// Add staff, change roles and PINs.
    ManageStaff,
    /// Read the audit log.
    Audit,
    /// Erase a person on request.
    Erase,
    /// Create the district's sync network, or leave one (F5 `n`,
    /// `waystation network create` and `leave`): which network a
    /// database belongs to decides where its records go.
    Network,
    /// See the list of people who may be registered twice, merge two
    /// records of one worker, undo a merge.
    MergePeople,
}

use Role::{Admin, Counsellor, Staff, Volunteer};

impl Act {
    /// The roles that may do this.
    pub fn roles(self) -> &'static [Role] {
        match self {
            Act::FrontDesk => &[Volunteer, Staff, Counsellor, Admin],
            Act::Cases
            | Act::Unmask
            | Act::Figures
            | Act::Sync
            | Act::Export
            | Act::ManageSchedule => &[Staff, Counsellor, Admin],
            Act::SessionNotes => &[Counsellor],
            Act::MergePeople => &[Staff, Admin],
            Act::ManageStaff | Act::Audit | Act::Erase | Act::Network => &[Admin],
        }
    }

    /// Whether `role` may do this.
    pub fn allows(self, role: Role) -> bool {
        self.roles().contains(&role)
    }

    /// What to say when refusing: the roles this needs, e.g.
    /// "需要以下角色之一：工作人员、咨询师、管理员".
    pub fn needs(self, lang: Lang) -> String {
        let names: Vec<&str> = self.roles().iter().map(|r| r.label(lang)).collect();
        match (lang, names.len()) {
            (Lang::ZhCn, 1) => format!("需要{}角色", names[0]),
            (Lang::ZhCn, _) => format!("需要以下角色之一：{}", names.join("、")),
            (Lang::En, 1) => format!("This needs the {} role", names[0]),
            (Lang::En, _) => format!("This needs one of the roles {}", names.join(", ")),
        }
    }
}

/// The roles in the order a chooser lists them.
pub const ROLES: [Role; 4] = [Volunteer, Staff, Counsellor, Admin];

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Act; 13] = [
        Act::FrontDesk,
        Act::Cases,
        Act::Unmask,
        Act::Figures,
        Act::Sync,
        Act::Export,
        Act::ManageSchedule,
        Act::SessionNotes,
        Act::ManageStaff,
        Act::Audit,
        Act::Erase,
        Act::Network,
        Act::MergePeople,
    ];

    #[test]
    fn volunteers_keep_to_the_front_desk() {
        for act in ALL {
            assert_eq!(act.allows(Volunteer), act == Act::FrontDesk, "{act:?}");
        }
    }

    #[test]
    fn only_counsellors_read_session_notes() {
        for role in ROLES {
            assert_eq!(Act::SessionNotes.allows(role), role == Counsellor);
        }
    }

    #[test]
    fn admins_do_all_but_session_notes() {
        for act in ALL {
            assert_eq!(act.allows(Admin), act != Act::SessionNotes, "{act:?}");
        }
        for act in [Act::ManageStaff, Act::Audit, Act::Erase, Act::Network] {
            for role in [Volunteer, Staff, Counsellor] {
                assert!(!act.allows(role), "{act:?} {role:?}");
            }
        }
    }

    #[test]
    fn refusals_name_the_roles() {
        assert_eq!(Act::Erase.needs(Lang::ZhCn), "需要管理员角色");
        assert_eq!(
            Act::Cases.needs(Lang::ZhCn),
            "需要以下角色之一：工作人员、咨询师、管理员"
        );
        assert_eq!(
            Act::Cases.needs(Lang::En),
            "This needs one of the roles Staff, Counsellor, Administrator"
        );
    }
}
