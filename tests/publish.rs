//! Publishing (issue 7): a site built for a sub-path works from a real static server (nginx),
//! the generated host files agree with `netlify.toml` and with the site's languages, and no
//! page breaks its own Content-Security-Policy.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use html5gum::{DefaultEmitter, Token, Tokenizer};
use senda::config::Config;
use senda::diag::Report;
use senda::render::Site;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/publish")
}

/// Builds the site in `root` in memory, for `base_url` if given.
fn build(root: &Path, base_url: Option<&str>) -> (Config, Site) {
    let mut config = Config::load(root).expect("site.toml");
    if let Some(url) = base_url {
        config = config.with_base_url(url).expect("base URL");
    }
    let site = senda::build(&config, &senda::BuildOptions::default(), &Report::default())
        .unwrap_or_else(|e| panic!("building {}: {e:#}", root.display()));
    (config, site)
}

fn text(site: &Site, path: &str) -> String {
    let bytes = site
        .files
        .get(path)
        .unwrap_or_else(|| panic!("the build wrote no `{path}`"));
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

// ---------------------------------------------------------------------------------------
// HTML: a real tokenizer, never a regex.

/// A start tag: its name and attributes, lowercase names.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: BTreeMap<String, String>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.get(name).map(String::as_str)
    }
}

/// Every start tag of `html`, and the text inside `<loc>` elements (for sitemap.xml).
fn tags(html: &[u8]) -> (Vec<Tag>, Vec<String>) {
    let mut emitter = DefaultEmitter::default();
    // Script and style contents are raw text, as in a browser.
    emitter.naively_switch_states(true);
    let mut out = Vec::new();
    let mut locs = Vec::new();
    let mut in_loc = false;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                in_loc = name == "loc";
                let attrs = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        (
                            String::from_utf8_lossy(k).to_ascii_lowercase(),
                            String::from_utf8_lossy(&v.value).into_owned(),
                        )
                    })
                    .collect();
                out.push(Tag { name, attrs });
            }
            Token::String(s) if in_loc => locs.push(String::from_utf8_lossy(&s.value).into_owned()),
            Token::EndTag(_) => in_loc = false,
            _ => {}
        }
    }
    (out, locs)
}

/// Every URL a tag names through `href`, `src` or `srcset`.
fn urls(tag: &Tag) -> Vec<String> {
    let mut out: Vec<String> = ["href", "src", "poster", "data"]
        .iter()
        .filter_map(|a| tag.attr(a))
        .map(str::to_string)
        .collect();
    if let Some(srcset) = tag.attr("srcset") {
        out.extend(
            srcset
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .map(str::to_string),
        );
    }
    out
}

// ---------------------------------------------------------------------------------------
// Host files.

/// `_headers`: (path pattern, [(name, value)]) in file order.
fn parse_headers(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let (name, value) = line
                .trim()
                .split_once(':')
                .unwrap_or_else(|| panic!("_headers: `{line}` is not `Name: value`"));
            rules
                .last_mut()
                .expect("a header before any path in _headers")
                .1
                .push((name.trim().to_string(), value.trim().to_string()));
        } else {
            rules.push((line.trim().to_string(), Vec::new()));
        }
    }
    rules
}

/// `_redirects`: (from, to, status).
fn parse_redirects(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "_redirects: `{l}` is not `from to status`");
            (parts[0].into(), parts[1].into(), parts[2].into())
        })
        .collect()
}

/// Does a `_headers` / `_redirects` pattern match `path` (both from the host's root)?
fn pattern_matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

/// The CSP of every page, from the generated `_headers` (the rule for `<base>*`).
fn csp(config: &Config, site: &Site) -> String {
    let all = format!("{}*", config.base_path);
    parse_headers(&text(site, "_headers"))
        .into_iter()
        .find(|(path, _)| *path == all)
        .and_then(|(_, values)| {
            values
                .into_iter()
                .find(|(n, _)| n == "Content-Security-Policy")
                .map(|(_, v)| v)
        })
        .unwrap_or_else(|| panic!("_headers has no Content-Security-Policy for {all}"))
}

#[test]
fn netlify_toml_agrees_with_the_generated_host_files() {
    let (config, site) = build(repo(), None);
    assert_eq!(
        config.base_path, "/",
        "site.toml's base_url is at the host's root"
    );
    let netlify: toml::Table = std::fs::read_to_string(repo().join("netlify.toml"))
        .expect("netlify.toml at the repository root")
        .parse()
        .expect("netlify.toml is TOML");
    let generated_headers = parse_headers(&text(&site, "_headers"));
    let generated_redirects = parse_redirects(&text(&site, "_redirects"));

    // Build: senda's release binary (bin/get-senda.sh), into the folder Netlify publishes.
    let build = netlify["build"].as_table().expect("[build]");
    assert_eq!(build["publish"].as_str(), Some("public"));
    let command = build["command"].as_str().expect("build.command");
    assert!(
        command.starts_with("bash bin/get-senda.sh build")
            && repo().join("bin/get-senda.sh").is_file(),
        "{command}"
    );

    // Headers: every rule of netlify.toml is a rule of _headers with the same values.
    let rules = netlify["headers"].as_array().expect("[[headers]]");
    assert!(!rules.is_empty());
    let mut seen_all = false;
    for rule in rules {
        let path = rule["for"].as_str().expect("headers.for");
        seen_all |= path == "/*";
        let values: BTreeMap<String, String> = rule["values"]
            .as_table()
            .expect("headers.values")
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().expect("a string").to_string()))
            .collect();
        let generated: BTreeMap<String, String> = generated_headers
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("netlify.toml sets headers for `{path}`; _headers does not"))
            .1
            .iter()
            .cloned()
            .collect();
        assert_eq!(
            values, generated,
            "the headers of `{path}` differ between netlify.toml and the generated _headers"
        );
    }
    assert!(seen_all, "netlify.toml has no [[headers]] for \"/*\"");

    // The root by the browser's language: one rule per language, none for others.
    let redirects = netlify["redirects"].as_array().expect("[[redirects]]");
    let mut languages_redirected = BTreeSet::new();
    for rule in redirects {
        let from = rule["from"].as_str().expect("redirects.from");
        let to = rule["to"].as_str().expect("redirects.to");
        let status = rule.get("status").and_then(toml::Value::as_integer);
        if status == Some(404) {
            assert!(
                generated_redirects
                    .iter()
                    .any(|(f, t, s)| f == from && t == to && s == "404"),
                "netlify.toml has the 404 rule {from} -> {to}, the generated _redirects does not"
            );
            continue;
        }
        assert_eq!(from, "/", "netlify.toml redirects only the root");
        let languages = rule
            .get("conditions")
            .and_then(|c| c.get("Language"))
            .and_then(toml::Value::as_array)
            .unwrap_or_else(|| {
                panic!("the redirect of / to {to} has no Language condition: the chooser must stay the fallback")
            });
        assert_eq!(
            status,
            Some(302),
            "{to}: 302, the answer depends on the browser"
        );
        assert_eq!(
            rule.get("force").and_then(toml::Value::as_bool),
            Some(true),
            "{to}: force, since / exists (the chooser)"
        );
        for code in languages {
            let code = code.as_str().expect("a language code");
            let language = config.language(code).unwrap_or_else(|| {
                panic!("netlify.toml redirects `{code}`, which site.toml does not have")
            });
            let prefix = config.lang_prefix(&language.code);
            assert_eq!(to, format!("/{prefix}"), "the {code} redirect");
            assert!(
                site.files.contains_key(&format!("{prefix}index.html")),
                "{to} is not a page"
            );
            languages_redirected.insert(code.to_string());
        }
    }
    let all: BTreeSet<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    assert_eq!(
        languages_redirected, all,
        "netlify.toml needs one [[redirects]] from / per language of site.toml"
    );

    // 404: every language prefix has its rule, every target exists, the root page exists.
    for language in &config.languages {
        let prefix = config.lang_prefix(&language.code);
        if prefix.is_empty() {
            continue;
        }
        let rule = (
            format!("/{prefix}*"),
            format!("/{prefix}404.html"),
            "404".to_string(),
        );
        assert!(
            generated_redirects.contains(&rule),
            "no 404 rule for {}: {generated_redirects:?}",
            language.code
        );
    }
    for (_, to, _) in &generated_redirects {
        assert!(site.files.contains_key(to.trim_start_matches('/')), "{to}");
    }
    assert!(site.files.contains_key("404.html"), "hosts serve /404.html");
    assert!(site.files.contains_key(".nojekyll"), "GitHub Pages");
}

#[test]
fn every_file_gets_exactly_one_cache_lifetime() {
    for (config, site) in [
        build(repo(), Some("https://user.github.io/repo/")),
        build(&fixture(), None),
    ] {
        let rules = parse_headers(&text(&site, "_headers"));
        for path in site.files.keys() {
            if matches!(path.as_str(), "_headers" | "_redirects" | ".nojekyll") {
                continue;
            }
            let url = format!("{}{path}", config.base_path);
            let url_dir = url.strip_suffix("index.html").unwrap_or(&url);
            let caches: Vec<&str> = rules
                .iter()
                .filter(|(p, _)| pattern_matches(p, &url) || pattern_matches(p, url_dir))
                .flat_map(|(_, values)| values)
                .filter(|(n, _)| n == "Cache-Control")
                .map(|(_, v)| v.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            assert_eq!(caches.len(), 1, "{url}: {caches:?}");
            let long = caches[0].contains("immutable");
            // Style sheets and processed pictures carry a hash of their content in their name
            // (`style.0a1b2c3d4e.css`, `map.360.0a1b2c3d4e.webp`); the link-preview picture
            // keeps a stable name, which messaging apps fetch.
            let name = path.rsplit('/').next().unwrap_or(path);
            let fingerprinted = name
                .split('.')
                .any(|part| part.len() == 10 && part.bytes().all(|b| b.is_ascii_hexdigit()));
            assert_eq!(long, fingerprinted, "{url}: {}", caches[0]);
        }
    }
}

#[test]
fn a_new_language_needs_no_hand_edit() {
    let (config, site) = build(&fixture(), None);
    assert_eq!(config.base_path, "/repo/");
    let redirects = parse_redirects(&text(&site, "_redirects"));
    for code in ["en", "es", "ht"] {
        let rule = (
            format!("/repo/{code}/*"),
            format!("/repo/{code}/404.html"),
            "404".to_string(),
        );
        assert!(redirects.contains(&rule), "{code}: {redirects:?}");
        assert!(site.files.contains_key(&format!("{code}/404.html")));
    }
    assert_eq!(
        redirects.last(),
        Some(&(
            "/repo/*".to_string(),
            "/repo/404.html".to_string(),
            "404".to_string()
        )),
        "under a sub-path the root 404 rule comes last"
    );
    assert!(text(&site, "_headers").contains("\n/repo/ht/*\n  Cache-Control:"));
}

/// Files that `_headers` serves as downloads (`Content-Disposition: attachment`), relative to
/// the output folder.
fn attachments(headers: &str, base_path: &str) -> Vec<String> {
    let mut rule = "";
    let mut out = Vec::new();
    for line in headers.lines() {
        if !line.starts_with([' ', '#']) && !line.is_empty() {
            rule = line;
        } else if line.trim() == "Content-Disposition: attachment" {
            out.push(rule.strip_prefix(base_path).unwrap_or(rule).to_string());
        }
    }
    out
}

#[test]
#[allow(clippy::too_many_lines, reason = "one scenario, checked step by step")]
fn no_page_breaks_its_own_csp() {
    for (config, site) in [
        build(repo(), Some("https://user.github.io/repo/")),
        build(&fixture(), None),
    ] {
        let policy = csp(&config, &site);
        let directive = |name: &str| {
            policy
                .split(';')
                .map(str::trim)
                .find_map(|d| d.strip_prefix(name).map(str::trim))
                .map(str::to_string)
        };
        assert_eq!(
            directive("default-src").as_deref(),
            Some("'none'"),
            "{policy}"
        );
        assert_eq!(
            directive("frame-ancestors").as_deref(),
            Some("'none'"),
            "{policy}"
        );
        assert!(
            !policy.contains('*') && !policy.contains("http"),
            "{policy}"
        );
        let scripts_allowed = directive("script-src").is_some();
        let inline_style = directive("style-src").is_some_and(|s| s.contains("'unsafe-inline'"));
        // The copies of the guide to pass on are served as downloads and carry their own
        // policy, for a phone's storage: tests/pass_on.rs checks them against it.
        let downloads = attachments(&text(&site, "_headers"), &config.base_path);
        assert_eq!(downloads.len(), 3, "one copy per language: {downloads:?}");
        let mut problems = Vec::new();
        for (path, bytes) in site
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".html") && !downloads.contains(p))
        {
            let (tags, _) = tags(bytes);
            let mut stylesheets = 0;
            for tag in &tags {
                let mut problem = |what: String| problems.push(format!("{path}: {what}"));
                match tag.name.as_str() {
                    "script" if !scripts_allowed => {
                        problem("a <script> (CSP: no script-src)".into())
                    }
                    "style" if !inline_style => problem("a <style> element".into()),
                    "iframe" | "frame" | "object" | "embed" => {
                        problem(format!("an <{}> (default-src 'none')", tag.name))
                    }
                    "form" => problem("a <form> (form-action 'none')".into()),
                    "base" => problem("a <base> (base-uri 'none')".into()),
                    _ => {}
                }
                for name in tag.attrs.keys() {
                    if name.starts_with("on") {
                        problem(format!("an inline handler `{name}=` on <{}>", tag.name));
                    }
                    if name == "style" && !inline_style {
                        problem(format!("a style= attribute on <{}>", tag.name));
                    }
                }
                let rel = tag.attr("rel").unwrap_or_default().to_ascii_lowercase();
                let loads = match tag.name.as_str() {
                    "link" => rel.split_whitespace().any(|r| {
                        matches!(
                            r,
                            "stylesheet"
                                | "icon"
                                | "preload"
                                | "prefetch"
                                | "modulepreload"
                                | "manifest"
                        )
                    }),
                    "img" | "script" | "source" | "audio" | "video" | "track" | "input"
                    | "iframe" | "embed" | "object" => true,
                    _ => false,
                };
                if !loads {
                    continue;
                }
                if rel.contains("stylesheet") {
                    stylesheets += 1;
                }
                for url in urls(tag) {
                    let own = url
                        .strip_prefix(&config.base_url)
                        .map(|rest| format!("{}{rest}", config.base_path));
                    let local = own.clone().or_else(|| {
                        (!url.starts_with("//") && !url.contains(':')).then(|| url.clone())
                    });
                    match local {
                        None => problem(format!("<{}> loads `{url}` from another host", tag.name)),
                        Some(local) => {
                            let file = local
                                .strip_prefix(&config.base_path)
                                .unwrap_or(&local)
                                .to_string();
                            if local.starts_with('/') && !site.files.contains_key(&file) {
                                problem(format!(
                                    "<{}> loads `{url}`, which the build did not write",
                                    tag.name
                                ));
                            }
                        }
                    }
                }
            }
            if stylesheets != 1 {
                problems.push(format!(
                    "{path}: {stylesheets} style sheets, expected the one fingerprinted sheet"
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

// ---------------------------------------------------------------------------------------
// A real static server: nginx, started by the test.

/// An nginx serving one site under `/repo/`, stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // One process (master_process off): killing it stops the server.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx_binary() -> PathBuf {
    for candidate in ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"] {
        if Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    if let Ok(path) = std::env::var("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("nginx").exists() {
                return dir.join("nginx");
            }
        }
    }
    panic!(
        "nginx is not installed, and the sub-path test needs a real static server: \
         run `apt-get install -y nginx` (.ci/run installs it)"
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

impl Nginx {
    /// Serves `public` at `/repo/` on `port`, with a location and `error_page` per rule of the
    /// site's own `_redirects`, as Netlify would apply them.
    fn start(dir: tempfile::TempDir, public: &Path, port: u16) -> Nginx {
        let binary = nginx_binary();
        let tmp = dir.path();
        let redirects = std::fs::read_to_string(public.join("_redirects")).expect("_redirects");
        let mut locations = String::new();
        let mut has_root = false;
        for (from, to, status) in parse_redirects(&redirects) {
            assert_eq!(status, "404", "{from}");
            let prefix = from.strip_suffix('*').expect("a prefix rule");
            let folder = prefix.strip_prefix("/repo/").expect("under /repo/");
            has_root |= folder.is_empty();
            locations.push_str(&format!(
                "    location {prefix} {{ alias {}/{folder}; error_page 404 {to}; }}\n",
                public.display()
            ));
        }
        if !has_root {
            locations.push_str(&format!(
                "    location /repo/ {{ alias {}/; error_page 404 /repo/404.html; }}\n",
                public.display()
            ));
        }
        let user = if std::env::var("USER").as_deref() == Ok("root") || is_root() {
            "user root;\n"
        } else {
            ""
        };
        let t = tmp.display();
        let conf = format!(
            "{user}daemon off;\nmaster_process off;\nworker_processes 1;\npid {t}/nginx.pid;\n\
             error_log {t}/error.log;\nevents {{ worker_connections 64; }}\nhttp {{\n\
             include /etc/nginx/mime.types;\n default_type application/octet-stream;\n\
             access_log {t}/access.log;\n client_body_temp_path {t}/body;\n\
             proxy_temp_path {t}/proxy;\n fastcgi_temp_path {t}/fastcgi;\n\
             uwsgi_temp_path {t}/uwsgi;\n scgi_temp_path {t}/scgi;\n absolute_redirect off;\n\
             server {{\n    listen 127.0.0.1:{port};\n{locations}  }}\n}}\n"
        );
        std::fs::write(tmp.join("nginx.conf"), &conf).expect("nginx.conf");
        let child = Command::new(&binary)
            .arg("-p")
            .arg(tmp)
            .arg("-e")
            .arg(tmp.join("error.log"))
            .arg("-c")
            .arg(tmp.join("nginx.conf"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        let mut nginx = Nginx { child, port, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return nginx;
            }
            if let Ok(Some(status)) = nginx.child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = nginx.child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                let log =
                    std::fs::read_to_string(nginx.dir.path().join("error.log")).unwrap_or_default();
                panic!("nginx exited ({status}): {err}\n{log}\nconfig:\n{conf}");
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not listen on {port} within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// One HTTP/1.0 answer.
struct Response {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// `GET path` from 127.0.0.1:port; non-ASCII bytes are percent-encoded.
fn get(port: u16, path: &str) -> Response {
    let mut target = String::new();
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            target.push(b as char);
        } else {
            target.push_str(&format!("%{b:02X}"));
        }
    }
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to nginx");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .expect("request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete HTTP response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    Response {
        status,
        content_type,
        body: raw[split + 4..].to_vec(),
    }
}

/// `href` found on page `from` -> a path on our origin, or None for another host, a
/// `mailto:` and the like, or a link to the same page.
fn resolve(origin: &str, from: &str, href: &str) -> Option<String> {
    let href = href.split('#').next().unwrap_or_default();
    let href = href.split('?').next().unwrap_or_default();
    if href.is_empty() {
        return None;
    }
    if let Some(rest) = href.strip_prefix(origin) {
        return Some(if rest.is_empty() {
            "/".into()
        } else {
            rest.into()
        });
    }
    if href.starts_with("//") || href.split('/').next().is_some_and(|s| s.contains(':')) {
        return None;
    }
    let joined = if href.starts_with('/') {
        href.to_string()
    } else {
        format!("{}{href}", &from[..=from.rfind('/').unwrap_or(0)])
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/').skip(1) {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

fn expected_type(path: &str) -> &'static str {
    if path.ends_with('/') || path.ends_with(".html") {
        "text/html"
    } else if path.ends_with(".css") {
        "text/css"
    } else if path.ends_with(".xml") {
        "xml"
    } else if path.ends_with(".txt") {
        "text/plain"
    } else {
        ""
    }
}

/// Builds `root` for `http://127.0.0.1:PORT/repo/`, serves it from nginx and follows every
/// link from the root page.
#[allow(clippy::too_many_lines, reason = "one scenario, checked step by step")]
fn serve_and_crawl(root: &Path) {
    let dir = tempfile::tempdir().expect("temp dir");
    let public = dir.path().join("public");
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let output = Command::new(env!("CARGO_BIN_EXE_senda"))
        .arg("-C")
        .arg(root)
        .arg("build")
        .arg("--out")
        .arg(&public)
        .arg("--base-url")
        .arg(format!("{origin}/repo/"))
        .output()
        .expect("running senda build");
    assert!(
        output.status.success(),
        "senda build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let nginx = Nginx::start(dir, &public, port);

    // The root page, and what crawlers start from: robots.txt and the sitemap it names.
    let starts = ["/repo/", "/repo/robots.txt"];
    let mut queue: VecDeque<(String, String)> = starts
        .iter()
        .map(|s| (s.to_string(), "(start)".to_string()))
        .collect();
    let mut seen: HashSet<String> = starts.iter().map(|s| s.to_string()).collect();
    let mut problems = Vec::new();
    let mut pages = 0;
    let mut types = BTreeSet::new();
    while let Some((path, from)) = queue.pop_front() {
        let response = get(nginx.port, &path);
        if response.status != 200 {
            problems.push(format!(
                "{path} (linked from {from}): HTTP {}",
                response.status
            ));
            continue;
        }
        let expected = expected_type(&path);
        if !response.content_type.contains(expected) {
            problems.push(format!(
                "{path}: Content-Type `{}`, expected {expected}",
                response.content_type
            ));
        }
        types.insert(format!("{expected} {}", response.content_type));
        let is_html = response.content_type.starts_with("text/html");
        let mut links: Vec<String> = Vec::new();
        if path.ends_with("robots.txt") {
            links.extend(
                String::from_utf8_lossy(&response.body)
                    .lines()
                    .filter_map(|l| l.strip_prefix("Sitemap:"))
                    .map(|u| u.trim().to_string()),
            );
        } else if !is_html && !path.ends_with(".xml") {
            continue;
        }
        pages += usize::from(is_html);
        let (tags, locs) = tags(&response.body);
        links.extend(locs);
        for tag in &tags {
            let rel = tag.attr("rel").unwrap_or_default();
            if tag.name == "link" && (rel.contains("canonical") || rel.contains("alternate")) {
                let href = tag.attr("href").unwrap_or_default();
                if !href.starts_with(&format!("{origin}/repo/")) {
                    problems.push(format!(
                        "{path}: <link rel={rel}> names `{href}`, not this site"
                    ));
                }
            }
            links.extend(urls(tag));
        }
        for link in links {
            let Some(target) = resolve(&origin, &path, &link) else {
                continue;
            };
            if !target.starts_with("/repo/") {
                problems.push(format!("{path}: `{link}` leaves the base path /repo/"));
                continue;
            }
            if seen.insert(target.clone()) {
                queue.push_back((target, path.clone()));
            }
        }
    }
    for must in ["/repo/sitemap.xml"] {
        // robots.txt names it.
        if !seen.contains(must) {
            problems.push(format!("nothing links to {must}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(pages > 3, "only {pages} pages reached from /repo/");
    assert!(
        seen.iter().any(|p| p.ends_with(".css")),
        "no style sheet reached"
    );

    // Not found: each language's own 404 page, and the root one, with a 404 status.
    let config = Config::load(root).expect("site.toml");
    for language in &config.languages {
        let prefix = config.lang_prefix(&language.code);
        let response = get(nginx.port, &format!("/repo/{prefix}no-such-page/"));
        assert_eq!(response.status, 404, "{prefix}");
        let (tags, _) = tags(&response.body);
        let html = tags.iter().find(|t| t.name == "html").expect("<html>");
        assert_eq!(
            html.attr("lang"),
            Some(language.code.as_str()),
            "404 page of /{prefix}"
        );
    }
    let response = get(nginx.port, "/repo/no-such-page");
    assert_eq!(response.status, 404);
    assert!(response.content_type.starts_with("text/html"));
    drop(nginx);
    eprintln!(
        "crawled {} URLs ({pages} pages) from {origin}/repo/: {types:?}",
        seen.len()
    );
}

#[test]
fn the_guide_built_for_a_sub_path_works_from_nginx() {
    serve_and_crawl(repo());
}

#[test]
fn the_fixture_built_for_a_sub_path_works_from_nginx() {
    serve_and_crawl(&fixture());
}
