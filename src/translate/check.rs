//! `senda check`: the build's checks (in memory, nothing written), then every internal link
//! and anchor of the generated HTML, then missing, stale and draft translations as warnings.
//!
//! JSON shape (`--format json`):
//! `{"errors": [{"file", "line", "message", "help"}], "warnings": [...], "summary": {"errors",
//! "warnings", "pages", "files", "links_checked", "strict", "passed"}}`. `file` is relative to
//! the site folder (an output path such as `es/fuentes/index.html` for generated pages that
//! have no source file; empty for problems of the whole site); `line` is 1-based, 0 when the
//! whole file is concerned; `help` may be null.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde_json::json;

use super::coverage::coverage;
use crate::config::Config;
use crate::diag::{Diagnostic, Errors, Report};

/// Everything `senda check` found.
#[derive(Debug, Default)]
pub struct CheckOutput {
    /// Problems that stop a build.
    pub errors: Vec<Diagnostic>,
    /// Problems worth fixing that do not stop a build.
    pub warnings: Vec<Diagnostic>,
    /// Pages built (0 when the build failed).
    pub pages: usize,
    /// Files the build would write.
    pub files: usize,
    /// Internal links and anchors checked in the HTML.
    pub links_checked: usize,
}

/// Runs every check on the site in `root`. Writes nothing.
pub fn check_site(root: &Path) -> Result<CheckOutput> {
    let mut out = CheckOutput::default();
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(e) => {
            out.errors.push(to_diagnostics(&e).remove(0));
            return Ok(out);
        }
    };
    let report = Report::default();
    match crate::build(&config, &crate::BuildOptions::default(), &report) {
        Ok(site) => {
            out.pages = site.pages.values().sum();
            out.files = site.files.len();
            let (errors, checked) = crate::links::check(&config, &site);
            out.errors.extend(errors);
            out.links_checked = checked;
        }
        Err(e) => out.errors.extend(to_diagnostics(&e)),
    }
    out.warnings = report.warnings();
    // When the content does not load, the build's errors already say why.
    if let Ok(coverage) = coverage(&config, None) {
        out.warnings
            .extend(translation_warnings(&config, &coverage));
    }
    Ok(out)
}

/// The diagnostics inside a build error: a list of them, one, or a plain message.
fn to_diagnostics(e: &anyhow::Error) -> Vec<Diagnostic> {
    if let Some(errors) = e.downcast_ref::<Errors>() {
        return errors.0.clone();
    }
    if let Some(d) = e.downcast_ref::<Diagnostic>() {
        return vec![d.clone()];
    }
    vec![Diagnostic::new(Path::new(""), 0, format!("{e:#}"))]
}

fn translation_warnings(config: &Config, coverage: &super::Coverage) -> Vec<Diagnostic> {
    let default = &config.default_language().name;
    let mut out = Vec::new();
    for l in &coverage.languages {
        let (code, name) = (&l.code, &l.name);
        for item in &l.missing {
            let readers = if config.fallback {
                format!("readers of the {name} site see this page in {default}, with a notice")
            } else {
                format!("the {name} site leaves this page out (fallback = false in site.toml)")
            };
            out.push(
                Diagnostic::new(
                    Path::new(&item.source),
                    0,
                    format!("no {name} ({code}) translation yet: {readers}"),
                )
                .help(format!(
                    "to start one, run: senda translate {} --to {code}",
                    item.source
                )),
            );
        }
        for item in &l.stale {
            let (line, text) = key_line(config, &item.translation, "source_hash");
            out.push(
                Diagnostic::new(
                    Path::new(&item.translation),
                    line,
                    format!(
                        "the original {} changed after this translation was made",
                        item.source
                    ),
                )
                .help(format!(
                    "see what changed with: senda status --lang {code}; update the translation, then run: senda translate {} --to {code} --mark-current",
                    item.source
                ))
                .with_source(&text),
            );
        }
        for item in &l.draft {
            let (line, text) = key_line(config, &item.translation, "draft");
            out.push(
                Diagnostic::new(
                    Path::new(&item.translation),
                    line,
                    "this translation is a draft: readers see the original until it is published",
                )
                .help("when it is ready, delete the line `draft = true`")
                .with_source(&text),
            );
        }
    }
    out
}

/// Line of `key = …` in `file` (relative to the site folder), and the file's text.
fn key_line(config: &Config, file: &str, key: &str) -> (usize, String) {
    let text = std::fs::read_to_string(config.root.join(file)).unwrap_or_default();
    (crate::content::key_line(&text, key), text)
}

impl CheckOutput {
    /// Whether `check` fails: errors, or with `strict` warnings too.
    pub fn failed(&self, strict: bool) -> bool {
        !self.errors.is_empty() || (strict && !self.warnings.is_empty())
    }

    /// The report for people: each problem with file, line, message and what to do.
    pub fn to_text(&self, strict: bool) -> String {
        let mut out = String::new();
        for (label, list) in [("error", &self.errors), ("warning", &self.warnings)] {
            for d in list {
                if d.file.as_os_str().is_empty() {
                    let _ = writeln!(out, "{label}: {}", d.message);
                } else {
                    let _ = writeln!(out, "{label}: {d}");
                }
            }
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let _ = writeln!(
            out,
            "Checked {}, {}: {}, {}{}. Nothing was written.",
            plural(self.pages, "page"),
            plural(self.links_checked, "internal link"),
            plural(self.errors.len(), "error"),
            plural(self.warnings.len(), "warning"),
            if strict && !self.warnings.is_empty() {
                " (--strict: warnings count as errors)"
            } else {
                ""
            }
        );
        out
    }

    /// The report for programs (see the module's documentation for the shape).
    pub fn to_json(&self, strict: bool) -> serde_json::Value {
        let list = |ds: &[Diagnostic]| {
            ds.iter()
                .map(|d| {
                    json!({
                        "file": d.file.to_string_lossy().replace('\\', "/"),
                        "line": d.line,
                        "message": d.message,
                        "help": d.help,
                    })
                })
                .collect::<Vec<_>>()
        };
        json!({
            "errors": list(&self.errors),
            "warnings": list(&self.warnings),
            "summary": {
                "errors": self.errors.len(),
                "warnings": self.warnings.len(),
                "pages": self.pages,
                "files": self.files,
                "links_checked": self.links_checked,
                "strict": strict,
                "passed": !self.failed(strict),
            }
        })
    }
}
