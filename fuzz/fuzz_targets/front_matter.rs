//! A page's whole file (front matter and body) through the whole build, with TOML (`+++`) and
//! YAML (`---`) front matter alike. An input that starts with neither fence is taken as front
//! matter alone: its first byte chooses the fence (even: TOML, odd: YAML) and the rest goes
//! between the fences, above a short body, so that both parsers get their share.
#![no_main]

#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = if data.starts_with(b"+++") || data.starts_with(b"---") {
        data.to_vec()
    } else if let Some((&first, rest)) = data.split_first() {
        let fence: &[u8] = if first % 2 == 0 { b"+++\n" } else { b"---\n" };
        [fence, rest, b"\n", fence, b"Body of the page.\n"].concat()
    } else {
        return;
    };
    if let Some(site) = common::build_with(&[("content/guide/page.md", &page)]) {
        common::assert_safe(&site);
    }
});
