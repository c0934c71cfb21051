//! An interface-string file (`i18n/es.ftl`) through the whole build.
#![no_main]

#[path = "../common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(site) = common::build_with(&[("i18n/es.ftl", data)]) {
        common::assert_safe(&site);
    }
});
