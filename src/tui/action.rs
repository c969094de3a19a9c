//! Everything the console can be asked to do. Keys become an [`Action`] at
//! one boundary (the keymap); `App::update` applies it.

use tui_input::InputRequest;

/// The panes, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    Checkin,
    Cases,
    Schedule,
    Figures,
    Sync,
    Admin,
}

impl PaneId {
    pub const ALL: [PaneId; 6] = [
        PaneId::Checkin,
        PaneId::Cases,
        PaneId::Schedule,
        PaneId::Figures,
        PaneId::Sync,
        PaneId::Admin,
    ];

    /// What showing the pane needs the signed-in person to be allowed.
    pub fn act(self) -> crate::domain::access::Act {
        use crate::domain::access::Act;
        match self {
            PaneId::Checkin | PaneId::Schedule => Act::FrontDesk,
            PaneId::Cases => Act::Cases,
            PaneId::Figures => Act::Figures,
            PaneId::Sync => Act::Sync,
            PaneId::Admin => Act::ManageStaff,
        }
    }

    /// The function key that shows the pane.
    pub fn fkey(self) -> u8 {
        match self {
            PaneId::Checkin => 1,
            PaneId::Cases => 2,
            PaneId::Schedule => 3,
            PaneId::Figures => 4,
            PaneId::Sync => 5,
            PaneId::Admin => 6,
        }
    }
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Leave the console (asks first when a form holds unsaved input).
    Quit,
    /// Switch to a pane.
    Show(PaneId),
    /// Open the global lookup.
    OpenLookup,
    /// Open the key overlay.
    OpenHelp,
    /// Lock the console: the sign-in screen in front, forms kept.
    Lock,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    /// Tab: the next field.
    NextField,
    /// Shift-Tab: the previous field.
    PrevField,
    /// Enter.
    Confirm,
    /// Esc: back or cancel.
    Back,
    /// Ctrl-S: save the form from any field.
    Save,
    /// Editing of the focused text field.
    Edit(InputRequest),
    /// A single-key command of a pane (`l` mark leaving, `s` status …),
    /// named by its catalogue key, e.g. `"checkin.leave"`.
    Cmd(&'static str),
    /// A single-key command with a number (tally by trade, toggle a service).
    CmdN(&'static str, u8),
    /// Yes / no in a question.
    Yes,
    No,
}
