//! Every message of the catalogue shown on the status line at 80×24, in
//! both languages, placeholders filled with names and numbers of a usual
//! length: none is cut (the line takes the rows a message needs).

use crate::common::console::*;
use waystation::i18n::Lang;
use waystation::i18n::catalogue::catalogue;
use waystation::tui::panes::Status;

/// The template with each `{…}` filled by a value of a usual length.
fn filled(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str("欧阳娜娜");
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn no_catalogue_message_is_cut_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture_app(&dir, Lang::ZhCn);
    let mut cut = Vec::new();
    let mut keys: Vec<&String> = catalogue().0.keys().collect();
    keys.sort();
    for key in keys {
        let entry = &catalogue().0[key];
        for (lang, text) in [(Lang::ZhCn, &entry.zh), (Lang::En, &entry.en)] {
            let text = filled(text);
            app.status = Some(Status {
                text: text.clone(),
                error: true,
            });
            let screen = render(&app, 80, 24);
            if !unbroken(&screen).contains(&unbroken(&text)) {
                cut.push(format!("{key} ({lang:?}): {text}"));
            }
        }
    }
    assert!(cut.is_empty(), "cut at 80×24:\n{}", cut.join("\n"));
}
