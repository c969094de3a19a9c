//! Anonymous counts the database could not take at once: another program
//! (a sync in another window, a command) held its write lock for longer
//! than a write waits. None is lost: each waits here, in the order typed,
//! with the time it was typed, and is saved as soon as the database is
//! free — tried again every second, and before any count typed after it.
//! The status line and the list's title say how many wait; quitting
//! while some wait asks first.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::present::{Done, Tallied};
use super::{CheckinPane, services_text, trade_short};
use crate::domain::person::Trade;
use crate::domain::visit::Services;
use crate::i18n::Localized;
use crate::store::{StoreError, with_lock_wait};
use crate::t;
use crate::tui::panes::Ctx;

/// A count typed, not saved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub trade: Trade,
    pub services: Services,
    /// When it was typed: the visit's time once saved.
    pub at: DateTime<Utc>,
}

/// How long a count tried again waits for the lock (the first try waits
/// the store's full time): the keyboard is never held up for long.
const RETRY_WAIT: Duration = Duration::from_millis(200);

/// How often the counts that wait are tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(1);

impl CheckinPane {
    /// Counts one anonymous visitor typed now: saved at once, or kept
    /// behind those that wait.
    pub(super) fn count(&mut self, cx: &mut Ctx, trade: Trade, services: Services) {
        let first = self.present.queued.is_empty();
        self.present.queued.push(Queued {
            trade,
            services,
            at: cx.now,
        });
        if first {
            self.save_queued(cx);
        } else {
            with_lock_wait(RETRY_WAIT, || self.save_queued(cx));
        }
    }

    /// Tries again the counts that wait, when it is time (at most every
    /// [`RETRY_EVERY`]). Whether any was saved.
    pub(super) fn retry_queued(&mut self, cx: &mut Ctx) -> bool {
        if self.present.queued.is_empty() {
            return false;
        }
        if self.retried.is_some_and(|at| at.elapsed() < RETRY_EVERY) {
            return false;
        }
        with_lock_wait(RETRY_WAIT, || self.save_queued(cx))
    }

    /// Saves the counts that wait, oldest first, until one cannot be
    /// saved; says what happened. Whether any was saved.
    pub(super) fn save_queued(&mut self, cx: &mut Ctx) -> bool {
        self.retried = Some(Instant::now());
        let mut saved: Vec<Tallied> = Vec::new();
        let mut failed = None;
        while let Some(q) = self.present.queued.first().cloned() {
            let result = cx.store.begin(None).and_then(|mut w| {
                let id = w.tally_with(q.trade, 1, q.services, q.at)?;
                w.commit()?;
                Ok(id)
            });
            match result {
                Ok(visit) => {
                    self.present.queued.remove(0);
                    let t = Tallied {
                        visit,
                        trade: q.trade,
                        services: q.services,
                        at: q.at,
                    };
                    self.present.done.push(Done::Tally(t.clone()));
                    saved.push(t);
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        if !saved.is_empty() {
            *cx.changed = true;
            self.reload(cx);
        }
        let lang = cx.lang;
        let today = self.present.today.unwrap_or(0);
        match (failed, saved.as_slice()) {
            (None, []) => {}
            (None, [one]) => cx.info(t!(
                lang,
                "checkin.tallied",
                trade = trade_short(one.trade, lang),
                services = services_text(one.services, lang),
                n = today
            )),
            (None, more) => cx.info(t!(
                lang,
                "checkin.tallies_saved",
                n = more.len(),
                today = today
            )),
            (Some(StoreError::Busy), _) => cx.error(t!(
                lang,
                "checkin.tallies_busy",
                n = self.present.queued.len()
            )),
            (Some(e), _) => {
                tracing::warn!("a count could not be saved: {e}");
                cx.error(t!(
                    lang,
                    "checkin.tallies_waiting",
                    n = self.present.queued.len(),
                    why = e.localized(lang)
                ))
            }
        }
        !saved.is_empty()
    }
}
