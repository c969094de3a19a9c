//! Counting the figures on a thread of its own, with a connection of its
//! own, so that the pane's first frame never waits for them and keys stay
//! live while a district's month is counted. A newer request makes an
//! older result stale: the pane keeps only the answer to what it shows.

use std::sync::mpsc::{self, Receiver, TryRecvError};

use chrono::NaiveDate;

use crate::domain::ids::StationId;
use crate::i18n::{Lang, Localized};
use crate::store::figures::Figures;
use crate::store::{DbFile, Store};

/// What to count: a period (local days) of one station or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ask {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub station: Option<StationId>,
    /// The day overdue follow-ups are counted on.
    pub today: NaiveDate,
}

/// Figures being counted.
#[derive(Debug)]
pub struct Job {
    pub ask: Ask,
    lang: Lang,
    rx: Receiver<Result<Figures, String>>,
}

/// What the job reported.
#[derive(Debug)]
pub enum News {
    Nothing,
    Done(Box<Result<Figures, String>>),
}

/// Counts `ask` on the database at `db`, on a thread of its own.
pub fn spawn(db: DbFile, ask: Ask, lang: Lang) -> std::io::Result<Job> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("figures".into())
        .spawn(move || {
            let result = db
                .open()
                .map_err(|e| e.localized(lang))
                .and_then(|store| count(&store, ask, lang));
            let _ = tx.send(result);
        })?;
    Ok(Job { ask, lang, rx })
}

/// Counts `ask` on `store`, here and now.
pub fn count(store: &Store, ask: Ask, lang: Lang) -> Result<Figures, String> {
    store
        .figures_on(ask.from, ask.to, ask.station, ask.today)
        .map_err(|e| {
            tracing::warn!("figures: {e}");
            e.localized(lang)
        })
}

impl Job {
    pub fn poll(&mut self) -> News {
        match self.rx.try_recv() {
            Ok(r) => News::Done(Box::new(r)),
            Err(TryRecvError::Empty) => News::Nothing,
            Err(TryRecvError::Disconnected) => {
                let e = crate::store::figures::FiguresError::Interrupted;
                News::Done(Box::new(Err(e.localized(self.lang))))
            }
        }
    }
}
