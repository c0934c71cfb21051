//! Interface strings (`i18n/<lang>.ftl`, Fluent): menus, labels, notices, with plural rules.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Once;

use anyhow::{Result, anyhow};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use crate::config::Config;
use crate::diag::{Diagnostic, Report};
use crate::theme::SourceFile;

/// The interface strings of every language of the site.
pub struct Strings {
    bundles: BTreeMap<String, FluentBundle<FluentResource>>,
    default: String,
}

impl std::fmt::Debug for Strings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strings")
            .field("languages", &self.bundles.keys())
            .finish()
    }
}

/// The interface strings that name a generated page's address (`sources`, `guide`): each is
/// one URL segment, checked like a page's `slug`.
pub(crate) const SLUG_KEYS: [&str; 3] = ["slug-sources", "slug-guide", "slug-flyer"];

/// Loads `<lang>.ftl` for every language from `files` (the site's `i18n/` over the embedded
/// ones). A language without a file, or a key missing in one language, is a warning: the
/// default language's string is used instead. A file that does not parse is an error in
/// `report`, at the entry's line; its language gets no strings of its own meanwhile, so that
/// the rest of the site is still checked.
pub(crate) fn load(
    config: &Config,
    files: &BTreeMap<String, SourceFile>,
    report: &Report,
) -> Result<Strings> {
    let mut bundles = BTreeMap::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for language in &config.languages {
        let name = format!("{}.ftl", language.code);
        let langid: LanguageIdentifier = language
            .locale
            .parse()
            .or_else(|_| language.code.parse())
            .map_err(|_| anyhow!("site.toml: `{}` is not a valid locale", language.locale))?;
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Isolation marks are invisible characters that confuse copy-paste and text browsers;
        // our arguments are numbers and short names, so they are not needed.
        bundle.set_use_isolating(false);
        let Some(file) = files.get(&name) else {
            report.warn(
                Diagnostic::new(
                    &PathBuf::from("i18n").join(&name),
                    0,
                    format!(
                        "no interface strings for `{}`: menus and notices will be in {}",
                        language.code,
                        config.default_language().name
                    ),
                )
                .help(format!(
                    "copy i18n/{}.ftl to i18n/{name} and translate the text after each `=`",
                    config.default_language().code
                )),
            );
            continue;
        };
        if let Some((resource, text)) = parse(file, report) {
            let keys = resource
                .entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                })
                .collect();
            if let Err(errors) = bundle.add_resource(resource) {
                for error in errors {
                    report_twice_defined(&file.path, &text, &error, report);
                }
            }
            check_slugs(&bundle, &file.path, &text, report);
            ids.insert(language.code.clone(), keys);
        }
        bundles.insert(language.code.clone(), bundle);
    }
    let default = config.default_language().code.clone();
    if !bundles.contains_key(&default) {
        return Err(anyhow!(
            "no interface strings for the default language: add i18n/{default}.ftl"
        ));
    }
    let default_ids = ids.get(&default).cloned().unwrap_or_default();
    for (lang, keys) in &ids {
        for missing in default_ids.difference(keys) {
            report.warn(
                Diagnostic::new(
                    &PathBuf::from("i18n").join(format!("{lang}.ftl")),
                    0,
                    format!("key `{missing}` is missing; the {default} text is used"),
                )
                .help(format!(
                    "add `{missing} = …` translated from i18n/{default}.ftl"
                )),
            );
        }
    }
    Ok(Strings { bundles, default })
}

/// Parses one `.ftl` file; every problem goes to `report`, at the line of the entry it is in.
/// `None` when nothing of it can be used.
fn parse(file: &SourceFile, report: &Report) -> Option<(FluentResource, String)> {
    let Ok(text) = String::from_utf8(file.bytes.clone()) else {
        report.error(
            Diagnostic::new(&file.path, 0, "this file is not UTF-8 text")
                .help("save it as UTF-8 in your editor (often: Save As, Encoding: UTF-8)"),
        );
        return None;
    };
    let Some(parsed) = parse_guarded(&text) else {
        let line = first_panicking_line(&text);
        report.error(
            Diagnostic::new(&file.path, line, "not valid Fluent: the text cannot be read here")
                .help("check the escapes on this line: \\u is followed by 4 hex digits (\\u00E9), \\U by 6")
                .with_source(&text),
        );
        return None;
    };
    match parsed {
        Ok(resource) => Some((resource, text)),
        Err((resource, errors)) => {
            for error in errors {
                let start = error.slice.as_ref().map_or(error.pos.start, |s| s.start);
                report.error(
                    Diagnostic::at(
                        &file.path,
                        &text,
                        entry_start(&text, start),
                        format!("not valid Fluent: {}", error.kind),
                    )
                    .help("each line is `key = text`; a continued line starts with spaces"),
                );
            }
            // The entries that parsed are still checked, so every problem shows at once.
            Some((resource, text))
        }
    }
}

type Parsed = Result<FluentResource, (FluentResource, Vec<fluent_syntax::parser::ParserError>)>;

/// [`FluentResource::try_new`], with a panic caught. fluent-syntax 0.12 panics on some broken
/// input (a `\u` escape cut short by a non-ASCII character slices a string inside that
/// character: an open upstream bug). A translator's typo must give a message with a line, not
/// a crash, and this is the one place senda calls the parser, so the panic is caught here.
fn parse_guarded(text: &str) -> Option<Parsed> {
    let text = text.to_owned();
    quietly(move || FluentResource::try_new(text))
}

/// Runs `f`; a panic in it gives `None` and prints nothing (the caller reports it as a
/// problem of the input). The panic hook stays silent only on this thread, only meanwhile.
fn quietly<R>(f: impl FnOnce() -> R + std::panic::UnwindSafe) -> Option<R> {
    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let result = std::panic::catch_unwind(f);
    QUIET.with(|quiet| quiet.set(false));
    result.ok()
}

/// The 1-based line at which `text` first makes the parser panic: the shortest run of whole
/// lines that does. Only called once a panic happened, so it costs nothing on good files.
fn first_panicking_line(text: &str) -> usize {
    let mut end = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        end += line.len();
        if parse_guarded(&text[..end]).is_none() {
            return i + 1;
        }
    }
    0
}

/// Where the entry that holds byte `offset` starts: the parser's slice of a broken entry
/// begins after the previous entry, blank lines included.
fn entry_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    offset + text[offset..].len() - text[offset..].trim_start().len()
}

/// A key defined twice in one file.
fn report_twice_defined(file: &Path, text: &str, error: &FluentError, report: &Report) {
    let FluentError::Overriding { id, .. } = error else {
        report.error(Diagnostic::new(file, 0, format!("{error:?}")));
        return;
    };
    report.error(
        Diagnostic::new(
            file,
            last_key_line(text, id),
            format!("the key `{id}` is defined twice"),
        )
        .help("keep one of the two lines; delete the other")
        .with_source(text),
    );
}

/// A generated page's slug from the interface strings must be a URL segment, as a page's is.
fn check_slugs(bundle: &FluentBundle<FluentResource>, file: &Path, text: &str, report: &Report) {
    for key in SLUG_KEYS {
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let slug = bundle.format_pattern(pattern, None, &mut Vec::new());
        if let Some(problem) = crate::content::slug_problem(&slug).or_else(|| {
            slug.is_empty()
                .then(|| "the address of a generated page cannot be empty".to_string())
        }) {
            report.error(
                Diagnostic::new(file, crate::diag::key_line(text, key), problem)
                    .help(format!(
                        "`{key}` is a web address segment: lowercase letters, digits and hyphens ({key} = whole-guide)"
                    ))
                    .with_source(text),
            );
        }
    }
}

/// The line of the last `key = …` in `text`.
fn last_key_line(text: &str, key: &str) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| crate::diag::is_key_line(l, key))
        .last()
        .map_or(0, |(i, _)| i + 1)
}

impl Strings {
    /// The string `key` in `lang` with `args`, falling back to the default language and then
    /// to the key itself (so a typo in a template shows on the page instead of crashing).
    pub fn get(&self, lang: &str, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let fluent_args = (!args.is_empty()).then(|| {
            let mut a = FluentArgs::new();
            for (name, value) in args {
                a.set(*name, value.clone());
            }
            a
        });
        for code in [lang, self.default.as_str()] {
            let Some(bundle) = self.bundles.get(code) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, fluent_args.as_ref(), &mut errors)
                .into_owned();
        }
        key.to_string()
    }

    /// Whether `lang` has interface strings of its own.
    pub fn has_language(&self, lang: &str) -> bool {
        self.bundles.contains_key(lang)
    }
}
