//! A small site made from the input: NUL bytes split it into files that replace, in turn, a
//! page, its translation, a fact file, a glossary entry, the Spanish strings and `site.toml`.
#![no_main]

#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

const FILES: [&str; 6] = [
    "content/guide/page.md",
    "content/guide/page.es.md",
    "content/facts/f.toml",
    "content/glossary/term.md",
    "i18n/es.ftl",
    "site.toml",
];

fuzz_target!(|data: &[u8]| {
    let files: Vec<(&str, &[u8])> = data
        .split(|&b| b == 0)
        .zip(FILES)
        .map(|(d, f)| (f, d))
        .collect();
    if let Some(site) = common::build_with(&files) {
        common::assert_safe(&site);
    }
});
