//! A page's Markdown body through the whole build (facts, tables, headings, links, glossary,
//! raw HTML, shortcodes): whatever it says, the HTML keeps the promise of the product (no
//! script, no event handler, no `javascript:` URL, nothing loaded from another host).
#![no_main]

#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut page = b"+++\ntitle = \"Fuzzed\"\n+++\n".to_vec();
    page.extend_from_slice(data);
    if let Some(site) = common::build_with(&[("content/guide/page.md", &page)]) {
        common::assert_safe(&site);
    }
});
