//! GitHub's alerts (`> [!NOTE]`, `> [!WARNING]`…): a styled note with a label in the page's
//! language, instead of a quote.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use super::Env;

/// Turns the quotes that pulldown-cmark marks as alerts into notes.
pub(crate) fn alerts<'a, R>(
    events: impl Iterator<Item = (Event<'a>, R)>,
    env: &Env<'_>,
) -> impl Iterator<Item = (Event<'a>, R)> {
    let newline = if env.compact { "" } else { "\n" };
    events.map(move |(event, range)| match event {
        Event::Start(Tag::BlockQuote(Some(kind))) => (Event::Html(start(kind, env).into()), range),
        Event::End(TagEnd::BlockQuote(Some(_))) => {
            (Event::Html(CowStr::from(format!("</div>{newline}"))), range)
        }
        other => (other, range),
    })
}

/// The opening of a note: its class and its label in the page's language.
fn start(kind: BlockQuoteKind, env: &Env<'_>) -> String {
    let (class, key, english) = match kind {
        BlockQuoteKind::Note => ("note", "alert-note", "Note"),
        BlockQuoteKind::Tip => ("tip", "alert-tip", "Tip"),
        BlockQuoteKind::Important => ("important", "alert-important", "Important"),
        BlockQuoteKind::Warning => ("warning", "alert-warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "alert-caution", "Caution"),
    };
    let label = env
        .strings
        .map_or_else(|| english.to_string(), |s| s.get(env.lang, key, &[]));
    let newline = if env.compact { "" } else { "\n" };
    format!(
        "<div class=\"alert alert-{class}\" role=\"note\">{newline}<p class=\"alert-title\">{}</p>{newline}",
        crate::html::escape(&label)
    )
}
