//! Work that runs beside the keys: a sync on a background thread. The
//! loop asks [`App::poll_work`] for news while [`App::busy`]; when the work
//! ends the app opens the database again (the sync may have taken a new
//! replica id, which a connection caches) and reads everything afresh.

use super::action::PaneId;
use super::app::App;
use super::panes::{Polled, Status};
use crate::i18n::Localized;
use crate::store::Store;

impl App {
    /// Whether background work runs (the loop then wakes often to show
    /// its progress, and quitting asks first).
    pub fn busy(&self) -> bool {
        PaneId::ALL.iter().any(|p| self.pane_ref(*p).busy())
    }

    /// Takes what background work reported. Returns whether the screen
    /// must be redrawn.
    pub fn poll_work(&mut self) -> bool {
        let mut changed = false;
        for id in PaneId::ALL {
            if !self.pane_ref(id).busy() {
                continue;
            }
            let mut polled = Polled::Idle;
            self.with_pane(id, |p, cx| polled = p.poll(cx));
            match polled {
                Polled::Idle => {}
                Polled::Moved => changed = true,
                Polled::Finished => {
                    self.reopen_store();
                    self.reload_all(id);
                    changed = true;
                }
            }
        }
        if changed {
            self.dirty = true;
        }
        changed
    }

    /// Opens the database again; keeps the old connection when it cannot.
    fn reopen_store(&mut self) {
        let Some(path) = self.db_path.clone() else {
            return;
        };
        match Store::open(&path) {
            Ok(mut store) => {
                if let Some(clock) = self.store_clock {
                    store.set_clock(clock);
                }
                // Whoever is signed in stays signed in on the new connection.
                store.set_session(self.store.session().cloned());
                self.store = store;
            }
            Err(e) => {
                tracing::warn!(db = %path.display(), "cannot open the database again: {e}");
                self.status = Some(Status {
                    text: e.localized(self.lang),
                    error: true,
                });
            }
        }
    }

    /// Reads the header, the conflicts count, the pane that did the work
    /// and the shown pane; the others read theirs when shown.
    fn reload_all(&mut self, worker: PaneId) {
        if let Ok(tz) = self.store.time_zone() {
            self.tz = tz;
        }
        self.load_header();
        self.count_conflicts();
        // A message the work left in the status line stays: load()
        // reports only errors.
        self.with_pane(worker, |p, cx| p.load(cx));
        let shown = self.pane;
        if shown != worker {
            self.with_pane(shown, |p, cx| p.load(cx));
        }
    }

    /// Counts the entries of the conflicts list (the sync tab's badge).
    pub fn count_conflicts(&mut self) {
        match self.store.conflict_count() {
            Ok(n) => self.header.conflicts = Some(n),
            Err(e) => tracing::warn!("cannot count conflicts: {e}"),
        }
        self.dirty = true;
    }
}
