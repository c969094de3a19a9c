//! Console benchmarks on the district database (1,000,000 visits) and the
//! station one (10,000 visits):
//!
//! - start to first frame (open the database, build the app, draw), at both
//!   sizes, and the first frame with its counts loaded;
//! - one keystroke in the global lookup to a redrawn screen, p50/p99;
//! - a full-frame render at 120×40 of each pane;
//! - resident memory of the real binary with the console open.
//!
//! Run: `cargo bench --bench console` (builds the databases into
//! `target/bench-data/` on first use). Figures go in docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use common::{database, percentile, small_database, timed};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use waystation::i18n::Lang;
use waystation::store::Store;
use waystation::tui::action::{Action, PaneId};
use waystation::tui::app::App;
use waystation::tui::view::draw;

/// The demo databases lead up to 2026-11-22; 16:00 in Shanghai.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap()
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new_with_kind(
        KeyCode::Char(c),
        KeyModifiers::NONE,
        KeyEventKind::Press,
    ))
}

fn backspace() -> Event {
    Event::Key(KeyEvent::new_with_kind(
        KeyCode::Backspace,
        KeyModifiers::NONE,
        KeyEventKind::Press,
    ))
}

/// Open, build, draw: what happens before the first frame is on screen.
fn first_frame(path: &Path) -> (App, Terminal<TestBackend>) {
    let store = Store::open(path).unwrap();
    let app = App::new(store, Lang::ZhCn, now);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| draw(f, &app)).unwrap();
    (app, term)
}

/// Signs the database's first admin in without the sign-in screen: what
/// follows measures the panes behind it.
fn sign_in(app: &mut App) {
    let admin = app
        .store
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == waystation::domain::staff::Role::Admin)
        .expect("the demo database has an admin");
    app.sign_in_as(waystation::domain::access::Session {
        staff: admin.id,
        name: admin.name,
        role: admin.role,
    });
}

fn print_row(what: &str, t: &[Duration]) {
    println!(
        "{what:<44} p50 {:>9.3} ms   p99 {:>9.3} ms   max {:>9.3} ms",
        percentile(t, 0.5).as_secs_f64() * 1e3,
        percentile(t, 0.99).as_secs_f64() * 1e3,
        t.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

fn startup(c: &mut Criterion) {
    let big = database();
    let small = small_database();
    println!("\nstart to first frame (open + app + draw 120×40), 30 runs each:");
    for (name, path) in [("10,000 visits", &small), ("1,000,000 visits", &big)] {
        let t = timed(30, 1, |_| {
            first_frame(path);
        });
        print_row(&format!("first frame, {name}"), &t);
        let t = timed(30, 1, |_| {
            let (mut app, mut term) = first_frame(path);
            sign_in(&mut app);
            app.load();
            term.draw(|f| draw(f, &app)).unwrap();
        });
        print_row(&format!("first + loaded frame, {name}"), &t);
    }
    let mut g = c.benchmark_group("console");
    g.sample_size(20);
    g.bench_function("first_frame_1m_visits", |b| b.iter(|| first_frame(&big)));
    g.finish();
}

/// Queries a station's staff type into the lookup: names, initials, phone
/// tails, case numbers.
const QUERIES: &[&str] = &[
    "王芳",
    "zs",
    "lxm",
    "138",
    "1234",
    "FT-2026-0042",
    "42",
    "李",
    "zhang",
    "顺丰",
];

fn keystrokes(c: &mut Criterion) {
    let path = database();
    let (mut app, mut term) = first_frame(&path);
    sign_in(&mut app);
    app.load();
    app.update(Action::OpenLookup);
    // Each timed step: one key press, the deferred search, the redraw.
    let mut step = |app: &mut App, ev: &Event| {
        app.handle_event(ev);
        app.refresh();
        term.draw(|f| draw(f, app)).unwrap();
    };
    // The first pass types each query into a cold page cache; the later
    // passes repeat them, as staff look the same people up again.
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for round in 0..5 {
        let times = if round == 0 { &mut cold } else { &mut warm };
        for q in QUERIES {
            for ch in q.chars() {
                let s = Instant::now();
                step(&mut app, &key(ch));
                times.push(s.elapsed());
            }
            for _ in q.chars() {
                let s = Instant::now();
                step(&mut app, &backspace());
                times.push(s.elapsed());
            }
        }
    }
    cold.sort();
    warm.sort();
    println!("\nlookup: one keystroke to a redrawn screen, 1,000,000 visits:");
    print_row(&format!("first pass ({} keys)", cold.len()), &cold);
    print_row(&format!("passes 2–5 ({} keys)", warm.len()), &warm);
    let mut g = c.benchmark_group("console");
    g.bench_function("lookup_keystroke_zs", |b| {
        b.iter(|| {
            step(&mut app, &key('z'));
            step(&mut app, &key('s'));
            step(&mut app, &backspace());
            step(&mut app, &backspace());
        })
    });
    g.finish();
}

fn render(c: &mut Criterion) {
    let path = database();
    let (mut app, mut term) = first_frame(&path);
    sign_in(&mut app);
    app.load();
    println!("\nfull-frame render at 120×40, 1,000,000 visits (loaded panes):");
    let mut g = c.benchmark_group("console");
    for pane in PaneId::ALL {
        app.show(pane);
        let t = timed(500, 1, |_| {
            term.draw(|f| draw(f, &app)).unwrap();
        });
        print_row(&format!("render {pane:?}"), &t);
        g.bench_function(format!("render_{pane:?}"), |b| {
            b.iter(|| {
                term.draw(|f| draw(f, &app)).unwrap();
            })
        });
    }
    g.finish();
}

/// The real binary in a 120×40 pseudo-terminal on `db`; what it writes is
/// collected in the returned buffer.
type Spawned = (
    Box<dyn portable_pty::Child + Send + Sync>,
    Box<dyn portable_pty::MasterPty + Send>,
    std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
);

fn spawn_console(db: &Path) -> Spawned {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pty = native_pty_system();
    let size = PtySize {
        rows: 40,
        cols: 120,
        pixel_width: 0,
        pixel_height: 0,
    };
    let pair = pty.openpty(size).unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_waystation"));
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).unwrap();
    let mut reader = pair.master.try_clone_reader().unwrap();
    let out = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = out.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    (child, pair.master, out)
}

/// Start of the real process to its first frame on the terminal (the
/// sign-in box is on screen), at both database sizes.
fn process_start(_c: &mut Criterion) {
    println!("\nprocess start to first frame on a pseudo-terminal, 10 runs each:");
    for (name, path) in [
        ("10,000 visits", small_database()),
        ("1,000,000 visits", database()),
    ] {
        let mut times = Vec::new();
        for _ in 0..10 {
            let start = Instant::now();
            let (mut child, _master, out) = spawn_console(&path);
            while !String::from_utf8_lossy(&out.lock().unwrap()).contains("┌") {
                assert!(start.elapsed() < Duration::from_secs(10), "no frame");
                std::thread::sleep(Duration::from_micros(200));
            }
            times.push(start.elapsed());
            let _ = child.kill();
            let _ = child.wait();
        }
        times.sort();
        print_row(&format!("process → first frame, {name}"), &times);
    }
}

/// Resident memory of the real binary with the console open on the district
/// database, after visiting each pane and a lookup.
fn memory(_c: &mut Criterion) {
    use std::io::Write;
    let path = database();
    let (mut child, master, _out) = spawn_console(&path);
    let mut w = master.take_writer().unwrap();
    let mut send = |b: &[u8]| {
        w.write_all(b).unwrap();
        w.flush().unwrap();
        std::thread::sleep(Duration::from_millis(400));
    };
    std::thread::sleep(Duration::from_secs(1));
    // Sign in as the admin: down the list to them, Enter, the demo PIN.
    let at = Store::open(&path)
        .unwrap()
        .sign_in_roster()
        .unwrap()
        .iter()
        .position(|s| s.role == waystation::domain::staff::Role::Admin)
        .expect("the demo database has an admin");
    for _ in 0..at {
        send(b"\x1b[B");
    }
    send(b"\r");
    send(b"1234\r");
    for keys in [
        &b"\x1bOQ"[..],
        b"\x1bOR",
        b"\x1bOP",
        b"\x06",
        b"z",
        b"s",
        b"\x1b",
    ] {
        send(keys);
    }
    std::thread::sleep(Duration::from_secs(1));
    let pid = child.process_id().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l.trim_start_matches(name).trim().to_owned())
            .unwrap_or_else(|| "?".into())
    };
    println!(
        "\nresident memory with the console open (1,000,000 visits): VmRSS {}, peak VmHWM {}",
        field("VmRSS:"),
        field("VmHWM:")
    );
    send(b"\x11");
    let _ = child.kill();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = startup, process_start, keystrokes, render, memory
}
criterion_main!(benches);
