//! The preview's HTTP/1.1 server: std's `TcpListener`, `httparse` for the request head, a
//! thread per connection up to a bound.
//!
//! Written here rather than taken from a library: `tiny_http` (used before) could not turn
//! Nagle's algorithm off, nor bound its threads or the size of a request head; hyper and axum
//! bring an async runtime to a program that is synchronous from end to end. What a local
//! preview needs is small and all of it is in this file: limits on the head and on idle time,
//! a bounded number of connections, every response written in one piece with `TCP_NODELAY`,
//! only `GET` and `HEAD`, and a `Host` check against DNS rebinding.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::State;
use super::http::{self, Answer};

/// Longest request head (request line and headers) read; browsers send well under 2 KB.
pub(crate) const MAX_HEAD: usize = 16 * 1024;

/// Most headers in a request.
const MAX_HEADERS: usize = 64;

/// A connection that sends nothing for this long, or takes longer to send a request head, is
/// closed.
const IDLE: Duration = Duration::from_secs(10);

/// Most connections open at once (open pages' event streams included); more are answered
/// 503 and closed. A few tabs need a few dozen.
pub(crate) const MAX_CONNECTIONS: usize = 64;

/// The `Host` values a request may carry: the names of this server on this machine, so that a
/// web page elsewhere cannot read the preview through a name of its own that resolves to
/// 127.0.0.1 (DNS rebinding).
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    port: u16,
    interface: IpAddr,
}

impl Hosts {
    /// The hosts of a server listening on `interface`:`port`.
    pub(crate) fn new(interface: IpAddr, port: u16) -> Hosts {
        Hosts { port, interface }
    }

    /// `localhost`, `127.0.0.1` and `[::1]`, the interface asked for, or any address when
    /// listening on all of them (names stay refused: rebinding needs a name), each with the
    /// port (which may be left out only when it is 80).
    pub(crate) fn allows(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let port = format!(":{}", self.port);
        let name = match host.strip_suffix(&port) {
            Some(name) => name,
            None if self.port == 80 => host.as_str(),
            None => return false,
        };
        if name == "localhost" {
            return true;
        }
        let bare = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        let Ok(ip) = bare.parse::<IpAddr>() else {
            return false;
        };
        if ip.is_ipv6() != name.starts_with('[') {
            return false;
        }
        ip.is_loopback() || ip == self.interface || self.interface.is_unspecified()
    }
}

/// Accepts connections until the process ends, each on its own thread while there are fewer
/// than [`MAX_CONNECTIONS`].
pub(crate) fn run(listener: TcpListener, hosts: Hosts, state: Arc<State>) {
    let open = Arc::new(AtomicUsize::new(0));
    let hosts = Arc::new(hosts);
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let _ = stream.set_nodelay(true);
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let busy = Answer::text(503, "503 Service Unavailable: too many connections\n");
            let _ = stream.write_all(&busy.to_bytes(false, false));
            continue;
        }
        let (open, hosts, state) = (Arc::clone(&open), Arc::clone(&hosts), Arc::clone(&state));
        std::thread::spawn(move || {
            connection(stream, &hosts, &state);
            open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// One request parsed from a head.
struct Request {
    method: String,
    target: String,
    keep_alive: bool,
}

/// Answers the requests of one connection, in order, until it closes, idles or errs.
fn connection(mut stream: TcpStream, hosts: &Hosts, state: &State) {
    let mut buffer = Vec::with_capacity(1024);
    loop {
        let (request, used) = match read_request(&mut stream, &mut buffer, hosts) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return,
            Err(refusal) => {
                let _ = stream.write_all(&refusal.to_bytes(false, false));
                return;
            }
        };
        buffer.drain(..used);
        if request.target.split('?').next() == Some(http::EVENTS) {
            http::events(stream, state);
            return;
        }
        let answer = http::answer(state, &request.method, &request.target);
        let head_only = request.method == "HEAD";
        let keep_alive = request.keep_alive && answer.status != 405;
        if stream
            .write_all(&answer.to_bytes(head_only, keep_alive))
            .is_err()
            || !keep_alive
        {
            return;
        }
    }
}

/// Reads the next request head. `Ok(None)` when the connection closed or idled; an answer to
/// send before closing when the request is refused.
fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    hosts: &Hosts,
) -> Result<Option<(Request, usize)>, Answer> {
    let deadline = Instant::now() + IDLE;
    let mut chunk = [0u8; 4096];
    loop {
        if !buffer.is_empty()
            && let Some(parsed) = parse(buffer, hosts)?
        {
            return Ok(Some(parsed));
        }
        if buffer.len() >= MAX_HEAD {
            return Err(Answer::text(
                431,
                "431 Request Header Fields Too Large: the request line and headers are over 16 KB\n",
            ));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Ok(None);
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Parses a complete head at the start of `buffer`; `Ok(None)` while it is incomplete.
fn parse(buffer: &[u8], hosts: &Hosts) -> Result<Option<(Request, usize)>, Answer> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let used = match parsed.parse(&buffer[..buffer.len().min(MAX_HEAD)]) {
        Ok(httparse::Status::Complete(used)) => used,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::Version) => {
            return Err(Answer::text(
                505,
                "505 HTTP Version Not Supported: this preview speaks HTTP/1.1\n",
            ));
        }
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Answer::text(431, "431 Request Header Fields Too Large\n"));
        }
        Err(_) => return Err(Answer::text(400, "400 Bad Request\n")),
    };
    let header = |name: &str| {
        parsed
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    if !header("host").is_some_and(|host| hosts.allows(&host)) {
        return Err(Answer::text(
            403,
            "403 Forbidden: open the preview as http://localhost or http://127.0.0.1 with its port\n",
        ));
    }
    // Requests with a body are not for a preview that only reads; refusing them keeps the
    // connection's framing simple.
    let has_body = header("transfer-encoding").is_some()
        || header("content-length").is_some_and(|l| l.trim() != "0");
    let method = parsed.method.unwrap_or_default().to_string();
    if has_body || !matches!(method.as_str(), "GET" | "HEAD") {
        return Err(Answer::text(
            405,
            "405 Method Not Allowed: this preview only reads\n",
        ));
    }
    let close = header("connection").is_some_and(|c| c.to_ascii_lowercase().contains("close"));
    Ok(Some((
        Request {
            method,
            target: parsed.path.unwrap_or("/").to_string(),
            keep_alive: parsed.version == Some(1) && !close,
        },
        used,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_of_this_machine_are_hosts() {
        let local = Hosts::new("127.0.0.1".parse().unwrap(), 1111);
        for ok in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "LOCALHOST:1111",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for refused in [
            "evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost",
            "localhost:2222",
            "127.0.0.1",
            "192.168.1.5:1111",
            "::1:1111",
            "",
        ] {
            assert!(!local.allows(refused), "{refused}");
        }
        let lan = Hosts::new("192.168.1.5".parse().unwrap(), 1111);
        assert!(lan.allows("192.168.1.5:1111"));
        assert!(!lan.allows("10.0.0.1:1111"));
        let all = Hosts::new("0.0.0.0".parse().unwrap(), 80);
        assert!(all.allows("10.0.0.1"));
        assert!(all.allows("10.0.0.1:80"));
        assert!(!all.allows("rebind.example"));
    }

    #[test]
    fn heads_are_parsed_or_refused() {
        let hosts = Hosts::new("127.0.0.1".parse().unwrap(), 80);
        let status = |raw: &[u8]| match parse(raw, &hosts) {
            Ok(Some(_)) => 200,
            Ok(None) => 0,
            Err(answer) => answer.status,
        };
        assert_eq!(status(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"), 200);
        assert_eq!(status(b"GET / HTTP/1.1\r\nHost: loc"), 0);
        assert_eq!(status(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505);
        assert_eq!(status(b"\x16\x03\x01\x02\x00\x01"), 400);
        assert_eq!(status(b"HELLO\r\n\r\n"), 400);
        assert_eq!(status(b"POST / HTTP/1.1\r\nHost: localhost\r\n\r\n"), 405);
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n"),
            405
        );
        assert_eq!(status(b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"), 403);
        assert_eq!(status(b"GET / HTTP/1.1\r\n\r\n"), 403);
    }
}
