//! Work that runs beside the keys: a sync on a background thread. The
//! loop asks [`App::poll_work`] for news while [`App::busy`]; when the work
//! ends the app opens the database again (the sync may have taken a new
//! replica id, which a connection caches) and reads everything afresh.
//! And other writers of the same file (another console, the kiosk): the
//! loop asks [`App::notice_writers`] after each batch of keys and on the
//! minute tick.

use super::action::PaneId;
use super::app::App;
use super::panes::{Polled, Status};
use crate::i18n::Localized;

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

    /// Notices a change another connection committed to the database
    /// since the last look (another console or the kiosk on the same
    /// file, a sync on its own thread) and reads the header, the conflicts
    /// count and the shown pane again; while the sign-in screen is in
    /// front, the header only, and the pane once someone is signed in.
    /// One `PRAGMA data_version` when nothing changed; nothing while a sync
    /// of this console runs. Returns whether anything was read again.
    pub fn notice_writers(&mut self) -> bool {
        // A sync in the background writes on its own connection; when it
        // ends, everything is read again anyway.
        if !self.loaded || self.sync.running() {
            return false;
        }
        let now = match self.store.data_version() {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!("cannot read the data version: {e}");
                return false;
            }
        };
        let changed = self.seen_version.is_some_and(|seen| seen != now);
        self.seen_version = Some(now);
        if changed {
            self.load_header();
            self.count_conflicts();
            self.pane_stale = true;
        }
        let mut reloaded = changed;
        if self.pane_stale && self.gate.is_none() {
            self.pane_stale = false;
            let pane = self.pane;
            self.with_pane(pane, |p, cx| p.load(cx));
            reloaded = true;
        }
        if reloaded {
            self.dirty = true;
        }
        reloaded
    }

    /// Opens the database again; keeps the old connection when it cannot.
    fn reopen_store(&mut self) {
        let Some(file) = self.db.clone() else {
            return;
        };
        let path = &file.path;
        match file.open() {
            Ok(mut store) => {
                if let Some(clock) = self.store_clock {
                    store.set_clock(clock);
                }
                // Whoever is signed in stays signed in on the new connection.
                store.set_session(self.store.session().cloned());
                self.store = store;
                // Another connection counts its own versions: the next
                // look starts from the new one (everything is read again
                // now anyway).
                self.seen_version = None;
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
