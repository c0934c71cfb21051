//! `--format github`: problems as GitHub Actions workflow commands, so that a pull request
//! shows each one on the line it is about, and a Markdown job summary of the translations.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::translate::{CheckOutput, Coverage, Item, coverage};

/// `senda check --format github`: prints one workflow command per problem, then writes the job
/// summary where GitHub reads it (the file `$GITHUB_STEP_SUMMARY` names), or prints it when
/// that variable is not set. `root` is the site folder as given on the command line.
pub(crate) fn print_check(out: &CheckOutput, root: &Path, strict: bool) -> Result<()> {
    print!("{}", annotations(out, &from_workspace(root), strict));
    let mut summary = check_summary(out, strict);
    match Config::load(root).and_then(|config| coverage(&config, None)) {
        Ok(coverage) => summary.push_str(&coverage_summary(&coverage)),
        Err(_) => summary
            .push_str("\nsenda cannot count the translations until the errors above are fixed.\n"),
    }
    write_summary(&summary)
}

/// `senda status --format github`: the translations part of the job summary.
pub(crate) fn print_status(coverage: &Coverage) -> Result<()> {
    write_summary(&coverage_summary(coverage))
}

/// The site folder as GitHub names files: from the folder the workflow runs in (the
/// repository's root), where an absolute `root` is stripped of it.
fn from_workspace(root: &Path) -> std::path::PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| root.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| root.to_path_buf())
}

fn write_summary(summary: &str) -> Result<()> {
    match std::env::var_os("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty()) {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .with_context(|| format!("opening the job summary `{}`", path.display()))?;
            file.write_all(summary.as_bytes())
                .with_context(|| format!("writing the job summary `{}`", path.display()))?;
        }
        None => print!("\n{summary}"),
    }
    Ok(())
}

/// The workflow commands, one line per problem: `::error file=F,line=N::message` (the help
/// on a second line of the message). With `strict`, warnings are reported as errors. File
/// names are `root` (the site folder, from the repository's root) joined with the problem's.
pub(crate) fn annotations(out: &CheckOutput, root: &Path, strict: bool) -> String {
    let warning = if strict { "error" } else { "warning" };
    let mut text = String::new();
    for (kind, list) in [("error", &out.errors), (warning, &out.warnings)] {
        for d in list {
            let _ = writeln!(text, "{}", command(kind, d, root));
        }
    }
    text
}

fn command(kind: &str, d: &Diagnostic, root: &Path) -> String {
    let mut properties = Vec::new();
    let mut message = String::new();
    if !d.file.as_os_str().is_empty() {
        let path = root.join(&d.file);
        let file = path.to_string_lossy().replace('\\', "/");
        let file = file.trim_start_matches("./");
        // A generated page (`en/whole-guide/index.html`) is no file of the repository: GitHub
        // could not show it, so the message names it.
        if path.is_file() {
            properties.push(format!("file={}", escape_property(file)));
            if d.line > 0 {
                properties.push(format!("line={}", d.line));
            }
        } else {
            message = format!("{file}: ");
        }
    }
    message.push_str(&d.message);
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let properties = if properties.is_empty() {
        String::new()
    } else {
        format!(" {}", properties.join(","))
    };
    format!("::{kind}{properties}::{}", escape_data(&message))
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value: the message's, and `:` and `,`,
/// which separate the properties.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The summary's first part: whether the check passed, and every problem in a table.
fn check_summary(out: &CheckOutput, strict: bool) -> String {
    let mut md = String::from("## senda check\n\n");
    let verdict = if out.failed(strict) {
        "**Failed**"
    } else {
        "**Passed**"
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        md,
        "{verdict}: {}, {}; {} and {} checked.{}",
        plural(out.errors.len(), "error"),
        plural(out.warnings.len(), "warning"),
        plural(out.pages, "page"),
        plural(out.links_checked, "internal link"),
        if strict {
            " Warnings count as errors."
        } else {
            ""
        }
    );
    if out.errors.is_empty() && out.warnings.is_empty() {
        return md;
    }
    md.push_str("\n| | file | line | problem | what to do |\n| --- | --- | --- | --- | --- |\n");
    for (kind, list) in [("error", &out.errors), ("warning", &out.warnings)] {
        for d in list {
            let line = if d.line > 0 {
                d.line.to_string()
            } else {
                String::new()
            };
            let _ = writeln!(
                md,
                "| {kind} | {} | {line} | {} | {} |",
                cell(&d.file.to_string_lossy().replace('\\', "/")),
                cell(&d.message),
                cell(d.help.as_deref().unwrap_or_default())
            );
        }
    }
    md
}

/// The translations, as `senda status` counts them: a table per language, then what is
/// missing, out of date or a draft.
fn coverage_summary(coverage: &Coverage) -> String {
    let mut md = String::from("\n## Translations\n\n");
    if coverage.languages.is_empty() {
        md.push_str("This site has only one language: there is nothing to translate.\n");
        return md;
    }
    md.push_str("| language | up to date | missing | out of date | drafts |\n");
    md.push_str("| --- | --- | --- | --- | --- |\n");
    for l in &coverage.languages {
        let _ = writeln!(
            md,
            "| {} ({}) | {}% ({} of {}) | {} | {} | {} |",
            cell(&l.name),
            l.code,
            l.percent_translated,
            l.total.translated,
            l.total.total,
            l.total.missing,
            l.total.stale,
            l.total.draft
        );
    }
    for l in &coverage.languages {
        let code = &l.code;
        for (title, items, todo) in [
            (
                "Missing",
                &l.missing,
                "to start: `senda translate {source} --to {code}`",
            ),
            (
                "Out of date",
                &l.stale,
                "the original `{source}` changed since",
            ),
            (
                "Drafts",
                &l.draft,
                "to publish: delete the line `draft = true`",
            ),
        ] {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(md, "\n### {} ({code}): {title}\n", l.name);
            for item in items.iter() {
                let _ = writeln!(
                    md,
                    "- `{}`: {}",
                    item.translation,
                    todo_for(todo, item, code)
                );
            }
        }
    }
    md
}

fn todo_for(template: &str, item: &Item, code: &str) -> String {
    template
        .replace("{source}", &item.source)
        .replace("{code}", code)
}

/// Text inside a Markdown table cell: one line, no column break.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_reads_them() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(
            escape_property("content/a,b:c%.md"),
            "content/a%2Cb%3Ac%25.md"
        );
    }

    #[test]
    fn a_problem_without_file_or_line_has_no_properties() {
        let d = Diagnostic::new(Path::new(""), 0, "site.toml: bad");
        assert_eq!(
            command("error", &d, Path::new(".")),
            "::error::site.toml: bad"
        );
        let dir = tempfile::TempDir::new().expect("temporary folder");
        std::fs::write(dir.path().join("a,b.md"), "").expect("write a file");
        let d = Diagnostic::new(Path::new("a,b.md"), 0, "x").help("y");
        assert_eq!(
            command("warning", &d, dir.path()),
            format!(
                "::warning file={}/a%2Cb.md::x%0Ahelp: y",
                dir.path().display()
            )
        );
        let d = Diagnostic::new(Path::new("en/index.html"), 3, "z");
        assert_eq!(
            command("error", &d, Path::new("site")),
            "::error::site/en/index.html: z"
        );
    }
}
