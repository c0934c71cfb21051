//! Answers HTTP requests from the in-memory site: files by path, `index.html` for folders, the
//! site's own 404 pages, the live-reload event stream, and the build error on every HTML page.

use crate::html::escape;
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use super::{Problem, State};
use crate::render::Site;

/// Path of the Server-Sent Events stream the reload script listens to.
pub(crate) const EVENTS: &str = "/__senda/events";

/// How often an idle event stream sends a comment, so closed pages are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A response, before it is written (kept apart so it can be unit-tested).
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) location: Option<String>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn text(status: u16, body: &str) -> Answer {
        Answer {
            status,
            content_type: "text/plain; charset=utf-8",
            location: None,
            body: body.as_bytes().to_vec(),
        }
    }

    /// The whole response, head and body, to be written in one piece: written in two, the
    /// body waited for the acknowledgement of the head (Nagle's algorithm, about 40 ms).
    pub(crate) fn to_bytes(&self, head_only: bool, keep_alive: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(320 + self.body.len());
        let _ = write!(
            out,
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        if let Some(location) = &self.location {
            let _ = write!(out, "Location: {location}\r\n");
        }
        if !keep_alive {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// The answer to `method url`, where `url` is the request target as sent.
pub(crate) fn answer(state: &State, method: &str, url: &str) -> Answer {
    if !matches!(method, "GET" | "HEAD") {
        return Answer::text(405, "405 Method Not Allowed: this preview only reads\n");
    }
    let (raw_path, query) = match url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (url, None),
    };
    let Some(path) = decode(raw_path) else {
        return Answer::text(
            400,
            "400 Bad Request: this address is not a path of the site\n",
        );
    };
    let problems = state.problems();
    let Some(site) = state.site() else {
        // No build has succeeded yet: every page is the error.
        return html(500, error_page(), problems.as_deref());
    };
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(bytes) = state.file(&site, &key) {
        let content_type = mime(&key);
        if content_type.starts_with("text/html") {
            return html(200, bytes, problems.as_deref());
        }
        return Answer {
            status: 200,
            content_type,
            location: None,
            body: bytes,
        };
    }
    if !path.is_empty() && site.files.contains_key(&format!("{path}/index.html")) {
        let mut location = format!("{raw_path}/");
        if let Some(query) = query {
            location.push('?');
            location.push_str(query);
        }
        return Answer {
            status: 308,
            content_type: "text/plain; charset=utf-8",
            location: Some(ascii(&location)),
            body: Vec::new(),
        };
    }
    html(404, not_found(&site, &path), problems.as_deref())
}

/// The percent-decoded path without its leading `/`, or `None` when it names nothing inside the
/// site: not starting with `/`, `.` or `..` segments, encoded slashes, backslashes, NUL and
/// other control characters, or bytes that are not UTF-8.
pub(crate) fn decode(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('/')?;
    let mut segments = Vec::new();
    for segment in rest.split('/') {
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
        let text = String::from_utf8(bytes).ok()?;
        if text == "."
            || text == ".."
            || text.contains(['/', '\\'])
            || text.contains(char::is_control)
        {
            return None;
        }
        segments.push(text);
    }
    // An empty segment is only fine at the end (`/es/guia/`); `//` names nothing.
    if segments[..segments.len() - 1].iter().any(String::is_empty) {
        return None;
    }
    Some(segments.join("/"))
}

/// The 404 page of the language whose prefix starts `path`, else the site's.
fn not_found(site: &Site, path: &str) -> Vec<u8> {
    let first = path.split('/').next().unwrap_or_default();
    let localized = format!("{first}/404.html");
    site.files
        .get(&localized)
        .filter(|_| !first.is_empty() && site.pages.contains_key(first))
        .or_else(|| site.files.get("404.html"))
        .cloned()
        .unwrap_or_else(|| b"<!doctype html><title>404</title><h1>404 Not Found</h1>".to_vec())
}

/// An HTML answer, with the build problems shown on top while there are any.
fn html(status: u16, mut body: Vec<u8>, problems: Option<&Vec<Problem>>) -> Answer {
    if let Some(problems) = problems {
        let banner = banner(problems);
        let at = find_last(&body, b"</body>").unwrap_or(body.len());
        body.splice(at..at, banner.into_bytes());
    }
    Answer {
        status,
        content_type: "text/html; charset=utf-8",
        location: None,
        body,
    }
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// The page served while no build has succeeded: the problems and the reload script.
fn error_page() -> Vec<u8> {
    format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>senda: the build failed</title></head><body>{}</body></html>",
        super::RELOAD_SCRIPT
    )
    .into_bytes()
}

/// The problems of a failed build, as an overlay over the page, escaped.
pub(crate) fn banner(problems: &[Problem]) -> String {
    let mut out = String::from(
        "<div id=senda-error role=alert style=\"position:fixed;inset:0 0 auto 0;max-height:80vh;overflow:auto;z-index:2147483647;margin:0;padding:1em;background:#fff4f4;color:#111;border-bottom:4px solid #b00;font:16px/1.4 system-ui,sans-serif;text-align:left\" dir=ltr>\
         <p style=\"margin:0 0 .5em;font-weight:bold;color:#b00\">The last change could not be built. You are seeing the last version that worked. Fix the file and save: this page reloads by itself.</p>",
    );
    for p in problems {
        out.push_str("<div style=\"margin:.75em 0\"><p style=\"margin:0\">");
        if !p.place.is_empty() {
            out.push_str(&format!("<b>{}</b>: ", escape(&p.place)));
        }
        out.push_str(&escape(&p.message));
        out.push_str("</p>");
        if let Some((line, text)) = &p.snippet {
            out.push_str(&format!(
                "<pre style=\"margin:.25em 0;padding:.25em .5em;background:#fff;overflow:auto;white-space:pre-wrap\">{line:>4} | {}</pre>",
                escape(text)
            ));
        }
        if let Some(help) = &p.help {
            out.push_str(&format!("<p style=\"margin:0\">help: {}</p>", escape(help)));
        }
        out.push_str("</div>");
    }
    out.push_str("</div>");
    out
}

/// Percent-encodes what may not appear in a header value (non-ASCII, controls, spaces).
fn ascii(text: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ').add(b'"');
    percent_encoding::utf8_percent_encode(text, SET).to_string()
}

/// The media type of an output file, by extension; text types say they are UTF-8.
pub(crate) fn mime(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" | "toml" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        // Host files: `_headers`, `_redirects`.
        "" if name.starts_with('_') => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Streams `reload` events to one page until it goes away.
pub(crate) fn events(mut out: TcpStream, state: &State) {
    let reloads = state.subscribe();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n: senda serve\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message: &[u8] = match reloads.recv_timeout(KEEP_ALIVE) {
            Ok(()) => b"event: reload\ndata: reload\n\n",
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => b": keep-alive\n\n",
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if out.write_all(message).and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_site_are_refused() {
        for raw in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/x",
            "/es/..%2f..%2fsecret",
            "/a%2fb",
            "/a%5cb",
            "/a\\b",
            "/nul%00.html",
            "/./index.html",
            "//etc/passwd",
            "etc/passwd",
            "/%ff",
        ] {
            assert_eq!(decode(raw), None, "{raw}");
        }
        assert_eq!(decode("/"), Some(String::new()));
        assert_eq!(decode("/es/gu%C3%ADa/"), Some("es/guía/".into()));
        assert_eq!(decode("/a%20b.txt"), Some("a b.txt".into()));
    }

    #[test]
    fn media_types() {
        assert_eq!(mime("es/index.html"), "text/html; charset=utf-8");
        assert_eq!(mime("style.1a2b.css"), "text/css; charset=utf-8");
        assert_eq!(mime("sitemap.xml"), "application/xml; charset=utf-8");
        assert_eq!(mime("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(mime("logo.SVG"), "image/svg+xml; charset=utf-8");
        assert_eq!(mime("a.png"), "image/png");
        assert_eq!(mime("a.jpg"), "image/jpeg");
        assert_eq!(mime("a.webp"), "image/webp");
        assert_eq!(mime("a.pdf"), "application/pdf");
        assert_eq!(mime("a.json"), "application/json");
        assert_eq!(mime("f.woff2"), "font/woff2");
        assert_eq!(mime("_headers"), "text/plain; charset=utf-8");
        assert_eq!(mime("blob"), "application/octet-stream");
    }

    #[test]
    fn banner_escapes_everything_from_the_source() {
        let html = banner(&[Problem {
            place: "content/<x>.md:2".into(),
            message: "bad \"value\" <script>".into(),
            snippet: Some((2, "title = <b>".into())),
            help: Some("a & b".into()),
        }]);
        assert!(!html.contains("<script>"));
        assert!(html.contains("content/&lt;x&gt;.md:2"));
        assert!(html.contains("bad &quot;value&quot; &lt;script&gt;"));
        assert!(html.contains("title = &lt;b&gt;"));
        assert!(html.contains("a &amp; b"));
    }
}
