//! A running `lectern serve` and a plain HTTP/1.1 client for it (std::net only), with every wait
//! bounded so that no test can hang.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long any single wait may take (a debug build on a busy 2-core machine).
pub const WAIT: Duration = Duration::from_secs(30);

/// `lectern serve --port 0` on a project; killed when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Where it builds the pages.
    pub out: PathBuf,
    /// Lines it prints on stdout after the address.
    pub stdout: Receiver<String>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// With more flags, e.g. `--poll`.
    pub fn start_with(root: &Path, flags: &[&str]) -> Server {
        Server::start_with_env(root, flags, &[])
    }

    /// With more flags and environment variables.
    pub fn start_with_env(root: &Path, flags: &[&str], env: &[(&str, &OsStr)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lectern"))
            .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
            .args(flags)
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start lectern serve");
        let (tx, stdout) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            addr: String::new(),
            out: PathBuf::new(),
            stdout,
        };
        let line = server.line_containing("serving http://");
        let url = line.split_whitespace().nth(1).unwrap();
        server.addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let line = server.line_containing("pages are built in ");
        let out = line.trim_start_matches("pages are built in ");
        server.out = PathBuf::from(out.trim_end_matches(", removed on exit"));
        server
    }

    /// Waits for a line of stdout that contains `needle`.
    pub fn line_containing(&self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(e) => panic!("no line with `{needle}` on stdout: {e}"),
            }
        }
    }

    pub fn get(&self, path: &str) -> Response {
        get(&self.addr, path)
    }

    /// Opens the live-reload stream.
    pub fn events(&self, prefix: &str) -> Events {
        Events::connect(&self.addr, &format!("{prefix}__lectern/events"))
    }

    /// Sends SIGINT (Ctrl-C) and waits for the exit code.
    pub fn interrupt(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("lectern serve did not stop within {WAIT:?} of Ctrl-C");
    }
}

impl Drop for Server {
    /// Stops it as a user would (so that it removes its output folder), or kills it.
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` with the path sent exactly as given (no normalisation, no encoding).
pub fn get(addr: &str, path: &str) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body.as_bytes())
    } else {
        body.to_string()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> String {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    String::from_utf8(out).unwrap()
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: serde_json::Value,
}

/// An open live-reload stream, read on its own thread.
pub struct Events {
    rx: Receiver<Event>,
}

impl Events {
    fn connect(addr: &str, path: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(s);
            let mut line = String::new();
            // The head: status line and headers.
            loop {
                line.clear();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            // The body is chunked: decode it, then split it into events at blank lines.
            let mut text = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let Ok(size) = usize::from_str_radix(line.trim(), 16) else {
                    return;
                };
                if size == 0 {
                    return;
                }
                let mut chunk = vec![0; size + 2];
                if r.read_exact(&mut chunk).is_err() {
                    return;
                }
                text.push_str(&String::from_utf8_lossy(&chunk[..size]));
                while let Some(end) = text.find("\n\n") {
                    let block: String = text.drain(..end + 2).collect();
                    let mut name = String::from("message");
                    let mut data = String::new();
                    for l in block.lines() {
                        if let Some(v) = l.strip_prefix("event:") {
                            name = v.trim().to_string();
                        } else if let Some(v) = l.strip_prefix("data:") {
                            data.push_str(v.strip_prefix(' ').unwrap_or(v));
                        }
                    }
                    if data.is_empty() {
                        continue; // a keep-alive comment
                    }
                    let data = serde_json::from_str(&data).expect("event data is JSON");
                    if tx.send(Event { name, data }).is_err() {
                        return;
                    }
                }
            }
        });
        Events { rx }
    }

    /// The next event named `name`, skipping others.
    pub fn next(&self, name: &str) -> Event {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) if e.name == name => return e,
                Ok(_) => {}
                Err(e) => panic!("no `{name}` event within {WAIT:?}: {e}"),
            }
        }
    }
}
