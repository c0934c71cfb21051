//! Interface strings (`i18n/<lang>.ftl`, Fluent): menus, labels, notices, with plural rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
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

/// Loads `<lang>.ftl` for every language from `files` (the site's `i18n/` over the embedded
/// ones). A language without a file, or a key missing in one language, is a warning: the
/// default language's string is used instead.
pub fn load(
    config: &Config,
    files: &BTreeMap<String, SourceFile>,
    report: &Report,
) -> Result<Strings> {
    let mut bundles = BTreeMap::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for language in &config.languages {
        let name = format!("{}.ftl", language.code);
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
        let text = String::from_utf8(file.bytes.clone()).map_err(|_| {
            anyhow!(
                "`{}` is not UTF-8 text: save it as UTF-8",
                file.path.display()
            )
        })?;
        let resource = FluentResource::try_new(text.clone()).map_err(|(_, errors)| {
            let first = &errors[0];
            let line = crate::diag::line_of(&text, first.pos.start);
            anyhow!(
                "{}",
                Diagnostic::new(
                    &file.path,
                    line,
                    format!("not valid Fluent: {:?}", first.kind)
                )
                .help("each line is `key = text`; a continued line starts with spaces")
                .with_source(&text)
            )
        })?;
        let langid: LanguageIdentifier = language
            .locale
            .parse()
            .or_else(|_| language.code.parse())
            .map_err(|_| anyhow!("site.toml: `{}` is not a valid locale", language.locale))?;
        let mut bundle = FluentBundle::new_concurrent(vec![langid]);
        // Isolation marks are invisible characters that confuse copy-paste and text browsers;
        // our arguments are numbers and short names, so they are not needed.
        bundle.set_use_isolating(false);
        let keys = resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        bundle
            .add_resource(resource)
            .map_err(|e| anyhow!("`{}`: a key is defined twice: {e:?}", file.path.display()))?;
        ids.insert(language.code.clone(), keys);
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
