//! A fact file: any text loads or is an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let files = vec![(
            std::path::PathBuf::from("content/facts/f.toml"),
            text.to_string(),
        )];
        let report = senda::diag::Report::default();
        let _ = senda::facts::load(&files, &["en".to_string(), "es".to_string()], &report);
    }
});
