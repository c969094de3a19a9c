//! The real binary in a pseudo-terminal, its screen read through a terminal
//! emulator (vt100), so no tmux is needed.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// How long to wait for the screen to show something.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub struct Console {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
    /// Everything the program wrote, for checking how it left the terminal.
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Console {
    /// Starts `waystation` with `args` in a `cols`×`rows` terminal.
    pub fn start(args: &[&str], data_home: &Path, cols: u16, rows: u16) -> Console {
        Console::start_with_env(args, data_home, cols, rows, &[])
    }

    /// As [`Console::start`], with more environment variables.
    pub fn start_with_env(
        args: &[&str],
        data_home: &Path,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Console {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(super::cli::BIN);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("LC_ALL", "");
        // Logs and the default database go to the test's own folder.
        cmd.env("XDG_DATA_HOME", data_home);
        cmd.env("HOME", data_home);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("start waystation");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Console {
            parser,
            writer,
            child,
            master: pair.master,
            raw,
        }
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Where the cursor is (row, column).
    pub fn cursor(&self) -> (u16, u16) {
        self.parser.lock().unwrap().screen().cursor_position()
    }

    /// Waits until the screen shows `text`; panics with the screen if not.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        loop {
            if self.screen().contains(text) {
                return;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "the screen never showed {text:?}; it shows:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            if start.elapsed() > PATIENCE {
                panic!("the screen still shows {text:?}:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Sends raw bytes, then lets the program read them on their own (an
    /// Esc followed at once by more bytes would read as Alt+key).
    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Types text.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut b = [0u8; 4];
            self.send(c.encode_utf8(&mut b).as_bytes());
        }
    }

    pub fn enter(&mut self) {
        self.send(b"\r");
    }
    pub fn tab(&mut self) {
        self.send(b"\t");
    }
    pub fn esc(&mut self) {
        self.send(b"\x1b");
        std::thread::sleep(Duration::from_millis(100));
    }
    pub fn down(&mut self) {
        self.send(b"\x1b[B");
    }
    pub fn up(&mut self) {
        self.send(b"\x1b[A");
    }
    pub fn right(&mut self) {
        self.send(b"\x1b[C");
    }
    pub fn left(&mut self) {
        self.send(b"\x1b[D");
    }
    /// F1…F5.
    pub fn f(&mut self, n: u8) {
        match n {
            1..=4 => {
                let code = [b'P', b'Q', b'R', b'S'][usize::from(n - 1)];
                self.send(&[0x1b, b'O', code]);
            }
            5 => self.send(b"\x1b[15~"),
            _ => panic!("no escape sequence for F{n} here"),
        }
    }
    /// Ctrl + a letter.
    pub fn ctrl(&mut self, c: char) {
        self.send(&[(c.to_ascii_lowercase() as u8) & 0x1f]);
    }

    /// Changes the terminal size.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser.lock().unwrap().screen_mut().set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Sends a signal to the program, as `kill -SIG` would.
    #[allow(dead_code)] // not every test binary sends one
    pub fn signal(&self, sig: i32) {
        let pid = self.child.process_id().expect("a running program") as libc::pid_t;
        // SAFETY: kill(2) with a pid of our own child and a valid signal.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0, "kill {sig}");
    }

    /// Whether the program is still running (it has not exited).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the program to end; its exit status.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            if start.elapsed() > PATIENCE {
                let _ = self.child.kill();
                panic!("waystation did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Whether the program restored the terminal, waiting for its last
    /// output to be read (it may still be on its way after the exit).
    #[allow(dead_code)] // not every test binary needs it
    pub fn restored_at_exit(&self) -> bool {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if self.restored() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Whether the program left the alternate screen and showed the cursor
    /// again (the terminal is restored).
    pub fn restored(&self) -> bool {
        let raw = self.raw.lock().unwrap();
        let s = String::from_utf8_lossy(&raw);
        let left_alt = s.rfind("\x1b[?1049l");
        let entered_alt = s.rfind("\x1b[?1049h");
        let shown = s.rfind("\x1b[?25h");
        matches!((left_alt, entered_alt), (Some(l), Some(e)) if l > e) && shown.is_some()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
