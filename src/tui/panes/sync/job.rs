//! One sync on a background thread, with a connection of its own, so the
//! console stays usable while files are read and written. The thread
//! reports its progress and, last, its result through a channel; the pane
//! takes them when the app polls.
//!
//! Quitting while it runs is safe: every file is applied in one
//! transaction, and a file is written under a temporary name and renamed
//! when complete, so an interrupted sync leaves nothing half done.

use std::fmt;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

use crate::domain::access::Session;
use crate::sync::network::{self, NetworkError};
use crate::sync::session::{self, Outcome};

/// What a sync is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    /// Opening the database, checking the passphrase (a fraction of a
    /// second: the key is derived on purpose slowly).
    #[default]
    Start,
    /// Reading the folder's files.
    Read,
    /// Writing what the folder lacks.
    Write,
}

/// How far a sync is: `done` of `total` files in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub stage: Stage,
    pub done: usize,
    pub total: usize,
}

/// What a sync needs.
pub struct Request {
    pub db: crate::store::DbFile,
    pub folder: PathBuf,
    /// Typed or given by the environment; `None`: the one the database
    /// keeps.
    pub passphrase: Option<String>,
    pub marks: Option<PathBuf>,
    /// Create the network in the folder first (an admin's act: the
    /// creation is refused to anyone else).
    pub create: bool,
    /// Who is signed in at the console, for the creation.
    pub session: Option<Session>,
    /// The console's clock (the wall clock, but in tests and simulations).
    pub clock: fn() -> u64,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("db", &self.db)
            .field("folder", &self.folder)
            .field("passphrase", &self.passphrase.as_ref().map(|_| "(given)"))
            .field("create", &self.create)
            .finish()
    }
}

enum Msg {
    Progress(Progress),
    Done(Box<Result<Outcome, NetworkError>>),
}

/// A sync under way.
#[derive(Debug)]
pub struct Job {
    rx: Receiver<Msg>,
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::Progress(p) => write!(f, "{p:?}"),
            Msg::Done(_) => write!(f, "done"),
        }
    }
}

/// What the job reported since it was last asked.
#[derive(Debug)]
pub enum News {
    Nothing,
    Progress(Progress),
    Done(Box<Result<Outcome, NetworkError>>),
    /// The thread ended without a result (it cannot, short of a bug).
    Lost,
}

/// Starts a sync on a thread of its own.
pub fn spawn(req: Request) -> std::io::Result<Job> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            let result = run(req, &tx);
            if let Err(e) = &result {
                tracing::warn!("sync from the console stopped: {e}");
            }
            let _ = tx.send(Msg::Done(Box::new(result)));
        })?;
    Ok(Job { rx })
}

fn run(req: Request, tx: &Sender<Msg>) -> Result<Outcome, NetworkError> {
    tracing::info!(folder = %req.folder.display(), "sync from the console");
    let mut store = req.db.open()?;
    store.set_clock(req.clock);
    if req.create {
        store.set_session(req.session.clone());
        let pass = req.passphrase.as_deref().unwrap_or_default();
        network::create(&mut store, &req.folder, pass)?;
    }
    let mut progress = |stage: &str, done: usize, total: usize| {
        let stage = if stage == "read" {
            Stage::Read
        } else {
            Stage::Write
        };
        let _ = tx.send(Msg::Progress(Progress { stage, done, total }));
    };
    let mut outcome = session::run(
        &mut store,
        &req.folder,
        req.passphrase.as_deref(),
        req.marks.as_deref(),
        &mut progress,
    )?;
    outcome.created_network = req.create;
    Ok(outcome)
    // The connection closes here, before the result is sent: the app
    // opens the database again only once the sync has let go of it.
}

impl Job {
    /// Everything reported since the last call: the latest progress, or
    /// the result.
    pub fn poll(&mut self) -> News {
        let mut news = News::Nothing;
        loop {
            match self.rx.try_recv() {
                Ok(Msg::Progress(p)) => news = News::Progress(p),
                Ok(Msg::Done(r)) => return News::Done(r),
                Err(TryRecvError::Empty) => return news,
                Err(TryRecvError::Disconnected) => return News::Lost,
            }
        }
    }
}
