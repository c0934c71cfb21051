//! SVG drawings, checked and written again: anything that could run code or reach another
//! website is refused with its line; editor data (Inkscape's names and paths, `<metadata>`,
//! comments) is left out.

use std::fmt::Write as _;

use roxmltree::{Document, Node, NodeType, ParsingOptions};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A drawing senda may publish: its cleaned text and its size in CSS pixels.
#[derive(Debug)]
pub(crate) struct Clean {
    pub(crate) text: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// A reason to refuse a drawing: the line and what is wrong.
pub(crate) type Refusal = (usize, String);

/// Checks an SVG file and writes it again with only SVG elements and plain attributes.
pub(crate) fn clean(text: &str) -> Result<Clean, Refusal> {
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        (
            e.pos().row as usize,
            format!("this drawing is not well-formed SVG: {e}"),
        )
    })?;
    let line = |pos: usize| doc.text_pos_at(pos).row as usize;
    let root = doc.root_element();
    if root.tag_name().namespace() != Some(SVG_NS) || root.tag_name().name() != "svg" {
        return Err((
            line(root.range().start),
            "this file is not an SVG drawing (its first element must be <svg xmlns=\"http://www.w3.org/2000/svg\">)".into(),
        ));
    }
    let mut out = String::with_capacity(text.len());
    let mut xlink = false;
    write_element(root, &mut out, &mut xlink, &line)?;
    if xlink {
        out = out.replacen("<svg", &format!("<svg xmlns:xlink=\"{XLINK_NS}\""), 1);
    }
    let (width, height) = size(root);
    Ok(Clean {
        text: out.replacen("<svg", &format!("<svg xmlns=\"{SVG_NS}\""), 1),
        width,
        height,
    })
}

fn write_element(
    node: Node<'_, '_>,
    out: &mut String,
    xlink: &mut bool,
    line: &dyn Fn(usize) -> usize,
) -> Result<(), Refusal> {
    let name = node.tag_name().name();
    let at = line(node.range().start);
    match (node.tag_name().namespace(), name) {
        (Some(SVG_NS), "script") => {
            return Err((at, "this drawing contains a <script>".into()));
        }
        (Some(SVG_NS), "foreignObject") => {
            return Err((
                at,
                "this drawing contains a <foreignObject> (HTML inside SVG)".into(),
            ));
        }
        (Some(SVG_NS), "metadata") => return Ok(()),
        (Some(SVG_NS), _) => {}
        // Another vocabulary (Inkscape's, HTML): editor data, or content a phone must not get.
        (Some(ns), _) if ns.contains("inkscape") || ns.contains("sodipodi") => return Ok(()),
        _ => {
            return Err((
                at,
                format!("this drawing contains <{name}>, which is not SVG"),
            ));
        }
    }
    let _ = write!(out, "<{name}");
    for attribute in node.attributes() {
        let (ns, key, value) = (attribute.namespace(), attribute.name(), attribute.value());
        let at = line(attribute.range().start);
        if key.to_ascii_lowercase().starts_with("on") && ns.is_none() {
            return Err((
                at,
                format!("this drawing has an event handler `{key}`, which runs code"),
            ));
        }
        let lower = value.to_ascii_lowercase();
        if lower.contains("javascript:") {
            return Err((at, format!("the attribute `{key}` runs code")));
        }
        if key == "href" && !value.starts_with('#') && !lower.starts_with("data:image/") {
            return Err((at, format!("`href=\"{value}\"` points outside the drawing")));
        }
        if outside_url(&lower) {
            return Err((
                at,
                format!("the attribute `{key}` loads something from outside the drawing"),
            ));
        }
        let prefix = match ns {
            None => "",
            Some(XLINK_NS) => {
                *xlink = true;
                "xlink:"
            }
            Some(XML_NS) => "xml:",
            Some(_) => continue,
        };
        let _ = write!(out, " {prefix}{key}=\"{}\"", escape(value, true));
    }
    out.push('>');
    for child in node.children() {
        match child.node_type() {
            NodeType::Element => write_element(child, out, xlink, line)?,
            NodeType::Text => {
                let text = child.text().unwrap_or_default();
                if name == "style"
                    && (outside_url(&text.to_ascii_lowercase()) || text.contains("@import"))
                {
                    return Err((
                        line(child.range().start),
                        "this style loads something from outside the drawing".into(),
                    ));
                }
                out.push_str(&escape(text, false));
            }
            _ => {}
        }
    }
    let _ = write!(out, "</{name}>");
    Ok(())
}

/// `url(…)` that is not a reference inside the drawing (`url(#gradient)`).
fn outside_url(lower: &str) -> bool {
    lower.match_indices("url(").any(|(i, _)| {
        let rest = lower[i + 4..].trim_start_matches([' ', '\'', '"']);
        !rest.starts_with('#')
    })
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// The drawing's size: `width` and `height` in pixels, else its `viewBox`, else the size
/// browsers give an SVG without one (300 × 150).
fn size(root: Node<'_, '_>) -> (u32, u32) {
    let px = |name: &str| {
        root.attribute(name)
            .map(|v| v.trim().trim_end_matches("px"))
            .and_then(|v| v.parse::<f64>().ok())
    };
    let view_box: Option<Vec<f64>> = root.attribute("viewBox").map(|v| {
        v.split([' ', ','])
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect()
    });
    let (w, h) = match (px("width"), px("height"), view_box.as_deref()) {
        (Some(w), Some(h), _) => (w, h),
        (_, _, Some([_, _, w, h])) => (*w, *h),
        _ => (300.0, 150.0),
    };
    (w.round().max(1.0) as u32, h.round().max(1.0) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clean_drawing_keeps_its_shapes_and_loses_editor_data() {
        let text = "<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" viewBox=\"0 0 320 160\" inkscape:export-filename=\"/home/maria/map.png\">\n<metadata>Maria, Tapachula</metadata>\n<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"url(#g)\"/><text>A &amp; B</text></svg>\n";
        let clean = clean(text).unwrap();
        assert_eq!((clean.width, clean.height), (320, 160));
        assert!(
            !clean.text.contains("maria") && !clean.text.contains("Maria"),
            "{}",
            clean.text
        );
        assert!(!clean.text.contains("made by hand"));
        assert!(
            clean
                .text
                .starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox"),
            "{}",
            clean.text
        );
        assert!(
            clean.text.contains("<text>A &amp; B</text>"),
            "{}",
            clean.text
        );
    }

    #[test]
    fn code_and_outside_references_are_refused_at_their_line() {
        let head = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n";
        for (body, needle) in [
            ("<script>alert(1)</script>", "<script>"),
            ("<rect onload=\"x()\"/>", "onload"),
            ("<image href=\"https://evil.example/t.png\"/>", "outside"),
            ("<foreignObject><p>x</p></foreignObject>", "foreignObject"),
            (
                "<style>rect { fill: url(https://evil.example/) }</style>",
                "outside",
            ),
        ] {
            let (line, message) = clean(&format!("{head}{body}</svg>")).unwrap_err();
            assert_eq!(line, 2, "{message}");
            assert!(message.contains(needle), "{message}");
        }
        let (line, _) = clean("<!DOCTYPE svg [<!ENTITY x \"y\">]>\n<svg/>").unwrap_err();
        assert_eq!(line, 1);
    }
}
