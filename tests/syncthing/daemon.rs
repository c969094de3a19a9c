//! A real Syncthing daemon for the tests: its own home, on 127.0.0.1 only
//! (ports chosen free at run time; global and local discovery, relays, NAT,
//! usage and crash reporting off), driven through its REST API, stopped by
//! its process id when dropped — always, also when a test fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The folder id every daemon shares.
pub const FOLDER: &str = "waystation";

/// Whether Debian's `syncthing` is installed.
pub fn available() -> bool {
    Command::new("syncthing")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub struct Daemon {
    pub name: String,
    pub id: String,
    pub listen: u16,
    gui: u16,
    key: String,
    child: Child,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // By its process id, whatever state it is in.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to a daemon's REST API; the status and the body.
fn http(port: u16, key: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return (0, String::new());
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if s.write_all(req.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(rest)
    } else {
        rest.to_owned()
    };
    (status, body)
}

fn unchunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Daemon {
    /// Generates a home in `dir` and starts the daemon on it.
    pub fn start(name: &str, dir: &Path) -> Daemon {
        let home = dir.join(format!("syncthing-{name}"));
        let out = Command::new("syncthing")
            .arg("generate")
            .arg(format!("--home={}", home.display()))
            .env("STNODEFAULTFOLDER", "1")
            .output()
            .expect("syncthing generate");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let id = text
            .lines()
            .find_map(|l| l.split("Device ID: ").nth(1))
            .map(|s| s.trim().to_owned())
            .unwrap_or_else(|| panic!("no device id in: {text}"));
        let (listen, gui) = (free_port(), free_port());
        let cfg_path = home.join("config.xml");
        let cfg = std::fs::read_to_string(&cfg_path).expect("config.xml");
        let key = cfg
            .split("<apikey>")
            .nth(1)
            .and_then(|s| s.split("</apikey>").next())
            .expect("an API key")
            .to_owned();
        let set = |cfg: String, tag: &str, value: &str| -> String {
            let open = format!("<{tag}>");
            let close = format!("</{tag}>");
            let mut out = String::new();
            let mut rest = cfg.as_str();
            while let Some(a) = rest.find(&open) {
                let Some(b) = rest[a..].find(&close) else {
                    break;
                };
                out.push_str(&rest[..a]);
                out.push_str(&format!("{open}{value}{close}"));
                rest = &rest[a + b + close.len()..];
            }
            out.push_str(rest);
            out
        };
        let mut cfg = set(cfg, "listenAddress", &format!("tcp://127.0.0.1:{listen}"));
        for tag in [
            "globalAnnounceEnabled",
            "localAnnounceEnabled",
            "relaysEnabled",
            "natEnabled",
            "crashReportingEnabled",
            "startBrowser",
        ] {
            cfg = set(cfg, tag, "false");
        }
        cfg = set(cfg, "urAccepted", "-1");
        cfg = set(cfg, "autoUpgradeIntervalH", "0");
        // The GUI (and REST) address: the <address> inside <gui>.
        let (a, b) = cfg.split_once("<gui ").expect("a gui section");
        let b = b.replacen(
            &b.split("<address>")
                .nth(1)
                .and_then(|s| s.split("</address>").next())
                .map(|s| format!("<address>{s}</address>"))
                .expect("a gui address"),
            &format!("<address>127.0.0.1:{gui}</address>"),
            1,
        );
        let cfg = format!("{a}<gui {b}");
        std::fs::write(&cfg_path, cfg).expect("write config.xml");
        let log = std::fs::File::create(dir.join(format!("syncthing-{name}.log"))).expect("log");
        let child = Command::new("syncthing")
            .arg("serve")
            .arg(format!("--home={}", home.display()))
            .args(["--no-browser", "--no-restart", "--no-upgrade"])
            .env("STNODEFAULTFOLDER", "1")
            .env("STNOUPGRADE", "1")
            .stdout(Stdio::from(log.try_clone().expect("log")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start syncthing");
        let d = Daemon {
            name: name.to_owned(),
            id,
            listen,
            gui,
            key,
            child,
        };
        let start = Instant::now();
        while d.get("/rest/system/ping").0 != 200 {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "syncthing {name} did not answer"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        d
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        http(self.gui, &self.key, "GET", path, "")
    }

    pub fn send(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let r = http(self.gui, &self.key, method, path, body);
        assert!((200..300).contains(&r.0), "{method} {path}: {r:?}");
        r
    }

    /// Knows `other` by its static address.
    pub fn add_device(&self, other: &Daemon) {
        let body = format!(
            r#"{{"deviceID":"{}","name":"{}","addresses":["tcp://127.0.0.1:{}"]}}"#,
            other.id, other.name, other.listen
        );
        self.send("POST", "/rest/config/devices", &body);
    }

    /// Shares `path` as the folder with `others`.
    pub fn share(&self, path: &Path, others: &[&Daemon]) {
        let devices: Vec<String> = std::iter::once(self.id.as_str())
            .chain(others.iter().map(|d| d.id.as_str()))
            .map(|id| format!(r#"{{"deviceID":"{id}"}}"#))
            .collect();
        let body = format!(
            r#"{{"id":"{FOLDER}","label":"{FOLDER}","path":"{}","type":"sendreceive",
                "devices":[{}],"rescanIntervalS":60,"fsWatcherEnabled":true,
                "fsWatcherDelayS":1}}"#,
            path.display(),
            devices.join(",")
        );
        self.send("POST", "/rest/config/folders", &body);
    }

    /// Asks for a scan of the folder now (the stations just wrote).
    pub fn scan(&self) {
        let _ = http(
            self.gui,
            &self.key,
            "POST",
            &format!("/rest/db/scan?folder={FOLDER}"),
            "",
        );
    }

    /// Pauses or resumes the whole daemon's syncing.
    pub fn pause(&self, paused: bool) {
        let what = if paused { "pause" } else { "resume" };
        self.send("POST", &format!("/rest/system/{what}"), "");
    }

    /// Whether the folder is idle with nothing to pull, and each of
    /// `others` has everything of it as this daemon sees.
    pub fn settled(&self, others: &[&Daemon]) -> bool {
        // Connected to every other first: an unconnected daemon has
        // nothing to pull and looks done.
        let (code, conns) = self.get("/rest/system/connections");
        if code != 200 || !others.iter().all(|o| connected(&conns, &o.id)) {
            return false;
        }
        let (code, status) = self.get(&format!("/rest/db/status?folder={FOLDER}"));
        if code != 200
            || !status.contains(r#""state": "idle""#) && !status.contains(r#""state":"idle""#)
        {
            return false;
        }
        let need = number(&status, "needTotalItems");
        if need != Some(0) {
            return false;
        }
        others.iter().all(|o| {
            let (code, c) = self.get(&format!(
                "/rest/db/completion?folder={FOLDER}&device={}",
                o.id
            ));
            code == 200 && number(&c, "completion") == Some(100)
        })
    }
}

/// Whether the connections JSON says `id` is connected.
fn connected(json: &str, id: &str) -> bool {
    let Some(at) = json.find(&format!("\"{id}\"")) else {
        return false;
    };
    let rest = &json[at..];
    let end = rest.find('}').unwrap_or(rest.len());
    let entry = &rest[..end];
    entry.contains("\"connected\": true") || entry.contains("\"connected\":true")
}

/// A whole-number field of a JSON text (enough for the few the tests read).
fn number(json: &str, field: &str) -> Option<i64> {
    let at = json.find(&format!("\"{field}\""))?;
    let rest = &json[at + field.len() + 2..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.'))
        .unwrap_or(rest.len());
    rest[..end].parse::<f64>().ok().map(|f| f as i64)
}

/// Waits until every daemon has settled with every other, twice in a row
/// a little apart (a scan may still be under way); the seconds it took.
pub fn wait_settled(all: &[&Daemon]) -> f64 {
    let start = Instant::now();
    for d in all {
        d.scan();
    }
    let mut calm = 0;
    while calm < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "the daemons did not settle"
        );
        std::thread::sleep(Duration::from_millis(500));
        let ok = all.iter().all(|d| {
            let others: Vec<&Daemon> = all.iter().copied().filter(|o| o.id != d.id).collect();
            d.settled(&others)
        });
        calm = if ok { calm + 1 } else { 0 };
    }
    start.elapsed().as_secs_f64()
}
