//! HTML escaping, for the few places that write HTML by hand (tables, the guide's chapters,
//! the serve error overlay, template output, the sitemap).

/// Escapes text for HTML element content and quoted attribute values (and XML).
pub(crate) fn escape(text: &str) -> String {
    // Most values (every URL, title and string a template prints) have nothing to escape.
    let special = |b: &u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    let Some(first) = text.as_bytes().iter().position(special) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes a token of html5gum's tokenizer back as HTML: a start tag with the attributes that
/// `value` keeps (given a name and a value, it returns the value to write, or `None` to leave
/// the attribute out), an end tag, or text. Comments and doctypes are left out.
pub(crate) fn write_token(
    out: &mut String,
    token: &html5gum::Token,
    mut value: impl FnMut(&str, &str) -> Option<String>,
) {
    match token {
        html5gum::Token::StartTag(tag) => {
            out.push('<');
            out.push_str(&String::from_utf8_lossy(&tag.name));
            for (key, raw) in &tag.attributes {
                let key = String::from_utf8_lossy(key);
                if let Some(kept) = value(&key, &String::from_utf8_lossy(raw)) {
                    out.push_str(&format!(" {key}=\"{}\"", escape(&kept)));
                }
            }
            out.push('>');
        }
        html5gum::Token::EndTag(tag) => {
            out.push_str("</");
            out.push_str(&String::from_utf8_lossy(&tag.name));
            out.push('>');
        }
        html5gum::Token::String(text) => out.push_str(&escape(&String::from_utf8_lossy(text))),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_the_five_characters() {
        assert_eq!(
            super::escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
        assert_eq!(super::escape("/es/guía/"), "/es/guía/");
    }

    #[test]
    fn tokens_are_written_back_with_the_attributes_kept() {
        let mut out = String::new();
        for token in
            html5gum::Tokenizer::new("<a href='x' onclick=y>Tom & Jerry</a><!-- c -->").flatten()
        {
            super::write_token(&mut out, &token, |key, value| {
                (key != "onclick").then(|| format!("/{value}"))
            });
        }
        assert_eq!(out, "<a href=\"/x\">Tom &amp; Jerry</a>");
    }
}
