//! What the keys do in the sync pane, and what happens when a sync ends.

use std::path::PathBuf;

use super::job::{self, News, Request};
use super::{Cmd, Dialog, Focus, Last, Running, Secret, SyncPane};
use crate::i18n::Localized;
use crate::store::ConflictKind;
use crate::store::{Choice, Issue, Listed};
use crate::sync::folder::SyncError;
use crate::sync::network::NetworkError;
use crate::t;
use crate::tui::action::{Action, PaneCmd};
use crate::tui::panes::{Ctx, Polled};
use crate::words::sync as words;

pub(super) use crate::sync::session::env_passphrase;

/// The folder as typed: trimmed, `~` for the home folder.
pub(super) fn folder_path(typed: &str) -> PathBuf {
    let typed = typed.trim();
    let home = || directories::UserDirs::new().map(|u| u.home_dir().to_owned());
    if typed == "~" {
        if let Some(h) = home() {
            return h;
        }
    } else if let Some(rest) = typed.strip_prefix("~/")
        && let Some(h) = home()
    {
        return h.join(rest);
    }
    PathBuf::from(typed)
}

impl SyncPane {
    pub(super) fn apply(&mut self, cx: &mut Ctx, action: &Action) {
        if let Some(d) = self.dialog.take() {
            return self.update_dialog(cx, d, action);
        }
        match (self.focus, action) {
            (_, Action::Pane(PaneCmd::Sync(Cmd::Run))) => self.start(cx, None, false),
            (_, Action::Pane(PaneCmd::Sync(Cmd::Create))) => self.ask_create(cx),
            (Focus::Folder, Action::Edit(req)) => {
                self.folder.edit(*req);
            }
            (Focus::Folder, Action::Pane(PaneCmd::Sync(Cmd::ToList))) => self.focus = Focus::List,
            (Focus::List, Action::Pane(PaneCmd::Sync(Cmd::ToFolder))) => self.focus = Focus::Folder,
            (Focus::List, Action::Pane(PaneCmd::Sync(Cmd::Other))) => self.ask(cx, Choice::Other),
            (Focus::List, Action::Pane(PaneCmd::Sync(Cmd::Keep))) => self.ask(cx, Choice::Keep),
            (Focus::List, Action::Pane(PaneCmd::Sync(Cmd::AcceptHeld))) => self.ask_accept(cx),
            (Focus::List, Action::Pane(PaneCmd::Sync(Cmd::Duplicates))) => self.open_dups(cx),
            (Focus::List, Action::Up) => self.step(-1),
            (Focus::List, Action::Down) => self.step(1),
            (Focus::List, Action::PageUp) => self.step(-10),
            (Focus::List, Action::PageDown) => self.step(10),
            (Focus::List, Action::Home) => self.selected = 0,
            (Focus::List, Action::End) => self.step(isize::MAX),
            _ => {}
        }
    }

    fn step(&mut self, by: isize) {
        let last = self.conflicts.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(by).min(last);
    }

    /// The folder typed, if it is one; else says why beside the field.
    pub(super) fn typed_folder(&mut self, cx: &mut Ctx) -> Option<(String, PathBuf)> {
        let lang = cx.lang;
        self.folder.error = None;
        let shown = self.folder.text_value().trim().to_owned();
        if shown.is_empty() {
            self.refuse_folder(cx, t!(lang, "sync.folder_empty").to_owned());
            return None;
        }
        let folder = folder_path(&shown);
        if !folder.is_dir() {
            let why = t!(lang, "sync.folder_missing", folder = folder.display());
            self.refuse_folder(cx, why);
            return None;
        }
        Some((shown, folder))
    }

    /// Starts a sync with the folder typed. `typed`: a passphrase from
    /// the prompt; else the one this computer supplies, else the kept one
    /// (asked for first when none is kept). `create`: create the network
    /// in the folder first.
    pub(super) fn start(&mut self, cx: &mut Ctx, typed: Option<String>, create: bool) {
        let lang = cx.lang;
        if self.running() {
            return cx.error(t!(lang, "sync.busy"));
        }
        let Some((shown, folder)) = self.typed_folder(cx) else {
            return;
        };
        let Some(db) = cx.db.cloned() else {
            return cx.error(t!(lang, "sync.no_database"));
        };
        // Said before the passphrase is asked for: it would change nothing.
        // (The sync itself refuses the same.)
        if !create
            && !self.network.joined
            && matches!(crate::sync::folder::read_network(&folder), Ok(None))
        {
            return self.no_network(cx, shown);
        }
        let is_typed = typed.is_some();
        let passphrase = typed.or_else(env_passphrase);
        if passphrase.is_none() && !self.network.kept {
            self.dialog = Some(Dialog::Passphrase {
                input: Secret::default(),
                error: None,
            });
            return;
        }
        let req = Request {
            db,
            folder,
            passphrase,
            marks: cx.marks.map(ToOwned::to_owned),
            create,
            session: cx.store.session().cloned(),
            clock: cx.store.clock(),
        };
        match job::spawn(req) {
            Ok(job) => {
                self.running = Some(Running {
                    progress: Default::default(),
                    folder: shown,
                    typed: is_typed,
                    job: Some(job),
                });
                cx.info(t!(lang, "sync.started"));
            }
            Err(e) => {
                tracing::warn!("cannot start a sync thread: {e}");
                cx.error(t!(lang, "sync.failed", why = e));
            }
        }
    }

    /// Neither the folder nor this station has a network: nothing
    /// happened. Says what to do: wait for the folder; the district
    /// office creates the network (`n`, admins).
    fn no_network(&mut self, cx: &mut Ctx, folder: String) {
        let lang = cx.lang;
        cx.error(t!(lang, "sync.no_network_status"));
        let (run, create) = (super::RUN_KEY, super::CREATE_KEY);
        let message = if self.network.may_create {
            t!(lang, "sync.no_network_admin", run = run, create = create)
        } else {
            t!(lang, "sync.no_network", run = run, create = create)
        };
        // The list has the single keys the message names.
        self.focus = Focus::List;
        self.last = Some(Last::Failed {
            message,
            folder,
            at: cx.now,
        });
    }

    /// A refused folder: the reason beside the field, which gets the
    /// keyboard; what was typed stays.
    fn refuse_folder(&mut self, cx: &mut Ctx, why: String) {
        self.folder.error = Some(why.clone());
        self.focus = Focus::Folder;
        cx.error(why);
    }

    fn update_dialog(&mut self, cx: &mut Ctx, d: Dialog, action: &Action) {
        match d {
            Dialog::Passphrase { mut input, error } => match action {
                Action::Back => cx.info(t!(cx.lang, "sync.cancelled")),
                Action::Confirm => {
                    let typed = input.0.value().trim().to_owned();
                    if typed.is_empty() {
                        self.dialog = Some(Dialog::Passphrase {
                            input,
                            error: Some(t!(cx.lang, "sync.secret_empty").to_owned()),
                        });
                    } else {
                        self.start(cx, Some(typed), false);
                    }
                }
                Action::Edit(req) => {
                    input.0.handle(*req);
                    self.dialog = Some(Dialog::Passphrase { input, error });
                }
                _ => self.dialog = Some(Dialog::Passphrase { input, error }),
            },
            Dialog::Create {
                pass,
                again,
                second,
                error,
            } => self.update_create(cx, pass, again, second, error, action),
            Dialog::Confirm { choice, entry, .. } if action == &Action::Yes => {
                self.decide(cx, choice, &entry)
            }
            Dialog::Confirm { .. } if action == &Action::No => {}
            d @ Dialog::Confirm { .. } => self.dialog = Some(d),
            Dialog::AcceptHeld { .. } if action == &Action::Yes => self.accept(cx),
            Dialog::AcceptHeld { .. } if action == &Action::No => {}
            d @ Dialog::AcceptHeld { .. } => self.dialog = Some(d),
        }
    }

    /// `o` / `k`: asks before taking the other value or keeping the
    /// current one; says why when the choice does not apply.
    fn ask(&mut self, cx: &mut Ctx, choice: Choice) {
        let lang = cx.lang;
        if self.running() {
            return cx.error(t!(lang, "sync.wait_decide"));
        }
        let Some(entry) = self.current().cloned() else {
            return cx.error(t!(lang, "sync.no_conflicts"));
        };
        let action = match choice {
            Choice::Other => words::other_action(&entry, lang),
            Choice::Keep => words::keep_action(&entry, lang),
        };
        match action {
            Some(action) => {
                self.dialog = Some(Dialog::Confirm {
                    choice,
                    entry: Box::new(entry),
                    action,
                })
            }
            None => {
                let how = words::details(&entry, lang, cx.tz).last().cloned();
                cx.error(t!(lang, "sync.not_here", how = how.unwrap_or_default()));
            }
        }
    }

    fn decide(&mut self, cx: &mut Ctx, choice: Choice, entry: &Listed) {
        let lang = cx.lang;
        let done = match choice {
            Choice::Other => words::other_action(entry, lang),
            Choice::Keep => words::keep_action(entry, lang),
        };
        match cx.store.resolve_conflict(&entry.key, choice) {
            Ok(_) => {
                // The entry as it was listed, and the value it has now
                // when that is the other one.
                let mut what = words::title(entry, lang);
                if let (
                    Choice::Other,
                    Issue::Record {
                        conflict,
                        loser_shown,
                        ..
                    },
                ) = (choice, &entry.issue)
                    && conflict.kind == ConflictKind::Field
                {
                    what = format!("{what} → {}", words::shown(loser_shown, lang));
                }
                cx.info(t!(
                    lang,
                    "sync.decided",
                    action = done.unwrap_or(""),
                    what = what
                ));
                *cx.changed = true;
                self.reload(cx);
            }
            Err(crate::store::StoreError::NotFound(_)) => {
                // Settled meanwhile (an edit, or a sync).
                cx.error(t!(lang, "sync.gone"));
                self.reload(cx);
            }
            Err(e) => cx.store_error(e),
        }
    }

    /// Takes the news of a running sync.
    pub(super) fn take_news(&mut self, cx: &mut Ctx) -> Polled {
        let Some(run) = &mut self.running else {
            return Polled::Idle;
        };
        let news = match &mut run.job {
            Some(job) => job.poll(),
            None => News::Nothing,
        };
        match news {
            News::Nothing => Polled::Idle,
            News::Progress(p) => {
                run.progress = p;
                Polled::Moved
            }
            News::Done(result) => {
                self.finish(cx, *result);
                Polled::Finished
            }
            News::Lost => {
                let folder = std::mem::take(&mut run.folder);
                self.running = None;
                let message = t!(cx.lang, "sync.lost").to_owned();
                cx.error(t!(cx.lang, "sync.failed", why = message));
                self.last = Some(Last::Failed {
                    message,
                    folder,
                    at: cx.now,
                });
                Polled::Finished
            }
        }
    }

    fn finish(
        &mut self,
        cx: &mut Ctx,
        result: Result<crate::sync::session::Outcome, NetworkError>,
    ) {
        let lang = cx.lang;
        let Some(run) = self.running.take() else {
            return;
        };
        match result {
            Ok(mut outcome) => {
                let base = folder_path(&run.folder);
                for f in &mut outcome.report.refused {
                    if let Ok(inside) = f.path.strip_prefix(&base) {
                        f.path = inside.to_owned();
                    }
                }
                let report = &outcome.report;
                let needed = report.refused.iter().filter(|f| f.needed).count();
                let text = match (needed, report.refused.len(), outcome.conflicts) {
                    (0, 0, 0) => t!(lang, "sync.done").to_owned(),
                    (0, 0, n) => t!(lang, "sync.done_conflicts", n = n),
                    (0, s, 0) => t!(lang, "sync.done_skipped", n = s),
                    (0, _, n) => t!(lang, "sync.done_conflicts", n = n),
                    (r, _, _) => t!(lang, "sync.done_refused", n = r),
                };
                if needed == 0 {
                    cx.info(text);
                } else {
                    cx.error(text);
                }
                // The folder is kept now: the single keys (`s` again, the
                // choices of a conflict) are what comes next.
                self.focus = Focus::List;
                self.last = Some(Last::Done {
                    outcome,
                    folder: run.folder,
                    at: cx.now,
                });
            }
            // Nothing kept or given, or the one used does not fit: ask,
            // unless this computer supplies it (then asking would not
            // change what the next sync uses).
            Err(NetworkError::Sync(
                e @ (SyncError::NeedPassphrase | SyncError::WrongPassphrase),
            )) if run.typed || env_passphrase().is_none() => {
                let error = matches!(e, SyncError::WrongPassphrase).then(|| e.localized(lang));
                self.dialog = Some(Dialog::Passphrase {
                    input: Secret::default(),
                    error,
                });
                cx.info(t!(lang, "sync.ask_secret"));
            }
            Err(NetworkError::Sync(SyncError::NoNetwork(_))) => self.no_network(cx, run.folder),
            Err(e) => {
                let no_folder = matches!(e, NetworkError::Sync(SyncError::NoFolder(_)));
                let message = e.localized(lang);
                cx.error(t!(lang, "sync.failed", why = message));
                if no_folder {
                    self.folder.error = Some(message.clone());
                    self.focus = Focus::Folder;
                }
                self.last = Some(Last::Failed {
                    message,
                    folder: run.folder,
                    at: cx.now,
                });
            }
        }
    }
}
