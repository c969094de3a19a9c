//! F5 Sync: exchange records with the other stations through a folder (a
//! USB stick, a network share, a Syncthing folder), and decide the
//! conflicts a sync found.
//!
//! The pane shows the folder (the last one used, editable), whether the
//! station is in a sync network, the last sync's summary (or its progress
//! while it runs on a background thread), and the conflicts list with the
//! selected entry's details. The keyboard is in the folder field (typing)
//! or in the list (single keys). An admin at the district office creates
//! the district's network here, once (`create.rs`); a sync never does.

mod create;
mod dialog;
mod draw;
pub mod dups;
mod held;
pub mod job;
mod keys;
mod update;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use tui_input::Input;

use self::job::{Job, Progress};
use super::{Ctx, Pane, Polled, View};
use crate::i18n::Lang;
use crate::store::{Choice, Listed};
use crate::sync::session::Outcome;
use crate::t;
use crate::tui::action::Action;
use crate::tui::widgets::field::Field;

pub use self::keys::{
    CREATE_KEY, Cmd, DUPS, DUPS_KEY, DUPS_MERGE, FOLDER, FOLDER_KEY, KEEP_KEY, LIST, NEW,
    OTHER_KEY, RUN_KEY, SECRET, bindings,
};

/// Which part has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Folder,
    List,
}

/// The station's place in a sync network, from its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Network {
    /// The station has synced: it belongs to a network.
    pub joined: bool,
    /// The passphrase is kept in the station's settings.
    pub kept: bool,
    /// This computer supplies a passphrase (`WAYSTATION_SYNC_PASSPHRASE`).
    pub given: bool,
    /// Whoever is signed in may create a network (admins).
    pub may_create: bool,
}

/// A typed passphrase: never shown, never printed.
#[derive(Clone, Default)]
pub struct Secret(pub Input);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// A dialog over the pane.
#[derive(Debug, Clone)]
pub enum Dialog {
    /// The passphrase is needed (none kept), or the kept or typed one does
    /// not fit the folder's network.
    Passphrase {
        input: Secret,
        error: Option<String>,
    },
    /// "Apply the `n` operations held apart now?" (`held.rs`)
    AcceptHeld { n: usize },
    /// Creating the district's network in the folder: what it means,
    /// and the passphrase twice (none when this computer supplies it).
    Create {
        pass: Secret,
        again: Secret,
        /// The cursor is in the second field.
        second: bool,
        error: Option<String>,
    },
    /// "Take the other value / keep the current one?"
    Confirm {
        choice: Choice,
        entry: Box<Listed>,
        /// What the choice does, in words.
        action: &'static str,
    },
}

/// The last sync of this session.
#[derive(Debug, Clone)]
pub enum Last {
    Done {
        /// Refused files are named by their path inside the folder.
        outcome: Outcome,
        /// The folder, as typed.
        folder: String,
        at: DateTime<Utc>,
    },
    Failed {
        message: String,
        folder: String,
        at: DateTime<Utc>,
    },
    /// Before this session: only when, as the database remembers it.
    Earlier { at: DateTime<Utc> },
}

/// A sync under way.
#[derive(Debug)]
pub struct Running {
    pub progress: Progress,
    /// The folder, as typed.
    pub folder: String,
    /// Whether the passphrase was typed (a wrong one asks again).
    pub typed: bool,
    /// `None` only in tests that draw a progress they set themselves.
    pub job: Option<Job>,
}

#[derive(Debug)]
pub struct SyncPane {
    pub focus: Focus,
    pub folder: Field,
    pub network: Network,
    pub conflicts: Vec<Listed>,
    /// Operations held apart, a station each (`held.rs`).
    pub held: Vec<crate::store::HeldApart>,
    /// Copies of one database found lately (`store/split.rs`).
    pub splits: Vec<crate::store::SplitListed>,
    pub selected: usize,
    pub last: Option<Last>,
    pub running: Option<Running>,
    pub dialog: Option<Dialog>,
    /// The list of possible duplicates, open over the pane (`dups.rs`).
    pub dups: Option<dups::DupsView>,
    /// Whether `load` has run once (the first load chooses the focus).
    loaded: bool,
}

impl SyncPane {
    pub fn new(lang: Lang) -> Self {
        Self {
            focus: Focus::Folder,
            folder: Field::text(t!(lang, "sync.f_folder"), "")
                .with_hint(t!(lang, "sync.hint_folder")),
            network: Network::default(),
            conflicts: Vec::new(),
            held: Vec::new(),
            splits: Vec::new(),
            selected: 0,
            last: None,
            running: None,
            dialog: None,
            dups: None,
            loaded: false,
        }
    }

    /// Whether a sync runs.
    pub fn running(&self) -> bool {
        self.running.is_some()
    }

    /// The selected entry of the conflicts list.
    pub fn current(&self) -> Option<&Listed> {
        self.conflicts.get(self.selected)
    }

    /// Reads the kept settings and the conflicts list, keeping the
    /// selection on the same entry where it still is.
    fn reload(&mut self, cx: &mut Ctx) {
        let kept = match cx.store.sync_settings() {
            Ok(k) => k,
            Err(e) => {
                cx.store_error(e);
                Default::default()
            }
        };
        self.network = Network {
            joined: kept.network.is_some(),
            kept: kept.passphrase.is_some(),
            given: update::env_passphrase().is_some(),
            may_create: crate::sync::network::may_change(cx.store),
        };
        if self.folder.text_value().is_empty()
            && let Some(f) = &kept.folder
        {
            self.folder.set_text(f);
        }
        if !self.loaded {
            self.loaded = true;
            if kept.folder.is_some() {
                self.focus = Focus::List;
            }
        }
        if self.last.is_none() || matches!(self.last, Some(Last::Earlier { .. })) {
            self.last = kept.last_sync.map(|at| Last::Earlier { at });
        }
        self.held = held::load(cx);
        self.splits = held::load_splits(cx);
        let key = self.current().map(|l| l.key.clone());
        match cx.store.conflicts() {
            Ok(list) => {
                self.selected = key
                    .and_then(|k| list.iter().position(|l| l.key == k))
                    .unwrap_or(self.selected)
                    .min(list.len().saturating_sub(1));
                self.conflicts = list;
            }
            Err(e) => cx.store_error(e),
        }
    }
}

impl Pane for SyncPane {
    fn load(&mut self, cx: &mut Ctx) {
        self.reload(cx);
    }

    fn scopes(&self) -> Vec<&'static str> {
        if let Some(d) = &self.dups {
            return vec![if d.merging.is_some() {
                DUPS_MERGE
            } else {
                DUPS
            }];
        }
        match &self.dialog {
            Some(Dialog::Passphrase { .. }) => vec![SECRET],
            Some(Dialog::Create { .. }) => vec![NEW],
            Some(Dialog::Confirm { .. } | Dialog::AcceptHeld { .. }) => {
                vec![crate::tui::keymap::QUESTION]
            }
            None => match self.focus {
                Focus::Folder => vec![FOLDER],
                Focus::List => vec![LIST],
            },
        }
    }

    fn typing(&self) -> bool {
        if self.dups.is_some() {
            return false;
        }
        match &self.dialog {
            Some(Dialog::Passphrase { .. }) => true,
            Some(Dialog::Create { .. }) => !self.network.given,
            Some(Dialog::Confirm { .. } | Dialog::AcceptHeld { .. }) => false,
            None => self.focus == Focus::Folder,
        }
    }

    fn update(&mut self, cx: &mut Ctx, action: &Action) {
        if self.dups.is_some() {
            return self.update_dups(cx, action);
        }
        self.apply(cx, action);
    }

    fn busy(&self) -> bool {
        self.running() || self.dups_reading()
    }

    fn poll(&mut self, cx: &mut Ctx) -> Polled {
        match self.take_dups(cx) {
            Polled::Idle => self.take_news(cx),
            other => other,
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, v: &View) {
        match &self.dups {
            Some(d) => dups::draw(d, f, area, v),
            None => draw::draw(self, f, area, v),
        }
    }

    fn unsaved(&self) -> bool {
        // The folder is kept by syncing, the passphrase by the library:
        // neither is a record to lose.
        false
    }
}
