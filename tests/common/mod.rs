//! Helpers shared by the integration tests: each test binary under
//! `tests/` includes this module with
//! `#[path = "../common/mod.rs"] mod common;`.
//!
//! - [`cli`]: the real binary run to its end, as staff or a script run it;
//! - [`console`]: the console driven without a terminal, its screen as text;
//! - [`pty`]: the real binary in a pseudo-terminal;
//! - here: stations, people and cases made through the store.
#![allow(dead_code)]

pub mod cli;
pub mod console;
pub mod pty;

use chrono::{DateTime, TimeZone, Utc};
use waystation::domain::case::CaseType;
use waystation::domain::ids::PersonId;
use waystation::domain::money::Fen;
use waystation::domain::person::{PersonDetails, PersonInput, Trade};
use waystation::store::NewCase;
use waystation::store::Store;

/// A fresh database file with a station set up.
pub fn station_db(dir: &tempfile::TempDir, code: &str) -> (std::path::PathBuf, Store) {
    let path = dir.path().join(format!("{code}.db"));
    let mut store = Store::open(&path).unwrap();
    store
        .init_station(code, "测试驿站", "Asia/Shanghai")
        .unwrap();
    (path, store)
}

/// Creates the sync network in `folder` with `store` as its first member:
/// the district office's deliberate act (a sync never creates one).
pub fn create_network(store: &mut Store, folder: &std::path::Path, pass: &str) {
    waystation::sync::network::create(store, folder, pass).unwrap();
}

/// A name numbered for a test: `工人` and 17 give `工人一七` (a person's
/// name holds no digits).
pub fn numbered(stem: &str, n: impl std::fmt::Display) -> String {
    const HAN: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digits: String = n
        .to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |d| HAN[d as usize]))
        .collect();
    format!("{stem}{digits}")
}

pub fn details(name: &str, mobile: &str, trade: Trade) -> PersonDetails {
    PersonInput {
        name: name.into(),
        mobile: mobile.into(),
        trade: Some(trade),
        ..PersonInput::default()
    }
    .validate()
    .unwrap()
}

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

pub fn add_person(store: &mut Store, name: &str, mobile: &str) -> PersonId {
    let mut w = store.begin(None).unwrap();
    let id = w
        .add_person(&details(name, mobile, Trade::FoodDelivery))
        .unwrap();
    w.commit().unwrap();
    id
}

/// (entity code, kind, payload) of every operation, in log order.
pub fn ops(path: &std::path::Path) -> Vec<(i64, i64, serde_json::Value)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT entity, kind, payload FROM ops ORDER BY hlc")
        .unwrap();
    stmt.query_map([], |r| {
        let p: String = r.get(2)?;
        Ok((r.get(0)?, r.get(1)?, serde_json::from_str(&p).unwrap()))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// A case of type "other" for these claimants, with nothing else set.
pub fn new_case(claimants: Vec<PersonId>, opened_at: DateTime<Utc>) -> NewCase {
    NewCase {
        case_type: CaseType::Other,
        hardship_kind: None,
        claimants: claimants.into_iter().map(Into::into).collect(),
        respondent: None,
        summary: None,
        claimed: Fen(0),
        handler: None,
        follow_up: None,
        opened_at,
    }
}

/// The conflicts as staff read them — the record, the field, both values
/// and when each was made — not which origin carries a copy of an edit
/// (after a split, copies of one edit sit under several origins). Sorted.
pub fn conflicts_as_read(s: &Store) -> Vec<String> {
    let mut v: Vec<String> = s
        .record_conflicts()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{:?}",
                (
                    c.entity,
                    c.id,
                    c.kind,
                    &c.field,
                    &c.winner_value,
                    c.winner.hlc,
                    &c.loser_value,
                    c.loser.hlc
                )
            )
        })
        .collect();
    v.sort();
    v
}

/// A window of `rs[from]`'s log — `skip` operations in, `take` of them,
/// maybe reversed, maybe twice over — applied at `rs[to]`: one delivery of
/// the property tests of sync.
pub fn deliver(
    rs: &mut [Store],
    from: usize,
    to: usize,
    window: (usize, usize),
    reverse: bool,
    twice: bool,
) {
    if from == to {
        return;
    }
    let mut ops: Vec<waystation::store::LoggedOp> = rs[from]
        .all_ops()
        .unwrap()
        .into_iter()
        .skip(window.0)
        .take(window.1)
        .collect();
    if reverse {
        ops.reverse();
    }
    if twice {
        ops.extend(ops.clone());
    }
    rs[to].apply_remote(&ops).unwrap();
}

/// Everyone gets everything, in two rounds so that relayed operations
/// arrive too.
pub fn exchange_all(rs: &mut [Store]) {
    for _ in 0..2 {
        for from in 0..rs.len() {
            let ops = rs[from].all_ops().unwrap();
            for (to, r) in rs.iter_mut().enumerate() {
                if to != from {
                    r.apply_remote(&ops).unwrap();
                }
            }
        }
    }
}

/// Decodes the QR code of an image given module by module (`dark(x, y)`
/// over `width` × `height` modules), drawn as a screen or a printer would
/// draw it: `scale` pixels a module, on a dark surround (a terminal's
/// background) `border` modules wide. An independent decoder (rqrr).
pub fn decode_qr(
    width: usize,
    height: usize,
    border: usize,
    dark: impl Fn(usize, usize) -> bool,
) -> Result<String, String> {
    let scale = 4;
    let (w, h) = ((width + 2 * border) * scale, (height + 2 * border) * scale);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        if mx < border || my < border || mx >= width + border || my >= height + border {
            return 0; // the terminal around the slip
        }
        if dark(mx - border, my - border) {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    let grid = grids.first().ok_or("no QR code found")?;
    grid.decode().map(|(_, s)| s).map_err(|e| e.to_string())
}

/// Decodes the QR code of a slip's HTML page: its SVG's squares, one per
/// dark module, read back into modules (see [`decode_qr`]).
pub fn qr_in_html(html: &str) -> Result<String, String> {
    let view = html.split("viewBox=\"0 0 ").nth(1).ok_or("no SVG")?;
    let width: usize = view
        .split(' ')
        .next()
        .and_then(|w| w.parse().ok())
        .ok_or("no width")?;
    let mut grid = vec![vec![false; width]; width];
    let attr = |part: &str, name: &str| -> Option<usize> {
        part.split(&format!("{name}=\""))
            .nth(1)?
            .split('"')
            .next()?
            .parse()
            .ok()
    };
    for part in html.split("<rect ").skip(1) {
        if let (Some(x), Some(y)) = (attr(part, "x"), attr(part, "y")) {
            grid[y][x] = true;
        }
    }
    decode_qr(width, width, 3, |x, y| grid[y][x])
}

/// An admin of this station, signed in (without a PIN: hashing one is
/// slow and beside the point here).
pub fn sign_in_admin(s: &mut Store, name: &str) {
    let mut w = s.begin(None).unwrap();
    let staff = w
        .add_staff(name, waystation::domain::staff::Role::Admin)
        .unwrap();
    w.commit().unwrap();
    s.set_session(Some(waystation::domain::access::Session {
        staff,
        name: name.into(),
        role: waystation::domain::staff::Role::Admin,
    }));
}
