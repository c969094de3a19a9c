//! Creating the district's sync network from the pane: an admin's act,
//! once, at the district office. `n` explains what it means and takes the
//! passphrase twice; the sync job creates the network, then syncs.

use super::{Dialog, Secret, SyncPane};
use crate::domain::access::Act;
use crate::i18n::Localized;
use crate::sync::network;
use crate::t;
use crate::tui::action::Action;
use crate::tui::panes::Ctx;

impl SyncPane {
    /// `n`: asks before creating the district's network in the folder,
    /// with the passphrase twice. Only an admin, only for a database in
    /// no network, only for a folder with nothing in it of a network;
    /// the store decides again when it is created.
    pub(super) fn ask_create(&mut self, cx: &mut Ctx) {
        let lang = cx.lang;
        if self.running() {
            return cx.error(t!(lang, "sync.busy"));
        }
        if !network::may_change(cx.store) {
            return cx.error(t!(
                lang,
                "sync.create_admin",
                needs = Act::Network.needs(lang)
            ));
        }
        if self.network.joined {
            return cx.error(t!(lang, "sync.create_member", key = super::RUN_KEY));
        }
        let Some((_, folder)) = self.typed_folder(cx) else {
            return;
        };
        if let Err(e) = network::can_create(cx.store, &folder) {
            return cx.error(e.localized(lang));
        }
        self.dialog = Some(Dialog::Create {
            pass: Secret::default(),
            again: Secret::default(),
            second: false,
            error: None,
        });
        cx.info(if self.network.given {
            t!(lang, "sync.create_asking_given")
        } else {
            t!(lang, "sync.create_asking")
        });
    }

    /// The create dialog: Tab between the two fields, Enter on the first
    /// goes to the second, on the second creates (and syncs) when both
    /// agree.
    pub(super) fn update_create(
        &mut self,
        cx: &mut Ctx,
        mut pass: Secret,
        mut again: Secret,
        mut second: bool,
        mut error: Option<String>,
        action: &Action,
    ) {
        let lang = cx.lang;
        match action {
            Action::Back => return cx.info(t!(lang, "sync.create_cancelled")),
            Action::NextField => second = !second,
            Action::Edit(req) if second => {
                again.0.handle(*req);
            }
            Action::Edit(req) => {
                pass.0.handle(*req);
            }
            // This computer supplies the passphrase: nothing to type.
            Action::Confirm if self.network.given => return self.start(cx, None, true),
            Action::Confirm => {
                let (p, a) = (pass.0.value().trim(), again.0.value().trim());
                if p.is_empty() {
                    error = Some(t!(lang, "sync.secret_empty").to_owned());
                    second = false;
                } else if !second {
                    second = true;
                    error = None;
                } else if a != p {
                    error = Some(t!(lang, "sync.create_differ").to_owned());
                    again = Secret::default();
                } else {
                    let typed = p.to_owned();
                    return self.start(cx, Some(typed), true);
                }
            }
            _ => {}
        }
        self.dialog = Some(Dialog::Create {
            pass,
            again,
            second,
            error,
        });
    }
}
