//! Events to HTML: compactly for a minified site, or in pulldown-cmark's own layout.

use std::cell::Cell;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Writes events as HTML, compactly: pulldown-cmark puts a line break after every block,
/// which a minifier would only remove again. Running minify-html over every page's body was
/// a fifth of a large build; writing it compact in the first place costs nothing.
///
/// Line breaks are dropped from everything pulldown-cmark writes except code blocks and raw
/// HTML, which are written as they are. That is safe because outside code blocks CommonMark
/// text holds no line break: the break between two lines of a paragraph is a `SoftBreak`
/// event, written here as the space it means.
///
/// Without `compact`, pulldown-cmark's own layout is kept.
///
/// `marks`, when given, receives where each event's HTML begins, and the end.
pub(crate) fn write_html<'a>(
    events: impl Iterator<Item = Event<'a>>,
    size_hint: usize,
    compact: bool,
    mut marks: Option<&mut Vec<usize>>,
) -> String {
    /// The output; drops line breaks unless `verbatim` is set. Bytes, not `fmt::Write`:
    /// pulldown-cmark's `fmt` writer checks every small piece it writes for UTF-8.
    struct Compact<'s> {
        out: &'s mut Vec<u8>,
        verbatim: &'s Cell<bool>,
        /// The length of `out`, for `marks`.
        written: &'s Cell<usize>,
    }
    impl std::io::Write for Compact<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.verbatim.get() || !bytes.contains(&b'\n') {
                self.out.extend_from_slice(bytes);
            } else {
                for part in bytes.split(|&b| b == b'\n') {
                    self.out.extend_from_slice(part);
                }
            }
            self.written.set(self.out.len());
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut html = Vec::with_capacity(size_hint * 3 / 2);
    let verbatim = Cell::new(!compact);
    let written = Cell::new(0);
    let mut in_code = false;
    // The writer asks for the next event only when it has written the previous one, so the
    // flag set here holds while the event it describes is written, and the length of the
    // output is where the event's HTML begins.
    let events = events.map(|event| {
        if let Some(marks) = marks.as_deref_mut() {
            marks.push(written.get());
        }
        if !compact {
            return event;
        }
        let (event, keep) = match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                (event, false)
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                (event, false)
            }
            Event::Text(_) if in_code => (event, true),
            Event::Html(_) | Event::InlineHtml(_) => (event, true),
            Event::SoftBreak => (Event::Text(CowStr::Borrowed(" ")), false),
            Event::Text(text) if text.contains('\n') => {
                (Event::Text(text.replace('\n', " ").into()), false)
            }
            other => (other, false),
        };
        verbatim.set(keep);
        event
    });
    let writer = Compact {
        out: &mut html,
        verbatim: &verbatim,
        written: &written,
    };
    // Writing into memory cannot fail.
    let _ = pulldown_cmark::html::write_html_io(writer, events);
    if let Some(marks) = marks {
        marks.push(html.len());
    }
    // Every piece was a `str`, and only whole `\n` bytes were dropped: this is UTF-8.
    String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
