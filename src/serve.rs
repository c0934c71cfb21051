//! `senda serve`: builds the site in memory, serves it over HTTP, watches the sources, rebuilds
//! on every change and tells open pages to reload.
//!
//! The shape follows mdBook's serve: the HTTP server on its own threads, the rest plain
//! synchronous code. The server is `tiny_http`: synchronous and small (four small dependencies,
//! no async runtime to compile or reason about), which fits a pipeline that is synchronous from
//! end to end. Server-Sent Events need one thread per open page, which is nothing for a preview
//! that a handful of tabs look at. Nothing is written to disk: the server answers from the
//! [`Site`] of the last good build, held in an `Arc` that a successful rebuild swaps.

mod http;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::diag::{Diagnostic, Errors, Report};
use crate::render::{RenderOptions, Site};

/// The live-reload script every page gets in serve mode (never in a build). It listens to
/// `/__senda/events`, reloads the page on `reload` (same URL, so same language), and after the
/// connection was lost (the server restarted) reloads as soon as it is back.
pub const RELOAD_SCRIPT: &str = r#"<script>(()=>{let lost=false;const go=()=>{const s=new EventSource("/__senda/events");s.addEventListener("reload",()=>location.reload());s.onopen=()=>{if(lost)location.reload()};s.onerror=()=>{lost=true;if(s.readyState===2){s.close();setTimeout(go,1000)}}};go()})();</script>"#;

/// Number of threads answering ordinary requests (event streams get a thread each).
const WORKERS: usize = 4;

/// Runs the preview server until Ctrl-C.
pub fn run(root: &Path, interface: &str, port: u16, open: bool) -> Result<ExitCode> {
    // Fail early, with the usual message, when this is not a site folder at all. A broken
    // site.toml is not fatal: it is shown in the browser like any other build error.
    let site_toml = root.join("site.toml");
    if !site_toml.is_file() {
        Config::load(root)?;
        bail!("no site here: `{}` is missing", site_toml.display());
    }
    // Watched paths come back absolute and canonical; so does the root, to compare them.
    let root = &root
        .canonicalize()
        .with_context(|| format!("cannot read the folder {}", root.display()))?;
    let ip: IpAddr = interface.parse().with_context(|| {
        format!("--interface wants an IP address such as 127.0.0.1, not `{interface}`")
    })?;
    let server = Arc::new(bind(SocketAddr::new(ip, port))?);
    let addr = server
        .server_addr()
        .to_ip()
        .context("the server is not listening on an IP address")?;
    let url = format!("http://{addr}/");
    let builder = Builder::new(root, &url);
    let state = Arc::new(State::default());

    let started = Instant::now();
    let result = builder.build();
    state.publish(result, started, &builder);

    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let state = Arc::clone(&state);
        std::thread::spawn(move || http::serve(&server, &state));
    }
    let watcher = watch::Watcher::new(root)?;
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || rebuild_loop(watcher, builder, &state));
    }

    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("could not listen for Ctrl-C")?;

    println!("Serving {url} (Ctrl-C to stop)");
    if !ip.is_loopback() {
        println!("note: other devices on your network can open this preview");
    }
    if open {
        open_browser(&url);
    }
    // Nothing is on disk, so stopping is just leaving: the threads end with the process.
    let _ = stop_rx.recv();
    server.unblock();
    println!("Stopped.");
    Ok(ExitCode::SUCCESS)
}

/// Listens on `addr`, with a message that says what to do when that is impossible.
fn bind(addr: SocketAddr) -> Result<tiny_http::Server> {
    tiny_http::Server::http(addr).map_err(|e| {
        let port = addr.port();
        match e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) {
            Some(std::io::ErrorKind::AddrInUse) => anyhow::anyhow!(
                "port {port} is in use: try --port {}",
                port.checked_add(1).unwrap_or(1111)
            ),
            Some(std::io::ErrorKind::PermissionDenied) => {
                anyhow::anyhow!("port {port} needs administrator rights: try --port 1111")
            }
            Some(std::io::ErrorKind::AddrNotAvailable) => anyhow::anyhow!(
                "{} is not an address of this computer: try --interface 127.0.0.1",
                addr.ip()
            ),
            _ => anyhow::anyhow!("cannot listen on {addr}: {e}"),
        }
    })
}

fn rebuild_loop(mut watcher: watch::Watcher, builder: Builder, state: &State) {
    while let Some(changed) = watcher.next_change() {
        let started = Instant::now();
        let names: Vec<String> = changed
            .iter()
            .map(|p| {
                p.strip_prefix(&builder.root)
                    .unwrap_or(p)
                    .display()
                    .to_string()
            })
            .collect();
        println!("Changed: {}", names.join(", "));
        let result = builder.build();
        state.publish(result, started, &builder);
    }
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = command.arg(url).spawn() {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}

/// Builds the site for serving: drafts included, links pointing at this server, the reload
/// script in every page.
struct Builder {
    root: PathBuf,
    base_url: String,
    /// Warnings already shown, so each rebuild prints only new ones.
    shown: Mutex<Vec<Diagnostic>>,
}

impl Builder {
    fn new(root: &Path, base_url: &str) -> Builder {
        Builder {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            shown: Mutex::new(Vec::new()),
        }
    }

    fn build(&self) -> Result<Site> {
        let config = Config::load(&self.root)?.with_base_url(&self.base_url)?;
        let report = Report::default();
        let options = crate::BuildOptions {
            drafts: true,
            render: RenderOptions {
                serve_script: RELOAD_SCRIPT.to_string(),
                today: None,
            },
        };
        let result = crate::build(&config, &options, &report);
        let warnings = report.warnings();
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        for warning in warnings.iter().filter(|w| !shown.contains(w)) {
            eprintln!("warning: {warning}");
        }
        *shown = warnings;
        result
    }
}

/// What the server shares between its threads.
#[derive(Default)]
pub(crate) struct State {
    /// The last good build; `None` until one succeeds.
    site: RwLock<Option<Arc<Site>>>,
    /// The problems of the last build when it failed; shown on every HTML page.
    problems: RwLock<Option<Arc<Vec<Problem>>>>,
    /// One sender per open event stream.
    clients: Mutex<Vec<Sender<()>>>,
}

/// One problem of a failed build, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// `content/x.md:3`, or empty when the problem has no file.
    pub(crate) place: String,
    pub(crate) message: String,
    pub(crate) snippet: Option<(usize, String)>,
    pub(crate) help: Option<String>,
}

impl State {
    /// Takes a build's result: a site replaces the served one and clears the problems; an
    /// error keeps the served site and records the problems. Either way open pages reload.
    fn publish(&self, result: Result<Site>, started: Instant, builder: &Builder) {
        let ms = started.elapsed().as_millis();
        match result {
            Ok(site) => {
                let pages: usize = site.pages.values().sum();
                *write(&self.site) = Some(Arc::new(site));
                *write(&self.problems) = None;
                println!("Built {pages} pages in {ms} ms");
            }
            Err(e) => {
                let problems = problems(&e, &builder.root);
                eprintln!("error: the build failed; the last good version is still served");
                for p in &problems {
                    eprintln!("{}", p.terminal());
                }
                *write(&self.problems) = Some(Arc::new(problems));
            }
        }
        self.broadcast();
    }

    /// Tells every open page to reload, forgetting the pages that are gone.
    fn broadcast(&self) {
        lock(&self.clients).retain(|tx| tx.send(()).is_ok());
    }

    pub(crate) fn site(&self) -> Option<Arc<Site>> {
        read(&self.site).clone()
    }

    pub(crate) fn problems(&self) -> Option<Arc<Vec<Problem>>> {
        read(&self.problems).clone()
    }

    pub(crate) fn subscribe(&self) -> mpsc::Receiver<()> {
        let (tx, rx) = mpsc::channel();
        lock(&self.clients).push(tx);
        rx
    }
}

impl Problem {
    fn terminal(&self) -> String {
        let mut out = if self.place.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.place, self.message)
        };
        if let Some((line, text)) = &self.snippet {
            out.push_str(&format!("\n  {line:>4} | {text}"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  help: {help}"));
        }
        out
    }
}

/// The diagnostics inside a build error, or its message when it has none.
fn problems(error: &anyhow::Error, root: &Path) -> Vec<Problem> {
    let from = |d: &Diagnostic| {
        let file = d.file.strip_prefix(root).unwrap_or(&d.file).display();
        Problem {
            place: if d.line > 0 {
                format!("{file}:{}", d.line)
            } else {
                file.to_string()
            },
            message: d.message.clone(),
            snippet: d.snippet.clone().map(|s| (d.line, s)),
            help: d.help.clone(),
        }
    };
    for cause in error.chain() {
        if let Some(Errors(list)) = cause.downcast_ref::<Errors>() {
            return list.iter().map(from).collect();
        }
        if let Some(d) = cause.downcast_ref::<Diagnostic>() {
            return vec![from(d)];
        }
    }
    vec![Problem {
        place: String::new(),
        message: format!("{error:#}"),
        snippet: None,
        help: None,
    }]
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|p| p.into_inner())
}
