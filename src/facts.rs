//! Fact files: parse and validate `content/**/*.toml`, and format facts and tables per locale.
//!
//! A fact file's stem is its namespace (`mexico.toml` holds `mexico.*`); each top-level table
//! is one fact, or a comparison table when it says `kind = "table"`. Every error names the file
//! and the line, and says what to write instead. Numbers and dates are formatted with ICU4X's
//! compiled CLDR data (see [`Formatter`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};
use fixed_decimal::Decimal as IcuDecimal;
use icu_calendar::Date as IcuDate;
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_decimal::DecimalFormatter;
use icu_decimal::options::DecimalFormatterOptions;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::Locale;
use jiff::civil::Date;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::Datetime;

use crate::diag::{Diagnostic, Report};

/// Every fact and table of the site, by full name (`"mexico.claims_2023"`).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Facts (single values), by full name.
    pub facts: BTreeMap<String, Fact>,
    /// Comparison tables (`kind = "table"`), by full name.
    pub tables: BTreeMap<String, Table>,
}

/// One fact: a value with its date and source.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Full name, `namespace.key` (`"mexico.claims_2023"`).
    pub name: String,
    /// The value, with its unit.
    pub value: Value,
    /// Date, source and where the fact was written.
    pub meta: Meta,
}

/// What every fact and table says about itself: when, from where, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// When the source stated the value.
    pub as_of: Date,
    /// Who stated it (shown at the foot of pages).
    pub source: String,
    /// Where the reader can check it.
    pub source_url: String,
    /// A short label per language; empty when the fact has none (always empty for tables).
    pub label: Texts,
    /// An optional note per language; empty when the fact has none.
    pub note: Texts,
    /// The fact file, as the user passed it.
    pub file: PathBuf,
    /// The 1-based line of the fact's `[name]` header (or key) in `file`.
    pub line: usize,
}

/// A fact's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer or decimal (`140000`, `0.5`), possibly a percent.
    Number(Number, Unit),
    /// A range `[low, high]` of two numbers, possibly a percent.
    Range(Number, Number, Unit),
    /// A calendar date (`2025-01-20`).
    Date(Date),
    /// A text per language.
    Text(Texts),
}

/// A number as written in the fact file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// `140000`
    Integer(i64),
    /// `0.5` (always finite)
    Decimal(f64),
}

/// The unit of a number or range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// A plain count or quantity.
    #[default]
    Plain,
    /// `unit = "percent"`: `30` means 30 %, formatted with the locale's percent pattern.
    Percent,
}

/// A text per language code (`"en"`, `"es"`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Texts(pub BTreeMap<String, String>);

impl Texts {
    /// The text in `lang`, if there is one.
    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    /// True when there is no text in any language (an optional label or note left out).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A comparison table: rows are features, columns the things compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Full name, `namespace.key` (`"comparison.us_mexico"`).
    pub name: String,
    /// Date, source and where the table was written.
    pub meta: Meta,
    /// The table's caption (required).
    pub caption: Texts,
    /// The top-left header cell, above the row labels; may be empty.
    pub corner: Texts,
    /// Column headings.
    pub columns: Vec<Texts>,
    /// The rows, each with exactly one cell per column.
    pub rows: Vec<Row>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row's heading.
    pub label: Texts,
    /// One cell per column.
    pub cells: Vec<Texts>,
}

/// Parses and validates fact files. Each problem goes to `report` at its file and line, and
/// the fact it is in is left out; the others are still checked.
///
/// `files` are (path shown to the user, file text); the file stem is the namespace.
/// `languages` are the site's language codes (the first is the default language); every text
/// must exist in each of them and in no other.
pub fn load(files: &[(PathBuf, String)], languages: &[String], report: &Report) -> Facts {
    let mut facts = Facts::default();
    let mut namespaces: BTreeMap<String, &Path> = BTreeMap::new();
    for (path, text) in files {
        let Some(namespace) = namespace(path, report) else {
            continue;
        };
        if let Some(first) = namespaces.insert(namespace.clone(), path) {
            report.error(
                Diagnostic::new(
                    path,
                    0,
                    format!(
                        "the fact files `{}` and `{}` both define the namespace `{namespace}`",
                        first.display(),
                        path.display()
                    ),
                )
                .help("rename one of them (the file name is the namespace)"),
            );
            continue;
        }
        let file = FactFile {
            path,
            text,
            namespace: &namespace,
            languages,
        };
        file.parse(&mut facts, report);
    }
    facts
}

/// The namespace of a fact file: its stem, which must be usable in `{{ fact ns.key }}`.
fn namespace(path: &Path, report: &Report) -> Option<String> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem.is_empty() || !stem.chars().all(is_name_char) {
        report.error(
            Diagnostic::new(
                path,
                0,
                "the name of a fact file is the namespace of its facts: it may hold only \
                 letters, digits, `_` and `-` (no dots or spaces)",
            )
            .help("rename the file"),
        );
        return None;
    }
    Some(stem.to_owned())
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// One fact file being parsed: everything an error message needs.
struct FactFile<'a> {
    path: &'a Path,
    text: &'a str,
    namespace: &'a str,
    languages: &'a [String],
}

/// A problem in one fact: it is left out, and the message is reported.
type Checked<T> = std::result::Result<T, Box<Diagnostic>>;

/// A text per language as written: `{ en = "…", es = "…" }`.
type WrittenTexts = BTreeMap<Spanned<String>, Spanned<String>>;

/// A fact as written. Serde checks what it can: which keys are allowed, which are required,
/// and their types; an error names the line. [`FactFile::fact`] checks the rest.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenFact {
    /// A number, a range, a date or a text per language: five shapes, each with its own
    /// advice when it is wrong, so they are told apart by hand.
    value: Spanned<toml::Value>,
    unit: Option<Spanned<String>>,
    as_of: Spanned<Datetime>,
    source: Spanned<String>,
    source_url: Spanned<String>,
    label: Option<Spanned<WrittenTexts>>,
    note: Option<Spanned<WrittenTexts>>,
    /// Checked before: a fact has none, or one that is not `"table"`.
    #[serde(rename = "kind")]
    _kind: Option<Spanned<String>>,
}

/// A comparison table as written (`kind = "table"`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenTable {
    #[serde(rename = "kind")]
    _kind: Spanned<String>,
    as_of: Spanned<Datetime>,
    source: Spanned<String>,
    source_url: Spanned<String>,
    note: Option<Spanned<WrittenTexts>>,
    caption: Spanned<WrittenTexts>,
    corner: Option<Spanned<WrittenTexts>>,
    columns: Spanned<Vec<Spanned<WrittenTexts>>>,
    rows: Spanned<Vec<Spanned<WrittenRow>>>,
}

/// One `[[name.rows]]` of a table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenRow {
    label: Spanned<WrittenTexts>,
    cells: Spanned<Vec<Spanned<WrittenTexts>>>,
}

impl FactFile<'_> {
    /// A problem at byte span `span` of the file: `message` says what is wrong, `help` what
    /// to write instead.
    fn error(
        &self,
        span: Range<usize>,
        message: String,
        help: impl Into<String>,
    ) -> Box<Diagnostic> {
        Box::new(Diagnostic::at(self.path, self.text, span.start, message).help(help))
    }

    fn parse(&self, out: &mut Facts, report: &Report) {
        let doc = match DeTable::parse(self.text) {
            Ok(doc) => doc,
            Err(e) => {
                report.error(Diagnostic::from_toml(self.path, self.text, 0, &e));
                return;
            }
        };
        for (key, value) in doc.get_ref().iter() {
            let name = format!("{}.{}", self.namespace, key.get_ref());
            if let Err(diagnostic) = self.entry(&name, key, value, out) {
                report.error(*diagnostic);
            }
        }
    }

    /// One top-level table: a fact or a comparison table.
    fn entry(
        &self,
        name: &str,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        out: &mut Facts,
    ) -> Checked<()> {
        if !key.get_ref().chars().all(is_name_char) {
            return Err(self.error(
                key.span(),
                format!(
                    "the fact name `{name}` has a character other than letters, digits, `_` and `-`"
                ),
                "rename it",
            ));
        }
        let DeValue::Table(table) = value.get_ref() else {
            return Err(self.error(
                key.span(),
                format!("`{name}` is not a fact: a fact file holds only tables, one per fact"),
                format!(
                    "write `[{}]` followed by `value = …`, `as_of = …`, …",
                    key.get_ref()
                ),
            ));
        };
        // Which of the two shapes to read: a fact has no `kind`.
        let is_table = match table.get("kind") {
            None => false,
            Some(kind) if kind.get_ref().as_str() == Some("table") => true,
            Some(kind) => {
                return Err(self.error(
                    kind.span(),
                    format!("fact `{name}` has an unknown `kind`"),
                    "the only kind is `kind = \"table\"`; leave `kind` out for a single value",
                ));
            }
        };
        let line = crate::diag::line_of(self.text, key.span().start);
        if is_table {
            let written = self.written("table", name, table, value)?;
            let table = self.table(name, &written, line)?;
            out.tables.insert(name.to_owned(), table);
        } else {
            let written = self.written("fact", name, table, value)?;
            let fact = self.fact(name, written, line)?;
            out.facts.insert(name.to_owned(), fact);
        }
        Ok(())
    }

    /// `value` read as `T` by serde; an error says which key, at its line, in words.
    fn written<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        name: &str,
        table: &DeTable<'_>,
        value: &Spanned<DeValue<'_>>,
    ) -> Checked<T> {
        use serde::de::IntoDeserializer as _;
        T::deserialize(value.clone().into_deserializer()).map_err(|e| {
            let span = e.span().unwrap_or_else(|| value.span());
            let message = e.message();
            // The top-level key the problem is in, and whether it is in a row of a table
            // (`[[name.rows]]` tables are written apart from the table's own keys).
            let at_key = table
                .iter()
                .find(|(k, v)| k.span().start == span.start || v.span().contains(&span.start));
            let key = at_key.map_or("", |(k, _)| k.get_ref().as_ref());
            let in_row = match at_key {
                // A list of rows cannot miss a key: a row can (and then, with one row, both
                // have the same place).
                Some((k, v)) => {
                    k.get_ref() == "rows"
                        && (v.span() != span || message.starts_with("missing field"))
                }
                None => span != value.span(),
            };
            let what = if in_row { "a row of table" } else { what };
            if let Some(missing) = quoted_after(message, "missing field ") {
                let example = self.example(missing);
                return self.error(
                    span,
                    format!("{what} `{name}` has no `{missing}`"),
                    format!("add `{missing} = {example}`"),
                );
            }
            if let Some(unknown) = quoted_after(message, "unknown field ") {
                let expected = message.split_once(", expected ").map_or("", |(_, e)| e);
                let known = expected.split('`').skip(1).step_by(2);
                let nearest = crate::diag::nearest(unknown, known)
                    .map(|known| format!("did you mean `{known}`? "))
                    .unwrap_or_default();
                return self.error(
                    span,
                    format!("unknown key `{unknown}` in {what} `{name}`"),
                    format!("{nearest}check its spelling; expected {expected}"),
                );
            }
            // A value of another type than the key takes: serde says what it found.
            let (needs, help) = self.type_advice(name, key);
            self.error(
                span,
                format!("{what} `{name}`: `{key}` {needs} ({message})"),
                help,
            )
        })
    }

    /// What `key` takes, for a value of another type, and how to write it.
    fn type_advice(&self, name: &str, key: &str) -> (&'static str, String) {
        match key {
            "value" => (
                "cannot be read",
                "use an integer up to 9223372036854775807, a decimal (0.5), a range \
                 ([30, 40]), a date (2025-01-20) or a text per language"
                    .to_string(),
            ),
            "as_of" => (
                "is not a date",
                "write a TOML date without quotes, `as_of = 2025-06-01`".to_string(),
            ),
            "columns" | "cells" => (
                "must be a list of texts",
                format!("write `{key} = [ {}, … ]`", self.example("label")),
            ),
            "rows" => (
                "must be a list of rows",
                format!(
                    "write each row `[[{}.rows]]` with `label` and `cells`",
                    short(name)
                ),
            ),
            "label" | "note" | "caption" | "corner" => (
                "needs one text per language",
                format!("write `{key} = {}`", self.example(key)),
            ),
            _ => (
                "must be a text",
                "write it in \"double quotes\"".to_string(),
            ),
        }
    }

    /// What to write for `key`, in a message that says to add it.
    fn example(&self, key: &str) -> String {
        let texts = format!("{{ {} }}", self.example_texts());
        match key {
            "as_of" => "2025-06-01".into(),
            "source" => "\"Who said it (year)\"".into(),
            "source_url" => "\"https://…\"".into(),
            "value" => "140000".into(),
            "columns" | "cells" => format!("[ {texts}, {texts} ]"),
            _ => texts,
        }
    }

    /// What a fact or table says about itself: when (`as_of`), who (`source`) and where to
    /// check (`source_url`), as written; its note.
    fn meta(
        &self,
        name: &str,
        line: usize,
        (as_of, source, source_url): (&Spanned<Datetime>, &Spanned<String>, &Spanned<String>),
        note: Option<&Spanned<WrittenTexts>>,
    ) -> Checked<Meta> {
        Ok(Meta {
            as_of: self.date(name, "as_of", as_of.get_ref(), as_of.span())?,
            source: self.string(name, "source", source)?,
            source_url: self.string(name, "source_url", source_url)?,
            label: Texts::default(),
            note: match note {
                Some(note) => self.written_texts(name, "note", note)?,
                None => Texts::default(),
            },
            file: self.path.to_path_buf(),
            line,
        })
    }

    fn fact(&self, name: &str, written: WrittenFact, line: usize) -> Checked<Fact> {
        let mut meta = self.meta(
            name,
            line,
            (&written.as_of, &written.source, &written.source_url),
            written.note.as_ref(),
        )?;
        if let Some(label) = &written.label {
            meta.label = self.written_texts(name, "label", label)?;
        }
        let unit = match &written.unit {
            None => Unit::Plain,
            Some(unit) if unit.get_ref() == "percent" => Unit::Percent,
            Some(unit) => {
                return Err(self.error(
                    unit.span(),
                    format!("fact `{name}` has an unknown `unit`"),
                    "the only unit is `unit = \"percent\"`; leave `unit` out for a plain number",
                ));
            }
        };
        let at = written.value.span();
        let value = match written.value.get_ref() {
            toml::Value::Integer(_) | toml::Value::Float(_) => {
                Value::Number(self.number(name, written.value.get_ref(), &at)?, unit)
            }
            toml::Value::Array(items) => {
                let [low, high] = items.as_slice() else {
                    return Err(self.error(
                        at,
                        format!("fact `{name}`: this range has {} items", items.len()),
                        "a range is two numbers, `value = [30, 40]`",
                    ));
                };
                let (low, high) = (self.number(name, low, &at)?, self.number(name, high, &at)?);
                if as_f64(low) > as_f64(high) {
                    return Err(self.error(
                        at,
                        format!("fact `{name}`: a range goes from low to high"),
                        "swap the two numbers",
                    ));
                }
                Value::Range(low, high, unit)
            }
            toml::Value::Datetime(date) => {
                Value::Date(self.date(name, "value", date, at.clone())?)
            }
            toml::Value::Table(texts) => Value::Text(
                self.texts(
                    name,
                    "value",
                    at.clone(),
                    texts
                        .iter()
                        .map(|(l, t)| (l.as_str(), at.clone(), t.as_str())),
                )?,
            ),
            toml::Value::String(_) => {
                return Err(self.error(
                    at,
                    format!("fact `{name}`: a text value needs one text per language"),
                    format!("write `value = {}`", self.example("label")),
                ));
            }
            toml::Value::Boolean(_) => {
                return Err(self.error(
                    at,
                    format!("fact `{name}`: `true`/`false` is not a supported value"),
                    "use an integer (140000), a decimal (0.5), a range ([30, 40]), a date \
                     (2025-01-20) or a text per language ({ en = \"…\" })",
                ));
            }
        };
        if unit == Unit::Percent && !matches!(value, Value::Number(..) | Value::Range(..)) {
            let at = written.unit.as_ref().map_or(at, Spanned::span);
            return Err(self.error(
                at,
                format!("fact `{name}`: `unit = \"percent\"` applies only to numbers and ranges"),
                "remove it",
            ));
        }
        Ok(Fact {
            name: name.to_owned(),
            value,
            meta,
        })
    }

    fn table(&self, name: &str, written: &WrittenTable, line: usize) -> Checked<Table> {
        let meta = self.meta(
            name,
            line,
            (&written.as_of, &written.source, &written.source_url),
            written.note.as_ref(),
        )?;
        let caption = self.written_texts(name, "caption", &written.caption)?;
        let corner = match &written.corner {
            Some(corner) => self.written_texts(name, "corner", corner)?,
            None => Texts::default(),
        };
        let columns = self.text_list(name, "columns", written.columns.get_ref())?;
        if columns.is_empty() {
            return Err(self.error(
                written.columns.span(),
                format!("table `{name}` has no columns"),
                format!("add at least one `{}`", self.example("label")),
            ));
        }
        let mut rows = Vec::with_capacity(written.rows.get_ref().len());
        for row in written.rows.get_ref() {
            let row = row.get_ref();
            let label = self.written_texts(name, "label", &row.label)?;
            let cells = self.text_list(name, "cells", row.cells.get_ref())?;
            if cells.len() != columns.len() {
                return Err(self.error(
                    row.cells.span(),
                    format!(
                        "table `{name}`: this row has {} cells but the table has {} columns",
                        cells.len(),
                        columns.len()
                    ),
                    "give every row one cell per column",
                ));
            }
            rows.push(Row { label, cells });
        }
        if rows.is_empty() {
            return Err(self.error(
                written.rows.span(),
                format!("table `{name}` has no rows"),
                format!("add `[[{}.rows]]` with `label` and `cells`", short(name)),
            ));
        }
        Ok(Table {
            name: name.to_owned(),
            meta,
            caption,
            corner,
            columns,
            rows,
        })
    }

    fn example_texts(&self) -> String {
        self.languages
            .iter()
            .map(|l| format!("{l} = \"…\""))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn text_list(
        &self,
        name: &str,
        key: &str,
        items: &[Spanned<WrittenTexts>],
    ) -> Checked<Vec<Texts>> {
        items
            .iter()
            .map(|item| self.written_texts(name, key, item))
            .collect()
    }

    fn written_texts(
        &self,
        name: &str,
        key: &str,
        texts: &Spanned<WrittenTexts>,
    ) -> Checked<Texts> {
        self.texts(
            name,
            key,
            texts.span(),
            texts
                .get_ref()
                .iter()
                .map(|(l, t)| (l.get_ref().as_str(), l.span(), Some(t.get_ref().as_str()))),
        )
    }

    /// A text per language at `at`, with exactly the site's languages: `entries` are each
    /// language code, where it is written, and its text (`None`: not a string).
    fn texts<'t>(
        &self,
        name: &str,
        key: &str,
        at: Range<usize>,
        entries: impl IntoIterator<Item = (&'t str, Range<usize>, Option<&'t str>)>,
    ) -> Checked<Texts> {
        let mut texts = BTreeMap::new();
        for (lang, lang_at, text) in entries {
            if !self.languages.iter().any(|l| l == lang) {
                return Err(self.error(
                    lang_at,
                    format!(
                        "fact `{name}` has a text in `{lang}`, which is not a language of the site"
                    ),
                    format!(
                        "use one of {}",
                        self.languages
                            .iter()
                            .map(|l| format!("`{l}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let Some(text) = text else {
                return Err(self.error(
                    lang_at,
                    format!("fact `{name}`: the `{lang}` text of `{key}` is not a string"),
                    "write it in \"double quotes\"",
                ));
            };
            texts.insert(lang.to_owned(), text.to_owned());
        }
        for lang in self.languages {
            if !texts.contains_key(lang) {
                return Err(self.error(
                    at,
                    format!("fact `{name}` has no text in `{lang}`"),
                    format!("add `{lang} = \"…\"` to `{key}`"),
                ));
            }
        }
        Ok(Texts(texts))
    }

    fn string(&self, name: &str, key: &str, value: &Spanned<String>) -> Checked<String> {
        if value.get_ref().trim().is_empty() {
            return Err(self.error(
                value.span(),
                format!("fact `{name}`: `{key}` must be a non-empty text"),
                "write it in \"double quotes\"",
            ));
        }
        Ok(value.get_ref().clone())
    }

    fn number(&self, name: &str, value: &toml::Value, at: &Range<usize>) -> Checked<Number> {
        match value {
            toml::Value::Integer(i) => Ok(Number::Integer(*i)),
            toml::Value::Float(x) if x.is_finite() => Ok(Number::Decimal(*x)),
            toml::Value::Float(x) => Err(self.error(
                at.clone(),
                format!("fact `{name}`: `{x}` is not a finite number"),
                "write a decimal such as 0.5",
            )),
            _ => Err(self.error(
                at.clone(),
                format!("fact `{name}`: this item of the range is not a number"),
                "a range is two numbers, `value = [30, 40]`",
            )),
        }
    }

    fn date(&self, name: &str, key: &str, dt: &Datetime, at: Range<usize>) -> Checked<Date> {
        let hint = format!("write a TOML date without quotes, `{key} = 2025-06-01`");
        let (Some(d), None, None) = (dt.date, dt.time, dt.offset) else {
            return Err(self.error(
                at,
                format!("fact `{name}`: `{key}` must be a date without a time"),
                hint,
            ));
        };
        Date::new(
            i16::try_from(d.year).unwrap_or(i16::MAX),
            i8::try_from(d.month).unwrap_or(i8::MAX),
            i8::try_from(d.day).unwrap_or(i8::MAX),
        )
        .map_err(|e| {
            self.error(
                at,
                format!("fact `{name}`: `{key}` is not a valid date ({e})"),
                hint,
            )
        })
    }
}

/// The name in backquotes after `prefix` in a serde message (`missing field `as_of``).
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

/// `comparison.us_mexico` -> `us_mexico`, as the file writes it.
fn short(name: &str) -> &str {
    name.split_once('.').map_or(name, |(_, key)| key)
}

fn as_f64(n: Number) -> f64 {
    match n {
        // Only used to compare; precision loss beyond 2^53 does not matter here.
        Number::Integer(i) => i as f64,
        Number::Decimal(x) => x,
    }
}

impl Facts {
    /// The fact called `name` (`"mexico.claims_2023"`), if any.
    pub fn lookup(&self, name: &str) -> Option<&Fact> {
        self.facts.get(name)
    }

    /// The table called `name` (`"comparison.us_mexico"`), if any.
    pub fn lookup_table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// What to do about an unknown fact name: the closest known name (facts and tables) when
    /// one is close, else how fact names are made. Used as the help line under the error.
    pub fn unknown_fact_message(&self, name: &str) -> String {
        let closest = self
            .facts
            .keys()
            .chain(self.tables.keys())
            .map(|known| (strsim::levenshtein(name, known), known))
            .min();
        match closest {
            Some((distance, known)) if distance <= (name.chars().count() / 3).max(2) => {
                format!("did you mean `{known}`?")
            }
            _ => "facts are written `file.key`: `file` is the name of a fact file under \
                  `content/` (without .toml) and `key` one of its `[key]` tables"
                .to_string(),
        }
    }
}

/// Facts and tables whose `as_of` is more than `review_days` days before `today`, by name.
/// A `review_days` too large for any calendar date makes nothing stale.
pub fn stale(facts: &Facts, today: Date, review_days: i64) -> Vec<(&str, &Meta)> {
    let cutoff = jiff::Span::new()
        .try_days(review_days)
        .and_then(|span| today.checked_sub(span));
    let Ok(cutoff) = cutoff else {
        return Vec::new();
    };
    let mut out: Vec<(&str, &Meta)> = facts
        .facts
        .iter()
        .map(|(name, fact)| (name.as_str(), &fact.meta))
        .chain(
            facts
                .tables
                .iter()
                .map(|(name, table)| (name.as_str(), &table.meta)),
        )
        .filter(|(_, meta)| meta.as_of < cutoff)
        .collect();
    out.sort_by_key(|(name, _)| *name);
    out
}

/// Formats numbers and dates for one locale (`"en-US"`, `"es-MX"`, `"es-ES"`) with ICU4X's
/// compiled CLDR data. Build one per language and share it between threads.
#[derive(Debug)]
pub struct Formatter {
    locale: String,
    decimal: DecimalFormatter,
    percent: PercentFormatter<DecimalFormatter>,
    date: DateTimeFormatter<YMD>,
    /// CLDR has no date patterns for this language (Haitian Creole, for one): ICU would fall
    /// back to the root pattern (`2026 M11 26`), so dates are written `2026-11-26` instead,
    /// which every reader can follow.
    iso_dates: bool,
}

impl Formatter {
    /// A formatter for `locale`, a BCP 47 tag. A well-formed locale without its own CLDR data
    /// falls back to its parent (`es-XY` formats like `es`), as ICU4X does.
    pub fn new(locale: &str) -> Result<Self> {
        let parsed: Locale = locale.parse().map_err(|e| {
            anyhow!("`{locale}` is not a valid locale ({e:?}): write a BCP 47 tag like `es-MX`")
        })?;
        let decimal =
            DecimalFormatter::try_new((&parsed).into(), DecimalFormatterOptions::default())
                .with_context(|| format!("loading number formats for locale `{locale}`"))?;
        let percent = PercentFormatter::try_new((&parsed).into(), Default::default())
            .with_context(|| format!("loading percent formats for locale `{locale}`"))?;
        let date = DateTimeFormatter::try_new((&parsed).into(), YMD::long())
            .with_context(|| format!("loading date formats for locale `{locale}`"))?;
        let root = DateTimeFormatter::try_new(Locale::UNKNOWN.into(), YMD::long())
            .with_context(|| "loading the root date format".to_string())?;
        let probe = IcuDate::try_new_iso(2025, 1, 20)
            .map_err(|e| anyhow!("cannot build a probe date: {e:?}"))?;
        let iso_dates = parsed.id.language != Locale::UNKNOWN.id.language
            && date.format(&probe).to_string() == root.format(&probe).to_string();
        Ok(Self {
            locale: locale.to_owned(),
            decimal,
            percent,
            date,
            iso_dates,
        })
    }

    /// The locale this formatter was built for, as given to [`Formatter::new`].
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// `value` for a reader of `lang`: numbers and dates per the locale, text in `lang`
    /// (empty if the fact has no text in `lang`, which [`load`] does not allow).
    pub fn value(&self, value: &Value, lang: &str) -> String {
        match value {
            Value::Number(n, Unit::Plain) => self.number(*n),
            Value::Number(n, Unit::Percent) => self.percent.format(&icu_decimal(*n)).to_string(),
            Value::Range(low, high, Unit::Plain) => {
                format!(
                    "{}{RANGE_SEPARATOR}{}",
                    self.number(*low),
                    self.number(*high)
                )
            }
            Value::Range(low, high, Unit::Percent) => self.percent_range(*low, *high),
            Value::Date(date) => self.date(*date),
            Value::Text(texts) => texts.get(lang).unwrap_or_default().to_owned(),
        }
    }

    /// A number with the locale's digits and separators (`140,000` / `140.000`).
    pub fn number(&self, n: Number) -> String {
        self.decimal.format(&icu_decimal(n)).to_string()
    }

    /// A date, long form (`January 20, 2025` / `20 de enero de 2025`).
    pub fn date(&self, date: Date) -> String {
        if self.iso_dates {
            return date.to_string();
        }
        match IcuDate::try_new_iso(i32::from(date.year()), date.month() as u8, date.day() as u8) {
            Ok(iso) => self.date.format(&iso).to_string(),
            // jiff and ICU4X agree on every ISO date jiff can hold; keep output total anyway.
            Err(_) => date.to_string(),
        }
    }

    /// `30–40%`: the locale's percent pattern around the whole range, so the sign and its
    /// spacing (`40 %` in es-ES) come from CLDR and appear once, as ICU's number-range
    /// formatter does when both ends share a unit.
    fn percent_range(&self, low: Number, high: Number) -> String {
        let high_number = self.number(high);
        let high_percent = self.percent.format(&icu_decimal(high)).to_string();
        let range = format!("{}{RANGE_SEPARATOR}{high_number}", self.number(low));
        match high_percent.find(&high_number) {
            Some(at) => {
                let mut out = String::with_capacity(high_percent.len() + range.len());
                out.push_str(&high_percent[..at]);
                out.push_str(&range);
                out.push_str(&high_percent[at + high_number.len()..]);
                out
            }
            None => format!(
                "{}{RANGE_SEPARATOR}{high_percent}",
                self.percent.format(&icu_decimal(low))
            ),
        }
    }
}

/// Between the two ends of a range. ICU4X 2 has no number-range data, so this is the en dash
/// (U+2013, no spaces) that `docs/formats.md` shows, for every language.
const RANGE_SEPARATOR: &str = "\u{2013}";

fn icu_decimal(n: Number) -> IcuDecimal {
    match n {
        Number::Integer(i) => IcuDecimal::from(i),
        // Rust prints the shortest string that reads back as the same f64, never in
        // exponent form, which is exactly what Decimal parses.
        Number::Decimal(x) => format!("{x}")
            .parse()
            .unwrap_or_else(|_| IcuDecimal::from(x as i64)),
    }
}

impl Table {
    /// The table as accessible HTML in `lang`: a `<table>` with `<caption>`, column headers
    /// (`<th scope="col">`) and row headers (`<th scope="row">`), inside a focusable,
    /// labelled `<div class="table-wrap">` that the theme lets scroll sideways on narrow
    /// screens. Each data cell carries `data-label` (its column heading) so a theme may stack
    /// rows instead. All text is HTML-escaped. `id_prefix` is prepended to the caption's id
    /// as to heading ids, when several pages share one HTML page (the one-page guide).
    pub fn to_html(&self, lang: &str, _fmt: &Formatter, id_prefix: Option<&str>) -> String {
        let text = |t: &Texts| crate::html::escape(t.get(lang).unwrap_or_default());
        let id = format!("table-{}", self.name.replace(['.', '_'], "-"));
        let id = match id_prefix {
            Some(prefix) => format!("{prefix}--{id}"),
            None => id,
        };
        let mut html = String::new();
        // `write!` to a String cannot fail.
        let _ = write!(
            html,
            "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"{id}\" tabindex=\"0\">\n\
             <table class=\"fact-table\">\n<caption id=\"{id}\">{}</caption>\n<thead>\n<tr>",
            text(&self.caption)
        );
        if self.corner.is_empty() {
            html.push_str("<td></td>");
        } else {
            let _ = write!(html, "<th scope=\"col\">{}</th>", text(&self.corner));
        }
        for column in &self.columns {
            let _ = write!(html, "<th scope=\"col\">{}</th>", text(column));
        }
        html.push_str("</tr>\n</thead>\n<tbody>\n");
        for row in &self.rows {
            let _ = write!(html, "<tr><th scope=\"row\">{}</th>", text(&row.label));
            for (column, cell) in self.columns.iter().zip(&row.cells) {
                let _ = write!(
                    html,
                    "<td data-label=\"{}\">{}</td>",
                    text(column),
                    text(cell)
                );
            }
            html.push_str("</tr>\n");
        }
        html.push_str("</tbody>\n</table>\n</div>\n");
        html
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn langs() -> Vec<String> {
        vec!["en".to_owned(), "es".to_owned()]
    }

    fn load_one(text: &str) -> Result<Facts, crate::diag::Errors> {
        let report = Report::default();
        let facts = load(
            &[(PathBuf::from("content/facts/mexico.toml"), text.to_owned())],
            &langs(),
            &report,
        );
        report.check().map(|()| facts)
    }

    fn err(text: &str) -> String {
        format!("{:#}", load_one(text).unwrap_err())
    }

    const GOOD: &str = r#"# Facts about Mexico
[claims_2023]
value = 140000
as_of = 2025-06-01
source = "COMAR, via VisaVerge (2025)"
source_url = "https://www.gob.mx/comar"
label = { en = "Asylum claims in Mexico in 2023", es = "Solicitudes de asilo en México en 2023" }
note = { en = "More than this number.", es = "Más que esta cifra." }

[approval_rate]
value = [30, 40]
unit = "percent"
as_of = 2024-01-01
source = "S"
source_url = "https://example.org"

[share]
value = 0.5
as_of = 2025-06-01
source = "S"
source_url = "https://example.org"

[proclamation_date]
value = 2025-01-20
as_of = 2025-06-01
source = "S"
source_url = "https://example.org"

[processing_time]
value = { en = "several months to over a year", es = "de varios meses a más de un año" }
as_of = 2025-06-01
source = "S"
source_url = "https://example.org"

[us_mexico]
kind = "table"
as_of = 2020-06-01
source = "VisaVerge (2025)"
source_url = "https://www.visaverge.com/"
caption = { en = "The United States & Mexico", es = "Estados Unidos y México" }
corner = { en = "Question", es = "Pregunta" }
columns = [ { en = "United States", es = "Estados Unidos" }, { en = "Mexico", es = "México" } ]

[[us_mexico.rows]]
label = { en = "Who can <apply>?", es = "¿Quién puede pedir asilo?" }
cells = [ { en = "Almost no one at the border.", es = "Casi nadie en la frontera." },
          { en = "Anyone in \"Mexico\".", es = "Cualquier persona en México." } ]
"#;

    fn fmt(locale: &str) -> Formatter {
        Formatter::new(locale).unwrap()
    }

    #[test]
    fn a_language_without_cldr_dates_gets_iso_dates() {
        let date = Date::new(2025, 1, 20).unwrap();
        assert_eq!(Formatter::new("ht").unwrap().date(date), "2025-01-20");
        assert_eq!(
            Formatter::new("es-MX").unwrap().date(date),
            "20 de enero de 2025"
        );
        assert_eq!(Formatter::new("fr").unwrap().date(date), "20 janvier 2025");
    }

    #[test]
    fn formatter_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Formatter>();
        check::<Facts>();
    }

    #[test]
    fn integers_per_locale() {
        let v = Value::Number(Number::Integer(140_000), Unit::Plain);
        assert_eq!(fmt("en-US").value(&v, "en"), "140,000");
        assert_eq!(fmt("es-MX").value(&v, "es"), "140,000");
        assert_eq!(fmt("es-ES").value(&v, "es"), "140.000");
    }

    #[test]
    fn decimals_per_locale() {
        let v = Value::Number(Number::Decimal(1234.5), Unit::Plain);
        assert_eq!(fmt("en-US").value(&v, "en"), "1,234.5");
        assert_eq!(fmt("es-MX").value(&v, "es"), "1,234.5");
        // CLDR es: no grouping for four-digit numbers (minimumGroupingDigits = 2).
        assert_eq!(fmt("es-ES").value(&v, "es"), "1234,5");
        let v = Value::Number(Number::Decimal(0.5), Unit::Plain);
        assert_eq!(fmt("es-ES").value(&v, "es"), "0,5");
    }

    #[test]
    fn dates_per_locale() {
        let d = date(2025, 1, 20);
        assert_eq!(fmt("en-US").date(d), "January 20, 2025");
        assert_eq!(fmt("es-MX").date(d), "20 de enero de 2025");
        assert_eq!(
            fmt("es-ES").value(&Value::Date(d), "es"),
            "20 de enero de 2025"
        );
    }

    #[test]
    fn percents_per_locale() {
        let range = Value::Range(Number::Integer(30), Number::Integer(40), Unit::Percent);
        let one = Value::Number(Number::Decimal(12.5), Unit::Percent);
        assert_eq!(fmt("en-US").value(&range, "en"), "30–40%");
        assert_eq!(fmt("en-US").value(&one, "en"), "12.5%");
        // CLDR es-MX overrides es's "#,##0\u{a0}%" with "#,##0%".
        assert_eq!(fmt("es-MX").value(&range, "es"), "30–40%");
        assert_eq!(fmt("es-MX").value(&one, "es"), "12.5%");
        assert_eq!(fmt("es-ES").value(&range, "es"), "30–40\u{a0}%");
        assert_eq!(fmt("es-ES").value(&one, "es"), "12,5\u{a0}%");
        let plain = Value::Range(Number::Integer(3000), Number::Integer(40_000), Unit::Plain);
        assert_eq!(fmt("es-ES").value(&plain, "es"), "3000–40.000");
    }

    #[test]
    fn bad_locale_is_named() {
        let e = format!("{:#}", Formatter::new("not a locale!").unwrap_err());
        assert!(e.contains("`not a locale!`"), "{e}");
    }

    #[test]
    fn loads_every_kind() {
        let facts = load_one(GOOD).unwrap();
        let claims = facts.lookup("mexico.claims_2023").unwrap();
        assert_eq!(
            claims.value,
            Value::Number(Number::Integer(140_000), Unit::Plain)
        );
        assert_eq!(claims.meta.line, 2);
        assert_eq!(claims.meta.as_of, date(2025, 6, 1));
        assert_eq!(
            claims.meta.label.get("es"),
            Some("Solicitudes de asilo en México en 2023")
        );
        assert_eq!(claims.meta.note.get("en"), Some("More than this number."));
        assert_eq!(
            facts.lookup("mexico.share").unwrap().value,
            Value::Number(Number::Decimal(0.5), Unit::Plain)
        );
        let text = &facts.lookup("mexico.processing_time").unwrap().value;
        let en = fmt("en-US");
        assert_eq!(en.value(text, "en"), "several months to over a year");
        assert_eq!(
            fmt("es-MX").value(text, "es"),
            "de varios meses a más de un año"
        );
        let date_value = &facts.lookup("mexico.proclamation_date").unwrap().value;
        assert_eq!(en.value(date_value, "en"), "January 20, 2025");
        let range = &facts.lookup("mexico.approval_rate").unwrap().value;
        assert_eq!(en.value(range, "en"), "30–40%");
        let table = facts.lookup_table("mexico.us_mexico").unwrap();
        let header = GOOD.lines().position(|l| l == "[us_mexico]").unwrap() + 1;
        assert_eq!(table.meta.line, header);
        assert_eq!(table.rows.len(), 1);
    }

    #[test]
    fn table_html() {
        let facts = load_one(GOOD).unwrap();
        let table = facts.lookup_table("mexico.us_mexico").unwrap();
        let html = table.to_html("en", &fmt("en-US"), None);
        assert!(html.starts_with("<div class=\"table-wrap\""), "{html}");
        assert!(
            html.contains(
                "<caption id=\"table-mexico-us-mexico\">The United States &amp; Mexico</caption>"
            ),
            "{html}"
        );
        assert!(html.contains("<th scope=\"col\">Question</th><th scope=\"col\">United States</th><th scope=\"col\">Mexico</th>"), "{html}");
        assert!(
            html.contains("<th scope=\"row\">Who can &lt;apply&gt;?</th>"),
            "{html}"
        );
        assert!(
            html.contains("<td data-label=\"Mexico\">Anyone in &quot;Mexico&quot;.</td>"),
            "{html}"
        );
        let es = table.to_html("es", &fmt("es-MX"), None);
        assert!(
            es.contains("<caption id=\"table-mexico-us-mexico\">"),
            "{es}"
        );
        let guide = table.to_html("es", &fmt("es-MX"), Some("p-guide-compare"));
        assert!(
            guide.contains("aria-labelledby=\"p-guide-compare--table-mexico-us-mexico\""),
            "{guide}"
        );
        assert!(
            guide.contains("<caption id=\"p-guide-compare--table-mexico-us-mexico\">"),
            "{guide}"
        );
        assert!(es.contains("<th scope=\"col\">Estados Unidos</th>"), "{es}");
    }

    #[test]
    fn toml_syntax_error_keeps_line() {
        let e = err("[a]\nvalue = = 3\n");
        assert!(e.starts_with("content/facts/mexico.toml:2: "), "{e}");
    }

    const HEAD: &str = "as_of = 2025-06-01\nsource = \"S\"\nsource_url = \"https://e.org\"\n";

    #[test]
    fn missing_required_keys() {
        for (key, text) in [
            (
                "as_of",
                "\n[x]\nvalue = 1\nsource = \"S\"\nsource_url = \"u\"\n",
            ),
            (
                "source",
                "\n[x]\nvalue = 1\nas_of = 2025-06-01\nsource_url = \"u\"\n",
            ),
            (
                "source_url",
                "\n[x]\nvalue = 1\nas_of = 2025-06-01\nsource = \"S\"\n",
            ),
            (
                "value",
                "\n[x]\nas_of = 2025-06-01\nsource = \"S\"\nsource_url = \"u\"\n",
            ),
        ] {
            let e = err(text);
            assert!(
                e.contains(&format!(
                    "content/facts/mexico.toml:2: fact `mexico.x` has no `{key}`"
                )),
                "{e}"
            );
        }
    }

    #[test]
    fn unknown_key() {
        let e = err(&format!("[claims_2023]\nvalue = 1\n{HEAD}sorce = \"x\"\n"));
        assert!(
            e.starts_with(
                "content/facts/mexico.toml:6: unknown key `sorce` in fact `mexico.claims_2023`"
            ) && e.contains("expected one of `value`"),
            "{e}"
        );
    }

    #[test]
    fn missing_and_unknown_languages() {
        let e = err(&format!("[x]\n{HEAD}value = {{ en = \"a\" }}\n"));
        assert!(
            e.contains("content/facts/mexico.toml:5: fact `mexico.x` has no text in `es`")
                && e.contains("add `es = \"…\"`"),
            "{e}"
        );
        let e = err(&format!(
            "[x]\nvalue = 1\n{HEAD}label = {{ en = \"a\", es = \"b\", fr = \"c\" }}\n"
        ));
        assert!(
            e.contains("content/facts/mexico.toml:6: fact `mexico.x` has a text in `fr`, which is not a language of the site"),
            "{e}"
        );
        let e = err(&format!(
            "[t]\nkind = \"table\"\n{HEAD}caption = {{ en = \"c\", es = \"c\" }}\n\
             columns = [{{ en = \"a\", es = \"a\" }}]\n\n[[t.rows]]\n\
             label = {{ en = \"l\", es = \"l\" }}\ncells = [{{ en = \"x\" }}]\n"
        ));
        assert!(
            e.contains("content/facts/mexico.toml:11: fact `mexico.t` has no text in `es`"),
            "{e}"
        );
    }

    #[test]
    fn bad_values() {
        let e = err(&format!("[x]\n{HEAD}value = true\n"));
        assert!(
            e.contains("mexico.toml:5: fact `mexico.x`: `true`/`false` is not a supported value"),
            "{e}"
        );
        let e = err(&format!("[x]\n{HEAD}value = \"plain\"\n"));
        assert!(
            e.contains("mexico.toml:5: fact `mexico.x`: a text value needs one text per language"),
            "{e}"
        );
        let e = err(&format!("[x]\n{HEAD}value = [1, 2, 3]\n"));
        assert!(
            e.contains("mexico.toml:5: fact `mexico.x`: this range has 3 items"),
            "{e}"
        );
        let e = err(&format!("[x]\n{HEAD}value = [1, \"b\"]\n"));
        assert!(
            e.contains("mexico.toml:5: fact `mexico.x`: this item of the range is not a number"),
            "{e}"
        );
        let e = err(&format!("[x]\n{HEAD}value = [40, 30]\n"));
        assert!(
            e.contains("mexico.toml:5: fact `mexico.x`: a range goes from low to high"),
            "{e}"
        );
        let e = err(&format!("[x]\n{HEAD}value = 3\nunit = \"percentage\"\n"));
        assert!(
            e.contains("mexico.toml:6: fact `mexico.x` has an unknown `unit`"),
            "{e}"
        );
        let e = err(&format!(
            "[x]\n{HEAD}value = 2025-01-01\nunit = \"percent\"\n"
        ));
        assert!(
            e.contains("mexico.toml:6: fact `mexico.x`: `unit = \"percent\"` applies only"),
            "{e}"
        );
        let e = err("[x]\nvalue = 1\nas_of = \"2025-06-01\"\nsource = \"S\"\nsource_url = \"u\"\n");
        assert!(
            e.contains("mexico.toml:3: fact `mexico.x`: `as_of` is not a date"),
            "{e}"
        );
        let e = err("top = 1\n");
        assert!(
            e.contains("mexico.toml:1: `mexico.top` is not a fact"),
            "{e}"
        );
    }

    #[test]
    fn every_broken_fact_is_reported_and_the_good_ones_kept() {
        let text = format!(
            "[a]\nvalue = 1\n{HEAD}\n[b]\nvalue = 1\nkind = \"tabel\"\n\n[c]\nvalue = 2\nas_of = 2025-06-01T10:00:00\nsource = \"S\"\nsource_url = \"u\"\n"
        );
        let report = Report::default();
        let facts = load(&[(PathBuf::from("f.toml"), text)], &langs(), &report);
        let errors = report.check().unwrap_err().0;
        let lines: Vec<(usize, &str)> = errors
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (9, "fact `f.b` has an unknown `kind`"),
                (13, "fact `f.c`: `as_of` must be a date without a time"),
            ]
        );
        assert!(facts.lookup("f.a").is_some());
    }

    #[test]
    fn row_with_wrong_cell_count() {
        let e = err(&format!(
            "[t]\nkind = \"table\"\n{HEAD}caption = {{ en = \"c\", es = \"c\" }}\n\
             columns = [{{ en = \"a\", es = \"a\" }}, {{ en = \"b\", es = \"b\" }}]\n\n\
             [[t.rows]]\nlabel = {{ en = \"l\", es = \"l\" }}\n\
             cells = [{{ en = \"a\", es = \"a\" }}, {{ en = \"b\", es = \"b\" }}]\n\n\
             [[t.rows]]\nlabel = {{ en = \"l\", es = \"l\" }}\n\
             cells = [{{ en = \"x\", es = \"x\" }}]\n"
        ));
        assert!(
            e.contains(
                "mexico.toml:15: table `mexico.t`: this row has 1 cells but the table has 2 columns"
            ),
            "{e}"
        );
    }

    #[test]
    fn serde_errors_name_the_key_the_line_and_what_to_write() {
        let row_without_cells = format!(
            "[t]\nkind = \"table\"\n{HEAD}caption = {{ en = \"c\", es = \"c\" }}\n\
             columns = [{{ en = \"a\", es = \"a\" }}]\n\n\
             [[t.rows]]\nlabel = {{ en = \"l\", es = \"l\" }}\n"
        );
        let cases = [
            // A row without its cells: the row's header line, and "a row of".
            (
                row_without_cells,
                [
                    "mexico.toml:9: a row of table `mexico.t` has no `cells`",
                    "add `cells = [ { en = \"…\", es = \"…\" }",
                ],
            ),
            // A misspelt key: the nearest known one.
            (
                format!("[x]\nvalue = 1\n{HEAD}lable = {{ en = \"a\", es = \"b\" }}\n"),
                [
                    "mexico.toml:6: unknown key `lable` in fact `mexico.x`",
                    "did you mean `label`?",
                ],
            ),
            // A value of the wrong type: the key and the advice for it.
            (
                format!("[x]\nvalue = 1\n{HEAD}label = {{ en = 3, es = \"b\" }}\n"),
                [
                    "mexico.toml:6: fact `mexico.x`: `label` needs one text per language",
                    "write `label = { en = \"…\", es = \"…\" }`",
                ],
            ),
            (
                format!("[x]\nvalue = 99999999999999999999\n{HEAD}"),
                [
                    "mexico.toml:2: fact `mexico.x`: `value` cannot be read",
                    "use an integer up to",
                ],
            ),
        ];
        for (text, wanted) in cases {
            let e = err(&text);
            for part in wanted {
                assert!(e.contains(part), "{part:?} not in {e}");
            }
        }
    }

    #[test]
    fn duplicate_namespace_names_both_files() {
        let text = format!("[x]\nvalue = 1\n{HEAD}");
        let report = Report::default();
        load(
            &[
                (PathBuf::from("content/facts/mexico.toml"), text.clone()),
                (PathBuf::from("content/other/mexico.toml"), text),
            ],
            &langs(),
            &report,
        );
        let e = report.check().unwrap_err().to_string();
        assert!(e.contains("`content/facts/mexico.toml`"), "{e}");
        assert!(e.contains("`content/other/mexico.toml`"), "{e}");
        assert!(e.contains("namespace `mexico`"), "{e}");
    }

    #[test]
    fn suggests_closest_name() {
        let facts = load_one(GOOD).unwrap();
        assert_eq!(
            facts.unknown_fact_message("mexico.claim_2023"),
            "did you mean `mexico.claims_2023`?"
        );
        assert!(!facts.unknown_fact_message("zzz").contains("did you mean"));
    }

    #[test]
    fn stale_facts() {
        let facts = load_one(GOOD).unwrap();
        let names: Vec<&str> = stale(&facts, date(2025, 7, 1), 365)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(names, ["mexico.approval_rate", "mexico.us_mexico"]);
        assert!(stale(&facts, date(2020, 6, 2), 365).is_empty());
        assert!(stale(&facts, date(2025, 7, 1), i64::MAX).is_empty());
    }
}
