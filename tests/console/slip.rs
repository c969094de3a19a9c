//! The worker's slip in the console: shown when a case is opened (and with
//! `p` on a case), within 80×24, and its QR code, read back from the
//! screen's cells by an independent decoder, is exactly the case number and
//! how to follow it.

use crate::common;

use common::console::*;
use common::decode_qr;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use waystation::i18n::Lang;
use waystation::tui::app::App;

/// A new case for someone new, opened by keys; the slip shows.
fn open_case(app: &mut App) {
    press(app, KeyCode::F(2));
    type_text(app, "n");
    press(app, KeyCode::Tab);
    type_text(app, "测试甲乙 19900007777 100");
    press(app, KeyCode::Enter);
    send(app, ctrl('s'));
    assert!(!app.cases.form_open(), "{}", render(app, 120, 40));
}

/// The code's modules as the screen shows them: the cells drawn black on
/// white, each two modules high.
fn screen_modules(app: &App, w: u16, h: u16) -> Vec<Vec<bool>> {
    let mut out = Vec::new();
    for row in cells(app, w, h) {
        let code: Vec<(bool, bool)> = row
            .iter()
            .filter(|(_, fg, bg)| *bg == Color::White && *fg == Color::Black)
            .map(|(s, _, _)| match s.as_str() {
                "█" => (true, true),
                "▀" => (true, false),
                "▄" => (false, true),
                _ => (false, false),
            })
            .collect();
        if code.is_empty() {
            continue;
        }
        out.push(code.iter().map(|c| c.0).collect());
        out.push(code.iter().map(|c| c.1).collect());
    }
    out
}

#[test]
fn the_slip_of_a_new_case_fits_80x24_and_its_code_reads_back() {
    for lang in [Lang::ZhCn, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture_app(&dir, lang);
        open_case(&mut app);
        let slip = app.cases.slip().expect("the slip shows").clone();
        for (w, h) in [(80, 24), (120, 40)] {
            let grid = screen_modules(&app, w, h);
            let (gw, gh) = (grid[0].len(), grid.len());
            let read = decode_qr(gw, gh, 2, |x, y| grid[y][x]).unwrap();
            assert_eq!(read, slip.payload, "{w}x{h}");
            insta::assert_snapshot!(format!("slip_{lang:?}_{w}x{h}"), render(&app, w, h));
        }
        // Nothing on the screen names the worker while the slip shows (a
        // photo of it takes in the whole screen).
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = render(&app, w, h);
            assert!(screen.contains(&slip.number), "{screen}");
            assert!(!screen.contains("测试甲乙"), "{screen}");
            assert!(!screen.contains("19900007777"), "{screen}");
        }
        for secret in ["测试甲乙", "19900007777", "7777"] {
            assert!(!slip.payload.contains(secret));
            assert!(!slip.lines(lang).join(" ").contains(secret));
        }
        // Esc puts it away; p shows it again; any other key puts it away
        // and does what it does (s: the status dialog).
        press(&mut app, KeyCode::Esc);
        assert!(app.cases.slip().is_none());
        assert!(app.cases.shown_case().is_some(), "the detail stays");
        type_text(&mut app, "p");
        assert!(app.cases.slip().is_some());
        type_text(&mut app, "s");
        assert!(app.cases.slip().is_none());
        assert!(app.cases.dialog_open());
    }
}
