//! The keymap: data binding keys to actions in named scopes. The footer help
//! bar and the `?` overlay are generated from it, so they cannot lie.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, PaneCmd, PaneId};
use crate::i18n::Lang;

/// A key with its modifiers, as written in the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// The key of a terminal event, normalised: Shift is part of a
    /// character (`?`, `A`) and of Shift-Tab, not a separate modifier.
    pub fn of(ev: &KeyEvent) -> Key {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code, mods }
    }

    /// How the key is written in the help bar.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }
}

/// One binding: in `scope`, any of `keys` does `action`; `help` is the
/// catalogue key of its description; `bar` puts it in the footer.
#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: &'static str,
    pub keys: Vec<Key>,
    pub action: Action,
    pub help: &'static str,
    pub bar: bool,
}

/// Builds a binding.
pub fn bind(
    scope: &'static str,
    keys: &[Key],
    action: Action,
    help: &'static str,
    bar: bool,
) -> Binding {
    Binding {
        scope,
        keys: keys.to_vec(),
        action,
        help,
        bar,
    }
}

/// Builds the binding of a pane's command; its words are the command's
/// (`PaneCmd::key`).
pub fn bind_cmd(scope: &'static str, keys: &[Key], cmd: impl Into<PaneCmd>, bar: bool) -> Binding {
    let cmd = cmd.into();
    bind(scope, keys, Action::Pane(cmd), cmd.key(), bar)
}

/// Scopes that are active everywhere, and when no text field has focus.
pub const FRAME: &str = "frame";
pub const BROWSE: &str = "browse";
/// Moving in lists and forms.
pub const LIST: &str = "list";
pub const FORM: &str = "form";
pub const LOOKUP: &str = "lookup";
pub const HELP: &str = "help";
pub const QUESTION: &str = "question";

/// The keymap: all bindings, searched in scope order.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Keymap {
    /// The default bindings of the frame, the shared scopes and every pane.
    pub fn default_map() -> Keymap {
        use KeyCode::*;
        let p = Key::plain;
        let mut b = vec![
            bind(
                FRAME,
                &[p(F(1))],
                Action::Show(PaneId::Checkin),
                "key.checkin",
                false,
            ),
            bind(
                FRAME,
                &[p(F(2))],
                Action::Show(PaneId::Cases),
                "key.cases",
                false,
            ),
            bind(
                FRAME,
                &[p(F(3))],
                Action::Show(PaneId::Schedule),
                "key.schedule",
                false,
            ),
            bind(
                FRAME,
                &[p(F(4))],
                Action::Show(PaneId::Figures),
                "figures.key",
                false,
            ),
            bind(
                FRAME,
                &[p(F(5))],
                Action::Show(PaneId::Sync),
                "sync.key",
                false,
            ),
            bind(
                FRAME,
                &[p(F(6))],
                Action::Show(PaneId::Admin),
                "admin.key",
                false,
            ),
            bind(
                FRAME,
                &[Key::ctrl('f')],
                Action::OpenLookup,
                "key.lookup",
                false,
            ),
            bind(FRAME, &[Key::ctrl('q')], Action::Quit, "key.quit", true),
            bind(FRAME, &[Key::ctrl('l')], Action::Lock, "signin.lock", true),
            bind(
                BROWSE,
                &[Key::ch('/')],
                Action::OpenLookup,
                "key.lookup",
                true,
            ),
            bind(BROWSE, &[Key::ch('?')], Action::OpenHelp, "key.help", true),
            bind(LIST, &[p(Up)], Action::Up, "key.up", false),
            bind(LIST, &[p(Down)], Action::Down, "key.down", false),
            bind(LIST, &[p(PageUp)], Action::PageUp, "key.page_up", false),
            bind(
                LIST,
                &[p(PageDown)],
                Action::PageDown,
                "key.page_down",
                false,
            ),
            bind(LIST, &[p(Home)], Action::Home, "key.home", false),
            bind(LIST, &[p(End)], Action::End, "key.end", false),
            bind(LIST, &[p(Enter)], Action::Confirm, "key.open", false),
            bind(LIST, &[p(Esc)], Action::Back, "key.back", false),
            bind(
                FORM,
                &[p(Tab), p(Down)],
                Action::NextField,
                "key.next_field",
                true,
            ),
            bind(
                FORM,
                &[p(BackTab), p(Up)],
                Action::PrevField,
                "key.prev_field",
                false,
            ),
            bind(FORM, &[p(Enter)], Action::Confirm, "key.confirm", true),
            bind(FORM, &[Key::ctrl('s')], Action::Save, "key.save", false),
            bind(FORM, &[p(Esc)], Action::Back, "key.cancel", true),
            bind(FORM, &[p(Left)], Action::Left, "key.choice_prev", false),
            bind(FORM, &[p(Right)], Action::Right, "key.choice_next", false),
            bind(LOOKUP, &[p(Up)], Action::Up, "key.up", false),
            bind(LOOKUP, &[p(Down)], Action::Down, "key.down", false),
            bind(LOOKUP, &[p(Enter)], Action::Confirm, "key.jump", true),
            bind(LOOKUP, &[p(Esc)], Action::Back, "key.close", true),
            bind(
                HELP,
                &[p(Esc), Key::ch('?'), Key::ch('q')],
                Action::Back,
                "key.close",
                true,
            ),
            bind(HELP, &[p(Up)], Action::Up, "key.up", false),
            bind(HELP, &[p(Down)], Action::Down, "key.down", false),
            bind(HELP, &[p(PageUp)], Action::PageUp, "key.page_up", false),
            bind(
                HELP,
                &[p(PageDown)],
                Action::PageDown,
                "key.page_down",
                false,
            ),
            bind(
                QUESTION,
                &[Key::ch('y'), p(Enter)],
                Action::Yes,
                "key.yes",
                true,
            ),
            bind(
                QUESTION,
                &[Key::ch('n'), p(Esc)],
                Action::No,
                "key.no",
                true,
            ),
        ];
        b.extend(super::panes::checkin::bindings());
        b.extend(super::panes::cases::bindings());
        b.extend(super::panes::schedule::bindings());
        b.extend(super::panes::figures::bindings());
        b.extend(super::panes::sync::bindings());
        b.extend(super::panes::admin::bindings());
        b.extend(super::gate::bindings());
        Keymap { bindings: b }
    }

    /// The action of `key` in the first of `scopes` that binds it.
    pub fn resolve(&self, scopes: &[&str], key: Key) -> Option<Action> {
        scopes.iter().find_map(|s| {
            self.bindings
                .iter()
                .find(|b| b.scope == *s && b.keys.contains(&key))
                .map(|b| b.action.clone())
        })
    }

    /// The bindings of one scope, in keymap order.
    pub fn of_scope<'a>(&'a self, scope: &'a str) -> impl Iterator<Item = &'a Binding> + 'a {
        self.bindings.iter().filter(move |b| b.scope == scope)
    }
}

/// The whole keymap as Markdown tables, one per scope, in both languages:
/// `docs/keys.md` is this text (a test keeps it current).
pub fn markdown(map: &Keymap) -> String {
    use crate::i18n::catalogue::text;
    let mut out = String::from(
        "# waystation — keys\n\n\
         Generated from the console's keymap (`src/tui/keymap.rs` and each\n\
         pane's `bindings()`), the same data as the help bar and the `?`\n\
         overlay. Regenerate: `WAYSTATION_UPDATE_DOCS=1 cargo test --test console docs`.\n",
    );
    let mut scopes: Vec<&'static str> = Vec::new();
    for b in &map.bindings {
        if !scopes.contains(&b.scope) {
            scopes.push(b.scope);
        }
    }
    for scope in scopes {
        let title = format!("scope.{scope}");
        out.push_str(&format!(
            "\n## {} / {}\n\n| keys | 说明 | what it does |\n|---|---|---|\n",
            text(Lang::En, &title),
            text(Lang::ZhCn, &title)
        ));
        for b in map.of_scope(scope) {
            let keys: Vec<String> = b
                .keys
                .iter()
                .map(|k| format!("`{}`", k.label().replace('|', "\\|")))
                .collect();
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                keys.join(" "),
                text(Lang::ZhCn, b.help),
                text(Lang::En, b.help)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, mods, KeyEventKind::Press)
    }

    #[test]
    fn shift_is_part_of_a_character() {
        assert_eq!(
            Key::of(&ev(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Key::ch('?')
        );
        assert_eq!(
            Key::of(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Key::plain(KeyCode::BackTab)
        );
        assert_eq!(
            Key::of(&ev(KeyCode::Char('Q'), KeyModifiers::CONTROL)),
            Key::ctrl('q')
        );
    }

    #[test]
    fn first_scope_wins() {
        let k = Keymap::default_map();
        assert_eq!(k.resolve(&[HELP, BROWSE], Key::ch('?')), Some(Action::Back));
        assert_eq!(k.resolve(&[BROWSE], Key::ch('?')), Some(Action::OpenHelp));
        assert_eq!(k.resolve(&[FORM], Key::ch('?')), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_scope() {
        let k = Keymap::default_map();
        let mut seen = std::collections::HashSet::new();
        for b in &k.bindings {
            for key in &b.keys {
                assert!(
                    seen.insert((b.scope, *key)),
                    "{} bound twice in {}",
                    key.label(),
                    b.scope
                );
            }
        }
    }

    #[test]
    fn every_binding_and_scope_has_words_in_both_languages() {
        let (cat, _) = crate::i18n::catalogue::catalogue();
        let k = Keymap::default_map();
        for b in &k.bindings {
            assert!(
                cat.contains_key(b.help),
                "no catalogue entry for {}",
                b.help
            );
            let scope = format!("scope.{}", b.scope);
            assert!(cat.contains_key(&scope), "no catalogue entry for {scope}");
        }
    }

    /// A command nobody can press is a dead key: every command of every
    /// pane is bound in a scope of its own pane, its words exist, and each
    /// binding of a command shows the command's own words.
    #[test]
    fn every_command_is_bound_and_has_words() {
        let (cat, _) = crate::i18n::catalogue::catalogue();
        let k = Keymap::default_map();
        let all = PaneCmd::all();
        for pane in PaneId::ALL {
            assert!(
                all.iter().any(|c| c.pane() == pane),
                "no commands of {pane:?} in PaneCmd::all()"
            );
        }
        for cmd in &all {
            assert!(
                k.bindings.iter().any(|b| b.action == Action::Pane(*cmd)),
                "{cmd:?} is bound to no key"
            );
            assert!(
                cat.contains_key(cmd.key()),
                "no catalogue entry for {} ({cmd:?})",
                cmd.key()
            );
        }
        for b in &k.bindings {
            if let Action::Pane(cmd) = &b.action {
                assert!(all.contains(cmd), "{cmd:?} missing from PaneCmd::all()");
                let pane = match cmd.pane() {
                    PaneId::Checkin => "checkin.",
                    PaneId::Cases => "cases.",
                    PaneId::Schedule => "schedule.",
                    PaneId::Figures => "figures.",
                    PaneId::Sync => "sync.",
                    PaneId::Admin => "admin.",
                };
                assert!(
                    b.scope.starts_with(pane),
                    "{cmd:?} bound in {}, not a scope of its pane",
                    b.scope
                );
                assert_eq!(b.help, cmd.key(), "words of {cmd:?} in {}", b.scope);
            }
        }
    }
}
