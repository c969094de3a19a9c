//! The slip a worker takes away: what it says, that it names nobody, and
//! that its QR code, read back by an independent decoder from the console's
//! half-blocks and from the HTML page, gives exactly what was encoded.

use crate::common;

use common::*;
use waystation::domain::case::CaseType;
use waystation::domain::staff::Role;
use waystation::i18n::Lang;
use waystation::report::slip::Slip;

/// A case of 王小二 (phone 13912345678) handled by 欧阳娜娜.
fn case() -> (
    tempfile::TempDir,
    waystation::store::Store,
    waystation::domain::ids::CaseId,
) {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = station_db(&dir, "FT");
    let p = add_person(&mut s, "王小二", "13912345678");
    let mut w = s.begin(None).unwrap();
    let handler = w.add_staff("欧阳娜娜", Role::Staff).unwrap();
    let mut c = new_case(vec![p], chrono::Utc::now());
    c.case_type = CaseType::WageArrears;
    c.handler = Some(handler);
    c.follow_up = Some(chrono::NaiveDate::from_ymd_opt(2099, 1, 15).unwrap());
    let (id, _) = w.open_case(&c).unwrap();
    w.commit().unwrap();
    (dir, s, id)
}

/// The modules drawn by the half-blocks: each cell two modules high.
fn from_cells(rows: &[String]) -> (usize, usize, Vec<Vec<bool>>) {
    let mut grid: Vec<Vec<bool>> = Vec::new();
    for row in rows {
        let (top, bottom): (Vec<bool>, Vec<bool>) = row
            .chars()
            .map(|c| match c {
                '█' => (true, true),
                '▀' => (true, false),
                '▄' => (false, true),
                _ => (false, false),
            })
            .unzip();
        grid.push(top);
        grid.push(bottom);
    }
    (grid[0].len(), grid.len(), grid)
}

#[test]
fn the_code_on_screen_reads_back_as_the_case_number_and_how_to_follow_it() {
    let (_dir, s, id) = case();
    for lang in [Lang::ZhCn, Lang::En] {
        let slip = Slip::of(&s, id, lang).unwrap().unwrap();
        let cells = slip.half_blocks();
        // It fits 80×24 beside its text.
        assert!(cells.len() <= 18, "{} rows", cells.len());
        assert!(cells[0].chars().count() <= 40);
        let (w, h, grid) = from_cells(&cells);
        let read = decode_qr(w, h, 3, |x, y| grid[y][x]).unwrap();
        assert_eq!(read, slip.payload);
        assert!(read.starts_with(&slip.number), "{read}");
    }
}

#[test]
fn the_code_in_the_html_page_reads_back_the_same() {
    let (_dir, s, id) = case();
    let slip = Slip::of(&s, id, Lang::ZhCn).unwrap().unwrap();
    let html = slip.html(Lang::ZhCn);
    assert_eq!(qr_in_html(&html).unwrap(), slip.payload);
}

#[test]
fn the_slip_says_what_happens_next_and_names_nobody() {
    let (_dir, s, id) = case();
    let slip = Slip::of(&s, id, Lang::ZhCn).unwrap().unwrap();
    let text = slip.lines(Lang::ZhCn).join("\n");
    for want in [
        slip.number.as_str(),
        "测试驿站",
        "欧阳老师",
        "欠薪",
        "2099-01-15",
        "手机号后四位",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let html = slip.html(Lang::ZhCn);
    for secret in ["王小二", "13912345678", "5678", "娜娜"] {
        assert!(!text.contains(secret), "{secret}: {text}");
        assert!(!html.contains(secret), "{secret} in the page");
        assert!(!slip.payload.contains(secret), "{secret} in the code");
    }
    assert!(
        Slip::of(&s, waystation::domain::ids::CaseId::new(), Lang::En)
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_follow_up_already_past_is_not_promised_on_a_slip_printed_later() {
    fn in_2100() -> u64 {
        4_102_444_800_000 // 2100-01-01
    }
    let (_dir, mut s, id) = case();
    assert!(
        Slip::of(&s, id, Lang::ZhCn)
            .unwrap()
            .unwrap()
            .follow_up
            .is_some()
    );
    s.set_clock(in_2100);
    let slip = Slip::of(&s, id, Lang::ZhCn).unwrap().unwrap();
    assert_eq!(slip.follow_up, None);
    assert!(!slip.lines(Lang::ZhCn).join("\n").contains("2099-01-15"));
}
