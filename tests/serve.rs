//! `senda serve` end to end: the binary on a free port against a copy of a small fixture site,
//! read over plain HTTP (a raw `TcpStream`, so odd request paths reach the server as written).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long anything may take before the test gives up. Not a performance bound: a shared,
/// busy machine can be slow; the tests poll and go on as soon as the condition holds.
const PATIENCE: Duration = Duration::from_secs(60);

/// A copy of the fixture site and `senda serve` running on it; killed when dropped.
struct Serve {
    child: Child,
    dir: tempfile::TempDir,
    addr: String,
    stderr: Arc<Mutex<String>>,
    stdout: Arc<Mutex<String>>,
}

impl Serve {
    fn start() -> Serve {
        Serve::start_with(|_| {})
    }

    /// Starts on a copy of the fixture that `prepare` may change first.
    fn start_with(prepare: impl FnOnce(&Path)) -> Serve {
        Serve::launch(prepare, |_| {})
    }

    /// Starts on a copy of the fixture that `prepare` may change first and `meanwhile` changes
    /// as soon as senda is started, while it builds.
    fn launch(prepare: impl FnOnce(&Path), meanwhile: impl FnOnce(&Path)) -> Serve {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve/site"),
            &dir.path().join("site"),
        );
        prepare(&dir.path().join("site"));
        std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET outside the site")
            .expect("write secret");
        let mut child = Command::new(env!("CARGO_BIN_EXE_senda"))
            .arg("-C")
            .arg(dir.path().join("site"))
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start senda serve");
        meanwhile(&dir.path().join("site"));
        let stderr = drain(child.stderr.take().expect("stderr"), None);
        let (tx, rx) = mpsc::channel();
        let stdout = drain(child.stdout.take().expect("stdout"), Some(tx));
        let mut serve = Serve {
            child,
            dir,
            addr: String::new(),
            stderr,
            stdout,
        };
        let deadline = Instant::now() + PATIENCE;
        while serve.addr.is_empty() {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("senda serve printed no URL");
            if let Some(rest) = line.strip_prefix("Serving http://") {
                serve.addr = rest.split('/').next().unwrap_or_default().to_string();
            }
        }
        serve
    }

    fn stdout(&self) -> String {
        self.stdout.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn get(&self, path: &str) -> Reply {
        get(&self.addr, path)
    }

    fn events(&self) -> Events {
        Events::open(&self.addr)
    }

    /// Polls `path` until `check` holds for its reply, which it returns.
    fn wait_for(&self, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let reply = self.get(path);
            if check(&reply) {
                return reply;
            }
            assert!(
                Instant::now() < deadline,
                "{path}: never {what}; last reply: {} {}",
                reply.status,
                reply.body
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- senda serve stdout:\n{}\n--- stderr:\n{}",
                self.stdout.lock().map(|s| s.clone()).unwrap_or_default(),
                self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
            );
        }
    }
}

/// Reads `from` line by line in a thread into a buffer (and to `tx` if given).
fn drain(from: impl Read + Send + 'static, tx: Option<mpsc::Sender<String>>) -> Arc<Mutex<String>> {
    let buffer = Arc::new(Mutex::new(String::new()));
    let shared = Arc::clone(&buffer);
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { return };
            if let Ok(mut b) = shared.lock() {
                b.push_str(&line);
                b.push('\n');
            }
            if let Some(tx) = &tx {
                let _ = tx.send(line);
            }
        }
    });
    buffer
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

/// An HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    bytes: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` with the path sent exactly as given.
fn get(addr: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(PATIENCE))
        .expect("read timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let bytes = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    }
}

/// A reader of the live-reload event stream.
struct Events {
    names: Receiver<String>,
}

impl Events {
    fn open(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect events");
        write!(
            stream,
            "GET /__senda/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send events request");
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).expect("events status");
        assert!(status.contains(" 200 "), "events: {status}");
        let (tx, names) = mpsc::channel();
        let (ready_tx, ready) = mpsc::channel();
        std::thread::spawn(move || {
            let mut content_type = String::new();
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(v) = line.strip_prefix("Content-Type:") {
                    content_type = v.trim().to_string();
                }
                // The stream's opening comment: from here on, every rebuild is seen.
                if line.starts_with(": senda") {
                    let _ = ready_tx.send(content_type.clone());
                }
                if let Some(name) = line.strip_prefix("event:")
                    && tx.send(name.trim().to_string()).is_err()
                {
                    return;
                }
            }
        });
        let content_type = ready.recv_timeout(PATIENCE).expect("event stream opened");
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        Events { names }
    }

    fn wait_reload(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.names.recv_timeout(left) {
                Ok(name) if name == "reload" => return,
                Ok(_) => {}
                Err(e) => panic!("no reload event: {e}"),
            }
        }
    }
}

#[test]
fn serves_the_site_from_memory_with_the_reload_script() {
    let serve = Serve::start();
    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    assert!(home.body.contains("/__senda/events"), "{}", home.body);

    let page = serve.get("/en/guide/steps/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("original text of the steps"));
    let address = serve.addr.clone();
    assert!(
        page.body.contains(&format!("http://{address}/")),
        "links point at the preview"
    );
    let spanish = serve.get("/es/guia/pasos/index.html");
    assert!(spanish.body.contains("texto original de los pasos"));
    let draft = serve.get("/en/guide/draft/");
    assert_eq!(draft.status, 200, "drafts are previewed");

    let folder = serve.get("/es/guia?x=1");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("Location"), Some("/es/guia/?x=1"));

    assert!(
        !serve.site().join("public").exists(),
        "serve writes nothing to disk"
    );
}

#[test]
fn media_types() {
    let serve = Serve::start();
    // Pictures are never served as they are (their metadata may say where they were taken):
    // see an_added_picture_shows_at_once_and_a_refused_one_in_the_overlay.
    assert_eq!(serve.get("/guide/dot.png").status, 404);
    let sitemap = serve.get("/sitemap.xml");
    assert_eq!(
        sitemap.header("Content-Type"),
        Some("application/xml; charset=utf-8")
    );
    let robots = serve.get("/robots.txt");
    assert_eq!(
        robots.header("Content-Type"),
        Some("text/plain; charset=utf-8")
    );
    let home = serve.get("/en/").body;
    let css = home
        .split(['"', ' ', '>', '='])
        .find(|s| s.starts_with("/style.") && s.ends_with(".css"))
        .expect("style sheet link");
    let sheet = serve.get(css);
    assert_eq!(sheet.status, 200);
    assert_eq!(
        sheet.header("Content-Type"),
        Some("text/css; charset=utf-8")
    );
}

#[test]
fn an_edit_reloads_the_page_with_the_new_text() {
    let serve = Serve::start();
    let events = serve.events();
    let file = serve.site().join("content/guide/steps.es.md");
    let text = std::fs::read_to_string(&file).expect("read page");
    std::fs::write(&file, text.replace("texto original", "texto corregido")).expect("edit");
    events.wait_reload();
    serve.wait_for("/es/guia/pasos/", "shows the edit", |r| {
        r.body.contains("texto corregido")
    });
}

#[test]
fn a_text_edit_renders_that_page_alone_then_the_rest_catches_up() {
    let serve = Serve::start();
    let events = serve.events();
    // An English page with no Spanish translation: its Spanish fallback shows the same text.
    let file = serve.site().join("content/guide/extra.md");
    let text = std::fs::read_to_string(&file).expect("read page");
    let body_start = text.rfind("+++\n").expect("front matter") + 4;
    // The body only: the front matter stays byte for byte the same.
    let edited = format!("{}Text corrected once.\n", &text[..body_start]);
    std::fs::write(&file, &edited).expect("edit");
    events.wait_reload();
    serve.wait_for("/en/guide/extra/", "shows the edit", |r| {
        r.body.contains("Text corrected once.")
    });
    let fallback = serve.get(&format!("/es/guia/{}/", slug_of(&text).unwrap_or("extra")));
    assert!(
        fallback.body.contains("Text corrected once."),
        "the Spanish fallback page was re-rendered too: {}",
        fallback.body
    );
    // The terminal says the page was rendered alone (printed just after it is served).
    let deadline = Instant::now() + PATIENCE;
    while !serve.stdout().contains("Rendered ") {
        assert!(
            Instant::now() < deadline,
            "the page was not rendered alone: {}",
            serve.stdout()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Once the edits pause, a quiet full rebuild brings the one-page guide up to date.
    serve.wait_for(
        "/en/whole-guide/",
        "has the edit in the one-page guide",
        |r| r.body.contains("Text corrected once."),
    );
}

/// The `slug` a page's front matter sets, if any.
fn slug_of(text: &str) -> Option<&str> {
    let line = text.lines().find(|l| l.starts_with("slug"))?;
    line.split('"').nth(1)
}

#[test]
fn an_added_picture_shows_at_once_and_a_refused_one_in_the_overlay() {
    let serve = Serve::start();
    let events = serve.events();
    let guide = serve.site().join("content/guide");
    std::fs::copy(guide.join("dot.png"), guide.join("photo.png")).expect("add a picture");
    let file = guide.join("steps.md");
    let text = std::fs::read_to_string(&file).expect("read page");
    std::fs::write(&file, format!("{text}\n![A dot](photo.png)\n")).expect("edit");
    events.wait_reload();
    let page = serve.wait_for("/en/guide/steps/", "shows the picture", |r| {
        r.body.contains("alt=\"A dot\"")
    });
    let webp = page
        .body
        .split(['"', ' '])
        .find(|s| s.starts_with("/guide/photo.") && s.ends_with(".webp"))
        .expect("a WebP file");
    let picture = serve.get(webp);
    assert_eq!(picture.status, 200);
    assert_eq!(picture.header("Content-Type"), Some("image/webp"));
    assert!(picture.bytes.starts_with(b"RIFF"));

    std::fs::write(
        guide.join("photo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script></svg>",
    )
    .expect("add a drawing");
    events.wait_reload();
    let page = serve.wait_for("/en/guide/steps/", "shows the error", |r| {
        r.body.contains("senda-error")
    });
    assert!(
        page.body.contains("content/guide/photo.svg:2"),
        "{}",
        page.body
    );
}

#[test]
fn a_broken_file_shows_the_error_over_the_last_good_site_until_it_is_fixed() {
    let serve = Serve::start();
    let events = serve.events();
    let file = serve.site().join("content/guide/steps.md");
    let good = std::fs::read_to_string(&file).expect("read page");
    let broken = good.replace("description = \"What to do first.\"", "weight = \"<ten>\"");
    assert_ne!(good, broken);
    std::fs::write(&file, &broken).expect("break");
    events.wait_reload();
    let page = serve.wait_for("/en/guide/steps/", "shows the error", |r| {
        r.body.contains("senda-error")
    });
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("original text of the steps"),
        "the last good page is still served"
    );
    assert!(
        page.body.contains("content/guide/steps.md:3"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("weight = &quot;&lt;ten&gt;&quot;"),
        "escaped"
    );
    assert!(!page.body.contains("\"<ten>\""), "never raw");
    assert!(page.body.contains("help:"));
    // Every HTML page shows it, not only the broken one.
    assert!(serve.get("/es/").body.contains("senda-error"));
    assert!(
        serve
            .stderr
            .lock()
            .map(|s| s.contains("content/guide/steps.md:3"))
            .unwrap_or(false),
        "the terminal shows it too"
    );

    std::fs::write(&file, good.replace("original text", "fixed text")).expect("fix");
    events.wait_reload();
    let page = serve.wait_for("/en/guide/steps/", "recovers", |r| {
        r.body.contains("fixed text")
    });
    assert!(!page.body.contains("senda-error"));
}

#[test]
fn a_site_broken_from_the_start_shows_the_error_then_recovers() {
    let serve = Serve::start_with(|site| {
        std::fs::write(site.join("content/guide/extra.md"), "+++\ntitle = \n+++\n").expect("break");
    });
    let page = serve.get("/en/");
    assert_eq!(page.status, 500);
    assert!(
        page.body.contains("content/guide/extra.md:2"),
        "{}",
        page.body
    );
    assert!(page.body.contains("/__senda/events"), "reloads once fixed");
    let events = serve.events();
    std::fs::remove_file(serve.site().join("content/guide/extra.md")).expect("fix");
    events.wait_reload();
    serve.wait_for("/en/", "recovers", |r| {
        r.status == 200 && !r.body.contains("senda-error")
    });
}

#[test]
fn a_deleted_page_is_a_404_with_the_site_404_page() {
    let serve = Serve::start();
    assert_eq!(serve.get("/en/guide/extra/").status, 200);
    let events = serve.events();
    std::fs::remove_file(serve.site().join("content/guide/extra.md")).expect("delete");
    events.wait_reload();
    let gone = serve.wait_for("/en/guide/extra/", "disappears", |r| r.status == 404);
    assert_eq!(gone.body, serve.get("/en/404.html").body);
    let gone_es = serve.get("/es/guia/extra/");
    assert_eq!(gone_es.status, 404);
    assert_eq!(gone_es.body, serve.get("/es/404.html").body, "Spanish 404");
    let elsewhere = serve.get("/no/such/page");
    assert_eq!(elsewhere.status, 404);
    assert_eq!(
        elsewhere.body,
        serve.get("/404.html").body,
        "the site's 404"
    );
}

#[test]
fn a_renamed_page_moves() {
    let serve = Serve::start();
    let events = serve.events();
    let guide = serve.site().join("content/guide");
    // Nothing links to extra.md (a link to a renamed page is, rightly, a build error).
    std::fs::rename(guide.join("extra.md"), guide.join("moved.md")).expect("rename");
    events.wait_reload();
    let moved = serve.wait_for("/en/guide/moved/", "appears", |r| r.status == 200);
    assert!(moved.body.contains("about to disappear"));
    assert!(!moved.body.contains("senda-error"));
    assert_eq!(serve.get("/en/guide/extra/").status, 404);
}

#[test]
fn editor_temp_files_do_not_rebuild() {
    let serve = Serve::start();
    let events = serve.events();
    let guide = serve.site().join("content/guide");
    for name in [".steps.md.swp", "steps.md~", ".#steps.md", "4913"] {
        std::fs::write(guide.join(name), "+++ not a page").expect("temp file");
    }
    // A real edit afterwards: its reload must be the first one, and the site still builds.
    let file = guide.join("steps.md");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("original", "saved")).expect("edit");
    events.wait_reload();
    let page = serve.wait_for("/en/guide/steps/", "shows the edit", |r| {
        r.body.contains("saved text")
    });
    assert!(!page.body.contains("senda-error"), "{}", page.body);
    // Events arrive in order: a rebuild for a temporary file would have been announced first.
    let stdout = serve.stdout.lock().map(|s| s.clone()).unwrap_or_default();
    let changes: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("Changed:"))
        .collect();
    assert!(!changes.is_empty(), "{stdout}");
    for line in changes {
        assert!(
            !(line.contains(".swp")
                || line.contains('~')
                || line.contains(".#")
                || line.contains("4913")),
            "rebuilt for an editor file: {line}"
        );
    }
}

#[test]
fn paths_outside_the_site_are_refused() {
    let serve = Serve::start();
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%2F..%2Fsecret.txt",
        "/guide/..%5c..%5csecret.txt",
        "/..\\secret.txt",
        "/secret.txt%00.html",
        "/%00",
        "//secret.txt",
        "/./site.toml",
        "/site.toml",
        "/content/guide/steps.md",
        "/%2fetc%2fpasswd",
        "/en/../../secret.txt",
    ] {
        let reply = serve.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("TOP-SECRET"), "{path}");
        assert!(!reply.body.contains("base_url"), "{path}");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let output = Command::new(env!("CARGO_BIN_EXE_senda"))
        .arg("-C")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve/site"))
        .args(["serve", "--port", &port.to_string()])
        .stdin(Stdio::null())
        .output()
        .expect("run senda serve");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port} is in use: try --port {}", port + 1)),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let mut serve = Serve::start();
    assert_eq!(serve.get("/").status, 200);
    let status = Command::new("kill")
        .args(["-INT", &serve.child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(status.success());
    let deadline = Instant::now() + PATIENCE;
    let exit = loop {
        if let Some(exit) = serve.child.try_wait().expect("wait") {
            break exit;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit}");
}

/// Sends `request` as written on a new connection; the status of the answer (0 when the
/// server closed without one) and whether the server then closed the connection.
fn raw(addr: &str, request: &[u8]) -> (u16, bool) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    // The server may answer and close before reading everything sent.
    let _ = stream.write_all(request);
    let mut raw = Vec::new();
    // Closed: the end of the stream, or a reset when the server did not read all of it.
    let closed = match stream.read_to_end(&mut raw) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    let status = String::from_utf8_lossy(&raw)
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, closed)
}

#[test]
fn a_kept_alive_connection_answers_without_a_stall() {
    let serve = Serve::start();
    let mut stream = TcpStream::connect(&serve.addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut took = Vec::new();
    for _ in 0..15 {
        let started = Instant::now();
        // One write: written in pieces, the request itself would wait for Nagle.
        let request = format!("GET /en/ HTTP/1.1\r\nHost: {}\r\n\r\n", serve.addr);
        stream.write_all(request.as_bytes()).expect("send");
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("a header");
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().expect("a length");
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("the body");
        took.push(started.elapsed());
    }
    took.sort();
    // Nagle's algorithm held each body back about 40 ms; the median of many requests on a
    // loaded machine stays far below that without it (the issue asks under 5 ms).
    assert!(took[took.len() / 2] < Duration::from_millis(20), "{took:?}");
}

#[test]
fn a_request_head_over_the_limit_is_refused_and_closed() {
    let serve = Serve::start();
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: {}\r\n\r\n",
        "a".repeat(64 * 1024),
        serve.addr
    );
    assert_eq!(raw(&serve.addr, long.as_bytes()), (431, true));
    // The server still answers.
    assert_eq!(serve.get("/en/").status, 200);
}

#[test]
fn unknown_protocols_and_methods_get_an_error_and_the_connection_closes() {
    let serve = Serve::start();
    let addr = &serve.addr;
    assert_eq!(raw(addr, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), (505, true));
    assert_eq!(raw(addr, b"HELLO\r\n\r\n"), (400, true));
    assert_eq!(raw(addr, b"\x16\x03\x01\x00\xa5\x01\x00"), (400, true));
    let post = format!("POST /en/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 2\r\n\r\nhi");
    assert_eq!(raw(addr, post.as_bytes()), (405, true));
    let events = format!("DELETE /__senda/events HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    assert_eq!(raw(addr, events.as_bytes()), (405, true));
}

#[test]
fn a_foreign_host_is_refused() {
    let serve = Serve::start();
    let port = serve.addr.rsplit(':').next().expect("a port");
    for host in ["rebind.example", "127.0.0.1.nip.io", "localhost"] {
        let request =
            format!("GET /en/ HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n");
        let expected = if host == "localhost" { 200 } else { 403 };
        assert_eq!(raw(&serve.addr, request.as_bytes()).0, expected, "{host}");
    }
    let events = format!("GET /__senda/events HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n");
    assert_eq!(raw(&serve.addr, events.as_bytes()).0, 403);
    assert_eq!(
        raw(&serve.addr, b"GET /en/ HTTP/1.1\r\n\r\n").0,
        403,
        "no Host"
    );
}

#[test]
fn idle_connections_are_bounded() {
    let serve = Serve::start();
    // The server's bound (64), all held by connections that send nothing.
    let idle: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(&serve.addr).expect("connect"))
        .collect();
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (status, _) = raw(&serve.addr, b"GET /en/ HTTP/1.1\r\n\r\n");
        if status == 503 {
            break;
        }
        assert!(Instant::now() < deadline, "never refused: {status}");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(idle);
    let request = format!(
        "GET /en/ HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        serve.addr
    );
    while raw(&serve.addr, request.as_bytes()).0 != 200 {
        assert!(Instant::now() < deadline, "never answers again");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_edit_saved_while_serve_starts_is_shown() {
    let serve = Serve::launch(
        |_| {},
        |site| {
            let file = site.join("content/guide/steps.md");
            let text = std::fs::read_to_string(&file).expect("read page");
            std::fs::write(&file, text.replace("original text", "edited at startup"))
                .expect("edit");
        },
    );
    serve.wait_for("/en/guide/steps/", "shows the edit", |r| {
        r.body.contains("edited at startup")
    });
}

#[test]
fn an_editor_saving_in_two_writes_does_not_flash_the_error() {
    let serve = Serve::start();
    let file = serve.site().join("content/guide/steps.md");
    let good = std::fs::read_to_string(&file).expect("read page");
    let half = &good[..good.find("title").expect("a title") + 8];
    std::fs::write(&file, half).expect("first write");
    std::thread::sleep(Duration::from_millis(30));
    std::fs::write(&file, good.replace("original text", "saved in two")).expect("second write");
    serve.wait_for("/en/guide/steps/", "shows the save", |r| {
        r.body.contains("saved in two") && !r.body.contains("senda-error")
    });
    let stderr = serve.stderr.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(!stderr.contains("build failed"), "{stderr}");
}

#[test]
fn messages_name_paths_in_the_site_and_a_missing_content_folder_once() {
    let serve = Serve::start();
    std::fs::remove_dir_all(serve.site().join("content")).expect("remove content");
    let page = serve.wait_for("/en/", "shows the error", |r| {
        r.body.contains("senda-error")
    });
    assert!(
        page.body.contains("this site has no `content` folder"),
        "{}",
        page.body
    );
    let stderr = serve.stderr.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(stderr.matches("no `content` folder").count(), 1, "{stderr}");
    let root = serve.site().canonicalize().expect("the site");
    assert!(
        !page.body.contains(&root.display().to_string()),
        "{}",
        page.body
    );
    assert!(!stderr.contains(&root.display().to_string()), "{stderr}");
}
