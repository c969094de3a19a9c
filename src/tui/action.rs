//! Everything the console can be asked to do. Keys become an [`Action`] at
//! one boundary (the keymap); `App::update` applies it.

use tui_input::InputRequest;

use super::panes::{admin, cases, checkin, figures, schedule, sync};

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
    /// A single-key command of a pane (`l` mark leaving, `s` status …).
    Pane(PaneCmd),
    /// Yes / no in a question.
    Yes,
    No,
    /// Text of several lines pasted where a pane takes one entry a line
    /// (the claimants of a new case).
    PasteLines(Vec<String>),
}

/// A single-key command of one pane, typed by the pane: a misspelt command
/// does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneCmd {
    Checkin(checkin::Cmd),
    Cases(cases::Cmd),
    Schedule(schedule::Cmd),
    Figures(figures::Cmd),
    Sync(sync::Cmd),
    Admin(admin::Cmd),
}

impl PaneCmd {
    /// The pane whose command it is.
    pub fn pane(self) -> PaneId {
        match self {
            PaneCmd::Checkin(_) => PaneId::Checkin,
            PaneCmd::Cases(_) => PaneId::Cases,
            PaneCmd::Schedule(_) => PaneId::Schedule,
            PaneCmd::Figures(_) => PaneId::Figures,
            PaneCmd::Sync(_) => PaneId::Sync,
            PaneCmd::Admin(_) => PaneId::Admin,
        }
    }

    /// The catalogue key of the command's words (footer, `?` overlay,
    /// `docs/keys.md`).
    pub fn key(self) -> &'static str {
        match self {
            PaneCmd::Checkin(c) => c.key(),
            PaneCmd::Cases(c) => c.key(),
            PaneCmd::Schedule(c) => c.key(),
            PaneCmd::Figures(c) => c.key(),
            PaneCmd::Sync(c) => c.key(),
            PaneCmd::Admin(c) => c.key(),
        }
    }

    /// Every command of every pane.
    pub fn all() -> Vec<PaneCmd> {
        let mut all: Vec<PaneCmd> = Vec::new();
        all.extend(checkin::Cmd::all().into_iter().map(PaneCmd::from));
        all.extend(cases::Cmd::all().into_iter().map(PaneCmd::from));
        all.extend(schedule::Cmd::all().into_iter().map(PaneCmd::from));
        all.extend(figures::Cmd::all().into_iter().map(PaneCmd::from));
        all.extend(sync::Cmd::all().into_iter().map(PaneCmd::from));
        all.extend(admin::Cmd::all().into_iter().map(PaneCmd::from));
        all
    }
}

/// Each pane's `Cmd` is a `PaneCmd` (for `keymap::bind_cmd`).
macro_rules! pane_cmd_from {
    ($($pane:ident :: Cmd => $var:ident),* $(,)?) => {
        $(
            impl From<$pane::Cmd> for PaneCmd {
                fn from(c: $pane::Cmd) -> PaneCmd {
                    PaneCmd::$var(c)
                }
            }
        )*
    };
}

pane_cmd_from! {
    checkin::Cmd => Checkin,
    cases::Cmd => Cases,
    schedule::Cmd => Schedule,
    figures::Cmd => Figures,
    sync::Cmd => Sync,
    admin::Cmd => Admin,
}

/// Declares the single-key commands of a pane: the enum, `all()` (every
/// command, so a test can check each is bound to a key) and `key()`, the
/// catalogue key of each command's words.
///
/// ```text
/// commands! {
///     pub enum Cmd {
///         Leave = "checkin.leave",
///     }
///     // Commands with a value: one per item of a list, each with its words.
///     with {
///         Tally(Trade) in Trade::ALL => tally_key,
///     }
/// }
/// ```
macro_rules! commands {
    (
        $(#[$m:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vm:meta])* $var:ident = $key:literal,)*
        }
        $(with {
            $($(#[$pm:meta])* $pvar:ident($pty:ty) in $all:expr => $pkey:expr,)*
        })?
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vm])* $var,)*
            $($($(#[$pm])* $pvar($pty),)*)?
        }

        impl $name {
            /// Every command, in declaration order.
            pub fn all() -> Vec<$name> {
                #[allow(unused_mut)]
                let mut all = vec![$($name::$var,)*];
                $($(all.extend($all.iter().copied().map($name::$pvar));)*)?
                all
            }

            /// The catalogue key of the command's words.
            pub fn key(self) -> &'static str {
                match self {
                    $($name::$var => $key,)*
                    $($($name::$pvar(v) => $pkey(v),)*)?
                }
            }
        }
    };
}
pub(crate) use commands;
