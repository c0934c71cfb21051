//! A page's whole file (front matter and body) through the whole build.
#![no_main]

#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::build_with(&[("content/guide/page.md", data)]);
});
