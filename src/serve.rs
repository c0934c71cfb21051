//! `senda serve`: builds the site in memory, serves it over HTTP, watches the sources, rebuilds
//! on every change and tells open pages to reload.
//!
//! The shape follows mdBook's serve: the HTTP server on its own threads, the rest plain
//! synchronous code. The server ([`server`]) is small and synchronous, which fits a pipeline
//! that is synchronous from end to end. Server-Sent Events need one thread per open page, which
//! is nothing for a preview that a handful of tabs look at. Nothing is written to disk: the
//! server answers from the [`Site`] of the last good build, held in an `Arc` that a successful
//! rebuild swaps.
//!
//! When the only change is the text of one page (its front matter byte for byte the same, not
//! a glossary entry, no other file touched), the page is re-rendered alone, in every language,
//! from the sources the last full build parsed, and served over that build; nothing else on
//! the site depends on a page's text but the one-page guides and the site-wide link checks,
//! so a full rebuild follows quietly once the edits pause. Any other change rebuilds the whole
//! site: correctness first.

mod http;
mod server;
mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::config::Config;
use crate::diag::{Diagnostic, Errors, Report};
use crate::render::{Memory, RenderOptions, Site};

/// The live-reload script every page gets in serve mode (never in a build). It listens to
/// `/__senda/events`, reloads the page on `reload` (same URL, so same language), and after the
/// connection was lost (the server restarted) reloads as soon as it is back.
pub const RELOAD_SCRIPT: &str = r#"<script>(()=>{let lost=false;const go=()=>{const s=new EventSource("/__senda/events");s.addEventListener("reload",()=>location.reload());s.onopen=()=>{if(lost)location.reload()};s.onerror=()=>{lost=true;if(s.readyState===2){s.close();setTimeout(go,1000)}}};go()})();</script>"#;

/// How long the sources must stay unchanged before a quiet full rebuild catches up with
/// pages re-rendered alone (the one-page guides, the link checks).
const CATCH_UP: Duration = Duration::from_millis(1500);

/// After a failed build, how long a following write may come and fix it before the error is
/// shown: editors that save in several small writes should not flash the error overlay.
const SETTLE: Duration = Duration::from_millis(250);

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
    let listener = bind(SocketAddr::new(ip, port))?;
    let addr = listener
        .local_addr()
        .context("the server is not listening on an IP address")?;
    let url = format!("http://{addr}/");
    let builder = Arc::new(Builder::new(root, &url));
    let state = Arc::new(State::default());

    // Watch before the first build: a file saved while it runs is then rebuilt after it.
    let watcher = watch::Watcher::new(root)?;
    let started = Instant::now();
    let result = builder.build();
    state.publish(result, started, &builder);

    let hosts = server::Hosts::new(ip, addr.port());
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || server::run(listener, hosts, state));
    }
    {
        let state = Arc::clone(&state);
        std::thread::spawn(move || rebuild_loop(watcher, builder, state));
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
    println!("Stopped.");
    Ok(ExitCode::SUCCESS)
}

/// Listens on `addr`, with a message that says what to do when that is impossible.
fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| {
        let port = addr.port();
        match e.kind() {
            std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
                "port {port} is in use: try --port {}",
                port.checked_add(1).unwrap_or(1111)
            ),
            std::io::ErrorKind::PermissionDenied => {
                anyhow::anyhow!("port {port} needs administrator rights: try --port 1111")
            }
            std::io::ErrorKind::AddrNotAvailable => anyhow::anyhow!(
                "{} is not an address of this computer: try --interface 127.0.0.1",
                addr.ip()
            ),
            _ => anyhow::anyhow!("cannot listen on {addr}: {e}"),
        }
    })
}

fn rebuild_loop(mut watcher: watch::Watcher, builder: Arc<Builder>, state: Arc<State>) {
    let mut catching_up: Option<std::thread::JoinHandle<()>> = None;
    let mut pending: Vec<PathBuf> = Vec::new();
    loop {
        let idle = builder.behind.load(Ordering::SeqCst).then_some(CATCH_UP);
        let mut changed = std::mem::take(&mut pending);
        if changed.is_empty() {
            let Some(next) = watcher.next_change(idle) else {
                break;
            };
            if next.is_empty() {
                // The edits paused: bring the rest of the site up to date in the background.
                if catching_up.as_ref().is_none_or(|h| h.is_finished()) {
                    let since = builder.generation.load(Ordering::SeqCst);
                    let (builder, state) = (Arc::clone(&builder), Arc::clone(&state));
                    catching_up = Some(std::thread::spawn(move || builder.catch_up(since, &state)));
                }
                continue;
            }
            changed = next;
        }
        builder.generation.fetch_add(1, Ordering::SeqCst);
        let started = Instant::now();
        let names: Vec<String> = changed
            .iter()
            .map(|p| relative(&p.display().to_string(), &builder.root))
            .collect();
        println!("Changed: {}", names.join(", "));
        let outcome = match builder.rebuild_text(&changed) {
            Some(result) => Outcome::Pages(result),
            None => Outcome::Site(builder.build()),
        };
        if outcome.failed() {
            // A write that follows may fix it: show the error only if none comes.
            match watcher.next_change(Some(SETTLE)) {
                Some(more) if !more.is_empty() => {
                    pending = changed;
                    pending.extend(more);
                    continue;
                }
                Some(_) => {}
                None => break,
            }
        }
        match outcome {
            Outcome::Pages(result) => {
                builder.behind.store(result.is_ok(), Ordering::SeqCst);
                state.publish_pages(result, started, &builder);
            }
            Outcome::Site(result) => {
                builder.behind.store(false, Ordering::SeqCst);
                state.publish(result, started, &builder);
            }
        }
    }
}

/// What a burst of changes produced: pages re-rendered alone, or a whole new site.
enum Outcome {
    Pages(Result<HashMap<String, Vec<u8>>>),
    Site(Result<Site>),
}

impl Outcome {
    fn failed(&self) -> bool {
        match self {
            Outcome::Pages(result) => result.is_err(),
            Outcome::Site(result) => result.is_err(),
        }
    }
}

/// `text` with the site folder's path taken out of the paths it names: messages name files
/// as the translator sees them in the site (`content/x.md`).
fn relative(text: &str, root: &Path) -> String {
    let root = root.display().to_string();
    text.replace(&format!("{root}/"), "").replace(&root, ".")
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
    /// The sources the last good build parsed, kept up to date by text-only edits; `None`
    /// after a failure, so that the next change rebuilds everything.
    loaded: Mutex<Option<crate::Loaded>>,
    /// Counts bursts of changes: a catch-up build started before the last one is stale.
    generation: AtomicU64,
    /// Pages were re-rendered alone since the last full build.
    behind: AtomicBool,
}

impl Builder {
    fn new(root: &Path, base_url: &str) -> Builder {
        Builder {
            root: root.to_path_buf(),
            base_url: base_url.to_string(),
            shown: Mutex::new(Vec::new()),
            loaded: Mutex::new(None),
            generation: AtomicU64::new(0),
            behind: AtomicBool::new(false),
        }
    }

    fn options(&self, only: Option<String>) -> crate::BuildOptions {
        crate::BuildOptions {
            drafts: true,
            render: RenderOptions {
                serve_script: RELOAD_SCRIPT.to_string(),
                today: None,
                only,
            },
        }
    }

    /// Reads every source and renders the whole site.
    fn build(&self) -> Result<Site> {
        let result = self.full();
        let mut loaded = lock(&self.loaded);
        match result {
            Ok((site, sources)) => {
                *loaded = Some(sources);
                Ok(site)
            }
            Err(e) => {
                *loaded = None;
                Err(e)
            }
        }
    }

    fn full(&self) -> Result<(Site, crate::Loaded)> {
        let report = Report::default();
        let options = self.options(None);
        let result = Config::load(&self.root)
            .and_then(|config| config.with_base_url(&self.base_url))
            .and_then(|config| crate::load(&config, &options, &report))
            .and_then(|loaded| {
                let files = Memory::default();
                let rendering =
                    crate::render::render(loaded.sources(), &options.render, &report, &files)?;
                let site = Site {
                    files: files.into_files(),
                    pages: rendering.pages,
                    sources: rendering.sources,
                    heaviest: rendering.heaviest,
                };
                Ok((site, loaded))
            });
        self.show_warnings(&report);
        result
    }

    /// The full build that follows pages re-rendered alone, on one thread so that the next
    /// edit finds a core free. Thrown away if sources changed while it ran (`since` is the
    /// generation it started at); otherwise it replaces the served site.
    fn catch_up(&self, since: u64, state: &State) {
        let result = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
            Ok(pool) => pool.install(|| self.full()),
            Err(_) => self.full(),
        };
        // Under the lock, so that a text edit is applied either before (then this build is
        // stale and dropped) or after (then it patches these sources).
        let mut loaded = lock(&self.loaded);
        if self.generation.load(Ordering::SeqCst) != since {
            return;
        }
        self.behind.store(false, Ordering::SeqCst);
        match result {
            Ok((site, sources)) => {
                *loaded = Some(sources);
                state.catch_up(Ok(site), self);
            }
            Err(e) => {
                *loaded = None;
                state.catch_up(Err(e), self);
            }
        }
    }

    /// Re-renders the one page whose text alone changed, in every language: the files to
    /// serve over the last build. `None` when the change needs a full build.
    fn rebuild_text(&self, changed: &[PathBuf]) -> Option<Result<HashMap<String, Vec<u8>>>> {
        let [path] = changed else { return None };
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        let mut guard = lock(&self.loaded);
        let loaded = guard.as_mut()?;
        let index = loaded.content.pages.iter().position(|p| p.file == rel)?;
        let page = &loaded.content.pages[index];
        // A glossary entry's text is also on the glossary page: rebuild everything.
        if page.key.starts_with(crate::content::GLOSSARY_DIR) {
            return None;
        }
        let text = crate::fsx::read_to_string(path).ok()?;
        if !text.starts_with(&page.source[..page.body_start]) {
            return None;
        }
        let key = page.key.clone();
        loaded.content.pages[index].source = text;
        let report = Report::default();
        let options = self.options(Some(key));
        let files = Memory::default();
        let result = crate::render::render(loaded.sources(), &options.render, &report, &files)
            .map(|_| files.into_files().into_iter().collect());
        if result.is_err() {
            *guard = None;
        }
        drop(guard);
        self.show_warnings(&report);
        Some(result)
    }

    fn show_warnings(&self, report: &Report) {
        let warnings = report.warnings();
        let mut shown = self.shown.lock().unwrap_or_else(|p| p.into_inner());
        for warning in warnings.iter().filter(|w| !shown.contains(w)) {
            eprintln!("warning: {}", relative(&warning.to_string(), &self.root));
        }
        *shown = warnings;
    }
}

/// What the server shares between its threads.
#[derive(Default)]
pub(crate) struct State {
    /// The last good build; `None` until one succeeds.
    site: RwLock<Option<Arc<Site>>>,
    /// Pages re-rendered alone since that build, served instead of its versions.
    pages: RwLock<HashMap<String, Vec<u8>>>,
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
                self.replace(site);
                println!("Built {pages} pages in {ms} ms");
            }
            Err(e) => self.fail(&e, builder),
        }
        self.broadcast();
    }

    /// Takes pages re-rendered alone: they are served over the last build, and open pages
    /// reload; an error is shown as for a full build.
    fn publish_pages(
        &self,
        result: Result<HashMap<String, Vec<u8>>>,
        started: Instant,
        builder: &Builder,
    ) {
        match result {
            Ok(files) => {
                let n = files.keys().filter(|k| k.ends_with(".html")).count();
                write(&self.pages).extend(files);
                *write(&self.problems) = None;
                println!("Rendered {n} pages in {} ms", started.elapsed().as_millis());
            }
            Err(e) => self.fail(&e, builder),
        }
        self.broadcast();
    }

    /// Takes the quiet full build that follows pages re-rendered alone: open pages reload only
    /// if it found a problem (what they show is already up to date).
    fn catch_up(&self, result: Result<Site>, builder: &Builder) {
        match result {
            Ok(site) => self.replace(site),
            Err(e) => {
                self.fail(&e, builder);
                self.broadcast();
            }
        }
    }

    fn replace(&self, site: Site) {
        *write(&self.site) = Some(Arc::new(site));
        write(&self.pages).clear();
        *write(&self.problems) = None;
    }

    fn fail(&self, error: &anyhow::Error, builder: &Builder) {
        let problems = problems(error, &builder.root);
        let mut shown = write(&self.problems);
        // The same problems again (one deletion is many events): said once is enough.
        if shown.as_deref() == Some(&problems) {
            return;
        }
        eprintln!("error: the build failed; the last good version is still served");
        for p in &problems {
            eprintln!("{}", p.terminal());
        }
        *shown = Some(Arc::new(problems));
    }

    /// Tells every open page to reload, forgetting the pages that are gone.
    fn broadcast(&self) {
        lock(&self.clients).retain(|tx| tx.send(()).is_ok());
    }

    pub(crate) fn site(&self) -> Option<Arc<Site>> {
        read(&self.site).clone()
    }

    /// A file of the site as served now: re-rendered alone, else from the last build.
    pub(crate) fn file(&self, site: &Site, path: &str) -> Option<Vec<u8>> {
        if let Some(bytes) = read(&self.pages).get(path) {
            return Some(bytes.clone());
        }
        site.files.get(path).cloned()
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
        let file = relative(&d.file.display().to_string(), root);
        Problem {
            place: if d.line > 0 {
                format!("{file}:{}", d.line)
            } else {
                file.to_string()
            },
            message: relative(&d.message, root),
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
        message: relative(&format!("{error:#}"), root),
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
