//! Messages for people: a problem in a file, at a line, with what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A problem in one place of one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user knows it (relative to the site folder).
    pub file: PathBuf,
    /// 1-based line in that file; 0 when the whole file is concerned.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The offending line of the file, shown under the message.
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// A problem at `line` of `file`.
    pub fn new(file: &Path, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            line,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// A problem at byte `offset` of `text`, the whole of `file`, with that line shown.
    pub fn at(file: &Path, text: &str, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(file, line_of(text, offset), message).with_source(text)
    }

    /// Adds what to do.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Shows the line `self.line` of `text` (the whole file) under the message.
    pub fn with_source(mut self, text: &str) -> Diagnostic {
        if self.line > 0 {
            self.snippet = text.lines().nth(self.line - 1).map(str::to_string);
        }
        self
    }

    /// A TOML error in a block that starts at byte `offset` of `file_text`, which is the whole
    /// file: the line is counted in the file, not in the block.
    pub fn from_toml(
        file: &Path,
        file_text: &str,
        offset: usize,
        err: &toml::de::Error,
    ) -> Diagnostic {
        let line = err
            .span()
            .map_or(0, |span| line_of(file_text, offset + span.start));
        Diagnostic::new(file, line, err.message().trim().to_string())
            .help(toml_help(err.message()))
            .with_source(file_text)
    }
}

fn toml_help(message: &str) -> &'static str {
    if message.contains("unknown field") {
        "check the spelling of the key; the message lists the keys that are allowed here"
    } else if message.contains("missing field") {
        "add the key named in the message"
    } else if message.contains("invalid type") {
        "write text in \"quotes\", numbers and true/false without quotes, dates as 2025-01-20, lists as [\"a\", \"b\"]"
    } else {
        "each line is key = value; text goes in \"double quotes\""
    }
}

/// The name in `known` nearest to `name`, when it is near enough to be a misspelling of it:
/// the "did you mean" of a message.
pub(crate) fn nearest<'k>(name: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// 1-based line number of byte `offset` in `text` (text, or bytes that may not be UTF-8).
pub fn line_of(text: &(impl AsRef<[u8]> + ?Sized), offset: usize) -> usize {
    let text = text.as_ref();
    let end = offset.min(text.len());
    text[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Line of the first `key = …` in `text`, or 1 if there is none.
pub fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| is_key_line(l, key))
        .map_or(1, |i| i + 1)
}

/// Whether `line` sets `key` (`key = …`, spaces allowed around).
pub fn is_key_line(line: &str, key: &str) -> bool {
    line.trim_start()
        .strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)?;
        } else {
            write!(f, "{}: {}", self.file.display(), self.message)?;
        }
        if let Some(snippet) = &self.snippet {
            write!(f, "\n  {:>4} | {}", self.line, snippet)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Every problem one build found. Errors stop the build after the stage that found them, so a
/// volunteer sees all of them at once instead of one per run; warnings never stop it.
#[derive(Debug, Default)]
pub struct Report {
    errors: Mutex<Vec<Diagnostic>>,
    warnings: Mutex<Vec<Diagnostic>>,
}

impl Report {
    /// Records an error.
    pub fn error(&self, diagnostic: Diagnostic) {
        lock(&self.errors).push(diagnostic);
    }

    /// Records a warning; the same warning twice is kept once.
    pub fn warn(&self, diagnostic: Diagnostic) {
        let mut warnings = lock(&self.warnings);
        if !warnings.contains(&diagnostic) {
            warnings.push(diagnostic);
        }
    }

    /// Fails with every error found so far, sorted by file and line.
    pub fn check(&self) -> Result<(), Errors> {
        let mut errors = lock(&self.errors).clone();
        if errors.is_empty() {
            return Ok(());
        }
        // One problem met on many pages (a template's, say) is shown once.
        errors.sort_by(|a, b| {
            (&a.file, a.line, &a.message, &a.help).cmp(&(&b.file, b.line, &b.message, &b.help))
        });
        errors.dedup_by(|a, b| (&a.file, a.line, &a.message) == (&b.file, b.line, &b.message));
        Err(Errors(errors))
    }

    /// The warnings, sorted by file and line.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut warnings = lock(&self.warnings).clone();
        warnings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        warnings
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock only loses that push; the list itself stays usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Several errors, shown one after the other.
#[derive(Debug)]
pub struct Errors(pub Vec<Diagnostic>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "\n{n} error{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Errors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_line_finds_the_key() {
        let text = "+++\ntitle = \"x\"\nslugs = 1\nslug = \"a b\"\n+++\n";
        assert_eq!(key_line(text, "slug"), 4);
        assert_eq!(key_line(text, "weight"), 1);
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 4), 2);
    }
}
